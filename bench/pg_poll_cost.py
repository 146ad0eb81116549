"""What the burst harness's own polling cost on PostgreSQL (issue 14, section 9, fourth pass).

    python -m bench.pg_poll_cost --pg-dir /tmp/pgbench/pgserver [--db burst_1] [--seconds 20]

Until the fourth pass, ``bench.postgres`` watched the PostgreSQL bot's burst by opening a new
``Store`` every 0.25 s (a connection for the schema check, a pool of two more, each a new server
backend) and reading every sent row; the SQLite bot was watched with one ``COUNT`` on its file
every 0.1 s. This replays both PostgreSQL polls against a database of a finished burst, each for
``--seconds``, and reports the CPU they take per second: the polling process's and the server's
(postmaster and backends). That CPU ran on the two cores Synapse needed, in the PostgreSQL runs only.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path
from typing import Any

from bench.common import save, tree_cpu_s


async def old_poll(url: str) -> None:
    """The first three passes' ``pg_sent``: a new store, every sent row, closed."""
    from bot.store.postgres import Store as PgStore

    store = await PgStore.open(url)
    try:
        async with store.read() as tx:
            await tx._all("SELECT line_id, event_id FROM pings WHERE status = 'sent'")
    finally:
        await store.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.postgres import PG_SETTINGS
    from bot.store.postgres import Store as PgStore
    from tests.postgres_server import PostgresServer

    pg = PostgresServer(Path(args.pg_dir), dict(PG_SETTINGS))
    pg.start()
    out: dict[str, Any] = {"params": vars(args), "loadavg_before": os.getloadavg()}
    try:
        url = pg.url(args.db)
        assert pg.proc is not None
        kept = await PgStore.open(url)
        try:
            async def new_poll() -> None:
                async with kept.read() as tx:
                    await tx._one("SELECT COUNT(*) FROM pings WHERE status = 'sent'")

            for name, poll, every in (("old: new store per poll, all sent rows", old_poll, 0.25),
                                      ("new: one pool, COUNT", None, 0.1)):
                me0, srv0, t0 = time.process_time(), tree_cpu_s(pg.proc.pid), time.monotonic()
                polls = 0
                while time.monotonic() - t0 < args.seconds:
                    await (poll(url) if poll is not None else new_poll())
                    polls += 1
                    await asyncio.sleep(every)
                span = time.monotonic() - t0
                row = {"poll": name, "every_s": every, "polls": polls,
                       "poller_cores": round((time.process_time() - me0) / span, 4),
                       "server_cores": round((tree_cpu_s(pg.proc.pid) - srv0) / span, 4)}
                print(row, flush=True)
                out.setdefault("polls", []).append(row)
        finally:
            await kept.close()
    finally:
        pg.stop()
    out["loadavg_after"] = os.getloadavg()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pg-dir", required=True)
    p.add_argument("--db", default="burst_1", help="a database left by a burst run (2,000 sent pings)")
    p.add_argument("--seconds", type=float, default=20.0)
    args = p.parse_args(argv)
    print(f"wrote {save('pg-poll-cost', asyncio.run(run(args)))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
