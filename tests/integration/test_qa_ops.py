"""The bot as a new operator starts it (QA): before the homeserver is up."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.dev.server import Homeserver, free_port
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
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
