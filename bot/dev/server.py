"""A throwaway local Synapse homeserver for tests, the demo and benchmarks.

The bot's behaviour only matters against a real homeserver (rate limits, transaction-ID
deduplication, E2EE key sharing), so tests and the demo run Synapse itself rather than a mock.
Synapse is started as a subprocess (`python -m synapse.app.homeserver`) of the same interpreter;
this module never imports synapse, so importing it is cheap and works where synapse is absent.

Only the standard library is used for HTTP (registration and admin calls happen before any asyncio
loop exists, e.g. in session fixtures).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import hashlib
import hmac
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
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "Homeserver",
    "HomeserverError",
    "Registered",
    "free_port",
    "child_preexec",
]

#: Big enough to never be reached in a test, and never 0 (per_second 0 blocks everything).
_HUGE = {"per_second": 100000, "burst_count": 100000}

#: Every rate-limit key Synapse 1.163 knows (see shared/synapse-notes.md), with its sub-keys.
_RATELIMIT_KEYS: dict[str, tuple[str, ...]] = {
    "rc_message": (),
    "rc_registration": (),
    "rc_registration_token_validity": (),
    "rc_login": ("address", "account", "failed_attempts"),
    "rc_joins": ("local", "remote"),
    "rc_joins_per_room": (),
    "rc_invites": ("per_room", "per_user", "per_issuer"),
    "rc_third_party_invite": (),
    "rc_room_creation": (),
    "rc_key_requests": (),
    "rc_3pid_validation": (),
    "rc_presence": ("per_user",),
    "rc_media_create": (),
    "rc_delayed_event_mgmt": (),
    "rc_reports": (),
    "rc_user_directory": (),
    "rc_profile": (),
    "rc_admin_redaction": (),
}

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


class HomeserverError(RuntimeError):
    """The homeserver failed to start, died, or answered an API call with an error."""

    def __init__(self, message: str, *, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Registered:
    """A user created on the homeserver, with the device and token its registration made."""

    user_id: str
    access_token: str
    device_id: str
    password: str

    @property
    def localpart(self) -> str:
        """`alice` for `@alice:localhost`."""
        return self.user_id[1:].split(":", 1)[0]


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
        self._admin: Registered | None = None

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

    # ----------------------------------------------------------------- config
    def _config(self) -> dict[str, Any]:
        d = self.base_dir
        assert self.port is not None
        cfg: dict[str, Any] = {
            "server_name": self.server_name,
            "report_stats": False,
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(d / "homeserver.db")}},
            "log_config": str(d / "log.config"),
            "media_store_path": str(d / "media_store"),
            "signing_key_path": str(d / f"{self.server_name}.signing.key"),
            "pid_file": str(d / "homeserver.pid"),
            "enable_registration": False,
            "registration_shared_secret": self._secret,
            "bcrypt_rounds": 4,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "presence": {"enabled": False},
        }
        if not self.ratelimits:
            for key, subkeys in _RATELIMIT_KEYS.items():
                cfg[key] = {sub: dict(_HUGE) for sub in subkeys} if subkeys else dict(_HUGE)
        return cfg

    def _log_config(self) -> dict[str, Any]:
        return {
            "version": 1,
            "formatters": {
                "precise": {
                    "format": "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - "
                    "%(request)s - %(message)s"
                }
            },
            "filters": {"context": {"()": "synapse.logging.context.LoggingContextFilter"}},
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "precise",
                    "filename": str(self.log_path),
                    "filters": ["context"],
                    "encoding": "utf8",
                }
            },
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }

    def write_config(self) -> None:
        """Write homeserver.yaml and log.config (JSON is valid YAML; no PyYAML needed here)."""
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(json.dumps(self._config(), indent=2) + "\n")
        (self.base_dir / "log.config").write_text(json.dumps(self._log_config(), indent=2) + "\n")

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
        self._admin = None
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

    # ----------------------------------------------------------------- HTTP
    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """Call the homeserver's HTTP API; raise HomeserverError with the JSON error on failure."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                err: Any = json.loads(raw)
            except ValueError:
                err = raw.decode(errors="replace")
            raise HomeserverError(
                f"{method} {path} -> HTTP {e.code}: {err}", status=e.code, body=err
            ) from None
        return json.loads(raw) if raw else {}

    def _request_retrying_429(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """Like `request`, but honour a few 429s (only relevant with `ratelimits=True`)."""
        for attempt in range(5):
            try:
                return self.request(method, path, body, token=token)
            except HomeserverError as e:
                if e.status != 429 or attempt == 4:
                    raise
                retry_ms = e.body.get("retry_after_ms", 1000) if isinstance(e.body, dict) else 1000
                time.sleep(min(retry_ms, 10_000) / 1000)
        raise AssertionError("unreachable")

    def register(self, username: str, password: str | None = None, admin: bool = False) -> Registered:
        """Create a user through the shared-secret admin API (no open registration needed).

        A random password is chosen when none is given.
        """
        password = password if password is not None else secrets.token_urlsafe(16)
        path = "/_synapse/admin/v1/register"
        nonce = self.request("GET", path)["nonce"]
        message = b"\x00".join(
            p.encode() for p in (nonce, username, password, "admin" if admin else "notadmin")
        )
        mac = hmac.new(self._secret.encode(), message, digestmod=hashlib.sha1)
        resp = self._request_retrying_429(
            "POST",
            path,
            {
                "nonce": nonce,
                "username": username,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            },
        )
        return Registered(
            user_id=resp["user_id"],
            access_token=resp["access_token"],
            device_id=resp["device_id"],
            password=password,
        )

    def admin(self) -> Registered:
        """A server admin user, registered on first use and cached for this run."""
        if self._admin is None:
            self._admin = self.register(f"admin-{secrets.token_hex(4)}", admin=True)
        return self._admin

    def override_ratelimit(self, user_id: str, admin_token: str | None = None) -> None:
        """Exempt `user_id` from every per-user rate limit, as an operator does for a bot.

        Uses `admin_token`, or this server's own cached admin. Not the per-IP login limit.
        """
        token = admin_token or self.admin().access_token
        quoted = urllib.parse.quote(user_id, safe="")
        self.request(
            "POST",
            f"/_synapse/admin/v1/users/{quoted}/override_ratelimit",
            {"messages_per_second": 0, "burst_count": 0},
            token=token,
        )


#: Homeservers still running, stopped at interpreter exit as a last resort.
_LIVE: set[Homeserver] = set()


@atexit.register
def _stop_all() -> None:
    for hs in list(_LIVE):
        with contextlib.suppress(Exception):
            hs.stop()
