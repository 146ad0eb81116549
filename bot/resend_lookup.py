"""Before re-sending a row another instance held, look for it in the room (issue 14).

Each instance has its own device, so the homeserver's transaction-ID deduplication does not
cover a re-send by another instance: a row whose lease expired may already have been sent by the
instance that died. The ping or reply carries a stable id in its content; this looks for it in
the room's recent timeline (:meth:`bot.matrix.lookup.SentPings.find`) and answers "already
sent" with its event, so that the row is recorded instead of sent twice.
"""
from __future__ import annotations

import logging
from typing import Protocol

from bot import metrics
from bot.matrix.lookup import PING_ID_KEY
from bot.matrix.sender import Sent

log = logging.getLogger("bot.scheduler")


class FindSentFn(Protocol):
    """(room_id, id, sent no earlier than (ms), content key) -> the event ID of that ping or reply
    if it is already in the room (:meth:`bot.matrix.lookup.SentPings.find`)."""

    async def __call__(self, room_id: str, ident: str, since_ms: int, key: str = PING_ID_KEY) -> str | None: ...


class ResendLookup:
    """Looks for a reclaimed row's message in its room; off (``find`` None) for one instance."""

    def __init__(self, find: FindSentFn | None) -> None:
        self.find = find
        self.found = 0  # rows found already sent (also in metrics)

    @property
    def enabled(self) -> bool:
        return self.find is not None

    async def already_sent(self, room_id: str, ident: str, since_ms: int, key: str, row_id: int) -> Sent | None:
        """The event of this ping (``key`` PING_ID_KEY) or reply (REPLY_ID_KEY), if the instance
        that held its row before sent it before it died."""
        assert self.find is not None
        what = "ping" if key == PING_ID_KEY else "reply"
        try:
            event_id = await self.find(room_id, ident, since_ms, key)
        except Exception as exc:  # the homeserver is away: send (at worst twice), never lose it
            log.warning("could not look for %s %s in its room (%s); sending it", what, row_id, type(exc).__name__)
            return None
        if event_id is None:
            return None
        self.found += 1
        (metrics.PINGS_FOUND_SENT if key == PING_ID_KEY else metrics.REPLIES_FOUND_SENT).inc()
        log.info("%s %s was already sent by the instance that held it before; not sending it again", what, row_id)
        return Sent(event_id)
