"""The options of ``renewal-bot demo``: kept apart from the demo itself so that the CLI tree can
offer ``demo --help`` without importing the harness (or Synapse)."""
from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

DEFAULT_SCRIPT = ["help", "add axis +30d My AXIS", "list"]
DESCRIPTION = "Run the bot against a throwaway local Synapse and chat with it."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        type=Path,
        default=Path("demo-data"),
        help="where the homeserver, the bot's data and logs go; recreated at each start "
        "(default: ./demo-data)",
    )
    p.add_argument(
        "--non-interactive",
        action="store_true",
        help="send a script of messages, check each gets a reply, then exit (0 = all replied)",
    )
    p.add_argument(
        "--say",
        action="append",
        metavar="TEXT",
        help="a message to send in --non-interactive mode (repeatable; default: "
        + ", ".join(repr(t) for t in DEFAULT_SCRIPT)
        + ")",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds to wait for each reply in --non-interactive mode (default 30)",
    )
    p.add_argument(
        "--start-timeout",
        type=float,
        default=90.0,
        help="seconds to wait for the bot to join the DM (default 90)",
    )
    p.add_argument("--port", type=int, default=None, help="homeserver port (default: a free one)")
    p.add_argument("--encrypted", action="store_true", help="make the DM end-to-end encrypted")
    p.add_argument(
        "--bot-command",
        default=None,
        help="command that starts the bot, before `run --config FILE` "
        f"(default: {shlex.quote(sys.executable)} -m bot)",
    )
