"""An upgraded DM (QA): its person's pings follow it to the new room."""
from __future__ import annotations

from datetime import UTC, datetime

from bot.service import Service
from bot.store.base import Store
from tests.unit.conftest import make_config

OLD, NEW, ALICE, BOB = "!old:x", "!new:x", "@alice:x", "@bob:x"
NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)
MS = int(NOW.timestamp() * 1000)


async def test_an_upgraded_dm_carries_its_persons_pings(store: Store) -> None:
    """A DM's lines belong to the person, so an upgrade moved nothing and the pings kept going to
    the old room, which the bot then leaves and Element hides: the person got no more pings. The
    invite to the new room is a plain one (Element's upgrade dialog), so the old room says it is a
    DM."""
    rooms = Service(make_config()).rooms
    async with store.tx() as tx:
        await tx.room_rejoined(OLD, MS, is_direct=True)
        await tx.ensure_owner(ALICE, MS)
        await tx.update_owner(ALICE, MS, room_id=OLD)
        await tx.ensure_owner(BOB, MS)
        await tx.update_owner(BOB, MS, room_id="!bobs-own-dm:x")
        await rooms.upgrade_started(tx, OLD, NEW)
    async with store.tx() as tx:
        is_direct, moved_from = await rooms.joined(tx, NEW, NOW, is_direct=False)
        assert (is_direct, moved_from) == (True, OLD)
        await rooms.dm_upgraded(tx, OLD, NEW, {ALICE, BOB}, NOW)
    async with store.read() as tx:
        assert (await tx.get_owner(ALICE)).room_id == NEW  # type: ignore[union-attr]
        assert (await tx.get_owner(BOB)).room_id == "!bobs-own-dm:x"  # type: ignore[union-attr]
        assert await tx.room_is_direct(NEW) is True


async def test_an_upgraded_group_room_stays_a_group(store: Store) -> None:
    rooms = Service(make_config()).rooms
    async with store.tx() as tx:
        await tx.room_rejoined(OLD, MS, is_direct=False)
        await rooms.upgrade_started(tx, OLD, NEW)
    async with store.tx() as tx:
        assert await rooms.joined(tx, NEW, NOW, is_direct=False) == (False, OLD)
