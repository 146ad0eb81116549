"""Delivering the outboxes: replies and pings, each sent exactly once.

One sending loop sleeps until the earliest due row, a kick (a reply queued, the homeserver back)
or a periodic safety sweep, rung by an APScheduler alarm (bot/alarm.py); never one timer per line, so memory stays flat however many lines
there are. A row is marked sent only when the homeserver has accepted it; its transaction ID comes
from its identity, so sending it again after a crash cannot make a second message.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot import metrics
from bot.alarm import Alarm
from bot.core.model import Line, OwnerSettings, PingRow, is_user_id
from bot.core.schedule import txn_id
from bot.diag import log_task_stacks, where
from bot.matrix.lookup import PING_ID_KEY, REPLY_ID_KEY  # ids in the content: see bot/matrix/lookup.py
from bot.matrix.sender import Failed, Sent
from bot.ping_groups import PingGroup, group_content, group_pings, group_txn_id, next_ping_time, ping_content, ping_id
from bot.resend_lookup import FindSentFn, ResendLookup
from bot.send_failures import MAX_PERMANENT_FAILURES, count_failure, retry_at
from bot.service import PingMessage, Service, ms
from bot.store.base import ReplyRow, Store
from bot.store.batch_reads import BatchReads

log = logging.getLogger(__name__)

SendFn = Callable[[str, dict[str, Any], str], Awaitable[Sent | Failed]]
Clock = Callable[[], datetime]

#: Rows per claim. Small, because claims overlap the sends (the next is made while the current
#: batch's last sends are in flight), so a batch's size costs no throughput, while each claimed
#: row is written on PostgreSQL (about 7 µs a row in the server) and each batch is rendered in
#: one go on the event loop: 128 rows claim in about 2 ms, 500 took 9 ms at load 4.5 (bench/REPORT.md,
#: section 9); and 128 rows is about 2 s of sending at 60 pings/s, well inside one lease.
#: A full batch also takes the rest of its last minute's owners' due pings (their groups).
BATCH = 128
#: A claim with at least this many pings is a burst (see :attr:`Outbox.bursting`).
BURST_PINGS = 32
#: In a burst, answered pings are recorded this many at a time, or this many seconds after the first.
RECORD_EVERY = 32
RECORD_AFTER = 0.5
#: A round still running after this many seconds is logged with where each task waits (and again after as many).
ROUND_WARN = 120.0
#: A stop waits this many seconds for the round in progress, then cancels it.
STOP_WAIT = 30.0
#: After a round that raised, the loop tries again this many seconds later.
ERROR_PAUSE = 5.0
#: A row due that a round could not claim is looked at again after this many ms.
IDLE_RECHECK_MS = 1000


def utcnow() -> datetime:
    return datetime.now(UTC)


class Outbox:
    """The reply and ping outboxes: claims what is due, sends it, records the answers, and keeps
    one APScheduler wake-up armed at the next due row (plus a periodic sweep)."""

    def __init__(
        self,
        store: Store,
        service: Service,
        send: SendFn,
        *,
        sweep_seconds: float = 60.0,
        concurrency: int = 16,
        clock: Clock = utcnow,
        claimant: str = "local",
        lease_ms: int = 60_000,
        find_sent: FindSentFn | None = None,
    ) -> None:
        self.store = store
        # Several instances on PostgreSQL: rows are claimed for this instance for ``lease_ms``
        # (extended while it is alive); a row reclaimed from another instance is looked for in
        # the room (``find_sent``) before it is sent.
        self.claimant = claimant
        self.lease_ms = lease_ms
        self.lookup = ResendLookup(find_sent)
        self.fenced = False  # this instance lost its lease: send nothing more
        # (owner user id, room) -> a room where only that person and the bot are (set by the
        # Matrix side): a person's own pings never go to a room others have joined.
        self.private_room: Callable[[str, str], Awaitable[str | None]] | None = None
        self.service = service
        self.send = send
        self.clock = clock
        self.sweep_seconds = sweep_seconds
        self._sem = asyncio.Semaphore(concurrency)
        self._task: asyncio.Task[None] | None = None  # the sending loop (see _loop)
        self._wake = asyncio.Event()
        self._alarm = Alarm(self._wake)  # APScheduler keeps the time; the loop does the work
        self._due_now = False  # a kick since the current round's claim: go round again
        self._next_ms: int | None = None  # when the next row is due (unix ms), as last read
        self._hint_ms: int | None = None  # the earliest wake_hint since the round began
        self._claimed = 0  # rows claimed in the current round
        # Rows of this round claimed and not yet recorded (still pending): the next claim, which
        # overlaps their sends, leaves them out.
        self._sending_pings: set[int] = set()
        self._sending_replies: set[int] = set()
        self._low_water = 2 * concurrency
        self._paused = True
        self.sent_pings = 0
        self.sent_replies = 0
        self._answered: list[tuple[PingRow, Sent | Failed | None, datetime, float]] = []
        self._recording = False
        self.bursting = False  # many pings are being sent right now
        self.burst = asyncio.Event()  # set while bursting: the sync loop drops its long-poll
        # Why each row waiting for a retry last failed (metrics.failure_reason), so that a
        # returning homeserver frees the ones that waited on the network, not those told to wait (429).
        self._ping_failed: dict[int, str] = {}
        self._reply_failed: dict[int, str] = {}
        self._no_room_why: dict[str, str] = {}  # owner -> why no private room could be had just now

    def start(self) -> None:
        """Start the sending loop (its first round also sends what was due while we were down).
        Called again when a standby becomes active once more."""
        self._paused = False
        self.fenced = False
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._loop())
        self.kick()

    def fence(self) -> None:
        """This instance is no longer the active one: no new claim, and sends not yet made are
        not made (their rows go to the instance that took over, which checks the room)."""
        self.fenced = True
        self._paused = True
        self._wake.set()  # the loop ends after the round in progress

    def wake_hint(self, due_ms: int) -> None:
        """Another instance (or a command) added a row due at ``due_ms`` (LISTEN/NOTIFY)."""
        if self._paused:
            return
        if due_ms <= ms(self.clock()):
            self.kick()
        elif self._hint_ms is None or due_ms < self._hint_ms:
            self._hint_ms = due_ms
            self._wake.set()  # the loop's wait is shortened to the new instant

    async def stop(self) -> None:
        self._paused = True
        self._alarm.shutdown()
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            return
        # Let a round in progress finish its sends and marks (it checks _paused between rounds),
        # but not for ever: a send not marked is sent again after the restart, under the same
        # transaction ID, which makes no second message.
        done, _ = await asyncio.wait({task}, timeout=STOP_WAIT)
        if not done:
            log.warning("the outbox round did not end within %.0fs of the stop; cancelled it at %s", STOP_WAIT,
                        where(task))
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        elif not task.cancelled() and task.exception() is not None:
            log.error("the outbox loop had failed", exc_info=task.exception())

    async def connection_restored(self) -> int:
        """The homeserver answers again: rows that waited on a network error are due now (a
        429's ``retry_after_ms`` is still honoured). Returns how many were freed."""
        pings = [i for i, why in self._ping_failed.items() if why == "network"]
        replies = [i for i, why in self._reply_failed.items() if why == "network"]
        if not pings and not replies:
            return 0
        async with self.store.tx() as tx:
            n = await tx.retry_now(pings, replies, ms(self.clock()))
        log.info("homeserver back: %d pings and replies that waited on the network are due now", n)
        self.kick()
        return n

    def kick(self) -> None:
        """Run soon (e.g. a reply was just queued): the loop goes round once more, even if a round
        is in progress right now (its claim may have been made before the row was there)."""
        if self._paused:
            return
        self._due_now = True
        self._wake.set()

    async def run(self) -> None:
        """One round: send everything that is due (batch after batch), then read when the next
        row is due. Only the loop calls it (tests may call it by hand)."""
        self._hint_ms = None  # this round's read of the next due row covers what was hinted so far
        self._claimed = 0
        await self._drain()
        if self._paused:
            return
        async with self.store.read() as tx:
            nxt = await tx.next_wake()
        now = ms(self.clock())
        if nxt is not None and nxt <= now and not self._claimed:
            # Due but not ours to claim (on PostgreSQL, held by an instance whose claim has not
            # run out yet): look again shortly rather than spin.
            nxt = now + IDLE_RECHECK_MS
        # A row that fell due while this round was sending (nxt <= now) makes the next round start at once.
        self._next_ms = nxt

    async def _loop(self) -> None:
        """The single sending loop: a round, then a sleep until the next due row, a kick or the
        sweep, whichever comes first.

        One long-running task, rung by an APScheduler alarm, instead of a scheduler job that
        sends: a wake-up can never be skipped because a previous one is still running
        (APScheduler's "maximum number of running instances reached" dropped the wake-up a
        round armed for a row already due, so that row waited for the next sweep), and a kick
        during a round is never lost: ``_due_now`` is cleared before the round's claim, so a
        kick at any later point makes one more round.
        """
        while not self._paused:
            self._due_now = False
            try:
                await self._watched_round()
            except Exception:  # a round that fails must not end the loop: log it, retry soon
                log.exception("sending the outbox failed; retrying in %.0fs", ERROR_PAUSE)
                self._next_ms = ms(self.clock()) + int(ERROR_PAUSE * 1000)
            await self._sleep()

    async def _watched_round(self) -> None:
        """:meth:`run`, saying where it (and every other task) waits each ROUND_WARN seconds it
        goes on: a round that never ends stops every ping, and the log should say why, not just that."""
        round_task = asyncio.ensure_future(self.run())
        started = time.monotonic()
        try:
            while not (await asyncio.wait({round_task}, timeout=ROUND_WARN))[0]:
                log.warning("an outbox round has been running for %.0fs; it waits at %s",
                            time.monotonic() - started, where(round_task))
                log_task_stacks("a long outbox round")  # its sends are tasks of their own
        except asyncio.CancelledError:
            round_task.cancel()
            raise
        round_task.result()

    async def _sleep(self) -> None:
        """Until a kick, the next due row (``_next_ms``) or ``sweep_seconds``, whichever is first."""
        sweep_at = time.monotonic() + self.sweep_seconds
        while not self._paused and not self._due_now:
            self._wake.clear()
            wait = sweep_at - time.monotonic()
            for due in (self._next_ms, self._hint_ms):
                if due is not None:
                    wait = min(wait, (due - ms(self.clock())) / 1000)
            if wait <= 0:
                return
            self._alarm.arm(wait)
            await self._wake.wait()

    async def _drain_once(self) -> bool:
        """One claim, sent and recorded (tests drive the outbox with it); True if it was full."""
        return await self._drain(once=True)

    async def _drain(self, *, once: bool = False) -> bool:
        """Claim and send batch after batch until a claim comes back short of a full batch.

        The next claim overlaps the current one's last sends: it is made (and rendered) once no
        more than ``2 * concurrency`` of them are left, so the sender never stands idle between
        batches while a claim and its rendering run (bench/REPORT.md, section 9). The rows being
        sent are still pending until their answers are recorded, so the claim leaves them out.
        Every send's answer is recorded before the round ends; the first error a send raised is
        raised then. Returns whether the last claim was full.
        """
        sending: set[asyncio.Future[None]] = set()
        finished: list[asyncio.Future[None]] = []
        full = False
        try:
            while not self.fenced and (once or not self._paused):
                full = await self._claim_and_start(sending)
                if not full or once:
                    break
                while len(sending) > self._low_water:
                    done, sending = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
                    finished.extend(done)
            if sending:
                done, sending = await asyncio.wait(sending)
                finished.extend(done)
        except BaseException:  # cancelled (a stop that waited too long): so are the sends
            for task in sending:
                task.cancel()
            await asyncio.gather(*sending, return_exceptions=True)
            raise
        finally:
            self.bursting = False
            self.burst.clear()
            await self._record_pings()  # every answered send is recorded before the round ends
            self._sending_pings.clear()
            self._sending_replies.clear()
        for task in finished:
            task.result()  # a send that raised fails the round, as it did when sends were gathered
        return full

    async def _claim_and_start(self, sending: set[asyncio.Future[None]]) -> bool:
        """Claim a batch (not the rows being sent), render it and start its sends (into
        ``sending``); True if the claim was full, so more may be due."""
        now = self.clock()
        replies, pings = await self.store.claim(
            ms(now), BATCH, claimant=self.claimant, lease_ms=self.lease_ms,
            exclude_replies=tuple(self._sending_replies), exclude_pings=tuple(self._sending_pings),
        )
        if not replies and not pings:
            return False
        full = len(replies) == BATCH or len(pings) == BATCH
        grouping = self.service.config.bot.group_pings
        msgs = await self._render(pings, now)
        if grouping and len(pings) == BATCH:
            # The batch was cut where it was full: the lines of its last minute's owners that it
            # cut off come too, so that lines of one owner due together still make one message.
            last = pings[-1].due // 60_000
            owners = {m.owner.owner_id for p, m in zip(pings, msgs, strict=True) if m is not None and p.due // 60_000 == last}
            async with self.store.tx() as tx:
                more = await tx.claim_pings_of(
                    owners, ms(now), BATCH, claimant=self.claimant, lease_ms=self.lease_ms,
                    exclude=(*self._sending_pings, *(p.id for p in pings)),
                )
            pings, msgs = [*pings, *more], [*msgs, *await self._render(more, now)]
        digest: dict[str, tuple[bool, str | None]] = {}
        if pings and grouping:
            async with self.store.read() as tx:
                digest = await tx.digest_of({m.owner.owner_id for m in msgs if m is not None})
        self._sending_replies.update(r.id for r in replies)
        self._sending_pings.update(p.id for p in pings)
        self._claimed += len(replies) + len(pings)
        msgs = [await self._privately(m) for m in msgs]
        if grouping:
            singles, groups, held = group_pings(pings, msgs, digest)
        else:
            singles, groups, held = list(zip(pings, msgs, strict=False)), [], []
        if held:
            await self._hold_for_digest(held)
        if len(pings) >= BURST_PINGS:  # until the round ends
            self.bursting = True
            self.burst.set()
        sending.update(asyncio.ensure_future(c) for c in (
            *(self._send_reply(r) for r in replies),
            *(self._send_ping(p, m, now) for p, m in singles),
            *(self._send_group(g, now) for g in groups),
        ))
        return full

    async def _render(self, pings: list[PingRow], now: datetime) -> list[PingMessage | None]:
        """The claimed pings' messages, with the figures as they are now (lines and owners read
        in bulk); None for a row to drop."""
        if not pings:
            return []
        async with self.store.read() as tx:
            known = await BatchReads.fetch(tx, pings, self.service.profile_key)
            return [await self.service.ping_message(known, row, now) for row in pings]

    async def _privately(self, msg: PingMessage | None) -> PingMessage | None:
        """A person's own ping goes to a room of that person and the bot only (see private_room)."""
        if msg is None or self.private_room is None or msg.room_id != msg.owner.room_id:
            return msg
        if not is_user_id(msg.owner.owner_id):
            return msg
        try:
            room = await self.private_room(msg.owner.owner_id, msg.room_id)
        except Exception as exc:  # the homeserver is away (nio raises on a refused connection)
            # Not raised out of the round: its claimed rows would wait for the next round unanswered.
            log.warning("could not open a private room for a ping (%s); will retry", type(exc).__name__)
            self._no_room_why[msg.owner.owner_id] = f"network: {type(exc).__name__}"
            room = None
        # No private room yet (one could not be opened): an empty room id makes the send fail and
        # the ping wait for a retry; it is never sent where others would read it, nor dropped.
        return msg if room == msg.room_id else replace(msg, room_id=room or "")

    async def _send_reply(self, row: ReplyRow) -> None:
        async with self._sem:
            if self.fenced:
                return
            result: Sent | Failed | None = None
            if row.reclaimed and self.lookup.enabled:
                # Another instance held it and may have sent it before it died (its device's
                # transaction IDs do not cover ours): exactly once means looking first.
                result = await self.lookup.already_sent(row.room_id, row.txn_id, row.created_at, REPLY_ID_KEY, row.id)
            if result is None:
                result = await self.send(row.room_id, {**row.content, REPLY_ID_KEY: row.txn_id}, row.txn_id)
        async with self.store.tx() as tx:
            if isinstance(result, Sent):
                await tx.mark_reply_sent(row.id, result.event_id)
                await tx.reply_sent(row.txn_id, result.event_id)
                self.sent_replies += 1
                metrics.REPLIES_SENT.inc()
                self._reply_failed.pop(row.id, None)
            else:
                count_failure(metrics.REPLIES_FAILED, self._reply_failed, row.id, result)
                give_up = result.permanent and row.attempts + 1 >= MAX_PERMANENT_FAILURES
                log.warning("reply %s not sent (%s)%s", row.txn_id, result.reason, "; giving up" if give_up else "")
                await tx.retry_reply(row.id, retry_at(result, row.attempts, self.clock()), give_up=give_up)
        self._sending_replies.discard(row.id)  # recorded: no longer pending, or not due before its retry

    async def _send_ping(self, row: PingRow, msg: PingMessage | None, now: datetime) -> None:
        if msg is not None:
            if row.attempts:
                metrics.PINGS_RETRIED.labels(self._ping_failed.get(row.id, "unknown")).inc()
            async with self._sem:
                if self.fenced:
                    return  # another instance has the row now
                result: Sent | Failed | None = None
                if row.reclaimed and self.lookup.enabled:
                    result = await self.lookup.already_sent(msg.room_id, ping_id(row), row.due, PING_ID_KEY, row.id)
                if result is None and not msg.room_id:
                    result = Failed(self._no_room_why.pop(msg.owner.owner_id, "no_private_room"))
                if result is None:
                    event = ping_content(msg)
                    event[PING_ID_KEY] = ping_id(row)
                    result = await self.send(
                        msg.room_id, event, txn_id(row.line_id, row.expiry, row.offset, row.snooze)
                    )
            if isinstance(result, Sent):
                metrics.PINGS_SENT.inc()
                metrics.PING_LATENESS.observe(max(0.0, ms(self.clock()) - row.due) / 1000)
                if row.attempts:
                    self._ping_failed.pop(row.id, None)
            elif result is not None:
                count_failure(metrics.PINGS_FAILED, self._ping_failed, row.id, result)
        else:
            result = None  # the line is gone or changed: the row is dropped
            metrics.PINGS_DROPPED.inc()
            self._ping_failed.pop(row.id, None)
        self._answered.append((row, result, now, time.monotonic()))
        if len(self._answered) >= RECORD_EVERY or time.monotonic() - self._answered[0][3] >= RECORD_AFTER:
            await self._record_pings()

    async def _send_group(self, group: PingGroup, now: datetime) -> None:
        """Lines of one owner due together: ONE message listing them all, sent under a
        transaction ID derived from the group's rows, and recorded as sent for each of them."""
        rows = [r for r, _ in group.items]
        msgs = [m for _, m in group.items]
        if any(r.attempts for r in rows):
            metrics.PINGS_RETRIED.labels(self._ping_failed.get(rows[0].id, "unknown")).inc()
        body = self.service.group_ping(msgs, now) if len(msgs) > 1 else msgs[0].reply
        txn = group_txn_id(rows) if len(rows) > 1 else txn_id(rows[0].line_id, rows[0].expiry, rows[0].offset,
                                                                rows[0].snooze)
        async with self._sem:
            if self.fenced:
                return  # another instance has the rows now
            result: Sent | Failed | None = None
            if any(r.reclaimed for r in rows) and self.lookup.enabled:
                result = await self.lookup.already_sent(msgs[0].room_id, ping_id(rows[0]), rows[0].due, PING_ID_KEY,
                                                  rows[0].id)
            if result is None and not msgs[0].room_id:  # no private room yet (see _privately)
                result = Failed(self._no_room_why.pop(msgs[0].owner.owner_id, "no_private_room"))
            if result is None:
                event = group_content(body, msgs)
                event[PING_ID_KEY] = ping_id(rows[0])  # the group is found again by its first ping
                result = await self.send(msgs[0].room_id, event, txn)
        if isinstance(result, Sent):
            metrics.PINGS_SENT.inc(len(rows))
            for r in rows:
                metrics.PING_LATENESS.observe(max(0.0, ms(self.clock()) - r.due) / 1000)
                self._ping_failed.pop(r.id, None)
            if group.digest_day is not None:
                async with self.store.tx() as tx:
                    await tx.digest_sent(msgs[0].owner.owner_id, group.digest_day)
        else:
            why = metrics.failure_reason(result.reason)
            metrics.PINGS_FAILED.labels(why).inc()
            for r in rows:
                self._ping_failed[r.id] = why
        for r in rows:
            self._answered.append((r, result, now, time.monotonic()))
        await self._record_pings()

    async def _hold_for_digest(self, held: list[tuple[PingRow, PingMessage]]) -> None:
        """``digest daily``: the owner had their message today; these wait for tomorrow's."""
        async with self.store.tx() as tx:
            for row, msg in held:
                await tx.delay_pings([row.id], next_ping_time(row.due, msg.owner.timezone, msg.owner.ping_time))

    async def _record_pings(self) -> None:
        """Write down what the homeserver answered, many pings per transaction.

        In a burst, answers are recorded RECORD_EVERY at a time (or RECORD_AFTER seconds after
        the oldest); the rest when the claimed batch is done. One coroutine records at a time.
        A ping is marked sent only after the homeserver accepted it; should the bot die before
        the mark, the re-send carries the same transaction ID and makes no new message.
        """
        if self._recording:
            return
        self._recording = True
        try:
            while self._answered:
                batch, self._answered = self._answered, []
                async with self.store.tx() as tx:
                    stamp = ms(self.clock())
                    sent = [(row, res) for row, res, _, _ in batch if isinstance(res, Sent)]
                    await tx.mark_pings_sent((row.id, res.event_id, stamp) for row, res in sent)
                    # The lines may have changed while we were sending: arm from their current state.
                    known = await BatchReads.fetch(tx, [row for row, _ in sent], self.service.profile_key)
                    rearm: list[tuple[Line, OwnerSettings, datetime]] = []
                    for row, result, now, _ in batch:
                        if result is None:
                            await tx.mark_ping_dropped(row.id, ms(now))
                        elif isinstance(result, Sent):
                            line = await known.get_line_by_id(row.line_id)
                            if line is not None:
                                owner = await self.service.owner(known, line.owner_id)
                                rearm.append((line, owner, max(self.clock(), now)))
                            self.sent_pings += 1
                        else:
                            log.warning("ping %s for line %s not sent (%s); will retry", row.id, row.line_id,
                                        result.reason, extra={"line_id": row.line_id})
                            await tx.retry_ping(row.id, retry_at(result, row.attempts, self.clock()))
                    # The whole batch re-armed in three statements, not three per line.
                    await self.service.arm_many(tx, rearm, keep_snoozed=True)
                self._sending_pings.difference_update(row.id for row, _, _, _ in batch)  # committed
        finally:
            self._recording = False
