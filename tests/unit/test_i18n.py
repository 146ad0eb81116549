"""Translations: every English message exists in every language, with the same placeholders.

Each ``locales/<lang>/<feature>.po`` must hold exactly the message ids of ``locales/en/<feature>.po``,
each non-empty, with the same set of ``{placeholders}`` (so ``str.format`` never fails and no fact
is dropped), and the right ``Language`` header. Chinese catalogs must not mix scripts.
``scripts/i18n_sync.py`` lists what is missing when an English string is added.
"""
from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import FALLBACK, LOCALE_DIR, available_languages, catalog, gettext

#: folder -> the ``Language`` header its files must carry.
LANGUAGES = {"zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant", "id": "id", "ms": "ms"}
FILES = sorted(p.name for p in (LOCALE_DIR / FALLBACK).glob("*.po"))
CASES = [(lang, name) for lang in LANGUAGES for name in FILES]

SIMPLIFIED_ONLY = set("说这们为续删设帮费时间个后号请发码运营话网会还过让语")
TRADITIONAL_ONLY = set("說這們為續刪設幫費時間個後號請發碼運營話網會還過讓語")


def _read(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def _messages(path: Path) -> dict[str, tuple[str, ...]]:
    """msgid -> its text(s): one for a plain message, one per plural form for a plural one."""
    out: dict[str, tuple[str, ...]] = {}
    for m in _read(path):
        if not m.id:
            continue
        if isinstance(m.id, tuple | list):
            out[str(m.id[0])] = tuple(str(f) for f in m.string)
        else:
            out[str(m.id)] = (str(m.string),)
    return out


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_the_languages_and_files_exist() -> None:
    assert {"core.po", "catalog.po", "scam.po"} <= set(FILES)
    assert set(LANGUAGES) | {FALLBACK} <= set(available_languages())
    for lang, name in CASES:
        assert (LOCALE_DIR / lang / name).is_file(), f"{lang}/{name} is missing"


@pytest.mark.parametrize(("lang", "name"), CASES)
def test_same_msgids_as_english_and_none_empty(lang: str, name: str) -> None:
    en = _messages(LOCALE_DIR / FALLBACK / name)
    tr = _messages(LOCALE_DIR / lang / name)
    missing = sorted(set(en) - set(tr))
    extra = sorted(set(tr) - set(en))
    empty = sorted(k for k in set(en) & set(tr) if not all(f.strip() for f in tr[k]))
    assert not missing, f"{lang}/{name}: not translated: {missing}"
    assert not extra, f"{lang}/{name}: not in English: {extra}"
    assert not empty, f"{lang}/{name}: empty translations: {empty}"


@pytest.mark.parametrize(("lang", "name"), CASES)
def test_placeholders_match_english_and_format(lang: str, name: str) -> None:
    en = _messages(LOCALE_DIR / FALLBACK / name)
    tr = _messages(LOCALE_DIR / lang / name)
    for msgid, english in en.items():
        if msgid not in tr:
            continue  # reported by the test above
        expected = _placeholders(english[-1])
        for form in english + tr[msgid]:
            assert _placeholders(form) == expected, f"{lang}/{name} {msgid}: {form!r}"
            dummy = {p: f"<{p}>" for p in expected}
            formatted = form.format(**dummy)
            assert all(v in formatted for v in dummy.values()), f"{lang}/{name} {msgid}"


@pytest.mark.parametrize("lang", [FALLBACK, *LANGUAGES])
def test_plural_messages_have_one_form_per_plural_form_of_the_language(lang: str) -> None:
    """English has two forms ("1 line", "2 lines"); Chinese, Indonesian and Malay one. A message
    that is plural in English is plural in every language."""
    for name in FILES:
        po = _read(LOCALE_DIR / lang / name)
        english = {str(m.id[0]) for m in _read(LOCALE_DIR / FALLBACK / name) if isinstance(m.id, tuple | list)}
        plural = {str(m.id[0]): m for m in po if isinstance(m.id, tuple | list)}
        assert set(plural) == english, f"{lang}/{name}"
        for msgid, m in plural.items():
            assert len(m.string) == po.num_plurals == (2 if lang == FALLBACK else 1), f"{lang}/{name} {msgid}"


def test_ngettext_picks_the_form_for_the_number() -> None:
    from bot.i18n import Translator, ngettext

    en = Translator("en")
    assert en.n("count.lines", 1) == "1 line"
    assert en.n("count.lines", 0) == "0 lines"
    assert en.n("count.lines", 2) == "2 lines"
    assert ngettext("id", "count.lines", 1) == ngettext("id", "count.lines", 1) == "1 kartu"
    assert ngettext("zh-Hans", "count.lines", 5) == "5 张卡"
    assert ngettext("zh-TW", "count.lines", 5) == "5 張卡"  # Taiwan reads the zh-Hant form
    # An error raised with n= reads right without knowing it is plural; without n, "many".
    assert gettext("en", "error.too_many_lines", max=1, n=1).startswith("You already track 1 line,")
    assert gettext("en", "error.too_many_lines", max=30).startswith("You already track 30 lines,")
    # A plain message ignores n.
    assert gettext("en", "days.left", n=3) == "3 days left"


@pytest.mark.parametrize(("lang", "name"), CASES)
def test_language_header(lang: str, name: str) -> None:
    po = _read(LOCALE_DIR / lang / name)
    assert dict(po.mime_headers).get("Language") == LANGUAGES[lang]
    assert po.locale_identifier == LANGUAGES[lang]


@pytest.mark.parametrize(("lang", "forbidden"), [("zh-Hant", SIMPLIFIED_ONLY), ("zh-Hans", TRADITIONAL_ONLY)])
def test_chinese_scripts_are_not_mixed(lang: str, forbidden: set[str]) -> None:
    wrong = {msgid: sorted(set(text) & forbidden) for msgid, text in catalog(lang).items()
             if set(text) & forbidden}
    assert not wrong, f"{lang}: characters of the other script: {wrong}"


def test_help_lines_keep_the_usage_separator() -> None:
    # render._help_item_html shows the part before " - " as code.
    for lang in LANGUAGES:
        for msgid, text in catalog(lang).items():
            if msgid.startswith("help.cmd."):
                assert " - " in text, f"{lang} {msgid}"


def test_unknown_language_falls_back_to_english() -> None:
    assert gettext("xx-fake", "help.commands") == catalog(FALLBACK)["help.commands"]
    assert gettext("xx-fake", "reply.next_ping", when="W") == catalog(FALLBACK)["reply.next_ping"].format(when="W")
    assert gettext("zh-Hans", "no.such.message") == "no.such.message"


def test_translations_are_used() -> None:
    for lang in LANGUAGES:
        assert gettext(lang, "help.commands") == catalog(lang)["help.commands"] != catalog(FALLBACK)["help.commands"]


def test_translated_texts_are_not_judged_scams() -> None:
    # The bot's own warnings describe scams; in a group room it must not flag them (or itself).
    from bot.catalog import load_catalog
    from bot.core.scam import judge

    domains = frozenset(load_catalog().official_domains())
    for lang in LANGUAGES:
        for msgid, text in catalog(lang).items():
            names = _placeholders(catalog(FALLBACK).get(msgid, ""))
            filled = text.format(**{n: "2" for n in names})
            verdict = judge(filled, official_domains=domains)
            assert not verdict.is_scam, (lang, msgid, verdict)
