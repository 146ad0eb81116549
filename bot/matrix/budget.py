"""``[limits] commands_per_minute`` per sender, for commands and for everything the bot answers
(replies and reactions to pings and offers, corrections, imports): over it, the sender is told so
once a minute at most, and the rest is dropped quietly, never queued up."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from nio import ReactionEvent, RoomMessageText

from bot.core.limits import CommandBudget
from bot.matrix.answers import Answers
from bot.matrix.room_facts import RoomFacts
from bot.service import Service, ms
from bot.store.base import Store


class SenderBudget:
    """Whether a sender may have one more answer now, and the "slow down" reply when not."""

    def __init__(
        self, per_minute: int, store: Store, service: Service, rooms: RoomFacts, answers: Answers, *,
        clock: Callable[[], datetime],
    ) -> None:
        self._budget = CommandBudget(per_minute)
        self.store = store
        self.service = service
        self.rooms = rooms
        self.answers = answers
        self.clock = clock

    def allow(self, sender: str, now: datetime) -> bool:
        """Spend one of ``sender``'s answers (quietly: the caller decides what a refusal says)."""
        return self._budget.allow(sender, now.timestamp())

    async def within(self, room_id: str, ev: RoomMessageText | ReactionEvent) -> bool:
        """Spend one, or answer "rate limited" (at most once a minute) and say no."""
        now = self.clock()
        if self.allow(ev.sender, now):
            return True
        await self.refuse(room_id, ev, now)
        return False

    async def refuse(self, room_id: str, ev: RoomMessageText | ReactionEvent, now: datetime) -> None:
        """Say so once a minute at most; the rest is dropped quietly, never queued up."""
        async with self.store.tx() as tx:
            if not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                return
            reply = await self.service.rooms.rate_limited(tx, self.rooms.owner_of(room_id, ev.sender), ev.sender, now)
            if reply is None:
                return
            await self.answers.queue(tx, ev.event_id, room_id, reply, now)
        self.answers.on_reply_queued()
