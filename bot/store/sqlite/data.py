"""Issue 13's queries (SQLite): offers waiting for a yes, calendar tokens, status, digest, forget.

A mixin of the store's transaction (:class:`bot.store.sqlite.Tx`): it uses the transaction's
``db``, ``_one`` and ``_all``. Rows are read by position, which works for tuples and for
:class:`sqlite3.Row` alike. The SQL is portable (no SQLite-only syntax), so the PostgreSQL
adapter can keep it.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from bot.core.model import Line, PingRow, Renewal
from bot.store.base import PendingRow

_PENDING_COLS = "id, owner_id, sender, kind, payload, expires_at"


def _pending(row: Sequence[Any]) -> PendingRow:
    return PendingRow(int(row[0]), row[1], row[2], row[3], json.loads(row[4]), int(row[5]))


#: Every table and the columns that may hold a Matrix user ID (what ``forget me`` must clear).
USER_COLUMNS: dict[str, tuple[str, ...]] = {
    "owners": ("owner_id", "room_id"),
    "lines": ("owner_id", "mention", "label"),
    "pending": ("owner_id", "sender", "payload"),
    "calendar_tokens": ("owner_id",),
    "replies": ("content",),
    "kv": ("key", "value"),
}


class DataQueries:
    """Queries for offers, calendar feeds, status, the digest and forgetting."""

    if TYPE_CHECKING:  # provided by the transaction class this is mixed into
        db: Any

        async def _one(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
        async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...

    # --- offers waiting for a yes ------------------------------------------------------------
    async def add_pending(
        self, owner_id: str, sender: str, kind: str, payload: dict[str, Any], *, reply_txn: str | None,
        now_ms: int, expires_ms: int,
    ) -> None:
        """Make an offer; it replaces any earlier offer to the same sender in the same conversation."""
        await self.db.execute("DELETE FROM pending WHERE owner_id = ? AND sender = ?", (owner_id, sender))
        await self.db.execute(
            "INSERT INTO pending (owner_id, sender, kind, payload, reply_txn, expires_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (owner_id, sender, kind, json.dumps(payload, ensure_ascii=False), reply_txn, expires_ms, now_ms),
        )

    async def get_pending(self, owner_id: str, sender: str, now_ms: int) -> PendingRow | None:
        """The sender's live offer in this conversation (expired ones are deleted on the way)."""
        await self.db.execute("DELETE FROM pending WHERE expires_at <= ?", (now_ms,))
        row = await self._one(
            f"SELECT {_PENDING_COLS} FROM pending WHERE owner_id = ? AND sender = ? ORDER BY id DESC",
            (owner_id, sender),
        )
        return _pending(row) if row else None

    async def pending_by_event(self, event_id: str, now_ms: int) -> PendingRow | None:
        """The live offer the bot's message ``event_id`` made (a ✅ on it confirms)."""
        row = await self._one(
            f"SELECT {_PENDING_COLS} FROM pending WHERE reply_event = ? AND expires_at > ?", (event_id, now_ms)
        )
        return _pending(row) if row else None

    async def reply_sent(self, txn_id: str, event_id: str) -> None:
        """The reply sent under ``txn_id`` became ``event_id``: an offer it made can now be reacted
        to, and a reply that held a secret (a calendar URL) loses its stored copy."""
        await self.db.execute("UPDATE pending SET reply_event = ? WHERE reply_txn = ?", (event_id, txn_id))
        cur = await self.db.execute("DELETE FROM kv WHERE key = ?", (f"scrub:{txn_id}",))
        if cur.rowcount:
            await self.db.execute("UPDATE replies SET content = '{}' WHERE txn_id = ?", (txn_id,))

    async def scrub_after_sending(self, txn_id: str) -> None:
        """The reply queued under ``txn_id`` holds a secret: wipe its stored copy once sent."""
        await self.db.execute(
            "INSERT INTO kv (key, value) VALUES (?, '1') ON CONFLICT (key) DO NOTHING", (f"scrub:{txn_id}",)
        )

    async def drop_pending(self, pending_id: int) -> None:
        await self.db.execute("DELETE FROM pending WHERE id = ?", (pending_id,))

    # --- calendar feeds ------------------------------------------------------------------------
    async def set_calendar_token(self, owner_id: str, token_hash: str, now_ms: int) -> None:
        """The owner's feed secret (its hash); the old one stops working in the same statement."""
        await self.db.execute("DELETE FROM calendar_tokens WHERE owner_id = ?", (owner_id,))
        await self.db.execute(
            "INSERT INTO calendar_tokens (owner_id, token_hash, created_at) VALUES (?, ?, ?)",
            (owner_id, token_hash, now_ms),
        )

    async def calendar_owner(self, token_hash: str) -> tuple[str, str] | None:
        """(owner, stored hash) for a token's hash; the caller compares in constant time."""
        row = await self._one("SELECT owner_id, token_hash FROM calendar_tokens WHERE token_hash = ?", (token_hash,))
        return (row[0], row[1]) if row else None

    async def has_calendar(self, owner_id: str) -> bool:
        return await self._one("SELECT 1 FROM calendar_tokens WHERE owner_id = ?", (owner_id,)) is not None

    # --- history and status --------------------------------------------------------------------
    async def renewals_of(self, line_ids: Iterable[int]) -> dict[int, list[Renewal]]:
        """Each line's renewals, oldest first (export, calendar sequence)."""
        ids = list(dict.fromkeys(line_ids))
        out: dict[int, list[Renewal]] = {i: [] for i in ids}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            rows = await self._all(
                f"SELECT line_id, old_expiry, new_expiry, at FROM renewals WHERE line_id IN ({','.join('?' * len(part))}) "
                "ORDER BY id",
                part,
            )
            for r in rows:
                out[int(r[0])].append(Renewal(
                    int(r[0]), date.fromisoformat(r[1]), date.fromisoformat(r[2]),
                    datetime.fromtimestamp(int(r[3]) / 1000, UTC),
                ))
        return out

    async def last_sent(self, line_ids: Sequence[int]) -> dict[int, int]:
        """line id -> when (ms) its last ping went out."""
        if not line_ids:
            return {}
        rows = await self._all(
            f"SELECT line_id, MAX(sent_at) FROM pings WHERE status = 'sent' AND line_id IN "
            f"({','.join('?' * len(line_ids))}) GROUP BY line_id",
            tuple(line_ids),
        )
        return {int(r[0]): int(r[1]) for r in rows if r[1] is not None}

    async def insert_line(
        self, owner_id: str, *, number: int | None, provider: str, variant: str | None, label: str,
        expiry: date, lead_days: tuple[int, ...] | None, reminders_off: bool, mention: str | None, now_ms: int,
    ) -> Line:
        """A line as an import gives it: its own number if free (else the smallest free one)."""
        taken = {int(r[0]) for r in await self._all("SELECT number FROM lines WHERE owner_id = ?", (owner_id,))}
        if number is None or number in taken:
            number = next(n for n in range(1, len(taken) + 2) if n not in taken)
        days = None if lead_days is None else ",".join(str(d) for d in lead_days)
        cur = await self.db.execute(
            "INSERT INTO lines (owner_id, number, provider, label, expiry, lead_days, reminders_off, mention, variant, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (owner_id, number, provider, label, expiry.isoformat(), days, int(reminders_off), mention, variant,
             now_ms, now_ms),
        )
        return Line(id=int(cur.lastrowid or 0), owner_id=owner_id, number=number, provider=provider, label=label,
                    expiry=expiry, lead_days=lead_days, reminders_off=reminders_off, mention=mention, variant=variant)

    async def add_renewal_at(self, line_id: int, old: date, new: date, at_ms: int) -> None:
        await self.db.execute(
            "INSERT INTO renewals (line_id, old_expiry, new_expiry, at) VALUES (?, ?, ?, ?)",
            (line_id, old.isoformat(), new.isoformat(), at_ms),
        )

    async def pings_by_event(self, event_id: str) -> list[PingRow]:
        """Every ping a sent message carried (one, or several lines due together)."""
        rows = await self._all(
            'SELECT id, line_id, expiry, "offset", due, attempts, snooze FROM pings WHERE event_id = ? ORDER BY id',
            (event_id,),
        )
        return [PingRow(id=int(r[0]), line_id=int(r[1]), expiry=date.fromisoformat(r[2]), offset=int(r[3]),
                        due=int(r[4]), attempts=int(r[5]), snooze=int(r[6])) for r in rows]

    # --- the daily digest ----------------------------------------------------------------------
    async def digest_of(self, owner_ids: Iterable[str]) -> dict[str, tuple[bool, str | None]]:
        """owner -> (digest on, local date of the last digest ping)."""
        ids = list(dict.fromkeys(owner_ids))
        out: dict[str, tuple[bool, str | None]] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            rows = await self._all(
                f"SELECT owner_id, digest, digest_on FROM owners WHERE owner_id IN ({','.join('?' * len(part))})", part
            )
            out.update({r[0]: (bool(r[1]), r[2]) for r in rows})
        return out

    async def set_digest(self, owner_id: str, on: bool, now_ms: int) -> None:
        await self.db.execute(
            "INSERT INTO owners (owner_id, created_at, digest) VALUES (?, ?, ?) "
            "ON CONFLICT (owner_id) DO UPDATE SET digest = excluded.digest",
            (owner_id, now_ms, int(on)),
        )

    async def digest_sent(self, owner_id: str, local_day: str) -> None:
        await self.db.execute("UPDATE owners SET digest_on = ? WHERE owner_id = ?", (local_day, owner_id))

    async def delay_pings(self, ping_ids: Sequence[int], not_before_ms: int) -> None:
        """Hold these pending pings back until ``not_before_ms`` (the digest already went out today)."""
        for i in range(0, len(ping_ids), 500):
            part = list(ping_ids[i : i + 500])
            await self.db.execute(
                f"UPDATE pings SET not_before = ? WHERE status = 'pending' AND id IN ({','.join('?' * len(part))})",
                (not_before_ms, *part),
            )

    # --- forgetting ----------------------------------------------------------------------------
    async def _forget_lines_of(self, owner_id: str) -> tuple[int, int, int]:
        """Delete an owner's lines with their renewals and pings: (lines, renewals, pings)."""
        ids = [int(r[0]) for r in await self._all("SELECT id FROM lines WHERE owner_id = ?", (owner_id,))]
        renewals = pings = 0
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            renewals += max((await self.db.execute(f"DELETE FROM renewals WHERE line_id IN ({marks})", part)).rowcount, 0)
            pings += max((await self.db.execute(f"DELETE FROM pings WHERE line_id IN ({marks})", part)).rowcount, 0)
        await self.db.execute("DELETE FROM lines WHERE owner_id = ?", (owner_id,))
        return len(ids), renewals, pings

    async def forget_user(self, user_id: str) -> dict[str, int]:
        """Everything stored about a user: their lines (with history and pings), settings, offers,
        calendar feed, replies to them, their mentions in rooms' lines and keys naming them.
        Returns what was deleted, per kind."""
        owner = await self._one("SELECT room_id FROM owners WHERE owner_id = ?", (user_id,))
        dm_room = owner[0] if owner else None
        lines, renewals, pings = await self._forget_lines_of(user_id)
        like = f"%{_like_escape(user_id)}%"
        out = {"lines": lines, "renewals": renewals, "pings": pings}
        out["settings"] = max((await self.db.execute("DELETE FROM owners WHERE owner_id = ?", (user_id,))).rowcount, 0)
        out["mentions"] = max((await self.db.execute(
            "UPDATE lines SET mention = NULL WHERE mention = ?", (user_id,))).rowcount, 0)
        out["offers"] = max((await self.db.execute(
            "DELETE FROM pending WHERE owner_id = ? OR sender = ? OR payload LIKE ? ESCAPE '\\'",
            (user_id, user_id, like))).rowcount, 0)
        out["calendar"] = max((await self.db.execute(
            "DELETE FROM calendar_tokens WHERE owner_id = ?", (user_id,))).rowcount, 0)
        replies = (await self.db.execute(
            "DELETE FROM replies WHERE content LIKE ? ESCAPE '\\' OR (room_id = ? AND status <> 'pending')",
            (like, dm_room or ""))).rowcount
        out["replies"] = max(replies, 0)
        await self.db.execute("DELETE FROM kv WHERE key LIKE ? ESCAPE '\\' OR value LIKE ? ESCAPE '\\'", (like, like))
        # Room labels that spell the user's ID out: the room keeps its line, without the name.
        await self.db.execute(
            "UPDATE lines SET label = '' WHERE label LIKE ? ESCAPE '\\'", (like,)
        )
        return out

    async def forget_room_data(self, room_id: str) -> dict[str, int]:
        """Everything stored for a group room's lines: lines, history, pings, settings, offers, feed."""
        lines, renewals, pings = await self._forget_lines_of(room_id)
        out = {"lines": lines, "renewals": renewals, "pings": pings}
        out["settings"] = max((await self.db.execute("DELETE FROM owners WHERE owner_id = ?", (room_id,))).rowcount, 0)
        out["offers"] = max((await self.db.execute("DELETE FROM pending WHERE owner_id = ?", (room_id,))).rowcount, 0)
        out["calendar"] = max((await self.db.execute(
            "DELETE FROM calendar_tokens WHERE owner_id = ?", (room_id,))).rowcount, 0)
        return out


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
