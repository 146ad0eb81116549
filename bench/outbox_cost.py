"""What the outbox costs per ping, without a homeserver: statements, the bot's CPU, the database
server's CPU (issue 14: why a burst on PostgreSQL trailed the same burst on SQLite).

    python -m bench.outbox_cost [--quick] [--n 2000] [--stores postgresql,sqlite] [--code DIR ...]

A real store (a throwaway PostgreSQL server, ``tests/postgres_server.py``, or an SQLite file), a real
``Service`` and ``Outbox`` (``group_pings`` off, as in the burst benchmark); only the send is a
function that answers at once. ``n`` lines over 100 DM owners and 25 rooms, all due now; one
outbox round sends and records them all. Per ping: psycopg ``execute`` calls (statements sent),
the bot process's CPU (``time.process_time``) and the PostgreSQL server's (its processes' utime +
stime from ``/proc``). ``--code DIR``: measure that tree instead (e.g. an older commit unpacked with
``git archive <commit> | tar -x -C DIR``); several are measured in turn, in a child process each.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def server_cpu_s(pid: int) -> float:
    """CPU seconds of the PostgreSQL server: the postmaster and its children (the backends)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            st = (p / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(p.name) == pid or int(st[1]) == pid:
            total += (int(st[11]) + int(st[12])) / tick
    return total


async def measure(n: int, dialect: str) -> dict[str, Any]:
    """One outbox round over ``n`` due pings (runs in the tree first on ``sys.path``)."""
    import psycopg

    from bot.matrix.sender import Failed, Sent
    from bot.scheduler import Outbox
    from bot.service import Service
    from tests.postgres_server import PostgresServer
    from tests.unit.conftest import make_config

    count = {"statements": 0}
    execute, executemany = psycopg.AsyncCursor.execute, psycopg.AsyncCursor.executemany

    async def counted(self: Any, *a: Any, **k: Any) -> Any:
        count["statements"] += 1
        return await execute(self, *a, **k)

    async def counted_many(self: Any, *a: Any, **k: Any) -> Any:
        count["statements"] += 1
        return await executemany(self, *a, **k)

    psycopg.AsyncCursor.execute = counted  # type: ignore[method-assign]
    psycopg.AsyncCursor.executemany = counted_many  # type: ignore[method-assign]
    tmp = Path(tempfile.mkdtemp(prefix="outbox-cost-"))
    pg = PostgresServer(tmp / "pg") if dialect == "postgresql" else None
    try:
        store: Any
        if pg is not None:
            from bot.store.postgres import Store as PgStore

            pg.start()
            store = await PgStore.open(pg.create_database("cost"))
        else:
            from bot.store.sqlite import Store

            store = await Store.open(tmp / "bot.sqlite3")
        now = datetime.now(UTC)
        stamp = int(now.timestamp() * 1000)
        owners = [(f"@u{i}:x", f"!dm{i}:x") for i in range(100)] + [(f"!g{i}:x", f"!g{i}:x") for i in range(25)]
        expiry = (now + timedelta(days=30)).date()
        rows, per_owner = [], dict.fromkeys((o for o, _ in owners), 0)
        for i in range(n):
            owner = owners[i % len(owners)][0]
            per_owner[owner] += 1
            rows.append((owner, per_owner[owner], "axis", f"line {i}", expiry))
        async with store.tx() as tx:
            for owner, room in owners:
                if owner.startswith("@"):
                    await tx.update_owner(owner, stamp, room_id=room)
                else:
                    await tx.ensure_owner(owner, stamp)
            await tx.bulk_add_lines(rows, stamp)
            ids = [int(r[0]) for r in await tx._all("SELECT id FROM lines ORDER BY id")]
            await tx.bulk_arm((line_id, expiry, -7, stamp - 1000) for line_id in ids)
        sent = [0]

        async def send(room_id: str, content: dict[str, Any], txn: str) -> Sent | Failed:
            sent[0] += 1
            await asyncio.sleep(0)
            return Sent(f"$e{sent[0]}")

        outbox = Outbox(store, Service(make_config(group_pings=False)), send, sweep_seconds=3600)
        outbox._paused = False
        count["statements"] = 0
        cpu0, srv0, t0 = time.process_time(), server_cpu_s(pg.proc.pid) if pg and pg.proc else 0.0, time.perf_counter()
        await outbox.run()
        cpu1, srv1, t1 = time.process_time(), server_cpu_s(pg.proc.pid) if pg and pg.proc else 0.0, time.perf_counter()
        async with store.read() as tx:
            (n_sent,) = await tx._one("SELECT COUNT(*) FROM pings WHERE status = 'sent'")
        await outbox.stop()
        await store.close()
        if sent[0] != n or int(n_sent) != n:
            raise RuntimeError(f"sent {sent[0]}, marked {n_sent} of {n}")
        return {
            "store": dialect, "n": n, "wall_s": round(t1 - t0, 3),
            "bot_cpu_ms_per_ping": round((cpu1 - cpu0) / n * 1000, 3),
            "server_cpu_ms_per_ping": round((srv1 - srv0) / n * 1000, 3),
            "statements_per_ping": round(count["statements"] / n, 2),
            "loadavg": os.getloadavg(),
        }
    finally:
        if pg is not None:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--stores", default="postgresql,sqlite")
    p.add_argument("--code", action="append", default=[], help="a source tree to measure (default: this one)")
    p.add_argument("--reps", type=int, default=2)
    p.add_argument("--quick", action="store_true", help="a smoke run: 200 pings, once")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.quick:
        args.n, args.reps = 200, 1
    if args.child:
        print(json.dumps(asyncio.run(measure(args.n, args.stores))))
        return 0
    from bench.common import save

    runs = []
    for _ in range(args.reps):  # alternating trees and stores, so a change of load hits all alike
        for code in args.code or [str(ROOT)]:
            for dialect in args.stores.split(","):
                env = {**os.environ, "PYTHONPATH": code}
                out = subprocess.run(
                    [sys.executable, str(ROOT / "bench" / "outbox_cost.py"), "--child", "--n", str(args.n),
                     "--stores", dialect], env=env, cwd=code, capture_output=True, text=True, check=True, timeout=900,
                )
                run = {"code": code, **json.loads(out.stdout.strip().splitlines()[-1])}
                print(json.dumps(run), flush=True)
                runs.append(run)
    print(f"wrote {save('outbox-cost-quick' if args.quick else 'outbox-cost', {'params': vars(args), 'runs': runs})}")
    return 0


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, os.environ.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[0])
    raise SystemExit(main())
