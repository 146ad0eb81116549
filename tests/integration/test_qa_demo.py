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
