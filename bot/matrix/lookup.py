"""Is this ping (or reply) already in its room? Asked before re-sending a row another instance held.

Each instance has its own device, and the homeserver deduplicates transaction IDs per device:
when the active instance dies after the homeserver accepted a ping but before the row was marked
sent, the instance taking over would make a second message. So every ping carries its stable id
(``org.renewal_bot.ping`` in its content), and before sending a row it took over, the new active
instance reads the room's recent timeline (``/messages``, newest first, only the bot's own
events) back to the ping's due time, and sends only when the id is not there. Replies to commands
likewise carry their transaction ID (``org.renewal_bot.reply``), looked for back to the time the
command was handled.

Encrypted rooms: the bot's other devices share their room keys with this one, which receives them
at its first sync after taking over; an event it cannot decrypt is counted as not the ping (the
ping is sent: at worst twice, never lost) and logged.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import quote

import aiohttp
from nio import AsyncClient, Event, MegolmEvent

log = logging.getLogger(__name__)

PING_ID_KEY = "org.renewal_bot.ping"
REPLY_ID_KEY = "org.renewal_bot.reply"
_KEYS = (PING_ID_KEY, REPLY_ID_KEY)
PAGE = 100
MAX_PAGES = 20
#: Clocks differ: look this much further back than the ping's due time.
SKEW_MS = 120_000
CACHE_SECONDS = 60.0


class SentPings:
    """``await SentPings(client).find(room_id, ping_id, due_ms)`` -> the event ID, or None;
    ``find(room_id, txn_id, handled_ms, key=REPLY_ID_KEY)`` for a reply."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        # room -> (read at (monotonic), oldest ts covered, {(key, id): event id})
        self._seen: dict[str, tuple[float, int, dict[tuple[str, str], str]]] = {}

    def clear(self) -> None:
        """Forget what was read: this instance (again) takes over from another, which may have
        sent since."""
        self._seen.clear()

    async def find(self, room_id: str, ident: str, since_ms: int, key: str = PING_ID_KEY) -> str | None:
        since = since_ms - SKEW_MS
        cached = self._seen.get(room_id)
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS and cached[1] <= since:
            return cached[2].get((key, ident))
        found, oldest = await self._scan(room_id, since)
        self._seen[room_id] = (time.monotonic(), oldest, found)
        if len(self._seen) > 10_000:
            self._seen.clear()
        return found.get((key, ident))

    async def _scan(self, room_id: str, since_ms: int) -> tuple[dict[tuple[str, str], str], int]:
        """The ping and reply ids of the bot's events in the room back to ``since_ms``; and how far back."""
        client = self.client
        session = client.client_session
        if session is None or session.closed:
            raise RuntimeError("no HTTP session")
        flt = json.dumps({"senders": [client.user_id], "types": ["m.room.message", "m.room.encrypted"],
                          "lazy_load_members": True})
        headers = {"Authorization": f"Bearer {client.access_token}"}
        base = f"{client.homeserver}/_matrix/client/v3/rooms/{quote(room_id, safe='')}/messages"
        found: dict[tuple[str, str], str] = {}
        token: str | None = None
        oldest = since_ms
        undecryptable = 0
        for _ in range(MAX_PAGES):
            params = {"dir": "b", "limit": str(PAGE), "filter": flt}
            if token:
                params["from"] = token
            async with session.get(base, params=params, headers=headers,
                                   timeout=aiohttp.ClientTimeout(total=30)) as resp:
                if resp.status != 200:
                    raise RuntimeError(f"/messages answered {resp.status}")
                data = await resp.json()
            chunk = data.get("chunk") or []
            done = False
            for raw in chunk:
                ts = raw.get("origin_server_ts", 0)
                if ts < since_ms:
                    done = True
                    break
                content = self._content(room_id, raw)
                if content is None:
                    undecryptable += 1
                    continue
                for key in _KEYS:
                    ident = content.get(key)
                    if isinstance(ident, str) and raw.get("event_id"):
                        found.setdefault((key, ident), raw["event_id"])
            token = data.get("end")
            if done or not chunk or not token:
                break
        else:
            log.warning("looked %d pages back in %s without reaching the ping's time", MAX_PAGES, room_id)
            oldest = 2**62  # not covered: never answer a later question from this scan
        if undecryptable:
            log.warning("%d of the bot's own events in %s could not be decrypted while looking for pings",
                        undecryptable, room_id)
        return found, oldest

    def _content(self, room_id: str, raw: dict[str, Any]) -> dict[str, Any] | None:
        if raw.get("type") != "m.room.encrypted":
            content = raw.get("content")
            return content if isinstance(content, dict) else {}
        try:
            ev = Event.parse_encrypted_event(raw)
            if not isinstance(ev, MegolmEvent) or self.client.olm is None:
                return None
            ev.room_id = room_id
            dec = self.client.decrypt_event(ev)
        except Exception:
            return None
        content = (getattr(dec, "source", None) or {}).get("content")
        return content if isinstance(content, dict) else None
