"""The SQLite store (aiosqlite, WAL): the only truth about lines, settings and the outboxes.

All access goes through :meth:`Store.tx` (a write transaction) or :meth:`Store.read`; both hold one
lock, because a single aiosqlite connection would otherwise mix concurrent coroutines' statements
into one transaction. Every query about lines is scoped to its owner.
"""
from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.model import Line, PlannedPing
from bot.store.migrate import SchemaTooNew, latest_version, migrate


class StoreError(Exception):
    """The database cannot be used (corrupt, from a newer version, unreadable); one line for the operator."""


@dataclass(frozen=True, slots=True)
class PingRow:
    id: int
    line_id: int
    expiry: date
    offset: int
    due: int  # unix ms
    attempts: int
    snooze: int = 0


@dataclass(frozen=True, slots=True)
class ReplyRow:
    id: int
    txn_id: str
    room_id: str
    msgtype: str
    content: dict[str, Any]
    attempts: int


@dataclass(frozen=True, slots=True)
class StoredOwner:
    """An owner's row as stored: unset fields are None and take the configured defaults."""

    owner_id: str
    room_id: str | None
    timezone: str | None
    ping_time: time | None
    lead_days: tuple[int, ...] | None
    language: str | None
    language_set: bool


def _days(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    return tuple(int(x) for x in text.split(",") if x != "")


def _days_text(days: Iterable[int] | None) -> str | None:
    return None if days is None else ",".join(str(d) for d in days)


_LINE_COLS = "id, owner_id, number, provider, label, expiry, lead_days, reminders_off, mention, variant"
_OWNER_COLS = "owner_id, room_id, timezone, ping_time, lead_days, language, language_set"


def _stored_owner(row: Sequence[Any]) -> StoredOwner:
    return StoredOwner(
        owner_id=row[0],
        room_id=row[1],
        timezone=row[2],
        ping_time=time.fromisoformat(row[3]) if row[3] else None,
        lead_days=_days(row[4]),
        language=row[5],
        language_set=bool(row[6]),
    )


def _line(row: Sequence[Any]) -> Line:
    return Line(
        id=row[0],
        owner_id=row[1],
        number=row[2],
        provider=row[3],
        label=row[4],
        expiry=date.fromisoformat(row[5]),
        lead_days=_days(row[6]),
        reminders_off=bool(row[7]),
        mention=row[8],
        variant=row[9],
    )


_PING_COLS = 'id, line_id, expiry, "offset", due, attempts, snooze'


def _ping(row: Sequence[Any]) -> PingRow:
    return PingRow(row[0], row[1], date.fromisoformat(row[2]), row[3], row[4], row[5], row[6])


class Tx:
    """Queries on the store's connection; only valid inside ``Store.tx()`` / ``Store.read()``."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    # One hop to aiosqlite's thread per query (execute + fetch + close would be three): the
    # outbox and every command run several queries, and each hop costs CPU on both threads.
    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self.db.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(await self.db.execute_fetchall(sql, params))

    async def _all_in(self, sql: str, keys: Iterable[Any], chunk: int = 500) -> list[Any]:
        """Rows for many keys: ``sql`` has one ``{}`` for the placeholders; 500 keys a query."""
        ids = list(dict.fromkeys(keys))
        rows: list[Any] = []
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            rows.extend(await self._all(sql.format(",".join("?" * len(part))), part))
        return rows

    # --- owners -----------------------------------------------------------------------------
    async def get_owner(self, owner_id: str) -> StoredOwner | None:
        row = await self._one(f"SELECT {_OWNER_COLS} FROM owners WHERE owner_id = ?", (owner_id,))
        return None if row is None else _stored_owner(row)

    async def get_owners(self, owner_ids: Iterable[str]) -> dict[str, StoredOwner]:
        """Many owners in one query each 500 (the outbox renders and re-arms pings in batches)."""
        rows = await self._all_in(f"SELECT {_OWNER_COLS} FROM owners WHERE owner_id IN ({{}})", owner_ids)
        return {r[0]: _stored_owner(r) for r in rows}

    async def ensure_owner(self, owner_id: str, now_ms: int) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO owners (owner_id, created_at) VALUES (?, ?)", (owner_id, now_ms)
        )

    async def update_owner(self, owner_id: str, now_ms: int, **fields: Any) -> None:
        """Set some of: room_id, timezone, ping_time, lead_days, language, language_set."""
        await self.ensure_owner(owner_id, now_ms)
        conv = {
            "ping_time": lambda v: v.strftime("%H:%M") if v is not None else None,
            "lead_days": _days_text,
            "language_set": lambda v: int(bool(v)),
        }
        allowed = {"room_id", "timezone", "ping_time", "lead_days", "language", "language_set"}
        sets, params = [], []
        for key, value in fields.items():
            if key not in allowed:
                raise ValueError(key)
            sets.append(f"{key} = ?")
            params.append(conv.get(key, lambda v: v)(value))
        if sets:
            await self.db.execute(
                f"UPDATE owners SET {', '.join(sets)} WHERE owner_id = ?", (*params, owner_id)
            )

    # --- lines ------------------------------------------------------------------------------
    async def count_lines(self, owner_id: str) -> int:
        (n,) = await self._one("SELECT COUNT(*) FROM lines WHERE owner_id = ?", (owner_id,))
        return int(n)

    async def add_line(
        self,
        owner_id: str,
        *,
        provider: str,
        label: str,
        expiry: date,
        now_ms: int,
        mention: str | None = None,
        variant: str | None = None,
    ) -> Line:
        """Store a line under the smallest free number of its owner."""
        numbers = {r[0] for r in await self._all("SELECT number FROM lines WHERE owner_id = ?", (owner_id,))}
        number = next(n for n in range(1, len(numbers) + 2) if n not in numbers)
        cur = await self.db.execute(
            "INSERT INTO lines (owner_id, number, provider, label, expiry, mention, variant, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (owner_id, number, provider, label, expiry.isoformat(), mention, variant, now_ms, now_ms),
        )
        return Line(
            id=int(cur.lastrowid or 0),
            owner_id=owner_id,
            number=number,
            provider=provider,
            label=label,
            expiry=expiry,
            mention=mention,
            variant=variant,
        )

    async def get_line(self, owner_id: str, number: int) -> Line | None:
        row = await self._one(
            f"SELECT {_LINE_COLS} FROM lines WHERE owner_id = ? AND number = ?", (owner_id, number)
        )
        return _line(row) if row else None

    async def get_line_by_id(self, line_id: int) -> Line | None:
        row = await self._one(f"SELECT {_LINE_COLS} FROM lines WHERE id = ?", (line_id,))
        return _line(row) if row else None

    async def get_lines_by_ids(self, line_ids: Iterable[int]) -> dict[int, Line]:
        """Many lines by id in one query each 500 (the outbox works in batches); missing ids are absent."""
        rows = await self._all_in(f"SELECT {_LINE_COLS} FROM lines WHERE id IN ({{}})", line_ids)
        return {r[0]: _line(r) for r in rows}

    async def list_lines(self, owner_id: str, *, offset: int = 0, limit: int = -1) -> list[Line]:
        rows = await self._all(
            f"SELECT {_LINE_COLS} FROM lines WHERE owner_id = ? ORDER BY expiry, number LIMIT ? OFFSET ?",
            (owner_id, limit, offset),
        )
        return [_line(r) for r in rows]

    async def update_line(self, line: Line, now_ms: int) -> None:
        await self.db.execute(
            "UPDATE lines SET provider = ?, label = ?, expiry = ?, lead_days = ?, reminders_off = ?, "
            "mention = ?, variant = ?, updated_at = ? WHERE id = ? AND owner_id = ?",
            (
                line.provider,
                line.label,
                line.expiry.isoformat(),
                _days_text(line.lead_days),
                int(line.reminders_off),
                line.mention,
                line.variant,
                now_ms,
                line.id,
                line.owner_id,
            ),
        )

    async def delete_line(self, owner_id: str, line_id: int) -> None:
        cur = await self.db.execute("DELETE FROM lines WHERE id = ? AND owner_id = ?", (line_id, owner_id))
        if cur.rowcount:  # only the owner's own line takes its pending ping with it
            await self.db.execute("DELETE FROM pings WHERE line_id = ? AND status = 'pending'", (line_id,))

    async def add_renewal(self, line_id: int, old: date, new: date, now_ms: int) -> None:
        await self.db.execute(
            "INSERT INTO renewals (line_id, old_expiry, new_expiry, at) VALUES (?, ?, ?, ?)",
            (line_id, old.isoformat(), new.isoformat(), now_ms),
        )

    async def last_renewal(self, line_id: int) -> tuple[date, date] | None:
        row = await self._one(
            "SELECT old_expiry, new_expiry FROM renewals WHERE line_id = ? ORDER BY id DESC LIMIT 1",
            (line_id,),
        )
        return (date.fromisoformat(row[0]), date.fromisoformat(row[1])) if row else None

    async def bulk_add_lines(self, rows: Iterable[tuple[str, int, str, str, date]], now_ms: int) -> None:
        """Seed many lines at once (owner, number, provider, label, expiry): for benchmarks and imports."""
        await self.db.executemany(
            "INSERT INTO lines (owner_id, number, provider, label, expiry, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((o, n, p, lbl, e.isoformat(), now_ms, now_ms) for o, n, p, lbl, e in rows),
        )

    # --- ping outbox ------------------------------------------------------------------------
    async def arm(
        self, line: Line, planned: Iterable[PlannedPing], *, keep_snoozed: bool = False
    ) -> PlannedPing | None:
        """Replace the line's pending ping by the first planned one not already handled.

        Snoozed pings survive when ``keep_snoozed`` (a regular ping went out); any change to the
        line itself drops them.
        """
        await self.db.execute(
            "DELETE FROM pings WHERE line_id = ? AND status = 'pending' AND (snooze = 0 OR ?)",
            (line.id, int(not keep_snoozed)),
        )
        done = {
            r[0]
            for r in await self._all(
                'SELECT "offset" FROM pings WHERE line_id = ? AND expiry = ? AND snooze = 0',
                (line.id, line.expiry.isoformat()),
            )
        }
        for ping in planned:
            if ping.offset in done:
                continue
            due = int(ping.due.timestamp() * 1000)
            await self.db.execute(
                'INSERT INTO pings (line_id, expiry, "offset", due, not_before) VALUES (?, ?, ?, ?, ?)',
                (line.id, line.expiry.isoformat(), ping.offset, due, due),
            )
            return ping
        return None

    async def bulk_arm(self, rows: Iterable[tuple[int, date, int, int]]) -> None:
        """Insert pending pings (line_id, expiry, offset, due_ms) in bulk: for benchmarks and imports."""
        await self.db.executemany(
            'INSERT OR IGNORE INTO pings (line_id, expiry, "offset", due, not_before) VALUES (?, ?, ?, ?, ?)',
            ((lid, e.isoformat(), off, due, due) for lid, e, off, due in rows),
        )

    async def pending_ping(self, line_id: int) -> tuple[int, int] | None:
        """(offset, due ms) of the line's next ping, if any."""
        row = await self._one(
            "SELECT \"offset\", due FROM pings WHERE line_id = ? AND status = 'pending' ORDER BY due LIMIT 1",
            (line_id,),
        )
        return (int(row[0]), int(row[1])) if row else None

    async def pending_pings(self, line_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        if not line_ids:
            return {}
        marks = ",".join("?" * len(line_ids))
        rows = await self._all(
            f"SELECT line_id, \"offset\", due FROM pings WHERE status = 'pending' AND line_id IN ({marks}) "
            "ORDER BY due DESC",
            tuple(line_ids),
        )
        return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}  # the earliest wins

    async def next_wake(self) -> int | None:
        """The earliest instant (ms) at which some outbox row is due."""
        (a,) = await self._one("SELECT MIN(not_before) FROM pings WHERE status = 'pending'")
        (b,) = await self._one("SELECT MIN(not_before) FROM replies WHERE status = 'pending'")
        candidates = [x for x in (a, b) if x is not None]
        return min(candidates) if candidates else None

    async def due_pings(self, now_ms: int, limit: int = 1000) -> list[PingRow]:
        rows = await self._all(
            f"SELECT {_PING_COLS} FROM pings WHERE status = 'pending' AND not_before <= ? "
            "ORDER BY not_before LIMIT ?",
            (now_ms, limit),
        )
        return [_ping(r) for r in rows]

    async def ping_by_event(self, event_id: str) -> PingRow | None:
        """The sent ping whose Matrix event is ``event_id`` (for reactions and replies to it)."""
        r = await self._one(f"SELECT {_PING_COLS} FROM pings WHERE event_id = ?", (event_id,))
        return _ping(r) if r else None

    async def snooze(self, row: PingRow, due_ms: int) -> None:
        """Ask for the same ping again at ``due_ms``, as a new row with its own identity."""
        (top,) = await self._one(
            'SELECT MAX(snooze) FROM pings WHERE line_id = ? AND expiry = ? AND "offset" = ?',
            (row.line_id, row.expiry.isoformat(), row.offset),
        )
        await self.db.execute(
            "DELETE FROM pings WHERE line_id = ? AND status = 'pending' AND snooze > 0", (row.line_id,)
        )
        await self.db.execute(
            'INSERT INTO pings (line_id, expiry, "offset", snooze, due, not_before) VALUES (?, ?, ?, ?, ?, ?)',
            (row.line_id, row.expiry.isoformat(), row.offset, int(top or 0) + 1, due_ms, due_ms),
        )

    async def mark_ping_sent(self, ping_id: int, event_id: str, now_ms: int) -> None:
        await self.db.execute(
            "UPDATE pings SET status = 'sent', event_id = ?, sent_at = ? WHERE id = ?",
            (event_id, now_ms, ping_id),
        )

    async def mark_pings_sent(self, rows: Iterable[tuple[int, str, int]]) -> None:
        """``mark_ping_sent`` for many (ping_id, event_id, now_ms) in one statement."""
        await self.db.executemany(
            "UPDATE pings SET status = 'sent', event_id = ?, sent_at = ? WHERE id = ?",
            [(event_id, now_ms, ping_id) for ping_id, event_id, now_ms in rows],
        )

    async def mark_ping_dropped(self, ping_id: int, now_ms: int) -> None:
        """The line is gone or silenced: the row stays as a record, never sent."""
        await self.db.execute(
            "UPDATE pings SET status = 'skipped', sent_at = ? WHERE id = ?", (now_ms, ping_id)
        )

    async def retry_now(self, ping_ids: Sequence[int], reply_ids: Sequence[int], now_ms: int) -> int:
        """Make these pending pings and replies due now (the homeserver is back)."""
        n = 0
        for table, ids in (("pings", ping_ids), ("replies", reply_ids)):
            for i in range(0, len(ids), 500):
                part = list(ids[i : i + 500])
                cur = await self.db.execute(
                    f"UPDATE {table} SET not_before = ? WHERE status = 'pending' AND not_before > ? "
                    f"AND id IN ({','.join('?' * len(part))})",
                    (now_ms, now_ms, *part),
                )
                n += max(cur.rowcount, 0)
        return n

    async def retry_ping(self, ping_id: int, not_before_ms: int) -> None:
        await self.db.execute(
            "UPDATE pings SET attempts = attempts + 1, not_before = ? WHERE id = ?",
            (not_before_ms, ping_id),
        )

    # --- events and reply outbox ------------------------------------------------------------
    async def mark_handled(self, event_id: str, room_id: str, now_ms: int) -> bool:
        """Record an event as handled; False if it already was (then do nothing)."""
        cur = await self.db.execute(
            "INSERT OR IGNORE INTO handled_events (event_id, room_id, at) VALUES (?, ?, ?)",
            (event_id, room_id, now_ms),
        )
        return cur.rowcount == 1

    async def is_handled(self, event_id: str) -> bool:
        return await self._one("SELECT 1 FROM handled_events WHERE event_id = ?", (event_id,)) is not None

    async def enqueue_reply(
        self, txn_id: str, room_id: str, msgtype: str, content: dict[str, Any], now_ms: int
    ) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO replies (txn_id, room_id, msgtype, content, not_before, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (txn_id, room_id, msgtype, json.dumps(content, ensure_ascii=False), now_ms, now_ms),
        )

    async def due_replies(self, now_ms: int, limit: int = 200) -> list[ReplyRow]:
        rows = await self._all(
            "SELECT id, txn_id, room_id, msgtype, content, attempts FROM replies "
            "WHERE status = 'pending' AND not_before <= ? ORDER BY id LIMIT ?",
            (now_ms, limit),
        )
        return [ReplyRow(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]

    async def mark_reply_sent(self, reply_id: int) -> None:
        await self.db.execute("UPDATE replies SET status = 'sent' WHERE id = ?", (reply_id,))

    async def retry_reply(self, reply_id: int, not_before_ms: int, *, give_up: bool = False) -> None:
        await self.db.execute(
            "UPDATE replies SET attempts = attempts + 1, not_before = ?, status = ? WHERE id = ?",
            (not_before_ms, "failed" if give_up else "pending", reply_id),
        )

    # --- rooms and key/value ----------------------------------------------------------------
    async def room_joined(self, room_id: str, joined_at_ms: int) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO rooms (room_id, joined_at) VALUES (?, ?)", (room_id, joined_at_ms)
        )

    async def room_joined_at(self, room_id: str) -> int | None:
        row = await self._one("SELECT joined_at FROM rooms WHERE room_id = ?", (room_id,))
        return int(row[0]) if row else None

    async def room_rejoined(self, room_id: str, joined_at_ms: int, *, is_direct: bool | None = None) -> None:
        """Joined (again): the room's data is no longer up for deletion."""
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, is_direct) VALUES (?, ?, ?) "
            "ON CONFLICT(room_id) DO UPDATE SET left_at = NULL, is_direct = COALESCE(excluded.is_direct, is_direct)",
            (room_id, joined_at_ms, None if is_direct is None else int(is_direct)),
        )

    async def room_is_direct(self, room_id: str) -> bool | None:
        row = await self._one("SELECT is_direct FROM rooms WHERE room_id = ?", (room_id,))
        return None if row is None or row[0] is None else bool(row[0])

    async def room_left(self, room_id: str, now_ms: int) -> None:
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, left_at) VALUES (?, ?, ?) "
            "ON CONFLICT(room_id) DO UPDATE SET left_at = excluded.left_at",
            (room_id, now_ms, now_ms),
        )

    async def room_is_left(self, room_id: str) -> bool:
        row = await self._one("SELECT left_at FROM rooms WHERE room_id = ?", (room_id,))
        return bool(row and row[0] is not None)

    async def rooms_left_before(self, before_ms: int) -> list[str]:
        rows = await self._all("SELECT room_id FROM rooms WHERE left_at IS NOT NULL AND left_at < ?", (before_ms,))
        return [r[0] for r in rows]

    async def forget_owner(self, owner_id: str) -> int:
        """Delete an owner's lines, their history and pending pings, and the owner's settings."""
        ids = [r[0] for r in await self._all("SELECT id FROM lines WHERE owner_id = ?", (owner_id,))]
        for line_id in ids:
            await self.db.execute("DELETE FROM pings WHERE line_id = ? AND status = 'pending'", (line_id,))
            await self.db.execute("DELETE FROM renewals WHERE line_id = ?", (line_id,))
        await self.db.execute("DELETE FROM lines WHERE owner_id = ?", (owner_id,))
        await self.db.execute("DELETE FROM owners WHERE owner_id = ?", (owner_id,))
        return len(ids)

    async def forget_room(self, room_id: str) -> int:
        n = await self.forget_owner(room_id)
        await self.db.execute("DELETE FROM rooms WHERE room_id = ?", (room_id,))
        return n

    async def move_owner(self, old: str, new: str, now_ms: int) -> int:
        """A room was upgraded: its lines and settings follow it to the new room."""
        taken = {r[0] for r in await self._all("SELECT number FROM lines WHERE owner_id = ?", (new,))}
        moved = await self._all("SELECT id, number FROM lines WHERE owner_id = ? ORDER BY number", (old,))
        # Lines whose number is free in the new room keep it; only the colliding ones are
        # renumbered (never dropped), so "renewed 3" still means the same line where it can.
        keep = {number for _, number in moved if number not in taken}
        taken |= keep
        for line_id, number in moved:
            if number not in keep:
                number = next(n for n in range(1, len(taken) + 2) if n not in taken)
                taken.add(number)
            await self.db.execute(
                "UPDATE lines SET owner_id = ?, number = ?, updated_at = ? WHERE id = ?", (new, number, now_ms, line_id)
            )
        await self.db.execute("UPDATE OR IGNORE owners SET owner_id = ? WHERE owner_id = ?", (new, old))
        await self.db.execute("UPDATE owners SET room_id = ? WHERE room_id = ?", (new, old))
        # The room's scam guard switch is a room setting too.
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, scamguard) SELECT ?, ?, scamguard FROM rooms WHERE room_id = ? "
            "ON CONFLICT(room_id) DO UPDATE SET scamguard = excluded.scamguard",
            (new, now_ms, old),
        )
        return len(moved)

    async def scamguard_on(self, room_id: str) -> bool:
        row = await self._one("SELECT scamguard FROM rooms WHERE room_id = ?", (room_id,))
        return bool(row[0]) if row else True

    async def set_scamguard(self, room_id: str, on: bool, now_ms: int) -> None:
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, scamguard) VALUES (?, ?, ?) "
            "ON CONFLICT(room_id) DO UPDATE SET scamguard = excluded.scamguard",
            (room_id, now_ms, int(on)),
        )

    async def lines_mentioning(self, user_id: str) -> list[Line]:
        """Group rooms' lines that name this user as their owner."""
        rows = await self._all(
            f"SELECT {_LINE_COLS} FROM lines WHERE mention = ? AND owner_id != ? ORDER BY expiry, number",
            (user_id, user_id),
        )
        return [_line(r) for r in rows]

    async def get_kv(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM kv WHERE key = ?", (key,))
        return row[0] if row else None

    async def set_kv(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def prune_handled(self, older_than_ms: int) -> None:
        await self.db.execute("DELETE FROM handled_events WHERE at < ?", (older_than_ms,))

    # --- operator figures (metrics, admin stats) ---------------------------------------------
    async def ops_figures(self, now_ms: int) -> dict[str, Any]:
        """Outbox depth and oldest due instant (ms) per outbox, lines, owners with lines."""
        p = await self._one(
            "SELECT COUNT(*), MIN(due) FROM pings WHERE status = 'pending' AND due <= ?", (now_ms,)
        )
        r = await self._one(
            "SELECT COUNT(*), MIN(created_at) FROM replies WHERE status = 'pending' AND created_at <= ?", (now_ms,)
        )
        (lines, owners) = await self._one("SELECT COUNT(*), COUNT(DISTINCT owner_id) FROM lines")
        return {"pings": (int(p[0]), p[1]), "replies": (int(r[0]), r[1]), "lines": int(lines), "owners": int(owners)}

    async def ping_counts(self, since_ms: int, now_ms: int) -> tuple[int, int]:
        """(sent, failed) pings due in [since, now]: sent ones, and those that failed at least
        once (sent late after a retry, or still waiting)."""
        row = await self._one(
            "SELECT COALESCE(SUM(status = 'sent'), 0), COALESCE(SUM(attempts > 0), 0) FROM pings "
            "WHERE due >= ? AND due <= ?",
            (since_ms, now_ms),
        )
        return int(row[0]), int(row[1])


class _InPlace:
    """The store's connection, with its statements run in place on the event loop's thread.

    aiosqlite hands each statement to its worker thread and the result back: about 65 µs of CPU
    per statement on a 2-core machine, several times what an indexed statement itself costs. A
    command runs 5 to 11 statements and a ping 4 to 8, so those hand-offs were most of the
    store's cost (bench/REPORT.md). The statements are small and indexed, and the store's lock
    already lets only one coroutine use the connection at a time, so they run in place.
    aiosqlite still opens, migrates and closes the connection.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Any]) -> sqlite3.Cursor:
        return self._conn.executemany(sql, rows)

    async def execute_fetchall(self, sql: str, params: Any = ()) -> list[Any]:
        return self._conn.execute(sql, params).fetchall()

    def commit(self) -> None:
        self._conn.commit()

    def rollback(self) -> None:
        self._conn.rollback()


class Store:
    """Owns the connection. ``async with store.tx() as tx`` for writes, ``store.read()`` for reads."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self._lock = asyncio.Lock()
        self._conn = _InPlace(db._conn)  # the sqlite3 connection aiosqlite opened for us
        self._tx = Tx(self._conn)  # type: ignore[arg-type]

    @classmethod
    async def open(cls, path: Path | str, *, check: bool = True) -> "Store":
        """Open (creating if need be), check and migrate the database.

        Raises :class:`StoreError` for a corrupt or truncated file or one from a newer version.
        The connection is closed on any failure: aiosqlite's worker thread is not a daemon, and a
        connection left open would keep a failed process alive.
        """
        try:
            db = await aiosqlite.connect(str(path), isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"database {path}: cannot open it: {exc}") from None
        try:
            await db.execute("PRAGMA busy_timeout = 5000")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            if check:
                rows = await db.execute_fetchall("PRAGMA quick_check")
                problems = [r[0] for r in rows if r[0] != "ok"]
                if problems:
                    raise StoreError(
                        f"database {path} is corrupt ({problems[0][:120]}); restore a backup "
                        "(renewal-bot db restore) or move the file away"
                    )
            await migrate(db)
        except BaseException as exc:
            await db.close()
            if isinstance(exc, SchemaTooNew):
                raise StoreError(
                    f"database {path} has schema version {exc.found}, newer than this renewal-bot "
                    f"knows ({latest_version()}): run a newer renewal-bot, or restore a backup of this version"
                ) from None
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"database {path} is unusable ({exc}); restore a backup or move the file away") from None
            raise
        return cls(db)

    @asynccontextmanager
    async def tx(self) -> AsyncIterator[Tx]:
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._tx
            except BaseException:
                self._conn.rollback()
                raise
            else:
                self._conn.commit()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        async with self._lock:
            yield self._tx

    async def close(self) -> None:
        await self._db.close()
