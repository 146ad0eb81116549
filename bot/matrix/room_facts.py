"""What a room is, as the bot reads it from Matrix: a DM or a group, its members and creators, and
who may manage it, turned into the :class:`Context` the service gets. Its caches are bounded."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from nio import AsyncClient, RoomCreateEvent, RoomGetStateResponse
from nio.rooms import MatrixRoom

from bot.config import Config
from bot.core.limits import Bounded
from bot.core.permissions import can_manage
from bot.service import Context

#: Rooms whose DM flag and creators are kept in memory (the rest are read again when needed).
ROOM_CACHE = 10_000


class RoomFacts:
    """Answers "what is this room" from nio's synced rooms and a few remembered flags."""

    def __init__(self, client: AsyncClient, config: Config) -> None:
        self.client = client
        self.config = config
        self._creators: Bounded[str, frozenset[str]] = Bounded(ROOM_CACHE)
        self._direct: Bounded[str, bool] = Bounded(ROOM_CACHE)

    def remember_direct(self, room_id: str, is_direct: bool) -> None:
        """What the invite (or the store) says: a DM or not."""
        self._direct[room_id] = is_direct

    def knows_direct(self, room_id: str) -> bool:
        return room_id in self._direct

    def note_state(self, room_id: str, ev: Any) -> None:
        if isinstance(ev, RoomCreateEvent):
            content = ev.source.get("content", {})
            extra = content.get("additional_creators") or []
            self._creators[room_id] = frozenset([ev.sender, *[x for x in extra if isinstance(x, str)]])

    def room(self, room_id: str) -> MatrixRoom | None:
        return self.client.rooms.get(room_id)

    def is_dm(self, room_id: str) -> bool:
        """A DM as its inviter marked it (``is_direct``); for rooms joined before that was
        recorded, a room of two. Never a room with a third member (joined or invited), whatever
        the invite said: there, one person's own lines would be read by the others."""
        room = self.room(room_id)
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
        room = self.room(room_id)
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
        room = self.room(room_id)
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
