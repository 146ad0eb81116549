"""The Asian markets of issue 11 (SG, HK, MO, TW, TH, PH, VN): every provider is there with its
country, every country has a scam-report channel, every new message renders in all five languages
and no new fact is stated without a short quote from its source."""
from __future__ import annotations

import re

import pytest

from bot.catalog import load_catalog
from bot.core.howto import howto_full
from bot.i18n import LOCALE_DIR
from bot.i18n import catalog as messages

LANGS = ("en", "zh-Hans", "zh-Hant", "id", "ms")

NEW = {
    "sg": {"singtel", "gomo-sg", "starhub", "m1", "simba", "circles-life"},
    "hk": {"csl", "club-sim", "smartone", "3hk", "cuhk", "valuegb"},
    "mo": {"ctm", "3macau", "ctmacau"},
    "tw": {"chunghwa", "taiwan-mobile", "fareastone"},
    "th": {"ais", "truemove-h", "dtac", "nt"},
    "ph": {"globe", "smart", "dito"},
    "vn": {"viettel", "vinaphone", "mobifone", "vietnamobile"},
}

ALIASES = [
    ("hi!Card", "singtel"), ("Circles Life", "circles-life"), ("1O1O", "csl"), ("數碼通", "smartone"),
    ("澳門電訊", "ctm"), ("中華電信", "chunghwa"), ("台灣大哥大", "taiwan-mobile"), ("遠傳", "fareastone"),
    ("12Call", "ais"), ("TNT", "smart"), ("TM", "globe"), ("Vina", "vinaphone"),
]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize("country,ids", sorted(NEW.items()))
def test_new_providers_present(catalog, country: str, ids: set[str]) -> None:
    have = {p.id for p in catalog.by_country(country)}
    assert ids <= have


@pytest.mark.parametrize("country", sorted(NEW))
def test_every_new_country_has_a_scam_report_channel(catalog, country: str) -> None:
    info = catalog.get(sorted(NEW[country])[0]).country_info
    assert info is not None and info.report, country


@pytest.mark.parametrize("alias,pid", ALIASES)
def test_local_aliases_resolve(catalog, alias: str, pid: str) -> None:
    assert catalog.get(alias).id == pid


def _asia_ids() -> list[str]:
    """The message ids of locales/en/catalog_asia.po."""
    text = (LOCALE_DIR / "en" / "catalog_asia.po").read_text(encoding="utf-8")
    return [m for m in re.findall(r'^msgid "(.+)"$', text, re.M)]


def _new_facts(catalog):
    for country, ids in NEW.items():
        for pid in ids:
            p = catalog.get(pid)
            yield from ((pid, field, f) for field, f in p.all_facts())
        if country != "hk":  # Hong Kong's older channels belong to the existing catalog
            info = catalog.get(sorted(ids)[0]).country_info
            yield from ((country, "report", f) for f in info.report)


def test_every_new_fact_has_a_quote_and_todays_check_date(catalog) -> None:
    missing = [(owner, field, f.value) for owner, field, f in _new_facts(catalog)
               if not getattr(f, "quote", None)]
    assert not missing


@pytest.mark.parametrize("lang", LANGS)
def test_new_messages_exist_and_keep_the_placeholder(catalog, lang: str) -> None:
    texts = messages(lang)
    for owner, _field, f in _new_facts(catalog):
        if f.text is None:
            continue
        assert f.text in texts, (lang, owner, f.text)
        assert "{value}" in texts[f.text], (lang, f.text)


@pytest.mark.parametrize("lang", ("zh-Hans", "zh-Hant", "id", "ms"))
def test_translations_are_not_english(lang: str) -> None:
    """A translated sentence shares no run of three English words (other than a brand name such as
    "Happy Stars Plus") with its English original."""
    en, tr = messages("en"), messages(lang)
    for msgid in _asia_ids():
        if msgid.startswith("country."):
            continue
        words = re.findall(r"[A-Za-z]{3,}", en[msgid])
        trigrams = {" ".join(words[i:i + 3]).lower() for i in range(len(words) - 2)
                    if not all(w[0].isupper() for w in words[i:i + 3])}  # brand names may stay
        tr_text = " ".join(re.findall(r"[a-z]{3,}", tr[msgid].lower()))
        assert not any(t in tr_text for t in trigrams), (lang, msgid)


@pytest.mark.parametrize("lang", LANGS)
def test_howto_renders_for_every_new_provider(catalog, lang: str) -> None:
    for ids in NEW.values():
        for pid in ids:
            plain, html = howto_full(catalog.get(pid), lang)
            assert catalog.get(pid).name in plain or lang != "en"
            assert "{value}" not in plain and "{value}" not in html


@pytest.mark.parametrize("pid,variant,shown,hidden", [
    ("starhub", "happy-prepaid", ["90 days"], ["every 180 days"]),
    ("starhub", "internet-sim", ["every 180 days"], ["90 days", "*123*2#"]),
    ("starhub", None, [], ["90 days", "every 180 days"]),
    ("chunghwa", "tourist", ["recharging does not extend"], ["60/120/180"]),
    ("chunghwa", "ruyi", ["60/120/180"], ["recharging does not extend"]),
    ("taiwan-mobile", "tourist", ["3/5/7"], ["6 months"]),
    ("taiwan-mobile", "prepaid", ["6 months"], ["3/5/7"]),
])
def test_plan_rules_only_for_their_plan(catalog, pid: str, variant, shown, hidden) -> None:
    """A one-plan rule is shown to lines on that plan only, never as the provider's general rule."""
    plain = howto_full(catalog.get(pid), "en", variant=variant)[0]
    for text in shown:
        assert text in plain, (pid, variant, text)
    for text in hidden:
        assert text not in plain, (pid, variant, text)


def test_renewal_rules_are_sourced(catalog) -> None:
    rules = {pid: catalog.get(pid).renewal for pid in ("ais", "vinaphone", "vietnamobile", "club-sim", "valuegb")}
    assert all(rules.values())
    for pid, rs in rules.items():
        for r in rs:
            assert r.quote and r.source.startswith("http") and r.confidence in ("H", "M"), pid
    assert rules["club-sim"][0].mode == "fixed_period" and rules["club-sim"][0].days == 90
