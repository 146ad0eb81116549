"""The ping outbox (SQLite)."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from bot.core.model import Line, PingRow, PlannedPing
from bot.store.sqlite.connection import Base

PING_COLS = 'id, line_id, expiry, "offset", due, attempts, snooze'


def ping_of(row: Any, *, reclaimed: bool = False) -> PingRow:
    """A row whose first columns are ``PING_COLS``, in that order (either dialect) -> :class:`PingRow`.

    By position, not by name: a claim reads 500 rows at a time, and a PostgreSQL row's lookup by
    name is a Python call (bench/REPORT.md, section 9)."""
    return PingRow(row[0], row[1], date.fromisoformat(row[2]), row[3], row[4], row[5], row[6], reclaimed)


class Pings(Base):
    async def arm(
        self, line: Line, planned: Iterable[PlannedPing], *, keep_snoozed: bool = False
    ) -> PlannedPing | None:
        """Replace the line's pending ping by the first planned one not already handled.

        Snoozed pings survive when ``keep_snoozed`` (a regular ping went out); any change to the
        line itself drops them.
        """
        await self.db.execute(  # "? = 1": an integer flag, which both dialects compare alike
            "DELETE FROM pings WHERE line_id = ? AND status = 'pending' AND (snooze = 0 OR ? = 1)",
            (line.id, int(not keep_snoozed)),
        )
        done = {
            r["offset"]
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

    async def arm_many(
        self, items: Sequence[tuple[Line, Sequence[PlannedPing]]], *, keep_snoozed: bool = False
    ) -> list[PlannedPing | None]:
        """:meth:`arm` for many lines at once, in three statements instead of three per line: the
        outbox re-arms every line of a batch of sent pings, and on PostgreSQL each statement is a
        round trip (bench/REPORT.md, section 9). A line listed twice is armed once (its last plan)."""
        plans = {line.id: (line, planned) for line, planned in items}
        if not plans:
            return []
        ids = list(plans)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            await self.db.execute(
                "DELETE FROM pings WHERE status = 'pending' AND (snooze = 0 OR ? = 1) "
                f"AND line_id IN ({','.join('?' * len(part))})",
                (int(not keep_snoozed), *part),
            )
        done: dict[tuple[int, str], set[int]] = {}
        for r in await self._all_in('SELECT line_id, expiry, "offset" FROM pings WHERE snooze = 0 AND line_id IN ({})',
                                    ids):
            done.setdefault((int(r[0]), str(r[1])), set()).add(int(r[2]))
        first: dict[int, PlannedPing | None] = {}
        rows: list[tuple[int, str, int, int]] = []
        for line_id, (line, planned) in plans.items():
            handled = done.get((line_id, line.expiry.isoformat()), set())
            ping = first[line_id] = next((p for p in planned if p.offset not in handled), None)
            if ping is not None:
                rows.append((line_id, line.expiry.isoformat(), ping.offset, int(ping.due.timestamp() * 1000)))
        await self._insert_pending(rows)
        return [first[line.id] for line, _ in items]

    async def _insert_pending(self, rows: Sequence[tuple[int, str, int, int]]) -> None:
        """New pending pings (line_id, expiry ISO date, offset, due ms)."""
        await self.db.executemany(
            'INSERT INTO pings (line_id, expiry, "offset", due, not_before) VALUES (?, ?, ?, ?, ?)',
            [(lid, e, off, due, due) for lid, e, off, due in rows],
        )

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
        return (int(row["offset"]), int(row["due"])) if row else None

    async def pending_pings(self, line_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        rows = await self._all_in(
            "SELECT line_id, \"offset\", due FROM pings WHERE status = 'pending' AND line_id IN ({}) "
            "ORDER BY due DESC",
            line_ids,
        )
        found: dict[int, tuple[int, int]] = {}
        for r in rows:  # the earliest wins (within a chunk of 500 lines; a list shows far fewer)
            found[int(r["line_id"])] = (int(r["offset"]), int(r["due"]))
        return found

    async def next_wake(self) -> int | None:
        """The earliest instant (ms) at which some outbox row is due."""
        row = await self._one(
            "SELECT (SELECT MIN(not_before) FROM pings WHERE status = 'pending') AS p, "
            "(SELECT MIN(not_before) FROM replies WHERE status = 'pending') AS r"
        )
        candidates = [x for x in (row["p"], row["r"]) if x is not None]
        return min(candidates) if candidates else None

    async def due_pings(self, now_ms: int, limit: int = 1000) -> list[PingRow]:
        rows = await self._all(
            f"SELECT {PING_COLS} FROM pings WHERE status = 'pending' AND not_before <= ? "
            "ORDER BY not_before LIMIT ?",
            (now_ms, limit),
        )
        return [ping_of(r) for r in rows]

    async def claim_pings(
        self, now_ms: int, limit: int, *, claimant: str, lease_ms: int, exclude: Collection[int] = ()
    ) -> list[PingRow]:
        """The due pings, for this process to send: SQLite has one process, so no lease is needed.
        ``exclude``: rows this process is sending right now (the next claim overlaps their sends)."""
        rows = await self.due_pings(now_ms, limit + len(exclude))
        return [r for r in rows if r.id not in exclude][:limit]

    async def claim_pings_of(
        self, owner_ids: Collection[str], now_ms: int, limit: int, *, claimant: str, lease_ms: int,
        exclude: Collection[int] = (),
    ) -> list[PingRow]:
        owners = list(dict.fromkeys(owner_ids))[:500]
        if not owners:
            return []
        rows = await self._all(
            f"SELECT {PING_COLS} FROM pings WHERE status = 'pending' AND not_before <= ? AND line_id IN "
            f"(SELECT id FROM lines WHERE owner_id IN ({','.join('?' * len(owners))})) ORDER BY not_before, id LIMIT ?",
            (now_ms, *owners, limit + len(exclude)),
        )
        return [p for p in map(ping_of, rows) if p.id not in exclude][:limit]

    async def extend_claims(self, claimant: str, until_ms: int) -> int:
        return 0

    async def release_claims(self, claimant: str) -> None:
        return None

    async def ping_by_event(self, event_id: str) -> PingRow | None:
        """The sent ping whose Matrix event is ``event_id`` (for reactions and replies to it)."""
        r = await self._one(f"SELECT {PING_COLS} FROM pings WHERE event_id = ?", (event_id,))
        return ping_of(r) if r else None

    async def snooze(self, row: PingRow, due_ms: int) -> None:
        """Ask for the same ping again at ``due_ms``, as a new row with its own identity."""
        top = await self._one(
            'SELECT MAX(snooze) AS top FROM pings WHERE line_id = ? AND expiry = ? AND "offset" = ?',
            (row.line_id, row.expiry.isoformat(), row.offset),
        )
        await self.db.execute(
            "DELETE FROM pings WHERE line_id = ? AND status = 'pending' AND snooze > 0", (row.line_id,)
        )
        await self.db.execute(
            'INSERT INTO pings (line_id, expiry, "offset", snooze, due, not_before) VALUES (?, ?, ?, ?, ?, ?)',
            (row.line_id, row.expiry.isoformat(), row.offset, int(top["top"] or 0) + 1, due_ms, due_ms),
        )

    async def mark_ping_sent(self, ping_id: int, event_id: str, now_ms: int) -> None:
        await self.mark_pings_sent([(ping_id, event_id, now_ms)])

    async def mark_pings_sent(self, rows: Iterable[tuple[int, str, int]]) -> None:
        """Many (ping_id, event_id, now_ms) in one statement."""
        await self.db.executemany(
            "UPDATE pings SET status = 'sent', event_id = ?, sent_at = ? WHERE id = ?",
            [(event_id, now_ms, ping_id) for ping_id, event_id, now_ms in rows],
        )

    async def mark_ping_dropped(self, ping_id: int, now_ms: int) -> None:
        """The line is gone or silenced: the row stays as a record, never sent."""
        await self.db.execute("UPDATE pings SET status = 'skipped', sent_at = ? WHERE id = ?", (now_ms, ping_id))

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
            "UPDATE pings SET attempts = attempts + 1, not_before = ? WHERE id = ?", (not_before_ms, ping_id)
        )
