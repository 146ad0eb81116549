"""The bot's cross-signing identity on the homeserver: create it once, sign each new device with it.

Start-up cost: once ``data_dir/cross-signing.json`` records that this device is signed by the
identity, a start makes no request at all for it. The full check (one ``/keys/query``, and an
upload only if something is missing) runs on the first start, on a new device (crypto-store loss,
a second instance) and when the recovery key is given back. A background check after start-up
notices an identity replaced by someone else and says so.

The private keys live in ``data_dir`` (0600) and in secret storage under a recovery key that the
bot keeps in a 0600 file (``data_dir/recovery-key.txt``, or ``matrix.recovery_key_file``) and shows
once on a terminal: with that key, an empty
``data_dir`` joins the same identity again. An account whose identity the bot does not hold is
never half-used: the bot says so and runs with an unsigned device until the operator gives the
recovery key or runs ``renewal-bot cross-signing reset``.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import aiohttp

from bot.config import Config
from bot.matrix.crosssigning import (
    DEFAULT_KEY_TYPE,
    SECRET_NAMES,
    Identity,
    RecoveryKeyError,
    SecretStorageError,
    check_key,
    decode_recovery_key,
    encode_recovery_key,
    fingerprint,
    identity_from_secrets,
    key_public,
    new_key_id,
    secret_storage_content,
    sign_json,
    verify_signature,
)

log = logging.getLogger(__name__)

IDENTITY_FILE = "cross-signing.json"
RECOVERY_FILE = "recovery-key.txt"


class CrossSigningError(Exception):
    """Something the operator must fix; the message says what and how."""


class HttpError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"HTTP {status}: {body.get('errcode', '')} {str(body.get('error', ''))[:200]}")
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Status:
    """What came of the start-up check; ``signed`` is False when the device is not cross-signed."""

    signed: bool
    master_key: str | None
    requests: int = 0
    created: bool = False
    reason: str = ""

    @property
    def fingerprint(self) -> str | None:
        return fingerprint(self.master_key) if self.master_key else None


# --- local files --------------------------------------------------------------------------------
def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


@dataclass
class LocalState:
    user_id: str
    identity: Identity
    #: Devices this identity has signed, as uploaded and seen on the server.
    signed_devices: list[str]

    def to_text(self) -> str:
        return json.dumps(
            {"user_id": self.user_id, **self.identity.to_json(), "master_public": self.identity.master.public,
             "signed_devices": self.signed_devices},
            indent=1,
        )


def load_local(data_dir: Path, user_id: str) -> LocalState | None:
    path = data_dir / IDENTITY_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise CrossSigningError(f"{path} is unreadable ({exc}); restore it, or give the recovery key") from None
    if raw.get("user_id") != user_id:
        raise CrossSigningError(f"{path} belongs to {raw.get('user_id')}, not to {user_id}; use another data_dir")
    try:
        identity = Identity.from_json(raw)
    except (KeyError, ValueError, TypeError) as exc:
        raise CrossSigningError(f"{path} is damaged ({exc}); restore it, or give the recovery key") from None
    signed = [d for d in raw.get("signed_devices", []) if isinstance(d, str)]
    return LocalState(user_id, identity, signed)


def save_local(data_dir: Path, state: LocalState) -> None:
    _write_private(data_dir / IDENTITY_FILE, state.to_text())


def configured_recovery_key(config: Config) -> bytes | None:
    try:
        text = config.matrix.resolved_recovery_key()
    except ValueError:
        key_file = config.matrix.recovery_key_file
        if key_file is not None and not key_file.exists():
            return None  # not made yet: the first start writes the new key there (keep_recovery_key)
        raise
    if not text:
        return None
    try:
        return decode_recovery_key(text)
    except RecoveryKeyError as exc:
        raise CrossSigningError(f"matrix.recovery_key: {exc}") from None


# --- HTTP ---------------------------------------------------------------------------------------
class Api:
    """The few client-server endpoints nio does not offer, on the bot's own access token."""

    def __init__(self, homeserver: str, access_token: str, user_id: str, device_id: str) -> None:
        self.base = homeserver.rstrip("/") + "/_matrix/client/v3"
        self.user_id = user_id
        self.device_id = device_id
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._session: aiohttp.ClientSession | None = None
        self.requests = 0

    async def __aenter__(self) -> Api:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        assert self._session is not None
        self.requests += 1
        async with self._session.request(method, self.base + path, json=body, headers=self._headers) as resp:
            try:
                data = await resp.json(content_type=None)
            except ValueError:
                data = {}
            if not isinstance(data, dict):
                data = {}
            if resp.status != 200:
                raise HttpError(resp.status, data)
            return data

    async def own_keys(self) -> dict[str, Any]:
        return await self.call("POST", "/keys/query", {"device_keys": {self.user_id: []}})

    async def account_data(self, event_type: str) -> dict[str, Any] | None:
        try:
            return await self.call("GET", f"/user/{quote(self.user_id)}/account_data/{quote(event_type)}")
        except HttpError as exc:
            if exc.status == 404:
                return None
            raise

    async def put_account_data(self, event_type: str, content: dict[str, Any]) -> None:
        await self.call("PUT", f"/user/{quote(self.user_id)}/account_data/{quote(event_type)}", content)

    async def upload_cross_signing(self, body: dict[str, Any], password: str | None) -> None:
        """Upload the public keys; user-interactive auth with the password only if asked (the
        first upload needs none, MSC3967; a replacement does)."""
        try:
            await self.call("POST", "/keys/device_signing/upload", body)
            return
        except HttpError as exc:
            if exc.status != 401 or "flows" not in exc.body:
                raise
            uia = exc.body
        stages = {s for flow in uia.get("flows", []) for s in flow.get("stages", [])}
        if "m.login.password" not in stages or not password:
            oauth = (uia.get("params") or {}).get("m.oauth") or (uia.get("params") or {}).get("org.matrix.cross_signing_reset")
            url = oauth.get("url") if isinstance(oauth, dict) else None
            if url:
                raise CrossSigningError(
                    f"the homeserver wants the reset approved in a browser: open {url}, approve it, then run "
                    "`renewal-bot cross-signing reset` again within 10 minutes"
                )
            raise CrossSigningError(
                "the homeserver asks for authentication to replace the cross-signing keys, and no password is "
                f"configured (it offers: {', '.join(sorted(stages)) or 'nothing'})"
            )
        auth = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": self.user_id},
            "password": password,
            "session": uia.get("session"),
        }
        await self.call("POST", "/keys/device_signing/upload", {**body, "auth": auth})

    async def upload_signatures(self, body: dict[str, Any]) -> None:
        data = await self.call("POST", "/keys/signatures/upload", body)
        if data.get("failures"):
            raise CrossSigningError(f"the homeserver refused a signature: {json.dumps(data['failures'])[:300]}")


# --- the procedure ------------------------------------------------------------------------------
async def _from_secret_storage(api: Api, key: bytes) -> Identity:
    default = await api.account_data(DEFAULT_KEY_TYPE)
    key_id = default.get("key") if default else None
    if not isinstance(key_id, str):
        raise CrossSigningError("the account has no secret storage (no default key): the recovery key cannot help")
    description = await api.account_data(f"m.secret_storage.key.{key_id}")
    if description is None or not check_key(key, description):
        raise CrossSigningError("the recovery key does not open this account's secret storage (wrong key?)")
    stored = {name: await api.account_data(name) for name in SECRET_NAMES.values()}
    try:
        return identity_from_secrets(key, key_id, stored)
    except SecretStorageError as exc:
        raise CrossSigningError(str(exc)) from None


async def _store_in_secret_storage(api: Api, identity: Identity, key: bytes) -> None:
    key_id = new_key_id()
    content = secret_storage_content(identity, key, key_id)
    # The key description first and the default pointer last: a crash in between leaves the
    # account's previous default intact.
    order = [t for t in content if t.startswith("m.secret_storage.key.")] + list(SECRET_NAMES.values()) + [DEFAULT_KEY_TYPE]
    for event_type in order:
        await api.put_account_data(event_type, content[event_type])


def keep_recovery_key(config: Config, text: str) -> tuple[Path, str]:
    """Write a new recovery key to its file, 0600: ``matrix.recovery_key_file`` when it is set
    and empty or missing (the bot reads it from there at its next start), else
    ``data_dir/recovery-key.txt``. Returns the path and a note for the operator (or "")."""
    note = ""
    configured = config.matrix.recovery_key_file
    if configured is not None:
        try:
            old: str | None = configured.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            old = ""
        except OSError:
            old = None
        if old == "":
            try:
                _write_private(configured, text + "\n")
                return configured, ""
            except OSError as exc:
                note = f"matrix.recovery_key_file ({configured}) could not be written ({exc.strerror}): copy the key there. "
        elif old != text:
            note = f"matrix.recovery_key_file ({configured}) holds another key and was left as it was: replace it with this one. "
    path = config.bot.data_dir / RECOVERY_FILE
    _write_private(path, text + "\n")
    return path, note


def announce_recovery_key(config: Config, key: bytes, user_id: str, *, out: TextIO | None = None) -> Path:
    """Keep the new recovery key in a 0600 file (:func:`keep_recovery_key`) and tell the operator
    where, never in the log. The key itself is shown only on a terminal: under systemd or in a
    container, stderr goes to a journal that many can read and that is kept for long."""
    out = out if out is not None else sys.stderr
    text = encode_recovery_key(key)
    path, note = keep_recovery_key(config, text)
    try:
        on_terminal = out.isatty()
    except (AttributeError, ValueError):
        on_terminal = False
    where = (
        f"It is in {path} (mode 0600), where the bot reads it (matrix.recovery_key_file).\n"
        if path == config.matrix.recovery_key_file else
        f"It is in {path} (mode 0600). Move it into a password manager now and delete that file:\n"
        "anyone who can read data_dir could take over the bot's identity with it.\n"
    )
    shown = (
        f"RECOVERY KEY (write it down; it is shown only this once):\n\n    {text}\n\n" if on_terminal else
        "Its RECOVERY KEY is not printed here (this output is not a terminal, so it may be kept in a log).\n"
    )
    banner = "=" * 72
    print(
        f"\n{banner}\nrenewal-bot: the cross-signing identity of {user_id} was created.\n{shown}{where}"
        f"{note + chr(10) if note else ''}"
        "Keep a copy in a password manager: with it, a bot that lost its data_dir keeps the same identity\n"
        f"(set matrix.recovery_key_file, or recovery_key_env, to a file or variable holding it).\n{banner}\n",
        file=out,
        flush=True,
    )
    return path


async def _sign_device(api: Api, identity: Identity, keys: dict[str, Any]) -> bool:
    """Sign this device with the self-signing key unless it already is; True if uploaded."""
    device = ((keys.get("device_keys") or {}).get(api.user_id) or {}).get(api.device_id)
    if not isinstance(device, dict):
        raise CrossSigningError(f"device {api.device_id} has no keys on the homeserver yet")
    if verify_signature(device, api.user_id, identity.self_signing.public):
        return False
    signed = sign_json(device, api.user_id, identity.self_signing)
    # Only our signature: the server merges it with those it already holds.
    signed["signatures"] = {api.user_id: {identity.self_signing.key_id: signed["signatures"][api.user_id][identity.self_signing.key_id]}}
    await api.upload_signatures({api.user_id: {api.device_id: signed}})
    return True


async def ensure_identity(config: Config, homeserver: str, access_token: str, user_id: str, device_id: str) -> Status:
    """Make sure this device is cross-signed by the bot's identity, creating it if need be."""
    data_dir = config.bot.data_dir
    t0 = time.perf_counter()
    local = load_local(data_dir, user_id)
    if local is not None and device_id in local.signed_devices:
        return Status(True, local.identity.master.public)
    async with Api(homeserver, access_token, user_id, device_id) as api:
        keys = await api.own_keys()
        remote_master = key_public((keys.get("master_keys") or {}).get(user_id))
        identity = local.identity if local else None
        recovery = configured_recovery_key(config)
        if recovery is not None and (identity is None or identity.master.public != remote_master) and remote_master:
            identity = await _from_secret_storage(api, recovery)
            log.info("cross-signing keys restored from secret storage with the recovery key")
        created = False
        if remote_master is None:
            if identity is None:
                identity = Identity.generate()
                created = True
            save_local(data_dir, LocalState(user_id, identity, []))
            await api.upload_cross_signing(identity.upload_body(user_id), config.matrix.resolved_password())
            if created or recovery is None:
                key = os.urandom(32)
                await _store_in_secret_storage(api, identity, key)
                announce_recovery_key(config, key, user_id)
            keys = await api.own_keys()
        elif identity is None or identity.master.public != remote_master:
            reason = (
                f"{user_id} already has a cross-signing identity (master key {fingerprint(remote_master)}) whose private "
                "keys this bot does not hold, so its device stays unsigned and Element users with 'exclude insecure "
                "devices' cannot talk to it. Fix: give the bot the account's recovery key (matrix.recovery_key_file or "
                "matrix.recovery_key_env) and restart, or replace the identity with `renewal-bot cross-signing reset "
                "--config ...` (needs the account password; users who verified the old identity must verify again)."
            )
            return Status(False, remote_master, api.requests, reason=reason)
        remote_ssk = key_public((keys.get("self_signing_keys") or {}).get(user_id))
        if remote_ssk != identity.self_signing.public:
            return Status(False, remote_master, api.requests, reason=(
                f"the self-signing key on the homeserver is not the one in {data_dir / IDENTITY_FILE}; "
                "run `renewal-bot cross-signing reset --config ...`"
            ))
        await _sign_device(api, identity, keys)
        state = local or LocalState(user_id, identity, [])
        state.identity = identity
        state.signed_devices = sorted({*state.signed_devices, device_id})
        save_local(data_dir, state)
        log.info("cross-signed device %s in %.0f ms (%d requests)", device_id, (time.perf_counter() - t0) * 1000, api.requests)
        return Status(True, identity.master.public, api.requests, created=created)


async def check_remote(config: Config, homeserver: str, access_token: str, user_id: str, device_id: str) -> str | None:
    """After start-up: is the identity on the server still ours? A message for the log if not."""
    local = load_local(config.bot.data_dir, user_id)
    if local is None:
        return None
    async with Api(homeserver, access_token, user_id, device_id) as api:
        keys = await api.own_keys()
    remote_master = key_public((keys.get("master_keys") or {}).get(user_id))
    if remote_master != local.identity.master.public:
        return (
            f"the cross-signing identity of {user_id} on the homeserver (master key "
            f"{fingerprint(remote_master) if remote_master else 'none'}) is no longer the bot's own; someone reset it. "
            "Give the new recovery key (matrix.recovery_key_file) or run `renewal-bot cross-signing reset`."
        )
    device = ((keys.get("device_keys") or {}).get(user_id) or {}).get(device_id)
    if not isinstance(device, dict) or not verify_signature(device, user_id, local.identity.self_signing.public):
        # Our record says signed, the server disagrees: forget the record; the next start re-signs.
        local.signed_devices = [d for d in local.signed_devices if d != device_id]
        save_local(config.bot.data_dir, local)
        return f"device {device_id} lost its cross-signing signature on the homeserver; it is signed again at the next start"
    return None


async def reset_identity(config: Config, homeserver: str, access_token: str, user_id: str, device_id: str) -> Status:
    """Replace the account's identity with a new one held by the bot (needs the password, or a
    browser approval on MAS servers); prints the new recovery key."""
    data_dir = config.bot.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    identity = Identity.generate()
    async with Api(homeserver, access_token, user_id, device_id) as api:
        await api.upload_cross_signing(identity.upload_body(user_id), config.matrix.resolved_password())
        save_local(data_dir, LocalState(user_id, identity, []))
        key = os.urandom(32)
        await _store_in_secret_storage(api, identity, key)
        announce_recovery_key(config, key, user_id)
        keys = await api.own_keys()
        try:
            await _sign_device(api, identity, keys)
            save_local(data_dir, LocalState(user_id, identity, [device_id]))
        except CrossSigningError as exc:
            log.warning("%s; the bot signs it at its next start", exc)
        return Status(True, identity.master.public, api.requests, created=True)


async def cross_signing_main(config: Config, command: str) -> int:
    """``renewal-bot cross-signing status|reset``: run while the bot is stopped (same device)."""
    from bot.matrix.session import LoginFailed, open_session

    try:
        client = await open_session(config)
    except LoginFailed as exc:
        print(f"renewal-bot: {exc}", file=sys.stderr)
        return 3
    try:
        if client.olm and client.should_upload_keys:
            await client.keys_upload()
        args = (config, client.homeserver, client.access_token, client.user_id, client.device_id)
        if command == "reset":
            status = await reset_identity(*args)
            print(f"new cross-signing identity for {client.user_id}: master key {status.fingerprint}")
            print(f"device {client.device_id} is signed by it; start the bot as usual")
            return 0
        status = await ensure_identity(*args)
        print(f"user:       {client.user_id}\ndevice:     {client.device_id}")
        print(f"master key: {status.fingerprint or 'none'}")
        print(f"device cross-signed: {'yes' if status.signed else 'NO'}")
        if status.reason:
            print(status.reason)
        return 0 if status.signed else 1
    except CrossSigningError as exc:
        print(f"renewal-bot: {exc}", file=sys.stderr)
        return 1
    except HttpError as exc:
        print(f"renewal-bot: the homeserver refused: {exc}", file=sys.stderr)
        return 1
    finally:
        await client.close()
