"""Issue 13's handlers: ``status``, ``calendar``, ``export``/``import``, ``digest``, ``forget me``/
``forget room``, ``yes``/``no``, and offers made from a pasted carrier notice.

Whatever changes stored data on a user's say-so beyond a single line (a notice's date, an import,
forgetting) is first an *offer*: a row in ``pending`` for that sender in that conversation, with a
short expiry, kept in the database so it survives a restart. ``yes`` (or ✅ on the offer) carries
it out; ``no`` drops it; nothing is stored before.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.core import commands as c
from bot.core.calendar_feed import FeedLine, build_feed
from bot.core.dates import format_date, parse_date
from bot.core.howto import provider_label, reader_lang
from bot.core.model import Line, OwnerSettings, PingRow
from bot.core.notices import NoticeFormat, NoticeReading, brands_from, read_notice
from bot.core.render import FileOut, Reply, fill, join, line_name, text, when_text
from bot.core.scam import judge
from bot.core.transfer import (
    Exported,
    ImportChanges,
    ImportedLine,
    ImportPlan,
    ImportRefused,
    RowError,
    export_csv,
    export_json,
    parse_import,
    plan_changes,
)
from bot.i18n import Translator
from bot.service.commands import HANDLERS, Call, handles
from bot.service.context import Context, PingMessage, ms

if TYPE_CHECKING:
    from bot.service.core import Service
    from bot.store.base import PendingRow, Tx

#: How long an offer waits for its ``yes``.
OFFER_MINUTES = 15
#: A calendar feed's secret: 32 random bytes, URL-safe (43 characters).
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


# --- offers -----------------------------------------------------------------------------------


async def offer(call: Call, kind: str, payload: dict[str, Any]) -> None:
    """Store an offer for the sender in this conversation (replacing any earlier one)."""
    now = ms(call.ctx.now)
    await call.tx.add_pending(
        call.ctx.owner_id, call.ctx.sender, kind, payload, reply_txn=call.ctx.reply_txn, now_ms=now,
        expires_ms=now + OFFER_MINUTES * 60_000,
    )


@handles(c.Confirm)
async def confirm(call: Call, cmd: c.Confirm) -> Reply:
    row = await call.tx.get_pending(call.ctx.owner_id, call.ctx.sender, ms(call.ctx.now))
    if row is None:
        raise c.CommandError("error.nothing_to_confirm")
    return await carry_out(call, row, cmd)


@handles(c.Cancel)
async def cancel(call: Call, cmd: c.Cancel) -> Reply:
    row = await call.tx.get_pending(call.ctx.owner_id, call.ctx.sender, ms(call.ctx.now))
    if row is None:
        raise c.CommandError("error.nothing_to_cancel")
    await call.tx.drop_pending(row.id)
    return text(call.t("reply.offer_dropped"))


async def carry_out(call: Call, row: PendingRow, cmd: c.Confirm) -> Reply:
    """Do what the offer ``row`` said, now that its sender said yes."""
    tx, ctx, t = call.tx, call.ctx, call.t
    if row.kind == "forget_me":
        counts = await tx.forget_user(ctx.sender)
        return fill(t, "reply.forgot_me", **counts)
    if row.kind == "forget_room":
        if not ctx.can_manage:
            raise c.CommandError("error.not_allowed")
        await tx.drop_pending(row.id)
        counts = await tx.forget_room_data(ctx.owner_id)
        return fill(t, "reply.forgot_room", **counts)
    if row.kind == "notice":
        return await _apply_notice(call, row, cmd)
    if row.kind == "import":
        await tx.drop_pending(row.id)
        return await _apply_import(call, base64.b64decode(row.payload["data"]))
    await tx.drop_pending(row.id)
    raise c.CommandError("error.nothing_to_confirm")


async def confirm_by_reaction(svc: Service, tx: Tx, ctx: Context, row: PendingRow, key: str) -> Reply | None:
    """✅ on an offer is its ``yes`` (from the sender it was made to; other reactions do nothing)."""
    from bot.service.pings import reaction_action

    if row.sender != ctx.sender or row.owner_id != ctx.owner_id or reaction_action(key) != "renewed":
        return None
    return await svc.run(tx, ctx, "", lambda today, lang: c.Confirm())


# --- status -------------------------------------------------------------------------------------


@handles(c.Status)
async def status(call: Call, cmd: c.Status) -> Reply:
    tx, ctx, t, owner = call.tx, call.ctx, call.t, call.owner
    lines = await tx.list_lines(ctx.owner_id, limit=call.svc.config.limits.max_lines_per_owner)
    if not lines:
        return text(t("reply.status_empty"))
    ids = [ln.id for ln in lines]
    pending = await tx.pending_pings(ids)
    last = await tx.last_sent(ids)
    parts = [text(t("reply.status_header", count=len(lines)))]
    for ln in lines:
        sent = last.get(ln.id)
        parts.append(fill(
            t, "reply.status_line", number=ln.number, name=line_name(ln),
            expiry=format_date(ln.expiry, owner.language),
            last=when_text(sent, owner.timezone, owner.language, t) if sent else t("reply.status_never"),
            next=when_text(pending[ln.id][1] if ln.id in pending else None, owner.timezone, owner.language, t),
        ))
    digest = (await tx.digest_of([ctx.owner_id])).get(ctx.owner_id, (False, None))[0]
    if digest:
        parts.append(text(t("reply.status_digest")))
    return join(parts)


# --- digest -------------------------------------------------------------------------------------


@handles(c.Digest)
async def digest(call: Call, cmd: c.Digest) -> Reply:
    tx, ctx = call.tx, call.ctx
    if cmd.on is not None:
        await tx.set_digest(ctx.owner_id, cmd.on, ms(ctx.now))
    on = (await tx.digest_of([ctx.owner_id])).get(ctx.owner_id, (False, None))[0]
    return text(call.t("reply.digest_on" if on else "reply.digest_off"))


# --- forget -------------------------------------------------------------------------------------


@handles(c.ForgetMe)
async def forget_me(call: Call, cmd: c.ForgetMe) -> Reply:
    await offer(call, "forget_me", {})
    return text(call.t("reply.forget_me_ask", prefix=call.svc.prefix_hint(call.ctx.is_dm), minutes=OFFER_MINUTES))


@handles(c.ForgetRoom)
async def forget_room(call: Call, cmd: c.ForgetRoom) -> Reply:
    if call.ctx.is_dm:
        raise c.CommandError("error.group_only")
    await offer(call, "forget_room", {})
    return text(call.t("reply.forget_room_ask", prefix=call.svc.prefix_hint(False), minutes=OFFER_MINUTES))


# --- calendar -----------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


#: Compared against when no feed has the token, so a miss costs what a hit costs.
_NO_HASH = token_hash("no feed has this token")


def calendar_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/calendar/{token}.ics"


@handles(c.Calendar)
async def calendar(call: Call, cmd: c.Calendar) -> Reply:
    tx, ctx, t = call.tx, call.ctx, call.t
    base = call.svc.config.http.public_url
    if not base or not call.svc.config.http.listen:
        raise c.CommandError("error.calendar_off")
    if not cmd.reset and await tx.has_calendar(ctx.owner_id):
        return text(t("reply.calendar_exists", prefix=call.svc.prefix_hint(ctx.is_dm)))
    token = secrets.token_urlsafe(32)
    await tx.set_calendar_token(ctx.owner_id, token_hash(token), ms(ctx.now))
    url = calendar_url(base, token)
    reply = fill(t, "reply.calendar_reset" if cmd.reset else "reply.calendar", url=url)
    return replace(reply, secret=True)


async def calendar_owner(tx: Tx, token: str) -> str | None:
    """The owner whose feed ``token`` opens, or None; the same work whether or not it matches."""
    wanted = token_hash(token if TOKEN_RE.match(token) else "")
    found = await tx.calendar_owner(wanted)
    stored = found[1] if found else _NO_HASH
    ok = hmac.compare_digest(stored, wanted)
    return found[0] if found and ok and TOKEN_RE.match(token) else None


async def feed(svc: Service, tx: Tx, owner_id: str, now: datetime) -> bytes:
    """The owner's lines as an iCalendar feed, in the owner's language, with alarms at their lead days."""
    owner = await svc.owner(tx, owner_id)
    t = Translator(owner.language)
    lines = await tx.list_lines(owner_id)
    renewals = await tx.renewals_of([ln.id for ln in lines])
    items = []
    for ln in lines:
        p = svc.provider(ln.provider)
        items.append(FeedLine(
            line=ln, provider_name=provider_label(p, reader_lang(owner.language, p), ln.variant),
            lead_days=svc.lead_days(ln, owner), renewals=len(renewals.get(ln.id, [])),
        ))
    return build_feed(items, t=t, ping_time=owner.ping_time, now=now, uid_domain=svc.config.matrix.server_name,
                      name=t("calendar.name"))


# --- export and import --------------------------------------------------------------------------


async def exported(tx: Tx, owner_id: str) -> Exported:
    """An owner's lines, renewal history and chosen settings."""
    lines = await tx.list_lines(owner_id)
    renewals = await tx.renewals_of([ln.id for ln in lines])
    stored = await tx.get_owner(owner_id)
    settings: dict[str, str] = {}
    if stored is not None:
        if stored.timezone:
            settings["timezone"] = stored.timezone
        if stored.ping_time:
            settings["time"] = stored.ping_time.strftime("%H:%M")
        if stored.lead_days is not None:
            settings["lead_days"] = " ".join(str(d) for d in stored.lead_days)
        if stored.language and stored.language_set:
            settings["language"] = stored.language
    if (await tx.digest_of([owner_id])).get(owner_id, (False, None))[0]:
        settings["digest"] = "daily"
    return Exported(lines=lines, renewals=renewals, settings=settings)


@handles(c.Export)
async def export(call: Call, cmd: c.Export) -> Reply:
    data = await exported(call.tx, call.ctx.owner_id)
    blob = export_json(data) if cmd.fmt == "json" else export_csv(data)
    name = f"renewal-bot-{call.today.isoformat()}.{cmd.fmt}"
    mimetype = "application/json" if cmd.fmt == "json" else "text/csv"
    reply = text(call.t("reply.export", count=len(data.lines), name=name))
    return replace(reply, file=FileOut(name, mimetype, blob))


async def _plan_import(call: Call, data: bytes) -> tuple[ImportPlan, ImportChanges]:
    """Read the file and compare it with the owner's lines; refusals raise a CommandError."""
    svc, lang, today = call.svc, call.owner.language, call.today
    limits = svc.config.limits

    def resolve(name: str) -> str | None:
        try:
            pid, variant = svc.resolve_provider_variant(name)
        except c.CommandError:
            return None
        return f"{pid}/{variant}" if variant else pid

    def expiry(s: str) -> date:
        return parse_date(s, today=today, lang=lang, allow_past=True)

    try:
        plan = parse_import(
            data, resolve_provider=resolve, parse_expiry=expiry, max_rows=limits.max_lines_per_owner,
            max_label=limits.max_label_length, max_bytes=limits.max_import_bytes,
        )
    except ImportRefused as err:
        raise c.CommandError(err.code, value=limits.max_import_bytes // 1024) from None
    errors = list(plan.errors) + [RowError(0, "import.err.setting", k) for k, v in plan.settings.items()
                                  if not _setting_ok(svc, k, v)]
    if not call.ctx.is_dm:
        members = call.ctx.members
        errors += [RowError(x.row, "import.err.mention", x.mention) for x in plan.lines
                   if x.mention and members is not None and x.mention not in members]
    plan = ImportPlan(plan.lines, plan.settings, tuple(errors))
    existing = await call.tx.list_lines(call.ctx.owner_id)
    flat = [replace(x, provider=_provider_variant(x.provider)[0]) for x in plan.lines]
    return plan, plan_changes(ImportPlan(tuple(flat), plan.settings, plan.errors), existing)


def _provider_variant(resolved: str) -> tuple[str, str | None]:
    pid, _, variant = resolved.partition("/")
    return pid, variant or None


def _setting_ok(svc: Service, key: str, value: str) -> bool:
    if key == "timezone":
        return svc.resolve_timezone(value) is not None
    if key == "time":
        try:
            time.fromisoformat(value)
        except ValueError:
            return False
        return True
    if key == "lead_days":
        try:
            c.parse_lead_days(value.replace(" ", ","))
        except (c.CommandError, ValueError):
            return False
        return True
    if key == "language":
        from bot.service.commands import match_language

        return match_language(value) is not None
    if key == "digest":
        return value in ("daily", "off")
    return False


def _row_errors(t: Translator, errors: tuple[RowError, ...]) -> Reply:
    parts = [text(t("reply.import_bad", count=len(errors)))]
    for e in errors[:30]:
        what = t(e.code, value=e.value)
        parts.append(text(t("reply.import_bad_row", row=e.row, reason=what) if e.row else what))
    if len(errors) > 30:
        parts.append(text(t("reply.import_more", count=len(errors) - 30)))
    return join(parts)


@handles(c.Import)
async def import_(call: Call, cmd: c.Import) -> Reply:
    data = call.ctx.attachment
    t = call.t
    if data is None:
        raise c.CommandError("error.import_no_file", prefix=call.svc.prefix_hint(call.ctx.is_dm))
    plan, changes = await _plan_import(call, data)
    if plan.errors:
        return _row_errors(t, plan.errors)
    limit = call.svc.config.limits.max_lines_per_owner
    if await call.tx.count_lines(call.ctx.owner_id) + len(changes.added) > limit:
        raise c.CommandError("error.too_many_lines", max=limit)
    if not changes.added and not changes.updated and not plan.settings:
        return text(t("reply.import_nothing"))
    lang = call.owner.language
    parts = [text(t("reply.import_preview", added=len(changes.added), updated=len(changes.updated),
                    unchanged=len(changes.unchanged)))]
    for item in changes.added[:20]:
        parts.append(fill(t, "reply.import_add", name=_imported_name(item), expiry=format_date(item.expiry, lang)))
    for old, item in changes.updated[:20]:
        parts.append(fill(t, "reply.import_update", number=old.number, name=line_name(old),
                          old=format_date(old.expiry, lang), new=format_date(item.expiry, lang)))
    if plan.settings:
        parts.append(fill(t, "reply.import_settings", settings=", ".join(f"{k} {v}" for k, v in plan.settings.items())))
    await offer(call, "import", {"data": base64.b64encode(data).decode("ascii")})
    parts.append(text(t("reply.import_ask", prefix=call.svc.prefix_hint(call.ctx.is_dm), minutes=OFFER_MINUTES)))
    return join(parts)


def _imported_name(item: ImportedLine) -> str:
    pid = _provider_variant(item.provider)[0]
    return f"{item.label} ({pid})" if item.label else pid


async def _apply_import(call: Call, data: bytes) -> Reply:
    """Carry out a confirmed import, all or nothing (the whole command is one transaction)."""
    tx, ctx, svc = call.tx, call.ctx, call.svc
    plan, changes = await _plan_import(call, data)
    if plan.errors:
        return _row_errors(call.t, plan.errors)
    limit = svc.config.limits.max_lines_per_owner
    if await tx.count_lines(ctx.owner_id) + len(changes.added) > limit:
        raise c.CommandError("error.too_many_lines", max=limit)
    now = ms(ctx.now)
    s = plan.settings
    fields: dict[str, Any] = {}
    if "timezone" in s:
        fields["timezone"] = svc.resolve_timezone(s["timezone"])
    if "time" in s:
        fields["ping_time"] = time.fromisoformat(s["time"])
    if "lead_days" in s:
        fields["lead_days"] = c.parse_lead_days(s["lead_days"].replace(" ", ","))
    if "language" in s:
        from bot.service.commands import match_language

        fields["language"], fields["language_set"] = match_language(s["language"]), True
    if fields:
        await tx.update_owner(ctx.owner_id, now, **fields)
    if "digest" in s:
        await tx.set_digest(ctx.owner_id, s["digest"] == "daily", now)
    by_row = {x.row: x for x in plan.lines}
    taken = {ln.number for ln in await tx.list_lines(ctx.owner_id)}
    for item in changes.added:
        full = by_row[item.row]
        pid, variant = _provider_variant(full.provider)
        number = full.number if full.number is not None and full.number not in taken else None
        line = await tx.insert_line(
            ctx.owner_id, number=number, provider=pid, variant=variant, label=full.label, expiry=full.expiry,
            lead_days=full.lead_days, reminders_off=full.reminders_off,
            mention=full.mention if not ctx.is_dm else None, now_ms=now,
        )
        taken.add(line.number)
        for old, new, at in full.history:
            await tx.add_renewal_at(line.id, old, new, ms(at))
    for old_line, item in changes.updated:
        full = by_row[item.row]
        _, variant = _provider_variant(full.provider)
        await tx.update_line(replace(
            old_line, expiry=full.expiry, lead_days=full.lead_days if full.lead_days is not None else old_line.lead_days,
            reminders_off=full.reminders_off, mention=(full.mention if not ctx.is_dm else old_line.mention),
            variant=variant or old_line.variant,
        ), now)
        if full.expiry != old_line.expiry:
            await tx.add_renewal(old_line.id, old_line.expiry, full.expiry, now)
    owner = await call.reload_owner()
    await svc.arm_all(tx, owner, ctx.now)
    return text(Translator(owner.language)("reply.imported", added=len(changes.added), updated=len(changes.updated)))


# --- pasted carrier notices ---------------------------------------------------------------------


def notice_formats(svc: Service) -> list[NoticeFormat]:
    """The catalog's per-provider notice formats (each with its source)."""
    out: list[NoticeFormat] = []
    for p in svc.catalog.providers:
        for n in getattr(p, "notices", ()):
            out.append(NoticeFormat(p.id, n.pattern, source=n.source, example=n.example))
    return out


def notice_brands(svc: Service) -> dict[str, str]:
    """Every name a notice may use for a provider: name, aliases, local names, variants."""
    entries: list[tuple[str, list[str]]] = []
    for p in svc.catalog.providers:
        if p.is_other:
            continue
        names = [p.name, p.id, *p.aliases, *p.local_names.values()]
        for v in p.variants:
            names += [v.name, *v.aliases, *v.local_names.values()]
        entries.append((p.id, names))
    return brands_from(entries)


async def notice_offer(
    svc: Service, tx: Tx, ctx: Context, owner: OwnerSettings, t: Translator, today: date, said: str,
) -> Reply | None:
    """A pasted carrier notice in a DM: what it says and an offer to store it; None if it is none.

    A text the scam guard flags gets the guard's verdict instead: never an offer.
    """
    reading = read_notice(said, today=today, formats=svc.notice_formats, brands=svc.notice_brands)
    if reading is None:
        return None
    if judge(said, official_domains=svc.official_domains).is_scam:
        return svc.verdict(owner, ctx, said)
    call = Call(svc, tx, ctx, owner, t, today)
    return await _offer_notice(call, reading)


async def _offer_notice(call: Call, reading: NoticeReading) -> Reply:
    t, lang, today = call.t, call.owner.language, call.today
    provider = call.svc.provider(reading.provider) if reading.provider else None
    variant: str | None = None  # only the provider is read from a notice; the plan stays the user's to say
    date_text = format_date(reading.expiry, lang, weekday=True)
    name = provider_label(provider, reader_lang(lang, provider), variant) if provider else t("notice.unknown_provider")
    head = fill(t, "notice.read", provider=name, date=date_text)
    if reading.expiry < today:
        return head + text(t("notice.past"))
    lines = await call.tx.list_lines(call.ctx.owner_id)
    same = [ln for ln in lines if provider is not None and ln.provider == provider.id]
    payload: dict[str, Any] = {
        "provider": provider.id if provider else None, "variant": variant, "expiry": reading.expiry.isoformat(),
        "update": None,
    }
    if len(same) == 1 and same[0].expiry == reading.expiry:
        return head + fill(t, "notice.same", number=same[0].number, name=line_name(same[0]))
    if provider is None:
        if not lines:
            return head + fill(t, "notice.no_provider_add", iso=reading.expiry.isoformat())
        await offer(call, "notice", payload)
        return head + fill(t, "notice.offer_no_provider", iso=reading.expiry.isoformat(), minutes=OFFER_MINUTES)
    if len(same) == 1:
        payload["update"] = same[0].number
        await offer(call, "notice", payload)
        return head + fill(t, "notice.offer_update", number=same[0].number, name=line_name(same[0]),
                           old=format_date(same[0].expiry, lang), minutes=OFFER_MINUTES)
    await offer(call, "notice", payload)
    if same:
        return head + fill(t, "notice.offer_pick", count=len(same), provider=name,
                           numbers=", ".join(str(ln.number) for ln in same), minutes=OFFER_MINUTES)
    return head + fill(t, "notice.offer_add", minutes=OFFER_MINUTES)


async def _apply_notice(call: Call, row: PendingRow, cmd: c.Confirm) -> Reply:
    p = row.payload
    expiry = date.fromisoformat(p["expiry"])
    number: int | None = cmd.number if cmd.number is not None else (None if cmd.new else p.get("update"))
    if number is None and not cmd.new and p.get("update") is None and p.get("provider") is not None:
        # An "add" offer: plain yes adds. A "pick" offer (several lines) needs yes <n> or yes new.
        same = [ln for ln in await call.tx.list_lines(call.ctx.owner_id) if ln.provider == p["provider"]]
        if same:
            raise c.CommandError("error.notice_pick", numbers=", ".join(str(ln.number) for ln in same))
    if number is None and p.get("provider") is None:
        raise c.CommandError("error.notice_which_line")
    await call.tx.drop_pending(row.id)
    if number is not None:
        return await HANDLERS[c.Renewed](call, c.Renewed(number=number, new_expiry=expiry))
    name = p["provider"] + (f"/{p['variant']}" if p.get("variant") else "")
    return await HANDLERS[c.Add](call, c.Add(provider=name, expiry=expiry))


# --- one message for many lines -------------------------------------------------------------


def group_ping(msgs: list[PingMessage]) -> Reply:
    """One ping for lines due together: a heading, then each line's own ping (its short official
    steps included)."""
    t = Translator(msgs[0].owner.language)
    return join([text(t("ping.group_head", count=len(msgs))), *(m.reply for m in msgs)], sep="\n\n")


async def _group_lines(tx: Tx, ctx: Context, rows: list[PingRow]) -> list[Line]:
    lines = await tx.get_lines_by_ids([r.line_id for r in rows])
    return sorted((ln for ln in lines.values() if ln.owner_id == ctx.owner_id), key=lambda ln: ln.number)


async def react_many(svc: Service, tx: Tx, ctx: Context, rows: list[PingRow], key: str) -> Reply | None:
    """A reaction on a ping that lists several lines: ✅ cannot say which line was renewed, so
    ask; 💤 snoozes them all."""
    from bot.service.pings import reaction_action

    action = reaction_action(key)
    lines = await _group_lines(tx, ctx, rows)
    if action is None or not lines:
        return None
    owner = await svc.owner(tx, ctx.owner_id)
    t = Translator(owner.language)
    if not ctx.can_manage:
        return fill(t, "error.not_allowed")
    if action == "renewed":
        return _which_line(svc, ctx, t, lines)
    due = ctx.now + timedelta(days=1)
    snoozed: list[int] = []
    for row in rows:
        line = next((ln for ln in lines if ln.id == row.line_id and ln.expiry == row.expiry), None)
        if line is not None:  # a line renewed since the ping is not snoozed
            await tx.snooze(row, ms(due))
            snoozed.append(line.number)
    if not snoozed:
        return None
    return fill(t, "ping.group_snoozed", numbers=", ".join(str(n) for n in sorted(snoozed)),
                when=when_text(ms(due), owner.timezone, owner.language, t))


async def reply_to_many(svc: Service, tx: Tx, ctx: Context, rows: list[PingRow], said: str) -> Reply | None:
    """A reply (a date, ``+30d``) to a ping that lists several lines: ask which line it is for."""
    lines = await _group_lines(tx, ctx, rows)
    if not lines:
        return None
    owner = await svc.owner(tx, ctx.owner_id)
    return _which_line(svc, ctx, Translator(owner.language), lines, said.strip()[:40])


def _which_line(svc: Service, ctx: Context, t: Translator, lines: list[Line], said: str = "") -> Reply:
    prefix = svc.prefix_hint(ctx.is_dm)
    names = "; ".join(f"{ln.number}. {line_name(ln)}" for ln in lines)
    example = f"{prefix}renewed {lines[0].number}" + (f" {said}" if said else "")
    return fill(t, "ping.group_which", count=len(lines), names=names, example=example, prefix=prefix)
