"""From a sync response to the handlers: fan-out, gaps, the bot's own and old events.

:class:`EventRouter` walks a sync response: invites and leaves go to the room tracker
(:mod:`bot.matrix.rooms`); each joined room's timeline (with what a limited sync left out, fetched
from ``/messages``) goes event by event to one handler (:mod:`bot.matrix.handlers`). Events from
before the bot joined a room, its own events and redacted commands are never acted on.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nio import (
    AsyncClient,
    MegolmEvent,
    ReactionEvent,
    RedactionEvent,
    RoomEncryptedFile,
    RoomMemberEvent,
    RoomMessageFile,
    RoomMessagesResponse,
    RoomMessageText,
    SyncResponse,
    UnknownEvent,
)
from nio.events.room_events import RoomUpgradeEvent

from bot.config import Config
from bot.core.limits import RoomWarnings
from bot.matrix.answers import reply_txn_id
from bot.matrix.background import Background
from bot.matrix.handlers import Handlers, strip_reply_fallback
from bot.matrix.private_rooms import PrivateRooms
from bot.matrix.room_facts import RoomFacts
from bot.matrix.rooms import RoomTracker
from bot.service import Service, ms
from bot.store.base import Store

__all__ = ["EventRouter", "RoomWarnings", "in_reply_to", "reply_txn_id", "strip_reply_fallback"]

log = logging.getLogger(__name__)

#: How far back a limited timeline is fetched after downtime.
GAP_PAGES = 10
GAP_PAGE_SIZE = 100

def in_reply_to(source: dict[str, Any]) -> str | None:
    """The ``m.in_reply_to`` event of a message as written (threads: see ``reply_target``)."""
    # nio does not check m.relates_to: any of these levels may be a string, a list, null ...
    content = source.get("content")
    rel = content.get("m.relates_to") if isinstance(content, dict) else None
    reply = rel.get("m.in_reply_to") if isinstance(rel, dict) else None
    target = reply.get("event_id") if isinstance(reply, dict) else None
    return target if isinstance(target, str) else None


class EventRouter:
    def __init__(
        self,
        client: AsyncClient,
        store: Store,
        service: Service,
        config: Config,
        *,
        on_reply_queued: Callable[[], None],
        clock: Callable[[], datetime],
    ) -> None:
        self.client = client
        self.store = store
        self.service = service
        self.clock = clock
        background = Background()
        self.facts = RoomFacts(client, config)
        self.rooms = RoomTracker(client, store, service, config, self.facts, clock=clock, background=background)
        self.private = PrivateRooms(client, store, self.facts, config, clock=clock)
        self.handlers = Handlers(
            client, store, service, config, self.facts, on_reply_queued=on_reply_queued, clock=clock,
            background=background,
        )

    async def handle_sync(self, resp: SyncResponse) -> None:
        for room_id, info in resp.rooms.invite.items():
            try:
                await self.rooms.on_invite(room_id, info.invite_state)
            except Exception:
                log.exception("error while handling an invite to %s; carrying on", room_id)
        for room_id, info in resp.rooms.join.items():
            try:
                await self._on_joined_room(room_id, info)
            except Exception:
                log.exception("error while handling room %s; carrying on", room_id)
        for room_id in resp.rooms.leave:
            try:
                await self.rooms.left(room_id)
            except Exception:
                log.exception("error while handling leaving %s", room_id)

    async def _on_joined_room(self, room_id: str, info: Any) -> None:
        joined_at = await self.rooms.joined_at(room_id)
        for ev in info.state:
            self.facts.note_state(room_id, ev)
        events = list(info.timeline.events)
        if info.timeline.limited and info.timeline.prev_batch:
            events = await self._fetch_gap(room_id, info.timeline.prev_batch, joined_at) + events
        # A command redacted before we got to it (e.g. while the bot was down) is never run.
        redacted = {ev.redacts for ev in events if isinstance(ev, RedactionEvent)}
        for ev in events:
            self.facts.note_state(room_id, ev)
            if getattr(ev, "event_id", None) in redacted:
                async with self.store.tx() as tx:
                    await tx.mark_handled(ev.event_id, room_id, ms(self.clock()))
                continue
            await self.on_event(room_id, ev, joined_at)

    async def _fetch_gap(self, room_id: str, prev_batch: str, joined_at: int) -> list[Any]:
        """Events a limited sync left out, oldest first, back to what we have handled."""
        gathered: list[Any] = []
        token = prev_batch
        for _ in range(GAP_PAGES):
            resp = await self.client.room_messages(room_id, start=token, limit=GAP_PAGE_SIZE)
            if not isinstance(resp, RoomMessagesResponse) or not resp.chunk:
                break
            stop = False
            for ev in resp.chunk:  # newest first
                if ev.server_timestamp < joined_at:
                    stop = True
                    break
                async with self.store.read() as tx:
                    if await tx.is_handled(ev.event_id):
                        stop = True
                        break
                gathered.append(ev)
            if stop or not resp.end or resp.end == token:
                break
            token = resp.end
        gathered.reverse()
        if gathered:
            log.info("fetched %d events missed in %s", len(gathered), room_id)
        return gathered

    async def on_event(self, room_id: str, ev: Any, joined_at: int) -> None:
        """One timeline event to the handler of its kind."""
        if getattr(ev, "sender", None) == self.client.user_id and not isinstance(ev, RoomMemberEvent):
            return
        if ev.server_timestamp < joined_at:
            return
        if isinstance(ev, RoomMessageText):
            await self.handlers.on_text(room_id, ev)
        elif isinstance(ev, ReactionEvent):
            await self.handlers.on_reaction(room_id, ev)
        elif isinstance(ev, (RoomMessageFile, RoomEncryptedFile)):
            await self.handlers.on_file(room_id, ev)
        elif isinstance(ev, MegolmEvent):
            await self.handlers.on_undecryptable(room_id, ev)
        elif isinstance(ev, RoomMemberEvent):
            await self.rooms.on_member(room_id, ev)
        elif isinstance(ev, RoomUpgradeEvent) or (isinstance(ev, UnknownEvent) and ev.type == "m.room.tombstone"):
            await self.rooms.on_tombstone(room_id, ev)

    async def purge_left_rooms(self) -> int:
        """Retention: delete the data of rooms left longer ago than ``rooms.retention_days``."""
        async with self.store.tx() as tx:
            return await self.service.rooms.purge_left_rooms(tx, self.clock())
