"""A room the bot has left keeps its lines for ``rooms.retention_days``, then they are deleted."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.service import Service, ms
from bot.store.sqlite import Store
from tests.unit.conftest import make_config

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def test_left_rooms_are_purged_after_the_retention_period(store: Store) -> None:
    config = make_config()
    assert config.rooms.retention_days == 30
    rooms = Service(config).rooms  # retention is a use case: no Matrix client needed

    async def purge(now: datetime) -> int:
        async with store.tx() as tx:
            return await rooms.purge_left_rooms(tx, now)

    async with store.tx() as tx:
        for room, left_days_ago in (("!old:x", 31), ("!recent:x", 29), ("!here:x", None)):
            await tx.add_line(room, provider="axis", label=room, expiry=date(2026, 7, 1), now_ms=ms(NOW))
            await tx.room_joined(room, ms(NOW - timedelta(days=60)))
            if left_days_ago is not None:
                await tx.room_left(room, ms(NOW - timedelta(days=left_days_ago)))
        await tx.add_line("@user:x", provider="xl", label="dm", expiry=date(2026, 7, 1), now_ms=ms(NOW))
    assert await purge(NOW) == 1
    async with store.read() as tx:
        assert await tx.count_lines("!old:x") == 0
        assert await tx.count_lines("!recent:x") == 1
        assert await tx.count_lines("!here:x") == 1
        assert await tx.count_lines("@user:x") == 1
        assert await tx.room_joined_at("!old:x") is None
    # Rejoining before the end of the period keeps the data for good.
    async with store.tx() as tx:
        await tx.room_rejoined("!recent:x", ms(NOW))
    assert await purge(NOW + timedelta(days=5)) == 0
