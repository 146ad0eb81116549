#!/usr/bin/env python3
"""How many catalog providers have at least one sourced entry per topic (issue 11).

The README's coverage figures come from this count, so they can be re-made after any catalog edit
instead of being counted by hand. A topic counts for a provider when it holds any entry, whether it
applies to every line or to one plan (``applies_to``).

Usage: scripts/catalog_coverage.py [--country id,my] [--missing]
  --country   count only these countries (catalog country codes)
  --missing   also list, per provider, the topics that are still empty
Prints a table; exits 0.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.catalog import load_catalog  # noqa: E402

#: Topics in the order the issue lists them; ``renewal`` and ``notices`` are not facts but count alike.
TOPICS: tuple[str, ...] = (
    "check_active", "renewal", "offline", "grace", "support", "topup", "apps", "websites", "notices",
)


def coverage(countries: set[str] | None = None) -> tuple[int, dict[str, int], dict[str, list[str]]]:
    """Providers counted, providers per topic with an entry, and the empty topics per provider id."""
    providers = [p for p in load_catalog().providers if countries is None or p.country in countries]
    counts = {t: sum(1 for p in providers if getattr(p, t)) for t in TOPICS}
    missing = {p.id: [t for t in TOPICS if not getattr(p, t)] for p in providers}
    return len(providers), counts, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", help="comma-separated country codes (default: all)")
    parser.add_argument("--missing", action="store_true", help="list empty topics per provider")
    args = parser.parse_args(argv)
    countries = {c.strip() for c in args.country.split(",")} if args.country else None
    total, counts, missing = coverage(countries)
    print(f"{total} providers")
    for topic in TOPICS:
        print(f"  {topic:<13} {counts[topic]:>3} of {total}")
    if args.missing:
        for pid, empty in missing.items():
            print(f"{pid}: {' '.join(empty) if empty else '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
