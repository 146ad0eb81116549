"""What one person tracks stays theirs: found by trying the bot as a user would (QA)."""
from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import aiohttp
import pytest

from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import BotFactory, ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser

pytestmark = pytest.mark.integration


async def test_a_dm_that_gains_a_third_member_is_a_group_room(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess
) -> None:
    """A DM marked ``is_direct`` by its inviter, into which a third person is invited later,
    must not show the inviter's own lines to that person (nor take theirs as private ones)."""
    async with (
        await MatrixUser.connect(homeserver.url, make_user("alice")) as alice,
        await MatrixUser.connect(homeserver.url, make_user("bob")) as bob,
    ):
        room = await open_dm(alice, bot)
        assert "Line 1 added" in (await ask(alice, room, "add axis +30d Alice private SIM")).body
        await alice.invite(room, bob.user_id)
        await bob.wait_for_invite(room_id=room)
        await bob.join(room)
        await alice.wait_for_join(room, bob.user_id)
        await asyncio.sleep(1)  # the bot's sync sees the join

        r = await ask(alice, room, "!list")
        assert "Alice private SIM" not in r.body, r.body
        r = await ask(bob, room, "!add xl +20d Bob private SIM")
        assert "Only room moderators" in r.body, r.body
        # Alice's own DM lines are still hers, in a DM of two.
        dm = await open_dm(alice, bot)
        assert "Alice private SIM" in (await ask(alice, dm, "list")).body


async def test_replies_and_reactions_to_a_ping_count_against_the_command_budget(
    alice: MatrixUser, bot_factory: BotFactory
) -> None:
    """``[limits] commands_per_minute`` held for commands only: every reply to a ping (and every
    reaction) was answered, so one user could make the bot send without limit."""
    bot = bot_factory(limits={"commands_per_minute": 4})
    room = await open_dm(alice, bot)
    due = datetime.now(UTC) + timedelta(minutes=1)
    await ask(alice, room, "add axis +1d x")
    await ask(alice, room, f"time {due:%H:%M}")
    ping = await alice.wait_for_message(room, sender=bot.user_id, msgtype="m.text", timeout=120)
    assert "Reminder" in (ping.body or "")
    await asyncio.sleep(30)  # the bucket refills: 4 tokens
    sent = [await alice.send_text(room, "thanks!", reply_to=ping.event_id) for _ in range(8)]
    await asyncio.sleep(10)
    answered = [m for m in alice.messages(room) if m.sender == bot.user_id and m.in_reply_to in sent]
    assert len(answered) <= 5, [m.body for m in answered]  # 4, and one "too fast" notice
    assert any("too fast" in (m.body or "") for m in answered), [m.body for m in answered]


async def test_own_pings_leave_a_dm_that_others_joined_for_a_new_dm(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess
) -> None:
    """A person's own pings went to the room they last used as a DM, even after a third person
    joined it: there, that person read them. Now the bot opens a new DM for them instead."""
    alice_account = make_user("alice")
    async with (
        await MatrixUser.connect(homeserver.url, alice_account) as alice,
        await MatrixUser.connect(homeserver.url, make_user("bob")) as bob,
    ):
        room = await open_dm(alice, bot)
        now = datetime.now(UTC)
        due = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        if (due - now).total_seconds() < 45:
            due += timedelta(minutes=1)
        await ask(alice, room, "timezone UTC")
        await ask(alice, room, f"time {due:%H:%M}")
        assert "Line 1 added" in (await ask(alice, room, "add axis today Alice private SIM")).body
        # Then Bob joins what was Alice's DM, before the ping is due.
        await alice.invite(room, bob.user_id)
        await bob.wait_for_invite(room_id=room)
        await bob.join(room)
        await alice.wait_for_join(room, bob.user_id)

        new_room = await alice.wait_for_invite(inviter=bot.user_id, timeout=150)
        assert new_room != room
        await alice.join(new_room)
        # The ping goes to the new room once Alice has joined it: its event is read back from
        # that room with Alice's own token.
        event_id = None
        for _ in range(120):
            with sqlite3.connect(bot.data_dir / "renewal-bot.sqlite3") as db:
                got = db.execute("SELECT event_id FROM pings WHERE status = 'sent'").fetchone()
            if got and got[0]:
                event_id = got[0]
                break
            await asyncio.sleep(1)
        assert event_id, "the ping was not sent"
        url = f"{homeserver.url}/_matrix/client/v3/rooms/{quote(new_room)}/event/{quote(event_id)}"
        async with aiohttp.ClientSession() as http, http.get(
            url, headers={"Authorization": f"Bearer {alice_account.access_token}"}
        ) as resp:
            assert resp.status == 200, await resp.text()
            assert (await resp.json())["sender"] == bot.user_id
        await asyncio.sleep(3)
        seen_by_bob = [  # pings are m.text; the earlier command replies were sent before Bob came
            m for m in bob.messages(room)
            if m.sender == bot.user_id and m.msgtype == "m.text" and "Alice private SIM" in (m.body or "")
        ]
        assert seen_by_bob == [], [m.body for m in seen_by_bob]
