"""Numbered SQL migrations, applied in order on start, each in its own transaction."""
from __future__ import annotations

import aiosqlite

from bot.store.numbered import numbered


class SchemaTooNew(Exception):
    """The database was written by a newer renewal-bot: running on it could lose data."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"schema version {found} is newer than {known}")
        self.found, self.known = found, known


def latest_version() -> int:
    return len(migrations())


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration, in order."""
    return numbered("bot.store.sqlite.migrations")


async def migrate(db: aiosqlite.Connection) -> int:
    """Bring the schema up to date; returns the resulting version."""
    (current,) = await (await db.execute("PRAGMA user_version")).fetchone()  # type: ignore[misc]
    if current > latest_version():
        raise SchemaTooNew(current, latest_version())
    for version, _name, sql in migrations():
        if version <= current:
            continue
        await db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _split(sql):
                await db.execute(statement)
            await db.execute(f"PRAGMA user_version = {version}")
            await db.commit()
        except BaseException:
            await db.rollback()
            raise
        current = version
    return int(current)


def _split(sql: str) -> list[str]:
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
