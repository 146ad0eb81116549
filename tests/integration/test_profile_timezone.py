"""The user's time zone from their Matrix profile (m.tz, MSC4175) when they set none with the bot."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from bot.dbtools import DB_FILE
from bot.dev.server import Homeserver, HomeserverError
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser

pytestmark = pytest.mark.integration


def pending_ping_hours_utc(bot: BotProcess) -> set[int]:
    """The UTC hours of the line's pending pings, read from the bot's own database."""
    with sqlite3.connect(bot.data_dir / DB_FILE) as db:
        rows = db.execute("SELECT due FROM pings WHERE status = 'pending'").fetchall()
    return {datetime.fromtimestamp(due / 1000, UTC).hour for (due,) in rows}


def set_profile_tz(hs: Homeserver, user: MatrixUser, token: str, zone: str) -> str:
    """Set m.tz (or the unstable field on servers before spec v1.16); returns the field used."""
    for field in ("m.tz", "us.cloke.msc4175.tz"):
        try:
            hs.request("PUT", f"/_matrix/client/v3/profile/{quote(user.user_id)}/{field}", {field: zone}, token=token)
            return field
        except HomeserverError as exc:
            last = exc
    raise last


async def test_profile_time_zone_is_used_until_the_user_sets_one(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess
) -> None:
    creds = make_user("tz")
    async with await MatrixUser.connect(homeserver.url, creds) as user:
        set_profile_tz(homeserver, user, creds.access_token, "Asia/Kuala_Lumpur")
        dm = await open_dm(user, bot)
        r = await ask(user, dm, "settings")
        assert "Asia/Kuala_Lumpur" in r.body and "Matrix profile" in r.body
        # A line armed in the profile's zone: the next ping is at 09:00 Kuala Lumpur time.
        assert "Line 1 added" in (await ask(user, dm, "add axis 31/12/2026 KL")).body
        assert pending_ping_hours_utc(bot) == {1}  # 09:00 in Kuala Lumpur (UTC+8)
        await ask(user, dm, "timezone Asia/Jakarta")
        assert pending_ping_hours_utc(bot) == {2}  # moved to 09:00 in Jakarta (UTC+7)
        r = await ask(user, dm, "settings")
        assert "Asia/Jakarta" in r.body and "timezone command" in r.body and "profile" not in r.body.split("\n")[1]
