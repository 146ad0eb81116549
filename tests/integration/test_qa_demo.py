"""The demo exactly as the README starts it (QA): `scripts/demo`, no PYTHONPATH set by the caller."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def test_scripts_demo_runs_from_a_fresh_shell(tmp_path: Path) -> None:
    """The bot child runs in the data dir, which holds a ``bot/`` folder (the bot's data): with an
    editable install and no PYTHONPATH, ``python -m bot`` imported that empty folder as the
    package and died with "cannot import name '__version__' from 'bot' (unknown location)"."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "demo"), "--non-interactive", "--data-dir", str(tmp_path / "demo-data")],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
    )
    report = f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    assert proc.returncode == 0, report
    assert "OK: the bot replied to all 3 messages." in proc.stdout, report


def test_piped_input_gets_every_reply_before_quit(tmp_path: Path) -> None:
    """QA: ``printf 'help\\nlist\\n/quit\\n' | scripts/demo`` quit before the bot had answered, so
    the transcript held no reply. Piped input now waits for each reply before the next line."""
    from tests.integration.test_demo import _transcript

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "demo"), "--data-dir", str(tmp_path / "demo-data")],
        cwd=tmp_path, env=env, input="help\nlist\n/quit\n", capture_output=True, text=True, timeout=300,
    )
    report = f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    assert proc.returncode == 0, report
    pairs = dict(_transcript(proc.stdout))
    assert "Commands:" in pairs.get("help", ""), report
    assert "add axis" in pairs.get("list", ""), report  # "not tracking any lines yet. Add one: ..."
    assert "you> you>" not in proc.stdout, report
