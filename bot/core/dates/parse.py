"""Reading what a user typed as a date (:func:`parse_date`), and the range every date must be in.

The three steps (normalize, our rules, dateparser) are described in :mod:`bot.core.dates`.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from bot.core.dates.arithmetic import _Bad, _NoSuchDay
from bot.core.dates.fallback import _fallback
from bot.core.dates.languages import LANGUAGES, canonical_lang, format_date
from bot.core.dates.rules import _rules
from bot.core.dates.words import _HAN, _T2S, _TIME_TAIL

#: Dates further ahead than this are refused as typos.
MAX_AHEAD = timedelta(days=2 * 366)

#: Longer input is refused before any parsing: no real date is this long.
MAX_INPUT = 64

class DateError(ValueError):
    """A date that could not be used. ``code`` is a message id suffix: ``bad``, ``no_such_day``
    (29 Feb 2027), ``past``, ``far``.

    ``text`` is what the user typed (stripped, at most :data:`MAX_INPUT` characters).
    (A plain exception, not a frozen dataclass: Python must be able to set ``__traceback__``.)
    """

    def __init__(self, code: str, text: str = "") -> None:
        super().__init__(code, text)
        self.code = code
        self.text = text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DateError):
            return NotImplemented
        return (self.code, self.text) == (other.code, other.text)

    def __hash__(self) -> int:
        return hash((self.code, self.text))

    def __repr__(self) -> str:
        return f"DateError({self.code!r}, {self.text!r})"

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.code}: {self.text!r}"



def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).casefold().translate(_T2S)
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"\s+", " ", s).strip().strip(" .,!?;:。、")
    if _HAN.search(s):
        s = re.sub(r"[\s,()\[\]]", "", s)
    return s


def warm_up() -> float:
    """Import dateparser and load its data for every language; returns the seconds it took.

    Call once when the bot starts (in a thread if the loop is already running): the first
    dateparser call otherwise costs the first user about 0.2-0.3 s.
    """
    import time as _time

    start = _time.perf_counter()
    today = date.today()
    for lang in LANGUAGES:
        _fallback("a fortnight from now", today, lang)
        _fallback("xyzzy plugh", today, lang)  # unknown everywhere: every locale gets loaded
        format_date(today, lang, weekday=True)
    return _time.perf_counter() - start



def parse_date(text: str, *, today: date, lang: str = "en", allow_past: bool = False) -> date:
    """Turn what a user typed into a date, or raise :class:`DateError`.

    ``today`` is the owner's local date; relative forms count from it. A date without a year is
    the next such date that is not in the past. ``lang`` decides the order of ambiguous numeric
    dates (:func:`date_order`); every language's forms are read whatever it is.
    """
    raw = text.strip()
    if not raw or len(raw) > MAX_INPUT:
        raise DateError("bad", raw[:MAX_INPUT])
    lang = canonical_lang(lang)
    s = _normalize(raw)
    if not _HAN.search(s):
        s = _TIME_TAIL.sub("", s)
    if not s:
        raise DateError("bad", raw)
    try:
        result = _rules(s, today, lang)
    except _NoSuchDay:
        raise DateError("no_such_day", raw) from None
    except _Bad:
        raise DateError("bad", raw) from None
    if result is None:
        result = _fallback(s, today, lang)
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
