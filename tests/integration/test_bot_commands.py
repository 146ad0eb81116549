"""The bot against a real Synapse: joining, the command set, access control, replies' shape."""
from __future__ import annotations

import asyncio
import re

import pytest

from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import BotFactory, ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser

pytestmark = pytest.mark.integration


async def test_invite_join_and_full_command_flow(alice: MatrixUser, bot: BotProcess) -> None:
    room = await open_dm(alice, bot)

    r = await ask(alice, room, "help")
    assert r.msgtype == "m.notice" and r.sender == bot.user_id
    assert "add <provider> <expiry>" in r.body and r.formatted_body and "<code>" in r.formatted_body

    r = await ask(alice, room, "add axis +30d My AXIS")
    assert re.search(r"Line 1 added: My AXIS · AXIS, expires .* \(30 days left\)", r.body), r.body
    assert "Next reminder:" in r.body

    r = await ask(alice, room, "!add xl tomorrow")  # the prefix is optional in a DM, not refused
    assert "Line 2 added" in r.body and "1 day left" in r.body

    r = await ask(alice, room, "list")
    lines = r.body.splitlines()
    assert lines[0] == "Your lines (2):"
    assert lines[1].startswith("⚠️ 2. XL - ")  # soonest first, and it stands out: 1 day left
    assert lines[2].startswith("1. My AXIS · AXIS")
    assert "<ul>" in r.formatted_body and "<table" not in r.formatted_body  # Element X strips tables
    assert '<span data-mx-color="#d1242f">' in r.formatted_body

    r = await ask(alice, room, "edit 2 label Mum's phone")
    assert "Line 2 updated: Mum's phone · XL" in r.body

    r = await ask(alice, room, "renewed 2 +30d")
    assert "Line 2, Mum's phone · XL, renewed" in r.body and "31 days left" in r.body

    r = await ask(alice, room, "renewed 2")  # extends by the previous period: 30 more days
    assert "61 days left" in r.body, r.body

    r = await ask(alice, room, "remove 1")
    assert "Removed line 1, My AXIS · AXIS," in r.body
    r = await ask(alice, room, "list")
    assert "Your lines (1):" in r.body and "My AXIS" not in r.body

    # The bot marks what it has handled as read (a read receipt on the command).
    for _ in range(50):
        receipt = alice.client.rooms[room].read_receipts.get(bot.user_id)
        if receipt is not None:
            break
        await asyncio.sleep(0.1)
    assert receipt is not None


async def test_mistakes_get_clear_replies(alice: MatrixUser, bot: BotProcess) -> None:
    room = await open_dm(alice, bot)
    cases = {
        "lsit": 'Did you mean "list"?',
        "add axis": "The expiry date is missing",
        "add axis 31/02/2026": "not a real date: that month has no such day",
        "add axis 99/99/2026": "can't read",
        "add axis 2001-01-01": "in the past",
        "remove 9": "You have no line 9",
        "remove": "Which line?",
        "timezone Mars/Olympus": "not a time zone I know",
        "time 25:00": "not a time of day",
        "remind all 7,banana": "not a list of days",
        "x" * 5000: "too long",
        "\u202e\u0000\ufffd 🙂": "I don't know the command",
    }
    for text, expected in cases.items():
        r = await ask(alice, room, text)
        assert expected in r.body, (text[:30], r.body)
        assert r.msgtype == "m.notice"


async def test_html_is_escaped(alice: MatrixUser, bot: BotProcess) -> None:
    room = await open_dm(alice, bot)
    r = await ask(alice, room, 'add axis +10d <img src=x onerror=alert(1)> & "me"')
    assert '<img src=x onerror=alert(1)> & "me"' in r.body
    assert "<img" not in r.formatted_body and "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;me&quot;" in r.formatted_body


async def test_settings_timezone_time_remind(alice: MatrixUser, bot: BotProcess) -> None:
    room = await open_dm(alice, bot)
    await ask(alice, room, "add telkomsel +20d")
    assert "Asia/Jakarta" in (await ask(alice, room, "timezone wib")).body
    assert "08:30 (Asia/Jakarta)" in (await ask(alice, room, "time 08:30")).body
    assert "5, 1" in (await ask(alice, room, "remind 1 5,1")).body
    r = await ask(alice, room, "list")
    assert "08:30" in r.body  # the next ping moved to the new time
    r = await ask(alice, room, "settings")
    assert "Time zone: Asia/Jakarta" in r.body and "Reminder time: 08:30" in r.body
    assert "day first" in r.body
    r = await ask(alice, room, "remind 1 off")
    assert "off" in r.body
    assert "next reminder: none" in (await ask(alice, room, "list")).body


async def test_users_never_see_each_other(homeserver: Homeserver, make_user: MakeUser, bot: BotProcess) -> None:
    async with (
        await MatrixUser.connect(homeserver.url, make_user("a")) as a,
        await MatrixUser.connect(homeserver.url, make_user("b")) as b,
    ):
        ra, rb = await open_dm(a, bot), await open_dm(b, bot)
        await ask(a, ra, "add axis +30d Secret line of A")
        assert "not tracking any lines" in (await ask(b, rb, "list")).body
        assert "You have no line 1" in (await ask(b, rb, "remove 1")).body
        assert "You have no line 1" in (await ask(b, rb, "edit 1 label pwned")).body
        assert "Secret line of A" in (await ask(a, ra, "list")).body


async def test_disallowed_and_uninvited_users_get_nothing(
    homeserver: Homeserver, make_user: MakeUser, bot_factory: BotFactory
) -> None:
    allowed_reg = make_user("friend")
    bot = bot_factory(access={"allowed_users": [allowed_reg.user_id]})
    async with (
        await MatrixUser.connect(homeserver.url, allowed_reg) as friend,
        await MatrixUser.connect(homeserver.url, make_user("stranger")) as stranger,
    ):
        # A disallowed user's invite is not accepted.
        room = await stranger.create_dm(bot.user_id)
        await asyncio.sleep(3)
        assert stranger.membership(room, bot.user_id) == "invite"

        # In a room the bot shares with an allowed user, a disallowed user gets no answer.
        group = await friend.create_room(invite=[bot.user_id, stranger.user_id])
        await friend.wait_for_join(group, bot.user_id)
        await stranger.join(group)
        ev = await stranger.send_text(group, "!help")
        r = await ask(friend, group, "!help")
        assert r.sender == bot.user_id
        await asyncio.sleep(1)
        assert not [m for m in friend.messages(group) if m.in_reply_to == ev]
        # Without the prefix, a group room message is not a command.
        plain = await friend.send_text(group, "help")
        await ask(friend, group, "!settings")
        assert not [m for m in friend.messages(group) if m.in_reply_to == plain]


async def test_ignores_notices_and_its_own_messages(alice: MatrixUser, bot: BotProcess) -> None:
    room = await open_dm(alice, bot)
    notice = await alice.send_text(room, "help", msgtype="m.notice")
    await ask(alice, room, "settings")
    await asyncio.sleep(1)
    assert not [m for m in alice.messages(room) if m.in_reply_to == notice]
    # Exactly one reply per command: the bot does not answer its own replies.
    replies = [m for m in alice.messages(room) if m.sender == bot.user_id]
    assert len(replies) == 1


async def test_list_is_paged_and_bounded(alice: MatrixUser, bot_factory: BotFactory) -> None:
    bot = bot_factory(limits={"lines_per_page": 5, "max_lines_per_owner": 12})
    room = await open_dm(alice, bot)
    for i in range(12):
        await ask(alice, room, f"add axis +{i + 1}d {'L' * 70}{i}")
    r = await ask(alice, room, "add axis +40d one too many")
    assert "12 lines, the most" in r.body
    r = await ask(alice, room, "list")
    assert "Page 1 of 3" in r.body and r.body.count("expires") == 5
    r3 = await ask(alice, room, "list 3")
    assert "Page 3 of 3" in r3.body and r3.body.count("expires") == 2
    assert len(r.body.encode()) + len(r.formatted_body.encode()) < 16_000
    assert "There is no page 4" in (await ask(alice, room, "list 4")).body
