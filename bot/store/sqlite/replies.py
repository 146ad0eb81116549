"""The reply outbox and the record of handled events (SQLite)."""
from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from bot.store.base import ReplyRow
from bot.store.sqlite.connection import Base

REPLY_COLS = "id, txn_id, room_id, msgtype, content, attempts, created_at"


def reply_of(row: Any, *, reclaimed: bool = False) -> ReplyRow:
    """A row of ``REPLY_COLS`` (by column name, in either dialect) -> :class:`ReplyRow`."""
    return ReplyRow(
        row["id"], row["txn_id"], row["room_id"], row["msgtype"], json.loads(row["content"]), row["attempts"],
        created_at=row["created_at"], reclaimed=reclaimed,
    )


class Replies(Base):
    async def enqueue_reply(
        self, txn_id: str, room_id: str, msgtype: str, content: dict[str, Any], now_ms: int
    ) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO replies (txn_id, room_id, msgtype, content, not_before, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (txn_id, room_id, msgtype, json.dumps(content, ensure_ascii=False), now_ms, now_ms),
        )

    async def claim_replies(
        self, now_ms: int, limit: int, *, claimant: str, lease_ms: int, exclude: Collection[int] = ()
    ) -> list[ReplyRow]:
        """The due replies (one process: no lease), but not those in ``exclude`` (being sent)."""
        rows = await self.due_replies(now_ms, limit + len(exclude))
        return [r for r in rows if r.id not in exclude][:limit]

    async def due_replies(self, now_ms: int, limit: int = 200) -> list[ReplyRow]:
        rows = await self._all(
            f"SELECT {REPLY_COLS} FROM replies WHERE status = 'pending' AND not_before <= ? ORDER BY id LIMIT ?",
            (now_ms, limit),
        )
        return [reply_of(r) for r in rows]

    async def mark_reply_sent(self, reply_id: int, event_id: str | None = None) -> None:
        await self.db.execute(
            "UPDATE replies SET status = 'sent', event_id = COALESCE(?, event_id) WHERE id = ?", (event_id, reply_id)
        )

    async def sent_reply_event(self, txn_id: str) -> str | None:
        """The event ID of the reply sent with ``txn_id`` (None while it is still queued)."""
        row = await self._one("SELECT event_id FROM replies WHERE txn_id = ? AND status = 'sent'", (txn_id,))
        return row[0] if row else None

    async def retry_reply(self, reply_id: int, not_before_ms: int, *, give_up: bool = False) -> None:
        await self.db.execute(
            "UPDATE replies SET attempts = attempts + 1, not_before = ?, status = ? WHERE id = ?",
            (not_before_ms, "failed" if give_up else "pending", reply_id),
        )


class HandledEvents(Base):
    async def mark_handled(self, event_id: str, room_id: str, now_ms: int) -> bool:
        """Record an event as handled; False if it already was (then do nothing)."""
        cur = await self.db.execute(
            "INSERT OR IGNORE INTO handled_events (event_id, room_id, at) VALUES (?, ?, ?)",
            (event_id, room_id, now_ms),
        )
        return cur.rowcount == 1

    async def is_handled(self, event_id: str) -> bool:
        return await self._one("SELECT 1 FROM handled_events WHERE event_id = ?", (event_id,)) is not None

    async def handled_at(self, event_id: str) -> int | None:
        row = await self._one("SELECT at FROM handled_events WHERE event_id = ?", (event_id,))
        return int(row[0]) if row else None

    async def prune_handled(self, older_than_ms: int) -> None:
        await self.db.execute("DELETE FROM handled_events WHERE at < ?", (older_than_ms,))
