"""Run every benchmark, one after the other, then plot: ``python -m bench.run_all [--quick]``.

Each benchmark starts and stops its own Synapse and bot; results go to bench/results/*.json,
plots to bench/*.png, and a one-page summary of the bars to bench/results/summary.json.
A full run takes about 35 minutes on 2 cores; ``--quick`` (small sizes) about 3 minutes.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from bench.common import RESULTS, ROOT

STEPS = [
    ("burst", ["bench.burst"]),
    ("burst-e2ee", ["bench.burst", "--encrypted"]),
    ("punctuality", ["bench.punctuality"]),
    ("scale", ["bench.scale"]),
    ("commands", ["bench.commands"]),
    ("commands-e2ee", ["bench.commands", "--encrypted", "--skip-inprocess"]),
    ("startup", ["bench.startup"]),
]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="smoke sizes (results named *-quick.json)")
    p.add_argument("--only", help="comma-separated subset of: " + ", ".join(n for n, _ in STEPS))
    args = p.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    failed = []
    timings = {}
    for name, cmd in STEPS:
        if only and name not in only:
            continue
        full = [sys.executable, "-m", *cmd, *(["--quick"] if args.quick else [])]
        print(f"== {name}: {' '.join(full[1:])}", flush=True)
        t = time.monotonic()
        code = subprocess.call(full, cwd=ROOT)
        timings[name] = round(time.monotonic() - t, 1)
        if code != 0:
            failed.append(name)
    summary = {}
    suffix = "-quick" if args.quick else ""
    for name, _ in STEPS:
        path = RESULTS / f"{name}{suffix}.json"
        if path.exists():
            summary[name] = json.loads(path.read_text()).get("bars", {})
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"summary{suffix}.json").write_text(
        json.dumps({"bars": summary, "seconds": timings, "failed": failed}, indent=2) + "\n")
    if not args.quick:
        subprocess.call([sys.executable, "-m", "bench.plots"], cwd=ROOT)
    print(json.dumps({"bars": summary, "failed": failed}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
