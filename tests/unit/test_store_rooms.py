"""The store's rooms: migrations with data, room upgrades (move_owner), forgetting a room, leaving and
rejoining, DM flags and the lines that name a user."""
from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.model import Line, PlannedPing
from bot.store.sqlite import Store, Tx
from bot.store.sqlite.migrate import _split, migrations

A = "@alice:x"
B = "@bob:x"
OLD = "!old:x"
NEW = "!new:x"
ROOM = "!room:x"
NOW = 1_770_000_000_000  # ms
DAY = 86_400_000
EXPIRY = date(2026, 6, 30)


async def add(tx: Tx, owner: str, label: str = "", expiry: date = EXPIRY, mention: str | None = None) -> Line:
    return await tx.add_line(owner, provider="axis", label=label, expiry=expiry, now_ms=NOW, mention=mention)


async def arm(tx: Tx, line: Line, offset: int = -7) -> None:
    due = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=offset + 200)
    await tx.arm(line, [PlannedPing(offset=offset, due=due)])


async def numbers(tx: Tx, owner: str) -> dict[str, int]:
    """label -> number of the owner's lines."""
    return {ln.label: ln.number for ln in await tx.list_lines(owner)}


# --- migrations with data ----------------------------------------------------------------------------


def _v1_database(path: Path) -> None:
    """A database as version 1 of the schema left it, with a bit of everything in it."""
    (version, _, sql) = migrations()[0]
    assert version == 1
    db = sqlite3.connect(path)
    for statement in _split(sql):
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO owners (owner_id, room_id, timezone, ping_time, lead_days, language, language_set, created_at) "
               "VALUES (?, ?, 'Asia/Jakarta', '08:30', '7,1', 'id', 1, ?)", (A, "!dm:x", NOW))
    db.execute("INSERT INTO lines (id, owner_id, number, provider, label, expiry, mention, created_at, updated_at) "
               "VALUES (1, ?, 1, 'axis', 'Mine', '2026-06-30', NULL, ?, ?)", (A, NOW, NOW))
    db.execute("INSERT INTO lines (id, owner_id, number, provider, label, expiry, mention, created_at, updated_at) "
               "VALUES (2, ?, 1, 'xl', 'Shared', '2026-07-01', ?, ?, ?)", (ROOM, B, NOW, NOW))
    db.execute("INSERT INTO renewals (line_id, old_expiry, new_expiry, at) VALUES (1, '2026-05-31', '2026-06-30', ?)", (NOW,))
    db.execute('INSERT INTO pings (id, line_id, expiry, "offset", due, not_before, status, attempts, event_id, sent_at) '
               "VALUES (10, 1, '2026-06-30', -7, 100, 100, 'sent', 1, '$sent', 150)")
    db.execute('INSERT INTO pings (id, line_id, expiry, "offset", due, not_before, status, attempts) '
               "VALUES (11, 1, '2026-06-30', -3, 200, 260, 'pending', 2)")
    db.execute('INSERT INTO pings (id, line_id, expiry, "offset", due, not_before, status) '
               "VALUES (12, 2, '2026-07-01', -7, 300, 300, 'skipped')")
    db.execute("INSERT INTO handled_events (event_id, room_id, at) VALUES ('$cmd', '!dm:x', ?)", (NOW,))
    db.execute("INSERT INTO replies (txn_id, room_id, msgtype, content, not_before, created_at) "
               "VALUES ('reply-1', '!dm:x', 'm.notice', '{\"body\": \"hi\"}', 5, 5)")
    db.execute("INSERT INTO rooms (room_id, joined_at, last_ts) VALUES (?, 42, 43)", (ROOM,))
    db.execute("INSERT INTO kv (key, value) VALUES ('next_batch', 's123')")
    db.commit()
    db.close()


async def test_migrating_from_version_1_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    _v1_database(path)
    s = await Store.open(path)
    try:
        async with s.read() as tx:
            (version,) = await tx._one("PRAGMA user_version")
            assert version == len(migrations()) >= 3
            pings = await tx._all(
                'SELECT id, line_id, expiry, "offset", snooze, due, not_before, status, attempts, event_id, sent_at '
                "FROM pings ORDER BY id"
            )
            pings = [tuple(r) for r in pings]
            assert pings == [
                (10, 1, "2026-06-30", -7, 0, 100, 100, "sent", 1, "$sent", 150),
                (11, 1, "2026-06-30", -3, 0, 200, 260, "pending", 2, None, None),
                (12, 2, "2026-07-01", -7, 0, 300, 300, "skipped", 0, None, None),
            ]
            sent = await tx.ping_by_event("$sent")
            assert sent is not None and (sent.id, sent.line_id, sent.snooze) == (10, 1, 0)
            assert await tx.pending_ping(1) == (-3, 200)
            owner = await tx.get_owner(A)
            assert (owner.room_id, owner.timezone, owner.lead_days, owner.language, owner.language_set) == (
                "!dm:x", "Asia/Jakarta", (7, 1), "id", True)
            assert [ln.label for ln in await tx.list_lines(A)] == ["Mine"]
            (shared,) = await tx.list_lines(ROOM)
            assert shared.mention == B
            assert await tx.last_renewal(1) == (date(2026, 5, 31), date(2026, 6, 30))
            assert await tx.is_handled("$cmd")
            assert [r.txn_id for r in await tx.due_replies(10)] == ["reply-1"]
            assert await tx.get_kv("next_batch") == "s123"
            # The rooms table gained its columns with their defaults.
            assert await tx.room_joined_at(ROOM) == 42
            assert not await tx.room_is_left(ROOM)
            assert await tx.scamguard_on(ROOM)
            assert await tx.room_is_direct(ROOM) is None
            assert [ln.label for ln in await tx.lines_mentioning(B)] == ["Shared"]
            indexes = {r[0] for r in await tx._all("SELECT name FROM sqlite_master WHERE type = 'index'")}
            assert {"pings_pending", "pings_line", "pings_event", "lines_mention"} <= indexes
        # The rebuilt table allows a snoozed copy of a ping, and still refuses a duplicate.
        async with s.tx() as tx:
            await tx.snooze(sent, 500)
        async with s.read() as tx:
            rows = [tuple(r) for r in await tx._all('SELECT "offset", snooze, status FROM pings WHERE line_id = 1 ORDER BY id')]
        assert rows == [(-7, 0, "sent"), (-3, 0, "pending"), (-7, 1, "pending")]
        with pytest.raises(sqlite3.IntegrityError):
            async with s.tx() as tx:
                await tx.db.execute(
                    'INSERT INTO pings (line_id, expiry, "offset", snooze, due, not_before) VALUES (1, ?, -7, 1, 1, 1)',
                    ("2026-06-30",),
                )
        # New rows take ids after the old ones: a line id is never reused.
        async with s.tx() as tx:
            assert (await add(tx, A, "New")).id == 3
    finally:
        await s.close()


async def test_migrating_twice_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    _v1_database(path)
    for _ in range(2):
        s = await Store.open(path)
        async with s.read() as tx:
            (n,) = await tx._one("SELECT COUNT(*) FROM pings")
        await s.close()
        assert n == 3


# --- move_owner (room upgrades) -------------------------------------------------------------------------


async def test_move_owner_moves_lines_settings_and_pings(store: Store) -> None:
    async with store.tx() as tx:
        one = await add(tx, OLD, "one", mention=A)
        two = await add(tx, OLD, "two", mention=B)
        await arm(tx, one)
        await tx.add_renewal(one.id, date(2026, 5, 31), EXPIRY, NOW)
        await tx.update_owner(OLD, NOW, timezone="Asia/Jakarta", language="id", language_set=True)
        await add(tx, ROOM, "untouched")
        assert await tx.move_owner(OLD, NEW, NOW + 1) == 2
    async with store.read() as tx:
        assert await tx.list_lines(OLD) == []
        moved = await tx.list_lines(NEW)
        assert [(ln.id, ln.number, ln.label, ln.mention) for ln in moved] == [(one.id, 1, "one", A), (two.id, 2, "two", B)]
        assert await tx.pending_ping(one.id) is not None  # pings and history follow the line ids
        assert await tx.last_renewal(one.id) == (date(2026, 5, 31), EXPIRY)
        assert await tx.get_owner(OLD) is None
        new_owner = await tx.get_owner(NEW)
        assert (new_owner.timezone, new_owner.language, new_owner.language_set) == ("Asia/Jakarta", "id", True)
        assert [ln.label for ln in await tx.list_lines(ROOM)] == ["untouched"]


async def test_move_owner_renumbers_on_collisions_and_never_drops_a_line(store: Store) -> None:
    async with store.tx() as tx:
        for label in ("o1", "o2", "o3", "o4"):
            await add(tx, OLD, label)
        await tx.delete_line(OLD, (await tx.get_line(OLD, 2)).id)  # old: 1, 3, 4
        for label in ("n1", "n2"):
            await add(tx, NEW, label)
        await tx.update_owner(NEW, NOW, timezone="UTC")
        await tx.update_owner(OLD, NOW, timezone="Asia/Jakarta")
        assert await tx.move_owner(OLD, NEW, NOW) == 3
        nums = await numbers(tx, NEW)
        # The new room's lines keep their numbers; the moved ones take free numbers where needed.
        assert nums["n1"] == 1 and nums["n2"] == 2
        assert {k for k in nums} == {"n1", "n2", "o1", "o3", "o4"}
        assert len(set(nums.values())) == 5
        assert nums["o3"] == 3 and nums["o4"] == 4  # no collision: unchanged
        assert nums["o1"] == 5
        # The new room's own settings win over the old room's.
        assert (await tx.get_owner(NEW)).timezone == "UTC"


async def test_move_owner_random_collisions_never_lose_a_line(store: Store) -> None:
    rnd = random.Random(7)
    async with store.tx() as tx:
        for case in range(25):
            old, new = f"!old{case}:x", f"!new{case}:x"
            old_nums = rnd.sample(range(1, 12), rnd.randint(0, 8))
            new_nums = rnd.sample(range(1, 12), rnd.randint(0, 8))
            await tx.bulk_add_lines([(old, n, "axis", f"o{n}", EXPIRY) for n in old_nums], NOW)
            await tx.bulk_add_lines([(new, n, "axis", f"n{n}", EXPIRY) for n in new_nums], NOW)
            assert await tx.move_owner(old, new, NOW) == len(old_nums)
            nums = await numbers(tx, new)
            assert set(nums) == {f"o{n}" for n in old_nums} | {f"n{n}" for n in new_nums}, case
            assert len(set(nums.values())) == len(nums)
            assert all(nums[f"n{n}"] == n for n in new_nums)  # existing lines keep their numbers
            assert all(nums[f"o{n}"] == n for n in old_nums if n not in new_nums)
            assert await tx.count_lines(old) == 0


async def test_move_owner_repoints_dm_owners_room(store: Store) -> None:
    async with store.tx() as tx:
        await tx.update_owner(A, NOW, room_id=OLD)  # Alice's DM room was upgraded
        await tx.update_owner(B, NOW, room_id="!bob-dm:x")
        await add(tx, A, "alice's")
        assert await tx.move_owner(OLD, NEW, NOW) == 0
        assert (await tx.get_owner(A)).room_id == NEW
        assert (await tx.get_owner(B)).room_id == "!bob-dm:x"
        assert [ln.label for ln in await tx.list_lines(A)] == ["alice's"]  # a user's lines stay theirs


async def test_move_owner_carries_the_scam_guard_setting(store: Store) -> None:
    async with store.tx() as tx:
        await tx.room_joined(OLD, NOW)
        await tx.set_scamguard(OLD, False, NOW)
        await tx.room_rejoined(NEW, NOW + 1)
        await tx.move_owner(OLD, NEW, NOW + 1)
        assert not await tx.scamguard_on(NEW)
        assert await tx.room_joined_at(NEW) == NOW + 1
        # A room never switched keeps the default.
        await tx.room_rejoined("!c:x", NOW)
        await tx.move_owner("!b:x", "!c:x", NOW)
        assert await tx.scamguard_on("!c:x")


# --- forgetting a room --------------------------------------------------------------------------------


async def test_forget_room_deletes_only_that_rooms_data(store: Store) -> None:
    async with store.tx() as tx:
        await tx.room_joined(ROOM, NOW)
        await tx.set_scamguard(ROOM, False, NOW)
        r1 = await add(tx, ROOM, "r1", mention=A)
        r2 = await add(tx, ROOM, "r2", mention=B)
        await arm(tx, r1)
        await arm(tx, r2)
        await tx.add_renewal(r1.id, date(2026, 5, 31), EXPIRY, NOW)
        await tx.update_owner(ROOM, NOW, timezone="UTC")
        mine = await add(tx, A, "mine")
        other = await add(tx, "!other:x", "other room")
        await arm(tx, mine)
        await arm(tx, other)
        await tx.add_renewal(mine.id, date(2026, 5, 31), EXPIRY, NOW)
        await tx.update_owner(A, NOW, timezone="Asia/Jakarta", room_id=ROOM)
        await tx.room_joined("!other:x", NOW)
        assert await tx.forget_room(ROOM) == 2
    async with store.read() as tx:
        assert await tx.list_lines(ROOM) == []
        assert await tx.get_line_by_id(r1.id) is None
        assert await tx.pending_pings([r1.id, r2.id]) == {}
        assert await tx.last_renewal(r1.id) is None
        assert await tx.get_owner(ROOM) is None
        assert await tx.room_joined_at(ROOM) is None
        assert await tx.scamguard_on(ROOM)  # the room's row is gone too
        # Everyone else's data is untouched.
        assert [ln.label for ln in await tx.list_lines(A)] == ["mine"]
        assert [ln.label for ln in await tx.list_lines("!other:x")] == ["other room"]
        assert set(await tx.pending_pings([mine.id, other.id])) == {mine.id, other.id}
        assert await tx.last_renewal(mine.id) == (date(2026, 5, 31), EXPIRY)
        assert (await tx.get_owner(A)).timezone == "Asia/Jakarta"
        assert await tx.room_joined_at("!other:x") == NOW
        assert [ln.label for ln in await tx.lines_mentioning(A)] == []


async def test_forget_owner_returns_zero_for_nobody(store: Store) -> None:
    async with store.tx() as tx:
        assert await tx.forget_owner("@nobody:x") == 0
        assert await tx.forget_room("!nowhere:x") == 0


# --- leaving and rejoining --------------------------------------------------------------------------


async def test_rooms_left_before_and_rejoining(store: Store) -> None:
    async with store.tx() as tx:
        await tx.room_joined(ROOM, NOW)
        await tx.room_joined("!stay:x", NOW)
        assert not await tx.room_is_left(ROOM)
        assert await tx.rooms_left_before(NOW + 100 * DAY) == []
        await tx.room_left(ROOM, NOW + DAY)
        await tx.room_left("!never-joined:x", NOW + 2 * DAY)  # a row is made for it
        assert await tx.room_is_left(ROOM)
        assert await tx.room_is_left("!never-joined:x")
        assert not await tx.room_is_left("!stay:x")
        assert not await tx.room_is_left("!unknown:x")
        assert await tx.rooms_left_before(NOW + DAY) == []  # strictly before
        assert await tx.rooms_left_before(NOW + DAY + 1) == [ROOM]
        assert sorted(await tx.rooms_left_before(NOW + 3 * DAY)) == ["!never-joined:x", ROOM]

        await tx.room_rejoined(ROOM, NOW + 5 * DAY)
        assert not await tx.room_is_left(ROOM)
        assert await tx.rooms_left_before(NOW + 100 * DAY) == ["!never-joined:x"]
        # Rejoining keeps the original join time: older events stay ignored as before.
        assert await tx.room_joined_at(ROOM) == NOW
        # A room first seen on rejoin is simply joined.
        await tx.room_rejoined("!fresh:x", NOW + 6 * DAY)
        assert await tx.room_joined_at("!fresh:x") == NOW + 6 * DAY
        assert not await tx.room_is_left("!fresh:x")


async def test_leaving_and_rejoining_keep_the_scam_guard_setting(store: Store) -> None:
    async with store.tx() as tx:
        await tx.set_scamguard(ROOM, False, NOW)
        await tx.room_joined(ROOM, NOW)  # already there: unchanged
        await tx.room_left(ROOM, NOW + 1)
        await tx.room_rejoined(ROOM, NOW + 2)
        assert not await tx.scamguard_on(ROOM)


async def test_room_is_direct(store: Store) -> None:
    async with store.tx() as tx:
        assert await tx.room_is_direct("!unknown:x") is None
        await tx.room_joined(ROOM, NOW)
        assert await tx.room_is_direct(ROOM) is None  # joined before the flag was recorded
        await tx.room_rejoined(ROOM, NOW, is_direct=True)
        assert await tx.room_is_direct(ROOM) is True
        await tx.room_rejoined(ROOM, NOW)  # nothing said this time: the flag is kept (COALESCE)
        assert await tx.room_is_direct(ROOM) is True
        await tx.room_left(ROOM, NOW + 1)
        assert await tx.room_is_direct(ROOM) is True
        await tx.room_rejoined(ROOM, NOW + 2, is_direct=False)
        assert await tx.room_is_direct(ROOM) is False
        await tx.room_rejoined(ROOM, NOW + 3, is_direct=None)
        assert await tx.room_is_direct(ROOM) is False
        await tx.room_rejoined("!group:x", NOW, is_direct=False)
        assert await tx.room_is_direct("!group:x") is False


# --- lines that name a user -------------------------------------------------------------------------------


async def test_lines_mentioning_lists_room_lines_only(store: Store) -> None:
    async with store.tx() as tx:
        await add(tx, A, "own dm line", mention=A)  # the user's own line is not "shared"
        await add(tx, A, "own plain line")
        await add(tx, ROOM, "late", expiry=date(2026, 9, 1), mention=A)
        await add(tx, ROOM, "soon", expiry=date(2026, 6, 1), mention=A)
        await add(tx, ROOM, "bob's", mention=B)
        await add(tx, "!other:x", "elsewhere", expiry=date(2026, 7, 1), mention=A)
        await add(tx, B, "bob's dm")
        labels = [ln.label for ln in await tx.lines_mentioning(A)]
        assert labels == ["soon", "elsewhere", "late"]  # soonest expiry first
        assert [ln.label for ln in await tx.lines_mentioning(B)] == ["bob's"]
        assert await tx.lines_mentioning("@carol:x") == []
