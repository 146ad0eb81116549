"""Answering an event: run its action and queue the reply in one transaction with the record
that the event was handled (an apology if the action fails), then the side signals a user sees:
"typing..." for a slow answer and the room's read marker, both kept cheap for the homeserver."""
from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from nio import AsyncClient

from bot.core.render import Reply
from bot.matrix import content
from bot.matrix.background import Background
from bot.matrix.files import Files
from bot.matrix.relations import edit_content, thread_root
from bot.matrix.room_facts import RoomFacts
from bot.service import Context, Service, ms
from bot.store.base import Store, Tx

log = logging.getLogger(__name__)

#: A room's read marker is moved at most once in this many seconds, to the latest event
#: (see :meth:`Answers.mark_read`).
READ_MARKER_EVERY = 2.0
#: "Typing..." is shown only for an answer that takes longer than this (seconds).
TYPING_AFTER = 0.3

Run = Callable[[Tx, Context], Awaitable[Reply | None]]


def reply_txn_id(event_id: str) -> str:
    """The reply's transaction ID comes from the event it answers: a re-send is a no-op."""
    return "reply-" + hashlib.sha256(event_id.encode()).hexdigest()[:32]


class Answers:
    """Queues the bot's replies (exactly once per event) and sends the signals around them."""

    def __init__(
        self, client: AsyncClient, store: Store, service: Service, rooms: RoomFacts, files: Files, *,
        on_reply_queued: Callable[[], None], clock: Callable[[], datetime], background: Background,
    ) -> None:
        self.client = client
        self.store = store
        self.service = service
        self.rooms = rooms
        self.files = files
        self.on_reply_queued = on_reply_queued
        self.clock = clock
        self.background = background
        self._read_latest: dict[str, str] = {}  # rooms with a marker waiting: bounded by READ_MARKER_EVERY

    async def answer(
        self, room_id: str, ev: Any, run: Run, *, answer_to: str | None = None, replaces: str | None = None,
        attachment: bytes | None = None,
    ) -> None:
        """Run an action and queue its reply (to ``answer_to``, default the event itself; in the
        event's thread, if any) in one transaction; an apology if it fails."""
        now = self.clock()
        ctx = replace(await self.rooms.context(room_id, ev.sender, now), reply_txn=reply_txn_id(ev.event_id),
                      attachment=attachment)
        reply = None
        try:
            async with self.store.tx() as tx:
                if not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                    return
                reply = await run(tx, ctx)
                if reply is not None:
                    await self.queue(
                        tx, ev.event_id, room_id, reply, now, answer_to=answer_to,
                        thread=thread_root(ev.source), replaces=replaces,
                    )
        except Exception:
            log.exception("handling %s in %s failed; answering with an apology", ev.event_id, room_id)
            await self._apologise(ctx, ev.event_id)
        if reply is not None and reply.file is not None:
            await self.files.send_file(room_id, ev.event_id, reply.file, now)
        self.on_reply_queued()
        self.mark_read(room_id, ev.event_id)

    async def _apologise(self, ctx: Context, event_id: str) -> None:
        async with self.store.tx() as tx:
            if not await tx.mark_handled(event_id, ctx.room_id, ms(ctx.now)):
                return
            reply = await self.service.rooms.error_reply(tx, ctx.owner_id, "error.internal")
            await self.queue(tx, event_id, ctx.room_id, reply, ctx.now)

    async def queue(
        self, tx: Tx, event_id: str, room_id: str, reply: Reply, now: datetime, *, answer_to: str | None = None,
        thread: str | None = None, replaces: str | None = None,
    ) -> None:
        """Queue the reply to ``event_id`` (in its ``thread``); with ``replaces``, as an edit of
        that earlier reply of ours instead."""
        sent = content.notice(reply, answer_to or event_id, thread_root=thread)
        if replaces is not None:
            sent = edit_content(sent, replaces)
        txn = reply_txn_id(event_id)
        await tx.enqueue_reply(txn, room_id, "m.notice", sent, ms(now))
        if reply.secret:  # a calendar URL: the stored copy goes once it is sent
            await tx.scrub_after_sending(txn)

    def mark_read(self, room_id: str, event_id: str) -> None:
        """Move the room's read marker, at most once every READ_MARKER_EVERY seconds, to the
        latest event. Each marker costs the homeserver about what a message costs, and one sent
        with a reply makes the reply later (bench/REPORT.md): a user typing several commands
        gets one marker, not one per command."""
        waiting = room_id in self._read_latest
        self._read_latest[room_id] = event_id
        if waiting:
            return

        async def later() -> None:
            try:
                await asyncio.sleep(READ_MARKER_EVERY)
            finally:
                latest = self._read_latest.pop(room_id)
            await self.client.room_read_markers(room_id, latest, latest)

        self.background.call(later())

    def typing_if_slow(self, room_id: str) -> asyncio.Task[Any]:
        """Show "typing..." if the answer is not queued within TYPING_AFTER; cancel when it is."""

        async def later() -> None:
            await asyncio.sleep(TYPING_AFTER)
            await self.client.room_typing(room_id, True, timeout=10_000)

        task = asyncio.ensure_future(later())
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        return task
