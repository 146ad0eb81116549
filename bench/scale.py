"""Scale: the bot's memory, start-up and claim time with 1,000 / 100,000 / 1,000,000 lines.

    python -m bench.scale [--quick] [--sizes 1000,100000,1000000] [--reps 3]

For each size a fresh data_dir is seeded through the store's own API, in bulk (``ensure_owner`` for
every owner, ``bulk_add_lines`` and ``bulk_arm`` in 100,000-row batches): 50 lines per owner, each
with one pending ping due some time in the coming year (nothing due at start). Then:
- one untimed first start (it makes the session and the crypto account, as any deployed bot has);
- ``--reps`` timed starts: start-to-ready = from ``Popen`` to the bot's "ready" log line (first
  sync done); RSS = VmRSS 3 s after ready (idle: the outbox has run and armed its wake-up);
- claim: the outbox's own claim (``Store.claim``: due replies and pings, its batch size of each;
  on SQLite, reads) through the store's API on the same database file, 50 times, with
  the batch's earliest rows due; and the same with nothing due (what each safety sweep costs), and
  ``next_wake`` (``bench.common.claim_times``).
The OS page cache is warm (the database was just written); the bot reads no lines at start.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import (
    BotProc,
    claim_times,
    login_new_device,
    now_ms,
    rmtree,
    save,
    start_homeserver,
    summary,
    timed_starts,
    tmpdir,
)

LINES_PER_OWNER = 50
BATCH_ROWS = 100_000
PROVIDERS = ("axis", "xl", "telkomsel", "hotlink", "celcomdigi", "smartfren")


async def seed(db_path: Any, n: int) -> float:
    from bot.store.sqlite import Store

    t0 = time.monotonic()
    rng = random.Random(n)
    store = await Store.open(db_path)
    try:
        stamp = now_ms()
        today = datetime.now(UTC).date()
        owners = (n + LINES_PER_OWNER - 1) // LINES_PER_OWNER
        async with store.tx() as tx:
            for o in range(owners):
                await tx.ensure_owner(f"@owner{o}:localhost", stamp)
        next_id = 1
        for start in range(0, n, BATCH_ROWS):
            count = min(BATCH_ROWS, n - start)
            lines, pings = [], []
            for i in range(start, start + count):
                expiry = today + timedelta(days=8 + rng.randrange(365))
                lines.append((f"@owner{i // LINES_PER_OWNER}:localhost", i % LINES_PER_OWNER + 1,
                              PROVIDERS[i % len(PROVIDERS)], f"line {i}", expiry))
                due = int(datetime.combine(expiry - timedelta(days=7), datetime.min.time(), UTC).timestamp() * 1000)
                pings.append((next_id + i - start, expiry, -7, due + rng.randrange(86_400_000)))
            async with store.tx() as tx:
                await tx.bulk_add_lines(lines, stamp)
                await tx.bulk_arm(pings)
            next_id += count
        async with store.read() as tx:
            assert await tx.get_line_by_id(n) is not None and await tx.get_line_by_id(n + 1) is None
    finally:
        await store.close()
    return time.monotonic() - t0


async def sqlite_claim_times(db_path: Any, reps: int = 50) -> dict[str, Any]:
    """:func:`bench.common.claim_times` on the bot's own database file."""
    from bot.store.sqlite import Store

    store = await Store.open(db_path)
    try:
        return await claim_times(store, reps)
    finally:
        await store.close()


async def one_size(hs: Any, bot_user: Any, work: Any, n: int, reps: int) -> dict[str, Any]:
    device = login_new_device(hs, bot_user, f"bench scale {n}")
    bp = BotProc(hs, device, work / f"bot-{n}", encryption=True)
    seed_s = await seed(bp.db_path, n)
    starts = await timed_starts(bp, reps)
    claims = [await sqlite_claim_times(bp.db_path) for _ in range(reps)]
    r = {
        "lines": n, "seed_s": round(seed_s, 1), "db_mb": round(bp.db_path.stat().st_size / 2**20, 1),
        "starts": starts, "claims": claims,
        "rss_mb": summary([s["rss_mb"] for s in starts], 1),
        "peak_mb": summary([s["peak_mb"] for s in starts], 1),
        "start_to_ready_s": summary([s["start_to_ready_s"] for s in starts], 3),
        "claim_due_ms_p50": summary([c["claim_due_ms"]["p50"] for c in claims], 3),
        "claim_due_ms_p99": summary([c["claim_due_ms"]["p99"] for c in claims], 3),
        "claim_none_ms_p50": summary([c["claim_none_ms"]["p50"] for c in claims], 3),
        "next_wake_ms_p50": summary([c["next_wake_ms"]["p50"] for c in claims], 3),
        "warnings": bp.warnings(),
    }
    rmtree(bp.workdir)
    return r


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    work = tmpdir("scale")
    hs = start_homeserver(work)
    sizes = []
    try:
        bot_user = hs.register("renewal-bot")
        for n in args.sizes:
            r = await one_size(hs, bot_user, work, n, args.reps)
            print(json.dumps({k: v for k, v in r.items() if k not in ("starts", "claims", "warnings")}), flush=True)
            sizes.append(r)
    finally:
        hs.stop()
        rmtree(work)
    small, big = sizes[0], sizes[-1]
    ratio = big["rss_mb"]["median"] / small["rss_mb"]["median"]
    return {
        "params": {"sizes": args.sizes, "reps": args.reps, "lines_per_owner": LINES_PER_OWNER, "quick": args.quick},
        "sizes": sizes,
        "rss_ratio_largest_vs_smallest": round(ratio, 3),
        "bars": {
            "rss_ratio_le_1.2": ratio <= 1.2,
            "rss_le_150mb": big["rss_mb"]["max"] <= 150,
            "start_to_ready_le_2s": big["start_to_ready_s"]["median"] <= 2.0,
            "claim_le_5ms": big["claim_due_ms_p50"]["median"] <= 5.0,
        },
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a smoke run: 1,000 and 10,000 lines, 1 repetition")
    p.add_argument("--sizes", default="1000,100000,1000000")
    p.add_argument("--reps", type=int, default=3)
    args = p.parse_args(argv)
    args.sizes = [int(x) for x in str(args.sizes).split(",")]
    if args.quick:
        args.sizes, args.reps = [1000, 10000], 1
    result = asyncio.run(main_async(args))
    print(f"wrote {save('scale-quick' if args.quick else 'scale', result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
