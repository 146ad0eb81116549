"""Facts that apply only where they are true, and how a renewal moves the expiry.

A Celcom line never sees Digi's ``*128#`` (no line does since the code was dropped: its only
source page has no address); a Hotlink line that is not on the starter pack never sees
the starter pack's 50-day grace period; ``add`` asks the plan where it matters; ``renewed <n>``
without a date and ✅ propose the catalog's new expiry instead of repeating the last period.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.catalog import load_catalog
from bot.core.howto import howto_full, howto_short
from bot.core.provider import Renewal
from bot.core.renewal import apply_rule, propose
from bot.service import Context, Service, ms
from bot.store.sqlite import PingRow, Store
from tests.unit.chat import ChatBot
from tests.unit.conftest import make_config

CATALOG = load_catalog()
TODAY = date(2026, 12, 2)
LANGS = ("en", "id", "ms", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
ALICE = "@alice:x"
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def _texts(pid: str, variant: str | None, lang: str) -> list[str]:
    p = CATALOG.require(pid)
    full = howto_full(p, lang, variant, today=TODAY)
    short = howto_short(p, lang, 1, variant=variant, today=TODAY)
    return [*full, *short]


# --- the rules of issue 11 ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("variant", ["celcom", None])
def test_a_celcom_line_never_sees_star_128(lang: str, variant: str | None) -> None:
    for text in _texts("celcomdigi", variant, lang):
        assert "*128#" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_digi_line_is_sent_to_the_official_app_for_its_active_period(lang: str) -> None:
    """``*128#`` was Digi's; with no exact source page it is not stated to anyone, and the
    "check the active period" section falls back to the official app."""
    text = howto_full(CATALOG.require("celcomdigi"), lang, "digi", today=TODAY)[0]
    assert "*128#" not in text
    assert t_(lang, "howto.check_unknown") in text


def t_(lang: str, msgid: str) -> str:
    from bot.i18n import catalog

    return catalog(lang)[msgid]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("variant", ["other", None])
def test_a_non_starter_hotlink_line_never_sees_the_50_day_grace(lang: str, variant: str | None) -> None:
    for text in _texts("hotlink", variant, lang):
        assert "50" not in text, text


@pytest.mark.parametrize("lang", LANGS)
def test_a_starter_pack_hotlink_line_sees_the_50_day_grace(lang: str) -> None:
    assert "50" in howto_full(CATALOG.require("hotlink"), lang, "starter", today=TODAY)[0]


def test_variant_aliases_pick_the_variant() -> None:
    assert [(p.id, v.id if v else None) for p, v in (CATALOG.resolve("celcom"), CATALOG.resolve("Digi"))] == [
        ("celcomdigi", "celcom"), ("celcomdigi", "digi"),
    ]
    p, v = CATALOG.resolve("hotlink")
    assert p.id == "hotlink" and v is None


def test_a_provider_with_variants_says_so_when_the_plan_is_unknown() -> None:
    text = howto_full(CATALOG.require("hotlink"), "en", today=TODAY)[0]
    assert "differ by plan" in text and "starter pack" in text


# --- stale facts ----------------------------------------------------------------------------------


def test_stale_facts_say_check_the_official_app() -> None:
    p = CATALOG.require("smartfren")
    later = date(2028, 1, 1)
    text = howto_full(p, "en", today=later)[0]
    assert "check the official app" in text and "last confirmed" in text
    assert "check the official app)" not in howto_full(p, "en", today=TODAY)[0]


# --- how a renewal moves the expiry (pure) -------------------------------------------------------

SRC = dict(source="https://www.telkomsel.com/", checked=date(2026, 12, 2), confidence="H", quote="quoted")


def _rule(mode: str, **kw: object) -> Renewal:
    return Renewal.model_validate({"mode": mode, **SRC, **kw})


@pytest.mark.parametrize("mode,expiry,days,cap,expected", [
    ("add_days", date(2026, 12, 10), 30, None, date(2027, 1, 9)),        # added to the days left
    ("add_days", date(2026, 11, 1), 30, None, date(2027, 1, 1)),         # lapsed: from today
    ("add_days", date(2027, 11, 20), 30, 365, date(2027, 12, 2)),        # capped at today + 365
    ("extend_to_longest", date(2026, 12, 10), 30, None, date(2027, 1, 1)),   # today + 30 is later
    ("extend_to_longest", date(2027, 3, 1), 30, None, date(2027, 3, 1)),     # current one is longer
])
def test_apply_rule(mode: str, expiry: date, days: int, cap: int | None, expected: date) -> None:
    result = apply_rule(_rule(mode, cap_days=cap), expiry, TODAY, days)
    assert result is not None and result[0] == expected


def test_fixed_period_ignores_the_days_bought() -> None:
    assert apply_rule(_rule("fixed_period", days=180), date(2026, 12, 10), TODAY, 7) == (date(2027, 5, 31), False)


def test_fixed_period_in_months_restarts_from_today() -> None:
    """Taiwan Mobile and Far EasTone: a recharge restarts six months from the day of the recharge
    (calendar months, not 180 days), whatever was left and whatever was bought."""
    rule = _rule("fixed_period", months=6)
    assert apply_rule(rule, date(2027, 9, 1), TODAY, 30) == (date(2027, 6, 2), False)
    assert apply_rule(rule, date(2026, 11, 1), date(2026, 8, 31), None) == (date(2027, 2, 28), False)


@pytest.mark.parametrize("pid,variant", [("taiwan-mobile", "prepaid"), ("fareastone", None)])
def test_taiwan_recharges_restart_six_months(pid: str, variant: str | None) -> None:
    rules = CATALOG.require(pid).renewal_rules(variant)
    assert [(p.what, p.expiry) for p in propose(rules, date(2026, 12, 10), TODAY, None)] == [("topup", date(2027, 6, 2))]


def test_a_taiwan_mobile_tourist_card_gets_no_recharge_rule() -> None:
    assert CATALOG.require("taiwan-mobile").renewal_rules("tourist") == ()


def test_propose_without_days_proposes_nothing_but_fixed_periods() -> None:
    assert propose([_rule("add_days"), _rule("extend_to_longest")], date(2026, 12, 10), TODAY, None) == []


def test_telkomsel_proposals() -> None:
    rules = CATALOG.require("telkomsel").renewal_rules(None)
    props = propose(rules, date(2026, 12, 10), TODAY, 30)
    assert [(p.what, p.expiry) for p in props] == [("topup", date(2027, 1, 9)), ("package", date(2027, 1, 1))]


# --- in the product: add, edit plan, howto, renewed, ✅ ------------------------------------------


class Bot(ChatBot):
    """Alice in her DM, at NOW, with the real catalog."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, Service(make_config(), CATALOG), me=ALICE, dms={ALICE: "!dm:x"}, now=NOW)


@pytest.fixture
def bot(store: Store) -> Bot:
    return Bot(store)


async def test_add_by_a_variant_alias_stores_the_variant(bot: Bot) -> None:
    r = await bot.say("add celcom 2026-12-31")
    line = await bot.line()
    assert (line.provider, line.variant) == ("celcomdigi", "celcom")
    assert "Which plan" not in r.body
    assert "*128#" not in (await bot.say("howto 1")).body
    await bot.say("add digi 2026-12-31")
    assert (await bot.line(2)).variant == "digi"


async def test_add_asks_the_plan_where_it_matters_and_edit_sets_it(bot: Bot) -> None:
    r = await bot.say("add hotlink 2026-12-31")
    assert "Which plan is line 1 on?" in r.body and "edit 1 plan starter" in r.body
    assert (await bot.line()).variant is None
    assert "50-day" not in (await bot.say("howto 1")).body
    await bot.say("edit 1 plan starter")
    assert (await bot.line()).variant == "starter"
    assert "50-day" in (await bot.say("howto 1")).body
    await bot.say("edit 1 plan other")
    assert "50-day" not in (await bot.say("howto 1")).body
    await bot.say("edit 1 plan unknown")
    assert (await bot.line()).variant is None
    bad = await bot.say("edit 1 plan gold")
    assert "no plan" in bad.body and "starter" in bad.body


async def test_add_with_provider_slash_plan(bot: Bot) -> None:
    await bot.say("add hotlink/starter 2026-12-31")
    assert (await bot.line()).variant == "starter"


async def test_ping_shows_only_the_lines_facts(bot: Bot) -> None:
    await bot.say("add celcom 2026-12-05")
    line = await bot.line()
    async with bot.store.tx() as tx:
        row = PingRow(id=0, line_id=line.id, expiry=line.expiry, offset=-3, due=ms(NOW), attempts=0)
        msg = await bot.svc.ping_message(tx, row, NOW)
    assert msg is not None and "*128#" not in msg.reply.body and "Celcom" in msg.reply.body


async def test_renewed_without_date_proposes_the_catalog_expiry(bot: Bot) -> None:
    await bot.say("add telkomsel 2026-12-10")
    await bot.say("renewed 1 2027-01-09")  # a 30-day period on record
    r = await bot.say("renewed 1")
    assert (await bot.line()).expiry == date(2027, 1, 9)  # nothing changed yet
    # top-up: 30 days added to the days left; package: today + 30 unless the current one is longer
    assert "renewed 1 2027-02-08" in r.body and "renewed 1 2027-01-09" not in r.body
    assert "the current expiry stays" in r.body
    assert "up to 365 days" in r.body and "do not add up" in r.body
    assert "I have not changed anything yet" in r.body
    await bot.say("renewed 1 2027-02-08")
    assert (await bot.line()).expiry == date(2027, 2, 8)


async def test_renewed_on_a_far_eastone_line_proposes_six_months(bot: Bot) -> None:
    await bot.say("add fareastone 2026-12-10")
    r = await bot.say("renewed 1")
    assert "valid for 6 months from the day you renew" in r.body and "renewed 1 2027-06-02" in r.body
    assert (await bot.line()).expiry == date(2026, 12, 10)


async def test_renewed_without_date_and_without_history_explains_and_asks(bot: Bot) -> None:
    await bot.say("add telkomsel 2026-12-10")
    r = await bot.say("renewed 1")
    assert "up to 365 days" in r.body and "renewed 1 <date>" in r.body
    assert (await bot.line()).expiry == date(2026, 12, 10)


async def test_providers_without_rules_keep_repeating_the_last_period(bot: Bot) -> None:
    await bot.say("add axis 2026-12-10")
    await bot.say("renewed 1 2027-01-09")
    await bot.say("renewed 1")
    assert (await bot.line()).expiry == date(2027, 2, 8)


async def test_check_mark_on_a_ping_proposes_too(bot: Bot) -> None:
    await bot.say("add telkomsel 2026-12-10")
    await bot.say("renewed 1 2027-01-09")
    line = await bot.line()
    async with bot.store.tx() as tx:
        rows = [r for r in await tx.due_pings(2**62) if r.line_id == line.id]
        row = min(rows, key=lambda r: r.due)
        await tx.mark_ping_sent(row.id, "$p", row.due)
        sent = await tx.ping_by_event("$p")
    async with bot.store.tx() as tx:
        r = await bot.svc.react(tx, bot.ctx(), sent, "✅")
    assert r is not None and "renewed 1 2027-02-08" in r.body
    assert (await bot.line()).expiry == date(2027, 1, 9)


async def test_language_accepts_regional_chinese(bot: Bot) -> None:
    await bot.say("language zh-TW")
    await bot.say("add telkomsel 2026-12-31")
    assert "簡訊" in (await bot.say("howto 1")).body
    await bot.say("language zh-HK")
    assert "短訊" in (await bot.say("howto 1")).body


async def test_zh_hant_reader_gets_the_wording_of_the_lines_country(bot: Bot) -> None:
    await bot.say("language zh-Hant")
    await bot.say("add cmhk 2026-12-31")
    assert "中國移動香港" in (await bot.say("howto 1")).body


def test_reader_language_follows_the_lines_country() -> None:
    from bot.core.howto import reader_lang

    tw = CATALOG.by_country("tw")[0]
    hk = CATALOG.require("cmhk")
    assert reader_lang("zh-Hant", tw) == "zh-TW" and reader_lang("zh-Hant", hk) == "zh-HK"
    assert reader_lang("zh-HK", tw) == "zh-HK"      # an explicit choice is kept
    assert reader_lang("zh-Hans", tw) == "zh-Hans" and reader_lang("en", tw) == "en"
    assert reader_lang("zh-Hant", CATALOG.require("telkomsel")) == "zh-Hant"


async def test_ping_in_taiwan_wording_for_a_zh_hant_reader(bot: Bot) -> None:
    tw = CATALOG.by_country("tw")[0]
    await bot.say("language zh-Hant")
    await bot.say(f"add {tw.id} 2026-12-05")
    line = await bot.line()
    async with bot.store.tx() as tx:
        later = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)  # after expiry: the ping mentions SMS
        row = PingRow(id=0, line_id=line.id, expiry=line.expiry, offset=3, due=ms(later), attempts=0)
        msg = await bot.svc.ping_message(tx, row, later)
    assert msg is not None
    assert "簡訊" in msg.reply.body and "短訊" not in msg.reply.body, msg.reply.body


async def test_stale_renewal_rules_are_not_stated(store: Store) -> None:
    """A rule past its check age is not proposed: the bot falls back to the last period."""
    later = datetime(2028, 3, 1, 3, 0, tzinfo=UTC)
    svc = Service(make_config(), CATALOG)
    ctx = Context(sender=ALICE, room_id="!dm:x", owner_id=ALICE, is_dm=True, now=later)
    async with store.tx() as tx:
        await svc.handle(tx, ctx, "add telkomsel 2028-03-10")
        await svc.handle(tx, ctx, "renewed 1 2028-04-09")
        r = await svc.handle(tx, ctx, "renewed 1")
        line = await tx.get_line(ALICE, 1)
    assert "How did you renew" not in r.body
    assert line.expiry == date(2028, 5, 9)
