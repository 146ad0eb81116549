"""Use cases end to end on a real store: replies as the user reads them, and what ends up stored."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config, parse_config
from bot.core.dates import format_date
from bot.i18n import Translator
from bot.service import Service
from bot.store.sqlite import PingRow, Store
from tests.unit.chat import ChatBot

ALICE = "@alice:example.org"
BOB = "@bob:example.org"
ALICE_DM = "!dm-alice:example.org"
BOB_DM = "!dm-bob:example.org"
GROUP = "!family:example.org"
JKT = ZoneInfo("Asia/Jakarta")
# 10:00 on 10 May 2026 in Jakarta (UTC+7, no DST).
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)
TODAY = date(2026, 5, 10)
T = Translator("en")


def d(s: str) -> str:
    """A date as the bot prints it in English."""
    return format_date(date.fromisoformat(s), "en")


def wd(s: str) -> str:
    """A date with its weekday, as reminder times are printed."""
    return format_date(date.fromisoformat(s), "en", weekday=True)


def jkt_ms(day: str, hh: int = 9, mm: int = 0, tz: ZoneInfo = JKT) -> int:
    """Unix ms of a wall-clock time (default: the 09:00 ping time in Jakarta)."""
    return int(datetime.combine(date.fromisoformat(day), time(hh, mm), tzinfo=tz).timestamp() * 1000)


def make_config(**limits: int) -> Config:
    return parse_config(
        {
            "matrix": {"homeserver": "https://hs.example.org", "user_id": "@bot:example.org", "password": "x"},
            "bot": {"default_timezone": "Asia/Jakarta", "default_time": "09:00"},
            "limits": {"max_lines_per_owner": 4, "max_label_length": 20, "max_message_length": 200, **limits},
        }
    )


class Bot(ChatBot):
    """Alice and Bob, each in their DM, at NOW."""

    def __init__(self, store: Store, svc: Service) -> None:
        super().__init__(store, svc, me=ALICE, dms={ALICE: ALICE_DM, BOB: BOB_DM}, now=NOW)

    async def pending(self, number: int, owner: str = ALICE) -> tuple[int, int] | None:
        async with self.store.read() as tx:
            line = await tx.get_line(owner, number)
            assert line is not None
            return await tx.pending_ping(line.id)


@pytest.fixture
def bot(store: Store) -> Bot:
    """The service on a real store: each test runs on SQLite and on PostgreSQL (conftest.py)."""
    return Bot(store, Service(make_config()))


# --- the whole flow ----------------------------------------------------------------------------


async def test_add_list_renew_edit_remind_remove(bot: Bot) -> None:
    # add: the reply says what was stored and when the first reminder comes.
    r = await bot.say("add axis 2026-06-30 My AXIS")
    assert r.body.startswith("Line 1 added: My AXIS · AXIS")
    assert d("2026-06-30") in r.body
    assert f"{(date(2026, 6, 30) - TODAY).days} days left" in r.body
    assert f"Next reminder: {wd('2026-06-23')} 09:00" in r.body
    one = await bot.line(1)
    assert (one.provider, one.label, one.expiry) == ("axis", "My AXIS", date(2026, 6, 30))
    assert await bot.pending(1) == (-7, jkt_ms("2026-06-23"))

    # A line added two days before expiry: the 7- and 3-day reminders are already past.
    r = await bot.say("add Telkomsel 12/05/2026 Work")
    assert r.body.startswith("Line 2 added: Work · Telkomsel")
    assert "2 days left" in r.body
    assert f"Next reminder: {wd('2026-05-11')} 09:00" in r.body
    assert (await bot.line(2)).expiry == date(2026, 5, 12)
    assert await bot.pending(2) == (-1, jkt_ms("2026-05-11"))

    # list: soonest expiry first, each with its next reminder.
    r = await bot.say("list")
    rows = r.body.split("\n")
    assert rows[0] == "Your lines (2):"
    assert rows[1].startswith(f"⚠️ 2. Work · Telkomsel - expires {d('2026-05-12')} (2 days left)")
    assert rows[1].endswith(f"{d('2026-05-11')} 09:00")
    assert rows[2].startswith(f"1. My AXIS · AXIS - expires {d('2026-06-30')}")
    assert rows[2].endswith(f"{d('2026-06-23')} 09:00")

    # renewed with a date
    r = await bot.say("renewed 1 2026-07-31")
    assert "renewed" in r.body and d("2026-06-30") in r.body and d("2026-07-31") in r.body
    assert (await bot.line(1)).expiry == date(2026, 7, 31)
    assert await bot.pending(1) == (-7, jkt_ms("2026-07-24"))

    # renewed +28d adds to the active period
    await bot.say("renewed 1 +28d")
    assert (await bot.line(1)).expiry == date(2026, 8, 28)

    # renewed without a date repeats the previous period (28 days)
    r = await bot.say("renewed 1")
    assert (await bot.line(1)).expiry == date(2026, 9, 25)
    assert d("2026-09-25") in r.body
    assert await bot.pending(1) == (-7, jkt_ms("2026-09-18"))
    async with bot.store.read() as tx:
        assert await tx.last_renewal(one.id) == (date(2026, 8, 28), date(2026, 9, 25))

    # ... but for a carrier whose renewal rules the catalog knows (Telkomsel), it explains them
    # and asks for the date (no renewal on record to propose from), changing nothing
    r = await bot.say("renewed 2")
    assert r.body.startswith("How did you renew line 2, Work · Telkomsel?")
    assert "renewed 2 <date>" in r.body
    assert (await bot.line(2)).expiry == date(2026, 5, 12)
    assert await bot.pending(2) == (-1, jkt_ms("2026-05-11"))

    # edit label, provider (stored lowercase), date (re-armed, not a renewal)
    r = await bot.say("edit 1 label Family phone")
    assert r.body.startswith("Line 1 updated: Family phone · AXIS")
    await bot.say("edit 1 provider XL")
    await bot.say("edit 1 date 2026-10-01")
    one = await bot.line(1)
    assert (one.label, one.provider, one.expiry) == ("Family phone", "xl", date(2026, 10, 1))
    assert await bot.pending(1) == (-7, jkt_ms("2026-09-24"))
    async with bot.store.read() as tx:
        assert await tx.last_renewal(one.id) == (date(2026, 8, 28), date(2026, 9, 25))

    # remind one line on its own days, then off
    r = await bot.say("remind 1 2,5")
    assert "5, 2" in r.body
    assert (await bot.line(1)).lead_days == (5, 2)
    assert await bot.pending(1) == (-5, jkt_ms("2026-09-26"))
    await bot.say("remind 1 off")
    assert (await bot.line(1)).reminders_off
    assert await bot.pending(1) is None
    assert await bot.pending(2) == (-1, jkt_ms("2026-05-11"))  # the other line is untouched

    # remind all: new default, per-line choices cleared, every line re-armed
    await bot.say("remind all 3")
    one = await bot.line(1)
    assert (one.lead_days, one.reminders_off) == (None, False)
    assert await bot.pending(1) == (-3, jkt_ms("2026-09-28"))
    # line 2's 3-day reminder (9 May) is past and 1 day is no longer wanted: 1 day after expiry.
    assert await bot.pending(2) == (1, jkt_ms("2026-05-13"))
    r = await bot.say("settings")
    assert "Reminder days before expiry: 3" in r.body

    await bot.say("remind all off")
    assert await bot.pending(1) is None and await bot.pending(2) is None
    assert "Reminder days before expiry: off" in (await bot.say("settings")).body

    # remove: the line and its pending ping go; its number is free again
    await bot.say("remind all 7,3,1,0")
    two = await bot.line(2)
    r = await bot.say("remove 2")
    assert r.body == "Removed line 2, Work · Telkomsel, with its reminders."
    assert await bot.line(2) is None
    async with bot.store.read() as tx:
        assert await tx.pending_ping(two.id) is None
    assert (await bot.say("add im3 2026-08-01")).body.startswith("Line 2 added: Indosat IM3,")
    assert await bot.count() == 2


async def test_renewed_after_expiry_counts_from_today(bot: Bot) -> None:
    await bot.say("add xl 2026-05-12")
    later = NOW + timedelta(days=10)  # the line lapsed 8 days ago
    r = await bot.say("renewed 1 +30d", now=later)
    assert (await bot.line(1)).expiry == date(2026, 5, 20) + timedelta(days=30)
    assert "30 days left" in r.body


async def test_errors_come_back_as_explanations(bot: Bot) -> None:
    assert 'I don\'t know the command "frobnicate"' in (await bot.say("frobnicate")).body
    assert "You have no line 9" in (await bot.say("renewed 9 +30d")).body
    assert "in the past" in (await bot.say("add axis 2020-01-01")).body
    assert "is not a time of day" in (await bot.say("time 25:00")).body
    assert "There is no page 2" in (await bot.say("list 2")).body
    assert await bot.count() == 0


# --- limits --------------------------------------------------------------------------------------


async def test_max_lines_per_owner_is_enforced(bot: Bot) -> None:
    for i in range(4):
        assert (await bot.say(f"add axis 2026-07-0{i + 1} n{i}")).body.startswith(f"Line {i + 1} added")
    r = await bot.say("add axis 2026-07-09 one too many")
    assert r.body == T("error.too_many_lines", max=4)
    assert await bot.count() == 4
    # The limit is per owner: Bob may still add, and Alice may after removing one.
    assert (await bot.say("add axis 2026-07-09", BOB)).body.startswith("Line 1 added")
    await bot.say("remove 3")
    assert (await bot.say("add axis 2026-07-09 again")).body.startswith("Line 3 added")


async def test_labels_over_the_limit_are_refused(bot: Bot) -> None:
    refused = T("error.label_too_long", max=20)
    assert (await bot.say("add axis 2026-07-01 " + "x" * 21)).body == refused
    assert await bot.count() == 0
    assert (await bot.say("add axis 2026-07-01 " + "x" * 20)).body.startswith("Line 1 added")
    assert (await bot.say("edit 1 label " + "y" * 21)).body == refused
    assert (await bot.line(1)).label == "x" * 20
    assert "too long" in (await bot.say("add " + "p" * 41 + " 2026-07-01")).body
    assert await bot.count() == 1


async def test_a_message_over_the_maximum_length_is_refused(bot: Bot) -> None:
    text = "add axis 2026-07-01 " + "x" * 181  # 201 characters
    r = await bot.say(text)
    assert r.body == T("error.too_long", length=201, max=200)
    assert await bot.count() == 0
    async with bot.store.read() as tx:
        assert await tx.get_owner(ALICE) is None  # nothing was touched
    # Exactly at the limit the command is read (and its long label refused on its own terms).
    assert "too long for me" not in (await bot.say(text[:200])).body


# --- owners are separate -----------------------------------------------------------------------


async def test_two_owners_never_see_each_others_lines(bot: Bot) -> None:
    await bot.say("add axis 2026-07-01 Alice secret")
    assert (await bot.say("list", BOB)).body == T("reply.list_empty")
    for cmd in ("remove 1", "renewed 1 +30d", "renewed 1", "edit 1 label mine", "remind 1 off", "edit 1 date 2026-12-01"):
        assert (await bot.say(cmd, BOB)).body == T("error.no_line", number=1), cmd
    alice = await bot.line(1)
    assert (alice.label, alice.expiry, alice.reminders_off) == ("Alice secret", date(2026, 7, 1), False)
    assert await bot.pending(1) == (-7, jkt_ms("2026-06-24"))

    await bot.say("add xl 2026-08-01 Bob's", BOB)
    await bot.say("remind all off", BOB)  # Bob's default does not touch Alice's lines
    assert await bot.pending(1) == (-7, jkt_ms("2026-06-24"))
    assert "Alice secret" in (await bot.say("list")).body
    assert "Bob" not in (await bot.say("list")).body
    assert "Alice" not in (await bot.say("list", BOB)).body


async def test_a_group_room_has_its_own_lines(bot: Bot) -> None:
    await bot.say("add axis 2026-07-01 Mine")
    r = await bot.say("add xl 2026-07-02 Shared @carol:example.org", room=GROUP)
    assert r.body.startswith("Line 1 added: Shared · XL")
    shared = await bot.line(1, GROUP)
    assert shared.mention == "@carol:example.org"
    r = await bot.say("list", room=GROUP)
    assert r.body.startswith("This room's lines (1):")
    assert "Mine" not in r.body
    assert "Shared" not in (await bot.say("list")).body


# --- time zone and time ------------------------------------------------------------------------


async def test_timezone_names_and_abbreviations(bot: Bot) -> None:
    await bot.say("add axis 2026-07-01")

    async def tz() -> str | None:
        async with bot.store.read() as tx:
            return (await tx.get_owner(ALICE)).timezone

    r = await bot.say("timezone Europe/Berlin")
    assert r.body == T("reply.timezone", tz="Europe/Berlin", time="09:00")
    assert await tz() == "Europe/Berlin"
    assert await bot.pending(1) == (-7, jkt_ms("2026-06-24", tz=ZoneInfo("Europe/Berlin")))

    r = await bot.say("timezone asia/jakarta")
    assert "Asia/Jakarta" in r.body and await tz() == "Asia/Jakarta"
    assert await bot.pending(1) == (-7, jkt_ms("2026-06-24"))

    await bot.say("timezone Europe/Berlin")
    await bot.say("timezone WIB")
    assert await tz() == "Asia/Jakarta"

    r = await bot.say("timezone Mars/Base")
    assert r.body == T("error.bad_timezone", value="Mars/Base")
    assert await tz() == "Asia/Jakarta"
    # The server's own zone is not a zone a user lives in.
    for name in ("localtime", "Factory", "../etc/passwd", ""):
        assert bot.svc.resolve_timezone(name) is None, name
    assert bot.svc.resolve_timezone("utc") == "UTC"
    assert bot.svc.resolve_timezone("MYT") == "Asia/Kuala_Lumpur"
    assert bot.svc.resolve_timezone("america/NEW_york") == "America/New_York"


async def test_time_rearms_pings_at_the_new_time(bot: Bot) -> None:
    await bot.say("add axis 2026-07-01")
    await bot.say("add xl 2026-05-12")
    r = await bot.say("time 08:30")
    assert r.body == T("reply.time", time="08:30", tz="Asia/Jakarta")
    assert await bot.pending(1) == (-7, jkt_ms("2026-06-24", 8, 30))
    assert await bot.pending(2) == (-1, jkt_ms("2026-05-11", 8, 30))
    assert "Reminder time: 08:30" in (await bot.say("settings")).body
    await bot.say("time 9pm")
    assert await bot.pending(1) == (-7, jkt_ms("2026-06-24", 21, 0))


async def test_settings_show_the_defaults(bot: Bot) -> None:
    await bot.say("add axis 2026-07-01")
    body = (await bot.say("settings")).body
    for part in ("Time zone: Asia/Jakarta", "Reminder time: 09:00", "Reminder days before expiry: 7, 3, 1, 0",
                 "1, 3, 7 days after", "Lines: 1 of 4"):
        assert part in body


# --- pings -------------------------------------------------------------------------------------


async def _the_pending_row(bot: Bot) -> PingRow:
    async with bot.store.read() as tx:
        (row,) = await tx.due_pings(2**62)
    return row


async def test_ping_message_uses_the_current_figures(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 My AXIS")
    row = await _the_pending_row(bot)
    assert (row.offset, row.due) == (-7, jkt_ms("2026-06-23"))
    due = datetime.fromtimestamp(row.due / 1000, UTC)
    async with bot.store.read() as tx:
        msg = await bot.svc.ping_message(tx, row, due)
    assert msg is not None
    assert msg.room_id == ALICE_DM
    assert "line 1, My AXIS · AXIS," in msg.reply.body
    assert d("2026-06-30") in msg.reply.body
    assert "7 days left" in msg.reply.body
    assert "renewed 1" in msg.reply.body
    # Sent late (the bot was down): the text says how things stand now, not when it was planned.
    async with bot.store.read() as tx:
        late = await bot.svc.ping_message(tx, row, due + timedelta(days=5))
    assert "2 days left" in late.reply.body


async def test_ping_message_is_none_for_a_renewed_or_removed_line(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30")
    row = await _the_pending_row(bot)
    await bot.say("renewed 1 2026-07-30")  # the old row's expiry no longer holds
    async with bot.store.read() as tx:
        assert await bot.svc.ping_message(tx, row, NOW) is None
    row = await _the_pending_row(bot)
    await bot.say("remove 1")
    async with bot.store.read() as tx:
        assert await bot.svc.ping_message(tx, row, NOW) is None


async def test_a_group_lines_ping_goes_to_the_room(bot: Bot) -> None:
    await bot.say("add xl 2026-07-02 Shared", room=GROUP)
    row = await _the_pending_row(bot)
    async with bot.store.read() as tx:
        msg = await bot.svc.ping_message(tx, row, NOW)
    assert msg is not None and msg.room_id == GROUP


@pytest.mark.parametrize(("lang", "words"), [("en", "no such day"), ("id", "tidak punya tanggal"),
                                             ("ms", "tiada hari"), ("zh-Hans", "没有这一天"), ("zh-Hant", "沒有這一天")])
async def test_add_with_a_day_the_month_lacks_says_so_and_stores_nothing(bot: Bot, lang: str, words: str) -> None:
    await bot.say(f"language {lang}")
    r = await bot.say(f"add dito 29/02/{TODAY.year + 1 if (TODAY.year + 1) % 4 else TODAY.year + 2} Work")
    assert words in r.body, r.body
    assert "29/02/" in r.body
    assert "Work" not in (await bot.say("list")).body
