"""What a use case is given (:class:`Context`) and what a ping becomes (:class:`PingMessage`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core.model import Line, OwnerSettings
from bot.core.render import Reply


@dataclass(frozen=True, slots=True)
class Context:
    """Who asked, where, and on whose lines the command acts."""

    sender: str
    room_id: str
    owner_id: str  # the sender in a DM, the room in a group room
    is_dm: bool
    now: datetime  # aware, UTC
    can_manage: bool = True  # may change the owner's lines (group rooms: power level)
    members: frozenset[str] | None = None  # joined members of a group room, to check mentions
    #: The transaction ID the reply to this event is sent under: an offer made in the reply is
    #: found again by a ✅ on it.
    reply_txn: str | None = None
    #: A file that came with the command (``import`` as a caption, or a reply to a file).
    attachment: bytes | None = None
    #: Is the sender a joined member of this group room now (as the bot's sync sees it)? Set in
    #: DMs, so that ``list all`` shows only the lines of rooms the sender is still in.
    in_room: Callable[[str], bool] | None = None


@dataclass(frozen=True, slots=True)
class PingMessage:
    room_id: str
    reply: Reply
    line: Line
    owner: OwnerSettings


def ms(dt: datetime) -> int:
    """An aware datetime as unix milliseconds, the store's unit of time."""
    return int(dt.timestamp() * 1000)
