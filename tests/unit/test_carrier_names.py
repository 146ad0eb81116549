"""Replies name a line's carrier as the catalog does, in the reader's language (中國移動香港, not
``cmhk``): list, added, pings, snooze, status, import previews, the calendar feed. Machine formats
(export) keep the id; an id the catalog lost shows as itself."""
from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest

from bot.admin import catalog_status
from bot.catalog import load_catalog
from bot.core.howto import carrier_names, reader_lang
from bot.core.model import LANGUAGES, Line
from bot.core.render import (
    carrier_id,
    line_name,
    render_ask_renewal_date,
    render_line_state,
    render_list,
    render_ping,
    render_removed,
)
from bot.core.scam import judge
from bot.core.scam_render import render_verdict
from bot.i18n import Translator
from bot.service import Service, ms
from bot.service.data.calendar import feed
from bot.store.sqlite import PingRow, Store
from tests.unit.chat import ChatBot
from tests.unit.conftest import make_config

ALICE = "@alice:x"
DMS = {ALICE: "!dm-alice:x"}
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)
CATALOG = load_catalog()

#: The name each reader sees for China Mobile Hong Kong, written out so a wrong lookup fails.
CMHK = {"en": "China Mobile Hong Kong", "zh-Hans": "中国移动香港", "zh-Hant": "中國移動香港",
        "id": "China Mobile Hong Kong", "ms": "China Mobile Hong Kong"}


class Bot(ChatBot):
    def __init__(self, store: Store, svc: Service) -> None:
        super().__init__(store, svc, me=ALICE, dms=DMS, now=NOW, reply_txns=True)

    async def speak(self, lang: str) -> None:
        async with self.store.tx() as tx:
            await tx.update_owner(ALICE, ms(NOW), room_id=DMS[ALICE], language=lang, language_set=True)


@pytest.fixture
def bot(store: Store) -> Bot:
    return Bot(store, Service(make_config(), CATALOG))


def test_every_language_has_its_expected_name() -> None:
    assert set(CMHK) == set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_list_added_and_ping_name_the_carrier_in_the_readers_language(bot: Bot, lang: str) -> None:
    await bot.speak(lang)
    name = CMHK[lang]
    added = await bot.say("add cmhk 2026-07-01 <b>Mum</b> & Dad")
    assert f"<b>Mum</b> & Dad · {name}" in added.body, added.body
    assert f"&lt;b&gt;Mum&lt;/b&gt; &amp; Dad · {html.escape(name)}" in added.html, added.html
    listed = await bot.say("list")
    assert f"1. <b>Mum</b> & Dad · {name}" in listed.body, listed.body
    assert "<b>Mum" not in listed.html
    async with bot.store.tx() as tx:
        line = await tx.get_line(ALICE, 1)
        assert line is not None and line.provider == "cmhk"  # stored as the id
        row = PingRow(id=0, line_id=line.id, expiry=line.expiry, offset=-3, due=ms(NOW), attempts=0)
        msg = await bot.svc.ping_message(tx, row, NOW)
    assert msg is not None
    for reply in (added, listed, msg.reply):
        assert "cmhk" not in reply.body, reply.body
    assert f"<b>Mum</b> & Dad · {name}" in msg.reply.body
    assert "<b>Mum" not in msg.reply.html
    status = await bot.say("status")
    assert name in status.body and "cmhk" not in status.body


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_line_without_a_label_is_named_by_its_carrier_alone(bot: Bot, lang: str) -> None:
    await bot.speak(lang)
    removed_name = CATALOG.require("ctmacau").display_name(reader_lang(lang, CATALOG.require("ctmacau")))
    await bot.say("add ctmacau 2026-07-01")
    r = await bot.say("remove 1")
    assert removed_name in r.body and "ctmacau" not in r.body, r.body


async def test_the_calendar_feed_names_carriers_and_the_export_keeps_ids(bot: Bot) -> None:
    await bot.speak("zh-Hans")
    await bot.say("add cmhk 2026-07-01")
    async with bot.store.read() as tx:
        ics = (await feed(bot.svc, tx, ALICE, NOW)).decode()
    assert "中国移动香港" in ics and "cmhk" not in ics.replace("\r\n ", "")
    exported = await bot.say("export csv")
    assert exported.file is not None
    assert b"cmhk" in exported.file.data and "中国移动香港".encode() not in exported.file.data


async def test_an_import_preview_names_carriers(bot: Bot) -> None:
    await bot.speak("zh-Hant")
    data = "provider,expiry,label\ncmhk,2026-09-01,媽媽\n".encode()
    r = await bot.run(bot.dm(attachment=data), "import")
    assert "媽媽 · 中國移動香港" in r.body, r.body


def test_a_provider_the_catalog_lost_shows_as_its_id() -> None:
    gone = Line(id=1, owner_id=ALICE, number=1, provider="gone-telco", label="Old", expiry=date(2026, 7, 1))
    assert line_name(gone, carrier_names(CATALOG.get, "en")) == "Old · gone-telco"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_long_names_with_their_own_brackets_are_not_bracketed_again(lang: str) -> None:
    """``Work (Singtel Prepaid (hi!Card))`` read as a typo: the label and the name are set side by side."""
    names = carrier_names(CATALOG.get, lang)
    for pid in ("singtel", "cuhk", "ctmacau", "gomo-sg"):
        ln = Line(id=1, owner_id=ALICE, number=1, provider=pid, label="Work", expiry=date(2026, 7, 1))
        got = line_name(ln, names)
        p = CATALOG.require(pid)
        assert got == "Work · " + p.display_name(reader_lang(lang, p)), got
        assert "((" not in got and "))" not in got and "）)" not in got and "（（" not in got


def test_the_variant_is_named_with_the_carrier() -> None:
    ln = Line(id=1, owner_id=ALICE, number=1, provider="celcomdigi", label="", expiry=date(2026, 7, 1),
              variant="celcom")
    name = carrier_names(CATALOG.get, "en")(ln)
    assert name.startswith("CelcomDigi") and "Celcom" in name.removeprefix("CelcomDigi")


def test_render_list_uses_the_lookup_it_is_given() -> None:
    ln = Line(id=1, owner_id=ALICE, number=1, provider="cmhk", label="", expiry=date(2026, 7, 1))
    t = Translator("zh-Hans")
    by_name = render_list(t, [(ln, None)], carrier=carrier_names(CATALOG.get, "zh-Hans"), today=date(2026, 6, 1),
                          lang="zh-Hans", tz="UTC", count=1, page=1, pages=1)
    by_id = render_list(t, [(ln, None)], carrier=carrier_id, today=date(2026, 6, 1), lang="zh-Hans", tz="UTC",
                        count=1, page=1, pages=1)
    assert "1. 中国移动香港" in by_name.body and "1. cmhk" in by_id.body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_replies_set_a_bracketed_name_apart_without_doubling_brackets(lang: str) -> None:
    """``line 2 (Work · Singtel Prepaid (hi!Card))`` and ``（工作 · 中国联通（香港））`` read as typos:
    the templates set the name apart with commas (en, id, ms) or quotation marks (Chinese)."""
    t = Translator(lang)
    names = carrier_names(CATALOG.get, lang)
    for pid in ("singtel", "cuhk", "ctmacau"):
        ln = Line(id=1, owner_id=ALICE, number=2, provider=pid, label="Work", expiry=date(2026, 7, 1))
        replies = [
            render_removed(t, ln, carrier=names), render_ask_renewal_date(t, ln, carrier=names),
            render_ping(t, ln, today=date(2026, 6, 28), lang=lang, carrier=names),
            render_ping(t, ln, today=date(2026, 7, 1), lang=lang, carrier=names),
            render_ping(t, ln, today=date(2026, 7, 3), lang=lang, carrier=names),
            render_line_state(t, "reply.renewed", ln, carrier=names, today=date(2026, 6, 1), lang=lang,
                              next_due_ms=None, tz="UTC", old="-", new="-"),
        ]
        for r in replies:
            assert line_name(ln, names) in r.body
            for double in ("))", "）)", "））", ")）"):
                assert double not in r.body, (pid, r.body)


def test_the_admins_catalog_status_names_carriers_next_to_their_ids() -> None:
    svc = Service(make_config(), CATALOG)
    r = catalog_status(Translator("zh-Hans"), datetime(2031, 1, 1, tzinfo=UTC),
                       lambda pid: svc.carrier_name(pid, None, "zh-Hans"))
    items = [x.removeprefix("• ") for x in r.body.splitlines() if x.startswith("• ")]
    named = [re.fullmatch(r"(.+) \[([a-z0-9-]+)\] \S+", x) for x in items]
    assert items and any(named), items  # every fact is stale by 2031
    for m in named:
        if m:
            assert m.group(1) == svc.carrier_name(m.group(2), None, "zh-Hans") != m.group(2)


@pytest.mark.parametrize("lang", [x for x in LANGUAGES if x != "en"])
def test_a_line_on_other_is_not_named_in_english(lang: str) -> None:
    ln = Line(id=1, owner_id=ALICE, number=1, provider="other", label="", expiry=date(2026, 7, 1))
    assert "Other" not in carrier_names(CATALOG.get, lang)(ln)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_scam_guards_official_channels_name_the_carrier_in_the_readers_language(lang: str) -> None:
    p = CATALOG.require("cmhk")
    body, html_ = render_verdict(judge("Top up China Mobile Hong Kong here", official_domains=frozenset()), lang,
                                 providers=[p])
    assert CMHK[lang] in body and html.escape(CMHK[lang]) in html_, body
