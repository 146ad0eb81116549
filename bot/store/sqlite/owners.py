"""Owners: a user's or a room's settings (SQLite)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import time
from typing import Any

from bot.store.base import StoredOwner
from bot.store.sqlite.connection import Base, days_of, days_text

_OWNER_COLS = "owner_id, room_id, timezone, ping_time, lead_days, language, language_set"
_CONVERT: dict[str, Callable[[Any], Any]] = {
    "ping_time": lambda v: v.strftime("%H:%M") if v is not None else None,
    "lead_days": days_text,
    "language_set": lambda v: int(bool(v)),
}
_SETTABLE = {"room_id", "timezone", "ping_time", "lead_days", "language", "language_set"}


def _stored_owner(row: Any) -> StoredOwner:
    return StoredOwner(
        owner_id=row["owner_id"],
        room_id=row["room_id"],
        timezone=row["timezone"],
        ping_time=time.fromisoformat(row["ping_time"]) if row["ping_time"] else None,
        lead_days=days_of(row["lead_days"]),
        language=row["language"],
        language_set=bool(row["language_set"]),
    )


class Owners(Base):
    async def get_owner(self, owner_id: str) -> StoredOwner | None:
        row = await self._one(f"SELECT {_OWNER_COLS} FROM owners WHERE owner_id = ?", (owner_id,))
        return None if row is None else _stored_owner(row)

    async def get_owners(self, owner_ids: Iterable[str]) -> dict[str, StoredOwner]:
        """Many owners in one query each 500 (the outbox renders and re-arms pings in batches)."""
        rows = await self._all_in(f"SELECT {_OWNER_COLS} FROM owners WHERE owner_id IN ({{}})", owner_ids)
        return {r["owner_id"]: _stored_owner(r) for r in rows}

    async def ensure_owner(self, owner_id: str, now_ms: int) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO owners (owner_id, created_at) VALUES (?, ?)", (owner_id, now_ms)
        )

    async def update_owner(self, owner_id: str, now_ms: int, **fields: Any) -> None:
        """Set some of: room_id, timezone, ping_time, lead_days, language, language_set."""
        await self.ensure_owner(owner_id, now_ms)
        sets, params = [], []
        for key, value in fields.items():
            if key not in _SETTABLE:
                raise ValueError(key)
            sets.append(f"{key} = ?")
            params.append(_CONVERT.get(key, lambda v: v)(value))
        if sets:
            await self.db.execute(f"UPDATE owners SET {', '.join(sets)} WHERE owner_id = ?", (*params, owner_id))

    async def forget_owner(self, owner_id: str) -> int:
        """Delete an owner's lines (their pings and renewals follow: ON DELETE CASCADE) and settings."""
        cur = await self.db.execute("DELETE FROM lines WHERE owner_id = ?", (owner_id,))
        await self.db.execute("DELETE FROM owners WHERE owner_id = ?", (owner_id,))
        return int(cur.rowcount)

    async def move_owner(self, old: str, new: str, now_ms: int) -> int:
        """A room was upgraded: its lines and settings follow it to the new room."""
        taken = {r["number"] for r in await self._all("SELECT number FROM lines WHERE owner_id = ?", (new,))}
        moved = [
            (r["id"], r["number"])
            for r in await self._all("SELECT id, number FROM lines WHERE owner_id = ? ORDER BY number", (old,))
        ]
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
        # The new room's settings win when it has some; else the old room's move along.
        await self.db.execute(
            "UPDATE owners SET owner_id = ? WHERE owner_id = ? AND NOT EXISTS (SELECT 1 FROM owners WHERE owner_id = ?)",
            (new, old, new),
        )
        await self.db.execute("UPDATE owners SET room_id = ? WHERE room_id = ?", (new, old))
        # The room's scam guard switch is a room setting too.
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, scamguard) SELECT ?, ?, scamguard FROM rooms WHERE room_id = ? "
            "ON CONFLICT(room_id) DO UPDATE SET scamguard = excluded.scamguard",
            (new, now_ms, old),
        )
        return len(moved)
