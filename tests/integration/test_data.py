"""Issue 13 against a real Synapse: pasted carrier notices and ✅, status, forget me (no row left
naming the user), calendar feeds over HTTP, export/import as files (encrypted too), one ping for
many lines."""
from __future__ import annotations

import asyncio
import io
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from icalendar import Calendar
from nio.crypto.attachments import decrypt_attachment

from bot.app import DB_FILE
from bot.dev.server import Homeserver, free_port
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import BotFactory, open_dm
from tests.integration.conftest import ask as _ask
from tests.integration.matrix_user import MakeUser, MatrixUser
from tests.integration.test_bot_e2ee import react
from tests.integration.test_bot_pings import coming_minute, wait_until
from tests.integration.test_bot_rooms import group

pytestmark = pytest.mark.integration


async def ask(user: MatrixUser, room_id: str, text: str, *, timeout: float = 45) -> Any:
    """The bot's reply, with room for a machine loaded by other test runs."""
    return await _ask(user, room_id, text, timeout=timeout)


def tables_naming(db: Path, needle: str) -> list[tuple[str, str, int]]:
    """(table, column, rows) for every column of every table that holds ``needle``."""
    con = sqlite3.connect(db)
    try:
        found = []
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            for col in [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]:
                (n,) = con.execute(f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{col}" AS TEXT) LIKE ?',
                                   (f"%{needle}%",)).fetchone()
                if n:
                    found.append((table, col, n))
        return found
    finally:
        con.close()


async def test_forget_me_leaves_no_row_naming_the_user(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess
) -> None:
    async with (
        await MatrixUser.connect(homeserver.url, make_user("forgetful")) as alice,
        await MatrixUser.connect(homeserver.url, make_user("keeper")) as bob,
    ):
        dm = await open_dm(alice, bot)
        await ask(alice, dm, "add axis +30d Mine")
        await ask(alice, dm, "renewed 1 +60d")
        await ask(alice, dm, "timezone Asia/Jakarta")
        room = await group(bob, bot, alice)
        r = await ask(bob, room, f"!add xl +20d Alice's {alice.user_id}")
        assert "Line 1 added" in r.body
        assert "Lines and their reminders (1)" in (await ask(alice, dm, "status")).body
        db = bot.data_dir / DB_FILE
        assert tables_naming(db, alice.user_id)

        ask_reply = await ask(alice, dm, "forget me")
        assert "Reply yes within 15 minutes" in ask_reply.body
        assert "Mine" in (await ask(alice, dm, "list")).body  # nothing deleted before the yes
        done = await ask(alice, dm, "yes")
        assert "deleted everything" in done.body and "1 line," in done.body and "1 mention in" in done.body, done.body
        await asyncio.sleep(1)  # the reply to "yes" is recorded as sent
        assert tables_naming(db, alice.user_id) == []
        assert "Alice's" in (await ask(bob, room, "!list")).body  # the room keeps its line
        # The room's moderator (its creator) forgets the room; a member could not.
        assert "moderators" in (await ask(alice, room, "!forget room")).body
        assert "Reply !yes" in (await ask(bob, room, "!forget room")).body
        assert "1 line," in (await ask(bob, room, "!yes")).body
        assert "Alice's" not in (await ask(bob, room, "!list")).body


async def test_list_all_forgets_a_room_the_user_left_and_hints_carry_the_prefix(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess
) -> None:
    async with (
        await MatrixUser.connect(homeserver.url, make_user("lister")) as alice,
        await MatrixUser.connect(homeserver.url, make_user("roomkeeper")) as bob,
    ):
        dm = await open_dm(alice, bot)
        await ask(alice, dm, "language en")
        room = await group(bob, bot, alice)
        assert "Line 1 added" in (await ask(bob, room, f"!add xl +20d Shared {alice.user_id}")).body
        # A hint carries the prefix the bot needs where it answers.
        assert 'Send "!list" to see your lines.' in (await ask(bob, room, "!renewed 7")).body
        assert 'Send "list" to see your lines.' in (await ask(alice, dm, "renewed 7")).body
        assert "Shared" in (await ask(alice, dm, "list all")).body
        await alice.client.room_leave(room)
        for _ in range(30):  # until the bot's sync has seen her leave
            listed = await ask(alice, dm, "list all")
            if "Shared" not in listed.body:
                break
            await asyncio.sleep(1)
        assert "Shared" not in listed.body and "group rooms" not in listed.body, listed.body


async def test_a_pasted_notice_is_offered_and_a_check_mark_adds_it(alice: MatrixUser, bot: BotProcess) -> None:
    dm = await open_dm(alice, bot)
    await ask(alice, dm, "language en")
    offer = await ask(alice, dm, "Sisa pulsa Anda Rp12.500. Masa aktif kartu Anda s.d. 31-12-2027. Info: telkomsel.com")
    assert offer.body.startswith("Telkomsel, active until Fri, 31 Dec 2027."), offer.body
    assert "not tracking any lines" in (await ask(alice, dm, "list")).body
    mark = await react(alice, dm, offer.event_id, "✅")
    assert mark
    added = await alice.wait_for_message(
        dm, sender=bot.user_id, predicate=lambda m: "Line 1 added" in (m.body or ""), since=0, timeout=20
    )
    assert "31 Dec 2027" in added.body
    # A carrier's own wording from the catalog (Smartfren's balance answer) names the carrier by itself.
    offer = await ask(alice, dm, "Pulsa Anda Rp. 36,998 berlaku s/d 03/05/2028")
    assert offer.body.startswith("Smartfren, active until Wed, 3 May 2028."), offer.body
    assert "Line 2 added" in (await ask(alice, dm, "yes")).body
    # A scam copying the format is never offered.
    r = await ask(alice, dm, "TELKOMSEL: Masa aktif kartu Anda s.d. 31-12-2027. Kartu diblokir! Perpanjang via "
                             "http://telkomsel-perpanjang.xyz transfer Rp50.000")
    assert "active until" not in r.body
    assert "nothing waiting" in (await ask(alice, dm, "yes")).body


async def fetch(url: str) -> tuple[int, bytes, str]:
    async with aiohttp.ClientSession() as http:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=10)) as resp:
            return resp.status, await resp.read(), resp.headers.get("Content-Type", "")


def feed_events(body: bytes) -> dict[str, tuple[date, int]]:
    """Summary -> (start date, number of alarms), as a calendar app subscribed to it reads it."""
    cal = Calendar.from_ical(body)
    return {str(e["summary"]): (e.decoded("dtstart"), len(e.walk("VALARM"))) for e in cal.walk("VEVENT")}


async def test_calendar_feed_over_http(
    homeserver: Homeserver, make_user: MakeUser, bot_factory: BotFactory
) -> None:
    port = free_port()
    public = f"http://127.0.0.1:{port}/"  # what a reverse proxy would map; here the listener itself
    bot = bot_factory(http={"listen": f"127.0.0.1:{port}", "public_url": public})
    async with (
        await MatrixUser.connect(homeserver.url, make_user("cal")) as alice,
        await MatrixUser.connect(homeserver.url, make_user("cal2")) as bob,
    ):
        dm = await open_dm(alice, bot)
        await ask(alice, dm, "add axis 2027-01-24 Kerja")
        await ask(alice, dm, "add xl 2027-02-05")
        r = await ask(alice, dm, "calendar")
        url = next(w for w in r.body.split() if w.startswith("http"))
        assert url.startswith(public.rstrip("/") + "/calendar/") and url.endswith(".ics")
        status, body, ctype = await fetch(url)
        assert status == 200 and ctype.startswith("text/calendar")
        assert feed_events(body) == {"Kerja (AXIS) expires": (date(2027, 1, 24), 4), "XL line 2 expires": (date(2027, 2, 5), 4)}

        await ask(alice, dm, "renewed 1 2027-03-24")  # the feed follows the line
        assert feed_events((await fetch(url))[1])["Kerja (AXIS) expires"][0] == date(2027, 3, 24)

        # Another owner's token opens only their own feed; a wrong token gets nothing.
        bdm = await open_dm(bob, bot)
        await ask(bob, bdm, "add smartfren 2027-04-01 Bob")
        burl = next(w for w in (await ask(bob, bdm, "calendar")).body.split() if w.startswith("http"))
        assert set(feed_events((await fetch(burl))[1])) == {"Bob (Smartfren) expires"}
        token = url.rsplit("/", 1)[1].removesuffix(".ics")
        wrong = url.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
        assert (await fetch(wrong))[0] == 404
        assert (await fetch(url.replace(token, "x")))[0] == 404

        r = await ask(alice, dm, "calendar reset")
        new_url = next(w for w in r.body.split() if w.startswith("http"))
        assert (await fetch(url))[0] == 404  # the old URL stops at once
        assert (await fetch(new_url))[0] == 200
        # Only hashes are stored; the sent replies that held the links keep no copy.
        db = bot.data_dir / DB_FILE
        await asyncio.sleep(1)
        for t in (token, new_url.rsplit("/", 1)[1].removesuffix(".ics")):
            assert tables_naming(db, t) == []


async def test_export_then_import_as_files_in_an_encrypted_room(
    homeserver: Homeserver, make_user: MakeUser, bot: BotProcess, tmp_path: Path
) -> None:
    async with (
        await MatrixUser.connect(homeserver.url, make_user("exp"), encryption=True, store_dir=tmp_path / "a") as alice,
        await MatrixUser.connect(homeserver.url, make_user("imp")) as bob,
    ):
        dm = await open_dm(alice, bot, encrypted=True)
        await ask(alice, dm, "language en", timeout=30)
        await ask(alice, dm, "timezone Asia/Jakarta")
        await ask(alice, dm, "add axis 2027-01-24 Kerja")
        await ask(alice, dm, "add telkomsel 2027-02-05")
        cmd = await alice.send_text(dm, "export")
        f = await alice.wait_for_message(dm, sender=bot.user_id, msgtype="m.file", since=0, timeout=30)
        assert f.in_reply_to == cmd and "file" in f.content and "url" not in f.content  # an encrypted attachment
        enc = f.content["file"]
        resp = await alice.client.download(mxc=enc["url"])
        data = decrypt_attachment(resp.body, enc["key"]["k"], enc["hashes"]["sha256"], enc["iv"])
        assert b"Kerja" in data and b"telkomsel" in data

        # Bob (unencrypted DM) sends the file with the caption "import", then says yes.
        bdm = await open_dm(bob, bot)
        await ask(bob, bdm, "language en")
        up, _ = await bob.client.upload(io.BytesIO(data), content_type="text/csv", filename="lines.csv",
                                        filesize=len(data))
        sent = await bob.send(bdm, {"msgtype": "m.file", "body": "import", "filename": "lines.csv",
                                    "url": up.content_uri, "info": {"mimetype": "text/csv", "size": len(data)}})
        preview = await bob.wait_for_reply(bdm, sent, timeout=30)
        assert "2 new lines" in preview.body, preview.body
        assert "Imported: 2 lines added" in (await ask(bob, bdm, "yes")).body
        assert (await ask(bob, bdm, "list")).body == (await ask(alice, dm, "list")).body
        assert (await ask(bob, bdm, "settings")).body == (await ask(alice, dm, "settings")).body  # time zone too

        # A file with bad rows, imported by replying "import" to it: nothing changes, rows named.
        bad = b"provider,expiry,label\nxl,2027-01-01,ok\nnosuchtelco,2027-01-01,x\n"
        up, _ = await bob.client.upload(io.BytesIO(bad), content_type="text/csv", filename="bad.csv",
                                        filesize=len(bad))
        file_ev = await bob.send(bdm, {"msgtype": "m.file", "body": "bad.csv", "filename": "bad.csv",
                                       "url": up.content_uri, "info": {"mimetype": "text/csv", "size": len(bad)}})
        reply_ev = await bob.send_text(bdm, "import", reply_to=file_ev)
        r = await bob.wait_for_reply(bdm, reply_ev, timeout=30)
        assert "Nothing was imported" in r.body and "Row 3: Unknown provider" in r.body, r.body
        assert "nosuchtelco" not in (await ask(bob, bdm, "list")).body


async def test_five_lines_due_at_one_minute_make_one_ping_and_a_check_asks_which(
    alice: MatrixUser, bot: BotProcess
) -> None:
    due = coming_minute(margin_s=25)
    dm = await open_dm(alice, bot)
    await ask(alice, dm, "language en")
    await ask(alice, dm, "timezone UTC")
    await ask(alice, dm, f"time {due:%H:%M}")
    for n, provider in enumerate(("axis", "xl", "telkomsel", "smartfren", "im3"), start=1):
        r = await ask(alice, dm, f"add {provider} today Line{n}")
        assert f"Line {n} added" in r.body
    assert "Lines and their reminders (5)" in (await ask(alice, dm, "status")).body
    await wait_until(due)
    ping = await alice.wait_for_message(dm, sender=bot.user_id, msgtype="m.text", timeout=30)
    assert ping.body.startswith("Reminder for 5 lines:"), ping.body
    for n in range(1, 6):
        assert f"Line{n}" in ping.body and f"renewed {n}" in ping.body
    mark = await react(alice, dm, ping.event_id, "✅")
    which = await alice.wait_for_message(
        dm, sender=bot.user_id, predicate=lambda m: m.in_reply_to == ping.event_id, since=0, timeout=20
    )
    assert "Which one did you renew?" in which.body and mark
    await asyncio.sleep(6)  # a sweep later: still one ping
    assert len([m for m in alice.messages(dm) if m.sender == bot.user_id and m.msgtype == "m.text"]) == 1
    assert "last reminder" in (await ask(alice, dm, "status")).body
