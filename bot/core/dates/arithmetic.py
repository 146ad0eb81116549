"""Counting days, weeks and months from a date, and reading number words: the steps the date
rules share. :class:`_Bad` is how a rule says "I know this form, but it is not a real date"."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from bot.core.dates.languages import day_first
from bot.core.dates.words import _CN_DIGITS, _CN_UNITS, _NUM_WORDS


def _add_days(today: date, n: int) -> date:
    try:
        return today + timedelta(days=n)
    except OverflowError:
        return date.max if n > 0 else date.min


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + (d.month - 1) + n
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        return date.max if n > 0 else date.min
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def _words_to_int(words: str) -> int | None:
    total = 0
    last = 0
    for w in re.split(r"[ -]", words):
        if w in _NUM_WORDS:
            last = _NUM_WORDS[w]
            total += last
        elif w == "belas" and 0 < last < 10:
            total += 10
            last += 10
        elif w == "puluh" and 0 < last < 10:
            total += last * 9
            last *= 10
        elif w in ("hundred", "ratus") and 0 < last < 10:
            total += last * 99
            last *= 100
        else:
            return None
    return total or None


def _cn_int(s: str) -> int:
    if s.isascii():
        return int(s)
    if not any(ch in _CN_UNITS for ch in s):
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = 0
    cur = 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        else:
            total += (cur or 1) * _CN_UNITS[ch]
            cur = 0
    return total + cur


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        # 29 Feb 2027, 31 Apr: a month and a day that each exist, but not together.
        raise (_NoSuchDay if 1 <= month <= 12 and 1 <= day <= 31 else _Bad) from None


class _Bad(Exception):
    """A rule recognised the form, but it is not a real date."""


class _NoSuchDay(_Bad):
    """A real month and a day number it does not have: worth saying so, not "can't read it"."""


def _next_month_day(month: int, day: int, today: date) -> date:
    """The first ``day``/``month`` that is today or later."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise _Bad
    for year in range(today.year, today.year + 9):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d >= today:
            return d
    raise _NoSuchDay  # "31 Feb": no year has it


def _next_day_of_month(day: int, today: date) -> date:
    """The first day numbered ``day`` that is today or later."""
    if not 1 <= day <= 31:
        raise _Bad
    for k in range(13):
        first = _add_months(today.replace(day=1), k)
        if day <= calendar.monthrange(first.year, first.month)[1]:
            d = first.replace(day=day)
            if d >= today:
                return d
    raise _Bad  # pragma: no cover - every day 1..31 occurs within 13 months


def _next_weekday(today: date, wd: int, *, include_today: bool) -> date:
    ahead = (wd - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


def _week_weekday(today: date, wd: int, weeks: int) -> date:
    """Weekday ``wd`` of the calendar week (Monday first) ``weeks`` from this one."""
    return today - timedelta(days=today.weekday()) + timedelta(days=7 * weeks + wd)


def _shift(today: date, n: int, unit: str) -> date:
    if unit == "d":
        return _add_days(today, n)
    if unit == "w":
        return _add_days(today, 7 * n)
    if unit == "m":
        return _add_months(today, n)
    return _add_months(today, 12 * n)


def _numeric(a: int, b: int, order: str) -> tuple[int, int]:
    """(day, month) from two numbers written in ``order``, swapping only when that is the
    sole possible reading."""
    day, month = (a, b) if day_first(order) else (b, a)
    if month > 12 and day <= 12:
        day, month = month, day
    return day, month


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if len(text) == 2 else y
