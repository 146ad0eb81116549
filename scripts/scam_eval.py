#!/usr/bin/env python3
"""Score the scam guard on a split of the corpus: precision and recall overall, per language and
per kind, and every misjudged message.

Usage: scripts/scam_eval.py [--split dev|train|holdout] [--regression] [--rules-only] [-v]
  --split dev (default) or train: the corpus split (tests/data/scam/corpus, split by source, see
          scripts/scam_corpus.py). The old hash-test split was read at the end of sessions 1 and 2
          and is now training data.
  --split holdout: tests/data/scam/holdout/*.jsonl, the honest test set, read once by the lead at
          the end of a session; never tune on it. Its messages are not printed (only figures per
          language and kind) unless -v asks for them, so that its report can be shared without
          turning the holdout into a set the next session tunes on.
  --regression: the rule author's 109 hand-written messages instead (a regression set).
Exits 1 when precision < 0.95 or recall < 0.90 overall, or recall < 0.85 in a language with at
least 10 scams in the split (fewer cannot be judged); else 0.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "scripts"):
    if str(_p) not in sys.path:  # runnable as a plain script from anywhere
        sys.path.insert(0, str(_p))

from scam_corpus import REGRESSION, Example, load_examples, load_holdout, load_regression  # noqa: E402

from bot.catalog import load_catalog  # noqa: E402
from bot.core.scam import Verdict, judge  # noqa: E402
from bot.core.scam_domains import catalog_domains  # noqa: E402

DATA = REGRESSION
MIN_RECALL = 0.90
MIN_PRECISION = 0.95
MIN_LANG_RECALL = 0.85
MIN_LANG_SCAMS = 10


@dataclass(frozen=True)
class Result:
    lang: str
    label: str
    kind: str
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

    @classmethod
    def of(cls, results: list[Result]) -> Scores:
        c: dict[tuple[str, str], int] = defaultdict(int)
        for r in results:
            c[r.label, r.predicted] += 1
        return cls(tp=c["scam", "scam"], fp=c["legit", "scam"], fn=c["scam", "legit"], tn=c["legit", "legit"])

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def passes(self) -> bool:
        return self.recall >= MIN_RECALL and self.precision >= MIN_PRECISION


def judge_all(examples: list[Example], *, rules_only: bool = False, model_path: Path | None = None) -> list[Result]:
    """Judge every example with the packaged catalog's official domains (loaded once)."""
    from bot.core.scam_model import load_model

    domains = catalog_domains(load_catalog())
    extra: dict[str, object] = {"model": None} if rules_only else {}
    if model_path is not None and not rules_only:
        extra = {"model": load_model(model_path)}
    return [Result(e.lang, e.label, e.kind, e.text, judge(e.text, official_domains=domains, **extra))
            for e in examples]


def evaluate(path: Path = DATA) -> tuple[Scores, list[Result]]:
    """The regression set (kept for tests/unit/test_scam.py)."""
    results = judge_all(load_regression())
    return Scores.of(results), results


def table(title: str, groups: dict[str, list[Result]]) -> list[str]:
    lines = [f"{title:10} {'msgs':>5} {'scam':>5} {'legit':>5} {'TP':>4} {'FP':>4} {'FN':>4} "
             f"{'precision':>9} {'recall':>7}"]
    for key in sorted(groups):
        s = Scores.of(groups[key])
        n_scam = s.tp + s.fn
        lines.append(f"{key[:10]:10} {len(groups[key]):5} {n_scam:5} {s.fp + s.tn:5} {s.tp:4} {s.fp:4} {s.fn:4} "
                     f"{s.precision:9.3f} {s.recall if n_scam else float('nan'):7.3f}")
    return lines


def report(results: list[Result], name: str) -> tuple[list[str], bool]:
    """The printed report and whether the bars are met."""
    overall = Scores.of(results)
    by_lang: dict[str, list[Result]] = defaultdict(list)
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_lang[r.lang].append(r)
        by_kind[r.kind].append(r)
    out = [f"{name}: {len(results)} messages, {overall.tp + overall.fn} scam, {overall.fp + overall.tn} legit",
           f"precision {overall.precision:.3f} (bar {MIN_PRECISION})  recall {overall.recall:.3f} (bar {MIN_RECALL})",
           ""]
    out += table("language", dict(by_lang)) + [""] + table("kind", dict(by_kind))
    ok = bool(results) and overall.passes
    failing = []
    for lang, rs in sorted(by_lang.items()):
        s = Scores.of(rs)
        if s.tp + s.fn >= MIN_LANG_SCAMS and s.recall < MIN_LANG_RECALL:
            failing.append(f"{lang} recall {s.recall:.3f}")
    small = [lang for lang, rs in by_lang.items() if 0 < Scores.of(rs).tp + Scores.of(rs).fn < MIN_LANG_SCAMS]
    if small:
        out.append(f"\n(fewer than {MIN_LANG_SCAMS} scams, not held to the language bar: {', '.join(sorted(small))})")
    if failing:
        out.append(f"languages under {MIN_LANG_RECALL}: {', '.join(failing)}")
    return out, ok and not failing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev", "holdout"), default="dev")
    parser.add_argument("--regression", action="store_true", help="the 109 hand-written messages instead")
    parser.add_argument("--rules-only", action="store_true", help="judge without the model")
    parser.add_argument("--model", type=Path, help="a model file other than the shipped one "
                        "(e.g. one written by scam_train.py --train-only --out ...)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every message's verdict (and, "
                        "for the holdout, its misjudged messages)")
    args = parser.parse_args(argv)
    if args.regression:
        examples, name = load_regression(), "regression set"
    elif args.split == "holdout":
        examples, name = load_holdout(), "holdout split"
    else:
        examples = [e for e in load_examples(regression=False) if e.split == args.split]
        name = f"corpus {args.split} split"
    results = judge_all(examples, rules_only=args.rules_only, model_path=args.model)
    from bot.core.scam_model import load_model

    model = load_model(args.model) if args.model else load_model()
    if model is not None and args.split == "dev" and not args.regression and not args.rules_only \
            and model.meta.get("fit_on") == "train+dev":
        print(f"note: the shipped model was refit on train+dev, so these dev figures are in-sample; held out "
              f"(train-only fit) they were {model.meta.get('dev_figures_held_out')}\n")
    lines, ok = report(results, name + (" (rules only)" if args.rules_only else ""))
    print("\n".join(lines))
    wrong = [r for r in results if r.label != r.predicted]
    quiet = args.split == "holdout" and not args.regression and not args.verbose
    if wrong and quiet:
        print(f"\n{len(wrong)} misjudged (messages not printed for the holdout; -v prints them)")
    elif wrong:
        print("\nmisjudged:")
        for r in wrong:
            kind = "missed scam" if r.label == "scam" else "false alarm"
            text = " ".join(r.text.split())
            print(f"  [{kind}] ({r.lang}, {r.kind}, score {r.verdict.score}, "
                  f"{', '.join(r.verdict.reasons) or '-'}) {text[:300]}")
    if args.verbose:
        print("\nall:")
        for r in results:
            print(f"  {r.label:5} -> {r.predicted:5} {r.verdict.score:5} {','.join(r.verdict.reasons):40} "
                  f"{' '.join(r.text.split())[:80]}")
    if not results:
        print("\nFAIL: no messages in this split yet")
    print("\nPASS" if ok else "\nFAIL: below the bar")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
