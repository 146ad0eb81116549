"""The bot as a new operator starts it (QA): before the homeserver is up."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.dev.server import Homeserver, free_port
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import BotFactory, ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser

pytestmark = pytest.mark.integration


async def test_a_bot_started_before_its_homeserver_waits_and_then_works(tmp_path: Path) -> None:
    """At boot the bot may start before Synapse (or DNS): its first login found nobody and it exited
    3, "refused login", which the systemd unit does not restart. Now it waits, logs in once the
    homeserver answers, and works."""
    hs = Homeserver(tmp_path / "hs", ratelimits=False, port=free_port())
    hs.start()
    bot_user = hs.register("bot-early")
    alice_user = hs.register("alice-early")
    hs.stop()
    bot = BotProcess(hs, bot_user, tmp_path / "bot")
    try:
        bot.start(wait_ready=False)
        bot.wait_for_log("trying again in", timeout=60)
        bot.wait_for_log("trying again in 2s", timeout=60)
        assert bot.exited() is None, bot.log_tail()
        hs.start()
        bot.wait_ready(timeout=120)
        async with await MatrixUser.connect(hs.url, alice_user) as alice:
            room = await open_dm(alice, bot)
            reply = await ask(alice, room, "add axis +30d Boot")
            assert "Line 1 added" in reply.body, reply.body
        assert bot.log_text().count("logged in as") == 1
    finally:
        bot.stop()
        hs.stop()


async def test_a_group_command_addressed_by_a_mention_pill(homeserver: Homeserver, make_user: MakeUser,
                                                           bot: BotProcess) -> None:
    """Element users in a group room pick the bot from the member list: the message is a pill,
    "<name>: list", with the bot in m.mentions, and no "!". It was ignored."""
    from tests.integration.test_bot_rooms import group

    async with await MatrixUser.connect(homeserver.url, make_user("pill_mod")) as alice:
        room = await group(alice, bot)
        local = bot.user_id.split(":", 1)[0].lstrip("@")
        for shown in (local, bot.user_id):
            event = await alice.send(room, {
                "msgtype": "m.text",
                "body": f"{shown}: list",
                "format": "org.matrix.custom.html",
                "formatted_body": f'<a href="https://matrix.to/#/{bot.user_id}">{shown}</a>: list',
                "m.mentions": {"user_ids": [bot.user_id]},
            })
            reply = await alice.wait_for_reply(room, event, timeout=20)
            assert "This room tracks no lines yet" in reply.body, reply.body
        # Chatter that starts with the bot's name but mentions nobody stays chatter.
        quiet = await alice.send_text(room, f"{local}: list")
        await asyncio.sleep(3)
        assert quiet not in {m.in_reply_to for m in alice.messages(room) if m.sender == bot.user_id}


async def test_a_ping_answered_with_the_renewed_word_and_a_date(homeserver: Homeserver, make_user: MakeUser,
                                                                bot_factory: BotFactory) -> None:
    """Replying "已续费 2027年3月1日" (the command word, no line number) or "sudah, sampai 1 Maret
    2027" to a ping: the first was read as the command and refused ("which line?"), the second
    as "'sudah,' is not a date". The ping names the line; the words around the date are fine."""
    from datetime import UTC, datetime

    from tests.integration.test_bot_pings import coming_minute

    bot = bot_factory(bot={"group_pings": False})  # one ping per line
    async with await MatrixUser.connect(homeserver.url, make_user("ping_answer")) as alice:
        room = await open_dm(alice, bot)
        due = coming_minute(15)
        await ask(alice, room, "timezone UTC")
        await ask(alice, room, f"time {due.strftime('%H:%M')}")
        await ask(alice, room, "add csl today Mum")
        await ask(alice, room, "add telkomsel today Work")
        wait = (due - datetime.now(UTC)).total_seconds() + 40
        pings = [await alice.wait_for_message(room, sender=bot.user_id, msgtype="m.text", timeout=wait)
                 for _ in range(2)]
        by_line = {("Mum" if "Mum" in p.body else "Work"): p for p in pings}
        answer = await alice.send_text(room, "已续费 2027年3月1日", reply_to=by_line["Mum"].event_id)
        assert "2027" in (await alice.wait_for_reply(room, answer, timeout=20)).body
        answer = await alice.send_text(room, "sudah, sampai 1 Maret 2027", reply_to=by_line["Work"].event_id)
        assert "2027" in (await alice.wait_for_reply(room, answer, timeout=20)).body
        listed = (await ask(alice, room, "list")).body
        assert "2026" not in listed and "(2)" in listed, listed  # both lines moved to 2027
