"""From a sync response to commands: filter, deduplicate, dispatch, queue the reply.

An event is acted on at most once (``handled_events``), and its reply is written to the reply
outbox in the same transaction as the command's effects, so a crash can neither lose the reply
nor make the command run twice. Events from before the bot joined a room, its own events,
``m.notice`` events (other bots) and senders outside ``[access] allowed_users`` are ignored.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nio import (
    AsyncClient,
    InviteMemberEvent,
    JoinError,
    MegolmEvent,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    SyncResponse,
)
from nio.rooms import MatrixRoom

from bot.config import Config
from bot.core.commands import addressed
from bot.core.limits import CommandBudget
from bot.core.render import Reply, render_error
from bot.i18n import Translator
from bot.matrix.access import allowed
from bot.service import Context, Service, ms
from bot.store.sqlite import Store

log = logging.getLogger(__name__)

#: How far back a limited timeline is fetched after downtime.
GAP_PAGES = 10
GAP_PAGE_SIZE = 100


def reply_txn_id(event_id: str) -> str:
    """The reply's transaction ID comes from the command's event ID: a re-send is a no-op."""
    return "reply-" + hashlib.sha256(event_id.encode()).hexdigest()[:32]


def reply_content(reply: Reply, in_reply_to: str, *, msgtype: str = "m.notice") -> dict[str, Any]:
    return {
        "msgtype": msgtype,
        "body": reply.body,
        "format": "org.matrix.custom.html",
        "formatted_body": reply.html,
        "m.relates_to": {"m.in_reply_to": {"event_id": in_reply_to}},
        "m.mentions": {},
    }


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
        self.config = config
        self.on_reply_queued = on_reply_queued
        self.clock = clock
        self.budget = CommandBudget(config.limits.commands_per_minute)
        self._warned_rate: dict[str, float] = {}
        self._undecryptable_warned: set[tuple[str, str]] = set()

    # --- sync -------------------------------------------------------------------------------
    async def handle_sync(self, resp: SyncResponse) -> None:
        for room_id, info in resp.rooms.invite.items():
            try:
                await self._on_invite(room_id, info.invite_state)
            except Exception:
                log.exception("error while handling an invite to %s; carrying on", room_id)
        for room_id, info in resp.rooms.join.items():
            try:
                await self._on_joined_room(room_id, info)
            except Exception:
                log.exception("error while handling room %s; carrying on", room_id)

    async def _on_invite(self, room_id: str, events: list[Any]) -> None:
        me = self.client.user_id
        for ev in events:
            if not isinstance(ev, InviteMemberEvent) or ev.state_key != me or ev.membership != "invite":
                continue
            if not allowed(ev.sender, self.config.allowed_patterns):
                log.info("ignoring invite to %s from %s (not in allowed_users)", room_id, ev.sender)
                return
            resp = await self.client.join(room_id)
            if isinstance(resp, JoinError):
                log.warning("could not join %s: %s", room_id, resp.message)
                return
            async with self.store.tx() as tx:
                await tx.room_joined(room_id, ms(self.clock()))
            log.info("joined %s on invite from %s", room_id, ev.sender)
            return

    async def _on_joined_room(self, room_id: str, info: Any) -> None:
        async with self.store.read() as tx:
            joined_at = await tx.room_joined_at(room_id)
        if joined_at is None:
            # A room we were in before this database existed: nothing in it so far is for us.
            joined_at = ms(self.clock())
            async with self.store.tx() as tx:
                await tx.room_joined(room_id, joined_at)
        events = list(info.timeline.events)
        if info.timeline.limited and info.timeline.prev_batch:
            events = await self._fetch_gap(room_id, info.timeline.prev_batch, joined_at) + events
        for ev in events:
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

    # --- one event --------------------------------------------------------------------------
    async def on_event(self, room_id: str, ev: Any, joined_at: int) -> None:
        if getattr(ev, "sender", None) == self.client.user_id:
            return
        if ev.server_timestamp < joined_at:
            return
        if isinstance(ev, RoomMessageText):
            await self._on_text(room_id, ev)
        elif isinstance(ev, MegolmEvent):
            await self._on_undecryptable(room_id, ev)
        elif isinstance(ev, RoomMemberEvent):
            pass  # membership changes: later issues (group rooms) act on these

    def _room(self, room_id: str) -> MatrixRoom | None:
        return self.client.rooms.get(room_id)

    def is_dm(self, room_id: str) -> bool:
        room = self._room(room_id)
        return room is None or room.member_count <= 2

    async def _on_text(self, room_id: str, ev: RoomMessageText) -> None:
        if not allowed(ev.sender, self.config.allowed_patterns):
            return
        dm = self.is_dm(room_id)
        command = addressed(ev.body or "", prefix=self.config.bot.command_prefix, require_prefix=not dm)
        if command is None:
            return
        now = self.clock()
        ctx = Context(
            sender=ev.sender, room_id=room_id, owner_id=ev.sender if dm else room_id, is_dm=dm, now=now
        )
        if not self.budget.allow(ev.sender, now.timestamp()):
            await self._rate_limited(ctx, ev)
            return
        try:
            async with self.store.tx() as tx:
                if not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                    return
                reply = await self.service.handle(tx, ctx, command)
                await tx.enqueue_reply(
                    reply_txn_id(ev.event_id), room_id, "m.notice", reply_content(reply, ev.event_id), ms(now)
                )
        except Exception:
            log.exception("command in %s failed; answering with an apology", room_id)
            await self._apologise(ctx, ev)
        self.on_reply_queued()

    async def _apologise(self, ctx: Context, ev: RoomMessageText) -> None:
        async with self.store.tx() as tx:
            owner = await self.service.owner(tx, ctx.owner_id)
            if not await tx.mark_handled(ev.event_id, ctx.room_id, ms(ctx.now)):
                return
            reply = render_error(Translator(owner.language), "error.internal", {})
            await tx.enqueue_reply(
                reply_txn_id(ev.event_id), ctx.room_id, "m.notice", reply_content(reply, ev.event_id), ms(ctx.now)
            )

    async def _rate_limited(self, ctx: Context, ev: RoomMessageText) -> None:
        """Say so once a minute at most; the rest is dropped quietly, never queued up."""
        last = self._warned_rate.get(ctx.sender, 0.0)
        if ctx.now.timestamp() - last < 60:
            async with self.store.tx() as tx:
                await tx.mark_handled(ev.event_id, ctx.room_id, ms(ctx.now))
            return
        self._warned_rate[ctx.sender] = ctx.now.timestamp()
        async with self.store.tx() as tx:
            owner = await self.service.owner(tx, ctx.owner_id)
            if await tx.mark_handled(ev.event_id, ctx.room_id, ms(ctx.now)):
                reply = render_error(Translator(owner.language), "error.rate_limited", {})
                await tx.enqueue_reply(
                    reply_txn_id(ev.event_id), ctx.room_id, "m.notice", reply_content(reply, ev.event_id),
                    ms(ctx.now),
                )
        self.on_reply_queued()

    async def _on_undecryptable(self, room_id: str, ev: MegolmEvent) -> None:
        """Ask once per sender and room to resend; never loop, never answer old events."""
        if not allowed(ev.sender, self.config.allowed_patterns):
            return
        key = (room_id, ev.sender)
        if key in self._undecryptable_warned:
            return
        self._undecryptable_warned.add(key)
        log.warning("could not decrypt %s from %s in %s", ev.event_id, ev.sender, room_id)
        now = self.clock()
        async with self.store.tx() as tx:
            if not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                return
            owner = await self.service.owner(tx, ev.sender)
            reply = render_error(Translator(owner.language), "error.undecryptable", {})
            await tx.enqueue_reply(
                reply_txn_id(ev.event_id), room_id, "m.notice", reply_content(reply, ev.event_id), ms(now)
            )
        self.on_reply_queued()
