"""What one scrape of ``/metrics`` costs the bot: CPU per scrape, measured on the bot process.

    python -m bench.scrape [--scrapes 300] [--lines 5000]

A bot with its HTTP listener, a store of ``--lines`` lines (so the database-backed gauges have
something to count) and some commands and pings already counted; after it is ready and idle, the
bot process's CPU time over ``--scrapes`` back-to-back GETs of ``/metrics``, minus its idle CPU
over the same wall time. The burst benchmark's ``--metrics-ab`` run scrapes once a second, so its
extra CPU per ping is about this figure times scrapes per second over pings per second.
"""
from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from bench.common import (
    BotProc,
    make_owners,
    proc_cpu_s,
    rmtree,
    save,
    seed_due_pings,
    start_homeserver,
    summary,
    tmpdir,
)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    from bot.dev.server import free_port

    work = tmpdir("scrape")
    hs = start_homeserver(work)
    try:
        bot_user = hs.register("renewal-bot")
        hs.override_ratelimit(bot_user.user_id)
        owners = await make_owners(hs, bot_user, n_dm=4, n_group=2, encrypted=False, workdir=work)
        listen = f"127.0.0.1:{free_port()}"
        bp = BotProc(hs, bot_user, work / "bot", encryption=False, http={"listen": listen},
                     limits={"max_lines_per_owner": args.lines})
        expiry = (datetime.now(UTC) + timedelta(days=300)).date()
        far = int((datetime.now(UTC) + timedelta(days=200)).timestamp() * 1000)
        await seed_due_pings(bp.db_path, owners, [far] * args.lines, expiry=expiry)
        bp.start()
        url = f"http://{listen}/metrics"
        runs = []
        async with aiohttp.ClientSession() as http:
            for _ in range(args.reps):
                await asyncio.sleep(2)
                idle0, t0 = proc_cpu_s(bp.pid), time.monotonic()
                await asyncio.sleep(5)
                idle_per_s = (proc_cpu_s(bp.pid) - idle0) / (time.monotonic() - t0)
                cpu0, t1 = proc_cpu_s(bp.pid), time.monotonic()
                size = 0
                for _ in range(args.scrapes):
                    async with http.get(url) as resp:
                        size = len(await resp.read())
                wall = time.monotonic() - t1
                cpu = proc_cpu_s(bp.pid) - cpu0 - idle_per_s * wall
                runs.append({"cpu_ms_per_scrape": round(cpu / args.scrapes * 1000, 3),
                             "wall_ms_per_scrape": round(wall / args.scrapes * 1000, 3), "bytes": size,
                             "idle_cpu_ms_per_s": round(idle_per_s * 1000, 2)})
                print(runs[-1], flush=True)
        bp.stop()
    finally:
        hs.stop()
        rmtree(work)
    return {"params": {"scrapes": args.scrapes, "lines": args.lines, "reps": args.reps}, "runs": runs,
            "cpu_ms_per_scrape": summary([r["cpu_ms_per_scrape"] for r in runs], 3)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scrapes", type=int, default=300)
    p.add_argument("--lines", type=int, default=5000)
    p.add_argument("--reps", type=int, default=5)
    args = p.parse_args(argv)
    result = asyncio.run(main_async(args))
    print(f"wrote {save('scrape', result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
