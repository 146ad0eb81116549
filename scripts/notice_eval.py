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

Usage: scripts/notice_eval.py [-v]
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
TODAY = date(2026, 12, 2)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", action="store_true", help="print every read and every unread dated notice")
    args = ap.parse_args(argv)
    catalog = load_catalog()
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
