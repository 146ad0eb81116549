"""One handler per kind of event: each reads the event, makes one service call, and queues the
reply it gets (in the same transaction as the record that the event was handled).

An event is acted on at most once (``handled_events``), and its reply is written to the reply
outbox in the same transaction as the command's effects, so a crash can neither lose the reply
nor make the command run twice. Senders outside ``[access] allowed_users`` are ignored (except by
the scam guard, which protects a room from anyone who writes in it).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from nio import (
    AsyncClient,
    MegolmEvent,
    ReactionEvent,
    RoomEncryptedFile,
    RoomMessageFile,
    RoomMessageText,
    RoomRedactResponse,
)

from bot import metrics
from bot.config import Config
from bot.core.commands import addressed, find, split_command
from bot.matrix.access import allowed
from bot.matrix.answers import Answers, reply_txn_id
from bot.matrix.background import Background
from bot.matrix.budget import SenderBudget
from bot.matrix.files import Files, caption
from bot.matrix.mention import names_of, unmention
from bot.matrix.profile import ProfileTimezones
from bot.matrix.relations import edit_of, reply_target
from bot.matrix.room_facts import RoomFacts
from bot.service import Service, ms
from bot.service.data import confirm_by_reaction
from bot.store.base import Store

log = logging.getLogger(__name__)

#: An edit of a command answered this recently is run as a correction (older edits are ignored).
EDIT_WINDOW = timedelta(minutes=10)

def _renewed_without_number(command: str | None) -> bool:
    """``renewed 2027-03-01`` / ``已续费`` sent as a reply to a ping: the ping names the line."""
    spec = find(command)
    if spec is None or spec.name != "renewed" or command is None:
        return False
    tokens = split_command(command).tokens
    return not tokens or not tokens[0].isdecimal()


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted ``> <@user> ...`` lines some clients put before a reply's text."""
    lines = body.splitlines()
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).strip()


class Handlers:
    """What each kind of event means for the bot: a command, a correction, a reply or a reaction to
    a ping or an offer, an import, a likely scam, an undecryptable message. Answering and the
    sender's budget are :class:`Answers` and :class:`SenderBudget`."""

    def __init__(
        self, client: AsyncClient, store: Store, service: Service, config: Config, rooms: RoomFacts, *,
        on_reply_queued: Callable[[], None], clock: Callable[[], datetime], background: Background,
    ) -> None:
        self.client = client
        self.store = store
        self.service = service
        self.config = config
        self.rooms = rooms
        self.on_reply_queued = on_reply_queued
        self.clock = clock
        self.profile_tz = ProfileTimezones(client)
        self.files = Files(client, store, on_queued=on_reply_queued, clock=clock)
        self.answers = Answers(client, store, service, rooms, self.files, on_reply_queued=on_reply_queued,
                               clock=clock, background=background)
        self.budget = SenderBudget(config.limits.commands_per_minute, store, service, rooms, self.answers,
                                   clock=clock)

    # --- text: commands, replies to pings, the scam guard, edits --------------------------------
    async def on_text(self, room_id: str, ev: RoomMessageText) -> None:
        dm = self.rooms.is_dm(room_id)
        sender_ok = allowed(ev.sender, self.config.allowed_patterns)
        edit = edit_of(ev.source)
        if edit is not None:  # its body is the "* ..." fallback: never parsed
            if sender_ok:
                await self.on_edit(room_id, ev, *edit)
            return
        body = ev.body or ""
        target = reply_target(ev.source)
        if target is not None:
            body = strip_reply_fallback(body)
        # "renewal-bot: list" (a pill, as Element sends it) is "!list", in a DM too.
        body = unmention(body, ev.source.get("content"), self.client.user_id,
                         names_of(self.client.user_id, self._display_name(room_id)), self.config.bot.command_prefix)
        if sender_ok and not dm and target is not None and self._is_notscam(body):
            if await self.budget.within(room_id, ev):
                await self._notscam(room_id, ev, target)
            return
        command = addressed(body, prefix=self.config.bot.command_prefix, require_prefix=not dm) if sender_ok else None
        if sender_ok and target is not None and (find(command) is None or _renewed_without_number(command)):
            async with self.store.read() as tx:
                rows = await tx.pings_by_event(target)
            if len(rows) > 1:  # a ping listing several lines: which one?
                if await self.budget.within(room_id, ev):
                    await self.answers.answer(room_id, ev, lambda tx, ctx: self.service.reply_to_many(tx, ctx, rows, body))
                return
            if rows:
                ping = rows[0]
                if await self.budget.within(room_id, ev):
                    await self.answers.answer(room_id, ev, lambda tx, ctx: self.service.reply_to_ping(tx, ctx, ping, body))
                return
        if command is None:
            if not dm:
                await self._scam_guard(room_id, ev)
            return
        now = self.clock()
        if not self.budget.allow(ev.sender, now):
            await self.budget.refuse(room_id, ev, now)
            return
        if dm:
            await self._profile_timezone(ev.sender)
        spec = find(command)  # the command in any language: its row says whether it is slow
        attachment = None
        if target is not None and spec is not None and spec.name == "import":
            # "import" replying to a file sent before: that file is what to import.
            file_content = await self.files.replied_file(room_id, target)
            if file_content is not None:
                attachment = await self.files.read(file_content, self.config.limits.max_import_bytes)
        typing = self.answers.typing_if_slow(room_id) if spec is not None and spec.slow else None
        started = time.perf_counter()
        try:
            await self.answers.answer(room_id, ev, lambda tx, ctx: self.service.handle(tx, ctx, command),
                               attachment=attachment)
        finally:
            if typing is not None and not typing.done():
                typing.cancel()
        metrics.child(metrics.COMMAND_SECONDS, spec.name if spec is not None else "unknown").observe(time.perf_counter() - started)

    def _display_name(self, room_id: str) -> str | None:
        room = self.client.rooms.get(room_id)
        user = room.users.get(self.client.user_id) if room is not None else None
        return user.display_name if user is not None else None

    async def _profile_timezone(self, user_id: str) -> None:
        """Keep the user's m.tz (read at most hourly) for users who set no time zone here."""
        zone, fresh = await self.profile_tz.get(user_id)
        if not fresh:
            return
        async with self.store.tx() as tx:
            changed = await self.service.note_profile_timezone(tx, user_id, zone, self.clock())
        if changed:
            log.info("a user's profile time zone is now %s", zone or "unset")
            self.on_reply_queued()

    async def on_edit(self, room_id: str, ev: RoomMessageText, original: str, new: dict[str, Any]) -> None:
        """A corrected command: if we answered the original within EDIT_WINDOW, run the new
        text once and edit our answer; any other edit is ignored (marked handled)."""
        now = self.clock()
        async with self.store.read() as tx:
            handled = await tx.handled_at(original)
            answer = await tx.sent_reply_event(reply_txn_id(original))
        raw = new.get("body")
        body = raw if isinstance(raw, str) else ""
        command = addressed(body, prefix=self.config.bot.command_prefix, require_prefix=not self.rooms.is_dm(room_id))
        fresh = handled is not None and ms(now) - handled <= EDIT_WINDOW.total_seconds() * 1000
        if answer is None or not fresh or command is None or not self.budget.allow(ev.sender, now):
            async with self.store.tx() as tx:
                await tx.mark_handled(ev.event_id, room_id, ms(now))
            return
        await self.answers.answer(
            room_id, ev, lambda tx, ctx: self.service.handle(tx, ctx, command), answer_to=original, replaces=answer
        )

    async def on_file(self, room_id: str, ev: RoomMessageFile | RoomEncryptedFile) -> None:
        """A file whose caption is ``import``: import it. Other files are not for the bot."""
        if not allowed(ev.sender, self.config.allowed_patterns):
            return
        source = ev.source.get("content")
        said = caption(source) if isinstance(source, dict) else None
        if said is None:
            return
        command = addressed(said, prefix=self.config.bot.command_prefix, require_prefix=not self.rooms.is_dm(room_id))
        spec = find(command)
        if command is None or spec is None or spec.name != "import":
            return
        now = self.clock()
        if not self.budget.allow(ev.sender, now):
            return
        assert isinstance(source, dict)
        data = await self.files.read(source, self.config.limits.max_import_bytes)
        await self.answers.answer(room_id, ev, lambda tx, ctx: self.service.handle(tx, ctx, command), attachment=data)

    async def _scam_guard(self, room_id: str, ev: RoomMessageText) -> None:
        """In a group room, one warning for a message that looks like a top-up scam."""
        verdict = self.service.rooms.judge(ev.body or "")  # outside the store's lock: pure CPU
        if not verdict.is_scam:
            return
        now = self.clock()
        async with self.store.tx() as tx:
            warning = await self.service.rooms.scam_warning(tx, room_id, ev.body or "", verdict, now)
            if warning is None or not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                return
            await self.answers.queue(tx, ev.event_id, room_id, warning, now)
            await self.service.rooms.warned(tx, room_id, ev.event_id)
        metrics.SCAM_WARNINGS.inc()
        log.info("warned about a likely scam in %s (%s)", room_id, ", ".join(verdict.reasons))
        self.on_reply_queued()

    def _is_notscam(self, body: str) -> bool:
        said = body.strip().casefold()
        prefix = self.config.bot.command_prefix.casefold()
        return said in ("!notscam", prefix + "notscam", prefix.strip() + " notscam")

    async def _notscam(self, room_id: str, ev: RoomMessageText, target: str) -> None:
        """A moderator's "!notscam" in reply to one of our scam warnings: redact the warning.
        Anyone else's, or one in reply to anything else, is ignored (marked handled)."""
        now = self.clock()
        ctx = await self.rooms.context(room_id, ev.sender, now)
        async with self.store.tx() as tx:
            if not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                return
            reason = await self.service.rooms.withdraw_warning(
                tx, room_id, target, can_manage=ctx.can_manage, reply_txn=reply_txn_id
            )
        if reason is None:
            return
        resp = await self.client.room_redact(room_id, target, reason=reason)
        if isinstance(resp, RoomRedactResponse):
            metrics.SCAM_WARNINGS_WITHDRAWN.inc()
            log.info("a moderator withdrew a scam warning in %s", room_id)
        else:
            log.warning("could not redact a withdrawn scam warning in %s: %s", room_id, getattr(resp, "status_code", resp))
        self.answers.mark_read(room_id, ev.event_id)

    # --- reactions, undecryptable events --------------------------------------------------------
    async def on_reaction(self, room_id: str, ev: ReactionEvent) -> None:
        if not allowed(ev.sender, self.config.allowed_patterns):
            return
        async with self.store.read() as tx:
            rows = await tx.pings_by_event(ev.reacts_to)
            ping = rows[0] if len(rows) == 1 else None
            offer = None if rows else await tx.pending_by_event(ev.reacts_to, ms(self.clock()))
        if (offer is not None or rows) and not await self.budget.within(room_id, ev):
            return
        if len(rows) > 1:  # ✅ on a ping listing several lines asks which one; 💤 snoozes them all
            await self.answers.answer(
                room_id, ev, lambda tx, ctx: self.service.react_many(tx, ctx, rows, ev.key), answer_to=ev.reacts_to
            )
            return
        if offer is not None:  # ✅ on an offer (a carrier notice, an import, a forget) is its "yes"
            await self.answers.answer(
                room_id, ev, lambda tx, ctx: confirm_by_reaction(self.service, tx, ctx, offer, ev.key),
                answer_to=ev.reacts_to,
            )
            return
        if ping is None:
            return
        await self.answers.answer(
            room_id, ev, lambda tx, ctx: self.service.react(tx, ctx, ping, ev.key), answer_to=ev.reacts_to
        )

    async def on_undecryptable(self, room_id: str, ev: MegolmEvent) -> None:
        """Ask once per sender and room to resend; never loop, never answer old events."""
        if not allowed(ev.sender, self.config.allowed_patterns):
            return
        metrics.DECRYPTION_FAILURES.inc()
        log.warning("could not decrypt %s from %s in %s", ev.event_id, ev.sender, room_id)
        now = self.clock()
        async with self.store.tx() as tx:
            if not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                return
            reply = await self.service.rooms.undecryptable(
                tx, room_id, ev.sender, self.rooms.owner_of(room_id, ev.sender), now
            )
            if reply is None:
                return
            await self.answers.queue(tx, ev.event_id, room_id, reply, now)
        self.on_reply_queued()
