"""The bot's membership of its rooms: invites, joins, leaving (its own and the last person's) and
upgrades. What a room is (DM or group, members, who manages it) is :mod:`bot.matrix.room_facts`;
where a person's own pings go, :mod:`bot.matrix.private_rooms`.

Decisions and storage go through the service (:mod:`bot.service.rooms`); this module only reads
Matrix and calls the homeserver (join, leave).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nio import (
    AsyncClient,
    InviteMemberEvent,
    JoinError,
    RoomMemberEvent,
)

from bot.config import Config
from bot.matrix.access import allowed
from bot.matrix.background import Background
from bot.matrix.room_facts import RoomFacts
from bot.service import Service
from bot.store.base import Store

log = logging.getLogger(__name__)

class RoomTracker:
    """Follows the bot's own membership (and the last person leaving) as the sync reports it."""

    def __init__(
        self, client: AsyncClient, store: Store, service: Service, config: Config, facts: RoomFacts, *,
        clock: Callable[[], datetime], background: Background,
    ) -> None:
        self.client = client
        self.store = store
        self.service = service
        self.config = config
        self.facts = facts
        self.clock = clock
        self.background = background

    # --- joining and leaving ------------------------------------------------------------------
    async def on_invite(self, room_id: str, events: list[Any]) -> None:
        me = self.client.user_id
        for ev in events:
            if not isinstance(ev, InviteMemberEvent) or ev.state_key != me or ev.membership != "invite":
                continue
            if not allowed(ev.sender, self.config.allowed_patterns):
                log.info("ignoring invite to %s from %s (not in allowed_users)", room_id, ev.sender)
                return
            direct = ev.content.get("is_direct") is True
            await self.join(room_id, reason=f"invite from {ev.sender}", is_direct=direct)
            return

    async def join(self, room_id: str, *, reason: str, is_direct: bool | None = None) -> bool:
        me = self.client.user_id
        resp = await self.client.join(room_id)
        if isinstance(resp, JoinError):
            log.warning("could not join %s: %s", room_id, resp.message)
            return False
        async with self.store.tx() as tx:
            is_direct, moved_from = await self.service.rooms.joined(tx, room_id, self.clock(), is_direct=is_direct)
            if moved_from and is_direct:
                people = (self.facts.joined_members(moved_from) | self.facts.joined_members(room_id)) - {me}
                await self.service.rooms.dm_upgraded(tx, moved_from, room_id, people, self.clock())
        if is_direct is not None:
            self.facts.remember_direct(room_id, is_direct)
        if moved_from:
            self.background.call(self.client.room_leave(moved_from))
        log.info("joined %s (%s)", room_id, reason)
        return True

    async def joined_at(self, room_id: str) -> int:
        """When the bot joined (ms): events before it are not for the bot."""
        async with self.store.read() as tx:
            joined_at = await tx.room_joined_at(room_id)
            if not self.facts.knows_direct(room_id):
                direct = await tx.room_is_direct(room_id)
                if direct is not None:
                    self.facts.remember_direct(room_id, direct)
        if joined_at is None:
            # A room we were in before this database existed: nothing in it so far is for us.
            joined_at = int(self.clock().timestamp() * 1000)
            async with self.store.tx() as tx:
                await tx.room_joined(room_id, joined_at)
        return joined_at

    async def left(self, room_id: str) -> None:
        """The sync says the bot is no longer in ``room_id``."""
        async with self.store.tx() as tx:
            if not await tx.room_is_left(room_id):
                await self.service.rooms.left(tx, room_id, self.clock())
                log.info("no longer in %s; its data is kept %d days", room_id, self.config.rooms.retention_days)

    async def on_member(self, room_id: str, ev: RoomMemberEvent) -> None:
        me = self.client.user_id
        if ev.state_key == me:
            if ev.membership in ("leave", "ban") and ev.sender != me:
                async with self.store.tx() as tx:
                    await self.service.rooms.left(tx, room_id, self.clock())
                log.info("removed from %s by %s; its data is kept %d days", room_id, ev.sender,
                         self.config.rooms.retention_days)
            return
        if ev.membership not in ("leave", "ban"):
            return
        if self.facts.joined_members(room_id) - {me}:
            return
        log.info("the last person left %s; leaving too (data kept %d days)", room_id, self.config.rooms.retention_days)
        await self.client.room_leave(room_id)
        async with self.store.tx() as tx:
            await self.service.rooms.left(tx, room_id, self.clock())

    async def on_tombstone(self, room_id: str, ev: Any) -> None:
        """The room was upgraded: follow it, and move its lines to the new room."""
        new_room = ev.source.get("content", {}).get("replacement_room")
        if not isinstance(new_room, str) or not new_room.startswith("!"):
            return
        async with self.store.tx() as tx:
            await self.service.rooms.upgrade_started(tx, room_id, new_room)
        if not await self.join(new_room, reason=f"upgrade of {room_id}"):
            log.info("waiting for an invite to %s, the upgrade of %s", new_room, room_id)
