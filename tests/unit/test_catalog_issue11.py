"""Issue 11's lists, checked item by item against the packaged catalog and what users read.

Coverage per market as the issue names it, the audit's fixes as rendered (XLSMART since April
2025, Tri's merger on 4 January 2022, CMHK's hotlines with the country code and the Mainland
number), no source that is a site's home page, the scam channels the issue names, renewal rules
wherever a source says how a recharge moves the expiry.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest

from bot.catalog import load_catalog
from bot.core.howto import howto_full

CATALOG = load_catalog()
TODAY = date(2026, 12, 2)

#: The names the issue lists, per country, as a user would type them.
ISSUE_NAMES = {
    "id": ["AXIS", "XL", "Telkomsel", "by.U", "IM3", "Tri", "Smartfren"],
    "my": ["Hotlink", "CelcomDigi", "U Mobile", "Yes", "Unifi Mobile", "Tune Talk", "XOX", "ONEXOX", "redONE", "Yoodo"],
    "sg": ["Singtel", "hi!Card", "GOMO", "StarHub", "M1", "SIMBA", "Circles.Life"],
    "hk": ["csl", "1O1O", "club sim", "SmarTone", "3HK", "China Mobile Hong Kong", "China Unicom HK"],
    "mo": ["CTM", "3 Macau", "China Telecom Macau"],
    "tw": ["Chunghwa Telecom", "Taiwan Mobile", "Far EasTone"],
    "th": ["AIS", "12Call", "True", "dtac", "NT"],
    "ph": ["Globe", "TM", "Smart", "TNT", "DITO"],
    "vn": ["Viettel", "VinaPhone", "MobiFone"],
    "intl": ["Airalo", "Holafly", "Nomad", "Ubigi", "travel eSIM"],
}


def test_at_least_45_providers_in_at_least_9_countries() -> None:
    real = [p for p in CATALOG.providers if not p.is_other]
    assert len(real) >= 45
    assert len({p.country for p in real} - {"intl"}) >= 9


@pytest.mark.parametrize("country,name", [(c, n) for c, names in ISSUE_NAMES.items() for n in names])
def test_every_name_in_the_issue_resolves_in_its_country(country: str, name: str) -> None:
    p = CATALOG.get(name)
    assert p is not None, name
    assert p.country == country, (name, p.id, p.country)


def _howto(pid: str, lang: str = "en", variant: str | None = None) -> str:
    return howto_full(CATALOG.require(pid), lang, variant, today=TODAY)[0]


@pytest.mark.parametrize("pid", ["axis", "xl", "smartfren"])
@pytest.mark.parametrize("lang,since", [("en", "April 2025"), ("id", "April 2025"), ("zh-Hans", "2025")])
def test_axis_xl_smartfren_are_xlsmart_brands_since_april_2025(pid: str, lang: str, since: str) -> None:
    text = _howto(pid, lang)
    assert "XLSMART" in text and since in text


@pytest.mark.parametrize("lang,date_text", [("en", "4 Jan 2022"), ("id", "4 Jan 2022"), ("zh-Hans", "2022年1月4日")])
def test_tri_merged_on_4_january_2022(lang: str, date_text: str) -> None:
    text = _howto("tri", lang)
    assert date_text in text.replace(" ", "") or date_text in text, text
    assert "2021" not in text


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-HK", "zh-Hans"])
def test_cmhk_hotlines_carry_the_country_code_and_the_mainland_number(lang: str) -> None:
    text = _howto("cmhk", lang)
    assert "+852 12580" in text and "400 120 4000" in text


def test_no_source_is_a_home_page_or_a_tabloid() -> None:
    sources = [f.source for p in CATALOG.providers for _, f in p.all_facts()]
    sources += [r.source for p in CATALOG.providers for r in p.renewal]
    sources += [f.source for c in CATALOG.countries.values() for f in (*c.domains, *c.report, *c.notes)]
    assert [s for s in sources if urlsplit(s).path in ("", "/")] == []
    weak = {  # a tabloid, small news and blog sites, a non-production preview host: replaced
        "fame.grid.id", "marketech-apac.com", "kabarekonomi.co.id", "panaynews.net", "telset.id",
        "mothership.sg", "ux-revamp-pr-1897.ux-non-prod-cdn.airalo.com",
    }
    assert [s for s in sources if urlsplit(s).hostname in weak] == []


@pytest.mark.parametrize("country,channels", [
    ("tw", ["165"]), ("hk", ["18222", "scameter"]), ("my", ["997"]), ("sg", ["1799", "ScamShield"]),
])
def test_the_scam_channels_the_issue_names(country: str, channels: list[str]) -> None:
    info = CATALOG.countries[country]
    values = " ".join(f.value for f in info.report).lower()
    for channel in channels:
        assert channel.lower() in values, (country, channel)


@pytest.mark.parametrize("country", sorted({p.country for p in CATALOG.providers} - {"intl"}))
def test_every_country_has_a_scam_report_channel(country: str) -> None:
    assert CATALOG.countries[country].report


#: Providers whose sources say how a recharge moves the line's expiry, and the plan it holds for.
SOURCED_RULES = {
    "telkomsel": None, "smartfren": None, "umobile": "power", "tunetalk": None, "ais": None,
    "vinaphone": None, "vietnamobile": None, "club-sim": None, "valuegb": None,
    "taiwan-mobile": "prepaid", "fareastone": None,
}


@pytest.mark.parametrize("pid,variant", sorted(SOURCED_RULES.items()))
def test_renewal_arithmetic_where_a_source_states_it(pid: str, variant: str | None) -> None:
    rules = CATALOG.require(pid).renewal_rules(variant)
    assert rules, pid
    assert all(r.quote for r in rules)
