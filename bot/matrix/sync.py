"""What the bot asks ``/sync`` for: only what it reads.

Without a filter, every ping the bot sends comes back to it as the echo in its own ``/sync``: the
homeserver encodes and sends each message twice, and in a burst that was the whole difference
between the bot and a raw sender (bench/REPORT.md, section 1: about 1.1 ms of Synapse CPU per
ping). The filter leaves out:

- the bot's own timeline events (``not_senders``): its pings, replies, read markers' echoes. The
  bot never acts on its own events; its own membership is not needed either (it knows it is in a
  room from the sync's ``join`` section, and counts itself in :mod:`bot.matrix.rooms`);
- presence and ephemeral events (typing, receipts): never read.

State, account data and to-device events (encryption keys) are untouched.
"""
from __future__ import annotations

from typing import Any


def sync_filter(user_id: str) -> dict[str, Any]:
    """The filter for the bot's ``/sync`` (passed inline, so it needs no upload and no state)."""
    return {
        "presence": {"not_types": ["*"]},
        "room": {
            "timeline": {"not_senders": [user_id]},
            "ephemeral": {"not_types": ["*"]},
        },
    }
