"""Issue 13's store queries on both adapters (SQLite and PostgreSQL): offers, calendar tokens,
status, the digest, grouped pings and forgetting."""
from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.model import PlannedPing
from bot.store.base import Store

ALICE, BOB, ROOM = "@alice:x", "@bob:x", "!room:x"


async def test_offers_replace_expire_and_are_found_by_the_reply_event(store: Store) -> None:
    async with store.tx() as tx:
        await tx.add_pending(ALICE, ALICE, "notice", {"expiry": "2027-01-01"}, reply_txn="t1", now_ms=0, expires_ms=100)
        await tx.add_pending(ALICE, ALICE, "forget_me", {}, reply_txn="t2", now_ms=0, expires_ms=100)
        row = await tx.get_pending(ALICE, ALICE, 50)
        assert row is not None and row.kind == "forget_me"  # one offer per sender and conversation
        assert await tx.get_pending(ALICE, BOB, 50) is None
        await tx.reply_sent("t2", "$offer")
        found = await tx.pending_by_event("$offer", 50)
        assert found is not None and found.id == row.id
        assert await tx.pending_by_event("$offer", 100) is None  # expired
        assert await tx.get_pending(ALICE, ALICE, 100) is None


async def test_a_secret_reply_loses_its_stored_copy_once_sent(store: Store) -> None:
    async with store.tx() as tx:
        await tx.enqueue_reply("r1", "!dm:x", "m.notice", {"body": "https://x/calendar/SECRET.ics"}, 0)
        await tx.scrub_after_sending("r1")
        await tx.reply_sent("r1", "$e")
        (row,) = await tx._all("SELECT content FROM replies WHERE txn_id = 'r1'")
        assert "SECRET" not in row[0]


async def test_calendar_tokens_one_per_owner(store: Store) -> None:
    async with store.tx() as tx:
        await tx.set_calendar_token(ALICE, "h1", 0)
        assert await tx.calendar_owner("h1") == (ALICE, "h1") and await tx.has_calendar(ALICE)
        await tx.set_calendar_token(ALICE, "h2", 1)
        assert await tx.calendar_owner("h1") is None and await tx.calendar_owner("h2") == (ALICE, "h2")


async def test_status_digest_grouped_pings_and_forgetting(store: Store) -> None:
    async with store.tx() as tx:
        await tx.update_owner(ALICE, 0, room_id="!dm:x")
        a = await tx.insert_line(ALICE, number=3, provider="axis", variant=None, label="", expiry=date(2027, 1, 1),
                                 lead_days=(5, 1), reminders_off=False, mention=None, now_ms=0)
        b = await tx.insert_line(ALICE, number=3, provider="xl", variant=None, label="", expiry=date(2027, 1, 1),
                                 lead_days=None, reminders_off=False, mention=None, now_ms=0)
        assert (a.number, b.number) == (3, 1)  # a taken number gives the smallest free one
        r = await tx.insert_line(ROOM, number=None, provider="xl", variant=None, label=f"{ALICE}'s", expiry=date(2027, 1, 1),
                                 lead_days=None, reminders_off=False, mention=ALICE, now_ms=0)
        await tx.add_renewal_at(a.id, date(2026, 1, 1), date(2027, 1, 1), 5)
        for line in (a, b):
            await tx.arm(line, [PlannedPing(-7, datetime(2026, 12, 25, tzinfo=UTC))])
        due = await tx.due_pings(2**62)
        await tx.mark_pings_sent((p.id, "$group", 99) for p in due if p.line_id in (a.id, b.id))
        assert {p.line_id for p in await tx.pings_by_event("$group")} == {a.id, b.id}
        assert await tx.last_sent([a.id, b.id, r.id]) == {a.id: 99, b.id: 99}
        assert (await tx.renewals_of([a.id]))[a.id][0].new_expiry == date(2027, 1, 1)
        await tx.set_digest(ALICE, True, 0)
        await tx.digest_sent(ALICE, "2026-12-25")
        assert await tx.digest_of([ALICE, BOB]) == {ALICE: (True, "2026-12-25")}
        await tx.set_calendar_token(ALICE, "h", 0)
        await tx.add_pending(ALICE, ALICE, "forget_me", {}, reply_txn=None, now_ms=0, expires_ms=10)
        counts = await tx.forget_user(ALICE)
        assert counts["lines"] == 2 and counts["renewals"] == 1 and counts["pings"] == 2
        assert counts["mentions"] == 1 and counts["calendar"] == 1 and counts["offers"] == 1 and counts["settings"] == 1
        assert await tx.list_lines(ALICE) == []
        (room_line,) = await tx.list_lines(ROOM)
        assert room_line.mention is None and ALICE not in room_line.label
        counts = await tx.forget_room_data(ROOM)
        assert counts["lines"] == 1 and await tx.list_lines(ROOM) == []
