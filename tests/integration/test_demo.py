"""End-to-end: `python -m bot.dev.demo --non-interactive` against the real bot.

This is the whole product path: a fresh Synapse with default rate limits, the bot started as
`python -m bot run --config FILE`, a DM opened by a scripted user, and a Matrix reply from the
bot to each of the default script's messages (`help`, `add axis +30d My AXIS`, `list`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def _transcript(stdout: str) -> list[tuple[str, str]]:
    """[(what we said, the bot's reply)] from the demo's `you> ` / `bot> ` lines."""
    pairs: list[tuple[str, str]] = []
    said: str | None = None
    reply: list[str] = []
    for line in stdout.splitlines() + ["you> "]:
        if line.startswith("you> "):
            if said is not None:
                pairs.append((said, "\n".join(reply)))
            said, reply = line[5:], []
        elif said is not None and line.startswith("bot> "):
            reply.append(line[5:])
        elif said is not None and reply and line.startswith("     "):
            reply.append(line[5:])
    return pairs


def test_demo_non_interactive(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-m", "bot.dev.demo", "--non-interactive", "--data-dir", str(tmp_path)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    assert proc.returncode == 0, report
    assert "OK: the bot replied to all 3 messages." in proc.stdout, report

    pairs = dict(_transcript(proc.stdout))
    assert set(pairs) == {"help", "add axis +30d My AXIS", "list"}, report
    assert all(reply.strip() for reply in pairs.values()), report
    assert "axis" in pairs["list"].lower(), report  # the card just added is listed

    # Both subprocesses were stopped; the bot exited cleanly on SIGTERM.
    assert "Bot stopped (exit code 0)." in proc.stdout, report
    assert "Homeserver stopped." in proc.stdout, report
    # The demo wrote the bot config it promised.
    config = (tmp_path / "bot.toml").read_text()
    assert 'user_id = "@renewal-bot:localhost"' in config
    assert 'admins = ["@demo:localhost"]' in config
