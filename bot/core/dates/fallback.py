"""dateparser, for the rare Latin-script phrasings our rules do not know, held to our rules
(see :func:`_fallback`)."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from bot.core.dates.languages import date_order
from bot.core.dates.words import (
    _DP_ANCHORS,
    _DP_CONNECTORS,
    _DP_FILLER_PAIRS,
    _DP_FILLERS,
    _DP_MAX_WORDS,
    _DP_REDUNDANT_OK,
    _DP_UNITS,
    _HAN,
    _LETTER,
    _MONTHS,
    _NUM_TOKEN,
    _NUM_WORDS,
    _TIME_UNITS,
    _TOKEN_SPLIT,
    _WEEKDAYS,
)

# Chinese text never reaches dateparser (see _fallback), so only the Latin-script languages,
# the owner's first.
_DP_LANGS = {
    "en": ["en", "id", "ms"],
    "id": ["id", "ms", "en"],
    "ms": ["ms", "id", "en"],
    "zh-Hans": ["en", "id", "ms"],
    "zh-Hant": ["en", "id", "ms"],
}


@lru_cache(maxsize=32)
def _date_data_parser(lang: str, today: date) -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=_DP_LANGS[lang],
        try_previous_locales=False,
        use_given_order=True,
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime.combine(today, time(12, 0)),
            "DATE_ORDER": date_order(lang),
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DAY_OF_MONTH": "first",
            "STRICT_PARSING": False,
            "PARSERS": ["relative-time", "absolute-time"],
        },
    )


def _plausible(words: list[str]) -> bool:
    """A cheap shape check before dateparser, which skips words it knows but cannot place."""
    if len(set(words)) != len(words) or words[-1] in _DP_REDUNDANT_OK or words[0] in ("and", "dan"):
        return False  # "tomorrow tomorrow", "tomorrow the", "and friday"
    if sum(w in _DP_ANCHORS for w in words) > 1:
        return False  # "next week tomorrow"
    if sum(w in _MONTHS for w in words) > 1 or sum(w in _WEEKDAYS for w in words) > 1:
        return False
    durations = [i for i, w in enumerate(words) if w in _DP_UNITS]
    for i in durations:
        if i == 0 or not (words[i - 1].isdigit() or words[i - 1] in _NUM_WORDS):
            return False  # "on the 1st days", "of days"
    for i, w in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        if w in ("a", "an", "one") and after not in _DP_UNITS:
            return False  # dateparser reads "a december" as 1 December
        if w in ("and", "dan") and not (words[i - 1] in _DP_UNITS and after):
            return False  # "and" joins amounts: "1 month and 2 days"
        if w in ("at", "in", "on", "by", "within", "dalam", "pada") and i > 0:
            return False  # "december in 5"
    fillers = [i for i, w in enumerate(words) if w in _DP_REDUNDANT_OK]
    if len(fillers) > 2 or any(
        j == i + 1 and (words[i], words[j]) not in _DP_FILLER_PAIRS for i, j in zip(fillers, fillers[1:], strict=False)
    ):
        return False  # "the in - tomorrow"
    days = [i for i, w in enumerate(words) if _NUM_TOKEN.match(w) and len(w.rstrip("sndrth")) <= 2]
    if len([i for i in days if i + 1 not in durations]) > 1:
        return False  # "the and 31 1st"
    if any(re.fullmatch(r"[0-9]{4}", w) for w in words) and not any(w in _MONTHS for w in words):
        return False  # "tomorrow 2026": a year goes with a month name
    fixed = any(w in _DP_ANCHORS or w in _MONTHS or w in _WEEKDAYS for w in words)
    if durations and fixed and not any(w in _DP_CONNECTORS for w in words):
        return False  # "30 weeks tomorrow"; "a week from tomorrow" is fine
    return True


def _dateparser_day(s: str, today: date, lang: str) -> date | None:
    """dateparser's reading of ``s``, kept only when it names a day that is not in the past."""
    data = _date_data_parser(lang, today).get_date_data(s)
    if data.date_obj is None or data.period not in ("day", "week") or "month" not in data.parts:
        return None  # "Dec 2026", "mon 5": no day, or only a day number guessed at
    d: date = data.date_obj.date()
    if d < today:
        return None  # it prefers the future: a past answer is a misreading ("a week from today")
    return d


def _fallback(s: str, today: date, lang: str) -> date | None:
    """dateparser, for the rare phrasings our rules do not know (``a fortnight``,
    ``in 3 weeks and 2 days``), held to our rules:

    * only Latin text with letters beyond fillers, at most :data:`_DP_MAX_WORDS` words, no clock
      times or hours; Chinese is left to our own rules (dateparser reads few Chinese phrases);
    * the answer must name a day (not a month or year) that is not in the past;
    * a weekday in the text must be the weekday of the answer;
    * every word must matter: dateparser skips words it knows but cannot place, so
      ``tomorrow 2026 tomorrow of`` reads as tomorrow. If the same day comes out with any one
      word left out (fillers, a year and a matching weekday may be redundant), the text is refused.
    """
    if _HAN.search(s) or _TIME_UNITS.search(s) or not _LETTER.search(_DP_FILLERS.sub(" ", s)):
        return None  # numbers alone are never guessed at; hours and minutes are no date
    words = _TOKEN_SPLIT.sub(" ", s).split()
    if len(words) > _DP_MAX_WORDS or not _plausible(words):
        return None
    d = _dateparser_day(s, today, lang)
    if d is None:
        return None
    for w in set(_TOKEN_SPLIT.split(s)) & _WEEKDAYS.keys():
        if _WEEKDAYS[w] != d.weekday():
            return None  # it ignores a weekday that does not match the date
    for i, w in enumerate(words):
        if w in _DP_REDUNDANT_OK or w in _WEEKDAYS or re.fullmatch(r"[0-9]{4}", w):
            continue
        rest = " ".join(words[:i] + words[i + 1:])
        if rest and _dateparser_day(rest, today, lang) == d:
            return None
    return d
