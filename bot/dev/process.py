"""The bot as a real process (``python -m bot run --config FILE``), for the integration tests, the
benchmarks and the demo: one helper, so that all three start, wait for and stop the bot the same way.

A real process lets a test SIGKILL and restart the bot exactly as an operator's crash would, and
lets a benchmark measure what the bot costs. Its output goes to a log file (read for the ready line
and for failures), never to the caller's terminal; it is stopped by its PID, SIGTERM first (the
bot's clean shutdown), then SIGKILL if it hangs.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.dev.server import Homeserver, Registered, child_preexec, write_toml

#: The line the bot logs when its first sync is done and it answers commands.
READY = "renewal-bot ready"


class BotProcessError(AssertionError):
    """The bot exited, or did not log what was awaited in time (the message ends with its log).
    An AssertionError, so that pytest shows it as a failed expectation."""


def bot_config(
    path: Path,
    hs: Homeserver,
    user: Registered,
    data_dir: Path,
    *,
    device_name: str,
    token: bool = False,
    header: str = "",
    **sections: Mapping[str, Any] | None,
) -> Path:
    """Write a config for ``user`` on ``hs``: login with the password, or (``token``) with the
    access token so that the bot keeps that token's device for life. ``sections`` (``matrix``,
    ``bot``, ``access``, ``limits``, ``http``, ``store`` ...) add to or override the defaults."""
    login = {"access_token": user.access_token} if token else {"password": user.password}
    defaults: dict[str, dict[str, Any]] = {
        "matrix": {"homeserver": hs.url, "user_id": user.user_id, **login, "device_name": device_name},
        "bot": {"data_dir": str(data_dir), "default_timezone": "UTC"},
        "access": {"allowed_users": [f"@*:{hs.server_name}"]},
    }
    for name, values in sections.items():
        if values:
            defaults[name] = {**defaults.get(name, {}), **values}
    return write_toml(path, defaults, header=header)


class BotProcess:
    """Start, wait for, stop, kill and restart the bot; ``command`` is how to run it (default:
    this interpreter's ``-m bot``), ``cwd``/``env`` where and with what."""

    def __init__(
        self,
        config_path: Path,
        log_path: Path,
        *,
        command: Sequence[str] = (sys.executable, "-m", "bot"),
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        new_session: bool = False,
    ) -> None:
        self.config_path = config_path
        self.log_path = log_path
        self.command = tuple(command)
        self.cwd = cwd
        self.env = {**(env if env is not None else os.environ), "PYTHONUNBUFFERED": "1"}
        self.new_session = new_session  # the demo stops it itself, in order, on Ctrl-C
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.ready_at = 0.0
        self._log_offset = 0

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, *, wait_ready: bool = True, timeout: float = 60.0, poll: float = 0.05) -> BotProcess:
        """Start the bot; unless ``wait_ready`` is false, return once it has logged :data:`READY`."""
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.started_at = time.monotonic()
            self.proc = subprocess.Popen(
                [*self.command, "run", "--config", str(self.config_path)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=self.cwd, env=self.env,
                start_new_session=self.new_session, preexec_fn=child_preexec,
            )
        if wait_ready:
            self.wait_ready(timeout, poll=poll)
        return self

    def wait_ready(self, timeout: float = 60.0, *, poll: float = 0.05) -> float:
        """Seconds from the start to the bot's ready line."""
        self.wait_for_log(READY, timeout=timeout, poll=poll)
        self.ready_at = time.monotonic()
        return self.ready_at - self.started_at

    def wait_for_log(self, needle: str, *, timeout: float = 60.0, poll: float = 0.05) -> None:
        """Wait until the bot logs ``needle`` (since its last start); fail at once if it exits."""
        deadline = time.monotonic() + timeout
        offset = self._log_offset
        want = needle.encode()
        while True:
            chunk = b""
            with contextlib.suppress(FileNotFoundError), open(self.log_path, "rb") as fh:
                fh.seek(offset)
                chunk = fh.read()
            if want in chunk:
                return
            offset += max(0, len(chunk) - len(want))  # only new text is read again
            if self.proc is not None and self.proc.poll() is not None:
                raise BotProcessError(f"bot exited with {self.proc.returncode}:\n{self.log_tail()}")
            if time.monotonic() >= deadline:
                raise BotProcessError(f"bot did not log {needle!r} in {timeout:g}s:\n{self.log_tail()}")
            time.sleep(poll)

    def log_text(self, *, since_start: bool = True) -> str:
        """The bot's log, since its last start (or all of it)."""
        if not self.log_path.exists():
            return ""
        data = self.log_path.read_bytes()
        return data[self._log_offset if since_start else 0:].decode("utf-8", "replace")

    def log_tail(self, n: int = 3000) -> str:
        return self.log_text(since_start=False)[-n:]

    def warnings(self) -> list[str]:
        """The first 20 WARNING and ERROR lines of the log."""
        return [ln for ln in self.log_text(since_start=False).splitlines() if " WARNING " in ln or " ERROR " in ln][:20]

    def exited(self) -> int | None:
        """The exit code, or None while it runs (or was never started)."""
        return None if self.proc is None else self.proc.poll()

    def terminate(self, timeout: float = 20.0) -> int:
        """SIGTERM, and wait for the clean shutdown; its exit code."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        self.proc = None
        return code

    def kill(self) -> None:
        """SIGKILL: a crash."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)
        self.proc = None

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, then SIGKILL if it hangs; nothing if it is not running. Its exit code."""
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            try:
                self.terminate(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None
        return proc.returncode
