"""End-to-end encryption, pings in group rooms, and reacting or replying to a ping.

One due minute serves every scenario, so the suite waits for it once.
"""
from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser
from tests.integration.test_bot_pings import coming_minute, wait_until

pytestmark = pytest.mark.integration


async def react(user: MatrixUser, room: str, event_id: str, key: str) -> str:
    return await user.send(
        room, {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}, event_type="m.reaction"
    )


async def test_encrypted_dm_group_pings_reactions_and_replies(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess, tmp_path: Path
) -> None:
    due = coming_minute(margin_s=20)
    hhmm = due.strftime("%H:%M")
    async with (
        await MatrixUser.connect(homeserver.url, make_user("enc"), encryption=True, store_dir=tmp_path / "alice") as alice,
        await MatrixUser.connect(homeserver.url, make_user("fam")) as bob,
    ):
        # An encrypted DM: commands and replies round-trip encrypted.
        dm = await open_dm(alice, bot, encrypted=True)
        r = await ask(alice, dm, "help", timeout=30)
        assert r.decrypted and r.msgtype == "m.notice" and "Commands:" in r.body
        await ask(alice, dm, "timezone UTC")
        await ask(alice, dm, f"time {hhmm}")
        assert "Line 1 added" in (await ask(alice, dm, "add axis today Encrypted one")).body
        assert "Line 2 added" in (await ask(alice, dm, "add xl today Encrypted two")).body

        # A group room: the line belongs to the room; its ping mentions the member who added it.
        room = await bob.create_room(invite=[bot.user_id])
        await bob.wait_for_join(room, bot.user_id)
        await ask(bob, room, "!timezone UTC")
        await ask(bob, room, f"!time {hhmm}")
        assert "Line 1 added" in (await ask(bob, room, "!add telkomsel today Family SIM")).body

        await wait_until(due)
        # Both DM lines are due at the same minute: one ping lists them (issue 13).
        ping = await alice.wait_for_message(dm, sender=bot.user_id, msgtype="m.text", timeout=30)
        assert ping.decrypted and ping.body.startswith("Reminder for 2 lines:")
        assert "Encrypted one" in ping.body and "Encrypted two" in ping.body

        gp = await bob.wait_for_message(room, sender=bot.user_id, msgtype="m.text", timeout=30)
        assert gp.content["m.mentions"] == {"user_ids": [bob.user_id]}
        assert f"https://matrix.to/#/{bob.user_id}" in gp.formatted_body and "@room" not in gp.body
        assert "!howto 1" in gp.body  # group rooms need the prefix

        # ✅ on a ping that lists two lines: the bot asks which one ...
        await react(alice, dm, ping.event_id, "✅")
        ack = await alice.wait_for_message(dm, sender=bot.user_id, msgtype="m.notice", timeout=30)
        assert "Which one did you renew?" in ack.body and ack.in_reply_to == ping.event_id
        # ... and a reply to the ping with a date asks too; renewed <n> <date> records it.
        answer = await alice.send_text(dm, "31/12/2026", reply_to=ping.event_id)
        r = await alice.wait_for_reply(dm, answer, timeout=30)
        assert "renewed 1 31/12/2026" in r.body
        r = await ask(alice, dm, "renewed 1 31/12/2026", timeout=30)
        assert "Line 1, Encrypted one · AXIS, renewed" in r.body and "31 Dec 2026" in r.body

        # 💤 snoozes what the ping still stands for (line 2) for a day.
        await react(alice, dm, ping.event_id, "💤")
        ack = await alice.wait_for_message(
            dm, sender=bot.user_id, msgtype="m.notice", predicate=lambda m: "remind you again" in (m.body or ""),
            timeout=30,
        )
        assert "lines 2 " in ack.body and f"{hhmm}" in ack.body

        # In the group room, a member without power cannot mark the room's line renewed.
        await react(bob, room, gp.event_id, "🎉")  # not an action: ignored
        await react(bob, room, gp.event_id, "✅")  # bob created the room: allowed
        ack = await bob.wait_for_message(room, sender=bot.user_id, msgtype="m.notice", timeout=30)
        # Telkomsel's renewal rules are in the catalog: ✅ explains them and asks for the date.
        assert "How did you renew line 1" in ack.body and "!renewed 1 <date>" in ack.body

        # A restart keeps the device and its keys: encrypted commands still work.
        bot.terminate()
        bot.start()
        r = await ask(alice, dm, "list", timeout=30)
        assert r.decrypted and "Your lines (2):" in r.body
        replies_before = [m.event_id for m in alice.messages(dm) if m.sender == bot.user_id]

        # Losing the crypto store: the bot says so, logs in as a new device, keeps working, and
        # answers no old command again.
        bot.kill()
        shutil.rmtree(bot.data_dir / "crypto")
        bot.start()
        assert "crypto store of device" in bot.log_text()
        r = await ask(alice, dm, "settings", timeout=60)
        extra = 1
        if "could not decrypt" in r.body:
            # Alice's client had not shared its room key with the new device yet: the bot asks
            # once to send again, and then it works.
            r = await ask(alice, dm, "settings", timeout=60)
            extra = 2
        assert r.decrypted and "Time zone: UTC" in r.body
        await asyncio.sleep(2)
        replies_after = [m.event_id for m in alice.messages(dm) if m.sender == bot.user_id]
        assert len(replies_after) == len(replies_before) + extra
