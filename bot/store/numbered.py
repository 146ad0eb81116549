"""Numbered SQL migrations, shared by both adapters: ``001_name.sql``, ``002_...``, without gaps.

Each dialect keeps its own folder (``bot/store/<dialect>/migrations``) with the same numbers and
names, so a schema version means the same tables on SQLite and PostgreSQL.
"""
from __future__ import annotations

import re
from importlib import resources

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def numbered(package: str) -> list[tuple[int, str, str]]:
    """(version, file name, sql) of every migration in ``package``, in order."""
    found = []
    for entry in resources.files(package).iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"{package}: migrations must be numbered 001, 002, ... without gaps: {versions}")
    return found
