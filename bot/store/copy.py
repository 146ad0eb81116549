"""``renewal-bot db copy --config FILE --to postgresql://...``: move an SQLite deployment up.

Run with the bot stopped (the data dir's lock says so). Every table is copied (lines, renewal
history, owners' settings, both outboxes, handled events, rooms, the sync position), ids kept:
a ping's transaction ID is built from its line id, so the ids must not change, and the target's
id sequences start past the highest id SQLite ever gave out (deleted lines' ids are never reused).
The copy is one PostgreSQL transaction, the counts are compared before it commits, and the SQLite
file is never written: it is read through a snapshot copy (migrated there if it is older).
"""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

#: Copied first, in this order (foreign keys point at them); every other table follows.
FIRST = ("owners", "lines")


def tables_of(src: sqlite3.Connection) -> list[str]:
    """Every table of the SQLite database, parents first."""
    names = [r[0] for r in src.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return [t for t in FIRST if t in names] + [t for t in names if t not in FIRST]


class CopyError(Exception):
    """The copy cannot be made (target not empty, counts differ...); one line for the operator."""


@dataclass(frozen=True)
class CopyReport:
    counts: dict[str, int]

    def lines(self) -> list[str]:
        return [f"{t}: {n} rows" for t, n in self.counts.items()]


def _snapshot(src: Path, dest: Path) -> None:
    """A consistent copy of the SQLite database (online backup API), reading ``src`` only."""
    if not src.exists():
        raise CopyError(f"no SQLite database at {src}")
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


async def copy_to_postgres(sqlite_path: Path, conninfo: str) -> CopyReport:
    """Copy the SQLite database at ``sqlite_path`` into the (empty) PostgreSQL database."""
    from bot.store.postgres import Store as PgStore
    from bot.store.sqlite import Store as SqliteStore

    with tempfile.TemporaryDirectory(prefix="renewal-bot-copy-") as tmp:
        snap = Path(tmp) / "snapshot.sqlite3"
        _snapshot(sqlite_path, snap)
        # Bring the snapshot to the current schema (the original stays as it is).
        await (await SqliteStore.open(snap)).close()
        src = sqlite3.connect(snap)
        try:
            pg = await PgStore.open(conninfo)  # creates and migrates the schema
            await pg.close()
            async with await psycopg.AsyncConnection.connect(conninfo) as conn:
                return await _copy(src, conn)
        finally:
            src.close()
            shutil.rmtree(tmp, ignore_errors=True)


async def _copy(src: sqlite3.Connection, conn: psycopg.AsyncConnection[Any]) -> CopyReport:
    tables = tables_of(src)
    async with conn.transaction():
        for table in tables:
            cur = await conn.execute("SELECT to_regclass(%s)", (table,))
            row = await cur.fetchone()
            if row is None or row[0] is None:
                raise CopyError(f"{table}: no such table in PostgreSQL (schema versions differ?)")
            cur = await conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            row = await cur.fetchone()
            if row and row[0]:
                raise CopyError(f"the PostgreSQL database already has {table}: copy into an empty database")
        counts: dict[str, int] = {}
        for table in tables:
            src_cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            cur = await conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema()", (table,),
            )
            dest_cols = {r[0] for r in await cur.fetchall()}
            missing = [c for c in src_cols if c not in dest_cols]
            if missing:
                raise CopyError(f"{table}: columns {missing} have no place in PostgreSQL (schema versions differ?)")
            cols = ", ".join(f'"{c}"' for c in src_cols)
            n = 0
            async with conn.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                for values in src.execute(f"SELECT {cols} FROM {table}"):
                    await cp.write_row(values)
                    n += 1
            counts[table] = n
        for table in tables:
            cur = await conn.execute(
                "SELECT pg_get_serial_sequence(%s, 'id') FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = 'id' AND table_schema = current_schema()",
                (table, table),
            )
            row = await cur.fetchone()
            if row is None or row[0] is None:
                continue  # no identity id
            (top,) = src.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()
            if src.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
                seq = src.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
                top = max(int(top), int(seq[0]) if seq else 0)
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s, false)",
                (int(top) + 1,),
            )
        for table in tables:
            cur = await conn.execute(f"SELECT COUNT(*) FROM {table}")
            row = await cur.fetchone()
            (expected,) = src.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            if row is None or int(row[0]) != int(expected) or counts[table] != int(expected):
                raise CopyError(f"{table}: {row[0] if row else '?'} rows in PostgreSQL, {expected} in SQLite; nothing copied")
    return CopyReport(counts)
