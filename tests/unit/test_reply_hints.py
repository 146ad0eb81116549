"""Replies that read right: hints carry the prefix the bot needs where it answers, counted things
take their plural form, ``list all`` forgets rooms the user left, a bare ``digest`` only asks, and
a bad date is quoted whole."""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.render import Reply
from bot.i18n import Translator
from bot.service import Context, Service
from bot.store.sqlite import Store
from tests.unit.conftest import make_config

ALICE = "@alice:x"
BOB = "@bob:x"
ROOM = "!room:x"
OTHER = "!other:x"
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
LANGS = ("en", "id", "ms", "zh-Hans", "zh-Hant")


class Bot:
    def __init__(self, store: Store, svc: Service) -> None:
        self.store, self.svc = store, svc
        self.joined: dict[str, set[str]] = {ROOM: {ALICE, BOB}, OTHER: {ALICE, BOB}}

    def dm(self, who: str = ALICE) -> Context:
        return Context(sender=who, room_id=f"!dm-{who}", owner_id=who, is_dm=True, now=NOW,
                       in_room=lambda room: who in self.joined.get(room, set()))

    def room(self, who: str = ALICE, room: str = ROOM) -> Context:
        return Context(sender=who, room_id=room, owner_id=room, is_dm=False, now=NOW,
                       members=frozenset(self.joined[room]))

    async def run(self, ctx: Context, said: str) -> Reply:
        async with self.store.tx() as tx:
            reply = await self.svc.handle(tx, ctx, said)
        assert "{" not in reply.body, reply.body
        return reply


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        yield Bot(store, Service(make_config(command_prefix="!")))
    finally:
        await store.close()


# --- the prefix in hints ---------------------------------------------------------------------


async def test_hints_carry_the_prefix_in_a_room_and_none_in_a_dm(bot: Bot) -> None:
    room = await bot.run(bot.room(), "renewed 7")
    assert room.body == Translator("en")("error.no_line", number=7, prefix="!")
    assert 'Send "!list" to see your lines.' in room.body
    dm = await bot.run(bot.dm(), "renewed 7")
    assert 'Send "list" to see your lines.' in dm.body

    await bot.run(bot.room(), "add other 2026-12-20")
    ask = await bot.run(bot.room(), "renewed 1")
    assert "Send for example: !renewed 1 2026-12-31, or !renewed 1 +30d" in ask.body, ask.body
    await bot.run(bot.dm(), "add other 2026-12-20")
    ask = await bot.run(bot.dm(), "renewed 1")
    assert "Send for example: renewed 1 2026-12-31, or renewed 1 +30d" in ask.body, ask.body


async def test_a_word_prefix_is_followed_by_a_space(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        bot = Bot(store, Service(make_config(command_prefix="rb")))
        assert 'Send "rb list" to see' in (await bot.run(bot.room(), "remove 3")).body
    finally:
        await store.close()


async def test_errors_from_the_parser_carry_the_prefix_too(bot: Bot) -> None:
    assert "Example: !add axis 2026-12-31" in (await bot.run(bot.room(), "add axis")).body
    assert "Example: add axis 2026-12-31" in (await bot.run(bot.dm(), "add axis")).body
    assert 'Send "!providers" for the list' in (await bot.run(bot.room(), "add nosuchcarrierzz 2026-12-20")).body


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_puts_the_prefix_before_the_command(lang: str) -> None:
    t = Translator(lang)
    assert "!list" in t("error.no_line", number=2, prefix="!")
    assert "!renewed 2" in t("reply.renewed_ask", number=2, name="x", prefix="!")
    assert "{" not in t("reply.renewed_ask", number=2, name="x", prefix="")


# --- plural forms -------------------------------------------------------------------------


async def test_no_reply_says_1_lines(bot: Bot) -> None:
    await bot.run(bot.dm(), "add other 2026-12-20")
    async with bot.store.tx() as tx:
        counts = await tx.forget_user(ALICE)
    from bot.service.data.forget import deleted_text

    said = deleted_text(Translator("en"), counts)
    assert "1 line," in said and "1 lines" not in said, said
    assert "0 offers" in said
    svc = Service(make_config(command_prefix="!"))
    t = Translator("en")
    assert t("error.too_many_lines", max=1, n=1).startswith("You already track 1 line,")
    assert t("reply.import_preview", added=1, n=1, updated=0, unchanged=2) == (
        "Import preview: 1 new line, 0 changed, 2 unchanged.")
    assert t("reply.imported", added=2, n=2, updated=1) == "Imported: 2 lines added, 1 changed."
    assert svc.prefix_hint(True) == ""


async def test_remind_one_day_is_singular(bot: Bot) -> None:
    await bot.run(bot.dm(), "add other 2026-12-20")
    assert (await bot.run(bot.dm(), "remind 1 1")).body == "Line 1 will be reminded 1 day before expiry."
    assert (await bot.run(bot.dm(), "remind 1 7,3,1")).body == "Line 1 will be reminded 7, 3, 1 days before expiry."


async def test_forget_me_counts_in_the_readers_plural_forms(bot: Bot) -> None:
    await bot.run(bot.dm(), "add other 2026-12-20")
    await bot.run(bot.dm(), "forget me")
    done = await bot.run(bot.dm(), "yes")
    assert done.body.startswith("Done: I deleted everything I stored about you: 1 line, "), done.body
    assert "1 lines" not in done.body


# --- list all after leaving a room ---------------------------------------------------------


async def test_list_all_leaves_out_rooms_the_user_left(bot: Bot) -> None:
    await bot.run(bot.room(ALICE, ROOM), f"add other 2026-12-20 Stay {BOB}")
    await bot.run(bot.room(ALICE, OTHER), f"add other 2026-12-21 Gone {BOB}")
    r = await bot.run(bot.dm(BOB), "list all")
    assert "Stay" in r.body and "Gone" in r.body
    bot.joined[OTHER].discard(BOB)  # Bob leaves the other room
    r = await bot.run(bot.dm(BOB), "list all")
    assert "Stay" in r.body and "Gone" not in r.body, r.body
    assert "(1)" in r.body
    bot.joined[ROOM].discard(BOB)
    r = await bot.run(bot.dm(BOB), "list all")
    assert "Stay" not in r.body and "group rooms" not in r.body


# --- a bare digest ---------------------------------------------------------------------------


async def test_bare_digest_says_how_it_is_and_changes_nothing(bot: Bot) -> None:
    off = await bot.run(bot.dm(), "digest")
    assert off.body.startswith("Daily digest is off"), off.body
    assert off.body.endswith("digest daily")
    await bot.run(bot.dm(), "digest daily")
    on = await bot.run(bot.dm(), "digest")
    assert on.body.startswith("Daily digest is on"), on.body
    assert on.body.endswith(": digest off")
    assert (await bot.run(bot.dm(), "digest")).body == on.body  # still on: asking changed nothing
    in_room = await bot.run(bot.room(), "digest")
    assert in_room.body.endswith("!digest daily"), in_room.body


# --- a bad date is quoted whole ---------------------------------------------------------------


@pytest.mark.parametrize(("said", "quoted"), [
    ("add axis 31 Feb", '"31 Feb"'),
    ("add axis 31 Feb Work phone", '"31 Feb"'),
    ("add axis 30 Febuary", '"30 Febuary"'),
    ("add axis 31 Feb 2027 Work", '"31 Feb 2027"'),
    ("add axis 2027-02-31 Work", '"2027-02-31"'),
])
async def test_an_impossible_date_is_quoted_as_written(bot: Bot, said: str, quoted: str) -> None:
    r = await bot.run(bot.dm(), said)
    if "Febuary" in said:  # a misspelt month: not read at all
        assert r.body.startswith(f"I can't read {quoted} as a date."), r.body
    else:  # read, but the month has no such day: said so (QA), still quoting what was typed
        assert r.body.startswith(f"{quoted} is not a real date: that month has no such day."), r.body


@pytest.mark.parametrize(("said", "expect"), [
    # A date with its year that is past is refused, not read as the same day next year with the
    # year moved into the label ("2026 Work").
    ("add axis 1 Dec 2026 Work", "1 Dec 2026 is in the past."),
    ("add axis 1 Desember 2026", "1 Desember 2026 sudah lewat."),  # answered in Indonesian
    ("add axis 1 Dec 9999 Work", "1 Dec 9999 is more than two years ahead."),
])
async def test_a_refused_date_with_its_year_is_not_read_without_it(bot: Bot, said: str, expect: str) -> None:
    r = await bot.run(bot.dm(), said)
    assert r.body.startswith(expect), r.body
    async with bot.store.read() as tx:
        assert await tx.count_lines(ALICE) == 0


async def test_a_number_after_a_yearless_date_is_still_the_label(bot: Bot) -> None:
    r = await bot.run(bot.dm(), "add axis 30 Dec 12 x")
    assert r.body.startswith("Line 1 added: 12 x · AXIS"), r.body
