"""A scripted human Matrix user on a real homeserver, for integration tests and the demo.

It wraps a real matrix-nio `AsyncClient` (optionally with E2EE) and runs its own sync loop, so a
test talks to the bot exactly as Element would: invites, DMs, plain and encrypted messages,
replies. Every room message it sees (decrypted ones too) is kept in order (:mod:`bot.dev.seen`),
and callers wait for the next one that matches, woken by the sync loop (no polling).

The jobs are split: :mod:`bot.dev.sync` (the sync loop), :mod:`bot.dev.watch` (waiting for what it
shows), :mod:`bot.dev.room_actions` (rooms and memberships), :mod:`bot.dev.conversation` (sending
and reading messages). :class:`MatrixUser` logs in, wires them together and closes them; it offers
their methods under its own name, so a test writes ``alice.send_text(...)``.

It lives in the package (not only under tests/) because `bot.dev.demo` drives the same client;
`tests/integration/matrix_user.py` re-exports it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Protocol

import nio

from bot.dev.conversation import Conversation
from bot.dev.room_actions import RoomActions
from bot.dev.seen import ReceivedMessage, Seen, bodies
from bot.dev.sync import SyncLoop
from bot.dev.watch import MatrixUserError, SyncWatch

__all__ = ["MatrixUser", "MatrixUserError", "ReceivedMessage", "Credentials", "bodies"]


class Credentials(Protocol):
    """What `connect` needs; `bot.dev.server.Registered` fits."""

    @property
    def user_id(self) -> str: ...
    @property
    def access_token(self) -> str: ...
    @property
    def device_id(self) -> str: ...


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
        self._store_dir = store_dir
        self._own_store_dir = own_store_dir
        self.seen = Seen(str(client.user_id), client.decrypt_event)
        self.watch = SyncWatch(str(client.user_id))
        self._sync = SyncLoop(client, self.seen, self.watch, timeout_ms=sync_timeout_ms, encryption=encryption)
        self.rooms = RoomActions(client, self.seen, self.watch)
        self.chat = Conversation(client, self.seen, self.watch)
        # The parts' methods under the user's own name: ``alice.join(room)``, ``alice.send_text(...)``.
        self.create_room = self.rooms.create_room
        self.create_dm = self.rooms.create_dm
        self.invite = self.rooms.invite
        self.join = self.rooms.join
        self.leave = self.rooms.leave
        self.wait_for_invite = self.rooms.wait_for_invite
        self.membership = self.rooms.membership
        self.wait_for_membership = self.rooms.wait_for_membership
        self.wait_for_join = self.rooms.wait_for_join
        self.send = self.chat.send
        self.send_text = self.chat.send_text
        self.messages = self.chat.messages
        self.mark = self.chat.mark
        self.wait_for_message = self.chat.wait_for_message
        self.wait_for_reply = self.chat.wait_for_reply
        self.wait_for_messages = self.chat.wait_for_messages

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
        self._sync.start()
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
        if self.watch.closed:
            return
        self.watch.closed = True
        await self._sync.stop()
        await self.client.close()
        if self._own_store_dir and self._store_dir is not None:
            shutil.rmtree(self._store_dir, ignore_errors=True)
