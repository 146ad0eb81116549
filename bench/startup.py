"""What the bot's cross-signing identity costs at start (issue 9).

Start-to-ready time (process start to the "renewal-bot ready" line, i.e. login or session restore,
key upload, cross-signing, first sync) of the real bot process in encrypted mode, cross-signing on
and off, alternating, each on fresh accounts of one local Synapse:

- ``first``: the very first start of an account (on: the identity is made, uploaded, stored in
  secret storage and the device signed);
- ``restart``: the same data_dir again (on: nothing to do, the record in data_dir says so);
- ``new_device``: a second device of the same account with a copy of ``cross-signing.json``
  (on: one ``/keys/query`` and one signature upload).

Also the number of cross-signing requests, read from the bot's log. Results: bench/results/startup.json.
"""
from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import BotProc, login_new_device, save, start_homeserver, summary

CROSS = re.compile(r"cross-signed device \S+ in (\d+) ms \((\d+) requests\)")


def _cross(bot: BotProc) -> tuple[int, int]:
    """(ms, requests) of the last cross-signing step the bot logged; (0, 0) if it had none."""
    found = CROSS.findall(bot.log_tail(20000))
    return (int(found[-1][0]), int(found[-1][1])) if found else (0, 0)


def run(reps: int, workdir: Path) -> dict[str, Any]:
    hs = start_homeserver(workdir / "hs")
    times: dict[str, dict[str, list[float]]] = {k: {"on": [], "off": []} for k in ("first", "restart", "new_device")}
    requests: dict[str, dict[str, list[int]]] = {k: {"on": [], "off": []} for k in times}
    step_ms: dict[str, list[int]] = {k: [] for k in times}
    try:
        for rep in range(reps):
            for mode in (("on", "off") if rep % 2 == 0 else ("off", "on")):
                on = mode == "on"
                user = hs.register(f"start-{rep}-{mode}-{int(time.time() * 1000) % 100000}")
                base = workdir / f"r{rep}-{mode}"
                bot = BotProc(hs, user, base / "a", encryption=True, matrix={"cross_signing": on})
                bot.start(wait_ready=False)
                times["first"][mode].append(bot.wait_ready())
                ms, n = _cross(bot)
                requests["first"][mode].append(n)
                if on:
                    step_ms["first"].append(ms)
                bot.stop()
                before = len(bot.log_tail(10**7))
                bot.start(wait_ready=False)
                times["restart"][mode].append(bot.wait_ready())
                requests["restart"][mode].append(1 if "cross-signed device" in bot.log_tail(10**7)[before:] else 0)
                if on:
                    step_ms["restart"].append(0 if requests["restart"][mode][-1] == 0 else _cross(bot)[0])
                bot.stop()
                second = login_new_device(hs, user, "second")
                other = BotProc(hs, second, base / "b", encryption=True, matrix={"cross_signing": on})
                if on:
                    shutil.copy2(bot.data_dir / "cross-signing.json", other.data_dir / "cross-signing.json")
                other.start(wait_ready=False)
                times["new_device"][mode].append(other.wait_ready())
                ms, n = _cross(other)
                requests["new_device"][mode].append(n)
                if on:
                    step_ms["new_device"].append(ms)
                other.stop()
                print(f"rep {rep} {mode}: first {times['first'][mode][-1]:.2f}s restart "
                      f"{times['restart'][mode][-1]:.2f}s new device {times['new_device'][mode][-1]:.2f}s", flush=True)
    finally:
        hs.stop()
    out: dict[str, Any] = {}
    for kind, by_mode in times.items():
        with_cs, without = summary(by_mode["on"], 3), summary(by_mode["off"], 3)
        out[kind] = {"on_s": with_cs, "off_s": without, "added_s": round(with_cs["median"] - without["median"], 3),
                     "cross_signing_requests": requests[kind]["on"],
                     "cross_signing_step_ms": summary(step_ms[kind], 1)}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=6)
    p.add_argument("--quick", action="store_true", help="2 repetitions")
    args = p.parse_args(argv)
    reps = 2 if args.quick else args.reps
    workdir = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        results = run(reps, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    path = save("startup-quick" if args.quick else "startup",
                {"params": {"reps": reps}, "results": results,
                 "bars": {"restart_makes_no_cross_signing_request":
                          not any(results["restart"]["cross_signing_requests"])}})
    for kind, r in results.items():
        print(f"{kind:10s} on {r['on_s']['median']:.2f}s off {r['off_s']['median']:.2f}s "
              f"added {r['added_s']:+.2f}s requests {r['cross_signing_requests']} "
              f"step {r['cross_signing_step_ms']['median']:.0f} ms")
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
