"""The one helper that runs the bot as a process for tests, benchmarks and the demo
(bot/dev/process.py), driven here with a stand-in command instead of the bot: a real child process
that logs the ready line (or exits), so that start, wait, stop and kill are checked in seconds."""
from __future__ import annotations

import signal
import sys
import tomllib
from pathlib import Path

import pytest

from bot.dev.process import READY, BotProcess, BotProcessError, bot_config
from bot.dev.server import Homeserver, Registered

#: Stands in for ``python -m bot``: gets ``run --config FILE``, logs what it was given, then READY.
FAKE_BOT = f"""
import signal, sys, time
signal.signal(signal.SIGTERM, lambda *a: (print("clean shutdown", flush=True), sys.exit(0)))
print("args", sys.argv[1:], flush=True)
time.sleep(float(sys.argv[1]))
print({READY!r}, flush=True)
while True:
    time.sleep(0.05)
"""


def fake(tmp_path: Path, delay: float = 0.0) -> BotProcess:
    return BotProcess(tmp_path / "bot.toml", tmp_path / "bot.log", command=(sys.executable, "-c", FAKE_BOT, str(delay)))


def test_start_waits_for_the_ready_line_and_stop_is_a_clean_sigterm(tmp_path: Path) -> None:
    bot = fake(tmp_path, 0.2).start(timeout=20)
    try:
        assert bot.ready_at - bot.started_at >= 0.2
        assert bot.exited() is None
        assert f"'run', '--config', '{tmp_path / 'bot.toml'}'" in bot.log_text()
    finally:
        assert bot.stop() == 0
    assert "clean shutdown" in bot.log_text()
    assert bot.exited() is None and bot.stop() is None  # stopped: nothing left to stop


def test_a_restart_waits_for_a_new_ready_line_not_the_old_one(tmp_path: Path) -> None:
    bot = fake(tmp_path).start(timeout=20)
    bot.kill()
    bot.command = (sys.executable, "-c", "import time; time.sleep(30)")  # never ready this time
    bot.start(wait_ready=False)
    try:
        with pytest.raises(BotProcessError, match="did not log"):
            bot.wait_ready(timeout=0.5)
        assert bot.log_text() == "" and READY in bot.log_text(since_start=False)
    finally:
        bot.stop(timeout=5)


def test_a_bot_that_exits_fails_the_wait_at_once_with_its_log(tmp_path: Path) -> None:
    bot = BotProcess(tmp_path / "bot.toml", tmp_path / "bot.log",
                     command=(sys.executable, "-c", "import sys; print('bad config'); sys.exit(2)"))
    with pytest.raises(BotProcessError, match=r"exited with 2:\n.*bad config"):
        bot.start(timeout=20)
    assert bot.exited() == 2


def test_kill_is_a_crash(tmp_path: Path) -> None:
    bot = fake(tmp_path).start(timeout=20)
    proc = bot.proc
    bot.kill()
    assert proc is not None and proc.returncode == -signal.SIGKILL
    assert "clean shutdown" not in bot.log_text()


def test_bot_config_logs_in_with_password_or_token_and_sections_add_to_the_defaults(tmp_path: Path) -> None:
    hs = Homeserver(tmp_path / "hs", server_name="example.org")  # not started: only its URL is read
    hs.port = 8008
    user = Registered(user_id="@bot:example.org", password="pw", access_token="tok", device_id="DEV")
    path = bot_config(tmp_path / "a.toml", hs, user, tmp_path / "data", device_name="t",
                      bot={"sweep_seconds": 5}, limits={"commands_per_minute": 9}, http=None)
    cfg = tomllib.loads(path.read_text())
    assert cfg["matrix"]["password"] == "pw" and "access_token" not in cfg["matrix"]
    assert cfg["bot"] == {"data_dir": str(tmp_path / "data"), "default_timezone": "UTC", "sweep_seconds": 5}
    assert cfg["access"] == {"allowed_users": ["@*:example.org"]}
    assert cfg["limits"] == {"commands_per_minute": 9} and "http" not in cfg
    token = tomllib.loads(bot_config(tmp_path / "b.toml", hs, user, tmp_path / "data", device_name="t", token=True,
                                     matrix={"encryption": True}).read_text())
    assert token["matrix"]["access_token"] == "tok" and "password" not in token["matrix"]
    assert token["matrix"]["encryption"] is True
