"""What the bot asks ``/sync`` for, and how long it waits.

The filter leaves out presence and ephemeral events (typing, receipts), which the bot never reads.
State, timeline, account data and to-device events (encryption keys) are untouched.

During a burst of pings (:attr:`bot.scheduler.Outbox.bursting`) the bot's own timeline events
are left out as well (``not_senders``): the echo of every ping it sends. That filter pays only
without a long-poll: a long-poll whose every wake-up (each echo) filters down to nothing does not
return, and Synapse computes the filtered sync again at each new event (bench/REPORT.md, section
10: a filter on every sync made a burst slower). So when the outbox starts a burst, the long-poll
in flight is cancelled (``interrupt``; Synapse's ``/sync`` is cancellable, so it stops computing
too), and during the burst the bot syncs without long-polling, with the echo filter, once a
second (``BURST_SYNC_PAUSE`` in :mod:`bot.app`). Outside bursts the timeline is whole, so the
bot's own state events (its joins) reach nio as before.
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


#: What :func:`sync_once` returns when ``interrupt`` ended a long-poll: sync again, at once.
INTERRUPTED = object()


def sync_filter(user_id: str, *, burst: bool = False) -> dict[str, Any]:
    """The filter for the bot's ``/sync`` (passed inline, so it needs no upload and no state);
    in a ``burst``, without the bot's own timeline events (see the module doc)."""
    room: dict[str, Any] = {"ephemeral": {"not_types": ["*"]}}
    if burst:
        room["timeline"] = {"not_senders": [user_id]}
    return {"presence": {"not_types": ["*"]}, "room": room}


def sync_limit(*, first: bool, long_poll: bool) -> float:
    """Seconds to wait for one /sync before counting it failed (see :data:`SYNC_MARGIN`)."""
    if first:
        return FIRST_SYNC_LIMIT
    return SYNC_TIMEOUT_MS / 1000 + SYNC_MARGIN if long_poll else SYNC_MARGIN


async def sync_once(client: AsyncClient, since: str | None, *, first: bool, long_poll: bool,
                    halt: asyncio.Event, interrupt: asyncio.Event | None = None, burst: bool = False) -> Any:
    """One /sync: nio's response (a SyncResponse or an error response), the exception it raised,
    a TimeoutError if it took longer than :func:`sync_limit`, None if ``halt`` was set first, or
    :data:`INTERRUPTED` if ``interrupt`` was (the request is cancelled; nothing was read).

    The limit matters: for a sync whose own timeout is 0 (after a failure, and the first,
    full-state one), nio gives aiohttp no timeout at all, and a request the homeserver never
    answers would stop the sync loop for good, and with it the bot's notice of the homeserver's
    return."""
    sync_task = asyncio.ensure_future(
        client.sync(
            timeout=SYNC_TIMEOUT_MS if long_poll else 0, since=since,
            full_state=True if first else None, sync_filter=sync_filter(client.user_id, burst=burst),
        )
    )
    stop_task = asyncio.ensure_future(halt.wait())
    waits = {sync_task, stop_task}
    if interrupt is not None:
        waits.add(asyncio.ensure_future(interrupt.wait()))
    limit = sync_limit(first=first, long_poll=long_poll)
    try:
        done, _ = await asyncio.wait(waits, timeout=limit, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waits - {sync_task}:
            task.cancel()
    if halt.is_set():
        sync_task.cancel()
        return None
    if interrupt is not None and interrupt.is_set() and sync_task not in done:
        sync_task.cancel()
        return INTERRUPTED
    if sync_task not in done:
        sync_task.cancel()
        return TimeoutError(f"no answer to /sync within {limit:.0f}s")
    try:
        return sync_task.result()
    except Exception as exc:  # network trouble: the homeserver may be restarting
        return exc
