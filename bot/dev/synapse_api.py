"""The parts of a local Synapse's HTTP API the harness calls: registration through the shared
secret, a cached server admin, and rate-limit overrides. Standard library only (these calls
happen before any asyncio loop exists, e.g. in session fixtures)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


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


class AdminApi:
    """HTTP calls to one homeserver; ``base_url`` is read per call (the port is chosen at start)."""

    def __init__(self, base_url: Callable[[], str], secret: str) -> None:
        self._base_url = base_url
        self._secret = secret
        self._admin: Registered | None = None

    def forget_admin(self) -> None:
        """The server was stopped: its admin is gone with it."""
        self._admin = None

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
        req = urllib.request.Request(f"{self._base_url()}{path}", data=data, method=method)
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
