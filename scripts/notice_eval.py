#!/usr/bin/env python3
"""How the pasted-notice reader does on carrier texts it was not written against.

The scam corpus (tests/data/scam/corpus, never the holdout) holds legitimate carrier notices that the
corpus helpers adapted or composed from the sources recorded with each row. This runs the reader
(bot/core/notices.py, with the real catalog's formats and brand names) over every legitimate row and
every scam row, and counts per language:

- carrier notices with a date: read, and not read (a bill, a package, a grace period ... is
  rightly not read; -v prints each so they can be judged by eye);
- other legitimate messages read as a notice (chat, news, promotions, OTPs: an offer there would
  be wrong);
- read legitimate notices that the scam guard flags (those are answered with its verdict, not an
  offer);
- scams read as a notice (the scam guard must refuse them: each would get its verdict).

With ``--dev`` or ``--holdout`` it scores a labelled notice set instead, one JSON object per line
(``text``, ``lang``, ``provider`` (catalog id or null), ``expiry`` (ISO date or null: a near miss),
``kind``, ``source``, ``how``): ``tests/data/notices/dev/*.jsonl`` (development material, which the
reader may be tuned on; ``-v`` prints each miss) or ``tests/data/notices/holdout/*.jsonl`` (written
by another helper from other sources, read once by the lead at the end: it prints figures per
language only, never a message's text, and ``-v`` is refused).

Usage: scripts/notice_eval.py [-v] [--dev | --holdout]
The reading date is the corpus's time (2026-12-02) and the ±2-year window is off, as `catalog check`
does for sourced examples; the service applies the window. Prints figures; exits 0.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from bot.catalog import load_catalog  # noqa: E402
from bot.core.notices import DATE, read_notice  # noqa: E402
from bot.core.scam import judge  # noqa: E402
from bot.core.scam_domains import catalog_domains  # noqa: E402
from bot.service.data.notices import catalog_notice_brands, catalog_notice_formats  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "scam" / "corpus"
NOTICES = ROOT / "tests" / "data" / "notices"
TODAY = date(2026, 12, 2)

#: Columns of the labelled-set table (see `score_labelled`).
LABELLED_COLS = ["dated", "right", "right date, other provider", "wrong date", "not read",
                 "near misses", "refused", "near misses read", "read, guard flags"]


def score_labelled(rows: list[dict[str, object]], catalog: object) -> dict[str, Counter[str]]:
    """Counts per language for a labelled notice set; no text leaves this function.

    A dated row (``expiry`` set) is *right* when the reader gives that date and the expected
    provider (when the row names none, the reader must name none either: a guess is a wrong
    provider); *wrong date* when it reads another date; *not read* when it offers nothing. A near
    miss (``expiry`` null) is *refused* when the reader offers nothing. *read, guard flags* counts
    offers the scam guard would turn into its verdict instead (right or not).
    """
    formats = catalog_notice_formats(catalog)  # type: ignore[arg-type]
    brands = catalog_notice_brands(catalog)  # type: ignore[arg-type]
    domains = catalog_domains(catalog)  # type: ignore[arg-type]
    out: dict[str, Counter[str]] = {}
    for row in rows:
        text, lang = str(row["text"]), str(row.get("lang") or "?")
        want_date = row.get("expiry")
        want_provider = row.get("provider") or None
        got = read_notice(text, today=TODAY, formats=formats, brands=brands, check_range=False)
        c = out.setdefault(lang, Counter())
        if got is not None and judge(text, official_domains=domains).is_scam:
            c["read, guard flags"] += 1
        if want_date:
            c["dated"] += 1
            if got is None:
                c["not read"] += 1
            elif got.expiry.isoformat() != want_date:
                c["wrong date"] += 1
            elif got.provider == want_provider:
                c["right"] += 1
            else:
                c["right date, other provider"] += 1
        else:
            c["near misses"] += 1
            c["refused" if got is None else "near misses read"] += 1
    return out


def load_labelled(folder: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def print_labelled(counts: dict[str, Counter[str]]) -> None:
    """A Markdown table of figures per language and in all, plus the share right and refused."""
    print("| lang | " + " | ".join(LABELLED_COLS) + " |")
    print("|---" * (len(LABELLED_COLS) + 1) + "|")
    total: Counter[str] = Counter()
    for lang in sorted(counts):
        total.update(counts[lang])
        print(f"| {lang} | " + " | ".join(str(counts[lang][col]) for col in LABELLED_COLS) + " |")
    print("| all | " + " | ".join(str(total[col]) for col in LABELLED_COLS) + " |")
    if total["dated"]:
        print(f"dated notices read right: {total['right']}/{total['dated']} "
              f"({100 * total['right'] / total['dated']:.0f}%)")
    if total["near misses"]:
        print(f"near misses refused: {total['refused']}/{total['near misses']} "
              f"({100 * total['refused'] / total['near misses']:.0f}%)")


def labelled_misses(rows: list[dict[str, object]], catalog: object) -> None:
    """Dev set only: each row the reader gets wrong, with its text, to judge by eye."""
    formats = catalog_notice_formats(catalog)  # type: ignore[arg-type]
    brands = catalog_notice_brands(catalog)  # type: ignore[arg-type]
    for row in rows:
        text = str(row["text"])
        got = read_notice(text, today=TODAY, formats=formats, brands=brands, check_range=False)
        want = (row.get("expiry"), row.get("provider") or None)
        have = (got.expiry.isoformat(), got.provider) if got else (None, None)
        if (want[0] is None and have[0] is not None) or (want[0] is not None and have != want):
            print(f"MISS [{row.get('lang')} {row.get('kind')}] want {want} got {have}: {text!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", action="store_true", help="print every read and every unread dated notice")
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--dev", action="store_true", help="score tests/data/notices/dev/*.jsonl")
    which.add_argument("--holdout", action="store_true",
                       help="score tests/data/notices/holdout/*.jsonl: figures per language only, no text")
    args = ap.parse_args(argv)
    catalog = load_catalog()
    if args.holdout or args.dev:
        if args.holdout and args.v:
            ap.error("-v prints message text; the holdout's text stays unseen")
        folder = NOTICES / ("holdout" if args.holdout else "dev")
        rows = load_labelled(folder)
        if not rows:
            print(f"no rows in {folder.relative_to(ROOT)}/*.jsonl")
            return 0
        if args.v:
            labelled_misses(rows, catalog)
        print_labelled(score_labelled(rows, catalog))
        if args.holdout:
            dev_sources = {r.get("source") for r in load_labelled(NOTICES / "dev")} - {None, ""}
            shared = sum(1 for r in rows if r.get("source") in dev_sources)
            print(f"holdout rows whose source the dev set also uses: {shared}/{len(rows)}")
        return 0
    formats, brands = catalog_notice_formats(catalog), catalog_notice_brands(catalog)
    domains = catalog_domains(catalog)
    has_date = re.compile(DATE, re.IGNORECASE)
    counts: Counter[tuple[str, str]] = Counter()
    langs: set[str] = set()
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text, lang = row["text"], row["lang"]
            langs.add(lang)
            got = read_notice(text, today=TODAY, formats=formats, brands=brands, check_range=False)
            if row["label"] == "scam":
                counts[(lang, "scams")] += 1
                if got is not None:
                    counts[(lang, "scams read")] += 1
                    counts[(lang, "scams read, guard refuses")] += judge(text, official_domains=domains).is_scam
                continue
            if row["kind"] != "carrier_notice":
                if got is not None:
                    counts[(lang, "other legit read")] += 1
                    if args.v:
                        print(f"OTHER READ [{lang} {row['kind']}] {text!r} -> {got.provider} {got.expiry}")
                continue
            if not has_date.search(text):
                continue
            counts[(lang, "dated notices")] += 1
            if got is not None:
                counts[(lang, "read")] += 1
                flagged = judge(text, official_domains=domains).is_scam
                counts[(lang, "read, guard flags")] += flagged
                if args.v:
                    print(f"READ [{lang}] {text!r} -> {got.provider} {got.expiry}" + (" (guard flags)" * flagged))
            elif args.v:
                print(f"NOT READ [{lang}] {text!r}")
    cols = ["dated notices", "read", "read, guard flags", "other legit read", "scams", "scams read",
            "scams read, guard refuses"]
    print("| lang | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for lang in [*sorted(langs), "all"]:
        row_counts = [sum(v for (lg, c), v in counts.items() if c == col and lang in (lg, "all")) for col in cols]
        print(f"| {lang} | " + " | ".join(str(n) for n in row_counts) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
