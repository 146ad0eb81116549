"""Issue 13 against a real Synapse: pasted carrier notices and ✅, status, forget me (no row left
naming the user), calendar feeds over HTTP, export/import as files (encrypted too), one ping for
many lines."""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.app import DB_FILE
from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser
from tests.integration.test_bot_e2ee import react
from tests.integration.test_bot_rooms import group

pytestmark = pytest.mark.integration


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
        assert "Reminders for 1 lines" in (await ask(alice, dm, "status")).body
        db = bot.data_dir / DB_FILE
        assert tables_naming(db, alice.user_id)

        ask_reply = await ask(alice, dm, "forget me")
        assert "Reply yes within 15 minutes" in ask_reply.body
        assert "Mine" in (await ask(alice, dm, "list")).body  # nothing deleted before the yes
        done = await ask(alice, dm, "yes")
        assert "deleted everything" in done.body and "1 lines" in done.body and "1 mentions" in done.body, done.body
        await asyncio.sleep(1)  # the reply to "yes" is recorded as sent
        assert tables_naming(db, alice.user_id) == []
        assert "Alice's" in (await ask(bob, room, "!list")).body  # the room keeps its line


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
    # A scam copying the format is never offered.
    r = await ask(alice, dm, "TELKOMSEL: Masa aktif kartu Anda s.d. 31-12-2027. Kartu diblokir! Perpanjang via "
                             "http://telkomsel-perpanjang.xyz transfer Rp50.000")
    assert "active until" not in r.body
    assert "nothing waiting" in (await ask(alice, dm, "yes")).body
