"""The outbox's alarm clock: APScheduler rings the sending loop at the next instant it must wake.

The loop (bot/scheduler.py) decides *when* (the earliest due row, a hint, the safety sweep) and
does all the work; APScheduler only keeps the time. Its one job, ``wake``, is re-armed with
``replace_existing`` and does nothing but set an ``asyncio.Event``, so it never overlaps itself
(the "maximum number of running instances reached" skip that a job doing the sending could hit),
and ``misfire_grace_time=None`` makes a late ring (a busy or suspended process) still ring.
"""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


class Alarm:
    """One re-armable alarm that sets ``event`` when it rings."""

    def __init__(self, event: asyncio.Event) -> None:
        self._event = event
        self._scheduler: AsyncIOScheduler | None = None

    def arm(self, seconds: float) -> None:
        """Ring in ``seconds`` (replacing the alarm set before, if it has not rung yet)."""
        if self._scheduler is None:  # started lazily: APScheduler binds to the running loop
            self._scheduler = AsyncIOScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)
            self._scheduler.start()
        at = datetime.now(UTC) + timedelta(seconds=max(seconds, 0.0))
        self._scheduler.add_job(self._ring, DateTrigger(run_date=at, timezone=UTC), id="wake",
                                replace_existing=True)

    @property
    def armed_at(self) -> datetime | None:
        """When the alarm rings next (None when nothing is armed): for tests and diagnostics."""
        job = self._scheduler.get_job("wake") if self._scheduler is not None else None
        return job.next_run_time if job is not None else None

    async def _ring(self) -> None:
        self._event.set()

    def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
