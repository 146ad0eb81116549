"""Group rooms in the service: the room owns its lines, moderators manage them, members read them,
mentions must be members, ``list all`` in a DM, and the scam guard switch."""
from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Translator
from bot.service import Service
from bot.store.sqlite import Store
from tests.unit.chat import ChatBot
from tests.unit.conftest import make_config

ROOM = "!room:x"
OTHER_ROOM = "!other:x"
ALICE = "@alice:x"  # a moderator of ROOM
BOB = "@bob:x"  # a plain member of ROOM
CAROL = "@carol:x"  # a member of ROOM
EVE = "@eve:x"  # not in ROOM
MEMBERS = frozenset({ALICE, BOB, CAROL})
DMS = {ALICE: "!dm-alice:x", BOB: "!dm-bob:x", CAROL: "!dm-carol:x", EVE: "!dm-eve:x"}
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)
T = Translator("en")
NOT_ALLOWED = "Only room moderators can do that here."


class Bot(ChatBot):
    """ROOM (Alice a moderator, Bob and Carol members) and everyone's DM, at NOW."""

    def __init__(self, store: Store, svc: Service) -> None:
        super().__init__(store, svc, me=ALICE, dms=DMS, now=NOW, room=ROOM, members=MEMBERS)

    async def lines(self, owner: str | None = ROOM) -> list[Any]:
        return await super().lines(owner)


@pytest.fixture
def bot(store: Store) -> Bot:
    return Bot(store, Service(make_config()))


# --- add in a group room ---------------------------------------------------------------------


async def test_add_stores_the_line_under_the_room_mentioning_the_sender(bot: Bot) -> None:
    r = await bot.run(bot.room(ALICE), "add axis 2026-07-01 Family")
    assert r.body.startswith("Line 1 added: Family · AXIS")
    (line,) = await bot.lines(ROOM)
    assert (line.owner_id, line.number, line.mention) == (ROOM, 1, ALICE)
    assert await bot.lines(ALICE) == []  # not the sender's own line
    async with bot.store.read() as tx:
        assert await tx.pending_ping(line.id) is not None  # armed like any line


async def test_add_with_an_explicit_mention_of_a_member(bot: Bot) -> None:
    r = await bot.run(bot.room(ALICE), f"add xl 2026-07-02 Carol's phone {CAROL}")
    assert r.body.startswith("Line 1 added: Carol's phone · XL")
    (line,) = await bot.lines(ROOM)
    assert line.mention == CAROL and line.label == "Carol's phone"


async def test_add_refuses_to_mention_a_non_member(bot: Bot) -> None:
    r = await bot.run(bot.room(ALICE), f"add xl 2026-07-02 Eve {EVE}")
    assert r.body == T("error.not_a_member", user=EVE)
    assert await bot.lines(ROOM) == []
    # A sender who is somehow not among the members cannot be mentioned either.
    r = await bot.run(bot.room(EVE), "add xl 2026-07-02")
    assert r.body == T("error.not_a_member", user=EVE)
    assert await bot.lines(ROOM) == []


async def test_add_without_a_member_list_trusts_the_mention(bot: Bot) -> None:
    await bot.run(bot.room(ALICE, members=None), f"add xl 2026-07-02 {EVE}")
    (line,) = await bot.lines(ROOM)
    assert line.mention == EVE


async def test_a_dm_line_has_no_mention(bot: Bot) -> None:
    await bot.run(bot.dm(ALICE), "add axis 2026-07-01 Mine")
    (line,) = await bot.lines(ALICE)
    assert line.mention is None and line.owner_id == ALICE


# --- moderators manage, members read -----------------------------------------------------------

MANAGING_COMMANDS = [
    "add axis 2026-07-01 Mine",
    "renewed 1 +30d",
    "renewed 1 2026-12-31",
    "edit 1 label Mine",
    "edit 1 date 2026-12-31",
    "edit 1 provider xl",
    "remove 1",
    "remind 1 off",
    "remind all 3",
    "timezone UTC",
    "time 10:00",
    "language id",
    "scamguard off",
    "scamguard on",
    "scamguard",
]


@pytest.mark.parametrize("command", MANAGING_COMMANDS)
async def test_a_member_without_power_cannot_manage(bot: Bot, command: str) -> None:
    await bot.run(bot.room(ALICE), "add axis 2026-07-01 Shared")
    (before,) = await bot.lines(ROOM)
    async with bot.store.read() as tx:
        owner_before = await tx.get_owner(ROOM)
        ping_before = await tx.pending_ping(before.id)
        guard_before = await tx.scamguard_on(ROOM)
    r = await bot.run(bot.room(BOB, manage=False), command)
    assert r.body == NOT_ALLOWED
    assert await bot.lines(ROOM) == [before]  # nothing changed
    async with bot.store.read() as tx:
        assert await tx.get_owner(ROOM) == owner_before
        assert await tx.pending_ping(before.id) == ping_before
        assert await tx.scamguard_on(ROOM) == guard_before


def test_managing_commands_are_the_ones_that_change_things() -> None:
    from bot.core import commands as c

    managing = {s.type for s in c.COMMANDS if s.manages}
    assert managing == {c.Add, c.Renewed, c.Edit, c.Remove, c.Remind, c.SetTimezone, c.SetTime,
                             c.SetLanguage, c.ScamGuard, c.Calendar, c.Import, c.Digest, c.ForgetRoom}


@pytest.mark.parametrize(
    "command, expect",
    [
        ("list", "This room's lines (1):"),
        ("list all", "This room's lines (1):"),  # in a room, "all" is just this room
        ("howto", "AXIS"),
        ("howto 1", "AXIS"),
        ("howto telkomsel", "Telkomsel"),
        ("providers", "axis"),
        ("providers indonesia", "telkomsel"),
        ("settings", "Time zone: Asia/Jakarta"),
        ("help", "Commands:"),
        ("help add", "add"),
        ("check Cheap top-up 50% off, message our agent on Telegram @pulsa_cs", "scam"),
    ],
)
async def test_a_member_without_power_may_read(bot: Bot, command: str, expect: str) -> None:
    await bot.run(bot.room(ALICE), "add axis 2026-07-01 Shared")
    r = await bot.run(bot.room(BOB, manage=False), command)
    assert r.body != NOT_ALLOWED
    assert expect in r.body, r.body


async def test_a_moderator_may_manage_the_rooms_lines(bot: Bot) -> None:
    mod = bot.room(ALICE)
    await bot.run(mod, "add axis 2026-07-01 Shared")
    assert "renewed" in (await bot.run(mod, "renewed 1 +30d")).body
    assert (await bot.lines(ROOM))[0].expiry == date(2026, 7, 31)
    await bot.run(mod, "edit 1 label Family")
    await bot.run(mod, "timezone UTC")
    async with bot.store.read() as tx:
        assert (await tx.get_owner(ROOM)).timezone == "UTC"
    assert (await bot.run(mod, "remove 1")).body.startswith("Removed line 1, Family · AXIS, with")
    assert await bot.lines(ROOM) == []


async def test_room_settings_are_the_rooms_not_the_senders(bot: Bot) -> None:
    await bot.run(bot.room(ALICE), "timezone UTC")
    async with bot.store.read() as tx:
        assert (await tx.get_owner(ROOM)).timezone == "UTC"
        assert await tx.get_owner(ALICE) is None
    assert "Time zone: Asia/Jakarta" in (await bot.run(bot.dm(ALICE), "settings")).body


# --- list all in a DM ----------------------------------------------------------------------------


async def test_list_all_in_a_dm_shows_own_lines_and_the_rooms_lines_naming_the_user(bot: Bot) -> None:
    await bot.run(bot.dm(ALICE), "add axis 2026-07-01 Alice own")
    await bot.run(bot.dm(BOB), "add xl 2026-07-01 Bob secret")
    await bot.run(bot.room(ALICE), "add telkomsel 2026-07-03 Alice in room")
    await bot.run(bot.room(ALICE), f"add im3 2026-07-04 Carol in room {CAROL}")
    await bot.run(bot.room(BOB, room=OTHER_ROOM), f"add tri 2026-07-05 Alice elsewhere {ALICE}")

    r = await bot.run(bot.dm(ALICE), "list all")
    assert "Your lines (1):" in r.body and "Alice own" in r.body
    assert "Lines in group rooms that name you (2):" in r.body
    assert "Alice in room" in r.body and "Alice elsewhere" in r.body
    assert "Carol in room" not in r.body
    assert "Bob secret" not in r.body  # never another user's DM lines
    assert r.body.index("Alice own") < r.body.index("Lines in group rooms") < r.body.index("Alice in room")

    # Plain "list" in the DM is only the user's own lines.
    plain = await bot.run(bot.dm(ALICE), "list")
    assert "Alice own" in plain.body and "Alice in room" not in plain.body

    # Bob sees his DM line; no room line names him.
    r = await bot.run(bot.dm(BOB), "list all")
    assert "Bob secret" in r.body and "group rooms" not in r.body
    assert "Alice" not in r.body


async def test_list_all_in_a_dm_with_only_room_lines(bot: Bot) -> None:
    await bot.run(bot.room(ALICE), f"add im3 2026-07-04 Carol in room {CAROL}")
    r = await bot.run(bot.dm(CAROL), "list all")
    assert "Lines in group rooms that name you (1):" in r.body and "Carol in room" in r.body
    r = await bot.run(bot.dm(EVE), "list all")
    assert r.body == T("reply.list_empty")


# --- scam guard ----------------------------------------------------------------------------------


async def test_scamguard_in_a_dm_is_for_group_rooms_only(bot: Bot) -> None:
    for command in ("scamguard", "scamguard off", "scamguard on"):
        assert (await bot.run(bot.dm(ALICE), command)).body == T("error.group_only")
    async with bot.store.read() as tx:
        assert await tx.scamguard_on(DMS[ALICE])  # nothing stored for the DM room


async def test_scamguard_toggles_and_persists(bot: Bot) -> None:
    mod = bot.room(ALICE)
    assert (await bot.run(mod, "scamguard")).body == T("reply.scamguard_on")  # on by default
    assert (await bot.run(mod, "scamguard off")).body == T("reply.scamguard_off")
    async with bot.store.read() as tx:
        assert not await tx.scamguard_on(ROOM)
        assert await tx.scamguard_on(OTHER_ROOM)  # per room
    assert (await bot.run(mod, "scamguard")).body == T("reply.scamguard_off")
    assert (await bot.run(mod, "scamguard on")).body == T("reply.scamguard_on")
    async with bot.store.read() as tx:
        assert await tx.scamguard_on(ROOM)


@pytest.mark.sqlite_only
async def test_scamguard_state_survives_reopening_the_store(tmp_path: Path, bot: Bot) -> None:
    await bot.run(bot.room(ALICE), "scamguard off")
    path = tmp_path / "bot.sqlite3"
    again = await Store.open(path)
    try:
        async with again.read() as tx:
            assert not await tx.scamguard_on(ROOM)
    finally:
        await again.close()
