"""A psycopg connection that speaks to the shared aggregates the way an SQLite connection does.

The SQL of the store's aggregates is standard SQL with ``?`` placeholders, written once (in
:mod:`bot.store.sqlite`); where the dialects differ, :mod:`bot.store.postgres` overrides the
method. This seam translates what is purely spelling, once per distinct statement (cached):

* ``?`` -> ``%s`` (psycopg's placeholder; a literal ``%`` is doubled);
* ``INSERT OR IGNORE INTO ...`` -> ``INSERT INTO ... ON CONFLICT DO NOTHING``;
* a lone ``INSERT INTO`` a table with an ``id`` gets ``RETURNING id``, so ``cursor.lastrowid``
  means what it means in SQLite.

Rows come back as :class:`Row`: a tuple that can also be read by column name, like
:class:`sqlite3.Row`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from psycopg import AsyncConnection, AsyncCursor
from psycopg.rows import BaseRowFactory, RowMaker

_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_INSERT_ID = re.compile(r"^\s*INSERT\s+INTO\s+(lines|pings|renewals|replies)\b(?!.*\bRETURNING\b)", re.IGNORECASE | re.S)


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """SQLite spelling -> PostgreSQL spelling (see the module doc)."""
    out = sql.replace("%", "%%").replace("?", "%s")
    if _OR_IGNORE.match(out):
        out = _OR_IGNORE.sub("INSERT INTO", out, count=1).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return out


@lru_cache(maxsize=1024)
def translate_one(sql: str) -> str:
    """:func:`translate`, plus ``RETURNING id`` for a single insert (see the module doc)."""
    out = translate(sql)
    if _INSERT_ID.match(out) and "ON CONFLICT DO NOTHING" not in out:
        out = out.rstrip().rstrip(";") + " RETURNING id"
    return out


class Row(tuple):  # type: ignore[type-arg]
    """A result row: by position (``row[0]``) or by column name (``row["id"]``)."""

    __slots__ = ()
    _names: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_names": {n: i for i, n in enumerate(names)}})


def row_factory(cursor: AsyncCursor[Any]) -> RowMaker[Row]:
    """psycopg row factory making :class:`Row` objects."""
    desc = cursor.description
    cls = _row_class(tuple(c.name for c in desc) if desc else ())
    return cls


ROW_FACTORY: BaseRowFactory[Row] = row_factory  # type: ignore[assignment]


class Result:
    """What ``execute`` returns: the rows affected (``rowcount``) and, for ``RETURNING``, rows."""

    __slots__ = ("rowcount", "rows", "lastrowid")

    def __init__(self, rowcount: int, rows: list[Row]) -> None:
        self.rowcount = rowcount
        self.rows = rows
        self.lastrowid = rows[0][0] if rows else None

    def fetchall(self) -> list[Row]:
        return self.rows

    def fetchone(self) -> Row | None:
        return self.rows[0] if self.rows else None


class PgConnection:
    """One psycopg connection (inside a transaction, or in autocommit for reads)."""

    def __init__(self, conn: AsyncConnection[Any]) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        cur = await self.conn.execute(translate_one(sql), tuple(params))
        rows = await cur.fetchall() if cur.description else []
        return Result(cur.rowcount, rows)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Result:
        params = [tuple(r) for r in rows]
        if not params:
            return Result(0, [])
        async with self.conn.cursor() as cur:
            await cur.executemany(translate(sql), params)
            return Result(cur.rowcount, [])

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cur = await self.conn.execute(translate(sql), tuple(params))
        return await cur.fetchall()
