"""The PostgreSQL adapter of the store port: psycopg 3 (async) with a connection pool.

Several instances of one deployment share the database (README, "Running several instances"):

* **Statements** are the SQLite adapter's where the dialects agree (its aggregates run over
  :class:`~bot.store.postgres.connection.PgConnection`, which only re-spells placeholders and
  ``INSERT OR IGNORE``); :class:`Tx` overrides the methods whose SQL must differ.
* **Claims**: due outbox rows are claimed with ``FOR UPDATE SKIP LOCKED`` and a lease (who, until
  when, on the database's clock); an expired claim makes a row claimable again, and the row then
  says it was ``reclaimed`` from another instance, which may have sent it.
* **Wake-ups**: a statement trigger ``NOTIFY``s ``renewal_bot_wake`` with the earliest new
  ``not_before``; :meth:`Store.listen` hands it to the outbox.
* **The active instance** holds the ``leader`` row's lease (:mod:`bot.store.postgres.lease`).

One write transaction at a time per process (as with SQLite: the outbox and the sync loop never
interleave statements of two transactions); reads take their own pooled connection.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import date
from importlib import resources
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from bot.core.model import Line, PingRow, PlannedPing
from bot.store.base import ReplyRow, StoreError
from bot.store.postgres.connection import ROW_FACTORY, PgConnection
from bot.store.sqlite import Tx as SqliteTx  # the shared SQL

log = logging.getLogger(__name__)

WAKE_CHANNEL = "renewal_bot_wake"
#: Two instances starting at once must not both migrate: a transaction-scoped advisory lock.
_MIGRATE_LOCK = 0x72656E6577616C  # "renewal"
_NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint"


def pg_migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of the PostgreSQL migrations, numbered like SQLite's."""
    import re

    name = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
    found = []
    for entry in resources.files("bot.store.postgres.migrations").iterdir():
        m = name.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    if [v for v, _, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("PostgreSQL migrations must be numbered 001, 002, ... without gaps")
    return found


_TRIGGERS = """
CREATE OR REPLACE FUNCTION renewal_bot_wake() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE earliest BIGINT;
BEGIN
    SELECT MIN(not_before) INTO earliest FROM changed WHERE status = 'pending';
    IF earliest IS NOT NULL THEN
        PERFORM pg_notify('renewal_bot_wake', earliest::text);
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS pings_wake_ins ON pings;
CREATE TRIGGER pings_wake_ins AFTER INSERT ON pings REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION renewal_bot_wake();
DROP TRIGGER IF EXISTS pings_wake_upd ON pings;
CREATE TRIGGER pings_wake_upd AFTER UPDATE ON pings REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION renewal_bot_wake();
DROP TRIGGER IF EXISTS replies_wake_ins ON replies;
CREATE TRIGGER replies_wake_ins AFTER INSERT ON replies REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION renewal_bot_wake()
"""


async def migrate(conn: psycopg.AsyncConnection[Any]) -> int:
    """Bring the schema up to date (each migration in its own transaction); the version."""
    async with conn.transaction():
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
            for statement in _split(sql):
                await conn.execute(statement)
            await conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
            current = version
        await conn.execute(_TRIGGERS)
    return current


def _split(sql: str) -> list[str]:
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


class Tx(SqliteTx):
    """The shared aggregates over a PostgreSQL connection, plus what PostgreSQL spells differently."""

    async def list_lines(self, owner_id: str, *, offset: int = 0, limit: int = -1) -> list[Line]:
        return await super().list_lines(owner_id, offset=offset, limit=limit if limit >= 0 else 2**62)

    async def arm(
        self, line: Line, planned: Iterable[PlannedPing], *, keep_snoozed: bool = False
    ) -> PlannedPing | None:
        # SQLite's "(snooze = 0 OR ?)" takes an integer; PostgreSQL wants a boolean there.
        if keep_snoozed:
            await self.db.execute(
                "DELETE FROM pings WHERE line_id = ? AND status = 'pending' AND snooze = 0", (line.id,)
            )
        else:
            await self.db.execute("DELETE FROM pings WHERE line_id = ? AND status = 'pending'", (line.id,))
        done = {
            r[0]
            for r in await self._all(
                'SELECT "offset" FROM pings WHERE line_id = ? AND expiry = ? AND snooze = 0',
                (line.id, line.expiry.isoformat()),
            )
        }
        for ping in planned:
            if ping.offset in done:
                continue
            due = int(ping.due.timestamp() * 1000)
            await self.db.execute(
                'INSERT INTO pings (line_id, expiry, "offset", due, not_before) VALUES (?, ?, ?, ?, ?)',
                (line.id, line.expiry.isoformat(), ping.offset, due, due),
            )
            return ping
        return None

    async def room_rejoined(self, room_id: str, joined_at_ms: int, *, is_direct: bool | None = None) -> None:
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, is_direct) VALUES (?, ?, ?) ON CONFLICT (room_id) "
            "DO UPDATE SET left_at = NULL, is_direct = COALESCE(excluded.is_direct, rooms.is_direct)",
            (room_id, joined_at_ms, None if is_direct is None else int(is_direct)),
        )

    async def move_owner(self, old: str, new: str, now_ms: int) -> int:
        # SQLite's "UPDATE OR IGNORE owners": PostgreSQL has no such thing; keep the new room's
        # settings when it has some, else take the old room's.
        if await self._one("SELECT 1 FROM owners WHERE owner_id = ?", (new,)) is None:
            await self.db.execute("UPDATE owners SET owner_id = ? WHERE owner_id = ?", (new, old))
        moved = await self._move_lines(old, new, now_ms)
        await self.db.execute("UPDATE owners SET room_id = ? WHERE room_id = ?", (new, old))
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, scamguard) SELECT ?, ?, scamguard FROM rooms WHERE room_id = ? "
            "ON CONFLICT (room_id) DO UPDATE SET scamguard = excluded.scamguard",
            (new, now_ms, old),
        )
        return moved

    async def _move_lines(self, old: str, new: str, now_ms: int) -> int:
        taken = {r[0] for r in await self._all("SELECT number FROM lines WHERE owner_id = ?", (new,))}
        moved = await self._all("SELECT id, number FROM lines WHERE owner_id = ? ORDER BY number", (old,))
        keep = {r[1] for r in moved if r[1] not in taken}
        taken |= keep
        for line_id, number in moved:
            if number not in keep:
                number = next(n for n in range(1, len(taken) + 2) if n not in taken)
                taken.add(number)
            await self.db.execute(
                "UPDATE lines SET owner_id = ?, number = ?, updated_at = ? WHERE id = ?", (new, number, now_ms, line_id)
            )
        return len(moved)

    async def ping_counts(self, since_ms: int, now_ms: int) -> tuple[int, int]:
        row = await self._one(
            "SELECT COUNT(*) FILTER (WHERE status = 'sent'), COUNT(*) FILTER (WHERE attempts > 0) FROM pings "
            "WHERE due >= ? AND due <= ?",
            (since_ms, now_ms),
        )
        return int(row[0]), int(row[1])

    # --- claims: several workers share the outbox --------------------------------------------
    async def claim_pings(self, now_ms: int, limit: int, *, claimant: str, lease_ms: int) -> list[PingRow]:
        """Claim up to ``limit`` due pings for ``claimant`` until ``now + lease``.

        A row is claimable when nobody holds it, its claim expired, or ``claimant`` holds it
        already; rows another transaction is claiming right now are skipped, not waited for.
        ``reclaimed`` says the previous claim was another instance's: it may have sent the ping
        before it died, so the caller looks in the room first.
        """
        rows = await self._all(
            "WITH c AS (SELECT id, claimed_by AS prev FROM pings WHERE status = 'pending' AND not_before <= ? "
            "AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?) "
            "ORDER BY not_before LIMIT ? FOR UPDATE SKIP LOCKED) "
            "UPDATE pings p SET claimed_by = ?, claimed_until = ? FROM c WHERE p.id = c.id "
            'RETURNING p.id, p.line_id, p.expiry, p."offset", p.due, p.attempts, p.snooze, c.prev',
            (now_ms, now_ms, claimant, limit, claimant, now_ms + lease_ms),
        )
        return sorted(
            (_claimed_ping(r, claimant) for r in rows), key=lambda p: (p.due, p.id)
        )

    async def claim_replies(self, now_ms: int, limit: int, *, claimant: str, lease_ms: int) -> list[ReplyRow]:
        """Claim due replies like :meth:`claim_pings`."""
        import json

        rows = await self._all(
            "WITH c AS (SELECT id FROM replies WHERE status = 'pending' AND not_before <= ? "
            "AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?) "
            "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED) "
            "UPDATE replies r SET claimed_by = ?, claimed_until = ? FROM c WHERE r.id = c.id "
            "RETURNING r.id, r.txn_id, r.room_id, r.msgtype, r.content, r.attempts",
            (now_ms, now_ms, claimant, limit, claimant, now_ms + lease_ms),
        )
        return sorted((ReplyRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows), key=lambda r: r.id)

    async def retry_ping(self, ping_id: int, not_before_ms: int) -> None:
        # The claim ends (claimed_until NULL) but its holder is remembered: whoever sends the row
        # next looks in the room first unless it is the same instance.
        await self.db.execute(
            "UPDATE pings SET attempts = attempts + 1, not_before = ?, claimed_until = NULL WHERE id = ?",
            (not_before_ms, ping_id),
        )

    async def extend_claims(self, claimant: str, until_ms: int) -> int:
        """The claimant is alive and still sending: its claims hold until ``until_ms``."""
        cur = await self.db.execute(
            "UPDATE pings SET claimed_until = ? WHERE claimed_by = ? AND claimed_until IS NOT NULL "
            "AND status = 'pending'",
            (until_ms, claimant),
        )
        cur2 = await self.db.execute(
            "UPDATE replies SET claimed_until = ? WHERE claimed_by = ? AND claimed_until IS NOT NULL "
            "AND status = 'pending'",
            (until_ms, claimant),
        )
        return int(cur.rowcount) + int(cur2.rowcount)

    async def release_claims(self, claimant: str) -> None:
        """A clean stop: the claims end now (the holder stays recorded for the room check)."""
        for table in ("pings", "replies"):
            await self.db.execute(
                f"UPDATE {table} SET claimed_until = NULL WHERE claimed_by = ? AND status = 'pending'", (claimant,)
            )


def _claimed_ping(r: Any, claimant: str) -> PingRow:
    prev = r[7]
    return PingRow(
        r[0], r[1], date.fromisoformat(r[2]), r[3], r[4], r[5], r[6],
        reclaimed=prev is not None and prev != claimant,
    )


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
