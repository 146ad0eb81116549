"""PostgreSQL next to SQLite, in one run: scale, burst, failover (issue 14).

    python -m bench.postgres [--quick] [--sizes 1000,1000000] [--pg-sizes 1000,1000000,10000000]
                             [--burst-n 2000] [--burst-reps 6] [--burst-warmup 300] [--kills 20] [--skip scale,burst,failover]

- **scale**: for each size, the same data in SQLite (seeded through the store's API, as
  ``bench.scale`` does) and in PostgreSQL (seeded inside the server with ``generate_series``: 50
  lines per owner, one pending ping each, due some time in the coming year). Then start-to-ready of
  a real bot process (Popen to its "ready" line; median of ``--reps``), its RSS 3 s after ready,
  and the outbox's claim through the store's API (``Store.claim``: replies and pings, a full
  batch, 50 times; on PostgreSQL the two ``FOR UPDATE SKIP LOCKED`` claims with their lease in
  one pipelined round trip) with the batch's earliest rows due, and with none due.
- **burst**: 2,000 pings due at one instant over 100 DMs and 25 group rooms, the bot on
  PostgreSQL, the bot on SQLite and the raw aiohttp reference sender (``bench.burst``'s: the two
  bots by one function, differing only in the store), in rotated order (``--burst-order``),
  optionally after an untimed warm-up of all three alike (``--burst-warmup``); ratio = bot
  throughput / the raw sender's of the same repetition.
- **failover**: two bot processes on one PostgreSQL database (their own devices); 2,000 pings due
  at once; the active one is SIGKILLed ``--kills`` times during the burst and restarted as the
  standby. Failover = SIGKILL to the first ping the standby sent (its origin_server_ts; the dead
  process cannot have a ping reach Synapse a second after its death, and the standby cannot send
  before the lease ends). Also checks every ping was delivered exactly once.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    BotProc,
    Owner,
    claim_times,
    login_new_device,
    make_owners,
    now_ms,
    pct,
    rmtree,
    save,
    seed_due_rows,
    start_homeserver,
    summary,
    timed_starts,
    tmpdir,
    tree_cpu_s,
)

REPS_CLAIM = 50
LEASE_SECONDS = 5.0
#: Seconds from seeding a burst to its due instant: the bot must be ready before (a loaded machine
#: has seen 20 s from start to ready).
LEAD = 40.0


# --- PostgreSQL server and seeding ------------------------------------------------------------
#: The benchmark's server: a throwaway one (tests/postgres_server.py: fsync off), given the memory
#: a database server of a 10-million-line deployment would have (the default 128 MB of shared
#: buffers is sized for a laptop), and checkpoints spaced for a bulk load.
PG_SETTINGS = {"shared_buffers": "1GB", "max_wal_size": "8GB", "maintenance_work_mem": "512MB"}


def start_postgres(root: Path) -> Any:
    from tests.postgres_server import PostgresServer

    pg = PostgresServer(root, PG_SETTINGS)
    pg.start()
    return pg


def seed_pg(pg: Any, dbname: str, n: int) -> float:
    """``n`` lines (50 per owner) and one pending ping each, generated inside the server.

    Loaded as a restore is: foreign-key checks and the wake-up triggers off for the session
    (``session_replication_role = replica``), the secondary indexes dropped before and built after
    (one sort each instead of ``n`` random insertions); then ``VACUUM ANALYZE``, as after a
    restore, so the bot meets a table with its hint bits and statistics set.
    """
    t0 = time.monotonic()
    stamp = now_ms()
    indexes = [d for d in pg.psql(
        "SELECT indexdef FROM pg_indexes i WHERE tablename IN ('lines', 'pings') "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", dbname,
    ).splitlines() if d.strip()]
    names = [d.split(" INDEX ", 1)[1].split(" ON ", 1)[0] for d in indexes]
    pg.psql(f"""
        SET session_replication_role = replica;
        SET maintenance_work_mem = '1GB';
        {''.join(f'DROP INDEX {name}; ' for name in names)}
        SELECT setseed(0.{n % 97 + 1});
        INSERT INTO owners (owner_id, created_at)
            SELECT '@owner' || o || ':localhost', {stamp} FROM generate_series(0, ({n} - 1) / 50) AS o;
        INSERT INTO lines (id, owner_id, number, provider, label, expiry, created_at, updated_at)
            SELECT i + 1, '@owner' || (i / 50) || ':localhost', i % 50 + 1,
                   (ARRAY['axis','xl','telkomsel','hotlink','celcomdigi','smartfren'])[i % 6 + 1],
                   'line ' || i, to_char(current_date + 8 + (random() * 364)::int, 'YYYY-MM-DD'), {stamp}, {stamp}
            FROM generate_series(0, {n} - 1) AS i;
        SELECT setval(pg_get_serial_sequence('lines', 'id'), {n} + 1, false);
        INSERT INTO pings (line_id, expiry, "offset", due, not_before)
            SELECT id, expiry, -7, d, d FROM (
                SELECT id, expiry, (extract(epoch from (expiry::date - 7)::timestamp) * 1000)::bigint
                       + (random() * 86400000)::bigint AS d FROM lines) s;
        {''.join(d + '; ' for d in indexes)}
    """, dbname, timeout=3600)
    pg.psql("VACUUM ANALYZE", dbname, timeout=3600)
    return time.monotonic() - t0


async def seed_sqlite(db_path: Path, n: int) -> float:
    from bench.scale import seed

    return await seed(db_path, n)


async def renew_times(pg_store: Any, reps: int = REPS_CLAIM) -> dict[str, float]:
    """The active instance's lease renewal (``Lease.renew``: its lease and its claims)."""
    from bot.store.postgres.lease import Lease

    lease = Lease(pg_store.pool, "bench-renew", 5000)
    await lease.try_acquire()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        await lease.renew()
        times.append((time.perf_counter() - t) * 1000)
    await lease.release()
    return {"p50": round(pct(times, 50), 3), "p99": round(pct(times, 99), 3)}


async def scale_one(hs: Any, bot_user: Any, pg: Any, work: Path, dialect: str, n: int, reps: int,
                    keep: bool = False) -> dict[str, Any]:
    """One store at one size. ``keep``: leave the PostgreSQL database for the next run (``--pg-dir``),
    and use it when it is there (seeding 10,000,000 lines takes minutes)."""
    from bot.store.postgres import Store as PgStore
    from bot.store.sqlite import Store

    device = login_new_device(hs, bot_user, f"bench pg-scale {dialect} {n}")
    store_cfg = None
    seeded = False
    if dialect == "postgresql":
        if keep and pg.psql(f"SELECT 1 FROM pg_database WHERE datname = 'scale_{n}'").strip():
            seeded = pg.psql("SELECT COUNT(*) FROM lines", f"scale_{n}", timeout=600).strip() == str(n)
            if not seeded:
                pg.psql(f"DROP DATABASE scale_{n}")
        url = pg.url(f"scale_{n}") if seeded else pg.create_database(f"scale_{n}")
        await (await PgStore.open(url)).close()  # the schema
        store_cfg = {"url": url}
    bp = BotProc(hs, device, work / f"{dialect}-{n}", encryption=True, store=store_cfg)
    if seeded:
        seed_s = None  # seeded by an earlier run
    else:
        seed_s = seed_pg(pg, f"scale_{n}", n) if dialect == "postgresql" else await seed_sqlite(bp.db_path, n)
    starts = await timed_starts(bp, reps)
    store = await (PgStore.open(url) if dialect == "postgresql" else Store.open(bp.db_path))
    try:
        claims = [await claim_times(store, REPS_CLAIM) for _ in range(reps)]
        renew = await renew_times(store) if dialect == "postgresql" else None
    finally:
        await store.close()
    size_mb = (float(pg.psql(f"SELECT pg_database_size('scale_{n}')").strip()) / 2**20 if dialect == "postgresql"
               else bp.db_path.stat().st_size / 2**20)
    rmtree(bp.workdir)
    if dialect == "postgresql" and not keep:
        pg.psql(f"DROP DATABASE scale_{n}")
    return {
        "store": dialect, "lines": n, "seed_s": None if seed_s is None else round(seed_s, 1),
        "db_mb": round(size_mb, 1),
        "start_to_ready_s": summary([s["start_to_ready_s"] for s in starts], 3),
        "rss_mb": summary([s["rss_mb"] for s in starts], 1),
        "claim_due_ms_p50": summary([c["claim_due_ms"]["p50"] for c in claims], 3),
        "claim_due_ms_p99": summary([c["claim_due_ms"]["p99"] for c in claims], 3),
        "claim_none_ms_p99": summary([c["claim_none_ms"]["p99"] for c in claims], 3),
        "next_wake_ms_p50": summary([c["next_wake_ms"]["p50"] for c in claims], 3),
        "lease_renew_ms": renew,
        "loadavg": os.getloadavg(),
        "warnings": bp.warnings(),
    }


# --- burst ----------------------------------------------------------------------------------
async def seed_due_pg(url: str, owners: list[Owner], dues: list[int], expiry: Any) -> None:
    from bot.store.postgres import Store as PgStore

    store = await PgStore.open(url)
    try:
        await seed_due_rows(store, owners, dues, expiry=expiry)
    finally:
        await store.close()


class PgRows:
    """``bench.burst.SqliteRows``' twin: a fresh database per run on the benchmark's server, seeded
    through the store's API and counted through ONE connection pool opened for the run (the
    count is polled every 0.1 s, as the SQLite file's is; the harness of the first three passes
    opened a new pool, three backends, per poll, and read every sent row each time)."""

    _made = [0]

    def __init__(self, pg: Any) -> None:
        self.pg = pg
        self._made[0] += 1
        name = f"burst_{self._made[0]}"
        pg.psql(f"DROP DATABASE IF EXISTS {name}")  # a server kept by --pg-dir has the last run's
        self.url = pg.create_database(name)
        self.store: dict[str, Any] = {"url": self.url}
        self._db: Any = None

    def bind(self, bp: BotProc) -> None:
        return None

    async def seed(self, owners: list[Owner], dues: list[int], expiry: Any) -> None:
        from bot.store.postgres import Store as PgStore

        await seed_due_pg(self.url, owners, dues, expiry)
        self._db = await PgStore.open(self.url)

    async def count(self) -> int:
        async with self._db.read() as tx:
            return int((await tx._one("SELECT COUNT(*) FROM pings WHERE status = 'sent'"))[0])

    async def sent(self) -> list[tuple[int, str, int]]:
        async with self._db.read() as tx:
            return [(int(r[0]), str(r[1]), int(r[2])) for r in
                    await tx._all("SELECT line_id, event_id, due FROM pings WHERE status = 'sent'")]

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()

    def server_cpu_s(self) -> float:
        """The PostgreSQL server's CPU (postmaster and every backend; the benchmark's polling
        backend included: one COUNT every 0.1 s)."""
        return tree_cpu_s(self.pg.proc.pid)


KINDS = ("pg", "sqlite", "raw")


def burst_order(rep: int, how: str, first: str = "pg") -> list[str]:
    """``rotate``: each sender takes each place in turn (from ``first``: pg, sqlite, raw; then
    sqlite, raw, pg; then raw, pg, sqlite; ...), so over a multiple of 3 repetitions every sender
    runs first, second and third equally often; ``first`` is the one that runs first after the
    room setup (or the warm-up). ``alternate``: the first three passes' order (pg, sqlite, raw,
    then reversed; SQLite always in the middle)."""
    if how == "alternate":
        return list(KINDS) if rep % 2 == 0 else list(reversed(KINDS))
    k = (KINDS.index(first) + rep) % len(KINDS)
    return list(KINDS[k:] + KINDS[:k])


async def burst(hs: Any, bot_user: Any, pg: Any, work: Path, n: int, reps: int, *, order: str = "rotate",
                first: str = "pg", warmup: int = 0, profile: str = "") -> dict[str, Any]:
    """The three senders, each run by the same code as in ``bench.burst``; the two bots by
    ``run_bot`` (same waits, same CPU windows, same session and crypto store carried from the
    device's previous run), differing only in the store. ``warmup``: before the measured
    repetitions, that many untimed pings sent by each of the three senders in turn (their
    figures are kept, marked ``warmup``, and left out of the summary)."""
    import bench.burst as bb

    hs.override_ratelimit(bot_user.user_id)
    owners = await make_owners(hs, bot_user, n_dm=100, n_group=25, encrypted=False, workdir=work, tag="b")
    device = login_new_device(hs, bot_user, "bench pg burst")
    sq_device = login_new_device(hs, bot_user, "bench sqlite burst")
    bb.PROFILE = profile or None
    runs: list[dict[str, Any]] = []

    async def one(kind: str, rep: int, count: int) -> dict[str, Any]:
        if kind == "pg":
            r = await bb.run_bot(hs, device, owners, work, n=count, rep=rep, encrypted=False, lead_s=LEAD,
                                 variant="bot-pg", rows_at=lambda: PgRows(pg))
        elif kind == "sqlite":
            r = await bb.run_bot(hs, sq_device, owners, work, n=count, rep=rep, encrypted=False, lead_s=LEAD,
                                 variant="bot-sqlite")
        else:
            r = await bb.run_reference(hs, bot_user, owners, work, n=count, rep=rep, mode="raw",
                                       concurrency=bb.outbox_concurrency(), ref_device=None)
        r["load1"] = round(os.getloadavg()[0], 2)
        return r

    for kind in (burst_order(0, order, first) if warmup else ()):
        r = await one(kind, -1, warmup)
        r["warmup"] = True
        print(json.dumps({k: v for k, v in r.items() if k != "warnings"}), flush=True)
        runs.append(r)
    for rep in range(reps):
        for place, kind in enumerate(burst_order(rep, order, first)):
            r = await one(kind, rep, n)
            r["place"] = place
            print(json.dumps({k: v for k, v in r.items() if k != "warnings"}), flush=True)
            runs.append(r)

    def of(kind: str) -> list[dict[str, Any]]:
        return [r for r in runs if r["kind"] == kind and not r.get("warmup")]

    def ratio(kind: str) -> list[float]:
        """Each bot run against the raw sender of the same repetition."""
        raw = {r["rep"]: r["throughput"] for r in of("ref-raw")}
        return [r["throughput"] / raw[r["rep"]] for r in of(kind)]

    def first_place(kind: str) -> list[float]:
        return [r["throughput"] for r in of(kind) if r.get("place") == 0]

    return {
        "n": n, "reps": reps, "order": order, "first": first, "warmup": warmup, "runs": runs,
        "pg_throughput": summary([r["throughput"] for r in of("bot-pg")]),
        "sqlite_throughput": summary([r["throughput"] for r in of("bot-sqlite")]),
        "raw_throughput": summary([r["throughput"] for r in of("ref-raw")]),
        "ratio_pg_vs_raw": summary(ratio("bot-pg"), 3), "ratio_sqlite_vs_raw": summary(ratio("bot-sqlite"), 3),
        "first_place_throughput": {k: first_place(k) for k in ("bot-pg", "bot-sqlite", "ref-raw")},
        "bot_cpu_ms_per_ping": {k: summary([r["cpu_ms_per_msg"] for r in of(k)]) for k in ("bot-pg", "bot-sqlite")},
        "db_server_cpu_ms_per_ping": summary([r["db_server_cpu_ms_per_msg"] for r in of("bot-pg")]),
        "synapse_cpu_ms_per_msg": {k: summary([r["synapse_cpu_ms_per_msg"] for r in of(k)])
                                   for k in ("bot-pg", "bot-sqlite", "ref-raw")},
    }


# --- failover -------------------------------------------------------------------------------
async def failover(hs: Any, bot_user: Any, pg: Any, work: Path, kills: int, n: int) -> dict[str, Any]:

    from bench.burst import expiry_date
    from bot.store.postgres import Store as PgStore

    owners = await make_owners(hs, bot_user, n_dm=50, n_group=0, encrypted=False, workdir=work, tag="f")
    pg.psql("DROP DATABASE IF EXISTS failover")  # a server kept by --pg-dir has the last run's
    url = pg.create_database("failover")
    await (await PgStore.open(url)).close()
    procs = [BotProc(hs, login_new_device(hs, bot_user, f"bench failover {i}"), work / f"fo-{i}", encryption=True,
                     store={"url": url, "lease_seconds": LEASE_SECONDS}) for i in range(2)]
    devices = {p.user.device_id: p for p in procs}

    def logged(p: BotProc, needle: str) -> bool:
        return needle.encode() in p.log_path.read_bytes()[p._log_offset:]  # _log_offset: a byte offset (bot.dev.process)

    def standing_by(p: BotProc) -> bool:
        return logged(p, "standing by")

    store = await PgStore.open(url)
    kill_at: list[float] = []
    try:
        procs[0].start()
        procs[1].start(wait_ready=False)
        while not standing_by(procs[1]):
            await asyncio.sleep(0.1)
        due = now_ms() + 5000
        expiry = expiry_date() + timedelta(days=900)
        await seed_due_pg(url, owners, [due] * n, expiry)

        async def sent() -> int:
            async with store.read() as tx:
                return int((await tx._one("SELECT COUNT(*) FROM pings WHERE status = 'sent'"))[0])

        for k in range(kills):
            base = await sent()
            target = min(base + 30, n - (kills - k) * 40)
            deadline = time.monotonic() + 120
            while await sent() < target:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no progress before kill {k}")
                await asyncio.sleep(0.05)
            async with store.read() as tx:
                holder = (await tx._one("SELECT holder FROM leader"))[0]
            active = devices[holder]
            standby = next(p for p in procs if p is not active)
            kill_at.append(time.time())
            assert active.proc is not None
            active.proc.kill()
            active.proc.wait(10)
            active.proc = None
            active.start(wait_ready=False)
            deadline = time.monotonic() + 60
            while not standing_by(active):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"killed instance not standing by after kill {k}:\n{active.log_tail()}")
                await asyncio.sleep(0.1)
            deadline = time.monotonic() + 30
            while not logged(standby, "took over"):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no takeover after kill {k}:\n{standby.log_tail()}")
                await asyncio.sleep(0.05)
            standby._log_offset = standby.log_path.stat().st_size
        deadline = time.monotonic() + 300
        while await sent() < n:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {await sent()}/{n} sent")
            await asyncio.sleep(0.2)
        await asyncio.sleep(3)
    finally:
        for p in procs:
            p.stop()
        await store.close()
    # Every ping once: count the ping ids in the rooms (Synapse /messages, the bot's events).
    import aiohttp

    key = "org.renewal_bot.ping"
    ids: list[str] = []
    stamps: list[int] = []
    async with aiohttp.ClientSession() as http:
        for o in owners:
            frm = None
            while True:
                params = {"dir": "b", "limit": "1000",
                          "filter": json.dumps({"senders": [bot_user.user_id], "types": ["m.room.message"]})}
                if frm:
                    params["from"] = frm
                async with http.get(f"{hs.url}/_matrix/client/v3/rooms/{o.room_id}/messages", params=params,
                                    headers={"Authorization": f"Bearer {o.human.access_token}"}) as resp:
                    data = await resp.json()
                for ev in data.get("chunk", []):
                    if key in ev.get("content", {}):
                        ids.append(ev["content"][key])
                        stamps.append(ev["origin_server_ts"])
                frm = data.get("end")
                if not data.get("chunk") or not frm:
                    break
    store2 = await PgStore.open(url)
    try:
        async with store2.read() as tx:
            rows = await tx._all("SELECT line_id, expiry, \"offset\", event_id FROM pings WHERE status = 'sent'")
    finally:
        await store2.close()
    want = {f"{r[0]}-{r[1]}-{int(r[2]):+d}": r[3] for r in rows}
    missing = sorted(set(want) - set(ids))
    if missing:
        print(f"{len(missing)} pings marked sent but not counted in the rooms; e.g. {missing[:3]} -> "
              f"{[want[m] for m in missing[:3]]}", flush=True)
    stamps.sort()
    times = []
    for killed in kill_at:
        after = [s for s in stamps if s >= killed * 1000 + 1000]
        if after:
            times.append(after[0] / 1000 - killed)
    found = sum(p.log_path.read_text(errors="replace").count("already sent by the instance") for p in procs)
    return {
        "kills": kills, "pings": n, "lease_seconds": LEASE_SECONDS, "delivered_ids": len(ids),
        "distinct_ids": len(set(ids)), "exactly_once": len(ids) == len(set(ids)) == n,
        "found_already_sent": found,
        "failover_s": {"median": round(statistics.median(times), 3), "max": round(max(times), 3),
                       "min": round(min(times), 3), "n": len(times)},
        "failover_each_s": [round(t, 3) for t in times],
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    work = tmpdir("postgres")
    hs = start_homeserver(work)
    pg = start_postgres(Path(args.pg_dir) if args.pg_dir else work / "postgres")
    result: dict[str, Any] = {"params": vars(args), "pg_settings": PG_SETTINGS}

    def phase(name: str, value: Any, load0: tuple[float, ...]) -> None:
        """Keep each phase's figures as soon as it is done (a later phase may fail), with the
        machine's load average before and after it (a shared machine: others' work shows)."""
        result[name] = value
        result.setdefault("loadavg", {})[name] = {"before": load0, "after": os.getloadavg()}
        save(args.name, result)

    try:
        bot_user = hs.register("renewal-bot")
        if "scale" not in args.skip:
            load0 = os.getloadavg()
            rows = []
            for dialect, sizes in (("sqlite", args.sizes), ("postgresql", args.pg_sizes)):
                for n in sizes:
                    r = await scale_one(hs, bot_user, pg, work, dialect, n, args.reps, keep=bool(args.pg_dir))
                    print(json.dumps({k: v for k, v in r.items() if k != "warnings"}), flush=True)
                    rows.append(r)
                    phase("scale", rows, load0)
        if "burst" not in args.skip:
            load0 = os.getloadavg()
            b = await burst(hs, bot_user, pg, work, args.burst_n, args.burst_reps, order=args.burst_order,
                            first=args.burst_first, warmup=args.burst_warmup, profile=args.profile)
            phase("burst", b, load0)
            print(json.dumps({k: v for k, v in b.items() if k != "runs"}), flush=True)
        if "failover" not in args.skip:
            load0 = os.getloadavg()
            f = await failover(hs, bot_user, pg, work, args.kills, args.failover_n)
            phase("failover", f, load0)
            print(json.dumps(f), flush=True)
    finally:
        pg.stop()
        hs.stop()
        rmtree(work)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a smoke run: 1,000 lines, 200 pings, 3 kills")
    p.add_argument("--sizes", default="1000,1000000", help="SQLite sizes")
    p.add_argument("--pg-sizes", default="1000,1000000,10000000", help="PostgreSQL sizes")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--burst-n", type=int, default=2000)
    p.add_argument("--burst-reps", type=int, default=6, help="repetitions of the three senders (rotated order)")
    p.add_argument("--burst-order", choices=("rotate", "alternate"), default="rotate",
                   help="rotate: each sender takes each place in turn (use a multiple of 3 repetitions); "
                   "alternate: the first passes' order (pg, sqlite, raw, then reversed)")
    p.add_argument("--burst-first", choices=KINDS, default="pg",
                   help="with rotate: the sender that runs first after the room setup (or the warm-up)")
    p.add_argument("--burst-warmup", type=int, default=0, metavar="N",
                   help="before the measured repetitions, N untimed pings from each of the three senders alike")
    p.add_argument("--profile", default="", metavar="DIR",
                   help="py-spy samples each bot run of the burst (raw stacks in DIR, as bench.burst --profile)")
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--failover-n", type=int, default=2000)
    p.add_argument("--skip", default="", help="comma-separated: scale, burst, failover")
    p.add_argument("--pg-dir", default="", help="keep the PostgreSQL server (and the scale databases) in this "
                   "directory, and use those seeded by an earlier run")
    p.add_argument("--name", default="", help="results file name (default: postgres, or postgres-quick)")
    args = p.parse_args(argv)
    args.sizes = [int(x) for x in str(args.sizes).split(",") if x]
    args.pg_sizes = [int(x) for x in str(args.pg_sizes).split(",") if x]
    args.skip = [x for x in str(args.skip).split(",") if x]
    if args.quick:
        args.sizes, args.pg_sizes, args.reps = [1000], [1000], 1
        args.burst_n, args.burst_reps, args.kills, args.failover_n = 200, 1, 3, 300
    args.name = args.name or ("postgres-quick" if args.quick else "postgres")
    result = asyncio.run(main_async(args))
    print(f"wrote {save(args.name, result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
