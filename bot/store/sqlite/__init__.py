"""The SQLite adapter of the store port (:mod:`bot.store.base`): aiosqlite, WAL, one lock.

All access goes through :meth:`Store.tx` (a write transaction) or :meth:`Store.read`; both hold one
lock, because a single connection would otherwise mix concurrent coroutines' statements into one
transaction. Each aggregate's statements live in their own module (owners, lines, pings, replies,
rooms); :class:`Tx` offers them all. Rows are read by column name (:class:`sqlite3.Row`).
"""
from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.core.model import PingRow
from bot.store.base import ReplyRow, StoredOwner, StoreError
from bot.store.sqlite.connection import Connection, InPlace
from bot.store.sqlite.data import DataQueries
from bot.store.sqlite.lines import Lines
from bot.store.sqlite.migrate import SchemaTooNew, latest_version, migrate
from bot.store.sqlite.ops import OpsFigures
from bot.store.sqlite.owners import Owners
from bot.store.sqlite.pings import Pings
from bot.store.sqlite.replies import HandledEvents, Replies
from bot.store.sqlite.rooms import KeyValue, Rooms

__all__ = ["PingRow", "ReplyRow", "Store", "StoreError", "StoredOwner", "Tx"]


class Tx(Owners, Lines, Pings, Replies, HandledEvents, Rooms, KeyValue, OpsFigures, DataQueries):
    """Queries on the store's connection; only valid inside ``Store.tx()`` / ``Store.read()``."""

    def __init__(self, db: Connection) -> None:
        super().__init__(db)


class Store:
    """Owns the connection. ``async with store.tx() as tx`` for writes, ``store.read()`` for reads."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self._lock = asyncio.Lock()
        # The performance seam (bot/store/sqlite/connection.py): statements run in place.
        self._conn = InPlace(db._conn)
        self._tx = Tx(self._conn)

    @classmethod
    async def open(cls, path: Path | str, *, check: bool = True) -> Store:
        """Open (creating if need be), check and migrate the database.

        Raises :class:`StoreError` for a corrupt or truncated file or one from a newer version.
        The connection is closed on any failure: aiosqlite's worker thread is not a daemon, and a
        connection left open would keep a failed process alive.
        """
        try:
            db = await aiosqlite.connect(str(path), isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"database {path}: cannot open it: {exc}") from None
        db.row_factory = sqlite3.Row
        try:
            await db.execute("PRAGMA busy_timeout = 5000")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            if check:
                rows = await db.execute_fetchall("PRAGMA quick_check")
                problems = [r[0] for r in rows if r[0] != "ok"]
                if problems:
                    raise StoreError(
                        f"database {path} is corrupt ({problems[0][:120]}); restore a backup "
                        "(renewal-bot db restore) or move the file away"
                    )
            await migrate(db)
        except BaseException as exc:
            await db.close()
            if isinstance(exc, SchemaTooNew):
                raise StoreError(
                    f"database {path} has schema version {exc.found}, newer than this renewal-bot "
                    f"knows ({latest_version()}): run a newer renewal-bot, or restore a backup of this version"
                ) from None
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"database {path} is unusable ({exc}); restore a backup or move the file away") from None
            raise
        return cls(db)

    @asynccontextmanager
    async def tx(self) -> AsyncIterator[Tx]:
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._tx
            except BaseException:
                self._conn.rollback()
                raise
            else:
                self._conn.commit()

    async def claim(
        self, now_ms: int, limit: int, *, claimant: str, lease_ms: int,
        exclude_replies: Collection[int] = (), exclude_pings: Collection[int] = (),
    ) -> tuple[list[ReplyRow], list[PingRow]]:
        """The outbox's claim: the due replies and pings (one process: reads, no lease)."""
        async with self.read() as tx:
            return (
                await tx.claim_replies(now_ms, limit, claimant=claimant, lease_ms=lease_ms, exclude=exclude_replies),
                await tx.claim_pings(now_ms, limit, claimant=claimant, lease_ms=lease_ms, exclude=exclude_pings),
            )

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        async with self._lock:
            yield self._tx

    async def close(self) -> None:
        await self._db.close()
