"""A scripted human Matrix user on a real homeserver, for integration tests and the demo.

It wraps a real matrix-nio `AsyncClient` (optionally with E2EE) and runs its own sync loop, so a
test talks to the bot exactly as Element would: invites, DMs, plain and encrypted messages,
replies. Every room message it sees (decrypted ones too) is kept in order (:mod:`bot.dev.seen`),
and callers wait for the next one that matches, woken by the sync loop (no polling).

It lives in the package (not only under tests/) because `bot.dev.demo` drives the same client;
`tests/integration/matrix_user.py` re-exports it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shutil
import tempfile
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import nio

from bot.dev.seen import Predicate, ReceivedMessage, Seen, bodies

__all__ = ["MatrixUser", "MatrixUserError", "ReceivedMessage", "Credentials", "bodies"]

log = logging.getLogger(__name__)

MEGOLM = "m.megolm.v1.aes-sha2"


class Credentials(Protocol):
    """What `connect` needs; `bot.dev.server.Registered` fits."""

    @property
    def user_id(self) -> str: ...
    @property
    def access_token(self) -> str: ...
    @property
    def device_id(self) -> str: ...


class MatrixUserError(RuntimeError):
    """A Matrix call failed (the nio error response is in the message), or the sync loop died."""




class MatrixUser:
    """A logged-in Matrix user with a background sync loop. Create it with `connect()`."""

    def __init__(
        self,
        client: nio.AsyncClient,
        *,
        encryption: bool,
        sync_timeout_ms: int,
        store_dir: Path | None,
        own_store_dir: bool,
    ) -> None:
        self.client = client
        self.encryption = encryption
        self._sync_timeout_ms = sync_timeout_ms
        self._store_dir = store_dir
        self._own_store_dir = own_store_dir
        self._changed = asyncio.Condition()
        self.seen = Seen(str(client.user_id), client.decrypt_event)
        self._cursor: dict[str, int] = {}
        self._direct: dict[str, list[str]] = {}
        self._error: BaseException | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    # ------------------------------------------------------------------ setup
    @classmethod
    async def connect(
        cls,
        homeserver_url: str,
        registered: Credentials,
        *,
        encryption: bool = False,
        store_dir: Path | str | None = None,
        max_limit_exceeded: int | None = 2,
        max_timeouts: int | None = 2,
        sync_timeout_ms: int = 30_000,
    ) -> MatrixUser:
        """Restore the registered device (no password login: keeps the per-IP login limit free),
        do a first full-state sync, upload E2EE keys if needed, then start the sync loop.

        `max_limit_exceeded`/`max_timeouts` bound nio's retries: by default nio retries a 429
        forever, which turns a rate-limit bug into a hung test instead of a failure.
        """
        own = False
        path: Path | None = None
        if encryption:
            if store_dir is None:
                path = Path(tempfile.mkdtemp(prefix="nio-store-"))
                own = True
            else:
                path = Path(store_dir)
                path.mkdir(parents=True, exist_ok=True)
        config = nio.AsyncClientConfig(
            encryption_enabled=encryption,
            store_sync_tokens=encryption,
            max_limit_exceeded=max_limit_exceeded,
            max_timeouts=max_timeouts,
            request_timeout=30,
        )
        client = nio.AsyncClient(
            homeserver_url,
            registered.user_id,
            device_id=registered.device_id,
            store_path=str(path) if path else "",
            config=config,
        )
        client.restore_login(registered.user_id, registered.device_id, registered.access_token)
        self = cls(
            client,
            encryption=encryption,
            sync_timeout_ms=sync_timeout_ms,
            store_dir=path,
            own_store_dir=own,
        )
        try:
            resp = await client.sync(timeout=0, full_state=True)
            if not isinstance(resp, nio.SyncResponse):
                raise MatrixUserError(f"first sync failed for {registered.user_id}: {resp}")
            self.seen.process(resp)
            if encryption and client.should_upload_keys:
                up = await client.keys_upload()
                if not isinstance(up, nio.KeysUploadResponse):
                    raise MatrixUserError(f"keys_upload failed: {up}")
        except BaseException:
            await self.close()
            raise
        self._task = asyncio.create_task(self._sync_loop(), name=f"sync {registered.user_id}")
        return self

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    @property
    def device_id(self) -> str:
        return str(self.client.device_id)

    async def __aenter__(self) -> MatrixUser:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop the sync loop and the HTTP session; remove a store dir we created."""
        if self._closed:
            return
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self.client.close()
        if self._own_store_dir and self._store_dir is not None:
            shutil.rmtree(self._store_dir, ignore_errors=True)

    # ------------------------------------------------------------------ sync
    async def _sync_loop(self) -> None:
        """Long-poll sync; after each response do what nio's sync_forever does for E2EE."""
        failures = 0
        try:
            while True:
                resp = await self.client.sync(timeout=self._sync_timeout_ms)
                if not isinstance(resp, nio.SyncResponse):
                    failures += 1
                    if failures >= 3:
                        raise MatrixUserError(f"sync failed for {self.user_id}: {resp}")
                    await asyncio.sleep(0.5)
                    continue
                failures = 0
                self.seen.process(resp)
                async with self._changed:
                    self._changed.notify_all()
                if self.encryption:
                    await self._crypto_housekeeping()
        except asyncio.CancelledError:
            raise
        except BaseException as e:  # surface in every waiter instead of hanging them
            log.exception("sync loop of %s died", self.user_id)
            self._error = e
            async with self._changed:
                self._changed.notify_all()

    async def _crypto_housekeeping(self) -> None:
        c = self.client
        if c.outgoing_to_device_messages:
            await c.send_to_device_messages()
        if c.should_upload_keys:
            await c.keys_upload()
        if c.should_query_keys:
            await c.keys_query()
        if c.should_claim_keys:
            await c.keys_claim(c.get_users_for_key_claiming())

    async def _wait(self, check: Callable[[], Any], timeout: float, what: str) -> Any:
        """Wait until `check()` returns something truthy, re-checking after every sync."""

        def ready() -> Any:
            if self._error is not None:
                raise MatrixUserError(f"sync loop of {self.user_id} died: {self._error!r}")
            if self._closed:
                raise MatrixUserError(f"{self.user_id} is closed")
            return check()

        async with self._changed:
            try:
                return await asyncio.wait_for(self._changed.wait_for(ready), timeout)
            except TimeoutError:
                raise TimeoutError(f"{self.user_id}: timed out after {timeout:g} s {what}") from None

    # ------------------------------------------------------------------ rooms
    async def create_room(
        self,
        invite: Sequence[str] = (),
        encrypted: bool = False,
        *,
        is_direct: bool = False,
        name: str | None = None,
        preset: nio.RoomPreset | None = None,
        timeout: float = 30,
    ) -> str:
        """Create a private room and wait until our own sync shows us in it.

        Waiting matters: nio's `room_send` needs the room synced (and, if encrypted, known as
        encrypted) or it raises / sends in the clear.
        """
        initial_state = (
            [{"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}]
            if encrypted
            else []
        )
        resp = await self.client.room_create(
            name=name,
            is_direct=is_direct,
            invite=list(invite),
            initial_state=initial_state,
            preset=preset,
        )
        if not isinstance(resp, nio.RoomCreateResponse):
            raise MatrixUserError(f"room_create by {self.user_id} failed: {resp}")
        room_id = str(resp.room_id)
        await self._wait(
            lambda: self._synced_room(room_id, encrypted),
            timeout,
            f"waiting for created room {room_id} to sync",
        )
        return room_id

    def _synced_room(self, room_id: str, encrypted: bool = False) -> bool:
        room = self.client.rooms.get(room_id)
        return (
            room is not None
            and self.seen.membership(room_id, self.user_id) == "join"
            and (not encrypted or room.encrypted)
        )

    async def create_dm(self, bot_user_id: str, encrypted: bool = False, timeout: float = 30) -> str:
        """Open a direct chat with `bot_user_id` as Element does: `is_direct` invite,
        trusted_private_chat preset, and the room recorded in our `m.direct` account data."""
        room_id = await self.create_room(
            [bot_user_id],
            encrypted,
            is_direct=True,
            preset=nio.RoomPreset.trusted_private_chat,
            timeout=timeout,
        )
        self._direct.setdefault(bot_user_id, []).append(room_id)
        await self._put_account_data("m.direct", self._direct)
        return room_id

    async def _put_account_data(self, event_type: str, content: dict[str, Any]) -> None:
        user = urllib.parse.quote(self.user_id, safe="")
        path = f"/_matrix/client/v3/user/{user}/account_data/{urllib.parse.quote(event_type)}"
        resp = await self.client.send(
            "PUT",
            path,
            json.dumps(content),
            headers={
                "Authorization": f"Bearer {self.client.access_token}",
                "Content-Type": "application/json",
            },
        )
        try:
            if resp.status != 200:
                raise MatrixUserError(f"PUT {event_type} account data: HTTP {resp.status}")
        finally:
            resp.release()

    async def invite(self, room_id: str, user_id: str) -> None:
        resp = await self.client.room_invite(room_id, user_id)
        if not isinstance(resp, nio.RoomInviteResponse):
            raise MatrixUserError(f"invite of {user_id} to {room_id} failed: {resp}")

    async def join(self, room_id: str, timeout: float = 30) -> None:
        """Join (e.g. accept an invite) and wait until our sync shows the room."""
        resp = await self.client.join(room_id)
        if not isinstance(resp, nio.JoinResponse):
            raise MatrixUserError(f"{self.user_id} could not join {room_id}: {resp}")
        await self._wait(lambda: self._synced_room(room_id), timeout, f"joining {room_id}")

    async def leave(self, room_id: str) -> None:
        resp = await self.client.room_leave(room_id)
        if not isinstance(resp, nio.RoomLeaveResponse):
            raise MatrixUserError(f"{self.user_id} could not leave {room_id}: {resp}")

    async def wait_for_invite(
        self, *, inviter: str | None = None, room_id: str | None = None, timeout: float = 30
    ) -> str:
        """Wait for a pending invite (optionally from `inviter` / to `room_id`); return room_id."""

        def check() -> str | None:
            return self.seen.invite(inviter=inviter, room_id=room_id)

        return str(await self._wait(check, timeout, f"waiting for an invite from {inviter}"))

    def membership(self, room_id: str, user_id: str | None = None) -> str | None:
        """Last membership ("join", "invite", "leave", ...) of `user_id` we synced, else None."""
        return self.seen.membership(room_id, user_id or self.user_id)

    async def wait_for_membership(
        self, room_id: str, user_id: str, membership: str, timeout: float = 30
    ) -> None:
        await self._wait(
            lambda: self.membership(room_id, user_id) == membership,
            timeout,
            f"waiting for {user_id} to {membership} {room_id} "
            f"(now: {self.membership(room_id, user_id)})",
        )

    async def wait_for_join(self, room_id: str, user_id: str, timeout: float = 30) -> None:
        """Wait until `user_id` has joined `room_id`, as seen by our sync."""
        await self.wait_for_membership(room_id, user_id, "join", timeout)

    # ------------------------------------------------------------------ messages
    async def send(
        self,
        room_id: str,
        content: dict[str, Any],
        *,
        event_type: str = "m.room.message",
        tx_id: str | None = None,
    ) -> str:
        """Send any event content (encrypted if the room is); return its event_id.

        `ignore_unverified_devices=True`: without it nio refuses to encrypt to unverified devices
        (OlmUnverifiedDeviceError), and test users never verify.
        """
        resp = await self.client.room_send(
            room_id, event_type, content, tx_id=tx_id, ignore_unverified_devices=True
        )
        if not isinstance(resp, nio.RoomSendResponse):
            raise MatrixUserError(f"{self.user_id} could not send to {room_id}: {resp}")
        return str(resp.event_id)

    async def send_text(
        self,
        room_id: str,
        body: str,
        *,
        msgtype: str = "m.text",
        reply_to: str | None = None,
    ) -> str:
        """Send a plain text message (optionally as a Matrix reply); return its event_id."""
        content: dict[str, Any] = {"msgtype": msgtype, "body": body}
        if reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        return await self.send(room_id, content)

    def messages(self, room_id: str) -> list[ReceivedMessage]:
        """Every room message received so far in `room_id`, ours included, in arrival order."""
        return list(self.seen.messages.get(room_id, ()))

    def mark(self, room_id: str) -> int:
        """A point to pass as `since=`: only messages received after now will match."""
        return len(self.seen.messages.get(room_id, ()))

    async def wait_for_message(
        self,
        room_id: str,
        *,
        sender: str | None = None,
        predicate: Predicate | None = None,
        timeout: float = 30,
        msgtype: str | None = None,
        since: int | None = None,
        in_reply_to: str | None = None,
    ) -> ReceivedMessage:
        """Return the next received message in `room_id` that matches.

        `sender=None` means anyone but us. The search starts at `since` (an index from `mark()`),
        or else just after the message the previous `wait_for_message` on this room returned,
        so successive calls walk forward through the conversation.
        """
        start = self._cursor.get(room_id, 0) if since is None else since
        me = self.user_id

        def matches(m: ReceivedMessage) -> bool:
            if sender is None and m.sender == me:
                return False
            if sender is not None and m.sender != sender:
                return False
            if msgtype is not None and m.msgtype != msgtype:
                return False
            if in_reply_to is not None and m.in_reply_to != in_reply_to:
                return False
            return predicate is None or bool(predicate(m))

        def check() -> ReceivedMessage | None:
            return self.seen.first(room_id, start, matches)

        try:
            found: ReceivedMessage = await self._wait(check, timeout, "waiting for a message")
        except TimeoutError as e:
            recent = "\n".join(
                f"  [{m.index}] {m.sender} {m.msgtype}: {m.body!r} (reply to {m.in_reply_to})"
                for m in self.seen.messages.get(room_id, ())[-10:]
            )
            raise TimeoutError(
                f"{e} in {room_id} (sender={sender}, msgtype={msgtype}, since={start}, "
                f"in_reply_to={in_reply_to}); last messages:\n{recent or '  (none)'}"
            ) from None
        self._cursor[room_id] = max(self._cursor.get(room_id, 0), found.index + 1)
        return found

    async def wait_for_reply(
        self, room_id: str, event_id: str, *, sender: str | None = None, timeout: float = 30
    ) -> ReceivedMessage:
        """The first message that is a Matrix reply to `event_id` (anywhere in the history)."""
        return await self.wait_for_message(
            room_id, sender=sender, in_reply_to=event_id, since=0, timeout=timeout
        )

    async def wait_for_messages(
        self,
        room_id: str,
        count: int,
        *,
        sender: str | None = None,
        timeout: float = 30,
        since: int | None = None,
    ) -> list[ReceivedMessage]:
        """The next `count` messages (from `sender`, default anyone but us), in order."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        out: list[ReceivedMessage] = []
        for i in range(count):
            remaining = max(0.0, deadline - loop.time())
            out.append(
                await self.wait_for_message(
                    room_id,
                    sender=sender,
                    timeout=remaining,
                    since=since if i == 0 else out[-1].index + 1,
                )
            )
        return out
