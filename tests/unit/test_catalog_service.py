"""The catalog as the service uses it: provider names checked on add and edit, howto, providers,
check, the official steps in every ping (never judged a scam), and following the user's language."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.catalog import load_catalog
from bot.core.howto import howto_full, howto_short, providers_text
from bot.core.model import LANGUAGES
from bot.core.scam import judge
from bot.i18n import Translator
from bot.service import Service, ms
from bot.store.sqlite import PingRow, Store
from tests.unit.chat import ChatBot
from tests.unit.conftest import make_config

ALICE = "@alice:x"
BOB = "@bob:x"
DMS = {ALICE: "!dm-alice:x", BOB: "!dm-bob:x"}
ROOM = "!room:x"
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)
T = Translator("en")
CATALOG = load_catalog()

SCAM = "Cheap top-up for all Indonesian operators, 20% off! Message our agent on Telegram @pulsa_express_cs"
LEGIT = "You can top up Telkomsel at https://www.telkomsel.com or in the MyTelkomsel app."


class Bot(ChatBot):
    """Alice and Bob, each in their DM, at NOW."""

    def __init__(self, store: Store, svc: Service) -> None:
        super().__init__(store, svc, me=ALICE, dms=DMS, now=NOW, room=ROOM)


@pytest.fixture
def bot(store: Store) -> Bot:
    return Bot(store, Service(make_config(), CATALOG))


# --- provider names on add and edit -----------------------------------------------------------


@pytest.mark.parametrize(
    "typed, canonical, name",
    [("tsel", "telkomsel", "Telkomsel"), ("AXIS", "axis", "AXIS"), ("hotlink", "hotlink", "Maxis Hotlink"),
     ("Telkomsel", "telkomsel", "Telkomsel"), ("myxl", "xl", "XL"), ("indosat", "im3", "Indosat IM3"),
     ("by.u", "byu", "by.U"), ("maxis", "hotlink", "Maxis Hotlink")],
)
async def test_add_with_an_alias_stores_the_canonical_id(bot: Bot, typed: str, canonical: str, name: str) -> None:
    """The id is stored; the reply names the carrier as the catalog does."""
    r = await bot.say(f"add {typed} 2026-07-01 Phone")
    assert r.body.startswith(f"Line 1 added: Phone · {name},")
    assert (await bot.line()).provider == canonical


async def test_add_with_a_typo_suggests_the_provider(bot: Bot) -> None:
    r = await bot.say("add axsi 2026-07-01")
    assert r.body == T("error.unknown_provider", name="axsi", suggestion="axis")
    assert await bot.count() == 0


async def test_add_with_gibberish_says_it_does_not_know_the_provider(bot: Bot) -> None:
    r = await bot.say("add qwzx 2026-07-01")
    assert r.body == T("error.unknown_provider_plain", name="qwzx")
    assert await bot.count() == 0


async def test_add_other_is_allowed_for_any_provider(bot: Bot) -> None:
    r = await bot.say("add other 2026-07-01 Foreign SIM")
    assert r.body.startswith(f"Line 1 added: Foreign SIM · {CATALOG.other.name},")
    assert (await bot.line()).provider == "other"


async def test_a_too_long_provider_name_is_refused(bot: Bot) -> None:
    r = await bot.say("add " + "p" * 41 + " 2026-07-01")
    assert "too long" in r.body
    assert await bot.count() == 0


async def test_edit_provider_is_checked_the_same_way(bot: Bot) -> None:
    await bot.say("add axis 2026-07-01 Phone")
    assert (await bot.say("edit 1 provider axsi")).body == T("error.unknown_provider", name="axsi", suggestion="axis")
    assert (await bot.say("edit 1 provider qwzx")).body == T("error.unknown_provider_plain", name="qwzx")
    assert (await bot.line()).provider == "axis"
    r = await bot.say("edit 1 provider tsel")
    assert r.body.startswith("Line 1 updated: Phone · Telkomsel,")
    assert (await bot.line()).provider == "telkomsel"
    await bot.say("edit 1 provider other")
    assert (await bot.line()).provider == "other"


# --- howto and providers -------------------------------------------------------------------------


async def test_howto_a_line_uses_its_provider(bot: Bot) -> None:
    await bot.say("add axis 2026-07-01")
    await bot.say("add tsel 2026-07-02")
    r = await bot.say("howto 2")
    assert (r.body, r.html) == howto_full(CATALOG.require("telkomsel"), "en")
    r = await bot.say("howto #1")
    assert (r.body, r.html) == howto_full(CATALOG.require("axis"), "en")
    assert (await bot.say("howto 3")).body == T("error.no_line", number=3)


async def test_howto_a_provider_by_name_or_alias(bot: Bot) -> None:
    expected = howto_full(CATALOG.require("telkomsel"), "en")
    assert ((r := await bot.say("howto telkomsel")).body, r.html) == expected
    assert (await bot.say("howto tsel")).body == expected[0]
    assert (await bot.say("howto axsi")).body == T("error.unknown_provider", name="axsi", suggestion="axis")


async def test_howto_without_lines_lists_the_providers(bot: Bot) -> None:
    r = await bot.say("howto")
    listed = providers_text([p for p in CATALOG.providers if not p.is_other], "en")[0]
    assert r.body == listed + "\n" + T("reply.howto_pick")


async def test_howto_without_arguments_uses_the_soonest_line(bot: Bot) -> None:
    await bot.say("add axis 2026-08-01")
    await bot.say("add hotlink 2026-07-01")
    assert (await bot.say("howto")).body == howto_full(CATALOG.require("hotlink"), "en")[0]


@pytest.mark.parametrize("country, ids", [("indonesia", {"axis", "telkomsel", "xl"}), ("my", {"hotlink"}),
                                          ("Malaysia", {"hotlink"}), ("hong kong", {"cmhk"})])
async def test_providers_of_a_country(bot: Bot, country: str, ids: set[str]) -> None:
    r = await bot.say(f"providers {country}")
    found = CATALOG.by_country(country)
    assert found and ids <= {p.id for p in found}
    assert r.body == providers_text(found, "en", country)[0]


async def test_providers_of_an_unknown_country(bot: Bot) -> None:
    assert (await bot.say("providers atlantis")).body == T("error.unknown_country", value="atlantis")


async def test_providers_lists_every_real_provider(bot: Bot) -> None:
    r = await bot.say("providers")
    for p in CATALOG.providers:
        if not p.is_other:
            assert p.id in r.body


# --- check ---------------------------------------------------------------------------------------------


async def test_check_says_a_scam_looks_like_one(bot: Bot) -> None:
    r = await bot.say(f"check {SCAM}")
    assert r.body.startswith(Translator("en")("scam.verdict.scam"))


async def test_check_does_not_flag_a_legitimate_message(bot: Bot) -> None:
    r = await bot.say(f"check {LEGIT}")
    assert Translator("en")("scam.verdict.scam") not in r.body
    assert r.body.startswith(Translator("en")("scam.verdict.clean"))


async def test_check_changes_nothing(bot: Bot) -> None:
    await bot.say(f"check add axis 2026-07-01 {SCAM}")
    assert await bot.count() == 0


# --- pings carry the official steps and are never judged a scam --------------------------------------


async def _ping_every_provider(bot: Bot, owner: str, lang: str) -> list[tuple[str, object]]:
    out = []
    async with bot.store.tx() as tx:
        if owner.startswith("@"):
            await tx.update_owner(owner, ms(NOW), room_id=DMS[owner], language=lang, language_set=True)
        else:
            await tx.update_owner(owner, ms(NOW), language=lang, language_set=True)
        if await tx.count_lines(owner) == 0:
            for i, p in enumerate(CATALOG.providers):
                await tx.add_line(owner, provider=p.id, label=f"Line {p.id}", expiry=date(2026, 7, 1) + timedelta(days=i),
                                  now_ms=ms(NOW), mention=None if owner.startswith("@") else ALICE)
        for line in await tx.list_lines(owner):
            row = PingRow(id=0, line_id=line.id, expiry=line.expiry, offset=-3, due=ms(NOW), attempts=0)
            msg = await bot.svc.ping_message(tx, row, NOW)
            assert msg is not None
            out.append((line.provider, line.number, msg))
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_every_ping_carries_the_official_steps_and_is_not_a_scam(bot: Bot, lang: str) -> None:
    for owner, prefix in ((ALICE, ""), (ROOM, "!")):
        pings = await _ping_every_provider(bot, owner, lang)
        assert {pid for pid, _, _ in pings} == set(CATALOG.ids())
        for pid, number, msg in pings:
            body, html = howto_short(CATALOG.require(pid), lang, number, prefix=prefix)
            assert body in msg.reply.body, (pid, lang)
            assert html in msg.reply.html, (pid, lang)
            assert f"{prefix}howto {number}" in msg.reply.body
            for text in (msg.reply.body, msg.reply.html):
                verdict = judge(text, official_domains=bot.svc.official_domains)
                assert not verdict.is_scam, (pid, lang, verdict, text)
            assert msg.room_id == (DMS[ALICE] if owner == ALICE else ROOM)


# --- following the user's language -------------------------------------------------------------------


async def test_a_user_writing_chinese_gets_chinese_until_they_choose(bot: Bot) -> None:
    zh = Translator("zh-Hans")
    assert (await bot.say("列表")).body == zh("reply.list_empty")
    # English command words are everyone's: they never switch an auto-detected language back.
    for command in ("list", "help", "settings", "add axis 2026-12-31 My line"):
        await bot.say(command)
        async with bot.store.read() as tx:
            assert (await tx.get_owner(ALICE)).language == "zh-Hans", command
    assert (await bot.say("list")).body.startswith(zh("reply.list_header", count=1))
    assert (await bot.say("language en")).body == T("reply.language")
    async with bot.store.read() as tx:
        owner = await tx.get_owner(ALICE)
    assert (owner.language, owner.language_set) == ("en", True)
    # Once chosen, what the user writes no longer changes it.
    assert (await bot.say("列表")).body.startswith(T("reply.list_header", count=1))
    assert (await bot.say("tambah axis 31 Desember 2026 kartu saya")).body.startswith("Line 2 added")


async def test_a_user_writing_indonesian_gets_indonesian(bot: Bot) -> None:
    ind = Translator("id")
    assert ind("reply.list_empty") != T("reply.list_empty")
    assert (await bot.say("daftar", BOB)).body == ind("reply.list_empty")
    assert (await bot.say("list", BOB)).body == ind("reply.list_empty")
    assert (await bot.say("help", BOB)).body.startswith(ind("help.intro"))
    # Until a language is set, the user's writing is followed to another language too.
    assert (await bot.say("列表", BOB)).body == Translator("zh-Hans")("reply.list_empty")
    await bot.say("language en", BOB)
    assert (await bot.say("daftar", BOB)).body == T("reply.list_empty")
    # Alice was never touched.
    assert (await bot.say("list")).body == T("reply.list_empty")


async def test_a_new_user_writing_english_stays_on_the_default(bot: Bot) -> None:
    await bot.say("list")
    async with bot.store.read() as tx:
        owner = await tx.get_owner(ALICE)
    assert owner is None or owner.language in (None, "en")
