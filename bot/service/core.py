"""The service: runs commands and pings against the store, knowing nothing of Matrix.

The service speaks to the store through a transaction handed in by the caller, so that a
command's effects, the record that its event was handled and its reply are committed together.
It gets a :class:`Context` and text (or a typed command), and returns a :class:`Reply`. The
commands' handlers are in :mod:`bot.service.commands`, the pings' in :mod:`bot.service.pings`.

:class:`Service` runs commands; its other jobs are parts it holds and offers under its own name
(so the handlers and the Matrix side keep calling ``svc.arm``, ``svc.owner``, ``svc.provider``):
:class:`~bot.service.arming.Arming`, :class:`~bot.service.owners.Owners`,
:class:`~bot.service.names.Names` and :class:`~bot.service.rooms.Rooms`.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date, datetime

from bot import metrics
from bot.admin import is_admin
from bot.catalog import Catalog, load_catalog
from bot.config import Config
from bot.core import commands as c
from bot.core.dates import DateError
from bot.core.langdetect import detect_language
from bot.core.model import OwnerSettings, PingRow
from bot.core.notices import NoticeFormat
from bot.core.render import Reply, render_error
from bot.core.scam import judge
from bot.core.scam_domains import catalog_domains
from bot.core.scam_render import render_verdict
from bot.core.schedule import local_today
from bot.i18n import Translator
from bot.service import pings
from bot.service.arming import Arming
from bot.service.context import Context, PingMessage, ms
from bot.service.handlers import HANDLERS, Call, bind_all
from bot.service.names import Names
from bot.service.owners import Owners
from bot.service.rooms import Rooms
from bot.store.base import PingReads, Tx

bind_all()

log = logging.getLogger(__name__)

#: Makes the typed command from the text, given the owner's today and language.
MakeCommand = Callable[[date, str], c.Command]


class Service:
    """Runs a command typed, replied or reacted in chat, in the caller's transaction."""

    def __init__(self, config: Config, catalog: Catalog | None = None) -> None:
        self.config = config
        self.catalog = catalog or load_catalog()
        self.official_domains = catalog_domains(self.catalog)  # every domain the catalog names
        self.rooms = Rooms(self)
        self.names = Names(self.catalog, self.config.limits.max_label_length)
        self.arming = Arming(self.config.bot)
        # Planning and arming pings (bot.service.arming) under the service's name: ``svc.arm(...)``.
        self.lead_days = self.arming.lead_days
        self.arm = self.arming.arm
        self.arm_many = self.arming.arm_many
        self.arm_all = self.arming.arm_all
        self.owners = Owners(self.config.bot, arm_all=self.arm_all)
        # The owners' settings (bot.service.owners) under the service's name: ``svc.owner(tx, id)``.
        self.owner = self.owners.owner
        self.note_profile_timezone = self.owners.note_profile_timezone
        self.prefix_hint = self.owners.prefix_hint
        self.profile_key = self.owners.profile_key
        # What users typed, resolved (bot.service.names), under the service's name: ``svc.provider(...)``.
        self.provider = self.names.provider
        self.carrier = self.names.carrier
        self.carrier_name = self.names.carrier_name
        self.resolve_provider_variant = self.names.resolve_provider_variant
        self.resolve_variant = self.names.resolve_variant
        self.check_label = self.names.check_label
        self.resolve_timezone = self.names.resolve_timezone
        #: Set by the app once the bot's device is cross-signed: (master-key public key, device ID).
        self.identity: tuple[str, str] | None = None
        self._notice: tuple[list[NoticeFormat], dict[str, str]] | None = None

    @property
    def notice_formats(self) -> list[NoticeFormat]:
        """Carrier notice formats from the catalog (read once)."""
        return self._notices()[0]

    @property
    def notice_brands(self) -> dict[str, str]:
        """Names a notice may call a provider by -> its id (read once)."""
        return self._notices()[1]

    def _notices(self) -> tuple[list[NoticeFormat], dict[str, str]]:
        if self._notice is None:
            from bot.service import data

            self._notice = (data.notice_formats(self), data.notice_brands(self))
        return self._notice

    # --- commands -------------------------------------------------------------------------
    async def handle(self, tx: Tx, ctx: Context, command_text: str) -> Reply:
        """Run one command typed in chat and return the reply; user mistakes become
        localized explanations, and a DM that reads like a pasted message gets the scam verdict."""
        return await self.run(
            tx, ctx, command_text, lambda today, lang: c.parse(command_text, today=today, lang=lang)
        )

    async def run(self, tx: Tx, ctx: Context, said: str, make: MakeCommand) -> Reply:
        """Run the command ``make`` builds from what the user ``said`` (typed, replied or reacted)."""
        owner = await self.owner(tx, ctx.owner_id)
        t = Translator(owner.language)
        if len(said) > self.config.limits.max_message_length:
            return render_error(
                t, "error.too_long", {"length": len(said), "max": self.config.limits.max_message_length}
            )
        if ctx.is_dm and owner.room_id != ctx.room_id:
            await tx.update_owner(ctx.owner_id, ms(ctx.now), room_id=ctx.room_id)
            owner = await self.owner(tx, ctx.owner_id)
        before = owner
        if not owner.language_set and (ctx.is_dm or ctx.can_manage):
            # In a group room only those who manage it steer its language.
            owner = await self._detect_language(tx, ctx, owner, own_words(said))
            t = Translator(owner.language)
        today = local_today(ctx.now, owner.timezone)
        label = "invalid"  # a command whose arguments did not parse
        try:
            cmd = make(today, owner.language)
            spec = c.spec_of(cmd)
            if spec.admin and not (ctx.is_dm and is_admin(ctx.sender, self.config.access.admins)):
                raise c.unknown_command(said)
            label = spec.name
            if spec.name not in _NOT_OFFERED:
                # Before the command runs: one that fails ends the question too.
                await self._drop_correction(tx, ctx)
            if not ctx.can_manage and spec.manages:
                raise c.CommandError("error.not_allowed")
            return await HANDLERS[type(cmd)](Call(self, tx, ctx, owner, t, today), cmd)
        except c.CommandError as err:
            if not (err.msgid in _SUGGESTIONS and ctx.reply_txn is not None):
                await self._drop_correction(tx, ctx)  # an unknown word, a bad argument: not a yes
            if err.msgid == "error.unknown_command":
                label = "unknown"
            if ctx.is_dm and looks_pasted(said):
                # Not a command: a pasted carrier notice is offered for storing, the rest judged.
                quoted, qt = await self._quoted(tx, ctx, before, owner)
                pasted = await self._pasted(tx, ctx, quoted, qt, today, said)
                if pasted is not None:
                    label = "notice"
                    return pasted
                # A pasted scam may start with a command word ("Tambah nilai murah! ...", "Daftar
                # sekarang ...") and a long typo with a near command ("ad axis 2026-12-31 my mum's
                # phone") is a typo: the verdict goes to scams and to texts no command is near.
                near = err.msgid == "error.unknown_command" and err.params.get("suggestion") != "help"
                if self.is_scam(said):
                    return self.verdict(quoted, ctx, said)
                if quoted is not owner:  # not someone else's text after all: the user's own words
                    await tx.update_owner(ctx.owner_id, ms(ctx.now), language=owner.language)
                if err.msgid == "error.unknown_command" and not near:
                    return self.verdict(owner, ctx, said)
            if err.msgid in _SUGGESTIONS and ctx.reply_txn is not None:
                return await self._suggest(tx, ctx, t, said, err)
            # Hints in errors show the prefix the bot needs here ("!list" in a room, "list" in a DM).
            return render_error(t, err.msgid, {"prefix": self.prefix_hint(ctx.is_dm), **err.params})
        except DateError as err:
            await self._drop_correction(tx, ctx)
            if ctx.is_dm and looks_pasted(said):
                quoted, qt = await self._quoted(tx, ctx, before, owner)
                pasted = await self._pasted(tx, ctx, quoted, qt, today, said)
                if pasted is not None:
                    label = "notice"
                    return pasted
                if self.is_scam(said):
                    return self.verdict(quoted, ctx, said)
                if quoted is not owner:
                    await tx.update_owner(ctx.owner_id, ms(ctx.now), language=owner.language)
            return render_error(t, f"error.date_{err.code}", {"value": err.text[:40]})
        finally:
            metrics.child(metrics.COMMANDS, label, owner.language).inc()

    async def _suggest(self, tx: Tx, ctx: Context, t: Translator, said: str, err: c.CommandError) -> Reply:
        """"Did you mean axis?", with ``yes`` ready to send the corrected command."""
        from bot.service.data.offers import OFFER_MINUTES, corrected_command, offer_correction

        prefix = self.prefix_hint(ctx.is_dm)
        suggestion = str(err.params["suggestion"])
        if err.msgid == "error.unknown_command":
            # No near command ("help"), or one that is itself an answer: nothing to offer.
            words = said.split(maxsplit=1)
            corrected = None if suggestion in _NOT_OFFERED or not words else " ".join([suggestion, *words[1:]])
        else:
            corrected = corrected_command(said, str(err.params["name"]), suggestion)
        # A typo while a real offer waits (a notice, an import, forget me) must not replace it;
        # an earlier "did you mean" is replaced (or dropped): a yes answers the latest question.
        waiting = await tx.get_pending(ctx.owner_id, ctx.sender, ms(ctx.now))
        if waiting is not None and waiting.kind == "correction":
            await tx.drop_pending(waiting.id)
            waiting = None
        if corrected is None or waiting is not None:
            return render_error(t, err.msgid, {"prefix": prefix, **err.params})
        await offer_correction(tx, ctx, corrected)
        return render_error(t, _SUGGESTIONS[err.msgid],
                            {"prefix": prefix, **err.params, "corrected": prefix + corrected.strip(),
                             "minutes": OFFER_MINUTES})

    async def _drop_correction(self, tx: Tx, ctx: Context) -> None:
        """Any other command answers "did you mean ...?" with a no (the user typed it again
        themselves): a later "ok" must not run the old correction a second time."""
        row = await tx.get_pending(ctx.owner_id, ctx.sender, ms(ctx.now))
        if row is not None and row.kind == "correction":
            await tx.drop_pending(row.id)

    async def _quoted(
        self, tx: Tx, ctx: Context, before: OwnerSettings, owner: OwnerSettings
    ) -> tuple[OwnerSettings, Translator]:
        """The owner to answer a pasted text as: a carrier's SMS or a scam is someone else's
        text, so for someone who already keeps lines it does not change the reply language (an
        English speaker who pastes Telkomsel's Indonesian notice keeps English). A first contact
        has nothing else to go by and keeps the guess. The caller puts the guess back when the
        text turns out to be the user's own words."""
        if owner.language == before.language or not await tx.count_lines(ctx.owner_id):
            return owner, Translator(owner.language)
        await tx.update_owner(ctx.owner_id, ms(ctx.now), language=before.language)
        return before, Translator(before.language)

    async def _pasted(
        self, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, today: date, said: str
    ) -> Reply | None:
        from bot.service.data import notice_offer

        return await notice_offer(self, tx, ctx, owner, t, today, said)

    def is_scam(self, text_: str) -> bool:
        return judge(text_, official_domains=self.official_domains).is_scam

    def verdict(self, owner: OwnerSettings, ctx: Context, pasted: str) -> Reply:
        """Does this message look like a top-up scam, and why."""
        found = judge(pasted, official_domains=self.official_domains)
        body, html = render_verdict(
            found, owner.language, providers=self.catalog.mentioned(pasted), prefix=self.prefix_hint(ctx.is_dm)
        )
        return Reply(body, html)

    async def _detect_language(self, tx: Tx, ctx: Context, owner: OwnerSettings, text_: str) -> OwnerSettings:
        """Until a language is set, follow what the user writes: Chinese script, Indonesian or
        Malay words. English command words are used by everyone, so they never switch back."""
        found = detect_language(text_)
        if found is None or found == owner.language or found == "en":
            return owner
        await tx.update_owner(ctx.owner_id, ms(ctx.now), language=found)
        return await self.owner(tx, ctx.owner_id)

    # --- pings (bot.service.pings) -----------------------------------------------------------
    async def ping_message(self, tx: PingReads, row: PingRow, now: datetime) -> PingMessage | None:
        return await pings.ping_message(self, tx, row, now)

    async def react(self, tx: Tx, ctx: Context, row: PingRow, key: str) -> Reply | None:
        return await pings.react(self, tx, ctx, row, key)

    async def reply_to_ping(self, tx: Tx, ctx: Context, row: PingRow, text_: str) -> Reply | None:
        return await pings.reply_to_ping(self, tx, ctx, row, text_)

    def group_ping(self, msgs: list[PingMessage], now: datetime) -> Reply:
        """One message for several lines due together (bot.service.data)."""
        from bot.service.data import group_ping

        return group_ping(msgs)

    async def react_many(self, tx: Tx, ctx: Context, rows: list[PingRow], key: str) -> Reply | None:
        from bot.service.data import react_many

        return await react_many(self, tx, ctx, rows, key)

    async def reply_to_many(self, tx: Tx, ctx: Context, rows: list[PingRow], text_: str) -> Reply | None:
        from bot.service.data import reply_to_many

        return await reply_to_many(self, tx, ctx, rows, text_)



#: "Did you mean ...?" errors that ``yes`` answers, and the text that says so.
_SUGGESTIONS = {"error.unknown_provider": "error.unknown_provider_yes",
                "error.unknown_command": "error.unknown_command_yes"}
#: Near commands not offered: none found, or an answer to an offer itself.
_NOT_OFFERED = frozenset({"help", "yes", "no"})

#: Han, kana and hangul: scripts written without spaces between words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def looks_pasted(text_: str) -> bool:
    """A DM that is no command but reads like a forwarded or pasted message: judge it.

    Chinese has no spaces and packs a word into one or two characters, so eight of its characters
    count like five words ("您的储值卡有效期至2027年3月1日。" is a notice, not a mistyped command)."""
    return (len(text_.split()) >= 5 or len(text_) >= 20 or "://" in text_ or "t.me/" in text_.lower()
            or len(_CJK.findall(text_)) >= 8)


def own_words(said: str) -> str:
    """The part of a message the user wrote themselves, to guess their language from: ``check``
    quotes someone else's message, so only its command word counts (an English speaker who checks
    a Chinese scam text keeps English replies)."""
    spec = c.find(said)
    if spec is not None and spec.name == "check":
        try:
            return c.split_command(said).word
        except c.CommandError:
            return said
    return said
