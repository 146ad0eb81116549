"""Sending one event with a chosen transaction ID, and classifying what went wrong.

The caller owns retries (the outboxes do: a failed send is retried, never dropped); this module
only says whether to retry, and when.
"""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from nio import AsyncClient, RoomSendResponse
from nio.exceptions import LocalProtocolError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Sent:
    event_id: str


@dataclass(frozen=True, slots=True)
class Failed:
    """``retry_after`` in seconds when the homeserver said so (429); ``permanent`` to stop trying."""

    reason: str
    retry_after: float | None = None
    permanent: bool = False


#: Seconds a plain-room send may take before it counts as a network failure and is retried.
SEND_TIMEOUT = 20.0

_PERMANENT = {"M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_TOKEN", "M_TOO_LARGE", "M_BAD_JSON", "M_NOT_JSON"}


async def send_event(
    client: AsyncClient, room_id: str, content: dict[str, Any], txn_id: str, *, event_type: str = "m.room.message"
) -> Sent | Failed:
    """Send once. Never raises for network or homeserver trouble: it returns :class:`Failed`."""
    room = client.rooms.get(room_id)
    session = client.client_session
    if room is not None and not room.encrypted and session is not None and not session.closed:
        return await _send_plain(client, session, room_id, content, txn_id, event_type)
    try:
        # Bounded like the plain path: a hung request is retried (same transaction ID) instead of
        # holding an outbox slot for nio's 60 s.
        resp = await asyncio.wait_for(
            client.room_send(room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True),
            SEND_TIMEOUT,
        )
    except (TimeoutError, OSError) as exc:
        return Failed(f"network: {type(exc).__name__}")
    except LocalProtocolError as exc:
        # For example: the room is not (yet) known to the client.
        return Failed(f"local: {exc}")
    except Exception as exc:  # aiohttp and nio raise a zoo of errors when the server is away
        if type(exc).__module__.startswith(("aiohttp", "nio")):
            return Failed(f"{type(exc).__name__}: {exc}")
        raise
    if isinstance(resp, RoomSendResponse):
        return Sent(resp.event_id)
    code = getattr(resp, "status_code", None)
    retry_ms = getattr(resp, "retry_after_ms", None)
    if code in ("M_LIMIT_EXCEEDED", 429) or retry_ms:
        return Failed("rate limited", retry_after=(retry_ms or 5000) / 1000)
    return Failed(f"{code}: {getattr(resp, 'message', '')}", permanent=code in _PERMANENT)


async def _send_plain(
    client: AsyncClient, session: aiohttp.ClientSession, room_id: str, content: dict[str, Any], txn_id: str,
    event_type: str,
) -> Sent | Failed:
    """The same PUT as nio's ``room_send`` for a room nio knows is not encrypted, on nio's own
    aiohttp session and with the same device's token (so the same transaction-ID deduplication),
    without nio's response classes and JSON-schema checks: about half the client CPU per ping.

    Seam (performance): justified by ``bench/burst.py`` (bench/REPORT.md, "Profile" 2: nio's
    ``room_send`` costs about twice a bare PUT). It is the only code that reaches past nio's API
    (its ``client_session``); :func:`send_event` falls back to ``room_send`` whenever the
    session is not there, and encrypted rooms always use it."""
    url = (
        f"{client.homeserver}/_matrix/client/v3/rooms/{quote(room_id, safe='')}/send/"
        f"{quote(event_type, safe='')}/{quote(txn_id, safe='')}"
    )
    headers = {"Authorization": f"Bearer {client.access_token}", "Content-Type": "application/json"}
    try:
        async with session.put(
            url, data=json.dumps(content), headers=headers,
            # A send that hangs (a homeserver restarting under load) is given up sooner than nio's
            # 60 s and retried with the same transaction ID, which cannot make a second message.
            timeout=aiohttp.ClientTimeout(total=min(SEND_TIMEOUT, client.config.request_timeout), sock_connect=5),
        ) as resp:
            status = resp.status
            raw = await resp.read()
    except (TimeoutError, OSError) as exc:
        return Failed(f"network: {type(exc).__name__}")
    except aiohttp.ClientError as exc:
        return Failed(f"{type(exc).__name__}: {exc}")
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        data = {}
    event_id = data.get("event_id")
    if status == 200 and isinstance(event_id, str):
        return Sent(event_id)
    code = data.get("errcode")
    retry_ms = data.get("retry_after_ms")
    if status == 429 or code == "M_LIMIT_EXCEEDED":
        return Failed("rate limited", retry_after=(retry_ms if isinstance(retry_ms, (int, float)) and retry_ms > 0 else 5000) / 1000)
    return Failed(f"{code or status}: {str(data.get('error', ''))[:200]}", permanent=code in _PERMANENT)
