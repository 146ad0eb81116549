"""Delivering the outboxes: replies and pings, each sent exactly once.

APScheduler holds one wake-up, at the earliest due row, plus a periodic safety sweep; never one
job per line, so memory stays flat however many lines there are. A row is marked sent only when
the homeserver has accepted it; its transaction ID comes from its identity, so sending it again
after a crash cannot make a second message.
"""
from __future__ import annotations

import asyncio
from html import escape
from urllib.parse import quote
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.schedule import backoff_seconds, txn_id
from bot.matrix.sender import Failed, Sent
from bot.service import PingMessage, Service, ms
from bot.store.sqlite import PingRow, ReplyRow, Store, Tx

log = logging.getLogger(__name__)

SendFn = Callable[[str, dict[str, Any], str], Awaitable[Sent | Failed]]
Clock = Callable[[], datetime]

#: After this many failures that the homeserver calls permanent, a reply is given up.
MAX_PERMANENT_FAILURES = 5
BATCH = 500


def utcnow() -> datetime:
    return datetime.now(UTC)


def ping_content(msg: PingMessage) -> dict[str, Any]:
    """A ping is an ``m.text`` (clients notify for it), mentioning the line's owner in a room."""
    content: dict[str, Any] = {
        "msgtype": "m.text",
        "body": msg.reply.body,
        "format": "org.matrix.custom.html",
        "formatted_body": msg.reply.html,
        "m.mentions": {},
    }
    if msg.line.mention and msg.room_id == msg.line.owner_id:
        # A room's line: mention its owner with a pill and an intentional mention, never @room.
        user = msg.line.mention
        content["m.mentions"] = {"user_ids": [user]}
        content["body"] = f"{user}: {msg.reply.body}"
        pill = f'<a href="https://matrix.to/#/{quote(user, safe="@:")}">{escape(user)}</a>'
        content["formatted_body"] = f"{pill}: {msg.reply.html}"
    return content


class Outbox:
    def __init__(
        self,
        store: Store,
        service: Service,
        send: SendFn,
        *,
        sweep_seconds: float = 60.0,
        concurrency: int = 16,
        clock: Clock = utcnow,
    ) -> None:
        self.store = store
        self.service = service
        self.send = send
        self.clock = clock
        self.sweep_seconds = sweep_seconds
        self._sem = asyncio.Semaphore(concurrency)
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._running = asyncio.Lock()
        self._again = False
        self._paused = True
        self.sent_pings = 0
        self.sent_replies = 0
        self._answered: list[tuple[PingRow, Sent | Failed, datetime]] = []
        self._recording = False

    def start(self) -> None:
        """Start the sweep and a first run (which also sends what was due while we were down)."""
        self._paused = False
        self._scheduler.add_job(
            self.run, "interval", seconds=self.sweep_seconds, id="sweep", coalesce=True,
            max_instances=1, misfire_grace_time=None,
        )
        self._scheduler.start()
        self.kick()

    async def stop(self) -> None:
        self._paused = True
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        async with self._running:  # let an in-flight run finish its sends and marks
            pass

    def kick(self) -> None:
        """Run soon (e.g. a reply was just queued)."""
        if self._paused:
            return
        self._scheduler.add_job(
            self.run, "date", run_date=self.clock(), id="kick", replace_existing=True,
            misfire_grace_time=None,
        )

    async def run(self) -> None:
        """Send everything that is due, then arm the wake-up for the next due row."""
        if self._running.locked():
            self._again = True
            return
        async with self._running:
            while not self._paused:
                self._again = False
                busy = await self._drain_once()
                if not busy and not self._again:
                    break
            await self._arm_wake()

    async def _arm_wake(self) -> None:
        if self._paused:
            return
        async with self.store.read() as tx:
            nxt = await tx.next_wake()
        if nxt is None:
            return
        when = datetime.fromtimestamp(nxt / 1000, UTC)
        self._scheduler.add_job(
            self.run, "date", run_date=max(when, self.clock()), id="wake", replace_existing=True,
            misfire_grace_time=None,
        )

    async def _drain_once(self) -> bool:
        now = self.clock()
        async with self.store.read() as tx:
            replies = await tx.due_replies(ms(now), BATCH)
            pings = await tx.due_pings(ms(now), BATCH)
        if not replies and not pings:
            return False
        try:
            await asyncio.gather(
                *(self._send_reply(r) for r in replies), *(self._send_ping(p) for p in pings)
            )
        finally:
            await self._record_pings()  # every answered send is recorded before the next claim
        return len(replies) == BATCH or len(pings) == BATCH

    async def _send_reply(self, row: ReplyRow) -> None:
        async with self._sem:
            result = await self.send(row.room_id, row.content, row.txn_id)
        async with self.store.tx() as tx:
            if isinstance(result, Sent):
                await tx.mark_reply_sent(row.id)
                self.sent_replies += 1
            else:
                give_up = result.permanent and row.attempts + 1 >= MAX_PERMANENT_FAILURES
                log.warning("reply %s not sent (%s)%s", row.txn_id, result.reason, "; giving up" if give_up else "")
                await tx.retry_reply(row.id, self._retry_at(result, row.attempts), give_up=give_up)

    async def _send_ping(self, row: PingRow) -> None:
        now = self.clock()
        async with self.store.read() as tx:
            msg = await self.service.ping_message(tx, row, now)
        if msg is None:
            async with self.store.tx() as tx:
                await tx.mark_ping_dropped(row.id, ms(now))
            return
        async with self._sem:
            result = await self.send(msg.room_id, ping_content(msg), txn_id(row.line_id, row.expiry, row.offset, row.snooze))
        self._answered.append((row, result, now))
        if not self._recording:
            await self._record_pings()

    async def _record_pings(self) -> None:
        """Write down what the homeserver answered, many pings per transaction.

        One coroutine records at a time; answers that arrive meanwhile wait for its next
        transaction. A ping is marked sent only after the homeserver accepted it; should the bot
        die before the mark, the re-send carries the same transaction ID and makes no new message.
        """
        if self._recording:
            return
        self._recording = True
        try:
            while self._answered:
                batch, self._answered = self._answered, []
                async with self.store.tx() as tx:
                    for row, result, now in batch:
                        await self._record_ping(tx, row, result, now)
        finally:
            self._recording = False

    async def _record_ping(self, tx: Tx, row: PingRow, result: Sent | Failed, now: datetime) -> None:
        if isinstance(result, Sent):
            await tx.mark_ping_sent(row.id, result.event_id, ms(self.clock()))
            # The line may have changed while we were sending: arm from its current state.
            line = await tx.get_line_by_id(row.line_id)
            if line is not None:
                owner = await self.service.owner(tx, line.owner_id)
                await self.service.arm(tx, line, owner, max(self.clock(), now), keep_snoozed=True)
            self.sent_pings += 1
        else:
            log.warning("ping %s for line %s not sent (%s); will retry", row.id, row.line_id, result.reason)
            await tx.retry_ping(row.id, self._retry_at(result, row.attempts))

    def _retry_at(self, result: Failed, attempts: int) -> int:
        if result.retry_after is not None:
            delay = result.retry_after
        else:
            delay = backoff_seconds(attempts + 1, base=2.0, cap=900.0, jitter=random.random())
        return ms(self.clock() + timedelta(seconds=delay))
