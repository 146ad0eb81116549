"""Room use cases the Matrix adapter asks for: the scam guard's decision, upgrades, retention,
and the replies that are no command's (an apology, "slow down", "I could not decrypt that").

Matrix-free like the rest of the service: the adapter says what happened, this says what to do
(a :class:`Reply` to queue, or None) and records it in the store.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.limits import OncePer, RoomWarnings
from bot.core.render import Reply, render_error
from bot.core.scam import Verdict, judge
from bot.core.scam_render import render_verdict
from bot.i18n import Translator
from bot.service.context import ms

if TYPE_CHECKING:
    from bot.service.core import Service
    from bot.store.base import Tx

log = logging.getLogger(__name__)

#: The "slow down" answer is given at most once a minute per sender.
RATE_WARNING_EVERY = 60.0
#: Key (plus the room ID) of the events a room's recent scam warnings answered, newest last.
_WARNED_KEY = "scamguard.warned:"
_WARNED_KEEP = 200


class Rooms:
    """Per-room decisions; holds the scam guard's and the rate warning's bounded budgets."""

    def __init__(self, svc: Service) -> None:
        self.svc = svc
        self.config = svc.config
        self.warnings = RoomWarnings(self.config.rooms.scam_warnings_per_hour)
        self.rate_warned = OncePer(RATE_WARNING_EVERY)

    def judge(self, text: str) -> Verdict:
        """Whether a message looks like a top-up scam (pure; no transaction needed)."""
        return judge(text, official_domains=self.svc.official_domains)

    async def scam_warning(self, tx: Tx, room_id: str, text: str, verdict: Verdict, now: datetime) -> Reply | None:
        """The warning for a group-room message judged a scam, if the room's guard is on and its
        warning budget allows."""
        if not verdict.is_scam or not await tx.scamguard_on(room_id):
            return None
        if not self.warnings.allow(room_id, now.timestamp()):
            log.info("scam warning in %s withheld (room rate limit)", room_id)
            return None
        owner = await self.svc.owner(tx, room_id)
        body, html = render_verdict(
            verdict, owner.language, providers=self.svc.catalog.mentioned(text), prefix=self.svc.prefix_hint(False)
        )
        return Reply(body, html)

    async def warned(self, tx: Tx, room_id: str, event_id: str) -> None:
        """A warning was queued about ``event_id``: remembered so that a moderator can withdraw it."""
        warned = json.loads(await tx.get_kv(_WARNED_KEY + room_id) or "[]")
        await tx.set_kv(_WARNED_KEY + room_id, json.dumps((warned + [event_id])[-_WARNED_KEEP:]))

    async def withdraw_warning(
        self, tx: Tx, room_id: str, target: str, *, can_manage: bool, reply_txn: Callable[[str], str]
    ) -> str | None:
        """A moderator's "!notscam" in reply to ``target``: if ``target`` is one of our recent
        warnings, forget it and return the reason to redact it with (room's language); None for
        anyone else's, or a reply to anything else."""
        if not can_manage:
            log.info("!notscam in %s from a member who cannot manage the room: ignored", room_id)
            return None
        warned: list[str] = json.loads(await tx.get_kv(_WARNED_KEY + room_id) or "[]")
        about = None
        for original in reversed(warned):
            if await tx.sent_reply_event(reply_txn(original)) == target:
                about = original
                break
        if about is None:
            return None
        warned.remove(about)
        await tx.set_kv(_WARNED_KEY + room_id, json.dumps(warned))
        owner = await self.svc.owner(tx, room_id)
        return Translator(owner.language)("scam.withdrawn")

    async def error_reply(self, tx: Tx, owner_id: str, msgid: str) -> Reply:
        """An error that is no command's (``error.internal``, ...), in the owner's language."""
        owner = await self.svc.owner(tx, owner_id)
        return render_error(Translator(owner.language), msgid, {})

    async def rate_limited(self, tx: Tx, owner_id: str, sender: str, now: datetime) -> Reply | None:
        """"Slow down", at most once a minute per sender; None: drop the command quietly."""
        if not self.rate_warned.due(sender, now.timestamp()):
            return None
        return await self.error_reply(tx, owner_id, "error.rate_limited")

    async def undecryptable(self, tx: Tx, room_id: str, sender: str, owner_id: str, now: datetime) -> Reply | None:
        """Ask a sender to resend once per room, never again (no loop with a broken client)."""
        key = f"undecryptable:{room_id}:{sender}"
        if await tx.get_kv(key):
            return None
        await tx.set_kv(key, str(ms(now)))
        return await self.error_reply(tx, owner_id, "error.undecryptable")

    async def upgrade_started(self, tx: Tx, old: str, new: str) -> None:
        """``old`` was replaced by ``new``: when the bot joins ``new``, the lines follow."""
        await tx.set_kv(f"upgrade_to:{new}", old)

    async def joined(self, tx: Tx, room_id: str, now: datetime, *, is_direct: bool | None) -> tuple[bool | None, str | None]:
        """The bot joined ``room_id``: record it; if it is an upgrade, move the old room's lines
        and settings here. Returns (is it a DM, the room it replaces)."""
        moved_from = await tx.get_kv(f"upgrade_to:{room_id}") or None
        if moved_from and not is_direct:
            # The invite to an upgraded room is a plain one (Element's upgrade dialog, a server
            # admin's): the old room says whether it is a DM.
            is_direct = await tx.room_is_direct(moved_from) or is_direct
        await tx.room_rejoined(room_id, ms(now), is_direct=is_direct)
        if moved_from:
            moved = await tx.move_owner(moved_from, room_id, ms(now))
            await tx.room_left(moved_from, ms(now))
            await tx.set_kv(f"upgrade_to:{room_id}", "")
            log.info("room %s was upgraded to %s: moved %d lines", moved_from, room_id, moved)
        return is_direct, moved_from

    async def dm_upgraded(self, tx: Tx, old: str, new: str, people: Iterable[str], now: datetime) -> None:
        """An upgraded DM: a DM's lines belong to the person, not the room, so nothing moved with
        them; but their pings still went to ``old``, which the bot leaves and Element hides. Each
        person whose pings went there gets them in ``new``."""
        for user in people:
            stored = await tx.get_owner(user)
            if stored is not None and stored.room_id == old:
                await tx.update_owner(user, ms(now), room_id=new)
                log.info("DM %s was upgraded to %s: its person's pings go there now", old, new)

    async def left(self, tx: Tx, room_id: str, now: datetime) -> None:
        """The bot is no longer in ``room_id``: its data is kept ``retention_days``, then purged."""
        await tx.room_left(room_id, ms(now))

    async def purge_left_rooms(self, tx: Tx, now: datetime) -> int:
        """Delete the data of rooms left longer ago than ``rooms.retention_days``."""
        days = self.config.rooms.retention_days
        removed = 0
        for room_id in await tx.rooms_left_before(ms(now - timedelta(days=days))):
            removed += await tx.forget_room(room_id)
        if removed:
            log.info("deleted %d lines of rooms left more than %d days ago", removed, days)
        return removed
