"""The PostgreSQL adapter of the store port: psycopg 3 (async) with a connection pool.

Several instances of one deployment share the database (README, "Running several instances"):

* **Statements** are the SQLite adapter's (portable SQL; its aggregates run over
  :class:`~bot.store.postgres.connection.PgConnection`, which only re-spells placeholders and
  ``INSERT OR IGNORE``); :class:`Tx` adds only what one process on SQLite does not need: claims.
* **Claims**: due outbox rows are claimed with ``FOR UPDATE SKIP LOCKED``; a claim holds while its
  instance's lease (one row in ``claimants``) runs, so an instance that died lets its rows go, and
  the row then says it was ``reclaimed`` from another instance, which may have sent it.
* **Wake-ups**: triggers (migration 008) ``NOTIFY`` ``renewal_bot_wake`` with the earliest new
  or moved ``not_before``; :meth:`Store.listen` hands it to the outbox.
* **The active instance** holds the ``leader`` row's lease (:mod:`bot.store.postgres.lease`).

One write transaction at a time per process (as with SQLite: the outbox and the sync loop never
interleave statements of two transactions); reads take their own pooled connection.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from bot.core.model import PingRow
from bot.store.base import ReplyRow, StoreError
from bot.store.numbered import numbered
from bot.store.postgres.connection import ROW_FACTORY, PgConnection, translate
from bot.store.sqlite import Tx as SqliteTx  # the shared SQL
from bot.store.sqlite.pings import PING_COLS, ping_of
from bot.store.sqlite.replies import REPLY_COLS, reply_of

log = logging.getLogger(__name__)

WAKE_CHANNEL = "renewal_bot_wake"
#: Two instances starting at once must not both migrate: a transaction-scoped advisory lock.
_MIGRATE_LOCK = 0x72656E6577616C  # "renewal"
_NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint"


def pg_migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of the PostgreSQL migrations, numbered like SQLite's."""
    return numbered("bot.store.postgres.migrations")


async def migrate(conn: psycopg.AsyncConnection[Any]) -> int:
    """Bring the schema up to date (under an advisory lock: instances may start together); the
    version. Up to date, it only reads the version: a start takes no table lock."""
    async with conn.transaction():
        # A migration due while another instance runs must not queue that instance's statements
        # behind its table locks for long: give up (the start fails, and says so) instead.
        await conn.execute("SET LOCAL lock_timeout = '30s'")
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
        await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        cur = await conn.execute("SELECT MAX(version) FROM schema_version")
        row = await cur.fetchone()
        current = int(row[0] or 0) if row else 0
        known = pg_migrations()
        if current > len(known):
            raise StoreError(
                f"the PostgreSQL database has schema version {current}, newer than this renewal-bot "
                f"knows ({len(known)}): run a newer renewal-bot"
            )
        for version, _name, sql in known:
            if version <= current:
                continue
            # The whole file in one simple-protocol call: function bodies hold semicolons.
            await conn.execute(sql)
            await conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
            current = version
    return current


def claim_statement(
    table: str, cols: str, order: str, now_ms: int, limit: int, claimant: str, lease_ms: int,
    exclude: Collection[int], owners: Collection[str] | None = None,
) -> tuple[str, tuple[Any, ...]]:
    """The claim of ``table``'s due rows, as (SQL, parameters); its rows are ``cols`` + ``prev``.

    One statement: lock the claimable due rows (SKIP LOCKED), found through the partial index on
    pending rows (not_before), reading what the caller needs as they are locked; register the
    claimant's lease when it takes rows (a sweep that finds nothing due writes nothing); mark
    the rows not yet ours, reached by their tuple id (a locked row cannot move: no index descent
    per row); return them with their previous holder. ``owners``: only these owners' rows (pings).
    """
    of_owners = "" if owners is None else "AND line_id IN (SELECT id FROM lines WHERE owner_id = ANY(?::text[])) "
    return (
        f"WITH c AS (SELECT ctid AS tid, {cols}, {order} AS sort_key, claimed_by AS prev, claimed_until AS held "
        f"FROM {table} WHERE status = 'pending' AND not_before <= ? AND (claimed_until IS NULL "
        "OR claimed_by = ? OR claimed_by NOT IN (SELECT name FROM claimants WHERE until_ms >= ?)) "
        f"AND id <> ALL(?::bigint[]) {of_owners}ORDER BY {order} LIMIT ? FOR UPDATE SKIP LOCKED), "
        "k AS (INSERT INTO claimants (name, until_ms) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM c) "
        "ON CONFLICT (name) DO UPDATE SET until_ms = GREATEST(claimants.until_ms, excluded.until_ms)), "
        f"u AS (UPDATE {table} SET claimed_by = ?, claimed_until = ? WHERE ctid = ANY(ARRAY("
        "SELECT tid FROM c WHERE held IS NULL OR prev IS DISTINCT FROM ?))) "
        f"SELECT {cols}, prev FROM c ORDER BY sort_key, id",
        (now_ms, claimant, now_ms, list(exclude), *(() if owners is None else (list(owners),)), limit, claimant,
         now_ms + lease_ms, claimant, now_ms + lease_ms, claimant),
    )


class Tx(SqliteTx):
    """The shared aggregates over a PostgreSQL connection, plus the claims between instances.

    Claims (see migration 008): a row is held by ``claimed_by`` while ``claimed_until`` is set and
    that instance's lease in ``claimants`` runs; a claim registers or extends the claimant's lease
    in the same statement. Renewing a lease is one row, whatever the outbox holds.
    """

    async def claim_pings(
        self, now_ms: int, limit: int, *, claimant: str, lease_ms: int, exclude: Collection[int] = ()
    ) -> list[PingRow]:
        """Claim up to ``limit`` due pings for ``claimant``, its lease running until ``now + lease``.

        Claimable: unclaimed, given up (``claimed_until`` NULL), ours, or held by an instance
        whose lease ran out; rows another transaction is claiming right now are skipped, not
        waited for. Only rows not already ours are written. ``reclaimed``: the previous claim was
        another instance's, which may have sent the ping before it died; the caller looks in the
        room first. ``exclude``: our rows being sent right now (the outbox's next claim overlaps
        their sends), never returned.
        """
        rows = await self._claim("pings", PING_COLS, "not_before", now_ms, limit, claimant, lease_ms, exclude)
        return [ping_of(r, reclaimed=r[-1] is not None and r[-1] != claimant) for r in rows]  # r[-1]: prev

    async def claim_pings_of(
        self, owner_ids: Collection[str], now_ms: int, limit: int, *, claimant: str, lease_ms: int,
        exclude: Collection[int] = (),
    ) -> list[PingRow]:
        """:meth:`claim_pings`, only these owners' rows (the rest of groups a full batch cut off)."""
        rows = await self._all(*claim_statement(
            "pings", PING_COLS, "not_before", now_ms, limit, claimant, lease_ms, exclude, owners=list(owner_ids)))
        return [ping_of(r, reclaimed=r[-1] is not None and r[-1] != claimant) for r in rows]  # r[-1]: prev

    async def claim_replies(
        self, now_ms: int, limit: int, *, claimant: str, lease_ms: int, exclude: Collection[int] = ()
    ) -> list[ReplyRow]:
        """Claim due replies like :meth:`claim_pings` (oldest first)."""
        rows = await self._claim("replies", REPLY_COLS, "id", now_ms, limit, claimant, lease_ms, exclude)
        return [reply_of(r, reclaimed=r[-1] is not None and r[-1] != claimant) for r in rows]  # r[-1]: prev

    async def _claim(
        self, table: str, cols: str, order: str, now_ms: int, limit: int, claimant: str, lease_ms: int,
        exclude: Collection[int],
    ) -> list[Any]:
        return await self._all(*claim_statement(table, cols, order, now_ms, limit, claimant, lease_ms, exclude))

    async def _insert_pending(self, rows: Sequence[tuple[int, str, int, int]]) -> None:
        """One statement for the whole batch (not one per row): one round trip, and the wake-up
        trigger fires once, with the batch's earliest due instant."""
        if not rows:
            return
        line_ids, expiries, offsets, dues = (list(col) for col in zip(*rows, strict=True))
        await self.db.execute(
            'INSERT INTO pings (line_id, expiry, "offset", due, not_before) SELECT l, e, o, d, d '
            "FROM unnest(?::bigint[], ?::text[], ?::int[], ?::bigint[]) AS t(l, e, o, d)",
            (line_ids, expiries, offsets, dues),
        )

    async def mark_pings_sent(self, rows: Iterable[tuple[int, str, int]]) -> None:
        """One statement for the batch: the server runs one plan, not one per row."""
        marks = list(rows)
        if not marks:
            return
        ids, events, stamps = (list(col) for col in zip(*marks, strict=True))
        await self.db.execute(
            "UPDATE pings SET status = 'sent', event_id = t.e, sent_at = t.s "
            "FROM unnest(?::bigint[], ?::text[], ?::bigint[]) AS t(i, e, s) WHERE pings.id = t.i",
            (ids, events, stamps),
        )

    async def retry_ping(self, ping_id: int, not_before_ms: int) -> None:
        # The claim is given up (claimed_until NULL) but its holder is remembered: whoever sends
        # the row next looks in the room first unless it is the same instance.
        await self.db.execute(
            "UPDATE pings SET attempts = attempts + 1, not_before = ?, claimed_until = NULL WHERE id = ?",
            (not_before_ms, ping_id),
        )

    async def extend_claims(self, claimant: str, until_ms: int) -> int:
        """The claimant is alive and still sending: its claims hold until ``until_ms`` (one row)."""
        cur = await self.db.execute(
            "UPDATE claimants SET until_ms = GREATEST(until_ms, ?) WHERE name = ?", (until_ms, claimant)
        )
        return int(cur.rowcount)

    async def release_claims(self, claimant: str) -> None:
        """A clean stop: the claimant's lease ends now; its rows go to whoever claims next, who
        looks in the room first (the holder stays recorded on each row)."""
        await self.db.execute("UPDATE claimants SET until_ms = 0 WHERE name = ?", (claimant,))


class Store:
    """A pool of connections to one PostgreSQL database. ``tx()`` for writes, ``read()`` for reads."""

    dialect = "postgresql"

    def __init__(self, pool: AsyncConnectionPool[Any], conninfo: str) -> None:
        self.pool = pool
        self.conninfo = conninfo
        self._lock = asyncio.Lock()
        self._listen_task: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, conninfo: str, *, pool_size: int = 4, timeout: float = 10.0) -> Store:
        """Connect, check and migrate. Raises :class:`StoreError` with one line for the operator."""
        try:
            conn = await psycopg.AsyncConnection.connect(conninfo, autocommit=True, connect_timeout=int(timeout))
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL: cannot connect: {_first_line(exc)}") from None
        try:
            await migrate(conn)
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL: cannot migrate the schema: {_first_line(exc)}") from None
        finally:
            await conn.close()
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            conninfo, min_size=2, max_size=pool_size, open=False, name="renewal-bot",
            kwargs={"autocommit": True, "row_factory": ROW_FACTORY},
        )
        try:
            await pool.open(wait=True, timeout=timeout)
        except Exception as exc:
            await pool.close()
            raise StoreError(f"PostgreSQL: cannot open the connection pool: {_first_line(exc)}") from None
        return cls(pool, conninfo)

    @asynccontextmanager
    async def tx(self) -> AsyncIterator[Tx]:
        async with self._lock, self.pool.connection() as conn, conn.transaction():
            yield Tx(PgConnection(conn))  # type: ignore[arg-type]

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        async with self.pool.connection() as conn:
            yield Tx(PgConnection(conn))  # type: ignore[arg-type]

    async def claim(
        self, now_ms: int, limit: int, *, claimant: str, lease_ms: int,
        exclude_replies: Collection[int] = (), exclude_pings: Collection[int] = (),
    ) -> tuple[list[ReplyRow], list[PingRow]]:
        """The outbox's claim: due replies and pings (see :meth:`Tx.claim_pings`), in ONE round
        trip and one commit.

        Both claim statements go in one pipeline with one Sync, which makes them one implicit
        transaction: no BEGIN and COMMIT round trips (four round trips were the larger part of a
        500-row claim on a loaded machine, bench/REPORT.md section 9). Each statement holds its
        row locks only while it runs; the claim itself (claimant, lease) is what the rows keep.
        Not under the store's lock: it waits on no lock of this process (SKIP LOCKED), and a
        command's transaction need not wait for it.
        """
        replies_sql, replies_args = claim_statement(
            "replies", REPLY_COLS, "id", now_ms, limit, claimant, lease_ms, exclude_replies)
        pings_sql, pings_args = claim_statement(
            "pings", PING_COLS, "not_before", now_ms, limit, claimant, lease_ms, exclude_pings)
        async with self.pool.connection() as conn, conn.pipeline() as pipeline:
            replies_cur = await conn.execute(translate(replies_sql), replies_args)
            pings_cur = await conn.execute(translate(pings_sql), pings_args)
            await pipeline.sync()
            reply_rows = await replies_cur.fetchall()
            ping_rows = await pings_cur.fetchall()
        return (
            [reply_of(r, reclaimed=r[-1] is not None and r[-1] != claimant) for r in reply_rows],  # r[-1]: prev
            [ping_of(r, reclaimed=r[-1] is not None and r[-1] != claimant) for r in ping_rows],
        )

    async def now_ms(self) -> int:
        """The database's clock (ms): leases are judged by one clock, not each machine's."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(f"SELECT {_NOW_MS}")
            row = await cur.fetchone()
            assert row is not None
            return int(row[0])

    def listen(self, on_wake: Callable[[int], Awaitable[None] | None]) -> None:
        """Call ``on_wake(not_before_ms)`` whenever some instance adds or moves a due row."""
        self._listen_task = asyncio.ensure_future(self._listen(on_wake))

    async def _listen(self, on_wake: Callable[[int], Awaitable[None] | None]) -> None:
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {WAKE_CHANNEL}")
                    delay = 0.5
                    async for note in conn.notifies():
                        try:
                            result = on_wake(int(note.payload))
                            if asyncio.iscoroutine(result):
                                await result
                        except ValueError:
                            continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("PostgreSQL wake-up listener lost its connection (%s); reconnecting", _first_line(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def close(self) -> None:
        if self._listen_task is not None:
            self._listen_task.cancel()
            try:
                await self._listen_task
            except (asyncio.CancelledError, Exception):
                pass
        await self.pool.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
