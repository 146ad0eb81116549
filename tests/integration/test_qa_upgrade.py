"""A DM upgraded to a new room version (Element's /upgraderoom, or a server admin's upgrade): the
person's own pings follow it. Element hides the old, tombstoned room, so a ping sent there is lost
to the user."""
from __future__ import annotations

import asyncio

import pytest

from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser
from tests.integration.test_bot_pings import coming_minute, wait_until

pytestmark = pytest.mark.integration


async def test_pings_follow_an_upgraded_dm(homeserver: Homeserver, make_user: MakeUser, bot: BotProcess) -> None:
    async with await MatrixUser.connect(homeserver.url, make_user("upgrader")) as alice:
        old = await open_dm(alice, bot)
        due = coming_minute(margin_s=40)
        await ask(alice, old, "timezone UTC")
        await ask(alice, old, f"time {due.strftime('%H:%M')}")
        assert "Line 1 added" in (await ask(alice, old, "add axis today Upgraded")).body
        new = homeserver.request(
            "POST", f"/_matrix/client/v3/rooms/{old}/upgrade", {"new_version": "12"},
            token=alice.client.access_token,
        )["replacement_room"]
        await alice.invite(new, bot.user_id)  # as Element does for a private room
        await alice.wait_for_join(new, bot.user_id, timeout=30)
        await asyncio.sleep(1)
        await wait_until(due)
        try:
            ping = await alice.wait_for_message(new, sender=bot.user_id, msgtype="m.text", timeout=30)
        except TimeoutError:
            raise AssertionError(bot.log_text()[-4000:]) from None
        assert "Upgraded" in ping.body
        assert not [m for m in alice.messages(old) if m.sender == bot.user_id and m.msgtype == "m.text"]
