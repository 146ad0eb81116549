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
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

#: Dates further ahead than this are refused as typos.
MAX_AHEAD = timedelta(days=2 * 366)

#: Longer input is refused before any parsing: no real date is this long.
MAX_INPUT = 64

#: The languages the bot speaks.
LANGUAGES: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant", "id", "ms")


class DateError(ValueError):
    """A date that could not be used. ``code`` is a message id suffix: ``bad``, ``past``, ``far``.

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


# --- languages -------------------------------------------------------------------------------


def canonical_lang(lang: str | None) -> str:
    """One of :data:`LANGUAGES` for a language code (``zh_TW``, ``zh-hk``, ``in``, ``en-US`` ...)."""
    code = (lang or "").strip().replace("_", "-").lower()
    if code.startswith("zh"):
        if any(tag in code for tag in ("hant", "-tw", "-hk", "-mo")):
            return "zh-Hant"
        return "zh-Hans"
    base = code.split("-", 1)[0]
    if base in ("id", "in"):
        return "id"
    if base in ("ms", "zsm"):
        return "ms"
    return "en"


_ORDERS = {"en": "DMY", "id": "DMY", "ms": "DMY", "zh-Hans": "YMD", "zh-Hant": "YMD"}


def date_order(lang: str = "en") -> str:
    """How numeric dates are read for ``lang``: ``"DMY"`` (en, id, ms) or ``"YMD"`` (Chinese).

    A four-digit year written first is always year-month-day. Otherwise day and month follow the
    order of ``D`` and ``M`` here: day first for en, id, ms (``03/04/2026`` is 3 April); month
    first for Chinese (``03/04/2026`` and ``3/4`` are 4 March, as in ``3月4日``). When that
    reading is impossible but the other one is not (``12/31/2026``), the other one is taken.
    """
    return _ORDERS[canonical_lang(lang)]


def order_example(lang: str = "en") -> str:
    """``03/04/2026 = 3 Apr 2026`` in the owner's language, for ``settings``."""
    day_first = _day_first(date_order(lang))
    d = date(2026, 4, 3) if day_first else date(2026, 3, 4)
    return f"03/04/2026 = {format_date(d, lang)}"


def _day_first(order: str) -> bool:
    return order.index("D") < order.index("M")


# --- formatting ------------------------------------------------------------------------------

_BABEL_LOCALES = {"en": "en_GB", "id": "id", "ms": "ms", "zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant"}


def format_date(d: date, lang: str = "en", *, weekday: bool = False) -> str:
    """A date as the owner reads it, with Babel (CLDR skeletons ``yMMMd`` / ``yMMMEd``).

    ``en`` ``31 Dec 2026`` / ``Thu, 31 Dec 2026``; ``id`` ``31 Des 2026`` / ``Kam, 31 Des 2026``;
    ``ms`` ``31 Dis 2026`` / ``Kha, 31 Dis 2026``; ``zh-Hans`` ``2026年12月31日`` /
    ``2026年12月31日周四``; ``zh-Hant`` ``2026年12月31日`` / ``2026年12月31日 週四``.
    Whatever this prints, :func:`parse_date` reads back (tested).
    """
    from babel.dates import format_skeleton

    locale = _BABEL_LOCALES[canonical_lang(lang)]
    return format_skeleton("yMMMEd" if weekday else "yMMMd", d, locale=locale)


# --- parsing: tables ---------------------------------------------------------------------------

# Traditional -> simplified, only for characters that occur in date phrases.
_T2S = str.maketrans("後號個週禮這兩過聽於點們", "后号个周礼这两过听于点们")

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "january jan januari",
        "february feb februari pebruari",
        "march mar maret mac",
        "april apr",
        "may mei",
        "june jun juni",
        "july jul juli julai",
        "august aug agustus agu agt ags ogos ogo",
        "september sep sept",
        "october oct oktober okt",
        "november nov nopember nop",
        "december dec desember des disember dis",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _num

_WEEKDAYS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        "monday mon senin sen isnin isn",
        "tuesday tue tues selasa sel",
        "wednesday wed rabu rab",
        "thursday thu thur thurs kamis kam khamis kha",
        "friday fri jumat jum'at jumaat jum",
        "saturday sat sabtu sab",
        "sunday sun minggu min ahad ahd",
    )
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _num

_ZH_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
          "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}

# Fixed words -> days from today.
_DAY_WORDS = {
    "today": 0, "tdy": 0, "now": 0, "hari ini": 0, "今天": 0, "今日": 0,
    "tomorrow": 1, "tmr": 1, "tmrw": 1, "tmw": 1, "tomorow": 1, "tommorow": 1, "tommorrow": 1,
    "besok": 1, "bsk": 1, "esok": 1, "esok hari": 1, "besok hari": 1, "明天": 1, "明日": 1, "听日": 1,
    "day after tomorrow": 2, "the day after tomorrow": 2, "overmorrow": 2, "lusa": 2,
    "后天": 2, "后日": 2,
    "大后天": 3, "tulat": 3,
    "yesterday": -1, "kemarin": -1, "kemaren": -1, "kelmarin": -1, "semalam": -1, "昨天": -1,
    "昨日": -1, "琴日": -1, "前天": -2, "kemarin lusa": -2,
    "next week": 7, "minggu depan": 7, "pekan depan": 7, "minggu hadapan": 7,
    "下周": 7, "下星期": 7, "下个星期": 7, "下礼拜": 7, "下个礼拜": 7,
}
_MONTH_WORDS = {"next month": 1, "bulan depan": 1, "bulan hadapan": 1, "下个月": 1, "下月": 1}
_YEAR_WORDS = {"next year": 1, "tahun depan": 1, "tahun hadapan": 1, "明年": 1}
# Last day of this month (0) or next month (1).
_END_OF_MONTH = {
    "end of month": 0, "end of the month": 0, "end of this month": 0, "month end": 0,
    "akhir bulan": 0, "akhir bulan ini": 0, "hujung bulan": 0, "hujung bulan ini": 0,
    "月底": 0, "月末": 0, "这个月底": 0, "这月底": 0, "本月底": 0, "本月末": 0,
    "end of next month": 1, "akhir bulan depan": 1, "hujung bulan depan": 1,
    "hujung bulan hadapan": 1, "下个月底": 1, "下月底": 1, "下个月末": 1, "下月末": 1,
}
# Phrases that name no single day: refused instead of guessed.
_VAGUE = {
    "this week", "minggu ini", "pekan ini", "这周", "本周", "这个星期", "这星期", "本星期",
    "this month", "bulan ini", "本月", "这个月", "这月", "this year", "tahun ini", "今年",
    "soon", "later", "nanti", "sebentar lagi", "besok lusa", "不久", "以后", "later on",
}

_UNITS = {
    "d": "d", "day": "d", "days": "d", "hari": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w", "minggu": "w", "pekan": "w",
    "month": "m", "months": "m", "mo": "m", "mos": "m", "mth": "m", "mths": "m", "bulan": "m",
    "bln": "m",
    "year": "y", "years": "y", "yr": "y", "yrs": "y", "tahun": "y", "thn": "y",
}

_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "lapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100,
}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "零〇一二两三四五六七八九十百千"


def _alt(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_WD_RE = _alt(_WEEKDAYS)
_UNIT_RE = _alt(_UNITS)
_N = r"[0-9]{1,6}"

_HAN = re.compile(r"[\u3400-\u9fff]")
_LETTER = re.compile(r"[^\W\d_]")
_TIME_TAIL = re.compile(
    r"(?:,?\s+(?:at\s+|@\s*)?[0-9]{1,2}(?::[0-9]{2})?\s*(?:am|pm|a\.m\.|p\.m\.)"
    r"|,?\s+(?:at\s+|@\s*)?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
    r"|,?\s+(?:jam|pukul|pkl\.?)\s*[0-9]{1,2}(?:[:.][0-9]{2})?"
    r"(?:\s*(?:wib|wita|wit|pagi|siang|sore|petang|malam))?"
    r"|,?\s+(?:in the\s+)?(?:morning|afternoon|evening|night|pagi|siang|sore|petang|malam))$"
)
_TIME_UNITS = re.compile(
    r"\b(?:hours?|hrs?|minutes?|mins?|seconds?|secs?|jam|menit|minit|detik|saat)\b"
    r"|小时|钟头|分钟|秒|[0-9]\s*点"
    r"|[0-9]{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|[0-9]{1,2}:[0-9]{2}"
)

_PLUS = re.compile(rf"^\+\s*({_N})\s*({_UNIT_RE})?$")
_REL_LATIN = re.compile(
    rf"^(?:(?P<pre>in|dalam|within|after|lagi|another)\s+)?"
    rf"(?:(?P<num>{_N})\s*|(?P<words>[a-z]+(?:[ -][a-z]+){{0,3}}?)\s+|se(?=hari|minggu|pekan|bulan|tahun))"
    rf"(?P<unit>{_UNIT_RE})"
    r"(?:\s+(?P<post>later|from now|from today|after today|hence|lagi|lg|kemudian|dari sekarang"
    r"|dari hari ini|ke depan|kedepan|ago|back|before|lalu|yang lalu|yg lalu|sebelumnya))?$"
)
_FROM_BASE = re.compile(
    r"^(?P<amount>.+?)\s+(?P<word>from|after|before|dari|selepas|setelah)\s+(?P<base>.+)$"
)
_NEGATIVE_POST = {"ago", "back", "before", "lalu", "yang lalu", "yg lalu", "sebelumnya"}
_REL_ZH = re.compile(
    rf"^(?:再)?(?:过)?(?P<num>[0-9]{{1,6}}|[{_CN_NUM}]{{1,6}})"
    r"(?P<ge>个)?(?P<unit>天|日|周|星期|礼拜|月|年)"
    r"(?P<post>后|以后|之后|过后|前|以前|之前)?$"
)

_WD_LATIN = re.compile(
    rf"^(?:on\s+)?(?:(?P<pre>this|next|coming|upcoming|the coming|this coming)\s+)?"
    rf"(?:hari\s+)?(?P<wd>{_WD_RE})"
    r"(?:\s+(?P<post>ini|depan|hadapan|nanti|this week|next week|minggu ini|pekan ini"
    r"|minggu depan|pekan depan|minggu hadapan))?$"
)
_WD_LATIN_WEEK_FIRST = re.compile(
    rf"^(?P<pre>next week|this week|minggu depan|pekan depan|minggu hadapan|minggu ini|pekan ini)"
    rf"\s+(?:on\s+)?(?:hari\s+)?(?P<wd>{_WD_RE})$"
)
_WD_ZH = re.compile(r"^(?P<pre>下下个?|下个?|这个?|本|上个?)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])$")

_ORD = r"(?:st|nd|rd|th)"
_MONTH_REL_LATIN = re.compile(
    rf"^(?:on\s+)?(?:the\s+)?(?P<d>[0-9]{{1,2}}){_ORD}?\s+(?:of\s+)?(?P<m>next month|this month)$"
    rf"|^(?P<m2>next month|this month)\s+(?:on\s+)?(?:the\s+)?(?P<d2>[0-9]{{1,2}}){_ORD}?$"
    r"|^(?:(?:tanggal|tgl\.?|tg)\s*)?(?P<d3>[0-9]{1,2})(?:\s*hb)?\s+"
    r"(?P<m3>bulan depan|bulan hadapan|bulan ini)$"
    r"|^(?P<m4>bulan depan|bulan hadapan|bulan ini)\s+(?:(?:tanggal|tgl\.?|tg)\s*)?(?P<d4>[0-9]{1,2})"
    r"(?:\s*hb)?$"
)
_MONTH_REL_ZH = re.compile(
    rf"^(?P<m>下下个?月|下个?月|这个?月|本月)的?(?P<d>[0-9]{{1,2}}|[{_CN_NUM}]{{1,3}})(?:号|日)?$"
)
_DAY_ONLY = re.compile(
    rf"^(?:on\s+)?(?:the\s+)?(?P<d>[0-9]{{1,2}}){_ORD}$"
    r"|^(?:tanggal|tgl\.?|tg)\s*(?P<d2>[0-9]{1,2})$"
    r"|^(?P<d3>[0-9]{1,2})\s*hb$"
    rf"|^(?P<d4>[0-9]{{1,2}}|[{_CN_NUM}]{{1,3}})(?:号|日)$"
)

_YMD = re.compile(r"^([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})$")
_XXY = re.compile(r"^([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})$")
_XX = re.compile(r"^([0-9]{1,2})([-/.])([0-9]{1,2})$")
_COMPACT = re.compile(r"^(20[0-9]{2})([0-9]{2})([0-9]{2})$")
_ZH_DATE = re.compile(
    r"^(?:(?P<y>[0-9]{4}|[0-9]{2}|[〇零一二三四五六七八九]{4}|[〇零一二三四五六七八九]{2}|今|明|后|去)年)?"
    r"(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?P<d>[0-9]{1,2}|[一二三四五六七八九十]{1,4})(?:日|号)?$"
)
_WD_ZH_EDGE = re.compile(r"^(?:(?:周|星期|礼拜)([一二三四五六日天]))?(.+?)(?:(?:周|星期|礼拜)([一二三四五六日天]))?$")
_WD_LATIN_EDGE = re.compile(
    rf"^(?:(?P<a>{_WD_RE})\.?(?:,\s*|\s+))?(?P<rest>.+?)(?:(?:,\s*|\s+)\(?(?P<b>{_WD_RE})\.?\)?)?$"
)
_TOKEN_SPLIT = re.compile(r"[\s,/\-.]+")
_NUM_TOKEN = re.compile(r"^([0-9]{1,4})(st|nd|rd|th|hb)?$")
_ORDINAL_WORDS = {
    w: n
    for n, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        start=1,
    )
}
for _n, _w in enumerate("first second third fourth fifth sixth seventh eighth ninth".split(), start=1):
    _ORDINAL_WORDS[f"twenty-{_w}"] = 20 + _n
_ORDINAL_WORDS.update({"thirtieth": 30, "thirty-first": 31})
_ORDINAL_WORDS_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted((w.replace("-", "[ -]") for w in _ORDINAL_WORDS), key=len, reverse=True))
    + r")\b"
)
# Words around a month-name date, as letters for _MN_LAYOUT; W weekday, M month, D a day (or a
# two-digit year), Y a four-digit year.
_MN_KIND = {"the": "t", "of": "o", "on": "n", "pada": "n", "hb": "h", "haribulan": "h",
            "tanggal": "g", "tgl": "g", "tg": "g", "hari": "r"}
_MN_LAYOUT = re.compile(
    r"^n?(?:r?W)?n?g?t?(?P<d>D)h?o?(?P<m>M)(?P<y>[DY])?W?$"
    r"|^n?(?:r?W)?n?(?P<m2>M)t?(?P<d2>D)(?P<y2>[DY])?W?$"
    r"|^(?P<y3>Y)(?P<m3>M)(?P<d3>D)$"
)
_DP_FILLERS = re.compile(r"\b(?:at|on|in|the|of|by|pada|tanggal|tgl|di|dalam|on the)\b")
# Words that may be left out of a phrase without changing it (see _fallback).
_DP_REDUNDANT_OK = frozenset("in on at the of and a an by from dalam pada tanggal tgl dan , -".split())
_DP_MAX_WORDS = 8
_DP_FILLER_PAIRS = {("on", "the"), ("of", "the"), ("in", "a"), ("in", "an"), ("dalam", "a")}
_DP_ANCHORS = frozenset(
    "today tomorrow tonight now yesterday next this last coming besok esok lusa kemarin depan "
    "hadapan ini lalu".split()
)
_DP_UNITS = frozenset(_UNITS) | {"fortnight", "fortnights"}
_DP_CONNECTORS = frozenset("from after before dari selepas setelah sebelum".split())


# --- parsing: helpers --------------------------------------------------------------------------


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).casefold().translate(_T2S)
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"\s+", " ", s).strip().strip(" .,!?;:。、")
    if _HAN.search(s):
        s = re.sub(r"[\s,()\[\]]", "", s)
    return s


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
        raise _Bad from None


class _Bad(Exception):
    """A rule recognised the form, but it is not a real date."""


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
    raise _Bad


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
    day, month = (a, b) if _day_first(order) else (b, a)
    if month > 12 and day <= 12:
        day, month = month, day
    return day, month


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if len(text) == 2 else y


# --- parsing: rules ----------------------------------------------------------------------------


def _relative(s: str, today: date, lang: str = "en") -> date | None:
    if s in _VAGUE:
        raise _Bad
    if s in _DAY_WORDS:
        return _add_days(today, _DAY_WORDS[s])
    if s in _MONTH_WORDS:
        return _add_months(today, _MONTH_WORDS[s])
    if s in _YEAR_WORDS:
        return _add_months(today, 12 * _YEAR_WORDS[s])
    if s in _END_OF_MONTH:
        first = _add_months(today.replace(day=1), _END_OF_MONTH[s])
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])

    if m := _PLUS.match(s):
        return _shift(today, int(m.group(1)), _UNITS[m.group(2) or "d"])

    if m := _REL_LATIN.match(s):
        unit = _UNITS[m["unit"]]
        if m["num"] is not None:
            n: int | None = int(m["num"])
        elif m["words"] is not None:
            if len(m["unit"]) == 1:  # "a d" is not "a day"
                return None
            n = _words_to_int(m["words"])
        else:  # se-: sehari, seminggu, sebulan, setahun
            n = 1
        if n is not None:
            if m["post"] in _NEGATIVE_POST:
                if m["pre"]:
                    return None
                n = -n
            return _shift(today, n, unit)

    # "a week from tomorrow", "2 weeks after friday", "3 days before 31 Dec"
    if (m := _FROM_BASE.match(s)) and (amount := _REL_LATIN.match(m["amount"])):
        if not amount["pre"] and not amount["post"]:
            base = _rules(m["base"], today, lang)
            if base is not None:
                back = " before" if m["word"] == "before" else ""
                return _relative(m["amount"] + back, base, lang)

    if m := _REL_ZH.match(s):
        unit = m["unit"]
        post = m["post"]
        if unit == "月" and not m["ge"]:
            return None  # 3月 is March; 3个月 is three months
        if unit in ("日", "年") and not post:
            return None  # 30日 is the 30th, 2026年 a year
        n = _cn_int(m["num"])
        sign = -1 if post and post[-1] in "前" else 1
        code = {"天": "d", "日": "d", "周": "w", "星期": "w", "礼拜": "w", "月": "m", "年": "y"}[unit]
        return _shift(today, sign * n, code)
    return None


def _weekday_relative(s: str, today: date) -> date | None:
    if m := _WD_LATIN.match(s):
        wd = _WEEKDAYS[m["wd"]]
        pre, post = m["pre"], m["post"]
        if pre and post:
            return None
        if post in ("next week", "minggu depan", "pekan depan", "minggu hadapan"):
            return _week_weekday(today, wd, 1)
        if post in ("this week", "minggu ini", "pekan ini"):
            return _week_weekday(today, wd, 0)
        if pre == "this" or post == "ini":
            return _next_weekday(today, wd, include_today=True)
        return _next_weekday(today, wd, include_today=False)
    if m := _WD_LATIN_WEEK_FIRST.match(s):
        wd = _WEEKDAYS[m["wd"]]
        this_week = m["pre"] in ("this week", "minggu ini", "pekan ini")
        return _week_weekday(today, wd, 0 if this_week else 1)
    if m := _WD_ZH.match(s):
        wd = _ZH_WD[m["wd"]]
        pre = (m["pre"] or "").rstrip("个")
        weeks = {"下下": 2, "下": 1, "这": 0, "本": 0, "上": -1}.get(pre)
        if weeks is None:
            return _next_weekday(today, wd, include_today=False)
        return _week_weekday(today, wd, weeks)
    return None


def _day_of_month(s: str, today: date) -> date | None:
    if m := _MONTH_REL_LATIN.match(s):
        which = m["m"] or m["m2"] or m["m3"] or m["m4"]
        day = int(m["d"] or m["d2"] or m["d3"] or m["d4"])
        first = _add_months(today.replace(day=1), 0 if which in ("this month", "bulan ini") else 1)
        return _make(first.year, first.month, day)
    if m := _MONTH_REL_ZH.match(s):
        which = m["m"].replace("个", "")
        months = {"下下月": 2, "下月": 1, "这月": 0, "本月": 0}[which]
        first = _add_months(today.replace(day=1), months)
        return _make(first.year, first.month, _cn_int(m["d"]))
    if m := _DAY_ONLY.match(s):
        return _next_day_of_month(_cn_int(m["d"] or m["d2"] or m["d3"] or m["d4"]), today)
    return None


def _absolute_plain(s: str, today: date, order: str) -> date | None:
    """Absolute dates without a weekday."""
    if m := _YMD.match(s):
        return _make(int(m[1]), int(m[3]), int(m[4]))
    if m := _XXY.match(s):
        day, month = _numeric(int(m[1]), int(m[3]), order)
        return _make(_year(m[4]), month, day)
    if m := _XX.match(s):
        day, month = _numeric(int(m[1]), int(m[3]), order)
        return _next_month_day(month, day, today)
    if m := _COMPACT.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _ZH_DATE.match(s):
        month, day = _cn_int(m["m"]), _cn_int(m["d"])
        y = m["y"]
        if y is None:
            return _next_month_day(month, day, today)
        rel = {"今": 0, "明": 1, "后": 2, "去": -1}
        year = today.year + rel[y] if y in rel else _cn_int(y)
        if len(y) == 2 and y not in rel:
            year += 2000
        return _make(year, month, day)
    return _month_name(s, today)


def _month_name(s: str, today: date) -> date | None:
    """``31 Dec 2026``, ``Dec 31``, ``Thu, 31st of December``, ``31hb Disember 2026`` ...

    Each word becomes one letter (see :data:`_MN_KIND`) and the word order must be one of
    :data:`_MN_LAYOUT`, so fillers stay where people put them ("the 31st of December").
    """
    kinds: list[str] = []
    values: list[tuple[int, str]] = []  # (value, suffix)
    s = _ORDINAL_WORDS_RE.sub(lambda m: f"{_ORDINAL_WORDS[m[0].replace(' ', '-')]}th", s)
    for tok in _TOKEN_SPLIT.split(s):
        if not tok:
            continue
        if tok in _MONTHS:
            kinds.append("M")
            values.append((_MONTHS[tok], ""))
        elif tok in _WEEKDAYS:
            kinds.append("W")
            values.append((_WEEKDAYS[tok], ""))
        elif tok in _MN_KIND:
            kinds.append(_MN_KIND[tok])
            values.append((0, ""))
        elif (m := _NUM_TOKEN.match(tok)) and (len(m[1]) <= 2 or (len(m[1]) == 4 and not m[2])):
            kinds.append("D" if len(m[1]) <= 2 else "Y")
            values.append((int(m[1]), m[2] or ""))
        else:
            return None
    if kinds.count("M") != 1:
        return None
    layout = _MN_LAYOUT.match("".join(kinds))
    if layout is None:
        raise _Bad  # a month name with numbers that make no day: "Dec 2026", "31 Dec 2026 5"
    g = {k: v for k, v in layout.groupdict().items() if v is not None}
    pos = {k.rstrip("23"): layout.start(k) for k in g}
    month = values[pos["m"]][0]
    day = values[pos["d"]][0]
    weekday = values[kinds.index("W")][0] if "W" in kinds else None
    if "y" not in pos:
        return _check_weekday(_next_month_day(month, day, today), weekday)
    year, suffix = values[pos["y"]]
    if suffix:
        raise _Bad  # "31 Dec 5th"
    return _check_weekday(_make(year if year > 99 else 2000 + year, month, day), weekday)


def _check_weekday(d: date, weekday: int | None) -> date:
    if weekday is not None and d.weekday() != weekday:
        raise _Bad
    return d


def _absolute(s: str, today: date, order: str) -> date | None:
    if _HAN.search(s):
        m = _WD_ZH_EDGE.match(s)
        if m and (m[1] or m[3]) and not (m[1] and m[3]):
            d = _absolute_plain(m[2], today, order)
            return None if d is None else _check_weekday(d, _ZH_WD[m[1] or m[3]])
        return _absolute_plain(s, today, order)
    m = _WD_LATIN_EDGE.match(s)
    if m and (m["a"] or m["b"]) and not (m["a"] and m["b"]):
        d = _absolute_plain(m["rest"], today, order)
        return None if d is None else _check_weekday(d, _WEEKDAYS[m["a"] or m["b"]])
    return _absolute_plain(s, today, order)


def _rules(s: str, today: date, lang: str) -> date | None:
    """Our own rules. ``None``: no rule recognised the text. Raises :class:`_Bad`."""
    d = _relative(s, today, lang)
    if d is None:
        d = _weekday_relative(s, today)
    if d is None:
        d = _day_of_month(s, today)
    if d is None:
        d = _absolute(s, today, date_order(lang))
    return d


# --- parsing: dateparser fallback --------------------------------------------------------------

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


# --- public ------------------------------------------------------------------------------------


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
