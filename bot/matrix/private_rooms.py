"""Where a person's own pings go: a room of that person and the bot only. A "DM" that gained a third
member (or that the person left) is no such room, so the bot opens a new one for them."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from nio import AsyncClient, RoomCreateResponse, RoomPreset

from bot.config import Config
from bot.core.limits import Bounded
from bot.matrix.room_facts import ROOM_CACHE, RoomFacts
from bot.store.base import Store

log = logging.getLogger(__name__)


class PrivateRooms:
    """Finds (or opens) each person's private room; remembers the DMs it opened."""

    def __init__(self, client: AsyncClient, store: Store, facts: RoomFacts, config: Config, *,
                 clock: Callable[[], datetime]) -> None:
        self.client = client
        self.store = store
        self.facts = facts
        self.config = config
        self.clock = clock
        self._opened: Bounded[str, str] = Bounded(ROOM_CACHE)  # user -> the DM we opened for them

    async def private_room(self, user_id: str, room_id: str) -> str | None:
        """A room where only ``user_id`` and the bot are, for that person's own pings.

        ``room_id`` while it is one. A "DM" that gained a third member (or that the person left)
        is not: their own lines must not be read there, so the bot opens a new DM, invites them,
        and their pings go there from now on, once they have joined. ``None`` while there is no
        such room yet (the ping waits and is tried again; it is never sent elsewhere).
        """
        room = self.facts.room(room_id)
        if room is None:
            return room_id  # not synced yet (just started): the room the person last used
        if self.facts.is_dm(room_id) and user_id in room.users:
            return room_id
        opened = self._opened.get(user_id)
        if opened is not None:
            # Send once they have joined: in an encrypted room, an invited person's devices get
            # no room key, so a ping sent before they join could not be read.
            new = self.facts.room(opened)
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
        self.facts.remember_direct(resp.room_id, True)
        self._opened[user_id] = resp.room_id
        async with self.store.tx() as tx:
            await tx.update_owner(user_id, int(self.clock().timestamp() * 1000), room_id=resp.room_id)
        return None  # sent once they have joined (above)
