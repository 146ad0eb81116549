"""Claims that several workers share (PostgreSQL): SKIP LOCKED, leases, reclaims, wake-ups.

The same calls on SQLite (one process) simply return the due rows: the first test runs on both.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
        assert await tx.extend_claims("A", NOW + 3 * LEASE) == 1  # A's lease: one row, not one per claim
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


async def test_a_clean_stop_lets_another_instance_take_the_rows_at_once(pg: PgStore) -> None:
    await seed(pg, 2)
    async with pg.tx() as tx:
        await tx.claim_pings(NOW, 10, claimant="A", lease_ms=LEASE)
        await tx.release_claims("A")
    async with pg.tx() as tx:  # well inside A's lease: released, not expired
        rows = await tx.claim_pings(NOW + 1, 10, claimant="B", lease_ms=LEASE)
    assert len(rows) == 2 and all(r.reclaimed for r in rows)


async def test_the_lease_renewal_keeps_the_rows_and_touches_no_outbox_row(pg: PgStore) -> None:
    from bot.store.postgres.lease import Acquired, Lease

    await seed(pg, 3)
    lease = Lease(pg.pool, "A", LEASE)
    assert isinstance(await lease.try_acquire(), Acquired)
    async with pg.tx() as tx:
        await tx.claim_pings(NOW, 10, claimant="A", lease_ms=LEASE)
        (before,) = await tx._one("SELECT SUM(xmin::text::bigint) FROM pings")
    assert await lease.renew() is not None  # the database's clock: far past NOW + LEASE
    async with pg.tx() as tx:
        (after,) = await tx._one("SELECT SUM(xmin::text::bigint) FROM pings")
        assert await tx.claim_pings(NOW + 10 * LEASE, 10, claimant="B", lease_ms=LEASE) == []
    assert after == before  # renewing rewrote no ping


async def test_claiming_rows_already_ours_rewrites_none_of_them(pg: PgStore) -> None:
    await seed(pg, 3)
    async with pg.tx() as tx:
        first = await tx.claim_pings(NOW, 10, claimant="A", lease_ms=LEASE)
        (before,) = await tx._one("SELECT SUM(xmin::text::bigint) FROM pings")
    async with pg.tx() as tx:
        again = await tx.claim_pings(NOW + 1, 10, claimant="A", lease_ms=LEASE)
        (after,) = await tx._one("SELECT SUM(xmin::text::bigint) FROM pings")
    assert [r.id for r in again] == [r.id for r in first] and after == before


async def test_replies_are_claimed_and_reclaimed_like_pings(pg: PgStore) -> None:
    async with pg.tx() as tx:
        for i in range(3):
            await tx.enqueue_reply(f"reply-$e{i}", "!r:x", "m.notice", {"body": f"r{i}"}, NOW - 10 + i)
    async with pg.tx() as tx:
        a = await tx.claim_replies(NOW, 10, claimant="A", lease_ms=LEASE)
    assert [r.txn_id for r in a] == ["reply-$e0", "reply-$e1", "reply-$e2"] and not any(r.reclaimed for r in a)
    assert a[0].created_at == NOW - 10
    async with pg.tx() as tx:
        assert await tx.claim_replies(NOW + 1, 10, claimant="B", lease_ms=LEASE) == []
        b = await tx.claim_replies(NOW + LEASE + 1, 10, claimant="B", lease_ms=LEASE)
    assert [r.id for r in b] == [r.id for r in a] and all(r.reclaimed for r in b)


async def test_a_claim_wakes_nobody_but_a_row_due_at_another_time_does(pg: PgStore, pg_url: str) -> None:
    await seed(pg, 2)
    woke: asyncio.Queue[int] = asyncio.Queue()
    pg.listen(woke.put_nowait)
    other = await PgStore.open(pg_url)
    try:
        await asyncio.sleep(0.3)  # the listener connects
        async with other.tx() as tx:
            (row, _) = await tx.claim_pings(NOW, 10, claimant="A", lease_ms=LEASE)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(woke.get(), timeout=0.5)
        async with other.tx() as tx:
            await tx.retry_ping(row.id, NOW + 777)
        assert await asyncio.wait_for(woke.get(), timeout=5) == NOW + 777
    finally:
        await other.close()


async def test_a_start_takes_no_table_lock(pg: PgStore, pg_url: str) -> None:
    """Another instance starting (after a crash, say) must not queue behind the active one's open
    transactions, nor queue the active one's statements behind its own (it used to re-create the
    wake-up triggers at every start: an exclusive lock on the outbox tables)."""
    await seed(pg, 1)
    async with pg.tx() as tx:
        await tx.claim_pings(NOW, 10, claimant="A", lease_ms=LEASE)  # the transaction stays open
        again = await asyncio.wait_for(PgStore.open(pg_url), timeout=5)
        await again.close()


async def test_postgresql_refuses_a_newer_schema(pg: PgStore, pg_url: str) -> None:
    from bot.store.base import StoreError

    async with pg.tx() as tx:
        await tx.db.execute("INSERT INTO schema_version (version) VALUES (?)", (len(pg_migrations()) + 1,))
    with pytest.raises(StoreError, match="newer than this renewal-bot"):
        await PgStore.open(pg_url)


async def test_a_reply_another_instance_may_have_sent_is_looked_for_first(pg: PgStore) -> None:
    """Exactly once for replies too: a reply whose claim came from a dead instance is sent only if
    it is not already in its room (found by the transaction ID every reply carries)."""
    from bot.matrix.lookup import REPLY_ID_KEY
    from bot.matrix.sender import Failed, Sent
    from bot.scheduler import Outbox
    from bot.service import Service
    from tests.unit.conftest import make_config

    now = datetime.now(UTC)
    now_ms = int(now.timestamp() * 1000)
    async with pg.tx() as tx:
        await tx.enqueue_reply("reply-$sent", "!r:x", "m.notice", {"body": "one"}, now_ms - 2000)
        await tx.enqueue_reply("reply-$lost", "!r:x", "m.notice", {"body": "two"}, now_ms - 1000)
        await tx.claim_replies(now_ms - 500, 10, claimant="dead", lease_ms=100)  # then it died
    sent: list[tuple[str, dict[str, Any]]] = []
    looked: list[tuple[str, str, int, str]] = []

    async def send(room_id: str, content: dict[str, Any], txn: str) -> Sent | Failed:
        sent.append((txn, content))
        return Sent(f"$new-{txn}")

    async def find_sent(room_id: str, ident: str, since_ms: int, key: str = "") -> str | None:
        looked.append((room_id, ident, since_ms, key))
        return "$already" if ident == "reply-$sent" else None

    outbox = Outbox(pg, Service(make_config()), send, clock=lambda: now, claimant="alive", lease_ms=LEASE,
                    find_sent=find_sent)
    outbox._paused = False  # drive it by hand, without its scheduler
    await outbox._drain_once()
    assert sorted(looked) == [("!r:x", "reply-$lost", now_ms - 1000, REPLY_ID_KEY),
                              ("!r:x", "reply-$sent", now_ms - 2000, REPLY_ID_KEY)]
    assert sent == [("reply-$lost", {"body": "two", REPLY_ID_KEY: "reply-$lost"})]
    async with pg.read() as tx:
        assert await tx.sent_reply_event("reply-$sent") == "$already"
        assert await tx.sent_reply_event("reply-$lost") == "$new-reply-$lost"
    await outbox.stop()


async def test_a_config_url_without_a_password_opens_the_store_over_tcp_and_a_unix_socket(
    postgres: Any, pg_url: str
) -> None:
    """Trust or peer authentication: ``[store] url`` with no password, no password_env/file."""
    from bot.app import open_store
    from bot.config import parse_config

    name = pg_url.rsplit("/", 1)[1]
    socket_url = f"postgresql://renewal@/{name}?host={postgres.root}&port={postgres.port}"
    for url in (pg_url, socket_url):
        cfg = parse_config({
            "matrix": {"homeserver": "https://hs.x", "user_id": "@bot:x", "password": "x"},
            "store": {"url": url},
        })
        assert cfg.store.conninfo() == url  # nothing added
        store = await open_store(cfg)
        try:
            async with store.read() as tx:
                assert await tx.get_kv("nothing") is None
        finally:
            await store.close()


async def test_the_outbox_claim_takes_replies_and_pings_and_leaves_out_those_being_sent(store: Store) -> None:
    """``Store.claim`` (one pipelined round trip on PostgreSQL): both outboxes, oldest first,
    never the rows the caller says it is sending; on PostgreSQL the claim is committed (another
    instance gets nothing until the lease ends)."""
    await seed(store, 4)
    async with store.tx() as tx:
        for i in range(3):
            await tx.enqueue_reply(f"reply-$c{i}", "!r:x", "m.notice", {"body": f"r{i}"}, NOW - 10 + i)
    replies, pings = await store.claim(NOW, 10, claimant="A", lease_ms=LEASE)
    assert [r.txn_id for r in replies] == ["reply-$c0", "reply-$c1", "reply-$c2"] and len(pings) == 4
    assert not any(r.reclaimed for r in [*replies, *pings])
    again_r, again_p = await store.claim(NOW + 1, 2, claimant="A", lease_ms=LEASE,
                                         exclude_replies=[replies[0].id], exclude_pings=[pings[0].id, pings[1].id])
    assert [r.id for r in again_r] == [replies[1].id, replies[2].id]
    assert [p.id for p in again_p] == [pings[2].id, pings[3].id]
    if getattr(store, "dialect", "sqlite") == "postgresql":
        assert await store.claim(NOW + 2, 10, claimant="B", lease_ms=LEASE) == ([], [])
        b_r, b_p = await store.claim(NOW + 2 + 2 * LEASE, 10, claimant="B", lease_ms=LEASE)
        assert len(b_r) == 3 and len(b_p) == 4 and all(r.reclaimed for r in [*b_r, *b_p])


async def test_claiming_the_rest_of_some_owners_lines(store: Store) -> None:
    """``claim_pings_of``: only those owners' due rows, not the excluded ones; claimed like any
    claim on PostgreSQL (another instance gets none of them while the lease runs)."""
    ids = await seed(store, 4)  # owners @u0 .. @u3, one line each
    async with store.tx() as tx:
        rows = await tx.claim_pings_of(["@u1:x", "@u3:x"], NOW, 10, claimant="A", lease_ms=LEASE)
        assert sorted(r.line_id for r in rows) == [ids[1], ids[3]]
        rows = await tx.claim_pings_of(["@u1:x", "@u3:x"], NOW, 10, claimant="A", lease_ms=LEASE,
                                       exclude=[r.id for r in rows if r.line_id == ids[1]])
        assert [r.line_id for r in rows] == [ids[3]]
        assert await tx.claim_pings_of([], NOW, 10, claimant="A", lease_ms=LEASE) == []
    if getattr(store, "dialect", "sqlite") == "postgresql":
        async with store.tx() as tx:
            others = await tx.claim_pings(NOW + 1, 10, claimant="B", lease_ms=LEASE)
        assert sorted(r.line_id for r in others) == [ids[0], ids[2]]
