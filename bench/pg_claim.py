"""The PostgreSQL claim up close: its time by batch size, the old transaction against the pipelined
``Store.claim``, and where the server spends it (``EXPLAIN (ANALYZE, BUFFERS, WAL)``).

    python -m bench.pg_claim --pg-dir /tmp/pgbench/pgserver [--db scale_10000000] [--sizes 500,200,128]

Needs a database seeded by ``python -m bench.postgres --pg-dir DIR`` (its scale phase). For each
size, at an instant when exactly that many of the earliest rows are due: ``tx`` = a transaction
with ``claim_replies`` + ``claim_pings`` (four round trips: BEGIN, two statements, COMMIT, as the
outbox claimed before), ``claim`` = ``Store.claim`` (both statements pipelined, one round trip);
``--reps`` of each, alternating twice, the claimed rows handed back untimed after each. Then the
server's plan of one claim of the first size, in a rolled-back transaction.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path
from typing import Any

from bench.common import pct, save


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.postgres import PG_SETTINGS
    from bot.store.postgres import Store as PgStore
    from bot.store.postgres import claim_statement
    from bot.store.postgres.connection import translate
    from bot.store.sqlite.pings import PING_COLS
    from tests.postgres_server import PostgresServer

    pg = PostgresServer(Path(args.pg_dir), dict(PG_SETTINGS))
    pg.start()
    out: dict[str, Any] = {"params": vars(args), "sizes": []}
    try:
        store = await PgStore.open(pg.url(args.db))
        for batch in args.sizes:
            async with store.read() as tx:
                at = (await tx.due_pings(10**15, batch))[-1].due
            for how in ("tx", "claim", "tx", "claim"):
                times = []
                for _ in range(args.reps):
                    t = time.perf_counter()
                    if how == "tx":
                        async with store.tx() as tx:
                            await tx.claim_replies(at, batch, claimant="bench", lease_ms=5000)
                            rows = await tx.claim_pings(at, batch, claimant="bench", lease_ms=5000)
                    else:
                        _, rows = await store.claim(at, batch, claimant="bench", lease_ms=5000)
                    times.append((time.perf_counter() - t) * 1000)
                    assert len(rows) == batch, len(rows)
                    async with store.tx() as tx:
                        await tx.db.execute("UPDATE pings SET claimed_by = NULL, claimed_until = NULL "
                                            "WHERE id = ANY(?)", ([r.id for r in rows],))
                row = {"batch": batch, "how": how, "p50_ms": round(pct(times, 50), 2),
                       "p90_ms": round(pct(times, 90), 2), "p99_ms": round(pct(times, 99), 2),
                       "max_ms": round(max(times), 2), "loadavg": os.getloadavg()}
                print(row, flush=True)
                out["sizes"].append(row)
        batch = args.sizes[0]
        async with store.read() as tx:
            at = (await tx.due_pings(10**15, batch))[-1].due
        sql, params = claim_statement("pings", PING_COLS, "not_before", at, batch, "bench", 5000, ())
        async with store.pool.connection() as conn:
            for _ in range(3):
                async with conn.transaction(force_rollback=True):
                    cur = await conn.execute("EXPLAIN (ANALYZE, BUFFERS, WAL, TIMING) " + translate(sql), params)
                    plan = [str(r[0]) for r in await cur.fetchall()]
                print([line for line in plan if "Time:" in line], flush=True)
        out["plan"] = plan
        print("\n".join(plan))
        await store.close()
    finally:
        pg.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pg-dir", required=True, help="the server kept by bench.postgres --pg-dir")
    p.add_argument("--db", default="scale_10000000")
    p.add_argument("--sizes", default="500,200,128")
    p.add_argument("--reps", type=int, default=60)
    args = p.parse_args(argv)
    args.sizes = [int(x) for x in str(args.sizes).split(",") if x]
    print(f"wrote {save('pg-claim', asyncio.run(run(args)))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
