"""The outbox's batch writes (re-arming and marking a batch of sent pings) on both stores: the
same rows as the one-line-at-a-time calls they replace."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from bot.core.model import Line, PlannedPing
from bot.store.sqlite import Store

NOW = 1_770_000_000_000
EXPIRY = date(2026, 6, 30)


def planned(expiry: date, *offs: int) -> list[PlannedPing]:
    return [PlannedPing(offset=o, due=datetime.combine(expiry + timedelta(days=o), time(2), tzinfo=UTC))
            for o in sorted(offs)]


async def table(store: Store) -> list[tuple[object, ...]]:
    async with store.read() as tx:
        rows = await tx._all('SELECT line_id, expiry, "offset", snooze, due, not_before, status FROM pings')
    return sorted(tuple(r) for r in rows)


async def scene(store: Store) -> tuple[list[Line], list[tuple[Line, list[PlannedPing]]]]:
    """Four lines: one with a ping already sent (-7), one snoozed, one with nothing left to plan,
    one renewed (a new expiry); and the plans the outbox would re-arm them with."""
    async with store.tx() as tx:
        lines = [await tx.add_line(f"@u{i}:x", provider="axis", label="", expiry=EXPIRY, now_ms=NOW)
                 for i in range(4)]
        for line in lines:
            await tx.arm(line, planned(EXPIRY, -7, -3))
        sent = [r for r in await tx.due_pings(10**15, 100) if r.line_id == lines[0].id]
        await tx.mark_pings_sent([(sent[0].id, "$sent", NOW)])
        (snoozable,) = [r for r in await tx.due_pings(10**15, 100) if r.line_id == lines[1].id]
        await tx.snooze(snoozable, NOW + 86_400_000)
    renewed = replace(lines[3], expiry=date(2026, 9, 30))
    plans = [
        (lines[0], planned(EXPIRY, -7, -3, 1)),
        (lines[1], planned(EXPIRY, -3, 1)),
        (lines[2], []),
        (renewed, planned(renewed.expiry, -7, -3)),
        (lines[0], planned(EXPIRY, -7, -3, 1)),  # listed twice: armed once
    ]
    return lines, plans


async def test_arm_many_leaves_the_rows_arm_leaves_line_by_line(store: Store) -> None:
    for keep_snoozed in (True, False):
        _, plans = await scene(store)
        before = await table(store)
        async with store.tx() as tx:
            one_by_one = [await tx.arm(line, p, keep_snoozed=keep_snoozed) for line, p in plans]
        expected = await table(store)
        async with store.tx() as tx:  # back to the scene, then the batch
            await tx.db.execute("DELETE FROM pings")
        for row in before:
            async with store.tx() as tx:
                await tx.db.execute(
                    'INSERT INTO pings (line_id, expiry, "offset", snooze, due, not_before, status) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", row)
        async with store.tx() as tx:
            batch = await tx.arm_many(plans, keep_snoozed=keep_snoozed)
        assert await table(store) == expected
        assert batch == one_by_one
        assert [p.offset if p else None for p in batch] == [-3, -3, None, -7, -3]
        async with store.tx() as tx:
            await tx.db.execute("DELETE FROM pings")
            await tx.db.execute("DELETE FROM lines")


async def test_arm_many_of_nothing_writes_nothing(store: Store) -> None:
    async with store.tx() as tx:
        assert await tx.arm_many([]) == []
    assert await table(store) == []


async def test_a_batch_of_sent_marks_is_recorded_row_by_row(store: Store) -> None:
    async with store.tx() as tx:
        lines = [await tx.add_line("@a:x", provider="axis", label="", expiry=EXPIRY, now_ms=NOW) for _ in range(3)]
        for line in lines:
            await tx.arm(line, planned(EXPIRY, -7))
        rows = await tx.due_pings(10**15, 10)
        await tx.mark_pings_sent([(r.id, f"$e{r.id}", NOW + r.id) for r in rows[:2]])
        await tx.mark_pings_sent([])
    async with store.read() as tx:
        got = {tuple(r) for r in await tx._all("SELECT id, status, event_id, sent_at FROM pings")}
    assert got == {(rows[0].id, "sent", f"$e{rows[0].id}", NOW + rows[0].id),
                   (rows[1].id, "sent", f"$e{rows[1].id}", NOW + rows[1].id),
                   (rows[2].id, "pending", None, None)}


async def test_a_batch_reads_its_owners_profile_zones_in_one_query(store: Store) -> None:
    """Rendering and re-arming a batch asks each owner's m.tz: read for the whole batch at once
    (``get_kvs``), then answered without a query, also for an owner that has none."""
    from bot.service.owners import PROFILE_TZ_KEY, Owners
    from bot.store.batch_reads import BatchReads

    async with store.tx() as tx:
        a = await tx.add_line("@a:x", provider="axis", label="", expiry=EXPIRY, now_ms=NOW)
        b = await tx.add_line("@b:x", provider="axis", label="", expiry=EXPIRY, now_ms=NOW)
        room = await tx.add_line("!room:x", provider="axis", label="", expiry=EXPIRY, now_ms=NOW)
        for line in (a, b, room):
            await tx.arm(line, planned(EXPIRY, -7))
        await tx.set_kv(PROFILE_TZ_KEY + "@a:x", "Asia/Taipei")
        assert await tx.get_kvs([PROFILE_TZ_KEY + "@a:x", PROFILE_TZ_KEY + "@b:x"]) == {
            PROFILE_TZ_KEY + "@a:x": "Asia/Taipei"}
        rows = await tx.due_pings(10**15, 10)
        known = await BatchReads.fetch(tx, rows, Owners.profile_key)

        async def no_query(key: str) -> str | None:
            raise AssertionError(f"read {key} again")

        tx.get_kv = no_query  # type: ignore[method-assign]
        try:
            assert await known.get_kv(PROFILE_TZ_KEY + "@a:x") == "Asia/Taipei"
            assert await known.get_kv(PROFILE_TZ_KEY + "@b:x") is None
        finally:
            del tx.get_kv
