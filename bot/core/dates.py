"""Parsing the dates people type, and printing dates back to them.

The rules (what counts as a date, which order an ambiguous numeric date takes, what is too far
ahead) live here; libraries only do the heavy lifting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

#: Dates further ahead than this are refused as typos.
MAX_AHEAD = timedelta(days=2 * 366)


@dataclass(frozen=True)
class DateError(ValueError):
    """A date that could not be used. ``code`` is a message id suffix: ``bad``, ``past``, ``far``."""

    code: str
    text: str

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.code}: {self.text!r}"


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_REL = re.compile(r"^\+?(\d{1,4})\s*d$", re.IGNORECASE)


def parse_date(text: str, *, today: date, lang: str = "en", allow_past: bool = False) -> date:
    """Turn what a user typed into a date, or raise :class:`DateError`.

    ``today`` is the owner's local date; relative forms count from it.
    """
    raw = text.strip()
    s = raw.lower()
    result: date | None = None
    try:
        if s == "today":
            result = today
        elif s == "tomorrow":
            result = today + timedelta(days=1)
        elif m := _REL.match(s):
            result = today + timedelta(days=int(m.group(1)))
        elif m := _ISO.match(s):
            result = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif m := _DMY.match(s):
            result = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except (ValueError, OverflowError):
        raise DateError("bad", raw) from None
    if result is None:
        raise DateError("bad", raw)
    return check_range(result, today=today, allow_past=allow_past, text=raw)


def check_range(d: date, *, today: date, allow_past: bool = False, text: str = "") -> date:
    """Refuse dates in the past or implausibly far ahead."""
    if not allow_past and d < today:
        raise DateError("past", text or d.isoformat())
    if d - today > MAX_AHEAD:
        raise DateError("far", text or d.isoformat())
    return d


def format_date(d: date, lang: str = "en") -> str:
    """A date as the owner reads it. ISO for now; localized forms slot in here."""
    return d.isoformat()
