"""Rooms the bot is or was in, and small key/value settings (SQLite)."""
from __future__ import annotations

from collections.abc import Iterable

from bot.store.sqlite.connection import Base


class Rooms(Base):
    async def room_joined(self, room_id: str, joined_at_ms: int) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO rooms (room_id, joined_at) VALUES (?, ?)", (room_id, joined_at_ms)
        )

    async def room_joined_at(self, room_id: str) -> int | None:
        row = await self._one("SELECT joined_at FROM rooms WHERE room_id = ?", (room_id,))
        return int(row["joined_at"]) if row else None

    async def room_rejoined(self, room_id: str, joined_at_ms: int, *, is_direct: bool | None = None) -> None:
        """Joined (again): the room's data is no longer up for deletion."""
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, is_direct) VALUES (?, ?, ?) "
            "ON CONFLICT (room_id) DO UPDATE SET left_at = NULL, is_direct = COALESCE(excluded.is_direct, rooms.is_direct)",
            (room_id, joined_at_ms, None if is_direct is None else int(is_direct)),
        )

    async def room_is_direct(self, room_id: str) -> bool | None:
        row = await self._one("SELECT is_direct FROM rooms WHERE room_id = ?", (room_id,))
        return None if row is None or row["is_direct"] is None else bool(row["is_direct"])

    async def room_left(self, room_id: str, now_ms: int) -> None:
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, left_at) VALUES (?, ?, ?) "
            "ON CONFLICT(room_id) DO UPDATE SET left_at = excluded.left_at",
            (room_id, now_ms, now_ms),
        )

    async def room_is_left(self, room_id: str) -> bool:
        row = await self._one("SELECT left_at FROM rooms WHERE room_id = ?", (room_id,))
        return bool(row and row["left_at"] is not None)

    async def rooms_left_before(self, before_ms: int) -> list[str]:
        rows = await self._all("SELECT room_id FROM rooms WHERE left_at IS NOT NULL AND left_at < ?", (before_ms,))
        return [r["room_id"] for r in rows]

    async def forget_room(self, room_id: str) -> int:
        """Delete a room's lines (with their pings and renewals), settings and record."""
        cur = await self.db.execute("DELETE FROM lines WHERE owner_id = ?", (room_id,))
        await self.db.execute("DELETE FROM owners WHERE owner_id = ?", (room_id,))
        await self.db.execute("DELETE FROM rooms WHERE room_id = ?", (room_id,))
        return int(cur.rowcount)

    async def scamguard_on(self, room_id: str) -> bool:
        row = await self._one("SELECT scamguard FROM rooms WHERE room_id = ?", (room_id,))
        return bool(row["scamguard"]) if row else True

    async def set_scamguard(self, room_id: str, on: bool, now_ms: int) -> None:
        await self.db.execute(
            "INSERT INTO rooms (room_id, joined_at, scamguard) VALUES (?, ?, ?) "
            "ON CONFLICT(room_id) DO UPDATE SET scamguard = excluded.scamguard",
            (room_id, now_ms, int(on)),
        )


class KeyValue(Base):
    async def get_kv(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM kv WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def get_kvs(self, keys: Iterable[str]) -> dict[str, str]:
        """The values of those of ``keys`` that are set."""
        return {str(r["key"]): str(r["value"]) for r in await self._all_in("SELECT key, value FROM kv WHERE key IN ({})", keys)}

    async def set_kv(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
