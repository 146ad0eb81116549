"""Parsing the dates people type, and printing dates back to them.

The rules (what counts as a date, which order an ambiguous numeric date takes, what is too far
ahead) live here; libraries only do the heavy lifting: Babel prints dates, dateparser reads the
rare phrasings our own rules do not cover.

Reading a date (:func:`parse_date`) goes in three steps:

1. The text is normalized: NFKC (full-width digits and punctuation become ASCII), case-folded,
   the few traditional Chinese characters that occur in date phrases mapped to simplified ones
   (後→后, 號→号, 個→个, 週→周 ...), whitespace collapsed, a trailing time or part of day
   (``5pm``, ``23:59``, ``jam 10``, ``morning``, ``pagi``) dropped. Input longer than
   :data:`MAX_INPUT` characters is refused outright.
2. Our own anchored regular expressions read the common forms in every language, whatever the
   owner's language is: ISO and numeric dates, month names (English, Indonesian, Malay) and
   Chinese ``年月日``, relative amounts (``+30``, ``30d``, ``in 30 days``, ``30 hari lagi``,
   ``dalam 30 hari``, ``30天后``), day words (``tomorrow``, ``besok``, ``esok``, ``lusa``,
   ``明天``, ``后天``), weekdays (``next friday``, ``jumat depan``, ``下周五``), ``下个月5号``
   and so on. A form they recognise but that is not a real date (``31/13/2026``, ``2026-02-30``,
   ``Dec 2026``) is refused here and never reaches dateparser. Chinese is read entirely by
   these rules (dateparser 1.5 reads few Chinese phrases: not 下周五, 下个月5号, 三天后).
3. Only Latin text that contains letters and matched none of our rules goes to dateparser, with
   explicit settings (en/id/ms with the owner's language first, ``PREFER_DATES_FROM='future'``,
   ``RELATIVE_BASE`` = today, the owner's ``DATE_ORDER``, no timestamp parser, naive results),
   and is held to our rules (see :func:`_fallback`): it must name a day that is not in the past,
   and every word must matter - dateparser otherwise reads ``tomorrow 2026 tomorrow of`` as
   tomorrow and ``a december`` as 1 December.

The owner's language only decides the order of an ambiguous numeric date (``03/04/2026``) and
which language dateparser tries first. A weekday written next to a date must match it.

Timing (Python 3.11, dateparser 1.5, Babel 2.18, on the 2-CPU development container; the bound
is checked by ``tests/unit/test_dates.py::test_parse_time_is_bounded``):

* cold start: importing dateparser takes ~0.05 s, its first parse ~0.09 s (locale data, regex
  compilation), the other languages and Babel's locale data ~0.07 s more. :func:`warm_up` does
  all of it in ~0.2 s (0.3 s with a cold disk cache); call it once at start so the first user
  does not pay it. Most input never reaches dateparser at all.
* after warm-up: our rules answer in 0.01-0.05 ms; text that falls through to dateparser takes
  0.3-2 ms (a few dateparser calls for the every-word-matters check); the slowest input found by
  fuzzing 6,000 random and adversarial 64-character inputs took 7.6 ms, which includes building
  dateparser's parser for a new "today" (once per language per day). Inputs are capped at 64
  characters and dateparser at 8 words, so this stays bounded.
The package, one job per module: :mod:`.languages` (the five languages, numeric date order,
printing with Babel), :mod:`.words` (the words and patterns the rules read: data tables),
:mod:`.arithmetic` (counting days, weeks and months; reading number words), :mod:`.rules` (our
own rules), :mod:`.fallback` (dateparser, held to our rules) and :mod:`.parse` (the public
:func:`parse_date` and :func:`check_range`).
"""
from __future__ import annotations

from bot.core.dates.languages import (
    BABEL_LOCALES,
    LANGUAGES,
    canonical_lang,
    date_order,
    format_date,
    order_example,
)
from bot.core.dates.parse import MAX_AHEAD, MAX_INPUT, DateError, check_range, parse_date, warm_up

__all__ = [
    "BABEL_LOCALES",
    "LANGUAGES",
    "MAX_AHEAD",
    "MAX_INPUT",
    "DateError",
    "canonical_lang",
    "check_range",
    "date_order",
    "format_date",
    "order_example",
    "parse_date",
    "warm_up",
]
