"""Use cases: what each command does to an owner's lines and settings.

The service speaks to the store through a transaction handed in by the caller, so that a command's
effects, the record that its event was handled and its reply are committed together. It knows
nothing of Matrix: it gets a :class:`Context` and text, and returns a :class:`Reply`.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.catalog import Catalog, load_catalog
from bot.core.provider import Provider
from bot.config import Config
from bot.core import commands as c
from bot.core.dates import DateError, date_order, format_date, order_example
from bot.core.howto import howto_full, howto_short, providers_text
from bot.core.langdetect import detect_language
from bot.core.model import LANGUAGES, Line, OwnerSettings
from bot.core.render import (
    Reply,
    fill,
    join,
    render_ask_renewal_date,
    render_error,
    render_help,
    render_line_state,
    render_list,
    render_ping,
    render_removed,
    render_settings,
    line_name,
    text,
)
from bot.core.scam import judge
from bot.core.scam_render import render_verdict
from bot.core.schedule import local_today, plan_pings
from bot.i18n import Translator
from bot.store.sqlite import PingRow, Tx

log = logging.getLogger(__name__)

MAX_PROVIDER_LENGTH = 40


@dataclass(frozen=True, slots=True)
class Context:
    """Who asked, where, and on whose lines the command acts."""

    sender: str
    room_id: str
    owner_id: str  # the sender in a DM, the room in a group room
    is_dm: bool
    now: datetime  # aware, UTC
    can_manage: bool = True  # may change the owner's lines (group rooms: power level)
    members: frozenset[str] | None = None  # joined members of a group room, to check mentions

    @property
    def prefix_hint(self) -> str:
        """The prefix to show in command examples: needed in group rooms only."""
        return "" if self.is_dm else "!"


@dataclass(frozen=True, slots=True)
class PingMessage:
    room_id: str
    reply: Reply
    line: Line
    owner: OwnerSettings


def ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


#: Commands that change an owner's lines or settings: in a group room, moderators only.
MANAGING = (c.Add, c.Renewed, c.Edit, c.Remove, c.Remind, c.SetTimezone, c.SetTime, c.SetLanguage, c.ScamGuard)


class Service:
    def __init__(self, config: Config, catalog: Catalog | None = None) -> None:
        self.config = config
        self.catalog = catalog or load_catalog()
        self.official_domains = frozenset(self.catalog.official_domains())
        self._tz_names: dict[str, str] | None = None

    # --- settings -------------------------------------------------------------------------
    async def owner(self, tx: Tx, owner_id: str) -> OwnerSettings:
        """The owner's settings with the configured defaults filled in."""
        b = self.config.bot
        s = await tx.get_owner(owner_id)
        if s is None:
            return OwnerSettings(
                owner_id=owner_id, timezone=b.default_timezone, ping_time=b.default_time,
                lead_days=b.default_lead_days, language=b.default_language,
            )
        return OwnerSettings(
            owner_id=owner_id,
            timezone=s.timezone or b.default_timezone,
            ping_time=s.ping_time or b.default_time,
            lead_days=s.lead_days if s.lead_days is not None else b.default_lead_days,
            language=s.language or b.default_language,
            language_set=s.language_set,
            room_id=s.room_id,
        )

    def lead_days(self, line: Line, owner: OwnerSettings) -> tuple[int, ...]:
        if line.reminders_off:
            return ()
        return line.lead_days if line.lead_days is not None else owner.lead_days

    async def arm(
        self, tx: Tx, line: Line, owner: OwnerSettings, now: datetime, *, keep_snoozed: bool = False
    ) -> int | None:
        """(Re)plan the line's next ping; returns its due instant in ms, if any."""
        lead = self.lead_days(line, owner)
        planned = (
            plan_pings(
                line.expiry, lead_days=lead, after_days=self.config.bot.after_expiry_days,
                tz=owner.timezone, at=owner.ping_time, now=now,
            )
            if lead
            else []
        )
        first = await tx.arm(line, planned, keep_snoozed=keep_snoozed)
        return ms(first.due) if first else None

    async def arm_all(self, tx: Tx, owner: OwnerSettings, now: datetime) -> None:
        for line in await tx.list_lines(owner.owner_id):
            await self.arm(tx, line, owner, now)

    # --- commands -------------------------------------------------------------------------
    async def handle(self, tx: Tx, ctx: Context, command_text: str) -> Reply:
        """Run one command and return the reply; user mistakes become localized explanations."""
        owner = await self.owner(tx, ctx.owner_id)
        t = Translator(owner.language)
        if len(command_text) > self.config.limits.max_message_length:
            return render_error(
                t, "error.too_long", {"length": len(command_text), "max": self.config.limits.max_message_length}
            )
        if ctx.is_dm and owner.room_id != ctx.room_id:
            await tx.update_owner(ctx.owner_id, ms(ctx.now), room_id=ctx.room_id)
            owner = await self.owner(tx, ctx.owner_id)
        if not owner.language_set and (ctx.is_dm or ctx.can_manage):
            # In a group room only those who manage it steer its language.
            owner = await self._detect_language(tx, ctx, owner, command_text)
            t = Translator(owner.language)
        today = local_today(ctx.now, owner.timezone)
        try:
            cmd = c.parse(command_text, today=today, lang=owner.language)
            if not ctx.can_manage and isinstance(cmd, MANAGING):
                raise c.CommandError("error.not_allowed")
            return await self._dispatch(tx, ctx, owner, t, today, cmd)
        except c.CommandError as err:
            if err.msgid == "error.unknown_command" and ctx.is_dm and looks_pasted(command_text):
                return self.verdict(owner, ctx, command_text)
            return render_error(t, err.msgid, err.params)
        except DateError as err:
            value = err.text[:40] if err.code == "bad" else err.text[:40]
            return render_error(t, f"error.date_{err.code}", {"value": value})

    async def _dispatch(
        self, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, today: date, cmd: c.Command
    ) -> Reply:
        match cmd:
            case c.Help(topic=topic):
                return render_help(t, prefix=self.config.bot.command_prefix, topic=topic)
            case c.Add():
                return await self._add(tx, ctx, owner, t, today, cmd)
            case c.ListLines():
                return await self._list(tx, ctx, owner, t, today, cmd)
            case c.Renewed():
                return await self._renewed(tx, ctx, owner, t, today, cmd)
            case c.Edit():
                return await self._edit(tx, ctx, owner, t, today, cmd)
            case c.Remove(number=n):
                line = await self._line(tx, ctx, n)
                await tx.delete_line(ctx.owner_id, line.id)
                return render_removed(t, line)
            case c.Remind():
                return await self._remind(tx, ctx, owner, t, cmd)
            case c.SetTimezone(name=name):
                tz = self.resolve_timezone(name)
                if tz is None:
                    raise c.CommandError("error.bad_timezone", value=name[:40])
                await tx.update_owner(ctx.owner_id, ms(ctx.now), timezone=tz)
                owner = await self.owner(tx, ctx.owner_id)
                await self.arm_all(tx, owner, ctx.now)
                return text(t("reply.timezone", tz=tz, time=owner.ping_time.strftime("%H:%M")))
            case c.SetTime(at=at):
                await tx.update_owner(ctx.owner_id, ms(ctx.now), ping_time=at)
                owner = await self.owner(tx, ctx.owner_id)
                await self.arm_all(tx, owner, ctx.now)
                return text(t("reply.time", time=at.strftime("%H:%M"), tz=owner.timezone))
            case c.Settings():
                return await self._settings(tx, ctx, owner, t)
            case c.SetLanguage(code=code):
                lang = _match_language(code)
                if lang is None:
                    raise c.CommandError("error.bad_language", value=code[:20])
                await tx.update_owner(ctx.owner_id, ms(ctx.now), language=lang, language_set=True)
                return text(Translator(lang)("reply.language"))
            case c.Howto():
                return await self._howto(tx, ctx, owner, cmd)
            case c.Providers(country=country):
                return self._providers(owner, country)
            case c.Check(text=pasted):
                return self.verdict(owner, ctx, pasted)
            case c.ScamGuard(on=on):
                if ctx.is_dm:
                    raise c.CommandError("error.group_only")
                if on is not None:
                    await tx.set_scamguard(ctx.room_id, on, ms(ctx.now))
                state = await tx.scamguard_on(ctx.room_id)
                return text(t("reply.scamguard_on" if state else "reply.scamguard_off"))
            case _:
                return text(t("error.not_available"))

    def verdict(self, owner: OwnerSettings, ctx: Context, pasted: str) -> Reply:
        """Does this message look like a top-up scam, and why."""
        found = judge(pasted, official_domains=self.official_domains)
        body, html = render_verdict(
            found, owner.language, providers=self.catalog.mentioned(pasted), prefix=ctx.prefix_hint
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

    def provider(self, name: str) -> Provider:
        """The catalog entry for a line's provider; unknown ones are ``other``."""
        return self.catalog.get(name) or self.catalog.other

    def _resolve_provider(self, name: str) -> str:
        if len(name) > MAX_PROVIDER_LENGTH:
            raise c.CommandError("error.provider_too_long", max=MAX_PROVIDER_LENGTH)
        found = self.catalog.get(name)
        if found is not None:
            return found.id
        suggestion = self.catalog.suggest(name)
        if suggestion:
            raise c.CommandError("error.unknown_provider", name=name[:40], suggestion=suggestion)
        raise c.CommandError("error.unknown_provider_plain", name=name[:40])

    async def _howto(self, tx: Tx, ctx: Context, owner: OwnerSettings, cmd: c.Howto) -> Reply:
        if cmd.number is not None:
            provider = self.provider((await self._line(tx, ctx, cmd.number)).provider)
        elif cmd.provider is not None:
            provider = self.catalog.get(cmd.provider) or self.catalog.get(self._resolve_provider(cmd.provider))
            assert provider is not None
        else:
            lines = await tx.list_lines(ctx.owner_id, limit=1)
            if not lines:
                return self._providers(owner, None) + text(Translator(owner.language)("reply.howto_pick"))
            provider = self.provider(lines[0].provider)
        body, html = howto_full(provider, owner.language)
        return Reply(body, html)

    def _providers(self, owner: OwnerSettings, country: str | None) -> Reply:
        if country:
            found = self.catalog.by_country(country)
            if not found:
                raise c.CommandError("error.unknown_country", value=country[:40])
        else:
            found = [p for p in self.catalog.providers if not p.is_other]
        body, html = providers_text(found, owner.language, country)
        return Reply(body, html)

    async def _line(self, tx: Tx, ctx: Context, number: int) -> Line:
        line = await tx.get_line(ctx.owner_id, number)
        if line is None:
            raise c.CommandError("error.no_line", number=number)
        return line

    def _check_label(self, label: str) -> None:
        if len(label) > self.config.limits.max_label_length:
            raise c.CommandError("error.label_too_long", max=self.config.limits.max_label_length)

    async def _add(
        self, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, today: date, cmd: c.Add
    ) -> Reply:
        provider = self._resolve_provider(cmd.provider)
        self._check_label(cmd.label)
        mention = None
        if not ctx.is_dm:
            mention = cmd.mention or ctx.sender
            if ctx.members is not None and mention not in ctx.members:
                raise c.CommandError("error.not_a_member", user=mention[:80])
        limit = self.config.limits.max_lines_per_owner
        if await tx.count_lines(ctx.owner_id) >= limit:
            raise c.CommandError("error.too_many_lines", max=limit)
        line = await tx.add_line(
            ctx.owner_id, provider=provider, label=cmd.label, expiry=cmd.expiry, now_ms=ms(ctx.now),
            mention=mention,
        )
        due = await self.arm(tx, line, owner, ctx.now)
        return render_line_state(
            t, "reply.added", line, today=today, lang=owner.language, next_due_ms=due, tz=owner.timezone
        )

    async def _list(
        self, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, today: date, cmd: c.ListLines
    ) -> Reply:
        if cmd.all_rooms and ctx.is_dm:
            return await self._list_all(tx, ctx, owner, t, today)
        per_page = self.config.limits.lines_per_page
        count = await tx.count_lines(ctx.owner_id)
        pages = max(1, math.ceil(count / per_page))
        if cmd.page > pages:
            raise c.CommandError("error.no_page", page=cmd.page, pages=pages)
        lines = await tx.list_lines(ctx.owner_id, offset=(cmd.page - 1) * per_page, limit=per_page)
        pending = await tx.pending_pings([ln.id for ln in lines])
        rows = [(ln, pending[ln.id][1] if ln.id in pending else None) for ln in lines]
        return render_list(
            t, rows, today=today, lang=owner.language, tz=owner.timezone, count=count,
            page=cmd.page, pages=pages, room=not ctx.is_dm,
        )

    async def _list_all(self, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, today: date) -> Reply:
        """A DM's ``list all``: the user's own lines, then the rooms' lines that name them."""
        cap = self.config.limits.lines_per_page * 5
        own = await tx.list_lines(ctx.owner_id, limit=cap)
        shared = (await tx.lines_mentioning(ctx.sender))[:cap]
        pending = await tx.pending_pings([ln.id for ln in own + shared])
        rows = lambda lines: [(ln, pending[ln.id][1] if ln.id in pending else None) for ln in lines]  # noqa: E731
        parts = [
            render_list(t, rows(own), today=today, lang=owner.language, tz=owner.timezone,
                        count=len(own), page=1, pages=1)
        ]
        if shared:
            parts.append(text(t("reply.list_rooms_header", count=len(shared))))
            parts.append(
                render_list(t, rows(shared), today=today, lang=owner.language, tz=owner.timezone,
                            count=len(shared), page=1, pages=1, room=True, header=False)
            )
        return join(parts)

    async def _renewed(
        self, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, today: date, cmd: c.Renewed
    ) -> Reply:
        line = await self._line(tx, ctx, cmd.number)
        if cmd.new_expiry is not None:
            new = cmd.new_expiry
        elif cmd.extend is not None:
            new = c.extend_from(line.expiry, today, cmd.extend.days)
        else:
            last = await tx.last_renewal(line.id)
            if last is None or last[1] <= last[0]:
                return render_ask_renewal_date(t, line)
            new = c.extend_from(line.expiry, today, (last[1] - last[0]).days)
        old = line.expiry
        line = _replace(line, expiry=new)
        await tx.update_line(line, ms(ctx.now))
        await tx.add_renewal(line.id, old, new, ms(ctx.now))
        due = await self.arm(tx, line, owner, ctx.now)
        return render_line_state(
            t, "reply.renewed", line, today=today, lang=owner.language, next_due_ms=due,
            tz=owner.timezone, old=format_date(old, owner.language), new=format_date(new, owner.language),
        )

    async def _edit(
        self, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, today: date, cmd: c.Edit
    ) -> Reply:
        line = await self._line(tx, ctx, cmd.number)
        if cmd.field == "date":
            assert cmd.expiry is not None
            line = _replace(line, expiry=cmd.expiry)
        elif cmd.field == "label":
            self._check_label(cmd.text)
            line = _replace(line, label=cmd.text)
        else:
            line = _replace(line, provider=self._resolve_provider(cmd.text))
        await tx.update_line(line, ms(ctx.now))
        due = await self.arm(tx, line, owner, ctx.now)
        return render_line_state(
            t, "reply.edited", line, today=today, lang=owner.language, next_due_ms=due, tz=owner.timezone
        )

    async def _remind(self, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, cmd: c.Remind) -> Reply:
        days_txt = ", ".join(str(d) for d in cmd.days) if cmd.days else ""
        if cmd.target is None:
            await tx.update_owner(ctx.owner_id, ms(ctx.now), lead_days=cmd.days or ())
            for line in await tx.list_lines(ctx.owner_id):
                await tx.update_line(_replace(line, lead_days=None, reminders_off=False), ms(ctx.now))
            owner = await self.owner(tx, ctx.owner_id)
            await self.arm_all(tx, owner, ctx.now)
            return text(t("reply.remind_all", days=days_txt) if cmd.days else t("reply.remind_off_all"))
        line = await self._line(tx, ctx, cmd.target)
        line = _replace(line, lead_days=cmd.days, reminders_off=cmd.days is None)
        await tx.update_line(line, ms(ctx.now))
        await self.arm(tx, line, owner, ctx.now)
        if cmd.days:
            return text(t("reply.remind_line", number=line.number, days=days_txt))
        return text(t("reply.remind_off_line", number=line.number))

    async def _settings(self, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator) -> Reply:
        order = t(f"reply.order.{date_order(owner.language)}")
        example = order_example(owner.language)
        return render_settings(
            t, tz=owner.timezone, at=owner.ping_time.strftime("%H:%M"), lead_days=owner.lead_days,
            after_days=self.config.bot.after_expiry_days, language=owner.language, order=order,
            example=example, count=await tx.count_lines(ctx.owner_id),
            max_lines=self.config.limits.max_lines_per_owner,
        )

    def resolve_timezone(self, name: str) -> str | None:
        """An IANA zone name, matched case-insensitively; regional abbreviations (WIB, MYT) too."""
        key = name.strip()
        abbr = c.TZ_ABBREVIATIONS.get(key.lower())
        if abbr:
            return abbr
        if self._tz_names is None:
            # "localtime" is the server's own zone and "Factory" no zone at all: not for users.
            self._tz_names = {
                n.lower(): n for n in available_timezones() if n not in {"localtime", "posixrules", "Factory"}
            }
        found = self._tz_names.get(key.lower())
        if found is None:
            return None
        try:
            ZoneInfo(found)
        except (ZoneInfoNotFoundError, ValueError):
            return None
        return found

    # --- pings ------------------------------------------------------------------------------
    async def ping_message(self, tx: Tx, row: PingRow, now: datetime) -> PingMessage | None:
        """The ping for an outbox row, rendered with the figures as they are now; None to drop it."""
        line = await tx.get_line_by_id(row.line_id)
        if line is None or line.expiry != row.expiry:
            return None
        owner = await self.owner(tx, line.owner_id)
        room_id = owner.room_id if owner.owner_id.startswith("@") else owner.owner_id
        if not room_id:
            log.warning("no room to ping owner of line %s; dropping ping", line.id)
            return None
        if owner.owner_id.startswith("!") and await tx.room_is_left(room_id):
            return None
        t = Translator(owner.language)
        today = local_today(now, owner.timezone)
        provider = self.provider(line.provider)
        body, html = howto_short(
            provider, owner.language, line.number, prefix="" if owner.owner_id.startswith("@") else "!"
        )
        reply = render_ping(
            t, line, today=today, lang=owner.language, provider_name=provider.name, steps=Reply(body, html),
            esim=provider.kind == "esim",
        )
        return PingMessage(room_id=room_id, reply=reply, line=line, owner=owner)

    # --- reactions and replies to a ping ---------------------------------------------------
    async def ping_line(self, tx: Tx, ctx: Context, row: PingRow) -> Line | None:
        """The line a ping was about, if it belongs to whoever reacts or replies here."""
        line = await tx.get_line_by_id(row.line_id)
        if line is None or line.owner_id != ctx.owner_id:
            return None
        return line

    async def react(self, tx: Tx, ctx: Context, row: PingRow, key: str) -> Reply | None:
        """✅ marks the line renewed; 💤 snoozes the ping for a day. Other keys are ignored."""
        line = await self.ping_line(tx, ctx, row)
        action = reaction_action(key)
        if line is None or action is None or line.expiry != row.expiry:
            # A ping about an expiry that no longer holds (renewed or edited since): ✅ would
            # renew a second time, and a snooze would never be sent.
            return None
        owner = await self.owner(tx, ctx.owner_id)
        t = Translator(owner.language)
        if not ctx.can_manage:
            return render_error(t, "error.not_allowed", {})
        if action == "renewed":
            return await self.handle(tx, ctx, f"renewed {line.number}")
        due = ctx.now + timedelta(days=1)
        await tx.snooze(row, ms(due))
        local = due.astimezone(ZoneInfo(owner.timezone))
        return fill(
            t, "reply.snoozed", number=line.number, name=line_name(line),
            when=f"{format_date(local.date(), owner.language)} {local:%H:%M}",
        )

    async def reply_to_ping(self, tx: Tx, ctx: Context, row: PingRow, text_: str) -> Reply | None:
        """Replying to a ping with a date is ``renewed <n> <date>``."""
        line = await self.ping_line(tx, ctx, row)
        if line is None:
            return None
        return await self.handle(tx, ctx, f"renewed {line.number} {text_.strip()}")

    async def after_ping(self, tx: Tx, msg: PingMessage, now: datetime) -> None:
        """Arm the line's next ping once this one is done."""
        await self.arm(tx, msg.line, msg.owner, now)


_RENEWED_KEYS = {"✅", "✔️", "✔", "☑️", "👍"}
_SNOOZE_KEYS = {"💤", "😴", "⏰"}


def looks_pasted(text_: str) -> bool:
    """A DM that is no command but reads like a forwarded or pasted message: judge it."""
    return len(text_.split()) >= 5 or len(text_) >= 20 or "://" in text_ or "t.me/" in text_.lower()


def reaction_action(key: str) -> str | None:
    """What a reaction on a ping asks for: ``renewed``, ``snooze`` or nothing."""
    k = key.strip().replace("\ufe0f", "")
    if k in {x.replace("\ufe0f", "") for x in _RENEWED_KEYS}:
        return "renewed"
    if k in {x.replace("\ufe0f", "") for x in _SNOOZE_KEYS}:
        return "snooze"
    return None


def _replace(line: Line, **changes: object) -> Line:
    from dataclasses import replace

    return replace(line, **changes)  # type: ignore[arg-type]


def _match_language(code: str) -> str | None:
    key = code.strip().lower().replace("_", "-")
    aliases = {
        "en": "en", "english": "en",
        "zh": "zh-Hans", "zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "简体": "zh-Hans", "中文": "zh-Hans", "简体中文": "zh-Hans",
        "zh-hant": "zh-Hant", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "繁體": "zh-Hant", "繁體中文": "zh-Hant",
        "id": "id", "indonesia": "id", "bahasa indonesia": "id", "indonesian": "id",
        "ms": "ms", "melayu": "ms", "malay": "ms", "bahasa melayu": "ms",
    }
    found = aliases.get(key)
    return found if found in LANGUAGES else None
