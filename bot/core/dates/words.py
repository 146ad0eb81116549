"""The words and patterns the date rules read, in every language (data tables).

Keys are normalized text (see :func:`bot.core.dates.parse._normalize`): case-folded, NFKC,
traditional Chinese date characters mapped to simplified ones.
"""
from __future__ import annotations

import re
from typing import Any

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
    "today": 0, "tdy": 0, "now": 0, "hari ini": 0, "hari ni": 0, "harini": 0, "今天": 0, "今日": 0,
    "tomorrow": 1, "tmr": 1, "tmrw": 1, "tmw": 1, "tomorow": 1, "tommorow": 1, "tommorrow": 1,
    "besok": 1, "bsk": 1, "esok": 1, "esok hari": 1, "besok hari": 1, "明天": 1, "明日": 1, "听日": 1,
    "day after tomorrow": 2, "the day after tomorrow": 2, "overmorrow": 2, "lusa": 2,
    "后天": 2, "后日": 2,
    "大后天": 3, "tulat": 3,
    "yesterday": -1, "kemarin": -1, "kemaren": -1, "kelmarin": -1, "semalam": -1, "昨天": -1,
    "昨日": -1, "琴日": -1, "前天": -2, "kemarin lusa": -2,
    "next week": 7, "minggu depan": 7, "pekan depan": 7, "minggu hadapan": 7, "minggu dpn": 7,
    "下周": 7, "下星期": 7, "下个星期": 7, "下礼拜": 7, "下个礼拜": 7, "下下周": 14, "下下星期": 14,
}
_MONTH_WORDS = {"next month": 1, "bulan depan": 1, "bulan hadapan": 1, "bulan dpn": 1, "下个月": 1, "下月": 1}
_YEAR_WORDS = {"next year": 1, "tahun depan": 1, "tahun hadapan": 1, "tahun dpn": 1, "thn dpn": 1, "明年": 1}
# Last day of this month (0) or next month (1).
_END_OF_MONTH = {
    "end of month": 0, "end of the month": 0, "end of this month": 0, "month end": 0,
    "akhir bulan": 0, "akhir bulan ini": 0, "hujung bulan": 0, "hujung bulan ini": 0,
    "月底": 0, "月末": 0, "月尾": 0, "这个月底": 0, "这月底": 0, "本月底": 0, "本月末": 0,
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
    # "m" is months: "+2m" was read as two *minutes* (today); minutes are no expiry anyway.
    "m": "m", "month": "m", "months": "m", "mo": "m", "mos": "m", "mth": "m", "mths": "m", "bulan": "m",
    "bln": "m",
    "y": "y", "year": "y", "years": "y", "yr": "y", "yrs": "y", "tahun": "y", "thn": "y",
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
