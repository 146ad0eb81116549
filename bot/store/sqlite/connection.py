"""The SQLite connection the aggregates share, and the one performance seam under them.

Seam: :class:`InPlace` runs statements on the event loop's thread, on the ``sqlite3`` connection
that aiosqlite opened (its private ``_conn``). Justified by ``bench/commands.py`` and
``bench/burst.py`` (bench/REPORT.md, "store"): a hand-off to aiosqlite's worker thread costs about
65 µs of CPU per statement on a 2-core machine, several times an indexed statement itself, and a
command runs 5 to 11 statements, a ping 4 to 8. The store's lock already lets one coroutine at a
time use the connection. To go back to aiosqlite's threaded path, give :class:`Base` the
``aiosqlite.Connection`` itself: it has the same ``execute``/``executemany``/``execute_fetchall``.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Protocol


class Connection(Protocol):
    """What the aggregates use of a connection (aiosqlite's, or :class:`InPlace`)."""

    async def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor: ...
    async def executemany(self, sql: str, rows: Iterable[Any]) -> sqlite3.Cursor: ...
    async def execute_fetchall(self, sql: str, params: Any = ()) -> Iterable[sqlite3.Row]: ...


class InPlace:
    """The store's ``sqlite3`` connection, with its statements run in place (see the module doc)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Any]) -> sqlite3.Cursor:
        return self._conn.executemany(sql, rows)

    async def execute_fetchall(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()

    def commit(self) -> None:
        self._conn.commit()

    def rollback(self) -> None:
        self._conn.rollback()


class Base:
    """Statement helpers every aggregate uses; rows come back as :class:`sqlite3.Row` (by name)."""

    def __init__(self, db: Connection) -> None:
        self.db = db

    # One hop per query (execute + fetch + close would be three on aiosqlite's thread).
    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self.db.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(await self.db.execute_fetchall(sql, params))

    async def _all_in(self, sql: str, keys: Iterable[Any], chunk: int = 500) -> list[Any]:
        """Rows for many keys: ``sql`` has one ``{}`` for the placeholders; 500 keys a query."""
        ids = list(dict.fromkeys(keys))
        rows: list[Any] = []
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            rows.extend(await self._all(sql.format(",".join("?" * len(part))), part))
        return rows


def days_of(text: str | None) -> tuple[int, ...] | None:
    """Lead days as stored ("7,3,1,0") -> (7, 3, 1, 0)."""
    if text is None:
        return None
    return tuple(int(x) for x in text.split(",") if x != "")


def days_text(days: Iterable[int] | None) -> str | None:
    return None if days is None else ",".join(str(d) for d in days)
