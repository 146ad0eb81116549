"""What the bot knows about its rooms from Matrix: invites, joins, membership, upgrades, DM or
group, creators and power levels (turned into a :class:`Context` for the service).

Decisions and storage go through the service (:mod:`bot.service.rooms`); this module only reads
Matrix and calls the homeserver (join, leave). Its caches are bounded.
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
    RoomCreateEvent,
    RoomCreateResponse,
    RoomGetStateResponse,
    RoomMemberEvent,
    RoomPreset,
)
from nio.rooms import MatrixRoom

from bot.config import Config
from bot.core.limits import Bounded
from bot.core.permissions import can_manage
from bot.matrix.access import allowed
from bot.matrix.background import Background
from bot.service import Context, Service
from bot.store.base import Store

log = logging.getLogger(__name__)

#: Rooms whose DM flag and creators are kept in memory (the rest are read again when needed).
ROOM_CACHE = 10_000


class RoomTracker:
    def __init__(
        self, client: AsyncClient, store: Store, service: Service, config: Config, *,
        clock: Callable[[], datetime], background: Background,
    ) -> None:
        self.client = client
        self.store = store
        self.service = service
        self.config = config
        self.clock = clock
        self.background = background
        self._creators: Bounded[str, frozenset[str]] = Bounded(ROOM_CACHE)
        self._direct: Bounded[str, bool] = Bounded(ROOM_CACHE)
        self._opened: Bounded[str, str] = Bounded(ROOM_CACHE)  # user -> the DM we opened for them

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
        resp = await self.client.join(room_id)
        if isinstance(resp, JoinError):
            log.warning("could not join %s: %s", room_id, resp.message)
            return False
        async with self.store.tx() as tx:
            is_direct, moved_from = await self.service.rooms.joined(tx, room_id, self.clock(), is_direct=is_direct)
        if is_direct is not None:
            self._direct[room_id] = is_direct
        if moved_from:
            self.background.call(self.client.room_leave(moved_from))
        log.info("joined %s (%s)", room_id, reason)
        return True

    async def joined_at(self, room_id: str) -> int:
        """When the bot joined (ms): events before it are not for the bot."""
        async with self.store.read() as tx:
            joined_at = await tx.room_joined_at(room_id)
            if room_id not in self._direct:
                direct = await tx.room_is_direct(room_id)
                if direct is not None:
                    self._direct[room_id] = direct
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
        if self.joined_members(room_id) - {me}:
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

    # --- where a person's own pings go --------------------------------------------------------
    async def private_room(self, user_id: str, room_id: str) -> str | None:
        """A room where only ``user_id`` and the bot are, for that person's own pings.

        ``room_id`` while it is one. A "DM" that gained a third member (or that the person left)
        is not: their own lines must not be read there, so the bot opens a new DM, invites them,
        and their pings go there from now on, once they have joined. ``None`` while there is no
        such room yet (the ping waits and is tried again; it is never sent elsewhere).
        """
        room = self._room(room_id)
        if room is None:
            return room_id  # not synced yet (just started): the room the person last used
        if self.is_dm(room_id) and user_id in room.users:
            return room_id
        opened = self._opened.get(user_id)
        if opened is not None:
            # Send once they have joined: in an encrypted room, an invited person's devices get
            # no room key, so a ping sent before they join could not be read.
            new = self._room(opened)
            return opened if new is not None and user_id in new.users else None
        initial_state = []
        if self.config.matrix.encryption:
            initial_state.append(
                {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
            )
        resp = await self.client.room_create(
            is_direct=True, invite=[user_id], preset=RoomPreset.trusted_private_chat,
            initial_state=initial_state,
        )
        if not isinstance(resp, RoomCreateResponse):
            log.warning("could not open a new DM for a person whose DM %s is no longer private", room_id)
            return None
        log.info("%s is no longer a private DM; opened %s for that person's own pings", room_id, resp.room_id)
        self._direct[resp.room_id] = True
        self._opened[user_id] = resp.room_id
        async with self.store.tx() as tx:
            await tx.update_owner(user_id, int(self.clock().timestamp() * 1000), room_id=resp.room_id)
        return None  # sent once they have joined (above)

    # --- what a room is ------------------------------------------------------------------------
    def note_state(self, room_id: str, ev: Any) -> None:
        if isinstance(ev, RoomCreateEvent):
            content = ev.source.get("content", {})
            extra = content.get("additional_creators") or []
            self._creators[room_id] = frozenset([ev.sender, *[x for x in extra if isinstance(x, str)]])

    def _room(self, room_id: str) -> MatrixRoom | None:
        return self.client.rooms.get(room_id)

    def is_dm(self, room_id: str) -> bool:
        """A DM as its inviter marked it (``is_direct``); for rooms joined before that was
        recorded, a room of two. Never a room with a third member (joined or invited), whatever
        the invite said: there, one person's own lines would be read by the others."""
        room = self._room(room_id)
        if room is not None and self.member_count(room) > 2:
            return False
        known = self._direct.get(room_id)
        if known is not None:
            return known
        return True

    def member_count(self, room: MatrixRoom) -> int:
        """Joined and invited members, the bot included: its own membership event is not in its
        (filtered) sync, so nio may not have counted it."""
        return max(int(room.member_count), len(set(room.users) | {self.client.user_id}))

    def owner_of(self, room_id: str, sender: str) -> str:
        """Whose lines a message here is about: the sender's in a DM, the room's in a group."""
        return sender if self.is_dm(room_id) else room_id

    def joined_members(self, room_id: str) -> frozenset[str]:
        room = self._room(room_id)
        if room is None:
            return frozenset()
        return frozenset(u for u in room.users if u not in room.invited_users)

    async def creators(self, room_id: str) -> frozenset[str]:
        """The room's creators (room version 12 gives them the top rank); fetched once if unseen."""
        found = self._creators.get(room_id)
        if found is None:
            found = frozenset()
            resp = await self.client.room_get_state(room_id)
            if isinstance(resp, RoomGetStateResponse):
                for ev in resp.events:
                    if ev.get("type") == "m.room.create":
                        extra = ev.get("content", {}).get("additional_creators") or []
                        found = frozenset([ev.get("sender", ""), *[x for x in extra if isinstance(x, str)]])
            self._creators[room_id] = found
        return found

    async def context(self, room_id: str, sender: str, now: datetime) -> Context:
        if self.is_dm(room_id):
            return Context(sender=sender, room_id=room_id, owner_id=sender, is_dm=True, now=now,
                           in_room=lambda room: sender in self.joined_members(room))
        room = self._room(room_id)
        manage = False
        if room is not None:
            pl = room.power_levels
            manage = can_manage(
                sender,
                required=self.config.rooms.manage_power_level,
                users=pl.users,
                users_default=pl.defaults.users_default,
                creators=await self.creators(room_id),
                room_version=room.room_version,
            )
        return Context(
            sender=sender, room_id=room_id, owner_id=room_id, is_dm=False, now=now, can_manage=manage,
            members=self.joined_members(room_id),
        )
