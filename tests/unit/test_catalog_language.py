"""Language that reads as native: ``howto`` (full and short) renders in every language for every
provider and every plan variant, and no English fragment appears in a non-English reply.

Chinese replies may contain Latin script only for words on the allow-list: brand, app and
product names from the catalog, codes (USSD, numbers), URLs and e-mail addresses, and a few terms
used as is in every language (OTP, PIN, SMS, App, eSIM ...). Indonesian and Malay are written in
Latin script, so there the test looks for English words that have no place in them.
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from bot.catalog import load_catalog
from bot.core.howto import howto_full, howto_short
from bot.core.provider import FACT_FIELDS, Provider
from bot.i18n import PARENT

CATALOG = load_catalog()
TODAY = date(2026, 12, 2)
LANGS = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK", "id", "ms")

#: Terms every language uses as is (abbreviations, product and platform names).
ANY_LANGUAGE = {
    "app", "otp", "pin", "sms", "esim", "sim", "ussd", "telegram", "whatsapp", "qr", "gb", "rm", "rp",
    "iasc", "ojk", "nsrc", "mcmc", "ofca", "adcc", "cmhk", "sos", "top", "up", "pulsa", "gift",
    # Official Indonesian product names kept in other languages, in brackets after a translation.
    "paket", "perpanjangan", "masa", "aktif", "penipuan",
    # XOX's own name for its top-up page.
    "fast",
    # Command words: the bot's commands are the same in every language.
    "howto", "edit", "plan", "renewed",
    # Brand, service and shop names written in other languages' texts (new markets).
    "scamshield", "truemove", "dtac", "cheers", "happy", "stars", "plus",
    # Company names.
    "xlsmart", "xl", "axiata", "indosat", "ooredoo", "hutchison", "celcomdigi",
}

#: English words that must not appear in an Indonesian or Malay reply.
ENGLISH = {
    "the", "and", "of", "to", "your", "you", "is", "are", "at", "after", "before", "when", "with", "from",
    "first", "end", "validity", "connection", "grace", "period", "expiry", "days", "day", "credit", "balance",
    "only", "official", "website", "call", "centre", "center", "hotline", "dial", "check", "renew",
    "starter", "pack", "plan", "lines", "line", "top-up", "online", "store", "stores", "install", "since",
    "unused", "lost", "button", "tap", "package", "packages", "brand", "formerly", "warns",
}

_URL = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_CODE = re.compile(r"[*#][\d*#<>A-Z]*|\+?\d[\d\s]*")
_ABBREV = re.compile(r"^[A-Z][A-Z0-9-]*$")
_LATIN = re.compile(r"[A-Za-z][A-Za-z'’+.-]*")


def _names(p: Provider) -> set[str]:
    """Every name the catalog gives this provider: allowed in any language."""
    words: list[str] = [p.id, p.name, *p.aliases, *p.local_names.values()]
    for v in p.variants:
        words += [v.id, v.name, *v.aliases, *v.local_names.values()]
    for field in ("apps", "domains", *FACT_FIELDS):
        for f in getattr(p, field):
            if field in ("apps", "domains") or not f.text:
                words.append(f.value)
            else:
                words.append(f.value)  # codes and names used as {value}
            words += list(f.local_values.values())
    if p.country_info is not None:
        words += [p.country_info.name, *p.country_info.names]
        for f in (*p.country_info.report, *p.country_info.notes):
            words.append(f.value)
    out: set[str] = set()
    for w in words:
        out |= {x.lower() for x in _LATIN.findall(w)}
    return out


def _latin_words(text: str) -> list[str]:
    """Latin-script words, without URLs, codes, amounts and short upper-case abbreviations or SMS
    keywords (AOC, NTC, I-ARC, UT, HK$20): those read the same in every language."""
    text = _URL.sub(" ", text)
    text = _CODE.sub(" ", text)
    words = [w.strip("'’.-") for w in _LATIN.findall(text)]
    return [w.lower() for w in words if not (_ABBREV.match(w) and len(w) <= 6)]


def _cases() -> list[tuple[str, str, str | None]]:
    out = []
    for p in CATALOG.providers:
        for variant in (None, *(v.id for v in p.variants)):
            for lang in LANGS:
                out.append((p.id, lang, variant))
    return out


@pytest.mark.parametrize("pid,lang,variant", _cases())
def test_no_english_fragment(pid: str, lang: str, variant: str | None) -> None:
    p = CATALOG.require(pid)
    allowed = ANY_LANGUAGE | _names(p)
    texts = [howto_full(p, lang, variant, today=TODAY)[0], howto_short(p, lang, 2, variant=variant, today=TODAY)[0]]
    for text in texts:
        words = _latin_words(text)
        if lang.startswith("zh"):
            stray = sorted({w for w in words if w and w not in allowed})
        else:
            stray = sorted({w for w in words if w in ENGLISH and w not in allowed})
        assert not stray, f"{pid}/{variant} in {lang}: English fragments {stray}\n{text}"


@pytest.mark.parametrize("lang", ["en", *LANGS])
def test_every_provider_renders(lang: str) -> None:
    for p in CATALOG.providers:
        plain, html = howto_full(p, lang, today=TODAY)
        assert plain and html and "{" not in plain
        assert howto_short(p, lang, today=TODAY)[0]


def test_regional_languages_fall_back_to_zh_hant() -> None:
    assert PARENT == {"zh-TW": "zh-Hant", "zh-HK": "zh-Hant"}
    tel = CATALOG.require("telkomsel")
    tw = howto_full(tel, "zh-TW", today=TODAY)[0]
    hk = howto_full(tel, "zh-HK", today=TODAY)[0]
    assert "簡訊" in tw and "短訊" not in tw
    assert "短訊" in hk and "簡訊" not in hk


def test_dates_inside_facts_follow_the_reader() -> None:
    hot = CATALOG.require("hotlink")
    assert "2 May 2023" in howto_full(hot, "en", today=TODAY)[0]
    assert "2 Mei 2023" in howto_full(hot, "id", today=TODAY)[0]
    assert "2023年5月2日" in howto_full(hot, "zh-Hans", today=TODAY)[0]


def test_local_names_in_chinese() -> None:
    cmhk = CATALOG.require("cmhk")
    assert "中国移动香港" in howto_full(cmhk, "zh-Hans", today=TODAY)[0]
    text = howto_full(cmhk, "zh-Hant", today=TODAY)[0]
    assert "中國移動香港" in text and "通訊事務管理局辦公室" in text
    assert "China Mobile Hong Kong" not in text


def test_the_check_catches_an_english_fragment() -> None:
    """The audit's example: an English value pasted into a Chinese sentence."""
    bad = Provider.model_validate({
        "id": "bad", "name": "Bad", "country": "intl", "kind": "esim",
        "notes": [{"value": "validity end", "text": "fact.esim.unused_data_expires", "source": "https://bad.example/",
                   "checked": TODAY, "confidence": "H", "quote": "quoted"}],
    })
    text = howto_full(bad, "zh-Hans", today=TODAY)[0]
    assert {"validity", "end"} <= set(_latin_words(text)) - ANY_LANGUAGE - _names(CATALOG.other)


# --- the renewal proposal (``renewed <n>`` without a date) reads as native too ---------------------

_RULED = [p.id for p in CATALOG.providers if p.renewal]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("lang", LANGS)
async def test_renewal_proposal_has_no_english_fragment(store, lang: str) -> None:
    """Every provider whose catalog entry has renewal rules: the explanation and the proposed
    dates of ``renewed 1`` contain no English word in a non-English reply."""
    from datetime import UTC, datetime

    from bot.service import Context, Service
    from tests.unit.conftest import make_config

    svc = Service(make_config(), CATALOG)
    owner = f"@{lang.lower()}:x"
    ctx = Context(sender=owner, room_id="!dm:x", owner_id=owner, is_dm=True,
                  now=datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
    async with store.tx() as tx:
        await svc.handle(tx, ctx, f"language {lang}")
    for n, pid in enumerate(_RULED, start=1):
        p = CATALOG.require(pid)
        variant = next((r.applies_to[0] for r in p.renewal if r.applies_to), None)
        async with store.tx() as tx:
            await svc.handle(tx, ctx, f"add {pid}{'/' + variant if variant else ''} 2026-12-10")
            await svc.handle(tx, ctx, f"renewed {n} 2027-01-09")
            reply = await svc.handle(tx, ctx, f"renewed {n}")
        assert "•" in reply.body, reply.body  # the rules are explained, not a plain confirmation
        allowed = ANY_LANGUAGE | _names(p)
        words = _latin_words(reply.body)
        if lang.startswith("zh"):
            stray = sorted({w for w in words if w and w not in allowed})
        else:
            stray = sorted({w for w in words if w in ENGLISH and w not in allowed})
        assert not stray, f"{pid} in {lang}: English fragments {stray}\n{reply.body}"


def test_taiwan_words_replace_whole_words_once() -> None:
    """增值→儲值 for a Taiwan reader, but 增值稅 (VAT) stays as it is, the longest word wins
    (銀行戶口 → 銀行帳戶, not 銀行帳戶 via 戶口), and a replacement is never replaced again."""
    from bot.i18n import _regional

    assert _regional("zh-TW", "先增值，再買增值卡") == "先儲值，再買儲值卡"
    assert _regional("zh-TW", "價格已含增值稅；請用網上增值") == "價格已含增值稅；請用線上儲值"
    assert _regional("zh-TW", "銀行戶口與戶口") == "銀行帳戶與帳戶"
    assert _regional("zh-HK", "增值稅與增值") == "增值稅與增值"


@pytest.mark.parametrize(("typed", "pid", "variant"), [
    ("XL Prepaid", "xl", None), ("kartu AXIS", "axis", None), ("中華電信預付卡", "chunghwa", None),
    ("telkomsel simpati", "telkomsel", None), ("celcom xpax", "celcomdigi", "celcom"),
    ("Digi prepaid SIM", "celcomdigi", "digi"), ("hotlink prepaid", "hotlink", None),
])
def test_names_with_the_words_people_add_around_them(typed: str, pid: str, variant: str | None) -> None:
    found = CATALOG.resolve(typed)
    assert found is not None, typed
    assert (found[0].id, found[1].id if found[1] else None) == (pid, variant)


@pytest.mark.parametrize("typed", ["china mobile", "prepaid", "sim card", "xl axis", "预付卡"])
def test_no_guess_between_providers_or_from_generic_words(typed: str) -> None:
    """Two providers named ("xl axis"), or nothing but generic words: unknown, so the bot asks."""
    assert CATALOG.resolve(typed) is None


@pytest.mark.parametrize(("typed", "pid"), [
    ("中華電信SIM卡", "chunghwa"), ("中华电信sim卡", "chunghwa"), ("中國移動香港 SIM 卡", "cmhk"),
])
def test_a_chinese_name_with_sim_card_written_as_people_write_it(typed: str, pid: str) -> None:
    """"SIM卡" is how Chinese speakers write "SIM card"; the English word sits between Han
    characters, where no word boundary is, so "中華電信SIM卡" was an unknown provider."""
    found = CATALOG.resolve(typed)
    assert found is not None and found[0].id == pid, (typed, found)
