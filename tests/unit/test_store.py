"""The SQLite store on a real file: migrations, numbering, owner scoping, the outboxes, transactions."""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.core.model import Line, PlannedPing
from bot.store.sqlite import Store, Tx
from bot.store.sqlite.migrate import migrate, migrations

A = "@alice:example.org"
B = "@bob:example.org"
NOW = 1_770_000_000_000  # ms
EXPIRY = date(2026, 6, 30)


def at(day: date, hour: int = 2) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def planned(expiry: date, *offs: int) -> list[PlannedPing]:
    return [PlannedPing(offset=o, due=at(expiry + timedelta(days=o))) for o in sorted(offs)]


async def add(tx: Tx, owner: str, provider: str = "axis", label: str = "", expiry: date = EXPIRY) -> Line:
    return await tx.add_line(owner, provider=provider, label=label, expiry=expiry, now_ms=NOW)


async def pending_rows(store: Store, line_id: int) -> list[tuple]:
    async with store.read() as tx:
        rows = await tx._all(
            "SELECT expiry, \"offset\", due, status FROM pings WHERE line_id = ? AND status = 'pending'", (line_id,)
        )
    return [tuple(r) for r in rows]


# --- migrations --------------------------------------------------------------------------------


async def test_migrations_apply_wal_is_on_and_reopening_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    latest = len(migrations())
    assert latest >= 1
    s = await Store.open(path)
    async with s.read() as tx:
        (version,) = await tx._one("PRAGMA user_version")
        (mode,) = await tx._one("PRAGMA journal_mode")
        tables = {r[0] for r in await tx._all("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert version == latest
    assert mode.lower() == "wal"
    assert {"owners", "lines", "renewals", "pings", "handled_events", "replies", "rooms", "kv"} <= tables
    async with s.tx() as tx:
        await add(tx, A, label="kept")
    assert await migrate(s._db) == latest  # running again changes nothing
    await s.close()

    s = await Store.open(path)  # open twice: no error, nothing lost, same version
    async with s.read() as tx:
        (version,) = await tx._one("PRAGMA user_version")
        line = await tx.get_line(A, 1)
    await s.close()
    assert version == latest
    assert line is not None and line.label == "kept"
    # Another connection sees a WAL database too.
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"


async def test_a_version_1_database_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    (_, _, sql_v1) = migrations()[0]
    with sqlite3.connect(path) as raw:
        raw.executescript(sql_v1)
        raw.execute("PRAGMA user_version = 1")
        raw.execute("INSERT INTO lines (id, owner_id, number, provider, label, expiry, created_at, updated_at) "
                    "VALUES (7, ?, 1, 'axis', 'old', '2026-06-30', 0, 0)", (A,))
        raw.execute('INSERT INTO pings (line_id, expiry, "offset", due, not_before) VALUES (7, ?, -7, 5, 5)',
                    ("2026-06-30",))
    raw.close()
    s = await Store.open(path)
    try:
        async with s.read() as tx:
            (version,) = await tx._one("PRAGMA user_version")
            line = await tx.get_line(A, 1)
            assert version == len(migrations())
            assert line is not None and (line.id, line.label) == (7, "old")
            assert await tx.pending_ping(7) == (-7, 5)
        async with s.tx() as tx:  # and the upgraded schema works
            assert (await add(tx, A)).number == 2
    finally:
        await s.close()


def test_migrations_are_numbered_without_gaps() -> None:
    found = migrations()
    assert [v for v, _, _ in found] == list(range(1, len(found) + 1))
    assert all(sql.strip() for _, _, sql in found)


# --- lines: numbering and owner scoping --------------------------------------------------------


async def test_add_line_takes_the_smallest_free_number(store: Store) -> None:
    async with store.tx() as tx:
        numbers = [(await add(tx, A)).number for _ in range(3)]
        assert numbers == [1, 2, 3]
        two = await tx.get_line(A, 2)
        assert two is not None
        await tx.delete_line(A, two.id)
        assert (await add(tx, A, label="again")).number == 2
        assert (await add(tx, A)).number == 4
        first = await tx.get_line(A, 1)
        assert first is not None
        await tx.delete_line(A, first.id)
        assert (await add(tx, A)).number == 1
        # Numbers are per owner: Bob starts at 1.
        assert (await add(tx, B)).number == 1
        assert await tx.count_lines(A) == 4
        assert await tx.count_lines(B) == 1


async def test_a_line_reads_back_as_stored(store: Store) -> None:
    async with store.tx() as tx:
        line = await tx.add_line(A, provider="xl", label="Mum's <phone> ☎", expiry=date(2028, 2, 29), now_ms=NOW,
                                 mention="@mum:example.org")
        got = await tx.get_line(A, line.number)
        assert got == line
        assert await tx.get_line_by_id(line.id) == line
        assert got.lead_days is None and got.reminders_off is False


async def test_owner_a_can_never_reach_owner_bs_line(store: Store) -> None:
    async with store.tx() as tx:
        b_line = await add(tx, B, label="Bob's")
        await tx.arm(b_line, planned(EXPIRY, -7, -3))
        assert await tx.get_line(A, b_line.number) is None
        assert await tx.list_lines(A) == []
        assert await tx.count_lines(A) == 0

        await tx.delete_line(A, b_line.id)  # Alice names Bob's line id
        assert await tx.get_line(B, b_line.number) == b_line
        assert await tx.pending_ping(b_line.id) is not None, "Bob's ping survives Alice's delete"

        forged = Line(id=b_line.id, owner_id=A, number=1, provider="evil", label="mine now", expiry=date(2027, 1, 1))
        await tx.update_line(forged, NOW)
        assert await tx.get_line(B, b_line.number) == b_line

        a_line = await add(tx, A, label="Alice's")
        assert [ln.id for ln in await tx.list_lines(A)] == [a_line.id]
        assert [ln.id for ln in await tx.list_lines(B)] == [b_line.id]
        assert a_line.number == b_line.number == 1
        assert (await tx.get_line(A, 1)).label == "Alice's"
        assert (await tx.get_line(B, 1)).label == "Bob's"


async def test_delete_line_takes_its_pings_and_renewals_with_it(store: Store) -> None:
    """ON DELETE CASCADE: nothing of a removed line is left behind. (Its id is never reused, so its
    sent pings guarded nothing.) Another owner's line and its pings stay."""
    async with store.tx() as tx:
        line = await add(tx, A)
        other = await add(tx, B)
        await tx.arm(other, planned(EXPIRY, -7))
        await tx.arm(line, planned(EXPIRY, -7))
        (row, _) = sorted(await tx.due_pings(ms(at(EXPIRY, 23))), key=lambda r: r.line_id != line.id)
        await tx.mark_ping_sent(row.id, "$ev", NOW)
        await tx.arm(line, planned(EXPIRY, -7, -3))
        await tx.add_renewal(line.id, EXPIRY, EXPIRY + timedelta(days=30), NOW)
        await tx.delete_line(B, line.id)  # not B's line: nothing happens
        assert await tx.get_line(A, line.number) is not None
        await tx.delete_line(A, line.id)
        assert await tx.get_line(A, line.number) is None
        assert await tx.pending_ping(line.id) is None
        assert await tx.ping_by_event("$ev") is None
        assert await tx.last_renewal(line.id) is None
        assert await tx.pending_ping(other.id) is not None


async def test_update_line_and_list_order(store: Store) -> None:
    async with store.tx() as tx:
        late = await add(tx, A, label="late", expiry=date(2026, 9, 1))
        soon = await add(tx, A, label="soon", expiry=date(2026, 6, 1))
        assert [ln.label for ln in await tx.list_lines(A)] == ["soon", "late"]
        changed = replace(late, expiry=date(2026, 5, 20), lead_days=(5, 2), reminders_off=True, label="now first")
        await tx.update_line(changed, NOW + 1)
        assert await tx.get_line(A, late.number) == changed
        assert [ln.label for ln in await tx.list_lines(A)] == ["now first", "soon"]
        assert [ln.label for ln in await tx.list_lines(A, offset=1, limit=1)] == ["soon"]
        assert soon.number == 2


async def test_owner_settings_round_trip(store: Store) -> None:
    async with store.tx() as tx:
        assert await tx.get_owner(A) is None
        await tx.update_owner(A, NOW, timezone="Asia/Jakarta", ping_time=time(8, 30), lead_days=(5, 1),
                              language="id", language_set=True, room_id="!dm:example.org")
        o = await tx.get_owner(A)
        assert (o.timezone, o.ping_time, o.lead_days, o.language, o.language_set, o.room_id) == (
            "Asia/Jakarta", time(8, 30), (5, 1), "id", True, "!dm:example.org")
        await tx.update_owner(A, NOW, lead_days=())  # reminders off for all
        assert (await tx.get_owner(A)).lead_days == ()
        with pytest.raises(ValueError):  # only settings columns can be set
            await tx.update_owner(A, NOW, created_at=0)
        assert await tx.get_owner(B) is None


async def test_renewals(store: Store) -> None:
    async with store.tx() as tx:
        line = await add(tx, A)
        assert await tx.last_renewal(line.id) is None
        await tx.add_renewal(line.id, date(2026, 6, 30), date(2026, 7, 30), NOW)
        await tx.add_renewal(line.id, date(2026, 7, 30), date(2026, 8, 29), NOW)
        assert await tx.last_renewal(line.id) == (date(2026, 7, 30), date(2026, 8, 29))


# --- the ping outbox ---------------------------------------------------------------------------


async def test_arm_keeps_exactly_one_pending_ping_per_line(store: Store) -> None:
    async with store.tx() as tx:
        line = await add(tx, A)
        first = await tx.arm(line, planned(EXPIRY, -7, -3, 0))
        assert first is not None and first.offset == -7
        await tx.arm(line, planned(EXPIRY, -3, 0))
        await tx.arm(line, planned(EXPIRY, -1))
    rows = await pending_rows(store, line.id)
    assert len(rows) == 1
    assert rows[0][1] == -1
    async with store.tx() as tx:
        assert await tx.arm(line, []) is None
    assert await pending_rows(store, line.id) == []


async def test_arm_never_replans_a_ping_that_was_sent_or_skipped(store: Store) -> None:
    async with store.tx() as tx:
        line = await add(tx, A)
        await tx.arm(line, planned(EXPIRY, -7, -3, 0))
        (row,) = await tx.due_pings(ms(at(EXPIRY, 23)))
        assert (row.offset, row.expiry) == (-7, EXPIRY)
        await tx.mark_ping_sent(row.id, "$sent", NOW)
        # The same plan again (say the owner changed the ping time): -7 is done, -3 comes next.
        nxt = await tx.arm(line, planned(EXPIRY, -7, -3, 0))
        assert nxt is not None and nxt.offset == -3
        (row,) = await tx.due_pings(ms(at(EXPIRY, 23)))
        await tx.mark_ping_dropped(row.id, NOW)
        nxt = await tx.arm(line, planned(EXPIRY, -7, -3, 0))
        assert nxt is not None and nxt.offset == 0
        # After a renewal the expiry is new, so the same offsets are new pings.
        renewed = replace(line, expiry=date(2026, 7, 30))
        await tx.update_line(renewed, NOW)
        nxt = await tx.arm(renewed, planned(renewed.expiry, -7, -3, 0))
        assert nxt is not None and (nxt.offset, nxt.due) == (-7, at(date(2026, 7, 23)))
    rows = await pending_rows(store, line.id)
    assert rows == [("2026-07-30", -7, ms(at(date(2026, 7, 23))), "pending")]


async def test_due_pings_next_wake_sent_and_retry(store: Store) -> None:
    async with store.tx() as tx:
        assert await tx.next_wake() is None
        l1 = await add(tx, A, expiry=date(2026, 6, 10))
        l2 = await add(tx, B, expiry=date(2026, 6, 20))
        await tx.arm(l1, planned(l1.expiry, -1))
        await tx.arm(l2, planned(l2.expiry, -7))
        due1, due2 = ms(at(date(2026, 6, 9))), ms(at(date(2026, 6, 13)))
        assert await tx.next_wake() == due1
        assert await tx.pending_pings([l1.id, l2.id]) == {l1.id: (-1, due1), l2.id: (-7, due2)}
        assert await tx.pending_pings([]) == {}

        assert await tx.due_pings(due1 - 1) == []
        (row,) = await tx.due_pings(due1)
        assert (row.line_id, row.offset, row.due, row.attempts) == (l1.id, -1, due1, 0)
        assert [r.line_id for r in await tx.due_pings(due2)] == [l1.id, l2.id]  # earliest first
        assert len(await tx.due_pings(due2, limit=1)) == 1

        # A failed send waits: not due before its new not_before, attempts counted, due kept.
        await tx.retry_ping(row.id, due1 + 60_000)
        assert [r.line_id for r in await tx.due_pings(due1 + 59_999)] == []
        assert await tx.next_wake() == due1 + 60_000
        (again,) = await tx.due_pings(due1 + 60_000)
        assert (again.id, again.attempts, again.due) == (row.id, 1, due1)

        await tx.mark_ping_sent(row.id, "$event", due1 + 60_000)
        assert await tx.pending_ping(l1.id) is None
        assert await tx.next_wake() == due2
        status, event_id = await tx._one("SELECT status, event_id FROM pings WHERE id = ?", (row.id,))
        assert (status, event_id) == ("sent", "$event")
        assert [r.line_id for r in await tx.due_pings(due2 * 2)] == [l2.id]


# --- handled events and the reply outbox -------------------------------------------------------


async def test_mark_handled_is_true_only_the_first_time(store: Store) -> None:
    async with store.tx() as tx:
        assert not await tx.is_handled("$e1")
        assert await tx.mark_handled("$e1", "!room", NOW) is True
        assert await tx.mark_handled("$e1", "!room", NOW + 5) is False
        assert await tx.is_handled("$e1")
        assert await tx.mark_handled("$e2", "!room", NOW) is True
        await tx.prune_handled(NOW + 1)
        assert not await tx.is_handled("$e1")


async def test_reply_outbox(store: Store) -> None:
    content = {"msgtype": "m.notice", "body": "Line 1 <ok> 续费 ✓", "format": "org.matrix.custom.html",
               "formatted_body": "Line 1 &lt;ok&gt;"}
    async with store.tx() as tx:
        await tx.enqueue_reply("reply-$e1", "!room", "m.room.message", content, NOW)
        await tx.enqueue_reply("reply-$e1", "!room", "m.room.message", {"body": "dup"}, NOW)  # same txn: ignored
        await tx.enqueue_reply("reply-$e2", "!other", "m.room.message", {"body": "second"}, NOW + 1)
        assert await tx.next_wake() == NOW
        r1, r2 = await tx.due_replies(NOW + 1)
        assert (r1.txn_id, r1.room_id, r1.msgtype, r1.content, r1.attempts) == (
            "reply-$e1", "!room", "m.room.message", content, 0)
        assert r2.content == {"body": "second"}
        assert [r.txn_id for r in await tx.due_replies(NOW)] == ["reply-$e1"]

        await tx.mark_reply_sent(r1.id)
        await tx.retry_reply(r2.id, NOW + 10_000)
        assert await tx.due_replies(NOW + 9_999) == []
        (again,) = await tx.due_replies(NOW + 10_000)
        assert (again.id, again.attempts) == (r2.id, 1)
        await tx.retry_reply(r2.id, NOW + 20_000, give_up=True)
        assert await tx.due_replies(NOW * 2) == []
        assert await tx.next_wake() is None


async def test_rooms_and_kv(store: Store) -> None:
    async with store.tx() as tx:
        assert await tx.room_joined_at("!r") is None
        await tx.room_joined("!r", NOW)
        await tx.room_joined("!r", NOW + 1)  # the first join time is kept
        assert await tx.room_joined_at("!r") == NOW
        assert await tx.get_kv("since") is None
        await tx.set_kv("since", "s1")
        await tx.set_kv("since", "s2")
        assert await tx.get_kv("since") == "s2"


# --- transactions ------------------------------------------------------------------------------


class Boom(Exception):
    pass


@pytest.mark.sqlite_only
async def test_a_transaction_that_raises_is_rolled_back(store: Store, tmp_path: Path) -> None:
    with pytest.raises(Boom):
        async with store.tx() as tx:
            line = await add(tx, A, label="ghost")
            await tx.arm(line, planned(EXPIRY, -7))
            await tx.mark_handled("$ghost", "!room", NOW)
            await tx.enqueue_reply("reply-$ghost", "!room", "m.room.message", {"body": "x"}, NOW)
            await tx.update_owner(A, NOW, timezone="Asia/Jakarta")
            raise Boom
    async with store.read() as tx:
        assert await tx.count_lines(A) == 0
        assert await tx.next_wake() is None
        assert not await tx.is_handled("$ghost")
        assert await tx.get_owner(A) is None
    # The store still works, and what a good transaction writes is on disk for another connection.
    async with store.tx() as tx:
        await add(tx, A, label="real")
    with sqlite3.connect(tmp_path / "bot.sqlite3") as raw:
        assert raw.execute("SELECT label FROM lines").fetchall() == [("real",)]


@pytest.mark.sqlite_only  # PostgreSQL's own: tests/unit/test_store_claims.py
async def test_foreign_keys_are_declared_with_cascade(store: Store) -> None:
    async with store.read() as tx:
        for table in ("pings", "renewals"):
            (fk,) = await tx._all(f"PRAGMA foreign_key_list({table})")
            assert (fk["table"], fk["from"], fk["to"], fk["on_delete"]) == ("lines", "line_id", "id", "CASCADE")
        assert (await tx._one("PRAGMA foreign_keys"))[0] == 1


@pytest.mark.parametrize("adapter", ["sqlite", "postgresql"])
def test_each_adapter_offers_every_method_of_the_port(adapter: str) -> None:
    """The port's Protocols and the adapters agree method by method (names and keyword arguments)."""
    import inspect

    from bot.store import base
    from bot.store.postgres import Tx as PgTx

    cls = Tx if adapter == "sqlite" else PgTx
    for name, member in inspect.getmembers(base.Tx, inspect.isfunction):
        if name.startswith("_"):
            continue
        impl = getattr(cls, name, None)
        assert impl is not None, f"the {adapter} store lacks {name}"
        assert list(inspect.signature(impl).parameters) == list(inspect.signature(member).parameters), name
