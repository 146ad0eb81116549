"""Sending one event with a chosen transaction ID, and classifying what went wrong.

The caller owns retries (the outboxes do: a failed send is retried, never dropped); this module
only says whether to retry, and when.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

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


_PERMANENT = {"M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_TOKEN", "M_TOO_LARGE", "M_BAD_JSON", "M_NOT_JSON"}


async def send_event(
    client: AsyncClient, room_id: str, content: dict[str, Any], txn_id: str, *, event_type: str = "m.room.message"
) -> Sent | Failed:
    """Send once. Never raises for network or homeserver trouble: it returns :class:`Failed`."""
    try:
        resp = await client.room_send(
            room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True
        )
    except (asyncio.TimeoutError, OSError) as exc:
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
