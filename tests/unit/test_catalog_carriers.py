"""What a user of a provider the other tests never add sees (third-session audit, issue 11).

A title that names the country twice (``China Telecom (Macau) (Macau)``), ``add club sim``
refused because the name has a space, and "Package of 0 days (as last time)" for a line with no
renewal history were found by using the bot as a user would; these keep them fixed.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.core.commands import lines as c
from bot.core.commands import parse
from bot.core.howto import country_label, howto_full
from bot.service import Service
from bot.store.base import Store
from tests.unit.chat import ChatBot
from tests.unit.conftest import make_config

CATALOG = load_catalog()
LANGS = ("en", "id", "ms", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
ME = "@carol:x"
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("lang", LANGS)
def test_no_title_names_the_country_twice(lang: str) -> None:
    doubled = []
    for p in CATALOG.providers:
        if p.is_other or p.country_info is None:
            continue
        title = howto_full(p, lang, today=NOW.date())[0].splitlines()[0]
        country = country_label(p, lang)
        if country and title.count(country) > 1:
            doubled.append(title)
    assert doubled == []


def test_a_name_with_its_country_keeps_the_name_and_drops_the_suffix() -> None:
    title = howto_full(CATALOG.require("ctmacau"), "zh-Hant", today=NOW.date())[0].splitlines()[0]
    assert title == "如何為 中國電信（澳門） 續費"
    assert howto_full(CATALOG.require("telkomsel"), "en", today=NOW.date())[0].startswith(
        "How to renew Telkomsel (Indonesia)")


class Bot(ChatBot):
    def __init__(self, store: Store) -> None:
        super().__init__(store, Service(make_config(), CATALOG), me=ME, dms={ME: "!dm:x"}, now=NOW)


@pytest.fixture
def bot(store: Store) -> Bot:
    return Bot(store)


@pytest.mark.parametrize(("typed", "pid"), [
    ("club sim", "club-sim"), ("china mobile hong kong", "cmhk"), ("3 macau", "3macau"), ("hi card", "singtel"),
])
async def test_add_with_a_name_of_several_words(bot: Bot, typed: str, pid: str) -> None:
    await bot.say(f"add {typed} 2026-12-20")
    line = await bot.line()
    assert (line.provider, line.expiry) == (pid, date(2026, 12, 20))


async def test_a_fixed_period_proposal_quotes_no_days(bot: Bot) -> None:
    await bot.say("add club-sim 2026-12-20")
    r = await bot.say("renewed 1")
    assert "of 0 days" not in r.body and "as last time" not in r.body
    assert "Package: new expiry 2 Mar 2027" in r.body and "renewed 1 2027-03-02" in r.body
    assert (await bot.line()).expiry == date(2026, 12, 20)


async def test_ais_lines_get_the_scam_call_report_code(bot: Bot) -> None:
    await bot.say("add ais 2026-12-20")
    assert "*1185#" in (await bot.say("howto 1")).body


def test_readme_counts_match_the_catalog() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    m = re.search(r"holds (\d+) providers in (\d+) countries\s+plus travel eSIMs \(per country: ([^;]+);", readme)
    assert m is not None, "README's catalog sentence moved: update this test with it"
    countries = [c for c in CATALOG.countries if c != "intl"]
    assert int(m.group(1)) == len(CATALOG.providers) and int(m.group(2)) == len(countries)
    names = {"Indonesia": "id", "Malaysia": "my", "Singapore": "sg", "Hong Kong": "hk", "Macau": "mo",
             "Taiwan": "tw", "Thailand": "th", "the Philippines": "ph", "Vietnam": "vn", "international": "intl"}
    stated = {names[name.strip()]: int(n) for name, n in re.findall(r"([A-Za-z ]+?) (\d+)", m.group(3))}
    actual = {code: sum(1 for p in CATALOG.providers if p.country == code) for code in names.values()}
    assert stated == actual


def _typed_names() -> list[tuple[str, str]]:
    out = []
    for p in CATALOG.providers:
        for name in {p.id, p.name, *p.aliases, *p.local_names.values()}:
            if len(name.split()) <= 4:
                out.append((name, p.id))
    return sorted(out)


def test_every_name_of_up_to_four_words_can_be_typed_in_add() -> None:
    """``add <name> <date>`` with any id, name, alias or local name a user may type (up to four
    words) stores that provider: the parser keeps the words, the catalog resolves them."""
    wrong = []
    for name, pid in _typed_names():
        cmd = parse(f"add {name} 2026-12-31", today=NOW.date(), lang="en")
        found = CATALOG.get(cmd.provider) if isinstance(cmd, c.Add) else None
        if found is None or found.id != pid:
            wrong.append((name, pid, cmd))
    assert wrong == []


@pytest.mark.parametrize(("lang", "typed", "shown"), [
    ("en", "mo", "Providers I know (Macau):"), ("id", "mo", "(Makau)"), ("zh-Hant", "macau", "澳門"),
])
async def test_providers_of_a_country_names_it_in_the_readers_language(
        bot: Bot, lang: str, typed: str, shown: str) -> None:
    await bot.say(f"language {lang}")
    r = await bot.say(f"providers {typed}")
    assert shown in r.body.splitlines()[0] and f"({typed})" not in r.body.splitlines()[0]
