"""Logging in once and keeping the same device for life.

Every password login makes a new device, and Synapse locks an IP out after 5 logins; a new device
also breaks exactly-once (transaction IDs are per device) and end-to-end encryption. So the bot
logs in the first time only and keeps its access token and device ID in ``data_dir``.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, LoginResponse, WhoamiResponse

from bot.config import Config

log = logging.getLogger(__name__)

SESSION_FILE = "session.json"
CRYPTO_DIR = "crypto"


class LoginFailed(Exception):
    """The homeserver refused our credentials; worded for the operator."""


class HomeserverUnreachable(LoginFailed):
    """The login could not even be tried: no answer from the homeserver (down, still starting, DNS
    not up yet at boot). Not a refusal: ``run`` waits and tries again; one-shot commands stop."""


@dataclass(frozen=True)
class Session:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str


def _session_path(data_dir: Path) -> Path:
    return data_dir / SESSION_FILE


def load_session(data_dir: Path) -> Session | None:
    try:
        raw = json.loads(_session_path(data_dir).read_text(encoding="utf-8"))
        return Session(raw["homeserver"], raw["user_id"], raw["device_id"], raw["access_token"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LoginFailed(f"{_session_path(data_dir)} is unreadable ({exc}); move it away to log in again") from None


def save_session(data_dir: Path, session: Session) -> None:
    path = _session_path(data_dir)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(session.__dict__, fh)
    os.replace(tmp, path)


def crypto_store_path(config: Config, session: Session) -> Path:
    """Where matrix-nio keeps the device's encryption keys (one SQLite file per device)."""
    return config.bot.data_dir / CRYPTO_DIR / f"{session.user_id}_{session.device_id}.db"


async def _crypto_store_lost(config: Config, session: Session) -> tuple[Session | None, bool]:
    """The device's keys are gone: its identity on the server no longer matches anything we hold.

    With a password, log in as a new device so encrypted rooms work again; without one, carry on
    unencrypted and tell the operator what to do. Our own database (sync position, handled
    events) is untouched, so no old command is answered again either way.
    """
    path = crypto_store_path(config, session)
    if config.matrix.resolved_password():
        log.error(
            "the crypto store of device %s is missing (%s): its keys are lost. Logging in again as a "
            "new device so that encrypted rooms keep working. Remove the old device %s from the bot's "
            "sessions in any Matrix client. Pings sent in the last seconds before the loss could be "
            "sent twice, once.",
            session.device_id, path, session.device_id,
        )
        return None, True
    log.error(
        "the crypto store of device %s is missing (%s): its keys are lost, and no password is "
        "configured to log in as a new device. Running WITHOUT end-to-end encryption: encrypted rooms "
        "will not work. To fix: stop the bot, move %s away, set matrix.password (or a fresh "
        "access_token) and start it again.",
        session.device_id, path, config.bot.data_dir / SESSION_FILE,
    )
    return session, False


def make_client(config: Config, session_device: str | None = None, *, encryption: bool | None = None) -> AsyncClient:
    data_dir = config.bot.data_dir
    crypto = data_dir / CRYPTO_DIR
    crypto.mkdir(parents=True, exist_ok=True)
    client_config = AsyncClientConfig(
        encryption_enabled=config.matrix.encryption if encryption is None else encryption,
        store_sync_tokens=False,  # the sync position lives in our own database
        max_limit_exceeded=0,  # we honour 429 ourselves, without blocking other work
        max_timeouts=0,  # and retry connection failures ourselves, with backoff
        request_timeout=60,
    )
    return AsyncClient(
        config.matrix.homeserver,
        config.matrix.user_id,
        device_id=session_device or "",
        store_path=str(crypto),
        config=client_config,
    )


async def open_session(config: Config) -> AsyncClient:
    """A logged-in client on the bot's one device, logging in with the password only the first time."""
    data_dir = config.bot.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    session = load_session(data_dir)
    if session is not None and (
        session.user_id != config.matrix.user_id or session.homeserver != config.matrix.homeserver
    ):
        raise LoginFailed(
            f"{_session_path(data_dir)} belongs to {session.user_id} on {session.homeserver}, "
            f"not to matrix.user_id {config.matrix.user_id}; use another data_dir"
        )
    encryption = config.matrix.encryption
    if session is not None and encryption and not crypto_store_path(config, session).exists():
        session, encryption = await _crypto_store_lost(config, session)
    if session is None:
        session = await _first_login(config)
        save_session(data_dir, session)
        log.info("logged in as %s, device %s (kept in %s)", session.user_id, session.device_id, data_dir)
    else:
        log.info("reusing device %s of %s", session.device_id, session.user_id)
    client = make_client(config, session.device_id, encryption=encryption)
    client.restore_login(session.user_id, session.device_id, session.access_token)
    return client


async def _first_login(config: Config, *, device_id: str | None = None, password_only: bool = False) -> Session:
    """The one login of the bot's life: the configured token (checked with ``whoami``), or the
    password, asking for ``device_id`` (configured, or the stored one on a re-login) so that no
    new device is made where an old one can be reused (MAS servers may not let us delete it)."""
    m = config.matrix
    token = None if password_only else m.resolved_access_token()
    # nio's login() asks for the client's device; the probe holds no keys (the real client opens the store).
    probe = make_client(config, device_id or m.device_id, encryption=False)
    try:
        if token:
            probe.access_token = token
            try:
                who = await probe.whoami()
            except Exception as exc:
                if isinstance(exc, (OSError, asyncio.TimeoutError)) or type(exc).__module__.startswith("aiohttp"):
                    raise HomeserverUnreachable(f"cannot reach {m.homeserver}: {exc}") from None
                raise
            if not isinstance(who, WhoamiResponse) or not who.device_id:
                raise LoginFailed(f"the access token was refused by {m.homeserver}: {getattr(who, 'message', who)}")
            if who.user_id != m.user_id:
                raise LoginFailed(f"the access token belongs to {who.user_id}, not to {m.user_id}")
            if m.device_id and who.device_id != m.device_id:
                raise LoginFailed(
                    f"the access token belongs to device {who.device_id}, not to matrix.device_id {m.device_id}"
                )
            return Session(m.homeserver, who.user_id, who.device_id, token)
        try:
            resp = await probe.login(password=m.resolved_password(), device_name=m.device_name)
        except (TimeoutError, OSError) as exc:
            raise HomeserverUnreachable(f"cannot reach {m.homeserver} to log in: {exc}") from None
        except Exception as exc:  # aiohttp's connection errors
            if type(exc).__module__.startswith("aiohttp"):
                raise HomeserverUnreachable(f"cannot reach {m.homeserver} to log in: {exc}") from None
            raise
        if not isinstance(resp, LoginResponse):
            raise LoginFailed(f"login to {m.homeserver} as {m.user_id} failed: {getattr(resp, 'message', resp)}")
        return Session(m.homeserver, resp.user_id, resp.device_id, resp.access_token)
    finally:
        await probe.close()


async def relogin(config: Config, client: AsyncClient) -> bool:
    """The homeserver dropped our token: log in again with the password **on the same device**
    (its keys and crypto store stay valid), and keep the new token. False without a password."""
    if not config.matrix.resolved_password() or not client.device_id:
        return False
    session = await _first_login(config, device_id=client.device_id, password_only=True)
    if session.device_id != client.device_id:
        raise LoginFailed(f"the homeserver gave a new device {session.device_id} instead of {client.device_id}")
    save_session(config.bot.data_dir, session)
    client.access_token = session.access_token
    log.warning("logged in again with the password on the same device %s", session.device_id)
    return True
