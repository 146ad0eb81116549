"""What each due ping becomes on the wire: which pings go together as one message, the content
of single and grouped pings, and the identities (ping id, transaction ID) that make a re-send after
a crash a no-op at the homeserver."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.model import PingRow
from bot.core.render import Reply
from bot.core.schedule import txn_id
from bot.html import Html
from bot.matrix import content
from bot.service import PingMessage, ms


def ping_id(row: PingRow) -> str:
    """``<line>-<expiry>-<offset>[-s<n>]``: the ping's identity, as in its transaction ID."""
    return txn_id(row.line_id, row.expiry, row.offset, row.snooze).removeprefix("ping-")


def ping_content(msg: PingMessage) -> dict[str, Any]:
    """A ping's content; a room's line mentions its owner."""
    mention = msg.line.mention if msg.room_id == msg.line.owner_id else None
    return content.ping(msg.reply, mention=mention)


@dataclass(slots=True)
class PingGroup:
    """Pings sent as one message: one owner's lines due at the same minute (or, with ``digest
    daily``, the same day: ``digest_day`` is the owner's local date)."""

    items: list[tuple[PingRow, PingMessage]]
    digest_day: str | None = None


def group_txn_id(rows: list[PingRow]) -> str:
    """A grouped ping's transaction ID, from the identities of the pings it carries: re-sending
    the same group after a crash is a no-op at the homeserver."""
    ids = sorted(f"{r.line_id}:{r.expiry.isoformat()}:{r.offset}:{r.snooze}" for r in rows)
    return "pings-" + hashlib.sha256(",".join(ids).encode()).hexdigest()[:32]


def next_ping_time(due_ms: int, tz: str, at: dt_time) -> int:
    """The owner's ping time on the local day after ``due_ms`` (unix ms)."""
    zone = ZoneInfo(tz)
    day = datetime.fromtimestamp(due_ms / 1000, zone).date() + timedelta(days=1)
    return ms(datetime.combine(day, at, tzinfo=zone))


def group_pings(
    rows: list[PingRow], msgs: list[PingMessage | None], digest: dict[str, tuple[bool, str | None]]
) -> tuple[list[tuple[PingRow, PingMessage | None]], list[PingGroup], list[tuple[PingRow, PingMessage]]]:
    """(single pings, groups, pings held back by the daily digest).

    Lines of one owner in one room due at the same minute make one group; with ``digest daily``,
    those due on the same local day, and none at all on a day the owner already had one.
    """
    singles: list[tuple[PingRow, PingMessage | None]] = []
    by_key: dict[tuple[str, str, str], PingGroup] = {}
    held: list[tuple[PingRow, PingMessage]] = []
    for row, msg in zip(rows, msgs, strict=False):
        if msg is None:
            singles.append((row, None))
            continue
        owner = msg.owner.owner_id
        on, last_day = digest.get(owner, (False, None))
        if on:
            day = datetime.fromtimestamp(row.due / 1000, ZoneInfo(msg.owner.timezone)).date().isoformat()
            if last_day == day:
                held.append((row, msg))
                continue
            key = (msg.room_id, owner, "day:" + day)
        else:
            day = None
            key = (msg.room_id, owner, str(row.due // 60_000))
        by_key.setdefault(key, PingGroup([], day)).items.append((row, msg))
    groups: list[PingGroup] = []
    for g in by_key.values():
        if len(g.items) == 1 and g.digest_day is None:
            singles.append(g.items[0])
        else:
            g.items.sort(key=lambda it: it[1].line.number)
            groups.append(g)
    return singles, groups, held


def group_content(reply: Reply, msgs: list[PingMessage]) -> dict[str, Any]:
    """The grouped ping's content: a room's lines mention each of their owners once."""
    mentions = sorted({m.line.mention for m in msgs if m.line.mention and m.room_id == m.line.owner_id})
    if len(mentions) <= 1:
        return content.ping(reply, mention=mentions[0] if mentions else None)
    out = content.ping(reply)
    out["m.mentions"] = {"user_ids": mentions}
    out["body"] = ", ".join(mentions) + ": " + out["body"]
    out["formatted_body"] = str(Html(", ").join(content.pill(u) for u in mentions) + Html(": ")) + out["formatted_body"]
    return out
