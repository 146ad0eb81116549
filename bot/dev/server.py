"""A throwaway local Synapse homeserver for tests, the demo and benchmarks.

The bot's behaviour only matters against a real homeserver (rate limits, transaction-ID
deduplication, E2EE key sharing), so tests and the demo run Synapse itself rather than a mock.
Synapse is started as a subprocess (`python -m synapse.app.homeserver`) of the same interpreter;
this module never imports synapse, so importing it is cheap and works where synapse is absent.

Its jobs are split: :mod:`bot.dev.synapse_config` (what Synapse is told), :mod:`bot.dev.synapse_api`
(registration and admin calls over HTTP); :class:`Homeserver` runs the process and offers the API's
calls under its own name (``hs.register(...)``).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

from bot.dev.synapse_api import AdminApi, HomeserverError, Registered
from bot.dev.synapse_config import synapse_config, write_synapse_config

__all__ = [
    "Homeserver",
    "HomeserverError",
    "Registered",
    "free_port",
    "child_preexec",
]

_PR_SET_PDEATHSIG = 1


def child_preexec() -> None:
    """Run in a forked child before exec: ask Linux to SIGTERM it when its parent dies.

    Without this, a test run that is killed (CI timeout, Ctrl-C twice) leaves Synapse or the bot
    running, holding ports and CPU. Harmless no-op elsewhere.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free right now on `host` (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def toml_value(v: Any) -> str:
    """A TOML value for the bot configs that the demo, tests and benchmarks write."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=True)  # JSON string escapes are valid TOML escapes


def write_toml(path: Path, sections: dict[str, dict[str, Any]], *, header: str = "") -> Path:
    """Write ``{section: {key: value}}`` as TOML, checked by parsing it back."""
    import tomllib

    lines = [f"# {header}"] if header else []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines.extend(f"{k} = {toml_value(v)}" for k, v in values.items())
        lines.append("")
    text = "\n".join(lines)
    tomllib.loads(text)  # never hand the bot a file it cannot parse
    path.write_text(text, encoding="utf-8")
    return path


class Homeserver:
    """A local Synapse on 127.0.0.1 in its own directory; a context manager.

    `ratelimits=False` raises every `rc_*` limit out of reach (fast tests); the default keeps
    Synapse's own limits, which is what a real deployment looks like.
    If `base_dir` is None a temporary directory is made and removed again by `stop()`.
    `port=None` picks a free port at each start.
    """

    def __init__(
        self,
        base_dir: Path | None = None,
        *,
        ratelimits: bool = True,
        server_name: str = "localhost",
        port: int | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        self._own_dir = base_dir is None
        self.base_dir: Path = (
            Path(tempfile.mkdtemp(prefix="synapse-")) if base_dir is None else Path(base_dir)
        )
        self.server_name = server_name
        self.ratelimits = ratelimits
        self.start_timeout = start_timeout
        self._fixed_port = port
        self.port: int | None = None
        self._secret = secrets.token_hex(32)
        self._proc: subprocess.Popen[bytes] | None = None
        self._stdout: Any = None
        self.api = AdminApi(lambda: self.url, self._secret)
        # The API's calls under the server's own name: ``hs.register("alice")``.
        self.request = self.api.request
        self.register = self.api.register
        self.admin = self.api.admin
        self.override_ratelimit = self.api.override_ratelimit

    # ----------------------------------------------------------------- properties
    @property
    def url(self) -> str:
        """Base URL clients use, e.g. `http://127.0.0.1:38211`."""
        if self.port is None:
            raise HomeserverError("homeserver not started")
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """PID of the Synapse process while it runs."""
        return self._proc.pid if self._proc is not None else None

    @property
    def config_path(self) -> Path:
        return self.base_dir / "homeserver.yaml"

    @property
    def log_path(self) -> Path:
        """Synapse's own log (WARNING and above)."""
        return self.base_dir / "homeserver.log"

    @property
    def stdout_path(self) -> Path:
        """Synapse's stdout/stderr: start-up tracebacks land here, not in the log."""
        return self.base_dir / "homeserver.stdout.log"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def write_config(self) -> None:
        """Write homeserver.yaml and log.config for the port chosen at this start."""
        assert self.port is not None
        config = synapse_config(self.base_dir, server_name=self.server_name, port=self.port,
                                secret=self._secret, ratelimits=self.ratelimits)
        write_synapse_config(self.base_dir, self.config_path, config, self.log_path)

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> Homeserver:
        """Start Synapse and block until GET /health answers 200."""
        if self.running:
            return self
        self.port = self._fixed_port or free_port()
        self.write_config()
        self._stdout = open(self.stdout_path, "ab")  # noqa: SIM115 - closed in stop()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            cwd=self.base_dir,
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in a terminal must not hit it before we stop it
            preexec_fn=child_preexec,
        )
        _LIVE.add(self)
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        delay = 0.05
        while True:
            assert self._proc is not None
            code = self._proc.poll()
            if code is not None:
                raise HomeserverError(
                    f"Synapse exited with code {code} during start-up.\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                raise HomeserverError(
                    f"Synapse did not answer /health within {self.start_timeout:.0f} s.\n"
                    f"{self.log_tail()}"
                )
            time.sleep(delay)
            delay = min(delay * 1.5, 0.25)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM by PID, wait, SIGKILL if it hangs. Idempotent."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
                proc.wait(5)
        if self._stdout is not None:
            self._stdout.close()
            self._stdout = None
        _LIVE.discard(self)
        self.api.forget_admin()
        if self._own_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of Synapse's stdout and log, for error messages."""
        parts = []
        for path in (self.stdout_path, self.log_path):
            try:
                text = path.read_text(errors="replace").splitlines()[-lines:]
            except OSError:
                continue
            if text:
                parts.append(f"--- tail of {path} ---\n" + "\n".join(text))
        return "\n".join(parts) or "(no homeserver output)"

    def __enter__(self) -> Homeserver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"pid={self.pid} url={self.url}" if self.running else "stopped"
        return f"<Homeserver {self.server_name} {state} dir={self.base_dir}>"

#: Homeservers still running, stopped at interpreter exit as a last resort.
_LIVE: set[Homeserver] = set()


@atexit.register
def _stop_all() -> None:
    for hs in list(_LIVE):
        with contextlib.suppress(Exception):
            hs.stop()
