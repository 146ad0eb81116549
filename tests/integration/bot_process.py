"""The bot under test, as a real process: ``python -m bot run --config ...``.

Running it as a subprocess lets tests SIGKILL and restart it exactly as an operator's crash would.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.dev.server import Homeserver, Registered, write_toml

READY = "renewal-bot ready"


class BotProcess:
    """Start, stop, kill and restart the bot against a homeserver."""

    def __init__(
        self,
        hs: Homeserver,
        bot_user: Registered,
        workdir: Path,
        *,
        bot: dict[str, Any] | None = None,
        access: dict[str, Any] | None = None,
        limits: dict[str, Any] | None = None,
        matrix: dict[str, Any] | None = None,
        http: dict[str, Any] | None = None,
        store: dict[str, Any] | None = None,
    ) -> None:
        self.user = bot_user
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir = workdir / "data"
        self.log_path = workdir / "bot.log"
        sections: dict[str, dict[str, Any]] = {
            "matrix": {
                "homeserver": hs.url,
                "user_id": bot_user.user_id,
                "password": bot_user.password,
                "device_name": "renewal-bot test",
                **(matrix or {}),
            },
            "bot": {"data_dir": str(self.data_dir), "default_timezone": "UTC", "sweep_seconds": 5, **(bot or {})},
            "access": {"allowed_users": [f"@*:{hs.server_name}"], **(access or {})},
        }
        if limits:
            sections["limits"] = limits
        if http:
            sections["http"] = http
        if store:
            sections["store"] = store
        self.config_path = write_toml(workdir / "bot.toml", sections)
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    @property
    def user_id(self) -> str:
        return self.user.user_id

    def start(self, *, wait_ready: bool = True, timeout: float = 60) -> BotProcess:
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(self.config_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        log.close()
        if wait_ready:
            self.wait_for_log(READY, timeout=timeout)
        return self

    def log_text(self, *, since_start: bool = True) -> str:
        if not self.log_path.exists():
            return ""
        data = self.log_path.read_bytes()
        return data[self._log_offset if since_start else 0:].decode("utf-8", "replace")

    def wait_for_log(self, needle: str, *, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.log_text():
                return
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"bot exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            time.sleep(0.05)
        raise AssertionError(f"bot did not log {needle!r} in {timeout}s:\n{self.log_text()[-3000:]}")

    def terminate(self, timeout: float = 20) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        self.proc = None
        return code

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.terminate()
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None
