"""Numbered SQL migrations, applied in order on start, each in its own transaction."""
from __future__ import annotations

import re
from importlib import resources

import aiosqlite

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class SchemaTooNew(Exception):
    """The database was written by a newer renewal-bot: running on it could lose data."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"schema version {found} is newer than {known}")
        self.found, self.known = found, known


def latest_version() -> int:
    return len(migrations())


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration, in order."""
    found = []
    for entry in resources.files("bot.store.sqlite.migrations").iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 001, 002, ... without gaps: {versions}")
    return found


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
