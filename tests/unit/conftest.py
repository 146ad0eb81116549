"""Shared unit-test fixtures: a real store (SQLite in a temporary folder, and PostgreSQL) and a
test config.

Every test that takes ``store`` runs twice: on SQLite and on a fresh PostgreSQL database (the
session's server, tests/postgres_server.py; each database is a copy of a migrated template, so
a test pays ~30 ms for it, not a migration). Mark a test ``@pytest.mark.sqlite_only`` when it is
about the SQLite file itself."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config, parse_config
from bot.store.sqlite import Store
from tests.postgres_server import PostgresServer


def make_config(**bot: object) -> Config:
    """A config for service tests: Jakarta time, pings at 09:00, unless ``bot`` says otherwise."""
    return parse_config({
        "matrix": {"homeserver": "https://hs.x", "user_id": "@bot:x", "password": "x"},
        "bot": {"default_timezone": "Asia/Jakarta", "default_time": "09:00", **bot},
    })


@pytest.fixture(scope="session")
def pg_template(postgres: PostgresServer) -> str:
    """The name of a migrated PostgreSQL database that each test's database is copied from."""
    import asyncio
    import concurrent.futures

    from bot.store.postgres import Store as PgStore

    postgres.create_database("store_template")

    async def migrate() -> None:
        await (await PgStore.open(postgres.url("store_template"))).close()

    # Session fixtures are set up inside a test's running loop: migrate on a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, migrate()).result()
    return "store_template"


def _create_from_template(pg: PostgresServer, name: str, template: str) -> None:
    """``CREATE DATABASE ... TEMPLATE`` refuses while any session is still attached to the template
    ("source database ... is being accessed by other users", after PostgreSQL's own 5 s wait). On a
    loaded machine a just-closed connection's backend can outlive that wait: try again, briefly,
    for that error only (any other error fails the test at once)."""
    import subprocess
    import time

    for attempt in range(6):
        try:
            pg.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except subprocess.CalledProcessError as exc:
            if "being accessed by other users" not in (exc.stderr or "") or attempt == 5:
                raise
            time.sleep(0.5 * (attempt + 1))


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated store (SQLite on a real file, or a fresh PostgreSQL database), closed after the test."""
    if request.param == "sqlite":
        db = await Store.open(tmp_path / "bot.sqlite3")
    else:
        if request.node.get_closest_marker("sqlite_only"):
            pytest.skip("about the SQLite file itself")
        from bot.store.postgres import Store as PgStore

        pg: PostgresServer = request.getfixturevalue("postgres")
        template = request.getfixturevalue("pg_template")
        name = f"t_{uuid.uuid4().hex[:12]}"
        _create_from_template(pg, name, template)
        db = await PgStore.open(pg.url(name))  # type: ignore[assignment]
    try:
        yield db
    finally:
        await db.close()
