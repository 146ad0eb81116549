"""Planning and arming a line's pings: which days before (and after) expiry, at the owner's time
in the owner's zone, and the one pending row per line that the outbox sends (the store keeps it)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.config import BotConfig
from bot.core.model import Line, OwnerSettings, PlannedPing
from bot.core.schedule import plan_pings
from bot.service.context import PingMessage, ms
from bot.store.base import Tx


class Arming:
    """Turns a line and its owner's settings into the next ping row."""

    def __init__(self, bot: BotConfig) -> None:
        self._bot = bot

    def lead_days(self, line: Line, owner: OwnerSettings) -> tuple[int, ...]:
        if line.reminders_off:
            return ()
        return line.lead_days if line.lead_days is not None else owner.lead_days

    async def arm(
        self, tx: Tx, line: Line, owner: OwnerSettings, now: datetime, *, keep_snoozed: bool = False
    ) -> int | None:
        """(Re)plan the line's next ping; returns its due instant in ms, if any."""
        first = await tx.arm(line, self.plan(line, owner, now), keep_snoozed=keep_snoozed)
        return ms(first.due) if first else None

    async def arm_many(
        self, tx: Tx, items: Sequence[tuple[Line, OwnerSettings, datetime]], *, keep_snoozed: bool = False
    ) -> None:
        """:meth:`arm` for a batch of lines (the outbox's sent pings), in a few statements."""
        await tx.arm_many([(line, self.plan(line, owner, now)) for line, owner, now in items],
                          keep_snoozed=keep_snoozed)

    def plan(self, line: Line, owner: OwnerSettings, now: datetime) -> list[PlannedPing]:
        """The line's pings still to come, earliest first (none when its reminders are off)."""
        lead = self.lead_days(line, owner)
        if not lead:
            return []
        return list(plan_pings(
            line.expiry, lead_days=lead, after_days=self._bot.after_expiry_days,
            tz=owner.timezone, at=owner.ping_time, now=now,
        ))

    async def arm_all(self, tx: Tx, owner: OwnerSettings, now: datetime) -> None:
        for line in await tx.list_lines(owner.owner_id):
            await self.arm(tx, line, owner, now)

    async def after_ping(self, tx: Tx, msg: PingMessage, now: datetime) -> None:
        """Arm the line's next ping once this one is done."""
        await self.arm(tx, msg.line, msg.owner, now)
