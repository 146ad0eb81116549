"""The outbox's sending loop: a row is sent when it falls due, never at the next sweep.

Real store (SQLite file, or PostgreSQL), real Service, real loop; only the homeserver is a
function. Every test runs with a one-hour sweep: a row that waited for the sweep fails it.

The first test is the regression test of the outage stall (issue 12): with the scheduler jobs
that the loop replaced, a round started by the "wake" job that found the next row already due
(it fell due while the round was sending) armed a new "wake" job for now, and APScheduler
skipped it ("maximum number of running instances reached": the round that armed it was still
counted as running), so that row waited for the sweep.
"""
from __future__ import annotations

import asyncio
import logging
import random
import time
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot import scheduler
from bot.matrix.sender import Failed, Sent
from bot.scheduler import Outbox
from bot.service import Service, ms
from bot.store.base import Store
from tests.unit.conftest import make_config

OWNER = "@u:x"
SWEEP = 3600.0  # a row left for the sweep would wait an hour: the tests would time out first


async def _lines(store: Store, n: int, first_due_ms: int) -> list[int]:
    """``n`` lines of one owner (each with no ping armed yet); their ids."""
    async with store.tx() as tx:
        await tx.update_owner(OWNER, first_due_ms, room_id="!dm:x")
        await tx.bulk_add_lines([(OWNER, i + 1, "axis", f"l{i}", date(2030, 1, 1)) for i in range(n)], first_due_ms)
        return [line.id for line in await tx.list_lines(OWNER)]


async def _arm(store: Store, line_id: int, due_ms: int) -> None:
    async with store.tx() as tx:
        await tx.bulk_arm([(line_id, date(2030, 1, 1), -7, due_ms)])


class Homeserver:
    """Records when each ping arrived; each send takes ``delay`` seconds."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.arrived: dict[str, float] = {}  # transaction ID -> time.time()
        self.calls = 0

    async def send(self, room_id: str, content: dict[str, Any], txn: str) -> Sent | Failed:
        self.calls += 1
        await asyncio.sleep(self.delay)
        self.arrived.setdefault(txn, time.time())
        return Sent(f"$e{len(self.arrived)}")

    async def wait_for(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while len(self.arrived) < n and time.monotonic() < deadline:
            await asyncio.sleep(0.02)


def _outbox(store: Store, hs: Homeserver) -> Outbox:
    # group_pings off: each row is its own message, so each one's arrival can be timed.
    return Outbox(store, Service(make_config(group_pings=False)), hs.send, sweep_seconds=SWEEP)


async def test_a_row_that_falls_due_during_a_slow_send_goes_right_after_it(store: Store) -> None:
    """Row 1 falls due after start (a timed wake-up); its send takes 0.6 s; row 2 falls due
    during that send. Row 2 must go as soon as row 1's round ends, not at the sweep."""
    hs = Homeserver(delay=0.6)
    now = time.time()
    ids = await _lines(store, 2, ms(datetime.now(UTC)))
    await _arm(store, ids[0], int((now + 0.3) * 1000))
    await _arm(store, ids[1], int((now + 0.5) * 1000))
    outbox = _outbox(store, hs)
    outbox.start()
    try:
        await hs.wait_for(2, timeout=8.0)
    finally:
        await outbox.stop()
    assert len(hs.arrived) == 2, "the row that fell due during a send waited for the sweep"
    first, second = sorted(hs.arrived.values())
    # 0.6 s for row 1's send, 0.6 s for its own; the rest is slack for a loaded machine (the
    # sweep would be an hour).
    assert second - (now + 0.5) < 5.0


async def test_kicks_and_rows_falling_due_at_any_moment_are_never_left_for_the_sweep(store: Store) -> None:
    """Rows armed and kicked (as a command's reply or the homeserver's return does) at random
    moments, some while a round is sending, some just after: every one goes within
    seconds of falling due."""
    rng = random.Random(12)
    hs = Homeserver(delay=0.05)
    n = 40
    ids = await _lines(store, n, ms(datetime.now(UTC)))
    outbox = _outbox(store, hs)
    outbox.start()
    due_at: dict[int, float] = {}
    try:
        await asyncio.sleep(0.1)
        for line_id in ids:
            due = time.time() + rng.choice([0.0, 0.0, rng.uniform(0.01, 0.3)])
            await _arm(store, line_id, int(due * 1000))
            due_at[line_id] = due
            if rng.random() < 0.5:
                outbox.kick()  # a row due now, made by someone else: the kick says so
            else:
                outbox.wake_hint(int(due * 1000))
            await asyncio.sleep(rng.uniform(0.0, 0.08))
        await hs.wait_for(n, timeout=10.0)
    finally:
        await outbox.stop()
    assert len(hs.arrived) == n
    late = sorted(hs.arrived.values())[-1] - max(due_at.values())
    assert late < 5.0, f"the last row went {late:.1f}s after it fell due"  # the sweep: an hour


async def test_a_round_that_raises_does_not_end_the_loop(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected error in a round is logged and the loop tries again (a task that died
    silently would leave every later ping unsent)."""
    monkeypatch.setattr(scheduler, "ERROR_PAUSE", 0.2)
    hs = Homeserver()
    boom = {"left": 1}

    async def send(room_id: str, content: dict[str, Any], txn: str) -> Sent | Failed:
        if boom["left"]:
            boom["left"] -= 1
            raise RuntimeError("a bug in a send")
        return await hs.send(room_id, content, txn)

    ids = await _lines(store, 1, ms(datetime.now(UTC)))
    await _arm(store, ids[0], ms(datetime.now(UTC)) - 1000)
    outbox = Outbox(store, Service(make_config()), send, sweep_seconds=SWEEP)
    outbox.start()
    try:
        await hs.wait_for(1, timeout=5.0)
    finally:
        await outbox.stop()
    assert len(hs.arrived) == 1 and boom["left"] == 0


@pytest.mark.parametrize("lines", [1, 2])
async def test_a_private_room_that_cannot_be_opened_waits_as_a_network_failure(store: Store, lines: int) -> None:
    """Opening a new private room raises while the homeserver is away: the ping (or the group of
    two lines due the same minute) waits as a network failure, so the homeserver's return frees
    it; nothing is sent meanwhile, and the round is not broken."""
    hs = Homeserver()
    ids = await _lines(store, lines, ms(datetime.now(UTC)))
    for line_id in ids:
        await _arm(store, line_id, ms(datetime.now(UTC)) - 1000)
    outbox = Outbox(store, Service(make_config()), hs.send, sweep_seconds=SWEEP)
    down = {"yes": True}

    async def private_room(user_id: str, room_id: str) -> str | None:
        if down["yes"]:
            raise OSError("connection refused")
        return room_id

    outbox.private_room = private_room
    outbox._paused = False
    await outbox.run()
    assert hs.calls == 0
    down["yes"] = False
    assert await outbox.connection_restored() == lines
    await outbox.run()
    assert len(hs.arrived) == 1 and hs.calls == 1
    await outbox.stop()


async def test_fence_then_start_again_runs_one_loop(store: Store) -> None:
    """A standby that becomes active again restarts the loop; there is never a second one."""
    hs = Homeserver()
    ids = await _lines(store, 2, ms(datetime.now(UTC)))
    outbox = _outbox(store, hs)
    outbox.start()
    task = outbox._task
    outbox.fence()
    outbox.start()  # before the fenced loop noticed: the same task carries on
    assert outbox._task is task
    await _arm(store, ids[0], ms(datetime.now(UTC)))
    outbox.kick()
    await hs.wait_for(1, timeout=10.0)
    outbox.fence()
    assert task is not None
    await asyncio.wait({task}, timeout=10)  # it ends after the round in progress
    assert task.done()
    outbox.start()
    assert outbox._task is not task
    await _arm(store, ids[1], ms(datetime.now(UTC)))
    outbox.kick()
    await hs.wait_for(2, timeout=10.0)
    await outbox.stop()
    assert len(hs.arrived) == 2


async def test_a_long_round_says_where_it_waits(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A round that goes on and on (a send that hangs) is logged with the code it waits in."""
    monkeypatch.setattr(scheduler, "ROUND_WARN", 0.1)
    release = asyncio.Event()

    async def send(room_id: str, content: dict[str, Any], txn: str) -> Sent | Failed:
        await release.wait()
        return Sent("$e")

    ids = await _lines(store, 1, ms(datetime.now(UTC)))
    await _arm(store, ids[0], ms(datetime.now(UTC)) - 1000)
    outbox = Outbox(store, Service(make_config()), send, sweep_seconds=SWEEP)

    def said() -> list[str]:
        return [r.getMessage() for r in caplog.records]

    def send_shown() -> bool:
        return any(m.startswith("task ") and "test_outbox_loop.py" in m and " send" in m for m in said())

    with caplog.at_level(logging.WARNING):
        outbox.start()
        try:
            deadline = time.monotonic() + 10
            while not send_shown() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        finally:
            release.set()
            await outbox.stop()
    assert any("outbox round has been running" in m and "bot/scheduler.py" in m and " run" in m for m in said())
    assert send_shown(), said()  # where each task waits: here, the send that does not end


async def test_a_stop_does_not_wait_for_ever_for_a_send_that_hangs(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM during a send that never ends: the stop gives up on it after STOP_WAIT, and the
    ping stays pending (sent again, under the same transaction ID, after the restart)."""
    monkeypatch.setattr(scheduler, "STOP_WAIT", 0.3)
    never = asyncio.Event()
    started = asyncio.Event()

    async def send(room_id: str, content: dict[str, Any], txn: str) -> Sent | Failed:
        started.set()
        await never.wait()
        return Sent("$never")

    ids = await _lines(store, 1, ms(datetime.now(UTC)))
    await _arm(store, ids[0], ms(datetime.now(UTC)) - 1000)
    outbox = Outbox(store, Service(make_config()), send, sweep_seconds=SWEEP)
    outbox.start()
    await asyncio.wait_for(started.wait(), 5)
    t0 = time.monotonic()
    await asyncio.wait_for(outbox.stop(), 5)
    assert time.monotonic() - t0 < 2
    async with store.read() as tx:
        assert len(await tx.due_pings(ms(datetime.now(UTC)))) == 1


async def test_the_next_claim_overlaps_the_last_sends_and_never_takes_a_row_being_sent(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batch after batch (here 10 rows, concurrency 2): the next batch is claimed while the
    current one's last sends are in flight (the sender is never idle between batches), those
    rows, still pending until recorded, are not claimed twice, and every row goes exactly once."""
    monkeypatch.setattr(scheduler, "BATCH", 10)
    monkeypatch.setattr(scheduler, "RECORD_EVERY", 3)
    ids = await _lines(store, 35, ms(datetime.now(UTC)))
    for i, line_id in enumerate(ids):
        await _arm(store, line_id, ms(datetime.now(UTC)) - 10_000 + i)  # claimed in this order
    in_flight: set[str] = set()
    sent: list[str] = []
    claims: list[float] = []

    async def send(room_id: str, content: dict[str, Any], txn: str) -> Sent | Failed:
        in_flight.add(txn)
        await asyncio.sleep(0.01 * random.random())
        in_flight.discard(txn)
        sent.append(txn)
        return Sent(f"$e-{txn}")

    outbox = Outbox(store, Service(make_config(group_pings=False)), send, sweep_seconds=SWEEP, concurrency=2)
    real_claim = outbox._claim_and_start

    async def counted(sending: Any) -> bool:
        claims.append(len(sending))  # sends of earlier batches not finished when this claim is made
        return await real_claim(sending)

    monkeypatch.setattr(outbox, "_claim_and_start", counted)
    outbox._paused = False
    await outbox.run()
    assert sorted(sent) == sorted(set(sent)) and len(sent) == 35  # each row once
    assert len(claims) == 4 and claims[0] == 0
    assert all(0 < n <= 4 for n in claims[1:]), claims  # made while 2 * concurrency sends were left
    async with store.read() as tx:
        assert await tx.due_pings(ms(datetime.now(UTC))) == []
        (n_sent,) = await tx._one("SELECT COUNT(*) FROM pings WHERE status = 'sent'")
    assert n_sent == 35
    await outbox.stop()


async def test_a_full_batch_takes_the_rest_of_its_owners_lines_due_together(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two owners, three lines each, all due at one minute, claimed in the order X, Y, X, Y, X, Y
    with a batch of 4: the batch takes the rest of both owners' lines, so each owner gets ONE
    message for its three lines (not a group of two and then a single)."""
    monkeypatch.setattr(scheduler, "BATCH", 4)
    due = ms(datetime.now(UTC)) - 5_000
    async with store.tx() as tx:
        for owner in ("@x:x", "@y:x"):
            await tx.update_owner(owner, due, room_id=f"!dm-{owner[1]}:x")
        await tx.bulk_add_lines([(owner, n, "axis", f"{owner} {n}", date(2030, 1, 1))
                                 for n in (1, 2, 3) for owner in ("@x:x", "@y:x")], due)
        line_ids = [int(r[0]) for r in await tx._all("SELECT id FROM lines ORDER BY id")]
        await tx.bulk_arm((line_id, date(2030, 1, 1), -7, due) for line_id in line_ids)
    rooms: list[str] = []

    async def send(room_id: str, content: dict[str, Any], txn: str) -> Sent | Failed:
        rooms.append(room_id)
        return Sent(f"$e{len(rooms)}")

    outbox = Outbox(store, Service(make_config()), send, sweep_seconds=SWEEP)
    outbox._paused = False
    await outbox.run()
    assert sorted(rooms) == ["!dm-x:x", "!dm-y:x"]
    async with store.read() as tx:
        for event in ("$e1", "$e2"):
            assert len(await tx.pings_by_event(event)) == 3
        assert await tx.due_pings(ms(datetime.now(UTC))) == []
