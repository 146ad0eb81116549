"""The bot's five languages for dates: which order an ambiguous numeric date takes, and how a
date is printed (Babel)."""
from __future__ import annotations

from datetime import date

#: The languages the bot speaks.
LANGUAGES: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant", "id", "ms")


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
    d = date(2026, 4, 3) if day_first(date_order(lang)) else date(2026, 3, 4)
    return f"03/04/2026 = {format_date(d, lang)}"


def day_first(order: str) -> bool:
    return order.index("D") < order.index("M")


# --- formatting ------------------------------------------------------------------------------

BABEL_LOCALES = {"en": "en_GB", "id": "id", "ms": "ms", "zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant"}


def format_date(d: date, lang: str = "en", *, weekday: bool = False) -> str:
    """A date as the owner reads it, with Babel (CLDR skeletons ``yMMMd`` / ``yMMMEd``).

    ``en`` ``31 Dec 2026`` / ``Thu, 31 Dec 2026``; ``id`` ``31 Des 2026`` / ``Kam, 31 Des 2026``;
    ``ms`` ``31 Dis 2026`` / ``Kha, 31 Dis 2026``; ``zh-Hans`` ``2026年12月31日`` /
    ``2026年12月31日周四``; ``zh-Hant`` ``2026年12月31日`` / ``2026年12月31日 週四``.
    Whatever this prints, :func:`parse_date` reads back (tested).
    """
    from babel.dates import format_skeleton

    locale = BABEL_LOCALES[canonical_lang(lang)]
    return format_skeleton("yMMMEd" if weekday else "yMMMd", d, locale=locale)

