"""Pings at the set time, exactly once, across SIGKILL and downtime, against a real Synapse."""
from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import DB_FILE
from bot.core.dates import format_date
from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import BotFactory, ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser

pytestmark = pytest.mark.integration


def coming_minute(margin_s: float = 12) -> datetime:
    """The next whole minute (UTC) at least ``margin_s`` away."""
    now = datetime.now(UTC)
    due = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    if (due - now).total_seconds() < margin_s:
        due += timedelta(minutes=1)
    return due


def pings(user: MatrixUser, room: str, bot: BotProcess) -> list:
    return [m for m in user.messages(room) if m.sender == bot.user_id and m.msgtype == "m.text"]


async def wait_until(when: datetime) -> None:
    await asyncio.sleep(max(0.0, (when - datetime.now(UTC)).total_seconds()))


async def test_scheduled_pings_exactly_once(
    homeserver: Homeserver, make_user: MakeUser, bot_factory: BotFactory
) -> None:
    """Three bots, one due minute: on time; SIGKILLed before due; down at due time."""
    on_time, killed, down = bot_factory(), bot_factory(), bot_factory()
    users = [await MatrixUser.connect(homeserver.url, make_user(n)) for n in ("ontime", "killed", "down")]
    try:
        rooms = [await open_dm(user, bot) for user, bot in zip(users, (on_time, killed, down), strict=False)]
        # The due minute is chosen once the bots and rooms are up, with room for the commands
        # below even on a loaded machine: a due time that passes while they run moves to tomorrow.
        due = coming_minute(margin_s=40)
        hhmm = due.strftime("%H:%M")
        for user, room in zip(users, rooms, strict=False):
            await ask(user, room, "timezone UTC")
            r = await ask(user, room, f"time {hhmm}")
            assert hhmm in r.body
            r = await ask(user, room, "add axis today Ping me")
            assert f"Next reminder: {format_date(due.date(), 'en', weekday=True)} {hhmm}" in r.body, r.body
        # The "down" bot also gets a second line: after downtime, one ping per line.
        r = await ask(users[2], rooms[2], "add xl tomorrow Second")
        assert "Line 2 added" in r.body
        await ask(users[2], rooms[2], "remind 2 1,0")

        killed.kill()  # SIGKILL between add and due time
        killed.start()
        assert down.terminate() == 0  # SIGTERM: a clean stop

        await wait_until(due)
        got = await users[0].wait_for_message(rooms[0], sender=on_time.user_id, msgtype="m.text", timeout=20)
        lateness = got.origin_server_ts / 1000 - due.timestamp()
        assert -0.5 <= lateness < 3.0, f"ping {lateness:.3f}s off its due instant"
        assert "line 1, Ping me · AXIS, expires TODAY" in got.body
        assert "renewed 1" in got.body and "official" in got.body
        assert got.formatted_body and "Ping me" in got.formatted_body

        got = await users[1].wait_for_message(rooms[1], sender=killed.user_id, msgtype="m.text", timeout=20)
        assert "expires TODAY" in got.body

        await asyncio.sleep(5)  # a late duplicate would show up here
        down.start()  # back after the due time: what was missed is sent now, once
        # Both lines were due at the same minute: one message lists them both (issue 13).
        missed = await users[2].wait_for_message(rooms[2], sender=down.user_id, msgtype="m.text", timeout=30)
        assert missed.body.startswith("Reminder for 2 lines:")
        assert "line 1, Ping me · AXIS, expires TODAY" in missed.body
        assert "line 2, Second · XL," in missed.body and "1 day left" in missed.body

        await asyncio.sleep(6)  # at least one sweep later
        for user, room, bot in zip(users, rooms, (on_time, killed, down), strict=False):
            assert len(pings(user, room, bot)) == 1, [m.body for m in pings(user, room, bot)]
    finally:
        for user in users:
            await user.close()


async def test_resend_after_crash_is_deduplicated(alice: MatrixUser, bot: BotProcess) -> None:
    """A ping sent but not marked (a crash in between) is re-sent with the same transaction ID,
    and the homeserver turns it into a no-op: the user still sees one message."""
    due = coming_minute()
    room = await open_dm(alice, bot)
    await ask(alice, room, "timezone UTC")
    await ask(alice, room, f"time {due:%H:%M}")
    await ask(alice, room, "add axis today Once")
    await wait_until(due)
    first = await alice.wait_for_message(room, sender=bot.user_id, msgtype="m.text", timeout=20)
    bot.kill()
    db = sqlite3.connect(bot.data_dir / DB_FILE)
    with db:
        n = db.execute(
            "UPDATE pings SET status = 'pending', event_id = NULL WHERE status = 'sent'"
        ).rowcount
        db.execute("DELETE FROM pings WHERE status = 'pending' AND event_id IS NULL AND id NOT IN "
                   "(SELECT MIN(id) FROM pings GROUP BY line_id)")
    db.close()
    assert n == 1
    bot.start()
    await asyncio.sleep(4)
    sent = pings(alice, room, bot)
    assert [m.event_id for m in sent] == [first.event_id]
    db = sqlite3.connect(bot.data_dir / DB_FILE)
    (event_id,) = db.execute("SELECT event_id FROM pings WHERE status = 'sent'").fetchone()
    db.close()
    assert event_id == first.event_id  # the homeserver answered with the first event's ID
