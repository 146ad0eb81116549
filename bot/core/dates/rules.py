"""Our own date rules: anchored regular expressions for the common forms in every language.

:func:`_rules` answers ``None`` when no rule recognised the text, and raises :class:`_Bad` when one
did but the text is not a real date (``31/13/2026``, ``2026-02-30``, ``Dec 2026``).
"""
from __future__ import annotations

import calendar
from datetime import date

from bot.core.dates.arithmetic import (
    _add_days,
    _add_months,
    _Bad,
    _cn_int,
    _make,
    _next_day_of_month,
    _next_month_day,
    _next_weekday,
    _numeric,
    _shift,
    _week_weekday,
    _words_to_int,
    _year,
)
from bot.core.dates.languages import date_order
from bot.core.dates.words import (
    _COMPACT,
    _DAY_ONLY,
    _DAY_WORDS,
    _END_OF_MONTH,
    _FROM_BASE,
    _HAN,
    _MN_KIND,
    _MN_LAYOUT,
    _MONTH_REL_LATIN,
    _MONTH_REL_ZH,
    _MONTH_WORDS,
    _MONTHS,
    _NEGATIVE_POST,
    _NUM_TOKEN,
    _ORDINAL_WORDS,
    _ORDINAL_WORDS_RE,
    _PLUS,
    _REL_LATIN,
    _REL_ZH,
    _TOKEN_SPLIT,
    _UNITS,
    _VAGUE,
    _WD_LATIN,
    _WD_LATIN_EDGE,
    _WD_LATIN_WEEK_FIRST,
    _WD_ZH,
    _WD_ZH_EDGE,
    _WEEKDAYS,
    _XX,
    _XXY,
    _YEAR_WORDS,
    _YMD,
    _ZH_DATE,
    _ZH_WD,
)


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
