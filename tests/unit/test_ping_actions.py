"""Acting on a sent ping: reactions (✅ renewed, 💤 snooze) and replies with a date, on a real store."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.render import Reply
from bot.core.schedule import txn_id
from bot.i18n import Translator
from bot.service import Context, Service, ms, reaction_action
from bot.store.sqlite import PingRow, Store
from tests.unit.chat import ChatBot
from tests.unit.conftest import make_config

ALICE = "@alice:x"
BOB = "@bob:x"
ALICE_DM = "!dm-alice:x"
BOB_DM = "!dm-bob:x"
ROOM = "!room:x"
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
T = Translator("en")


# --- reaction keys -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["✅", "✔️", "✔", "👍", "☑️", "☑", " ✅ ", "✅\ufe0f", "👍\ufe0f"])
def test_renewed_keys(key: str) -> None:
    assert reaction_action(key) == "renewed"


@pytest.mark.parametrize("key", ["💤", "😴", "⏰", "⏰\ufe0f", "💤\ufe0f"])
def test_snooze_keys(key: str) -> None:
    assert reaction_action(key) == "snooze"


@pytest.mark.parametrize("key", ["🎉", "❤️", "👎", "❌", "", "\ufe0f", "ok", "✅✅", "👍🏽"])
def test_other_keys_do_nothing(key: str) -> None:
    assert reaction_action(key) is None


# --- a store with a line and its sent ping ---------------------------------------------------------


class Bot(ChatBot):
    """Alice and Bob in their DMs (and a room they both joined), at NOW, with a line's ping sent."""

    def __init__(self, store: Store, svc: Service) -> None:
        super().__init__(store, svc, me=ALICE, dms={ALICE: ALICE_DM, BOB: BOB_DM}, now=NOW, room=ROOM,
                         members=frozenset({ALICE, BOB}))

    async def say(self, text: str, ctx: Context | None = None) -> Reply:  # type: ignore[override]
        return await self.run(ctx or self.ctx(), text)

    async def send_pending(self, owner: str = ALICE, number: int = 1, event_id: str = "$ping1") -> PingRow:
        """Mark the line's pending ping as sent (as the outbox does) and return it as stored."""
        async with self.store.tx() as tx:
            line = await tx.get_line(owner, number)
            rows = [r for r in await tx.due_pings(2**62) if r.line_id == line.id]
            row = min(rows, key=lambda r: r.due)
            await tx.mark_ping_sent(row.id, event_id, row.due)
            sent = await tx.ping_by_event(event_id)
            owner_settings = await self.svc.owner(tx, owner)
            await self.svc.arm(tx, line, owner_settings, datetime.fromtimestamp(row.due / 1000, UTC),
                               keep_snoozed=True)
        assert sent is not None
        return sent

    async def react(self, row: PingRow, key: str, ctx: Context | None = None) -> Reply | None:
        async with self.store.tx() as tx:
            return await self.svc.react(tx, ctx or self.ctx(), row, key)

    async def reply(self, row: PingRow, text: str, ctx: Context | None = None) -> Reply | None:
        async with self.store.tx() as tx:
            return await self.svc.reply_to_ping(tx, ctx or self.ctx(), row, text)

    async def line(self, owner: str = ALICE, number: int = 1):  # type: ignore[override]
        async with self.store.read() as tx:
            return await tx.get_line(owner, number)

    async def pending(self, line_id: int) -> list[tuple]:
        async with self.store.read() as tx:
            rows = await tx._all(
                'SELECT expiry, "offset", snooze, due, not_before FROM pings '
                "WHERE line_id = ? AND status = 'pending' ORDER BY due",
                (line_id,),
            )
        return [tuple(r) for r in rows]


@pytest.fixture
def bot(store: Store) -> Bot:
    return Bot(store, Service(make_config()))


# --- ping_by_event ---------------------------------------------------------------------------------


async def test_ping_by_event_finds_the_ping_marked_sent_with_that_event(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    line = await bot.line()
    async with bot.store.read() as tx:
        (row,) = await tx.due_pings(2**62)
        assert await tx.ping_by_event("$ping1") is None  # not sent yet
    sent = await bot.send_pending()
    assert (sent.id, sent.line_id, sent.expiry, sent.offset, sent.snooze) == (row.id, line.id, date(2026, 6, 30), -7, 0)
    async with bot.store.read() as tx:
        assert await tx.ping_by_event("$other") is None


# --- ✅ ----------------------------------------------------------------------------------------------


async def test_renewed_reaction_without_history_asks_for_the_date(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    row = await bot.send_pending()
    r = await bot.react(row, "✅")
    assert r is not None and r.body == T("reply.renewed_ask", number=1, name="Mine · AXIS")
    assert (await bot.line()).expiry == date(2026, 6, 30)  # nothing changed


async def test_renewed_reaction_with_history_extends_by_the_previous_period(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    await bot.say("renewed 1 2026-07-30")  # a 30-day period on record
    row = await bot.send_pending()
    assert row.expiry == date(2026, 7, 30)
    r = await bot.react(row, "👍")
    assert r is not None and "renewed" in r.body
    line = await bot.line()
    assert line.expiry == date(2026, 8, 29)
    async with bot.store.read() as tx:
        assert await tx.last_renewal(line.id) == (date(2026, 7, 30), date(2026, 8, 29))


async def test_a_renewed_reaction_on_an_out_of_date_ping_does_not_renew_again(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    await bot.say("renewed 1 2026-07-30")
    row = await bot.send_pending()
    await bot.say("renewed 1 +30d")  # renewed by command after the ping went out
    assert (await bot.line()).expiry == date(2026, 8, 29)
    assert await bot.react(row, "✅") is None  # the ping is about an expiry that no longer holds
    assert (await bot.line()).expiry == date(2026, 8, 29)


async def test_a_snooze_on_an_out_of_date_ping_is_ignored(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    line = await bot.line()
    row = await bot.send_pending()
    await bot.say("edit 1 date 2026-07-15")  # the ping's expiry no longer holds
    assert await bot.react(row, "💤") is None  # it would never be sent: do not promise it
    assert all(x[2] == 0 for x in await bot.pending(line.id))


# --- 💤 ----------------------------------------------------------------------------------------------


async def test_snooze_adds_a_ping_due_a_day_later_and_keeps_the_regular_one(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    line = await bot.line()
    row = await bot.send_pending()  # the 7-day ping went out; the 3-day one is armed
    regular = await bot.pending(line.id)
    assert [(r[1], r[2]) for r in regular] == [(-3, 0)]

    at = datetime.fromtimestamp(row.due / 1000, UTC) + timedelta(minutes=5)
    r = await bot.react(row, "💤", bot.ctx(now=at))
    assert r is not None and r.body.startswith("Snoozed: I will remind you about line 1, Mine · AXIS, again on")
    assert r.body.rstrip(".").endswith("09:05")  # 24 h later, in the owner's zone
    rows = await bot.pending(line.id)
    snoozed = [x for x in rows if x[2] > 0]
    assert [x for x in rows if x[2] == 0] == regular  # the regular next ping stays
    assert snoozed == [("2026-06-30", -7, 1, ms(at + timedelta(days=1)), ms(at + timedelta(days=1)))]


async def test_a_second_snooze_replaces_the_first(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    line = await bot.line()
    row = await bot.send_pending()
    at = datetime.fromtimestamp(row.due / 1000, UTC)
    await bot.react(row, "💤", bot.ctx(now=at))
    later = at + timedelta(hours=2)
    await bot.react(row, "😴", bot.ctx(now=later))
    snoozed = [x for x in await bot.pending(line.id) if x[2] > 0]
    assert snoozed == [("2026-06-30", -7, 2, ms(later + timedelta(days=1)), ms(later + timedelta(days=1)))]
    # Each snooze is a message of its own: its transaction ID differs from the original's.
    ids = {txn_id(line.id, row.expiry, row.offset, s) for s in (0, 1, 2)}
    assert len(ids) == 3
    assert txn_id(line.id, row.expiry, row.offset, 0) == txn_id(line.id, row.expiry, row.offset)


async def test_snoozing_the_snoozed_ping_counts_on(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    line = await bot.line()
    row = await bot.send_pending()
    at = datetime.fromtimestamp(row.due / 1000, UTC)
    await bot.react(row, "⏰", bot.ctx(now=at))
    async with bot.store.tx() as tx:
        (snoozed,) = [r for r in await tx.due_pings(2**62) if r.snooze]
        await tx.mark_ping_sent(snoozed.id, "$snoozed", snoozed.due)
        again = await tx.ping_by_event("$snoozed")
    assert again.snooze == 1
    await bot.react(again, "💤", bot.ctx(now=at + timedelta(days=1)))
    assert [x[2] for x in await bot.pending(line.id) if x[2] > 0] == [2]


async def test_snooze_survives_the_next_regular_arm_but_not_a_line_change(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    line = await bot.line()
    row = await bot.send_pending()
    at = datetime.fromtimestamp(row.due / 1000, UTC)
    await bot.react(row, "💤", bot.ctx(now=at))
    async with bot.store.tx() as tx:
        owner = await bot.svc.owner(tx, ALICE)
        # Another regular ping goes out: the outbox re-arms with keep_snoozed=True.
        await bot.svc.arm(tx, line, owner, at + timedelta(hours=1), keep_snoozed=True)
    assert sorted(x[2] for x in await bot.pending(line.id)) == [0, 1]
    async with bot.store.tx() as tx:
        await bot.svc.arm(tx, line, owner, at + timedelta(hours=1))  # any change to the line
    assert [x[2] for x in await bot.pending(line.id)] == [0]


async def test_a_command_that_changes_the_line_drops_the_snooze(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    line = await bot.line()
    row = await bot.send_pending()
    at = datetime.fromtimestamp(row.due / 1000, UTC)
    await bot.react(row, "💤", bot.ctx(now=at))
    await bot.say("edit 1 label Renamed", bot.ctx(now=at))
    assert all(x[2] == 0 for x in await bot.pending(line.id))


# --- who may act on a ping ---------------------------------------------------------------------------


async def test_another_users_ping_is_ignored(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    line = await bot.line()
    row = await bot.send_pending()
    for key in ("✅", "💤"):
        assert await bot.react(row, key, bot.ctx(BOB)) is None
    assert await bot.reply(row, "31/12/2026", bot.ctx(BOB)) is None
    assert (await bot.line()).expiry == date(2026, 6, 30)
    assert all(x[2] == 0 for x in await bot.pending(line.id))
    # A group room's context is not Alice's DM either.
    assert await bot.react(row, "✅", bot.ctx(ALICE, room=ROOM)) is None


async def test_other_reactions_are_ignored(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    row = await bot.send_pending()
    assert await bot.react(row, "🎉") is None


async def test_a_ping_of_a_removed_line_is_ignored(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    row = await bot.send_pending()
    await bot.say("remove 1")
    assert await bot.react(row, "✅") is None
    assert await bot.reply(row, "31/12/2026") is None


async def test_in_a_group_room_only_moderators_act_on_a_ping(bot: Bot) -> None:
    mod = bot.ctx(ALICE, room=ROOM)
    await bot.say("add axis 2026-06-30 Shared", mod)
    row = await bot.send_pending(owner=ROOM)
    r = await bot.react(row, "💤", bot.ctx(BOB, room=ROOM, manage=False))
    assert r is not None and r.body == T("error.not_allowed")
    line = await bot.line(ROOM)
    assert all(x[2] == 0 for x in await bot.pending(line.id))
    r = await bot.reply(row, "31/12/2026", bot.ctx(BOB, room=ROOM, manage=False))
    assert r is not None and r.body == T("error.not_allowed")
    assert (await bot.line(ROOM)).expiry == date(2026, 6, 30)
    r = await bot.react(row, "✅", mod)
    assert r is not None and r.body.startswith("When does line 1")


# --- replies to a ping -------------------------------------------------------------------------------


async def test_a_reply_with_a_date_renews_to_that_date(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    row = await bot.send_pending()
    r = await bot.reply(row, "  31/12/2026\n")
    assert r is not None and r.body.startswith("Line 1, Mine · AXIS, renewed")
    assert (await bot.line()).expiry == date(2026, 12, 31)
    async with bot.store.read() as tx:
        assert await tx.last_renewal(row.line_id) == (date(2026, 6, 30), date(2026, 12, 31))


async def test_a_reply_with_plus_days_extends(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    row = await bot.send_pending()
    await bot.reply(row, "+30d")
    assert (await bot.line()).expiry == date(2026, 7, 30)


async def test_a_reply_that_is_not_a_date_explains(bot: Bot) -> None:
    await bot.say("add axis 2026-06-30 Mine")
    row = await bot.send_pending()
    r = await bot.reply(row, "blorp")
    assert r is not None and r.body == T("error.date_bad", value="blorp")
    assert (await bot.line()).expiry == date(2026, 6, 30)
