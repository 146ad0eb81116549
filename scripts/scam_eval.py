#!/usr/bin/env python3
"""Score the scam guard on the labelled set: precision, recall, and every misjudged message.

Usage: scripts/scam_eval.py [--data tests/data/scam_messages.toml] [-v]
Exits 1 when recall < 0.90 or precision < 0.95 (the bar in the issue), else 0.
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from bot.catalog import load_catalog  # noqa: E402
from bot.core.scam import Verdict, judge  # noqa: E402

DATA = ROOT / "tests" / "data" / "scam_messages.toml"
MIN_RECALL = 0.90
MIN_PRECISION = 0.95


@dataclass(frozen=True)
class Result:
    lang: str
    label: str
    text: str
    verdict: Verdict

    @property
    def predicted(self) -> str:
        return "scam" if self.verdict.is_scam else "legit"


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def passes(self) -> bool:
        return self.recall >= MIN_RECALL and self.precision >= MIN_PRECISION


def load_messages(path: Path = DATA) -> list[dict[str, str]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["message"]


def evaluate(path: Path = DATA) -> tuple[Scores, list[Result]]:
    """Judge every labelled message with the packaged catalog's official domains."""
    domains = frozenset(load_catalog().official_domains())
    results = [Result(m["lang"], m["label"], m["text"], judge(m["text"], official_domains=domains))
               for m in load_messages(path)]
    c = Counter((r.label, r.predicted) for r in results)
    scores = Scores(tp=c["scam", "scam"], fp=c["legit", "scam"], fn=c["scam", "legit"], tn=c["legit", "legit"])
    return scores, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every message's verdict")
    args = parser.parse_args(argv)
    scores, results = evaluate(args.data)
    by_lang = Counter(r.lang for r in results)
    print(f"messages: {len(results)} ({', '.join(f'{k} {v}' for k, v in sorted(by_lang.items()))})")
    print(f"scam: {scores.tp + scores.fn}  legit: {scores.fp + scores.tn}")
    print(f"TP {scores.tp}  FP {scores.fp}  FN {scores.fn}  TN {scores.tn}")
    print(f"precision: {scores.precision:.3f} (bar {MIN_PRECISION})")
    print(f"recall:    {scores.recall:.3f} (bar {MIN_RECALL})")
    for lang in sorted(by_lang):
        sub = [r for r in results if r.lang == lang]
        ok = sum(r.label == r.predicted for r in sub)
        print(f"  {lang:8} {ok}/{len(sub)} correct")
    wrong = [r for r in results if r.label != r.predicted]
    if wrong:
        print("\nmisjudged:")
        for r in wrong:
            kind = "missed scam" if r.label == "scam" else "false alarm"
            print(f"  [{kind}] ({r.lang}, score {r.verdict.score}, {', '.join(r.verdict.reasons) or '-'}) {r.text}")
    if args.verbose:
        print("\nall:")
        for r in results:
            print(f"  {r.label:5} -> {r.predicted:5} {r.verdict.score:4} {','.join(r.verdict.reasons):40} {r.text[:70]}")
    print("\nPASS" if scores.passes else "\nFAIL: below the bar")
    return 0 if scores.passes else 1


if __name__ == "__main__":
    raise SystemExit(main())
