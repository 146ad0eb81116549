"""Shared fixtures: one real Synapse per test session, fresh users per test.

Starting Synapse costs ~1.5-2.5 s, a registration ~10 ms, so every test gets its own users and
rooms on a shared server instead of its own server: tests stay independent and the suite fast.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from bot.dev.server import Homeserver, Registered
from tests.integration.matrix_user import MakeUser
from tests.postgres_server import PostgresServer


@pytest.fixture(scope="session")
def homeserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Homeserver]:
    """Synapse with every rate limit out of reach: for tests about behaviour, not limits."""
    hs = Homeserver(tmp_path_factory.mktemp("synapse"), ratelimits=False)
    with hs:
        yield hs


@pytest.fixture(scope="session")
def homeserver_limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Homeserver]:
    """Synapse with its default rate limits, like a real deployment.

    Session-scoped but lazy: only started if some test asks for it.
    """
    hs = Homeserver(tmp_path_factory.mktemp("synapse-limited"), ratelimits=True)
    with hs:
        yield hs


def _user_factory(hs: Homeserver) -> MakeUser:
    def make(prefix: str = "u", *, admin: bool = False, password: str | None = None) -> Registered:
        """Register a fresh, uniquely named user, e.g. `@u-1a2b3c4d:localhost`."""
        return hs.register(f"{prefix}-{uuid.uuid4().hex[:8]}", password, admin=admin)

    return make


@pytest.fixture
def make_user(homeserver: Homeserver) -> MakeUser:
    """`make_user()` -> a new `Registered` user on the `homeserver` fixture."""
    return _user_factory(homeserver)


@pytest.fixture
def make_limited_user(homeserver_limited: Homeserver) -> MakeUser:
    """`make_limited_user()` -> a new user on the rate-limited homeserver."""
    return _user_factory(homeserver_limited)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """One real PostgreSQL server per test session, on 127.0.0.1 (lazy: started on first use)."""
    with PostgresServer(tmp_path_factory.mktemp("postgres")) as pg:
        yield pg


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """A fresh, empty database on the session's PostgreSQL: its URL (no password: trust)."""
    return postgres.create_database()
