"""The suite's own PostgreSQL: it starts, answers on loopback, and gives each test its own database."""
from __future__ import annotations

from tests.postgres_server import PostgresServer


def test_each_test_gets_its_own_empty_database(postgres: PostgresServer, pg_url: str) -> None:
    name = pg_url.rsplit("/", 1)[1]
    assert pg_url.startswith("postgresql://") and ":" not in pg_url.split("@")[0][len("postgresql://"):]
    postgres.psql("CREATE TABLE t (x int); INSERT INTO t VALUES (41), (1)", database=name)
    assert postgres.psql("SELECT sum(x) FROM t", database=name).strip() == "42"
    other = postgres.create_database().rsplit("/", 1)[1]
    assert postgres.psql(
        "SELECT count(*) FROM pg_tables WHERE tablename = 't'", database=other
    ).strip() == "0"
