"""Claims that several workers share (PostgreSQL): SKIP LOCKED, leases, reclaims, wake-ups.

The same calls on SQLite (one process) simply return the due rows: the first test runs on both.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.model import PlannedPing
from bot.store.postgres import Store as PgStore
from bot.store.postgres import pg_migrations
from bot.store.sqlite import Store
from bot.store.sqlite.migrate import migrations as sqlite_migrations

NOW = 1_770_000_000_000
LEASE = 5_000
EXPIRY = date(2026, 6, 30)


async def seed(store: Store | PgStore, n: int, due_ms: int = NOW - 1000) -> list[int]:
    """``n`` lines of one owner, each with one ping due at ``due_ms``; their line ids."""
    due = datetime.fromtimestamp(due_ms / 1000, UTC)
    ids = []
    async with store.tx() as tx:
        for i in range(n):
            line = await tx.add_line(f"@u{i}:x", provider="axis", label="", expiry=EXPIRY, now_ms=NOW)
            await tx.arm(line, [PlannedPing(offset=-1, due=due)])
            ids.append(line.id)
    return ids


@pytest.fixture
async def pg(pg_url: str) -> AsyncIterator[PgStore]:
    s = await PgStore.open(pg_url)
    try:
        yield s
    finally:
        await s.close()


async def test_claiming_returns_the_due_rows_on_either_store(store: Store) -> None:
    await seed(store, 3)
    await seed(store, 1, due_ms=NOW + 60_000)  # not due yet
    async with store.tx() as tx:
        rows = await tx.claim_pings(NOW, 10, claimant="A", lease_ms=LEASE)
    assert len(rows) == 3 and not any(r.reclaimed for r in rows)


async def test_a_claimed_row_is_not_claimed_again_until_its_lease_expires(pg: PgStore) -> None:
    await seed(pg, 4)
    async with pg.tx() as tx:
        a = await tx.claim_pings(NOW, 10, claimant="A", lease_ms=LEASE)
    async with pg.tx() as tx:
        assert await tx.claim_pings(NOW + LEASE - 1, 10, claimant="B", lease_ms=LEASE) == []
    # A claims its own rows again (it is still sending them): not "reclaimed".
    async with pg.tx() as tx:
        again = await tx.claim_pings(NOW + 1, 10, claimant="A", lease_ms=LEASE)
    assert {r.id for r in again} == {r.id for r in a} and not any(r.reclaimed for r in again)
    # A died: once its lease is over, B gets every row, each marked as reclaimed from another instance.
    async with pg.tx() as tx:
        b = await tx.claim_pings(NOW + 1 + LEASE + 1, 10, claimant="B", lease_ms=LEASE)
    assert {r.id for r in b} == {r.id for r in a} and all(r.reclaimed for r in b)


async def test_an_extended_claim_keeps_other_workers_off(pg: PgStore) -> None:
    await seed(pg, 2)
    async with pg.tx() as tx:
        await tx.claim_pings(NOW, 10, claimant="A", lease_ms=LEASE)
        assert await tx.extend_claims("A", NOW + 3 * LEASE) == 2
    async with pg.tx() as tx:
        assert await tx.claim_pings(NOW + 2 * LEASE, 10, claimant="B", lease_ms=LEASE) == []


async def test_a_failed_send_releases_the_claim_but_the_next_sender_checks_the_room(pg: PgStore) -> None:
    await seed(pg, 1)
    async with pg.tx() as tx:
        (row,) = await tx.claim_pings(NOW, 10, claimant="A", lease_ms=LEASE)
        await tx.retry_ping(row.id, NOW + 100)
    async with pg.tx() as tx:
        (again,) = await tx.claim_pings(NOW + 200, 10, claimant="B", lease_ms=LEASE)
    assert again.id == row.id and again.attempts == 1 and again.reclaimed


async def test_concurrent_claims_skip_locked_rows_instead_of_waiting(pg: PgStore, pg_url: str) -> None:
    await seed(pg, 10)
    other = await PgStore.open(pg_url)
    try:
        holding = asyncio.Event()
        release = asyncio.Event()
        first: list[int] = []

        async def worker_a() -> None:
            async with pg.tx() as tx:
                first.extend(r.id for r in await tx.claim_pings(NOW, 5, claimant="A", lease_ms=LEASE))
                holding.set()
                await release.wait()  # A's transaction is still open: its rows are locked

        task = asyncio.ensure_future(worker_a())
        await holding.wait()
        async with other.tx() as tx:
            second = [r.id for r in await asyncio.wait_for(
                tx.claim_pings(NOW, 10, claimant="B", lease_ms=LEASE), timeout=5)]
        release.set()
        await task
        assert len(first) == 5 and len(second) == 5 and not set(first) & set(second)
    finally:
        await other.close()


async def test_a_new_due_row_wakes_the_other_instances(pg: PgStore, pg_url: str) -> None:
    woke: asyncio.Queue[int] = asyncio.Queue()
    pg.listen(woke.put_nowait)
    other = await PgStore.open(pg_url)
    try:
        await asyncio.sleep(0.3)  # the listener connects
        await seed(other, 1, due_ms=NOW + 42)
        assert await asyncio.wait_for(woke.get(), timeout=5) == NOW + 42
    finally:
        await other.close()


async def test_both_dialects_have_the_same_numbered_migrations() -> None:
    assert [v for v, _, _ in pg_migrations()] == [v for v, _, _ in sqlite_migrations()]
    assert [n for _, n, _ in pg_migrations()] == [n for _, n, _ in sqlite_migrations()]


async def test_a_url_without_a_password_works_and_reopening_does_not_migrate_again(pg_url: str) -> None:
    for _ in range(2):
        s = await PgStore.open(pg_url)
        async with s.read() as tx:
            (version,) = await tx._one("SELECT MAX(version) FROM schema_version")
        await s.close()
    assert version == len(pg_migrations())


async def test_the_database_clock_is_used_for_leases(pg: PgStore) -> None:
    db_now = await pg.now_ms()
    assert abs(db_now - datetime.now(UTC).timestamp() * 1000) < timedelta(seconds=5).total_seconds() * 1000


async def test_foreign_keys_cascade_a_lines_pings_and_renewals(pg: PgStore) -> None:
    (line_id,) = await seed(pg, 1)
    async with pg.tx() as tx:
        await tx.add_renewal(line_id, EXPIRY, date(2026, 7, 30), NOW)
        await tx.delete_line("@u0:x", line_id)
    async with pg.read() as tx:
        assert (await tx._one("SELECT COUNT(*) FROM pings"))[0] == 0
        assert (await tx._one("SELECT COUNT(*) FROM renewals"))[0] == 0
