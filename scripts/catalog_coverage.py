"""Count how many catalog providers have each topic filled (issue 11's coverage figures).

The README quotes these numbers; this makes them reproducible instead of hand-counted:
``.venv/bin/python scripts/catalog_coverage.py [--countries sg,hk,mo,tw]``. A topic counts when the
provider has at least one fact (or rule, or notice format) in it; variants do not count twice.
"""
from __future__ import annotations

import argparse

from bot.catalog import load_catalog

TOPICS = ("check_active", "renewal", "offline", "grace", "support", "topup", "apps", "websites", "notices")


def coverage(countries: set[str] | None = None) -> tuple[int, dict[str, int]]:
    """Number of providers (optionally of some countries only) and, per topic, how many have it."""
    providers = [p for p in load_catalog().providers
                 if countries is None or p.country in countries]
    return len(providers), {t: sum(1 for p in providers if getattr(p, t, None)) for t in TOPICS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", default="", help="comma-separated country codes (default: all)")
    args = parser.parse_args(argv)
    wanted = {c.strip() for c in args.countries.split(",") if c.strip()} or None
    n, counts = coverage(wanted)
    print(f"providers: {n}")
    for topic in TOPICS:
        print(f"{topic:13} {counts[topic]:3} / {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
