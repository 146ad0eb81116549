"""Group rooms: lines belong to the room, power levels decide, the scam guard, upgrades, leaving."""
from __future__ import annotations

import asyncio

import pytest

from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser

pytestmark = pytest.mark.integration


async def group(owner: MatrixUser, bot: BotProcess, *others: MatrixUser) -> str:
    room = await owner.create_room(invite=[bot.user_id, *(o.user_id for o in others)])
    await owner.wait_for_join(room, bot.user_id)
    for other in others:
        await other.join(room)
        await owner.wait_for_join(room, other.user_id)
    return room


async def set_power(owner: MatrixUser, room: str, user_id: str, level: int) -> None:
    resp = await owner.client.room_get_state_event(room, "m.room.power_levels")
    content = dict(resp.content)
    content["users"] = {**content.get("users", {}), user_id: level}
    await owner.client.room_put_state(room, "m.room.power_levels", content)


async def test_room_lines_power_levels_and_mentions(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess
) -> None:
    async with (
        await MatrixUser.connect(homeserver.url, make_user("creator")) as alice,
        await MatrixUser.connect(homeserver.url, make_user("member")) as bob,
        await MatrixUser.connect(homeserver.url, make_user("outsider")) as carol,
    ):
        room = await group(alice, bot, bob)
        version = homeserver.request("GET", f"/_matrix/client/v3/rooms/{room}/state/m.room.create",
                                     token=alice.client.access_token)
        # The room's creator (room v12: not in power_levels.users, outranks everyone) manages lines.
        r = await ask(alice, room, f"!add axis +30d Mum's phone {bob.user_id}")
        assert "Line 1 added: Mum's phone · AXIS" in r.body, (version, r.body)
        r = await ask(alice, room, f"!add xl +10d {carol.user_id}")
        assert "not a member of this room" in r.body

        # A normal member may list and read howto, not change the room's lines.
        assert "This room's lines (1):" in (await ask(bob, room, "!list")).body
        assert "AXISnet" in (await ask(bob, room, "!howto 1")).body
        for cmd in ("!remove 1", "!edit 1 label mine now", "!add xl +3d", "!renewed 1 +30d"):
            assert "Only room moderators can do that here." in (await ask(bob, room, cmd)).body, cmd
        assert "This room's lines (1):" in (await ask(alice, room, "!list")).body

        # Made a moderator, the member may.
        await set_power(alice, room, bob.user_id, 50)
        await asyncio.sleep(1)
        assert "Line 1 updated: Mum's phone · Telkomsel" in (await ask(bob, room, "!edit 1 provider tsel")).body

        # In a DM, the member's own lines stay apart; "list all" adds the rooms' lines naming them.
        dm = await open_dm(bob, bot)
        assert "not tracking any lines" in (await ask(bob, dm, "list")).body
        r = await ask(bob, dm, "list all")
        assert "Lines in group rooms that name you (1):" in r.body and "Mum's phone" in r.body
        # A room's line is not reachable through the DM's numbers.
        assert "You have no line 1" in (await ask(bob, dm, "remove 1")).body


async def test_scam_guard_warns_once_and_can_be_turned_off(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess
) -> None:
    async with (
        await MatrixUser.connect(homeserver.url, make_user("mod")) as alice,
        await MatrixUser.connect(homeserver.url, make_user("scammer")) as mallory,
    ):
        room = await group(alice, bot, mallory)
        legit = await alice.send_text(room, "I renewed my Telkomsel in the MyTelkomsel app today")
        scam = await mallory.send_text(room, "Pulsa murah! Perpanjang masa aktif AXIS diskon 50%, chat admin t.me/axis_cs_resmi")
        warning = await alice.wait_for_reply(room, scam, timeout=20)
        assert warning.sender == bot.user_id and warning.msgtype == "m.notice"
        assert "t.me" not in (warning.formatted_body or "").replace("t.me/axis_cs_resmi", "")
        second = await mallory.send_text(room, "Diskon pulsa 50%, DM TG @pulsa_murah_cs sekarang")
        await asyncio.sleep(3)
        # At most one warning a minute per room: the second scam gets no reply (rate limit), and
        # the legitimate message never does.
        replies = {m.in_reply_to for m in alice.messages(room) if m.sender == bot.user_id}
        assert scam in replies and legit not in replies and second not in replies
        assert "off" in (await ask(alice, room, "!scamguard off")).body
        assert "off" in (await ask(alice, room, "!scamguard")).body
        # A member cannot turn it back on.
        assert "Only room moderators" in (await ask(mallory, room, "!scamguard on")).body


async def test_moderator_withdraws_a_scam_warning_with_notscam(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess
) -> None:
    async with (
        await MatrixUser.connect(homeserver.url, make_user("notscam_mod")) as alice,
        await MatrixUser.connect(homeserver.url, make_user("notscam_member")) as bob,
    ):
        room = await group(alice, bot, bob)
        scam = await bob.send_text(room, "Pulsa murah! Perpanjang masa aktif AXIS diskon 50%, chat admin t.me/axis_cs_resmi")
        warning = await alice.wait_for_reply(room, scam, timeout=20)
        assert warning.sender == bot.user_id

        def redacted() -> bool:
            ev = homeserver.request("GET", f"/_matrix/client/v3/rooms/{room}/event/{warning.event_id}",
                                    token=alice.client.access_token)
            return "redacted_because" in ev.get("unsigned", {})

        # A member who cannot manage the room is ignored; so is "!notscam" in reply to anything else.
        await bob.send_text(room, "!notscam", reply_to=warning.event_id)
        await alice.send_text(room, "!notscam", reply_to=scam)
        await asyncio.sleep(3)
        assert not redacted()
        # The moderator's reply withdraws it: the bot redacts its own warning.
        await alice.send_text(room, "!notscam", reply_to=warning.event_id)
        for _ in range(40):
            if redacted():
                break
            await asyncio.sleep(0.5)
        assert redacted()
        ev = homeserver.request("GET", f"/_matrix/client/v3/rooms/{room}/event/{warning.event_id}",
                                token=alice.client.access_token)
        assert ev["unsigned"]["redacted_because"]["sender"] == bot.user_id
        assert ev["content"] == {}
        # Nothing else was said about it.
        assert not [m for m in alice.messages(room) if m.sender == bot.user_id and m.index > warning.index]


async def test_room_upgrade_moves_lines(homeserver: Homeserver, make_user: MakeUser, bot: BotProcess) -> None:
    async with await MatrixUser.connect(homeserver.url, make_user("upgrader")) as alice:
        room = await group(alice, bot)
        await ask(alice, room, "!add axis +30d Office SIM")
        new = homeserver.request(
            "POST", f"/_matrix/client/v3/rooms/{room}/upgrade", {"new_version": "12"},
            token=alice.client.access_token,
        )["replacement_room"]
        await alice.invite(new, bot.user_id)  # as Element does for a private room
        await alice.wait_for_join(new, bot.user_id, timeout=30)
        await asyncio.sleep(1)
        r = await ask(alice, new, "!list")
        assert "This room's lines (1):" in r.body and "Office SIM" in r.body


async def test_leaves_when_kicked_or_alone(homeserver: Homeserver, make_user: MakeUser, bot: BotProcess) -> None:
    async with (
        await MatrixUser.connect(homeserver.url, make_user("kicker")) as alice,
        await MatrixUser.connect(homeserver.url, make_user("leaver")) as bob,
    ):
        kicked = await group(alice, bot)
        await ask(alice, kicked, "!add axis +30d kept for a while")
        await alice.client.room_kick(kicked, bot.user_id)
        alone = await group(bob, bot)
        await bob.leave(alone)
        await asyncio.sleep(4)
        # The bot left the room nobody is in any more, and survived the kick.
        state = homeserver.request(
            "GET", f"/_matrix/client/v3/rooms/{alone}/state/m.room.member/{bot.user_id}",
            token=bot_token(bot),
        )
        assert state["membership"] == "leave"
        dm = await open_dm(alice, bot)
        assert "Commands:" in (await ask(alice, dm, "help")).body
        assert "no longer in" in bot.log_text() and "the last person left" in bot.log_text()


def bot_token(bot: BotProcess) -> str:
    import json

    return json.loads((bot.data_dir / "session.json").read_text())["access_token"]
