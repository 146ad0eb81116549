"""Restarts, downtime, a homeserver that goes away, and default rate limits."""
from __future__ import annotations

import asyncio
import json

import pytest

from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import BotFactory, ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser

pytestmark = pytest.mark.integration


def bot_replies(user: MatrixUser, room: str, bot: BotProcess) -> list:
    return [m for m in user.messages(room) if m.sender == bot.user_id]


async def test_commands_sent_while_down_are_answered_once(alice: MatrixUser, bot: BotProcess) -> None:
    room = await open_dm(alice, bot)
    await ask(alice, room, "help")
    assert bot.terminate() == 0
    # More commands than one sync returns (Synapse's default timeline limit is 10): the bot must
    # fetch the gap of the limited timeline.
    sent = [await alice.send_text(room, f"add axis +{i + 1}d while down {i}") for i in range(15)]
    bot.start()
    for event_id in sent:
        await alice.wait_for_reply(room, event_id, timeout=30)
    r = await ask(alice, room, "list")
    assert "Your lines (15):" in r.body or "Page 1 of" in r.body
    before = len(bot_replies(alice, room, bot))

    # A restarted bot does not answer old commands again (SIGKILL: no clean shutdown either).
    bot.kill()
    bot.start()
    await ask(alice, room, "settings")
    await asyncio.sleep(2)
    replies = bot_replies(alice, room, bot)
    assert len(replies) == before + 1
    targets = [m.in_reply_to for m in replies]
    assert len(targets) == len(set(targets)), "some command was answered twice"


async def test_keeps_one_device_across_restarts(homeserver: Homeserver, alice: MatrixUser, bot: BotProcess) -> None:
    session = json.loads((bot.data_dir / "session.json").read_text())
    assert (bot.data_dir / "session.json").stat().st_mode & 0o077 == 0

    def devices() -> set[str]:
        found = homeserver.request("GET", "/_matrix/client/v3/devices", token=session["access_token"])
        return {d["device_id"] for d in found["devices"]}

    before = devices()  # registration made one device, the bot's first login another
    assert session["device_id"] in before
    bot.kill()
    bot.start()
    bot.terminate()
    bot.start()
    assert json.loads((bot.data_dir / "session.json").read_text())["device_id"] == session["device_id"]
    assert devices() == before  # no login, no new device
    room = await open_dm(alice, bot)
    assert "Commands:" in (await ask(alice, room, "help")).body
    # No secret reaches the log.
    assert bot.user.password not in bot.log_text(since_start=False)
    assert session["access_token"] not in bot.log_text(since_start=False)


async def test_survives_homeserver_outage(tmp_path, make_user: MakeUser, bot_factory: BotFactory) -> None:
    hs = Homeserver(tmp_path / "hs", ratelimits=False)
    hs.start()
    try:
        bot = bot_factory(hs=hs)
        async with await MatrixUser.connect(hs.url, hs.register("outage-user")) as user:
            room = await open_dm(user, bot)
            await ask(user, room, "add axis +5d before")
        port = hs.port
        hs.stop()
        await asyncio.sleep(12)  # the bot keeps retrying its sync with backoff
        assert bot.proc is not None and bot.proc.poll() is None, bot.log_text()[-2000:]
        hs2 = Homeserver(tmp_path / "hs", ratelimits=False, port=port)
        hs2.start()
        hs = hs2
        async with await MatrixUser.connect(hs.url, hs.register("outage-user2")) as user:
            room = await open_dm(user, bot)
            r = await ask(user, room, "add xl +5d after", timeout=90)
            assert "Line 1 added" in r.body
        assert "sync failed" in bot.log_text()
    finally:
        hs.stop()


async def test_copes_with_default_rate_limits(
    homeserver_limited: Homeserver, bot_factory: BotFactory
) -> None:
    """Not exempted, the bot is limited to a burst of ~10 then ~0.2 msg/s: it must honour 429
    retry_after_ms and still answer everything, in order of arrival."""
    bot = bot_factory(hs=homeserver_limited)
    user_reg = homeserver_limited.register("limited-user")
    homeserver_limited.override_ratelimit(user_reg.user_id)  # the human is not the subject here
    async with await MatrixUser.connect(homeserver_limited.url, user_reg) as user:
        room = await open_dm(user, bot)
        sent = [await user.send_text(room, f"add axis +{i + 1}d burst {i}") for i in range(14)]
        for event_id in sent:
            await user.wait_for_reply(room, event_id, timeout=90)
        assert len(bot_replies(user, room, bot)) == 14
    assert "not sent (rate limited)" in bot.log_text()
