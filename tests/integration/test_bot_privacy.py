"""What one person tracks stays theirs: found by trying the bot as a user would (QA)."""
from __future__ import annotations

import asyncio

import pytest

from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
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
