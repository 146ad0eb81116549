"""The one test ``Bot`` of the service tests: the service on a real store, driven the way the Matrix
side drives it (one transaction per message, a :class:`Context` per sender and room).

Each test module builds it with its own people and rooms (``ChatBot(store, svc, me=ALICE,
dms={...})``) and adds, in a subclass, the few reads only it needs.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.core.render import Reply
from bot.service import Context, Service
from bot.store.base import Store


class ChatBot:
    """``say`` a command as someone (in their DM, or in ``room``) and get the reply; read lines back."""

    def __init__(
        self,
        store: Store,
        svc: Service,
        *,
        me: str,
        dms: Mapping[str, str],
        now: datetime,
        room: str = "!room:x",
        members: frozenset[str] | None = None,
        reply_txns: bool = False,
    ) -> None:
        self.store, self.svc = store, svc
        self.me, self.dms, self.now = me, dms, now
        self.default_room, self.members = room, members
        self.reply_txns = reply_txns  # each context carries a new reply transaction ID (offers need one)
        self.n = 0

    def _txn(self) -> str | None:
        if not self.reply_txns:
            return None
        self.n += 1
        return f"reply-{self.n}"

    def dm(self, who: str | None = None, *, now: datetime | None = None, attachment: bytes | None = None) -> Context:
        who = who or self.me
        return Context(sender=who, room_id=self.dms[who], owner_id=who, is_dm=True, now=now or self.now,
                       reply_txn=self._txn(), attachment=attachment)

    def room(self, who: str | None = None, *, room: str | None = None, manage: bool = True,
             members: frozenset[str] | None | bool = True, now: datetime | None = None,
             attachment: bytes | None = None) -> Context:
        """A group room (the bot's default one unless ``room``); ``members`` defaults to the bot's."""
        room = room or self.default_room
        joined = self.members if members is True else (None if members is False else members)
        return Context(sender=who or self.me, room_id=room, owner_id=room, is_dm=False, now=now or self.now,
                       can_manage=manage, members=joined, reply_txn=self._txn(), attachment=attachment)

    def ctx(self, who: str | None = None, *, room: str | None = None, now: datetime | None = None,
            manage: bool = True, attachment: bytes | None = None) -> Context:
        """Their DM, or ``room`` when given."""
        if room is None:
            return self.dm(who, now=now, attachment=attachment)
        return self.room(who, room=room, manage=manage, now=now, attachment=attachment)

    async def run(self, ctx: Context, text: str) -> Reply:
        """The reply to ``text`` sent in ``ctx``; every placeholder must be filled."""
        async with self.store.tx() as tx:
            reply = await self.svc.handle(tx, ctx, text)
        assert isinstance(reply, Reply)
        assert "{" not in reply.body, f"unfilled placeholder in {reply.body!r}"
        return reply

    async def say(self, text: str, who: str | None = None, **where: Any) -> Reply:
        """``text`` as ``who`` (default: ``me``) in their DM, or in ``room=...``."""
        return await self.run(self.ctx(who, **where), text)

    async def line(self, number: int = 1, owner: str | None = None) -> Any:
        async with self.store.read() as tx:
            return await tx.get_line(owner or self.me, number)

    async def lines(self, owner: str | None = None) -> list[Any]:
        async with self.store.read() as tx:
            return await tx.list_lines(owner or self.me)

    async def count(self, owner: str | None = None) -> int:
        async with self.store.read() as tx:
            return await tx.count_lines(owner or self.me)
