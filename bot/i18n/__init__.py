"""Message catalogs: every text the bot sends comes from a gettext ``.po`` file.

Message ids are symbolic (``reply.added``); ``locales/en/*.po`` hold the English text. Each
language is a folder; every ``.po`` file in it (one per feature: ``core.po``, ``catalog.po`` ...) is
merged, so features can own their strings. Placeholders use
``str.format`` syntax (``{number}``). Catalogs are read with Babel at first use, so no compile step
is needed. A missing translation falls back to English, so a user never sees a raw id.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

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


def _regional(lang: str, text: str) -> str:
    for old, new in REGIONAL_WORDS.get(lang, ()):
        text = text.replace(old, new)
    return text


@cache
def catalog(lang: str) -> dict[str, str]:
    """All translated messages of one language, keyed by message id (a regional variant's
    own strings over its parent's)."""
    merged: dict[str, str] = {}
    if lang in PARENT:
        merged = {k: _regional(lang, v) for k, v in catalog(PARENT[lang]).items()}
    for path in sorted((LOCALE_DIR / lang).glob("*.po")):
        with path.open("rb") as fh:
            po = read_po(fh)
        merged.update({str(m.id): str(m.string) for m in po if m.id and m.string})
    return merged


def available_languages() -> list[str]:
    """Base languages (one folder each, complete); regional variants are in :data:`PARENT`."""
    return sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir() and p.name not in PARENT)


def gettext(lang: str, msgid: str, **params: object) -> str:
    """The message ``msgid`` in ``lang``, with ``params`` filled in.

    Falls back to English, then to the id itself, so a reply is never lost to a missing string.
    """
    text = catalog(lang).get(msgid) or catalog(FALLBACK).get(msgid) or msgid
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        # A broken translation must not kill a reply: use the English form.
        return (catalog(FALLBACK).get(msgid) or msgid).format(**params)


def gettext_html(lang: str, msgid: str, **params: object) -> Html:
    """:func:`gettext` as HTML: the template's own text escaped, each param escaped unless it is
    already :class:`~bot.html.Html` (a link, a pill), each exactly once."""
    text = catalog(lang).get(msgid) or catalog(FALLBACK).get(msgid) or msgid
    if not params:
        return esc(text)
    try:
        return esc(text).format(**params)
    except (KeyError, IndexError, ValueError):
        return esc(catalog(FALLBACK).get(msgid) or msgid).format(**params)


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
