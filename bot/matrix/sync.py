"""What the bot asks ``/sync`` for: presence and ephemeral events (typing, receipts) left out,
since the bot never reads them. State, timeline, account data and to-device events (encryption
keys) are untouched.

Not done, on purpose: leaving out the bot's own timeline events (``not_senders``), the echo of
every ping. Measured with ``bench/burst.py`` (bench/REPORT.md, section 10), it made Synapse's CPU
per ping worse, not better: a long-poll whose every wake-up (each echo) filters down to nothing
does not return, and Synapse computes the filtered sync again at each new event, over a window
that grows with the burst. The bot already syncs at most once a second during a burst
(``BURST_SYNC_PAUSE`` in :mod:`bot.app`), which bounds what the echoes cost.
"""
from __future__ import annotations

from typing import Any


def sync_filter(user_id: str) -> dict[str, Any]:
    """The filter for the bot's ``/sync`` (passed inline, so it needs no upload and no state).
    ``user_id`` is kept for a timeline filter, should one ever pay (see the module doc)."""
    return {
        "presence": {"not_types": ["*"]},
        "room": {"ephemeral": {"not_types": ["*"]}},
    }
