"""Room decisions in the service (scam guard, rate warnings, undecryptable, apologies), the bounded
budgets behind them, and the sync filter that keeps the bot's own echoes out of its /sync."""
from __future__ import annotations

from datetime import UTC, datetime

from bot.core.limits import Bounded, OncePer, RoomWarnings
from bot.matrix.sync import sync_filter
from bot.service import Service
from bot.store.sqlite import Store
from tests.unit.conftest import make_config

ROOM = "!room:x"
ALICE = "@alice:x"
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)
SCAM = "Pulsa AXIS murah! top up di http://axis-promo.xyz kirim OTP ke admin"


def test_once_per_says_it_once_a_minute_and_forgets_old_keys() -> None:
    once = OncePer(60, max_keys=100)
    assert once.due("a", 0) and not once.due("a", 59) and once.due("a", 60)
    for i in range(1000):
        assert once.due(f"u{i}", 100 + i)
    assert len(once._last) <= 100  # bounded however many senders there are


def test_room_warnings_and_bounded_caches_stay_bounded() -> None:
    w = RoomWarnings(per_hour=3, max_rooms=10)
    for i in range(100):
        assert w.allow(f"!r{i}:x", 0)
    assert len(w._sent) == 10
    b: Bounded[str, int] = Bounded(2)
    b["x"], b["y"] = 1, 2
    assert b.get("x") == 1  # read: now the most recent
    b["z"] = 3
    assert "x" in b and "y" not in b and len(b) == 2


async def test_the_scam_guard_decides_in_the_service(store: Store) -> None:
    rooms = Service(make_config()).rooms
    verdict = rooms.judge(SCAM)
    assert verdict.is_scam
    async with store.tx() as tx:
        first = await rooms.scam_warning(tx, ROOM, SCAM, verdict, NOW)
        again = await rooms.scam_warning(tx, ROOM, SCAM, verdict, NOW)  # the room's budget: once a minute
        await tx.set_scamguard("!other:x", False, 0)
        off = await rooms.scam_warning(tx, "!other:x", SCAM, verdict, NOW)
    assert first is not None and "scam" in first.body.lower()
    assert again is None and off is None


async def test_error_replies_speak_the_owners_language_and_undecryptable_asks_once(store: Store) -> None:
    rooms = Service(make_config()).rooms
    async with store.tx() as tx:
        await tx.update_owner(ALICE, 0, language="id")
        sorry = await rooms.error_reply(tx, ALICE, "error.internal")
        ask = await rooms.undecryptable(tx, "!dm:x", ALICE, ALICE, NOW)
        again = await rooms.undecryptable(tx, "!dm:x", ALICE, ALICE, NOW)
        slow = await rooms.rate_limited(tx, ALICE, ALICE, NOW)
        quiet = await rooms.rate_limited(tx, ALICE, ALICE, NOW)
    en = Service(make_config())
    async with store.tx() as tx:
        english = await en.rooms.error_reply(tx, "@bob:x", "error.internal")
    assert sorry.body != english.body  # Indonesian, not the English default
    assert ask is not None and again is None
    assert slow is not None and quiet is None


def test_the_sync_filter_leaves_out_what_the_bot_never_reads() -> None:
    f = sync_filter("@bot:x")
    assert f["room"]["ephemeral"] == {"not_types": ["*"]} and f["presence"] == {"not_types": ["*"]}
    # The timeline is whole, but in a burst (no long-poll then) the echo of each ping is left out.
    assert "timeline" not in f["room"] and "state" not in f["room"] and "account_data" not in f
    assert sync_filter("@bot:x", burst=True)["room"]["timeline"] == {"not_senders": ["@bot:x"]}
