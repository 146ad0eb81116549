"""A user's profile time zone (m.tz) in the service: used only while they set none themselves."""
from __future__ import annotations

from datetime import UTC, datetime

from bot.matrix.profile import valid_zone
from bot.service import Service
from bot.store.sqlite import Store
from tests.unit.conftest import make_config

NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)


async def test_profile_zone_between_default_and_own_setting(store: Store) -> None:
    svc = Service(make_config())
    async with store.tx() as tx:
        owner = await svc.owner(tx, "@a:x")
        assert (owner.timezone, owner.timezone_source) == ("Asia/Jakarta", "default")
        assert await svc.note_profile_timezone(tx, "@a:x", "Europe/Berlin", NOW)
        assert not await svc.note_profile_timezone(tx, "@a:x", "Europe/Berlin", NOW)  # unchanged
        owner = await svc.owner(tx, "@a:x")
        assert (owner.timezone, owner.timezone_source) == ("Europe/Berlin", "profile")
        await tx.update_owner("@a:x", 0, timezone="Asia/Tokyo")
        owner = await svc.owner(tx, "@a:x")
        assert (owner.timezone, owner.timezone_source) == ("Asia/Tokyo", "set")
        # A room is never given a person's profile zone.
        await svc.note_profile_timezone(tx, "!room:x", "Europe/Berlin", NOW)
        assert (await svc.owner(tx, "!room:x")).timezone_source == "default"
        # Cleared in the profile: back to the default.
        await svc.note_profile_timezone(tx, "@b:x", "Europe/Berlin", NOW)
        assert await svc.note_profile_timezone(tx, "@b:x", None, NOW)
        assert (await svc.owner(tx, "@b:x")).timezone_source == "default"


def test_only_real_zone_names_are_taken_from_profiles() -> None:
    assert valid_zone("Asia/Jakarta") == "Asia/Jakarta"
    for bad in (None, "", "Mars/Olympus", 5, "../../etc/passwd", "x" * 100, ["UTC"]):
        assert valid_zone(bad) is None
