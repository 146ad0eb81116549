"""cProfile of the in-process command benchmark's commands, and nothing else (no start-up, no
warm-up): what a command costs in Python calls, event-loop turns and SQL statements, figures that
do not move with the machine's load (bench/REPORT.md section 10).

    python -m bench.cprofile_commands OUT.prof [N]      # then: python -m pstats OUT.prof

Also prints the CPU per command of N unprofiled commands run just before.
"""
from __future__ import annotations

import asyncio
import cProfile
import sys
import time
from typing import Any

import bench.commands as bc
from bench.common import rmtree, self_cpu_s, tmpdir


async def main(out: str, n: int) -> None:
    from bot.config import load_config
    from bot.matrix.events import EventRouter
    from bot.scheduler import utcnow
    from bot.service import Service
    from bot.store.sqlite import Store

    work = tmpdir("cprof")
    try:
        cfg = work / "bot.toml"
        cfg.write_text(
            '[matrix]\nhomeserver = "http://127.0.0.1:1"\nuser_id = "@renewal-bot:localhost"\n'
            'access_token = "unused"\n\n'
            f'[bot]\ndata_dir = "{work}"\ndefault_timezone = "UTC"\n\n'
            '[access]\nallowed_users = ["@*:localhost"]\n\n[limits]\ncommands_per_minute = 10000\n'
        )
        config = load_config(cfg)
        store = await Store.open(work / "renewal-bot.sqlite3")
        router = EventRouter(bc._StubClient(), store, Service(config), config,  # type: ignore[arg-type]
                             on_reply_queued=lambda: None, clock=utcnow)
        users, counter = 200, 0

        def events(count: int, tag: str) -> list[tuple[str, Any]]:
            nonlocal counter
            evs = [(f"!dm{tag}{k % users}:localhost",
                    bc._event(counter + k, f"@{tag}u{k % users}:localhost", bc.MIX[(k // users) % len(bc.MIX)]))
                   for k in range(count)]
            counter += count
            return evs

        for room, ev in events(users * len(bc.MIX), "warm"):
            await router.on_event(room, ev, 0)
        plain = events(n, "plain")
        c0, t0 = self_cpu_s(), time.perf_counter()
        for room, ev in plain:
            await router.on_event(room, ev, 0)
        cpu, wall = self_cpu_s() - c0, time.perf_counter() - t0
        print(f"unprofiled: {n} commands, {cpu / n * 1000:.3f} ms CPU/command, {n / wall:.0f}/s")
        prof = cProfile.Profile()
        evs = events(n, "prof")
        prof.enable()
        for room, ev in evs:
            await router.on_event(room, ev, 0)
        prof.disable()
        prof.dump_stats(out)
        async with store.read() as tx:
            print("replies queued:", len(await tx.due_replies(10**15, 10**6)))
        await store.close()
    finally:
        rmtree(work)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3000))
