"""From a sync response to actions: filter, deduplicate, dispatch, queue the reply.

An event is acted on at most once (``handled_events``), and its reply is written to the reply
outbox in the same transaction as the command's effects, so a crash can neither lose the reply
nor make the command run twice. Events from before the bot joined a room, its own events,
``m.notice`` events (other bots) and senders outside ``[access] allowed_users`` are ignored
(except by the scam guard, which protects a room from anyone who writes in it).
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from nio import (
    AsyncClient,
    InviteMemberEvent,
    JoinError,
    MegolmEvent,
    ReactionEvent,
    RedactionEvent,
    RoomCreateEvent,
    RoomGetStateResponse,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomEncryptedFile,
    RoomMessageFile,
    RoomMessageText,
    RoomRedactResponse,
    SyncResponse,
    UnknownEvent,
)
from nio.events.room_events import RoomUpgradeEvent
from nio.rooms import MatrixRoom

from bot import metrics
from bot.config import Config
from bot.core.commands import addressed, find
from bot.core.limits import CommandBudget
from bot.core.permissions import can_manage
from bot.core.render import Reply, render_error
from bot.core.scam import judge
from bot.core.scam_render import render_verdict
from bot.i18n import Translator
from bot.matrix import content
from bot.matrix.access import allowed
from bot.matrix.files import Files, caption
from bot.matrix.profile import ProfileTimezones
from bot.matrix.relations import edit_content, edit_of, reply_relation, reply_target, thread_root
from bot.service import Context, Service, ms
from bot.service.data import confirm_by_reaction
from bot.store.base import Store, Tx

log = logging.getLogger(__name__)

#: How far back a limited timeline is fetched after downtime.
GAP_PAGES = 10
GAP_PAGE_SIZE = 100
#: A room's read marker is moved at most once in this many seconds, to the latest event
#: (see ``EventRouter._mark_read``).
READ_MARKER_EVERY = 2.0
#: "Typing..." is shown only for an answer that takes longer than this (seconds).
TYPING_AFTER = 0.3
#: An edit of a command answered this recently is run as a correction (older edits are ignored).
EDIT_WINDOW = timedelta(minutes=10)
#: Key (plus the room ID) of the events a room's recent scam warnings answered, newest last.
_WARNED_KEY = "scamguard.warned:"
_WARNED_KEEP = 200


def reply_txn_id(event_id: str) -> str:
    """The reply's transaction ID comes from the event it answers: a re-send is a no-op."""
    return "reply-" + hashlib.sha256(event_id.encode()).hexdigest()[:32]


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted ``> <@user> ...`` lines some clients put before a reply's text."""
    lines = body.splitlines()
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).strip()


def in_reply_to(source: dict[str, Any]) -> str | None:
    # nio does not check m.relates_to: any of these levels may be a string, a list, null ...
    content = source.get("content")
    rel = content.get("m.relates_to") if isinstance(content, dict) else None
    reply = rel.get("m.in_reply_to") if isinstance(rel, dict) else None
    target = reply.get("event_id") if isinstance(reply, dict) else None
    return target if isinstance(target, str) else None


class RoomWarnings:
    """The scam guard's room-level budget: one warning a minute, ``per_hour`` an hour."""

    def __init__(self, per_hour: int) -> None:
        self.per_hour = per_hour
        self._sent: dict[str, deque[float]] = {}

    def allow(self, room_id: str, now: float) -> bool:
        sent = self._sent.setdefault(room_id, deque())
        while sent and now - sent[0] > 3600:
            sent.popleft()
        if len(sent) >= self.per_hour or (sent and now - sent[-1] < 60):
            return False
        sent.append(now)
        return True


class EventRouter:
    def __init__(
        self,
        client: AsyncClient,
        store: Store,
        service: Service,
        config: Config,
        *,
        on_reply_queued: Callable[[], None],
        clock: Callable[[], datetime],
    ) -> None:
        self.client = client
        self.store = store
        self.service = service
        self.config = config
        self.on_reply_queued = on_reply_queued
        self.clock = clock
        self.budget = CommandBudget(config.limits.commands_per_minute)
        self.warnings = RoomWarnings(config.rooms.scam_warnings_per_hour)
        self._warned_rate: dict[str, float] = {}
        self._creators: dict[str, frozenset[str]] = {}
        self._direct: dict[str, bool] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._read_latest: dict[str, str] = {}
        self.profile_tz = ProfileTimezones(client)
        self.files = Files(client, store, on_queued=on_reply_queued, clock=clock)

    # --- sync -------------------------------------------------------------------------------
    async def handle_sync(self, resp: SyncResponse) -> None:
        for room_id, info in resp.rooms.invite.items():
            try:
                await self._on_invite(room_id, info.invite_state)
            except Exception:
                log.exception("error while handling an invite to %s; carrying on", room_id)
        for room_id, info in resp.rooms.join.items():
            try:
                await self._on_joined_room(room_id, info)
            except Exception:
                log.exception("error while handling room %s; carrying on", room_id)
        for room_id in resp.rooms.leave:
            try:
                async with self.store.tx() as tx:
                    if not await tx.room_is_left(room_id):
                        await tx.room_left(room_id, ms(self.clock()))
                        log.info("no longer in %s; its data is kept %d days", room_id, self.config.rooms.retention_days)
            except Exception:
                log.exception("error while handling leaving %s", room_id)

    async def _on_invite(self, room_id: str, events: list[Any]) -> None:
        me = self.client.user_id
        for ev in events:
            if not isinstance(ev, InviteMemberEvent) or ev.state_key != me or ev.membership != "invite":
                continue
            if not allowed(ev.sender, self.config.allowed_patterns):
                log.info("ignoring invite to %s from %s (not in allowed_users)", room_id, ev.sender)
                return
            direct = ev.content.get("is_direct") is True
            await self._join(room_id, reason=f"invite from {ev.sender}", is_direct=direct)
            return

    async def _join(self, room_id: str, *, reason: str, is_direct: bool | None = None) -> bool:
        resp = await self.client.join(room_id)
        if isinstance(resp, JoinError):
            log.warning("could not join %s: %s", room_id, resp.message)
            return False
        async with self.store.tx() as tx:
            moved_from = await tx.get_kv(f"upgrade_to:{room_id}")
            if moved_from and is_direct is None:
                is_direct = await tx.room_is_direct(moved_from)
            await tx.room_rejoined(room_id, ms(self.clock()), is_direct=is_direct)
            if is_direct is not None:
                self._direct[room_id] = is_direct
            if moved_from:
                await self._move_room(tx, moved_from, room_id)
        log.info("joined %s (%s)", room_id, reason)
        return True

    async def _on_joined_room(self, room_id: str, info: Any) -> None:
        async with self.store.read() as tx:
            joined_at = await tx.room_joined_at(room_id)
            if room_id not in self._direct:
                direct = await tx.room_is_direct(room_id)
                if direct is not None:
                    self._direct[room_id] = direct
        if joined_at is None:
            # A room we were in before this database existed: nothing in it so far is for us.
            joined_at = ms(self.clock())
            async with self.store.tx() as tx:
                await tx.room_joined(room_id, joined_at)
        for ev in info.state:
            self._note_state(room_id, ev)
        events = list(info.timeline.events)
        if info.timeline.limited and info.timeline.prev_batch:
            events = await self._fetch_gap(room_id, info.timeline.prev_batch, joined_at) + events
        # A command redacted before we got to it (e.g. while the bot was down) is never run.
        redacted = {ev.redacts for ev in events if isinstance(ev, RedactionEvent)}
        for ev in events:
            self._note_state(room_id, ev)
            if getattr(ev, "event_id", None) in redacted:
                async with self.store.tx() as tx:
                    await tx.mark_handled(ev.event_id, room_id, ms(self.clock()))
                continue
            await self.on_event(room_id, ev, joined_at)

    def _note_state(self, room_id: str, ev: Any) -> None:
        if isinstance(ev, RoomCreateEvent):
            content = ev.source.get("content", {})
            extra = content.get("additional_creators") or []
            self._creators[room_id] = frozenset([ev.sender, *[x for x in extra if isinstance(x, str)]])

    async def _fetch_gap(self, room_id: str, prev_batch: str, joined_at: int) -> list[Any]:
        """Events a limited sync left out, oldest first, back to what we have handled."""
        gathered: list[Any] = []
        token = prev_batch
        for _ in range(GAP_PAGES):
            resp = await self.client.room_messages(room_id, start=token, limit=GAP_PAGE_SIZE)
            if not isinstance(resp, RoomMessagesResponse) or not resp.chunk:
                break
            stop = False
            for ev in resp.chunk:  # newest first
                if ev.server_timestamp < joined_at:
                    stop = True
                    break
                async with self.store.read() as tx:
                    if await tx.is_handled(ev.event_id):
                        stop = True
                        break
                gathered.append(ev)
            if stop or not resp.end or resp.end == token:
                break
            token = resp.end
        gathered.reverse()
        if gathered:
            log.info("fetched %d events missed in %s", len(gathered), room_id)
        return gathered

    # --- one event --------------------------------------------------------------------------
    async def on_event(self, room_id: str, ev: Any, joined_at: int) -> None:
        if getattr(ev, "sender", None) == self.client.user_id and not isinstance(ev, RoomMemberEvent):
            return
        if ev.server_timestamp < joined_at:
            return
        if isinstance(ev, RoomMessageText):
            await self._on_text(room_id, ev)
        elif isinstance(ev, ReactionEvent):
            await self._on_reaction(room_id, ev)
        elif isinstance(ev, (RoomMessageFile, RoomEncryptedFile)):
            await self._on_file(room_id, ev)
        elif isinstance(ev, MegolmEvent):
            await self._on_undecryptable(room_id, ev)
        elif isinstance(ev, RoomMemberEvent):
            await self._on_member(room_id, ev)
        elif isinstance(ev, RoomUpgradeEvent) or (isinstance(ev, UnknownEvent) and ev.type == "m.room.tombstone"):
            await self._on_tombstone(room_id, ev)

    def _room(self, room_id: str) -> MatrixRoom | None:
        return self.client.rooms.get(room_id)

    def is_dm(self, room_id: str) -> bool:
        """A DM as its inviter marked it (``is_direct``); for rooms joined before that was
        recorded, a room of two. Never a room with a third member (joined or invited), whatever
        the invite said: there, one person's own lines would be read by the others."""
        room = self._room(room_id)
        if room is not None and room.member_count > 2:
            return False
        known = self._direct.get(room_id)
        if known is not None:
            return known
        return True

    def joined_members(self, room_id: str) -> frozenset[str]:
        room = self._room(room_id)
        if room is None:
            return frozenset()
        return frozenset(u for u in room.users if u not in room.invited_users)

    async def creators(self, room_id: str) -> frozenset[str]:
        """The room's creators (room version 12 gives them the top rank); fetched once if unseen."""
        found = self._creators.get(room_id)
        if found is None:
            found = frozenset()
            resp = await self.client.room_get_state(room_id)
            if isinstance(resp, RoomGetStateResponse):
                for ev in resp.events:
                    if ev.get("type") == "m.room.create":
                        extra = ev.get("content", {}).get("additional_creators") or []
                        found = frozenset([ev.get("sender", ""), *[x for x in extra if isinstance(x, str)]])
            self._creators[room_id] = found
        return found

    async def context(self, room_id: str, sender: str, now: datetime) -> Context:
        dm = self.is_dm(room_id)
        if dm:
            return Context(sender=sender, room_id=room_id, owner_id=sender, is_dm=True, now=now)
        room = self._room(room_id)
        manage = False
        if room is not None:
            pl = room.power_levels
            manage = can_manage(
                sender,
                required=self.config.rooms.manage_power_level,
                users=pl.users,
                users_default=pl.defaults.users_default,
                creators=await self.creators(room_id),
                room_version=room.room_version,
            )
        return Context(
            sender=sender, room_id=room_id, owner_id=room_id, is_dm=False, now=now, can_manage=manage,
            members=self.joined_members(room_id),
        )

    async def _queue(
        self, tx: Tx, event_id: str, room_id: str, reply: Reply, now: datetime, *, answer_to: str | None = None,
        thread: str | None = None, replaces: str | None = None,
    ) -> None:
        """Queue the reply to ``event_id`` (in its ``thread``); with ``replaces``, as an edit of
        that earlier reply of ours instead."""
        sent = content.notice(reply, answer_to or event_id, thread_root=thread)
        if replaces is not None:
            sent = edit_content(sent, replaces)
        txn = reply_txn_id(event_id)
        await tx.enqueue_reply(txn, room_id, "m.notice", sent, ms(now))
        if reply.secret:  # a calendar URL: the stored copy goes once it is sent
            await tx.scrub_after_sending(txn)

    def _mark_read(self, room_id: str, event_id: str) -> None:
        """Move the room's read marker, at most once every READ_MARKER_EVERY seconds, to the
        latest event. Each marker costs the homeserver about what a message costs, and one sent
        with a reply makes the reply later (bench/REPORT.md): a user typing several commands
        gets one marker, not one per command."""
        waiting = room_id in self._read_latest
        self._read_latest[room_id] = event_id
        if waiting:
            return

        async def later() -> None:
            try:
                await asyncio.sleep(READ_MARKER_EVERY)
            finally:
                latest = self._read_latest.pop(room_id)
            await self.client.room_read_markers(room_id, latest, latest)

        self._background_call(later())

    def _typing_if_slow(self, room_id: str) -> asyncio.Task[Any]:
        """Show "typing..." if the answer is not queued within TYPING_AFTER; cancel when it is."""

        async def later() -> None:
            await asyncio.sleep(TYPING_AFTER)
            await self.client.room_typing(room_id, True, timeout=10_000)

        task = asyncio.ensure_future(later())
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        return task

    def _background_call(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Fire and forget (typing, read receipts): never delays or breaks a reply."""
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())

    async def _on_text(self, room_id: str, ev: RoomMessageText) -> None:
        dm = self.is_dm(room_id)
        sender_ok = allowed(ev.sender, self.config.allowed_patterns)
        edit = edit_of(ev.source)
        if edit is not None:  # its body is the "* ..." fallback: never parsed
            if sender_ok:
                await self._on_edit(room_id, ev, *edit)
            return
        body = ev.body or ""
        target = reply_target(ev.source)
        if target is not None:
            body = strip_reply_fallback(body)
        if sender_ok and not dm and target is not None and self._is_notscam(body):
            await self._notscam(room_id, ev, target)
            return
        command = addressed(body, prefix=self.config.bot.command_prefix, require_prefix=not dm) if sender_ok else None
        if sender_ok and target is not None and find(command) is None:
            async with self.store.read() as tx:
                ping = await tx.ping_by_event(target)
            if ping is not None:
                await self._answer(room_id, ev, lambda tx, ctx: self.service.reply_to_ping(tx, ctx, ping, body))
                return
        if command is None:
            if not dm:
                await self._scam_guard(room_id, ev)
            return
        now = self.clock()
        if not self.budget.allow(ev.sender, now.timestamp()):
            await self._rate_limited(room_id, ev, now)
            return
        if dm:
            await self._profile_timezone(ev.sender)
        spec = find(command)  # the command in any language: its row says whether it is slow
        attachment = None
        if target is not None and spec is not None and spec.name == "import":
            # "import" replying to a file sent before: that file is what to import.
            content = await self.files.replied_file(room_id, target)
            if content is not None:
                attachment = await self.files.read(content, self.config.limits.max_import_bytes)
        typing = self._typing_if_slow(room_id) if spec is not None and spec.slow else None
        started = time.perf_counter()
        try:
            await self._answer(room_id, ev, lambda tx, ctx: self.service.handle(tx, ctx, command),
                               attachment=attachment)
        finally:
            if typing is not None and not typing.done():
                typing.cancel()
        metrics.COMMAND_SECONDS.labels(spec.name if spec is not None else "unknown").observe(time.perf_counter() - started)

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

    async def _on_edit(self, room_id: str, ev: RoomMessageText, original: str, new: dict[str, Any]) -> None:
        """A corrected command: if we answered the original within EDIT_WINDOW, run the new
        text once and edit our answer; any other edit is ignored (marked handled)."""
        now = self.clock()
        async with self.store.read() as tx:
            handled = await tx.handled_at(original)
            answer = await tx.sent_reply_event(reply_txn_id(original))
        body = new.get("body") if isinstance(new.get("body"), str) else ""
        command = addressed(body, prefix=self.config.bot.command_prefix, require_prefix=not self.is_dm(room_id))
        fresh = handled is not None and ms(now) - handled <= EDIT_WINDOW.total_seconds() * 1000
        if answer is None or not fresh or command is None or not self.budget.allow(ev.sender, now.timestamp()):
            async with self.store.tx() as tx:
                await tx.mark_handled(ev.event_id, room_id, ms(now))
            return
        await self._answer(
            room_id, ev, lambda tx, ctx: self.service.handle(tx, ctx, command), answer_to=original, replaces=answer
        )

    async def _on_file(self, room_id: str, ev: RoomMessageFile | RoomEncryptedFile) -> None:
        """A file whose caption is ``import``: import it. Other files are not for the bot."""
        if not allowed(ev.sender, self.config.allowed_patterns):
            return
        content = ev.source.get("content")
        said = caption(content) if isinstance(content, dict) else None
        if said is None:
            return
        command = addressed(said, prefix=self.config.bot.command_prefix, require_prefix=not self.is_dm(room_id))
        spec = find(command)
        if command is None or spec is None or spec.name != "import":
            return
        now = self.clock()
        if not self.budget.allow(ev.sender, now.timestamp()):
            return
        assert isinstance(content, dict)
        data = await self.files.read(content, self.config.limits.max_import_bytes)
        await self._answer(room_id, ev, lambda tx, ctx: self.service.handle(tx, ctx, command), attachment=data)

    async def _answer(
        self, room_id: str, ev: Any, run: Callable[[Tx, Context], Any], *, answer_to: str | None = None,
        replaces: str | None = None, attachment: bytes | None = None,
    ) -> None:
        """Run an action and queue its reply (to ``answer_to``, default the event itself; in the
        event's thread, if any) in one transaction; an apology if it fails."""
        now = self.clock()
        ctx = replace(await self.context(room_id, ev.sender, now), reply_txn=reply_txn_id(ev.event_id),
                      attachment=attachment)
        reply = None
        try:
            async with self.store.tx() as tx:
                if not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                    return
                reply = await run(tx, ctx)
                if reply is not None:
                    await self._queue(
                        tx, ev.event_id, room_id, reply, now, answer_to=answer_to,
                        thread=thread_root(ev.source), replaces=replaces,
                    )
        except Exception:
            log.exception("handling %s in %s failed; answering with an apology", ev.event_id, room_id)
            await self._apologise(ctx, ev.event_id)
        if reply is not None and reply.file is not None:
            await self.files.send_file(room_id, ev.event_id, reply.file, now)
        self.on_reply_queued()
        self._mark_read(room_id, ev.event_id)

    async def _apologise(self, ctx: Context, event_id: str) -> None:
        async with self.store.tx() as tx:
            owner = await self.service.owner(tx, ctx.owner_id)
            if not await tx.mark_handled(event_id, ctx.room_id, ms(ctx.now)):
                return
            await self._queue(tx, event_id, ctx.room_id, render_error(Translator(owner.language), "error.internal", {}), ctx.now)

    async def _rate_limited(self, room_id: str, ev: RoomMessageText, now: datetime) -> None:
        """Say so once a minute at most; the rest is dropped quietly, never queued up."""
        last = self._warned_rate.get(ev.sender, 0.0)
        warn = now.timestamp() - last >= 60
        async with self.store.tx() as tx:
            if not await tx.mark_handled(ev.event_id, room_id, ms(now)) or not warn:
                return
            self._warned_rate[ev.sender] = now.timestamp()
            owner = await self.service.owner(tx, ev.sender if self.is_dm(room_id) else room_id)
            await self._queue(tx, ev.event_id, room_id, render_error(Translator(owner.language), "error.rate_limited", {}), now)
        self.on_reply_queued()

    async def _scam_guard(self, room_id: str, ev: RoomMessageText) -> None:
        """In a group room, one warning for a message that looks like a top-up scam."""
        verdict = judge(ev.body or "", official_domains=self.service.official_domains)
        if not verdict.is_scam:
            return
        now = self.clock()
        async with self.store.tx() as tx:
            if not await tx.scamguard_on(room_id):
                return
            if not self.warnings.allow(room_id, now.timestamp()):
                log.info("scam warning in %s withheld (room rate limit)", room_id)
                return
            if not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                return
            owner = await self.service.owner(tx, room_id)
            body, html = render_verdict(
                verdict, owner.language, providers=self.service.catalog.mentioned(ev.body or ""),
                prefix=self.service.prefix_hint(False),
            )
            await self._queue(tx, ev.event_id, room_id, Reply(body, html), now)
            # Remembered so that a moderator can withdraw the warning with "!notscam".
            warned = json.loads(await tx.get_kv(_WARNED_KEY + room_id) or "[]")
            await tx.set_kv(_WARNED_KEY + room_id, json.dumps((warned + [ev.event_id])[-_WARNED_KEEP:]))
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
        ctx = await self.context(room_id, ev.sender, now)
        async with self.store.tx() as tx:
            if not await tx.mark_handled(ev.event_id, room_id, ms(now)):
                return
            if not ctx.can_manage:
                log.info("!notscam in %s from a member who cannot manage the room: ignored", room_id)
                return
            warned: list[str] = json.loads(await tx.get_kv(_WARNED_KEY + room_id) or "[]")
            about = None
            for original in reversed(warned):
                if await tx.sent_reply_event(reply_txn_id(original)) == target:
                    about = original
                    break
            if about is None:
                return
            warned.remove(about)
            await tx.set_kv(_WARNED_KEY + room_id, json.dumps(warned))
            owner = await self.service.owner(tx, room_id)
        reason = Translator(owner.language)("scam.withdrawn")
        resp = await self.client.room_redact(room_id, target, reason=reason)
        if isinstance(resp, RoomRedactResponse):
            metrics.SCAM_WARNINGS_WITHDRAWN.inc()
            log.info("a moderator withdrew a scam warning in %s", room_id)
        else:
            log.warning("could not redact a withdrawn scam warning in %s: %s", room_id, getattr(resp, "status_code", resp))
        self._mark_read(room_id, ev.event_id)

    async def _on_reaction(self, room_id: str, ev: ReactionEvent) -> None:
        if not allowed(ev.sender, self.config.allowed_patterns):
            return
        async with self.store.read() as tx:
            ping = await tx.ping_by_event(ev.reacts_to)
            offer = None if ping is not None else await tx.pending_by_event(ev.reacts_to, ms(self.clock()))
        if offer is not None:  # ✅ on an offer (a carrier notice, an import, a forget) is its "yes"
            await self._answer(
                room_id, ev, lambda tx, ctx: confirm_by_reaction(self.service, tx, ctx, offer, ev.key),
                answer_to=ev.reacts_to,
            )
            return
        if ping is None:
            return
        await self._answer(
            room_id, ev, lambda tx, ctx: self.service.react(tx, ctx, ping, ev.key), answer_to=ev.reacts_to
        )

    async def _on_member(self, room_id: str, ev: RoomMemberEvent) -> None:
        me = self.client.user_id
        now = self.clock()
        if ev.state_key == me:
            if ev.membership in ("leave", "ban") and ev.sender != me:
                async with self.store.tx() as tx:
                    await tx.room_left(room_id, ms(now))
                log.info("removed from %s by %s; its data is kept %d days", room_id, ev.sender,
                         self.config.rooms.retention_days)
            return
        if ev.membership not in ("leave", "ban"):
            return
        humans = self.joined_members(room_id) - {me}
        if humans:
            return
        log.info("the last person left %s; leaving too (data kept %d days)", room_id, self.config.rooms.retention_days)
        await self.client.room_leave(room_id)
        async with self.store.tx() as tx:
            await tx.room_left(room_id, ms(now))

    async def _on_tombstone(self, room_id: str, ev: RoomUpgradeEvent | UnknownEvent) -> None:
        """The room was upgraded: follow it, and move its lines to the new room."""
        new_room = ev.source.get("content", {}).get("replacement_room")
        if not isinstance(new_room, str) or not new_room.startswith("!"):
            return
        async with self.store.tx() as tx:
            await tx.set_kv(f"upgrade_to:{new_room}", room_id)
        if not await self._join(new_room, reason=f"upgrade of {room_id}"):
            log.info("waiting for an invite to %s, the upgrade of %s", new_room, room_id)

    async def _move_room(self, tx: Tx, old: str, new: str) -> None:
        moved = await tx.move_owner(old, new, ms(self.clock()))
        await tx.room_left(old, ms(self.clock()))
        await tx.set_kv(f"upgrade_to:{new}", "")
        log.info("room %s was upgraded to %s: moved %d lines", old, new, moved)
        self._background_call(self.client.room_leave(old))

    async def purge_left_rooms(self) -> int:
        """Delete the data of rooms left longer ago than ``rooms.retention_days``."""
        cutoff = self.clock() - timedelta(days=self.config.rooms.retention_days)
        removed = 0
        async with self.store.tx() as tx:
            for room_id in await tx.rooms_left_before(ms(cutoff)):
                removed += await tx.forget_room(room_id)
        if removed:
            log.info("deleted %d lines of rooms left more than %d days ago", removed, self.config.rooms.retention_days)
        return removed

    async def _on_undecryptable(self, room_id: str, ev: MegolmEvent) -> None:
        """Ask once per sender and room to resend; never loop, never answer old events."""
        if not allowed(ev.sender, self.config.allowed_patterns):
            return
        metrics.DECRYPTION_FAILURES.inc()
        log.warning("could not decrypt %s from %s in %s", ev.event_id, ev.sender, room_id)
        now = self.clock()
        key = f"undecryptable:{room_id}:{ev.sender}"
        async with self.store.tx() as tx:
            if not await tx.mark_handled(ev.event_id, room_id, ms(now)) or await tx.get_kv(key):
                return
            await tx.set_kv(key, str(ms(now)))
            owner = await self.service.owner(tx, ev.sender if self.is_dm(room_id) else room_id)
            await self._queue(tx, ev.event_id, room_id, render_error(Translator(owner.language), "error.undecryptable", {}), now)
        self.on_reply_queued()

