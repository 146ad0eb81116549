"""Lines and their renewal history (SQLite)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.core.model import Line
from bot.store.sqlite.connection import Base, days_of, days_text

LINE_COLS = "id, owner_id, number, provider, label, expiry, lead_days, reminders_off, mention, variant"


def line_of(row: Any) -> Line:
    return Line(
        id=row["id"],
        owner_id=row["owner_id"],
        number=row["number"],
        provider=row["provider"],
        label=row["label"],
        expiry=date.fromisoformat(row["expiry"]),
        lead_days=days_of(row["lead_days"]),
        reminders_off=bool(row["reminders_off"]),
        mention=row["mention"],
        variant=row["variant"],
    )


class Lines(Base):
    async def count_lines(self, owner_id: str) -> int:
        row = await self._one("SELECT COUNT(*) AS n FROM lines WHERE owner_id = ?", (owner_id,))
        return int(row["n"])

    async def add_line(
        self, owner_id: str, *, provider: str, label: str, expiry: date, now_ms: int, mention: str | None = None,
        variant: str | None = None,
    ) -> Line:
        """Store a line under the smallest free number of its owner."""
        numbers = {r["number"] for r in await self._all("SELECT number FROM lines WHERE owner_id = ?", (owner_id,))}
        number = next(n for n in range(1, len(numbers) + 2) if n not in numbers)
        cur = await self.db.execute(
            "INSERT INTO lines (owner_id, number, provider, label, expiry, mention, variant, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (owner_id, number, provider, label, expiry.isoformat(), mention, variant, now_ms, now_ms),
        )
        return Line(
            id=int(cur.lastrowid or 0), owner_id=owner_id, number=number, provider=provider, label=label,
            expiry=expiry, mention=mention, variant=variant,
        )

    async def get_line(self, owner_id: str, number: int) -> Line | None:
        row = await self._one(f"SELECT {LINE_COLS} FROM lines WHERE owner_id = ? AND number = ?", (owner_id, number))
        return line_of(row) if row else None

    async def get_line_by_id(self, line_id: int) -> Line | None:
        row = await self._one(f"SELECT {LINE_COLS} FROM lines WHERE id = ?", (line_id,))
        return line_of(row) if row else None

    async def get_lines_by_ids(self, line_ids: Iterable[int]) -> dict[int, Line]:
        """Many lines by id in one query each 500 (the outbox works in batches); missing ids are absent."""
        rows = await self._all_in(f"SELECT {LINE_COLS} FROM lines WHERE id IN ({{}})", line_ids)
        return {r["id"]: line_of(r) for r in rows}

    async def list_lines(self, owner_id: str, *, offset: int = 0, limit: int = -1) -> list[Line]:
        rows = await self._all(
            f"SELECT {LINE_COLS} FROM lines WHERE owner_id = ? ORDER BY expiry, number LIMIT ? OFFSET ?",
            (owner_id, limit if limit >= 0 else 2**62, offset),
        )
        return [line_of(r) for r in rows]

    async def lines_mentioning(self, user_id: str) -> list[Line]:
        """Group rooms' lines that name this user as their owner."""
        rows = await self._all(
            f"SELECT {LINE_COLS} FROM lines WHERE mention = ? AND owner_id != ? ORDER BY expiry, number",
            (user_id, user_id),
        )
        return [line_of(r) for r in rows]

    async def update_line(self, line: Line, now_ms: int) -> None:
        await self.db.execute(
            "UPDATE lines SET provider = ?, label = ?, expiry = ?, lead_days = ?, reminders_off = ?, "
            "mention = ?, variant = ?, updated_at = ? WHERE id = ? AND owner_id = ?",
            (
                line.provider, line.label, line.expiry.isoformat(), days_text(line.lead_days),
                int(line.reminders_off), line.mention, line.variant, now_ms, line.id, line.owner_id,
            ),
        )

    async def delete_line(self, owner_id: str, line_id: int) -> None:
        """Only the owner's own line; its pings and renewals follow (ON DELETE CASCADE)."""
        await self.db.execute("DELETE FROM lines WHERE id = ? AND owner_id = ?", (line_id, owner_id))

    async def add_renewal(self, line_id: int, old: date, new: date, now_ms: int) -> None:
        await self.db.execute(
            "INSERT INTO renewals (line_id, old_expiry, new_expiry, at) VALUES (?, ?, ?, ?)",
            (line_id, old.isoformat(), new.isoformat(), now_ms),
        )

    async def last_renewal(self, line_id: int) -> tuple[date, date] | None:
        row = await self._one(
            "SELECT old_expiry, new_expiry FROM renewals WHERE line_id = ? ORDER BY id DESC LIMIT 1", (line_id,)
        )
        return (date.fromisoformat(row["old_expiry"]), date.fromisoformat(row["new_expiry"])) if row else None

    async def bulk_add_lines(self, rows: Iterable[tuple[str, int, str, str, date]], now_ms: int) -> None:
        """Seed many lines at once (owner, number, provider, label, expiry): for benchmarks and imports."""
        await self.db.executemany(
            "INSERT INTO lines (owner_id, number, provider, label, expiry, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((o, n, p, lbl, e.isoformat(), now_ms, now_ms) for o, n, p, lbl, e in rows),
        )
