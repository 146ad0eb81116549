"""Indonesian and Malaysian facts added in the fourth session (issue 11): each reaches the reader
of the right line in every language, a one-brand fact stays with that brand, and the coverage
script that the README's figures come from counts what the catalog holds.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.core.howto import howto_full

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import catalog_coverage  # noqa: E402

CATALOG = load_catalog()
TODAY = date(2026, 12, 2)
LANGS = ("en", "id", "ms", "zh-Hans", "zh-Hant")


def _full(pid: str, lang: str, variant: str | None = None) -> str:
    return howto_full(CATALOG.require(pid), lang, variant, today=TODAY)[0]


@pytest.mark.parametrize("lang", LANGS)
def test_xox_call_centres_shops_and_app_reach_every_language(lang: str) -> None:
    text = _full("xox", lang)
    for shown in ("12273", "1300 888 010", "XOX Care Centre", "XOX BLACK App"):
        assert shown in text, (lang, shown)


@pytest.mark.parametrize("lang", LANGS)
def test_the_digi_hotline_is_shown_to_digi_lines_only(lang: str) -> None:
    assert "016-2211800" in _full("celcomdigi", lang, "digi")
    assert "016-2211800" not in _full("celcomdigi", lang, "celcom")
    assert "016-2211800" not in _full("celcomdigi", lang, None)


@pytest.mark.parametrize("lang", LANGS)
def test_tri_points_to_its_own_online_top_up_page(lang: str) -> None:
    text = _full("tri", lang)
    assert "https://tri.co.id/en/onlinepurchase" in text and "3Store" in text
    tri = CATALOG.require("tri")
    assert [d.value for d in tri.domains] == ["tri.co.id"]


def test_new_facts_quote_their_numbers_and_sit_on_the_carriers_own_hosts() -> None:
    own = {"xox": ("xox.com.my", "onexox.my"), "celcomdigi": ("digi.com.my",), "tri": ("tri.co.id",)}
    for pid, hosts in own.items():
        p = CATALOG.require(pid)
        for f in (*p.support, *p.apps, *p.offline, *p.topup):
            if f.checked == TODAY and any(h in f.source for h in hosts):
                digits = "".join(ch for ch in f.value if ch.isdigit())
                if digits and not f.value.startswith("http"):
                    assert digits in "".join(ch for ch in f.quote if ch.isdigit()), f.value


def test_coverage_script_counts_the_catalog() -> None:
    total, counts, missing = catalog_coverage.coverage({"id", "my"})
    assert total == 16
    assert counts["support"] == sum(1 for p in CATALOG.providers if p.country in {"id", "my"} and p.support)
    assert "support" not in missing["xox"] and "apps" not in missing["xox"]
    assert "support" in missing["byu"]
    every, _, _ = catalog_coverage.coverage()
    assert every == len(CATALOG.providers)


@pytest.mark.parametrize("lang", LANGS)
def test_only_a_tourist_sim_line_is_told_it_ends_without_grace(lang: str) -> None:
    tourist = _full("hotlink", lang, "tourist")
    assert "15" in tourist and "50" not in tourist
    for variant in ("starter", "other", None):
        assert "15" not in _full("hotlink", lang, variant), variant


def test_a_line_added_as_hotlink_tourist_gets_the_tourist_plan() -> None:
    p, v = CATALOG.resolve("hotlink tourist")
    assert p.id == "hotlink" and v is not None and v.id == "tourist"


@pytest.mark.parametrize("lang", LANGS)
def test_hotlink_auto_top_up_says_when_it_fires(lang: str) -> None:
    text = _full("hotlink", lang, "other")
    assert "Auto Top Up" in text and " 3 " in text
    assert "Auto Top Up" not in _full("hotlink", lang, "tourist")


@pytest.mark.parametrize("lang", LANGS)
def test_each_celcomdigi_family_sees_its_own_line(lang: str) -> None:
    celcom, digi = _full("celcomdigi", lang, "celcom"), _full("celcomdigi", lang, "digi")
    assert "1111" in celcom and "016-2211800" not in celcom
    assert "016-2211800" in digi and "1111" not in digi
    assert "*123*<PIN>#" in digi and "*123*<PIN>#" not in celcom


@pytest.mark.parametrize("lang", LANGS)
def test_im3_grace_period_is_the_carriers_own_figure(lang: str) -> None:
    im3 = CATALOG.require("im3")
    assert [(g.value, g.confidence) for g in im3.grace] == [("30", "M")]
    assert "30" in _full("im3", lang)
