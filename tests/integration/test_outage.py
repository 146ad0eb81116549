"""Back quickly after an outage (issue 12): Synapse stopped for 5 minutes while 50 pings fall
due; once it is back, every ping is delivered exactly once, the last within 30 s.

About 6 minutes of wall time, most of it the outage itself: run it alone with
``scripts/test -m outage``; it is part of the full suite (.ci/run).
"""
from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.dbtools import DB_FILE
from bot.dev.server import Homeserver, free_port
from bot.store.sqlite import Store
from tests.integration.conftest import BotFactory, open_dm
from tests.integration.matrix_user import MatrixUser

pytestmark = [pytest.mark.integration, pytest.mark.outage]

OUTAGE_S = 300.0
PINGS = 50
BAR_S = 30.0


async def seed(db: Path, owner: str, room: str, dues_ms: list[int]) -> None:
    store = await Store.open(db)
    try:
        async with store.tx() as tx:
            await tx.update_owner(owner, dues_ms[0], room_id=room)
            await tx.bulk_add_lines(
                [(owner, i + 1, "axis", f"outage {i}", date(2030, 1, 1)) for i in range(len(dues_ms))], dues_ms[0]
            )
            first = (await tx.list_lines(owner))[0].id
            await tx.bulk_arm((first + i, date(2030, 1, 1), -7, due) for i, due in enumerate(dues_ms))
    finally:
        await store.close()


def bot_pings(hs: Homeserver, token: str, room: str, bot_id: str) -> list[dict[str, Any]]:
    """The bot's m.text events in the room (pings; replies are m.notice), oldest first."""
    found: list[dict[str, Any]] = []
    path = f"/_matrix/client/v3/rooms/{room}/messages?dir=b&limit=200"
    token_from = ""
    for _ in range(10):
        page = hs.request("GET", path + token_from, token=token)
        for ev in page.get("chunk", []):
            if ev.get("sender") == bot_id and ev.get("type") == "m.room.message" and \
                    ev.get("content", {}).get("msgtype") == "m.text":
                found.append(ev)
        if not page.get("end") or not page.get("chunk"):
            break
        token_from = f"&from={page['end']}"
    return sorted(found, key=lambda e: e["origin_server_ts"])


async def test_all_pings_due_in_a_5_minute_outage_arrive_once_within_30s_of_the_return(
    tmp_path: Path, bot_factory: BotFactory
) -> None:
    port = free_port()
    hs = Homeserver(tmp_path / "hs", ratelimits=False, port=port)
    hs.start()
    try:
        # One message per ping: this test counts pings (lines due in one minute would go as one).
        bot = bot_factory(hs=hs, limits={"max_lines_per_owner": PINGS + 5}, bot={"group_pings": False})
        alice_reg = hs.register("outage-alice")
        async with await MatrixUser.connect(hs.url, alice_reg) as alice:
            room = await open_dm(alice, bot)
        assert bot.terminate() == 0
        down_at = time.time() + 15  # the bot is started and synced well before
        step = (OUTAGE_S - 20) / (PINGS - 1)
        dues = [int((down_at + 5 + i * step) * 1000) for i in range(PINGS)]  # all inside the outage
        await seed(bot.data_dir / DB_FILE, alice_reg.user_id, room, dues)
        bot.start()
        await asyncio.sleep(max(0.0, down_at - time.time()))
        hs.stop()
        stopped = time.time()
        await asyncio.sleep(max(0.0, stopped + OUTAGE_S - time.time()))
        assert bot.proc is not None and bot.proc.poll() is None, bot.log_text()[-2000:]
        hs = Homeserver(tmp_path / "hs", ratelimits=False, port=port)
        hs.start()
        back = time.time()  # Synapse answers its health check again
        deadline = back + BAR_S + 30  # wait no longer than the bar needs (plus a margin to see a miss)
        events: list[dict[str, Any]] = []
        while time.time() < deadline:
            events = bot_pings(hs, alice_reg.access_token, room, bot.user_id)
            if len(events) >= PINGS:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(3)  # anything sent twice would show up by now
        events = bot_pings(hs, alice_reg.access_token, room, bot.user_id)
        after = sorted(e["origin_server_ts"] / 1000 - back for e in events)
        bodies = Counter(e["content"]["body"] for e in events)
        print(
            f"\noutage {OUTAGE_S:.0f}s, {PINGS} pings due during it; after Synapse was back: "
            f"{len(events)} delivered, first {after[0] if after else float('nan'):.1f}s, "
            f"median {after[len(after) // 2] if after else float('nan'):.1f}s, "
            f"last {after[-1] if after else float('nan'):.1f}s (bar {BAR_S:.0f}s); "
            f"duplicates {sum(n - 1 for n in bodies.values())}"
        )
        assert len(events) == PINGS, bot.log_text()[-3000:]
        assert all(n == 1 for n in bodies.values()), "a ping was delivered twice"
        assert after[-1] <= BAR_S, f"the last ping came {after[-1]:.1f}s after the homeserver was back"
        assert "sync works again" in bot.log_text()
    finally:
        hs.stop()
