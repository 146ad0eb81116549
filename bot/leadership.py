"""Several instances on one PostgreSQL database: one is active, the others stand by. This is the
lease's side of it (bot.store.postgres.lease holds the row): wait until this instance holds the
lease, keep it while active, and say when it is lost; the application decides what each role does."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from bot import metrics
from bot.diag import describe

log = logging.getLogger(__name__)


class Leadership:
    """This instance's claim on the lease; ``set_role`` hears "active" and "standby"."""

    def __init__(self, lease: Any, instance: str, lease_seconds: float, *,
                 set_role: Callable[[str], None]) -> None:
        self.lease = lease  # bot.store.postgres.lease.Lease
        self.instance = instance
        self.lease_seconds = lease_seconds
        self.set_role = set_role

    async def stand_by(self, stop: asyncio.Event) -> bool:
        """Wait until this instance holds the lease; False if ``stop`` came first."""
        from bot.store.postgres.lease import Acquired

        lease_s = self.lease_seconds
        poll = min(1.0, lease_s / 10)
        # A process that just started (after a crash, say) leaves a lease that is held or only just
        # expired to the instances already standing by: they take over, it stands by. Alone, it
        # takes the lease after this grace.
        grace_until = time.monotonic() + lease_s + 2 * poll
        said: str | None = None
        while not stop.is_set():
            got: Any = None
            try:
                if time.monotonic() < grace_until:
                    held = await self.lease.current()
                    if held is not None and not held.released and held.now_ms - held.until_ms < self.lease.lease_ms:
                        got = held
                if got is None:
                    got = await self.lease.try_acquire()
            except Exception as exc:
                log.warning("cannot reach the database for the lease (%s); retrying", describe(exc))
                got = None
            if isinstance(got, Acquired):
                self.set_role("active")
                if got.previous is None:
                    log.info("active: instance %s holds the lease (no other instance held it)", self.instance)
                elif got.previous.released:
                    log.info("active: instance %s took over from instance %s (it stopped and released the lease)",
                             self.instance, got.previous.holder)
                else:
                    late = max(0, got.previous.now_ms - got.previous.until_ms) / 1000
                    metrics.TAKEOVERS.inc()
                    log.info("active: instance %s took over from instance %s (its lease ended %.1fs ago)",
                             self.instance, got.previous.holder, late)
                return True
            if got is not None and got.holder != said:
                said = got.holder
                self.set_role("standby")
                log.info("standing by: instance %s waits; instance %s is active (its lease runs %.1fs more)",
                         self.instance, got.holder, max(0, got.until_ms - got.now_ms) / 1000)
            try:
                await asyncio.wait_for(stop.wait(), poll)
            except TimeoutError:
                pass
        return False

    async def keep(self, lost: Callable[[], None]) -> None:
        """Renew the lease every lease/5; as soon as it may have run out, stand by and call
        ``lost`` (which stops the sending at once: the next holder may start soon)."""
        lease_s = self.lease_seconds
        deadline = time.monotonic() + lease_s - 1.0
        while True:
            await asyncio.sleep(lease_s / 5)
            asked = time.monotonic()
            try:
                held = await asyncio.wait_for(self.lease.renew(), lease_s / 2)
            except Exception as exc:
                if time.monotonic() < deadline:
                    log.warning("could not renew the lease (%s); retrying", describe(exc))
                    continue
                log.info("lost the lease: instance %s could not renew it in time (%s); standing by",
                         self.instance, describe(exc))
                break
            if held is None:
                now = await self.holder()
                log.info("lost the lease: instance %s holds it now; instance %s stands by", now, self.instance)
                break
            deadline = asked + lease_s * 0.8
        self.set_role("standby")
        lost()

    async def holder(self) -> str:
        """Which instance holds the lease now ("?" if the database does not say)."""
        try:
            held = await self.lease.current()
        except Exception:
            return "?"
        return held.holder if held is not None else "?"

    async def release(self) -> None:
        """A clean stop: give the lease back, so a standby takes over at its next look."""
        await self.lease.release()
        log.info("released the lease (instance %s)", self.instance)
