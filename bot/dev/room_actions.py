"""What a scripted user does with rooms: create them (DMs as Element makes them), invite, join,
leave, and wait for invites and memberships as its own sync shows them."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Sequence
from typing import Any

import nio

from bot.dev.seen import Seen
from bot.dev.watch import MatrixUserError, SyncWatch

MEGOLM = "m.megolm.v1.aes-sha2"


class RoomActions:
    """Room calls of one user; each one that changes our membership waits until our sync shows it."""

    def __init__(self, client: nio.AsyncClient, seen: Seen, watch: SyncWatch) -> None:
        self._client, self._seen, self._watch = client, seen, watch
        self._direct: dict[str, list[str]] = {}  # our m.direct account data

    @property
    def _me(self) -> str:
        return str(self._client.user_id)

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
        resp = await self._client.room_create(
            name=name,
            is_direct=is_direct,
            invite=list(invite),
            initial_state=initial_state,
            preset=preset,
        )
        if not isinstance(resp, nio.RoomCreateResponse):
            raise MatrixUserError(f"room_create by {self._me} failed: {resp}")
        room_id = str(resp.room_id)
        await self._watch.wait(
            lambda: self._synced_room(room_id, encrypted),
            timeout,
            f"waiting for created room {room_id} to sync",
        )
        return room_id

    def _synced_room(self, room_id: str, encrypted: bool = False) -> bool:
        room = self._client.rooms.get(room_id)
        return (
            room is not None
            and self._seen.membership(room_id, self._me) == "join"
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
        user = urllib.parse.quote(self._me, safe="")
        path = f"/_matrix/client/v3/user/{user}/account_data/{urllib.parse.quote(event_type)}"
        resp = await self._client.send(
            "PUT",
            path,
            json.dumps(content),
            headers={
                "Authorization": f"Bearer {self._client.access_token}",
                "Content-Type": "application/json",
            },
        )
        try:
            if resp.status != 200:
                raise MatrixUserError(f"PUT {event_type} account data: HTTP {resp.status}")
        finally:
            resp.release()

    async def invite(self, room_id: str, user_id: str) -> None:
        resp = await self._client.room_invite(room_id, user_id)
        if not isinstance(resp, nio.RoomInviteResponse):
            raise MatrixUserError(f"invite of {user_id} to {room_id} failed: {resp}")

    async def join(self, room_id: str, timeout: float = 30) -> None:
        """Join (e.g. accept an invite) and wait until our sync shows the room."""
        resp = await self._client.join(room_id)
        if not isinstance(resp, nio.JoinResponse):
            raise MatrixUserError(f"{self._me} could not join {room_id}: {resp}")
        await self._watch.wait(lambda: self._synced_room(room_id), timeout, f"joining {room_id}")

    async def leave(self, room_id: str) -> None:
        resp = await self._client.room_leave(room_id)
        if not isinstance(resp, nio.RoomLeaveResponse):
            raise MatrixUserError(f"{self._me} could not leave {room_id}: {resp}")

    async def wait_for_invite(
        self, *, inviter: str | None = None, room_id: str | None = None, timeout: float = 30
    ) -> str:
        """Wait for a pending invite (optionally from `inviter` / to `room_id`); return room_id."""

        def check() -> str | None:
            return self._seen.invite(inviter=inviter, room_id=room_id)

        return str(await self._watch.wait(check, timeout, f"waiting for an invite from {inviter}"))

    def membership(self, room_id: str, user_id: str | None = None) -> str | None:
        """Last membership ("join", "invite", "leave", ...) of `user_id` we synced, else None."""
        return self._seen.membership(room_id, user_id or self._me)

    async def wait_for_membership(
        self, room_id: str, user_id: str, membership: str, timeout: float = 30
    ) -> None:
        await self._watch.wait(
            lambda: self.membership(room_id, user_id) == membership,
            timeout,
            f"waiting for {user_id} to {membership} {room_id} "
            f"(now: {self.membership(room_id, user_id)})",
        )

    async def wait_for_join(self, room_id: str, user_id: str, timeout: float = 30) -> None:
        """Wait until `user_id` has joined `room_id`, as seen by our sync."""
        await self.wait_for_membership(room_id, user_id, "join", timeout)
