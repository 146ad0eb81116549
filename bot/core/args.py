"""The pieces command arguments are made of: numbers, dates, lead days, times of day, zones.

Pure. The parsers in :mod:`bot.core.commands` combine them; a user mistake is a
:class:`CommandError` whose ``msgid`` names the localized explanation.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, time, timedelta

from bot.core.dates import DateError, parse_date
from bot.core.dates.arithmetic import _add_months

MAX_LEAD_DAYS = 10
MAX_LEAD_VALUE = 365
MAX_DATE_WORDS = 5

#: Words for "everything" (``list all``, ``remind all``) and for "off", in every language.
ALL_WORDS = frozenset({"all", "semua", "全部"})
OFF_WORDS = frozenset({"off", "none", "no", "mati", "tutup", "关", "關", "关闭", "關閉"})
ON_WORDS = frozenset({"on", "yes", "hidup", "开", "開", "开启", "開啟"})

#: Common abbreviations people use for the zones of the region.
TZ_ABBREVIATIONS = {
    "wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura",
    "myt": "Asia/Kuala_Lumpur", "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong",
    "cst": "Asia/Shanghai", "utc": "UTC", "gmt": "UTC",
    "ict": "Asia/Bangkok", "pht": "Asia/Manila",
}
#: "UTC+8", "GMT+7", "utc -3", "GMT+08:00": a whole-hour offset from UTC, the way many people in the
#: region name their zone (Malaysia and Singapore say GMT+8).
_UTC_OFFSET = re.compile(r"^(?:utc|gmt)\s*([+\-\u2212])\s*(\d{1,2})(?::?00)?$")
_ETC_ZONE = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")


def offset_zone(key: str) -> str | None:
    """The IANA zone of a whole-hour UTC offset typed as ``UTC+8``: ``Etc/GMT-8`` (IANA turns the
    sign round), ``UTC`` for +0, ``None`` for anything else (half hours have no such zone)."""
    # NFKC: a Chinese input method types "UTC＋8" (full-width plus, often full-width letters).
    m = _UTC_OFFSET.match(unicodedata.normalize("NFKC", key).strip().lower())
    if m is None:
        return None
    hours, ahead = int(m.group(2)), m.group(1) == "+"
    if hours == 0:
        return "UTC"
    if hours > (14 if ahead else 12):
        return None
    return f"Etc/GMT{'-' if ahead else '+'}{hours}"


def zone_label(tz: str) -> str:
    """A zone as users read it: ``Etc/GMT-8`` is shown as ``UTC+8``, what they typed, not the
    IANA name whose sign reads backwards; every other name as it is."""
    m = _ETC_ZONE.match(tz)
    if m is None:
        return tz
    return f"UTC{'-' if m.group(1) == '+' else '+'}{m.group(2)}"


#: Places people name instead of a zone: countries with one zone, and cities in the languages of
#: the bot (English city names are found in the IANA names themselves: "jakarta", "kuala lumpur").
TZ_PLACES = {
    "malaysia": "Asia/Kuala_Lumpur", "kl": "Asia/Kuala_Lumpur", "philippines": "Asia/Manila",
    "filipina": "Asia/Manila", "thailand": "Asia/Bangkok", "vietnam": "Asia/Ho_Chi_Minh",
    "viet nam": "Asia/Ho_Chi_Minh", "hanoi": "Asia/Ho_Chi_Minh", "ha noi": "Asia/Ho_Chi_Minh",
    "saigon": "Asia/Ho_Chi_Minh", "taiwan": "Asia/Taipei", "hong kong": "Asia/Hong_Kong",
    "macao": "Asia/Macau", "beijing": "Asia/Shanghai", "china": "Asia/Shanghai",
    "雅加达": "Asia/Jakarta", "雅加達": "Asia/Jakarta", "吉隆坡": "Asia/Kuala_Lumpur", "马来西亚": "Asia/Kuala_Lumpur",
    "馬來西亞": "Asia/Kuala_Lumpur", "新加坡": "Asia/Singapore", "香港": "Asia/Hong_Kong", "澳门": "Asia/Macau",
    "澳門": "Asia/Macau", "台北": "Asia/Taipei", "臺北": "Asia/Taipei", "台湾": "Asia/Taipei", "台灣": "Asia/Taipei",
    "臺灣": "Asia/Taipei", "曼谷": "Asia/Bangkok", "泰国": "Asia/Bangkok", "泰國": "Asia/Bangkok",
    "马尼拉": "Asia/Manila", "馬尼拉": "Asia/Manila", "菲律宾": "Asia/Manila", "菲律賓": "Asia/Manila",
    "河内": "Asia/Ho_Chi_Minh", "河內": "Asia/Ho_Chi_Minh", "胡志明市": "Asia/Ho_Chi_Minh", "越南": "Asia/Ho_Chi_Minh",
    "北京": "Asia/Shanghai", "上海": "Asia/Shanghai", "中国": "Asia/Shanghai", "中國": "Asia/Shanghai",
}

MENTION = re.compile(r"^@[^:\s]+:\S+$")
EXTEND = re.compile(
    r"^\+(\d{1,4})\s*(d|days?|hari|天|w|wks?|weeks?|minggu|pekan|周|週|星期"
    r"|m|mo|mos|mths?|months?|bulan|bln|个月|個月|月|y|yrs?|years?|tahun|thn|年)?$",
    re.IGNORECASE,
)
#: The unit words of :data:`EXTEND`: weeks count as 7 days, years as 12 months.
EXTEND_WEEKS = frozenset({"w", "wk", "wks", "week", "weeks", "minggu", "pekan", "周", "週", "星期"})
EXTEND_MONTHS = frozenset({"m", "mo", "mos", "mth", "mths", "month", "months", "bulan", "bln", "个月", "個月", "月"})
EXTEND_YEARS = frozenset({"y", "yr", "yrs", "year", "years", "tahun", "thn", "年"})
#: "9", "09:30", "21.15", "9am", "8 pagi", "pukul 8.30 malam", "jam 1 siang".
_TIME = re.compile(
    r"^(?:(?:pukul|pkl\.?|jam|at)\s*)?(\d{1,2})(?:[:.](\d{2}))?\s*"
    r"(am|pm|a\.m\.|p\.m\.|pagi|siang|tengah hari|sore|petang|malam)?$",
    re.IGNORECASE,
)
#: "上午9点", "晚上8點半", "下午3点15分", "9時", "早上七点".
_ZH_TIME = re.compile(
    r"^(上午|早上|早晨|清晨|凌晨|中午|下午|傍晚|晚上|夜晚|夜里|夜裡)?\s*"
    r"(\d{1,2}|[零一二两兩三四五六七八九十]{1,3})\s*[点點时時]"
    r"(?:\s*(半|\d{1,2})\s*分?)?$"
)
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
#: Words for the part of the day, in every language, and what they do to an hour of 1-12.
_MORNING = frozenset({"am", "a.m.", "pagi", "上午", "早上", "早晨", "清晨", "凌晨"})
_MIDDAY = frozenset({"siang", "tengah hari", "中午"})  # 11 and 12 stay, 1-5 are afternoon hours
_AFTERNOON = frozenset({"pm", "p.m.", "sore", "petang", "下午", "傍晚"})
_NIGHT = frozenset({"malam", "晚上", "夜晚", "夜里", "夜裡"})  # 8 malam is 20:00, 12 malam midnight, 1 malam 01:00


class CommandError(Exception):
    """A user mistake. ``msgid`` names the localized explanation; ``params`` fill it in."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


def addressed(text: str, *, prefix: str, require_prefix: bool) -> str | None:
    """The command text if the message is for the bot, else None.

    In a DM the prefix is optional; in a group room only prefixed messages are commands.
    """
    s = text.strip()
    if s.startswith(prefix):
        s = s[len(prefix):].lstrip()
        return s or None
    if require_prefix:
        return None
    return s or None


#: Bidirectional formatting characters: an override (U+202E) in a label reverses how the rest of
#: the line is shown ("gnp.exe" reads "exe.png"). Zero-width joiners stay: emoji need them.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_label(text: str) -> str:
    """A label as typed, without control or bidirectional formatting characters."""
    kept = "".join(ch for ch in text if ch not in _BIDI_CONTROLS and unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())


def on_off(word: str, usage: str, *, more_on: frozenset[str] = frozenset()) -> bool:
    """``on`` or ``off`` in any language (or a word of ``more_on``); else the ``usage`` explanation."""
    v = word.lower()
    if v in ON_WORDS or v in more_on:
        return True
    if v in OFF_WORDS:
        return False
    raise CommandError(usage)


def a_name(tokens: list[str], usage: str, most: int = 3) -> str:
    """The argument of a command that takes a name of one to ``most`` words (places and languages
    have spaces: "Kuala Lumpur", "Bahasa Melayu"); else the ``usage`` explanation."""
    if not 1 <= len(tokens) <= most:
        raise CommandError(usage)
    return " ".join(tokens)


def small_int(t: str) -> bool:
    """1 to 6 decimal digits. (``str.isdigit`` also accepts ``²``, which ``int()`` refuses.)"""
    return t.isdecimal() and len(t) <= 6


def line_number(token: str | None, usage: str) -> int:
    """A line number as typed (``3`` or ``#3``)."""
    if token is None:
        raise CommandError("error.missing_number", usage=usage)
    t = token.lstrip("#")
    if not small_int(t) or int(t) < 1:
        raise CommandError("error.bad_number", value=token[:20], usage=usage)
    return int(t)


def take_date(tokens: list[str], *, today: date, lang: str) -> tuple[date, list[str]]:
    """The longest run of leading tokens that is a date, and the tokens after it.

    A longer run that ends in a four-digit year and is a date the bot refuses (past, too far) is
    the answer: ``5 May 2026 Work`` said after 5 May 2026 is "already past", not 5 May next year
    labelled "2026 Work". (``30 Jun 12 x`` still reads 30 Jun, labelled "12 x".)"""
    first_error: DateError | None = None
    for k in range(min(MAX_DATE_WORDS, len(tokens)), 0, -1):
        try:
            return parse_date(" ".join(tokens[:k]), today=today, lang=lang), tokens[k:]
        except DateError as err:
            if err.code != "bad" and tokens[k - 1].isdecimal() and len(tokens[k - 1]) == 4:
                raise
            if err.code != "bad" and first_error is None:
                first_error = err
    if first_error is not None:
        raise first_error
    raise DateError("bad", " ".join(_date_words(tokens, today)))


def _date_words(tokens: list[str], today: date) -> list[str]:
    """The leading tokens that look like part of a date (a number, a month name): what an error
    quotes back, so ``add axis 31 Feb Work`` says "31 Feb", not "31"."""
    out: list[str] = []
    for tok in tokens[:MAX_DATE_WORDS]:
        if not (any(ch.isdigit() for ch in tok) or _is_month(tok, today)):
            break
        out.append(tok)
    return out or tokens[:1]


def _is_month(word: str, today: date) -> bool:
    """``Feb``, ``februari``, ``Febuary``: a month name (its first three letters are one)."""
    w = word.strip(".,").lower()
    if len(w) < 3 or not w.isalpha():
        return False
    try:
        parse_date(f"1 {w[:3]} {today.year}", today=today, allow_past=True)
    except DateError as err:
        return err.code != "bad"
    return True


def parse_lead_days(text: str) -> tuple[int, ...]:
    """``7,3,1,0`` or ``7 3 1 0`` -> (7, 3, 1, 0), distinct, largest first."""
    parts = [x for x in re.split(r"[\s,，、;]+", text.strip()) if x]
    if not parts or len(parts) > MAX_LEAD_DAYS:
        raise CommandError("error.bad_days", value=text[:40], most=MAX_LEAD_DAYS)
    days = set()
    for part in parts:
        if not part.isdecimal() or len(part) > 3 or int(part) > MAX_LEAD_VALUE:
            raise CommandError("error.bad_days", value=text[:40], most=MAX_LEAD_DAYS)
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


def parse_time(text: str) -> time:
    """``09:00``, ``9:30``, ``21.15``, ``9am``, ``9``, ``8 pagi``, ``8.30 malam``, ``晚上8点半`` -> a
    time of day. People in the region say the part of the day in their own words (pagi, malam,
    上午, 晚上), so those count like am and pm."""
    s = " ".join(text.strip().lower().split())
    m = _TIME.match(s)
    if m:
        hour, minute, period = int(m.group(1)), int(m.group(2) or 0), m.group(3) or ""
    elif z := _ZH_TIME.match(s):
        hour, period = _zh_number(z.group(2)), z.group(1) or ""
        minute = 30 if z.group(3) == "半" else int(z.group(3) or 0)
    else:
        raise CommandError("error.bad_time", value=text[:20])
    hour24 = _with_period(hour, period)
    if hour24 is None or hour24 > 23 or minute > 59:
        raise CommandError("error.bad_time", value=text[:20])
    return time(hour24, minute)


def _zh_number(s: str) -> int:
    """An hour in digits or Chinese numerals up to 24 (九, 十, 十二, 二十三); 99 when it is none."""
    if s.isdecimal():
        return int(s)
    if s == "十":
        return 10
    tens, _, ones = s.rpartition("十") if "十" in s else ("", "", s)
    if len(ones) > 1 or (ones and ones not in _ZH_DIGITS) or (tens and tens not in _ZH_DIGITS):
        return 99
    if "十" not in s:
        return _ZH_DIGITS[ones]
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)


def _with_period(hour: int, period: str) -> int | None:
    """The 24-hour hour for ``hour`` said with a part of the day; None when they do not fit."""
    if not period:
        return hour
    if not 1 <= hour <= 12:
        return None  # "13pm", "0am", "20 malam": a part of the day goes with a 12-hour clock
    if period in _MORNING:
        return 0 if hour == 12 and period in {"am", "a.m."} else hour
    if period in _MIDDAY:
        return hour + 12 if hour <= 5 else hour
    if period in _AFTERNOON:
        return hour if hour == 12 else hour + 12
    # night: evening hours move to the afternoon side, 12 is midnight, the small hours stay.
    return 0 if hour == 12 else hour + 12 if hour >= 6 else hour


#: How people say "done" when they answer a ping, longest first ("sudah, sampai 1 Maret 2027").
_DONE = (
    "sudah diperpanjang", "sudah perpanjang", "udah diperpanjang", "udah perpanjang", "sudah isi ulang",
    "sudah isi", "udah isi", "dah tambah nilai", "sudah tambah nilai", "dah renew", "dah perbaharui",
    "sudah diperbaharui", "diperbaharui", "sudah", "udah", "dah", "done", "renewed", "renew", "topped up",
    "perpanjang", "已续费", "已續費", "续好了", "續好了", "续费", "續費", "已充值", "已增值", "已儲值", "搞掂",
)
#: "until", before the new date.
_UNTIL = ("sampai dengan", "sampai", "s.d.", "s/d", "hingga", "sehingga", "until", "till", "to", "至", "到")
_FILLER = re.compile(r"^[\s,.:;!，。：；！、-]+")


def answer_to_ping(text: str) -> str:
    """What a reply to a ping says, without its "done" and "until" words: "sudah, sampai 1 Maret
    2027" is "1 Maret 2027", "已续费" alone is "" (as a ✅). A "not yet" (belum, 还没) keeps its
    words, so it is never read as a renewal."""
    s = text.strip()
    for words in (_DONE, _UNTIL):
        low = s.lower()
        for w in words:
            if low.startswith(w) and (not w.isascii() or len(low) == len(w) or not low[len(w)].isalnum()):
                s = _FILLER.sub("", s[len(w):])
                break
    return s


def extend_from(expiry: date, today: date, days: int, months: int = 0) -> date:
    """A top-up adds to the active period; once it has lapsed it counts from today. Months are
    calendar months (31 Jan + 1 month is 28 or 29 Feb)."""
    return _add_months(max(expiry, today), months) + timedelta(days=days)
