"""Two scam models timed in one process, interleaved: tells a model's cost from the machine's load.

    git show <rev>:bot/data/scam_model.json > /tmp/old_model.json
    .venv/bin/python -m bench.scam_model_ab /tmp/old_model.json [--passes 3]

Every corpus message is judged with the given model and with the shipped one, pass after pass in
alternating order, each judgement timed as the thread's CPU time; prints p50 and p99 per model.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from scam_corpus import load_examples  # noqa: E402

from bot.catalog import load_catalog  # noqa: E402
from bot.core.scam import judge  # noqa: E402
from bot.core.scam_domains import catalog_domains  # noqa: E402
from bot.core.scam_model import load_model  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the model file to compare with the shipped one")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args(argv)
    domains = catalog_domains(load_catalog())
    texts = [e.text for e in load_examples()]
    models = [("other", load_model(args.other)), ("shipped", load_model())]
    times: dict[str, list[float]] = {name: [] for name, _ in models}
    for n in range(args.passes):
        for name, model in models if n % 2 == 0 else models[::-1]:
            for text in texts:
                start = time.thread_time_ns()
                judge(text, official_domains=domains, model=model)
                times[name].append((time.thread_time_ns() - start) / 1e6)
    for name, values in times.items():
        values.sort()
        p50, p99 = values[len(values) // 2], values[int((len(values) - 1) * 0.99)]
        print(f"{name:8} {len(values)} judgements: CPU p50 {p50:.3f} ms, p99 {p99:.3f} ms")
    with open("/proc/loadavg", encoding="ascii") as fh:
        print("load average", " ".join(fh.read().split()[:3]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
