"""Message catalogs: every text the bot sends comes from a gettext ``.po`` file.

Message ids are symbolic (``reply.added``); ``locales/en/*.po`` hold the English text. Each
language is a folder; every ``.po`` file in it (one per feature: ``core.po``, ``catalog.po`` ...) is
merged, so features can own their strings. Placeholders use
``str.format`` syntax (``{number}``). Catalogs are read with Babel at first use, so no compile step
is needed. A missing translation falls back to English, so a user never sees a raw id.

Counted things ("1 line", "2 lines") are gettext plural entries (``msgid_plural`` and ``msgstr[i]``,
one form per plural form of the language: two in English, one in Chinese, Indonesian and Malay).
:func:`ngettext` picks the form for a number with the language's own rule; a plural message given
a param ``n`` through :func:`gettext` is picked the same way, so an error raised with ``n=`` reads
right too.

``{prefix}`` in a hint ("Send {prefix}list") is what a command needs in front where the reply is
read: the service passes it (``!`` in a group room); left out, it is empty, as in a DM.
"""
from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.html import Html, esc

LOCALE_DIR = Path(__file__).parent / "locales"
FALLBACK = "en"
#: Regional variants: a folder that holds only the strings that differ from its parent
#: (Taiwan's 儲值/簡訊 vs Hong Kong's 增值/短訊); everything else comes from the parent.
PARENT: dict[str, str] = {"zh-TW": "zh-Hant", "zh-HK": "zh-Hant"}
#: The ``zh-Hant`` files use Hong Kong words; a Taiwanese reader gets Taiwan's words in every
#: string inherited from them (a string in ``locales/zh-TW/*.po`` itself is taken as written).
REGIONAL_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "zh-TW": (
        ("增值卡", "儲值卡"), ("增值", "儲值"), ("短訊", "簡訊"), ("網上", "線上"), ("電郵", "電子郵件"),
        ("網絡", "網路"), ("電訊商", "電信業者"), ("銀行戶口", "銀行帳戶"), ("戶口", "帳戶"),
    ),
}


# Words that contain a mapped word but mean something else: kept as they are (增值稅 is VAT, not
# a top-up, in Taiwan too).
REGIONAL_KEEP: dict[str, tuple[str, ...]] = {"zh-TW": ("增值稅", "增值税")}


@cache
def _regional_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation, longest first, so that a kept word wins over the word inside it and no
    replacement is replaced again."""
    table = dict(REGIONAL_WORDS.get(lang, ())) | {w: w for w in REGIONAL_KEEP.get(lang, ())}
    words = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), table


def _regional(lang: str, text: str) -> str:
    if lang not in REGIONAL_WORDS:
        return text
    pattern, table = _regional_pattern(lang)
    return pattern.sub(lambda m: table[m.group(0)], text)


@cache
def _read(lang: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """One language's messages and plural messages (a regional variant's own over its parent's)."""
    merged: dict[str, str] = {}
    plural: dict[str, tuple[str, ...]] = {}
    if lang in PARENT:
        parent, parent_plural = _read(PARENT[lang])
        merged = {k: _regional(lang, v) for k, v in parent.items()}
        plural = {k: tuple(_regional(lang, f) for f in v) for k, v in parent_plural.items()}
    for path in sorted((LOCALE_DIR / lang).glob("*.po")):
        with path.open("rb") as fh:
            po = read_po(fh)
        for m in po:
            if not m.id or not m.string:
                continue
            if isinstance(m.id, tuple | list):
                forms = tuple(str(f) for f in m.string)
                if all(forms):
                    plural[str(m.id[0])] = forms
            else:
                merged[str(m.id)] = str(m.string)
    # A plural message asked for without a number reads in its "many" form.
    for msgid, forms in plural.items():
        merged[msgid] = forms[min(plural_rule(lang)(2), len(forms) - 1)]
    return merged, plural


def catalog(lang: str) -> dict[str, str]:
    """All translated messages of one language, keyed by message id (a plural message in the form
    for "many")."""
    return _read(lang)[0]


def plurals(lang: str) -> dict[str, tuple[str, ...]]:
    """The plural messages of one language: message id -> its forms, in the language's order."""
    return _read(lang)[1]


@cache
def plural_rule(lang: str) -> Callable[[int], int]:
    """Which plural form a number takes in ``lang`` (CLDR's rule, as gettext's Plural-Forms)."""
    locale = PARENT.get(lang, lang).replace("-", "_")
    try:
        expr = get_plural(locale).plural_expr
    except ValueError:
        expr = "(n != 1)"
    rule: Callable[[int], int] = _gettext.c2py(expr)
    return rule


def available_languages() -> list[str]:
    """Base languages (one folder each, complete); regional variants are in :data:`PARENT`."""
    return sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir() and p.name not in PARENT)


def _template(lang: str, msgid: str, n: object) -> tuple[str, str]:
    """The message's text in ``lang`` and in English: the plural form for ``n`` when it is a
    plural message and ``n`` an integer, else the plain (or "many") text."""
    texts = []
    for lg in (lang, FALLBACK):
        forms = plurals(lg).get(msgid)
        if forms and isinstance(n, int) and not isinstance(n, bool):
            texts.append(forms[min(plural_rule(lg)(abs(n)), len(forms) - 1)])
        else:
            texts.append(catalog(lg).get(msgid, ""))
    english = texts[1] or msgid
    return texts[0] or english, english


def gettext(lang: str, msgid: str, **params: object) -> str:
    """The message ``msgid`` in ``lang``, with ``params`` filled in (a plural message in the form
    for ``params["n"]``).

    Falls back to English, then to the id itself, so a reply is never lost to a missing string.
    """
    text, english = _template(lang, msgid, params.get("n"))
    if not params and "{prefix}" not in text:
        return text
    params = {"prefix": "", **params}
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        # A broken translation must not kill a reply: use the English form.
        return english.format(**params)


def ngettext(lang: str, msgid: str, n: int, **params: object) -> str:
    """The plural message ``msgid`` in the form ``n`` takes in ``lang`` (``n`` is also a param)."""
    return gettext(lang, msgid, n=n, **params)


def gettext_html(lang: str, msgid: str, **params: object) -> Html:
    """:func:`gettext` as HTML: the template's own text escaped, each param escaped unless it is
    already :class:`~bot.html.Html` (a link, a pill), each exactly once."""
    text, english = _template(lang, msgid, params.get("n"))
    if not params and "{prefix}" not in text:
        return esc(text)
    params = {"prefix": "", **params}
    try:
        return esc(text).format(**params)
    except (KeyError, IndexError, ValueError):
        return esc(english).format(**params)


class Translator:
    """A translator bound to one language: ``t("reply.added", number=1)``."""

    __slots__ = ("lang",)

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, msgid: str, **params: object) -> str:
        return gettext(self.lang, msgid, **params)

    def html(self, msgid: str, **params: object) -> Html:
        """The message as HTML (see :func:`gettext_html`)."""
        return gettext_html(self.lang, msgid, **params)

    def n(self, msgid: str, n: int, **params: object) -> str:
        """A plural message in the form for ``n`` (see :func:`ngettext`)."""
        return ngettext(self.lang, msgid, n, **params)
