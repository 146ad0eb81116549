"""Punctuality: how late is each ping, as the homeserver stamps it?

    python -m bench.punctuality [--quick] [--n 210] [--spacing 0.6] [--reps 3]

Lateness = ``origin_server_ts`` of the ping (Synapse's clock, same machine) minus its due instant.

How the due instants are chosen (so that 200+ pings do not take 200 minutes): the outbox rows are
seeded directly through the store's API (``bulk_arm`` takes the due instant in ms). Ping i is due
at ``T0 + i*spacing + U(0, spacing)``: every ping has its own due instant, at a random
millisecond, spread over a few minutes (210 pings x 0.6 s = about 2 minutes per repetition), over
many owners and rooms. The bot itself runs unmodified, as a process, on the real clock: it has to
wake at each instant by itself (one APScheduler wake-up at the earliest due row).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from typing import Any

from bench.burst import expiry_date
from bench.common import (
    BotProc,
    count_sent,
    delete_device,
    login_new_device,
    make_owners,
    now_ms,
    origin_ts,
    pct,
    rmtree,
    save,
    seed_due_pings,
    sent_pings,
    start_homeserver,
    summary,
    tmpdir,
)


async def one_rep(hs: Any, bot_user: Any, owners: list[Any], work: Any, *, n: int, spacing: float, rep: int,
                  lead_s: float) -> dict[str, Any]:
    device = login_new_device(hs, bot_user, f"bench punctuality {rep}")
    bp = BotProc(hs, device, work / f"bot-{rep}", encryption=True)
    rng = random.Random(rep)
    t0 = now_ms() + int(lead_s * 1000)
    step = int(spacing * 1000)
    dues = [t0 + i * step + rng.randrange(step) for i in range(n)]
    await seed_due_pings(bp.db_path, owners, dues, expiry=expiry_date())
    try:
        bp.start()
        if now_ms() > dues[0]:
            raise RuntimeError("the bot was not ready before the first due instant; raise --lead")
        deadline = time.monotonic() + (dues[-1] - now_ms()) / 1000 + 60
        while count_sent(bp.db_path) < n:
            if time.monotonic() > deadline:
                raise RuntimeError(f"not every ping was sent:\n{bp.log_tail()}")
            await asyncio.sleep(0.5)
    finally:
        bp.stop()
    delete_device(hs, device.user_id, device.device_id)
    rows = sent_pings(bp.db_path)
    ts = await origin_ts(hs.url, bot_user.access_token, {o.room_id for o in owners}, since_ms=dues[0] - 60_000)
    late = sorted((ts[e] - due) / 1000 for _, e, due in rows)
    return {
        "rep": rep, "pings": len(late), "window_s": round((dues[-1] - dues[0]) / 1000, 1),
        "p50_s": round(pct(late, 50), 3), "p99_s": round(pct(late, 99), 3), "max_s": round(max(late), 3),
        "min_s": round(min(late), 3), "lateness_s": [round(x, 4) for x in late], "warnings": bp.warnings(),
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    work = tmpdir("punct")
    hs = start_homeserver(work)
    try:
        bot_user = hs.register("renewal-bot")
        hs.override_ratelimit(bot_user.user_id)
        owners = await make_owners(hs, bot_user, n_dm=args.dm, n_group=args.group, encrypted=False, workdir=work)
        runs = []
        for rep in range(args.reps):
            r = await one_rep(hs, bot_user, owners, work, n=args.n, spacing=args.spacing, rep=rep, lead_s=args.lead)
            print(json.dumps({k: v for k, v in r.items() if k not in ("lateness_s", "warnings")}), flush=True)
            runs.append(r)
    finally:
        hs.stop()
        rmtree(work)
    pooled = sorted(x for r in runs for x in r["lateness_s"])
    return {
        "params": {"n": args.n, "spacing_s": args.spacing, "reps": args.reps, "dm_owners": args.dm,
                   "group_rooms": args.group, "quick": args.quick},
        "runs": runs,
        "p50_s": summary([r["p50_s"] for r in runs], 3),
        "p99_s": summary([r["p99_s"] for r in runs], 3),
        "max_s": summary([r["max_s"] for r in runs], 3),
        "pooled": {"pings": len(pooled), "p50_s": round(pct(pooled, 50), 3), "p99_s": round(pct(pooled, 99), 3),
                   "max_s": round(max(pooled), 3)},
        "bars": {"p99_le_1s": max(r["p99_s"] for r in runs) <= 1.0},
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a smoke run: 20 pings over about 4 s, 1 repetition")
    p.add_argument("--n", type=int, default=210)
    p.add_argument("--spacing", type=float, default=0.6, help="seconds between consecutive due instants")
    p.add_argument("--dm", type=int, default=30)
    p.add_argument("--group", type=int, default=10)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--lead", type=float, default=8.0)
    args = p.parse_args(argv)
    if args.quick:
        args.n, args.spacing, args.dm, args.group, args.reps = 20, 0.2, 3, 1, 1
    result = asyncio.run(main_async(args))
    print(f"wrote {save('punctuality-quick' if args.quick else 'punctuality', result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
