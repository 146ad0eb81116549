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

import asyncio
from typing import Any

from nio import AsyncClient

#: The long-poll's timeout, in ms.
SYNC_TIMEOUT_MS = 30_000
#: The longest a /sync may take (seconds): a long-poll gets its timeout plus this margin, a quick
#: sync (after a failure) this alone, the first (full-state) sync FIRST_SYNC_LIMIT.
SYNC_MARGIN = 30.0
FIRST_SYNC_LIMIT = 300.0


def sync_filter(user_id: str) -> dict[str, Any]:
    """The filter for the bot's ``/sync`` (passed inline, so it needs no upload and no state).
    ``user_id`` is kept for a timeline filter, should one ever pay (see the module doc)."""
    return {
        "presence": {"not_types": ["*"]},
        "room": {"ephemeral": {"not_types": ["*"]}},
    }


def sync_limit(*, first: bool, long_poll: bool) -> float:
    """Seconds to wait for one /sync before counting it failed (see :data:`SYNC_MARGIN`)."""
    if first:
        return FIRST_SYNC_LIMIT
    return SYNC_TIMEOUT_MS / 1000 + SYNC_MARGIN if long_poll else SYNC_MARGIN


async def sync_once(client: AsyncClient, since: str | None, *, first: bool, long_poll: bool,
                    halt: asyncio.Event) -> Any:
    """One /sync: nio's response (a SyncResponse or an error response), the exception it raised,
    a TimeoutError if it took longer than :func:`sync_limit`, or None if ``halt`` was set first.

    The limit matters: for a sync whose own timeout is 0 (after a failure, and the first,
    full-state one), nio gives aiohttp no timeout at all, and a request the homeserver never
    answers would stop the sync loop for good, and with it the bot's notice of the homeserver's
    return."""
    sync_task = asyncio.ensure_future(
        client.sync(
            timeout=SYNC_TIMEOUT_MS if long_poll else 0, since=since,
            full_state=True if first else None, sync_filter=sync_filter(client.user_id),
        )
    )
    stop_task = asyncio.ensure_future(halt.wait())
    limit = sync_limit(first=first, long_poll=long_poll)
    try:
        done, _ = await asyncio.wait({sync_task, stop_task}, timeout=limit, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop_task.cancel()
    if halt.is_set():
        sync_task.cancel()
        return None
    if sync_task not in done:
        sync_task.cancel()
        return TimeoutError(f"no answer to /sync within {limit:.0f}s")
    try:
        return sync_task.result()
    except Exception as exc:  # network trouble: the homeserver may be restarting
        return exc
