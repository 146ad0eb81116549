"""One handler per command, bound to its typed command with ``@handles``.

A handler gets a :class:`Call` (the transaction, who asked, the owner's settings, a translator,
the owner's today) and the typed command, and returns the reply. A user mistake is raised as a
:class:`CommandError`; the caller turns it into a localized explanation. Which commands exist,
their aliases, who may run them and their help entries live in :data:`bot.core.commands.COMMANDS`;
every row there has exactly one handler (bound with :func:`bot.service.handlers.handles`, checked
when :mod:`bot.service.core` is imported).
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.core import commands as c
from bot.core.args import zone_label
from bot.core.dates import date_order, format_date, order_example
from bot.core.howto import FACT_MAX_AGE_DAYS, howto_full, provider_label, providers_text, reader_lang
from bot.core.model import Line, match_language
from bot.core.provider import Renewal
from bot.core.render import (
    Reply,
    fill,
    join,
    line_name,
    render_ask_renewal_date,
    render_help,
    render_line_state,
    render_list,
    render_removed,
    render_settings,
    text,
)
from bot.core.renewal import propose
from bot.i18n import Translator
from bot.service.context import ms
from bot.service.handlers import Call, handles

if TYPE_CHECKING:
    from bot.store.base import Tx


@handles(c.Help)
async def help_(call: Call, cmd: c.Help) -> Reply:
    return render_help(call.t, prefix=call.svc.config.bot.command_prefix, topic=cmd.topic,
                       hint=call.svc.prefix_hint(call.ctx.is_dm))


@handles(c.Add)
async def add(call: Call, cmd: c.Add) -> Reply:
    svc, tx, ctx = call.svc, call.tx, call.ctx
    provider, variant = svc.resolve_provider_variant(cmd.provider)
    svc.check_label(cmd.label)
    mention = None
    if not ctx.is_dm:
        mention = cmd.mention or ctx.sender
        if ctx.members is not None and mention not in ctx.members:
            raise c.CommandError("error.not_a_member", user=mention[:80])
    limit = svc.config.limits.max_lines_per_owner
    if await tx.count_lines(ctx.owner_id) >= limit:
        raise c.CommandError("error.too_many_lines", max=limit, n=limit)
    line = await tx.add_line(
        ctx.owner_id, provider=provider, label=cmd.label, expiry=cmd.expiry, now_ms=ms(ctx.now), mention=mention,
        variant=variant,
    )
    reply = await _line_state(call, "reply.added", line)
    ask = _ask_variant(call, line)
    return reply + ask if ask else reply


def _ask_variant(call: Call, line: Line) -> Reply | None:
    """Where rules differ by plan and the line's plan is unknown: ask which one it is."""
    p = call.svc.provider(line.provider)
    if not p.variants or p.variant(line.variant) is not None:
        return None
    lang = reader_lang(call.owner.language, p)
    options = " / ".join(f"{v.display_name(lang)} = {v.id}" for v in p.variants)
    return fill(
        call.t, "reply.ask_variant", number=line.number, name=p.display_name(lang), options=options,
        example=f"{call.svc.prefix_hint(call.ctx.is_dm)}edit {line.number} plan {p.variants[0].id}",
    )


async def _line_state(call: Call, msgid: str, line: Line, **extra: object) -> Reply:
    """Arm the line's next ping and say what the line looks like now."""
    due = await call.svc.arm(call.tx, line, call.owner, call.ctx.now)
    return render_line_state(
        call.t, msgid, line, carrier=call.carrier, today=call.today, lang=call.owner.language, next_due_ms=due,
        tz=call.owner.timezone, **extra,
    )


@handles(c.ListLines)
async def list_lines(call: Call, cmd: c.ListLines) -> Reply:
    tx, ctx, owner, t = call.tx, call.ctx, call.owner, call.t
    if cmd.all_rooms and ctx.is_dm:
        return await _list_all(call)
    per_page = call.svc.config.limits.lines_per_page
    count = await tx.count_lines(ctx.owner_id)
    pages = max(1, math.ceil(count / per_page))
    if cmd.page > pages:
        raise c.CommandError("error.no_page", page=cmd.page, pages=pages, n=pages)
    lines = await tx.list_lines(ctx.owner_id, offset=(cmd.page - 1) * per_page, limit=per_page)
    rows = await _with_next_ping(tx, lines)
    return render_list(
        t, rows, carrier=call.carrier, today=call.today, lang=owner.language, tz=owner.timezone, count=count,
        page=cmd.page, pages=pages, room=not ctx.is_dm, prefix=call.svc.prefix_hint(ctx.is_dm),
    )


async def _with_next_ping(tx: Tx, lines: list[Line]) -> list[tuple[Line, int | None]]:
    pending = await tx.pending_pings([ln.id for ln in lines])
    return [(ln, pending[ln.id][1] if ln.id in pending else None) for ln in lines]


async def _list_all(call: Call) -> Reply:
    """A DM's ``list all``: the user's own lines, then the rooms' lines that name them."""
    tx, ctx, owner, t = call.tx, call.ctx, call.owner, call.t
    cap = call.svc.config.limits.lines_per_page * 5
    own = await tx.list_lines(ctx.owner_id, limit=cap)
    # A room the user has left (or the bot has) is not theirs to read any more.
    shared = [ln for ln in await tx.lines_mentioning(ctx.sender) if ctx.in_room is None or ctx.in_room(ln.owner_id)]
    shared = shared[:cap]
    common: dict[str, Any] = dict(carrier=call.carrier, today=call.today, lang=owner.language, tz=owner.timezone,
                                  page=1, pages=1)
    parts = [render_list(t, await _with_next_ping(tx, own), count=len(own), **common)]
    if shared:
        parts.append(text(t("reply.list_rooms_header", count=len(shared))))
        parts.append(render_list(t, await _with_next_ping(tx, shared), count=len(shared), room=True,
                                 header=False, **common))
    return join(parts)


@handles(c.Renewed)
async def renewed(call: Call, cmd: c.Renewed) -> Reply:
    tx, ctx, lang = call.tx, call.ctx, call.owner.language
    line = await call.line(cmd.number)
    if cmd.new_expiry is not None:
        new = cmd.new_expiry
    elif cmd.extend is not None:
        new = c.extend_from(line.expiry, call.today, cmd.extend.days, cmd.extend.months)
    else:
        last = await tx.last_renewal(line.id)
        period = (last[1] - last[0]).days if last is not None and last[1] > last[0] else None
        if _current_rules(call, line):
            # The catalog knows how this carrier moves the expiry: propose, never guess.
            return _propose_renewal(call, line, period)
        if period is None:
            return render_ask_renewal_date(call.t, line, carrier=call.carrier, prefix=call.svc.prefix_hint(ctx.is_dm))
        new = c.extend_from(line.expiry, call.today, period)
    old = line.expiry
    line = replace(line, expiry=new)
    await tx.update_line(line, ms(ctx.now))
    await tx.add_renewal(line.id, old, new, ms(ctx.now))
    return await _line_state(call, "reply.renewed", line, old=format_date(old, lang), new=format_date(new, lang))


def _current_rules(call: Call, line: Line) -> tuple[Renewal, ...]:
    """The line's renewal rules that are not past their check age: a stale rule is not stated."""
    rules = call.svc.provider(line.provider).renewal_rules(line.variant)
    return tuple(r for r in rules if (call.today - r.checked).days <= FACT_MAX_AGE_DAYS)


def _propose_renewal(call: Call, line: Line, period: int | None) -> Reply:
    """``renewed <n>`` (or ✅) on a line whose carrier has renewal rules: explain the rules and
    offer the new expiry each kind of purchase gives, confirmed with ``renewed <n> <date>``."""
    t = call.t
    p = call.svc.provider(line.provider)
    rules = _current_rules(call, line)
    lang = reader_lang(call.owner.language, p)
    prefix = call.svc.prefix_hint(call.ctx.is_dm)
    parts = [fill(t, "reply.renewal_rules", number=line.number, name=line_name(line, call.carrier),
                  provider=provider_label(p, lang, line.variant))]
    for rule in rules:
        msgid = f"renewal.{rule.mode}" + ("_months" if rule.months else "_cap" if rule.cap_days else "")
        parts.append(fill(t, msgid, what=t(f"renewal.what.{rule.what}"), cap=rule.cap_days or 0, days=rule.days or 0,
                          months=rule.months or 0))
    for prop in propose(rules, line.expiry, call.today, period):
        if prop.expiry == line.expiry:  # nothing to record: say so instead of proposing it
            parts.append(fill(t, "reply.renewal_unchanged", what=t(f"renewal.what.{prop.what}"), days=period or 0,
                              n=period or 0))
            continue
        # A fixed period ignores the days bought, and with no history there are none to quote:
        # "Package of 0 days (as last time)" read as nonsense, so those options name no days.
        plain = prop.mode == "fixed_period" or not period
        parts.append(fill(
            t, "reply.renewal_option_plain" if plain else "reply.renewal_option",
            what=t(f"renewal.what.{prop.what}"), days=period or 0, n=period or 0,
            date=format_date(prop.expiry, call.owner.language),
            command=f"{prefix}renewed {line.number} {prop.expiry.isoformat()}",
        ))
    parts.append(fill(t, "reply.renewal_confirm", number=line.number, prefix=prefix))
    return join(parts)


@handles(c.Edit)
async def edit(call: Call, cmd: c.Edit) -> Reply:
    line = await call.line(cmd.number)
    if cmd.field == "date":
        assert cmd.expiry is not None
        line = replace(line, expiry=cmd.expiry)
    elif cmd.field == "label":
        call.svc.check_label(cmd.text)
        line = replace(line, label=cmd.text)
    elif cmd.field == "plan":
        line = replace(line, variant=call.svc.resolve_variant(call.svc.provider(line.provider), cmd.text))
    else:
        pid, variant = call.svc.resolve_provider_variant(cmd.text)
        line = replace(line, provider=pid, variant=variant if pid != line.provider else variant or line.variant)
    await call.tx.update_line(line, ms(call.ctx.now))
    reply = await _line_state(call, "reply.edited", line)
    ask = _ask_variant(call, line) if cmd.field == "provider" else None
    return reply + ask if ask else reply


@handles(c.Remove)
async def remove(call: Call, cmd: c.Remove) -> Reply:
    line = await call.line(cmd.number)
    await call.tx.delete_line(call.ctx.owner_id, line.id)
    return render_removed(call.t, line, carrier=call.carrier)


@handles(c.Remind)
async def remind(call: Call, cmd: c.Remind) -> Reply:
    tx, ctx, t = call.tx, call.ctx, call.t
    back_on = cmd.days == ()  # "remind 1 on": the owner's days again (the bot's, if those are off)
    if back_on:
        owner_days = () if cmd.target is None else call.owner.lead_days
        cmd = replace(cmd, days=tuple(owner_days or call.svc.config.bot.default_lead_days))
    days_txt = ", ".join(str(d) for d in cmd.days) if cmd.days else ""
    n = cmd.days[0] if cmd.days and len(cmd.days) == 1 else 2  # "1 day", "7 days", "7, 3, 1 days"
    if cmd.target is None:
        await tx.update_owner(ctx.owner_id, ms(ctx.now), lead_days=cmd.days or ())
        for line in await tx.list_lines(ctx.owner_id):
            await tx.update_line(replace(line, lead_days=None, reminders_off=False), ms(ctx.now))
        await call.svc.arm_all(tx, await call.reload_owner(), ctx.now)
        room = "" if ctx.is_dm else "_room"  # a room's lines are the room's, not "your lines"
        return text(t(f"reply.remind_all{room}", days=days_txt, n=n) if cmd.days
                    else t(f"reply.remind_off_all{room}", prefix=call.svc.prefix_hint(ctx.is_dm)))
    line = await call.line(cmd.target)
    follow = back_on and bool(call.owner.lead_days)  # the line follows the owner's days again
    line = replace(line, lead_days=None if follow else cmd.days, reminders_off=cmd.days is None)
    await tx.update_line(line, ms(ctx.now))
    await call.svc.arm(tx, line, call.owner, ctx.now)
    if cmd.days:
        return text(t("reply.remind_line", number=line.number, days=days_txt, n=n))
    return text(t("reply.remind_off_line", number=line.number, prefix=call.svc.prefix_hint(ctx.is_dm)))


@handles(c.SetTimezone)
async def set_timezone(call: Call, cmd: c.SetTimezone) -> Reply:
    tz = call.svc.resolve_timezone(cmd.name)
    if tz is None:
        raise c.CommandError("error.bad_timezone", value=cmd.name[:40])
    await call.tx.update_owner(call.ctx.owner_id, ms(call.ctx.now), timezone=tz)
    owner = await call.reload_owner()
    await call.svc.arm_all(call.tx, owner, call.ctx.now)
    return text(call.t("reply.timezone", tz=zone_label(tz), time=owner.ping_time.strftime("%H:%M")))


@handles(c.SetTime)
async def set_time(call: Call, cmd: c.SetTime) -> Reply:
    await call.tx.update_owner(call.ctx.owner_id, ms(call.ctx.now), ping_time=cmd.at)
    owner = await call.reload_owner()
    await call.svc.arm_all(call.tx, owner, call.ctx.now)
    return text(call.t("reply.time", time=cmd.at.strftime("%H:%M"), tz=zone_label(owner.timezone)))


@handles(c.Settings)
async def settings(call: Call, cmd: c.Settings) -> Reply:
    owner, cfg = call.owner, call.svc.config
    return render_settings(
        call.t, tz=owner.timezone, at=owner.ping_time.strftime("%H:%M"), lead_days=owner.lead_days,
        after_days=cfg.bot.after_expiry_days, language=owner.language,
        order=call.t(f"reply.order.{date_order(owner.language)}"), example=order_example(owner.language),
        count=await call.tx.count_lines(call.ctx.owner_id), max_lines=cfg.limits.max_lines_per_owner,
        tz_source=owner.timezone_source,
    )


@handles(c.SetLanguage)
async def set_language(call: Call, cmd: c.SetLanguage) -> Reply:
    lang = match_language(cmd.code)
    if lang is None:
        raise c.CommandError("error.bad_language", value=cmd.code[:20])
    await call.tx.update_owner(call.ctx.owner_id, ms(call.ctx.now), language=lang, language_set=True)
    return text(Translator(lang)("reply.language"))


@handles(c.Howto)
async def howto(call: Call, cmd: c.Howto) -> Reply:
    svc = call.svc
    variant: str | None = None
    if cmd.number is not None:
        line = await call.line(cmd.number)
        provider, variant = svc.provider(line.provider), line.variant
    elif cmd.provider is not None:
        pid, variant = svc.resolve_provider_variant(cmd.provider)
        provider = svc.provider(pid)
    else:
        lines = await call.tx.list_lines(call.ctx.owner_id, limit=1)
        if not lines:
            return _providers(call, None) + text(call.t("reply.howto_pick", prefix=call.svc.prefix_hint(call.ctx.is_dm)))
        provider, variant = svc.provider(lines[0].provider), lines[0].variant
    body, html = howto_full(provider, call.owner.language, variant, today=call.today)
    return Reply(body, html)


@handles(c.Providers)
async def providers(call: Call, cmd: c.Providers) -> Reply:
    return _providers(call, cmd.country)


def _providers(call: Call, country: str | None) -> Reply:
    catalog = call.svc.catalog
    if country:
        found = catalog.by_country(country)
        if not found:
            raise c.CommandError("error.unknown_country", value=country[:40])
    else:
        found = [p for p in catalog.providers if not p.is_other]
    body, html = providers_text(found, call.owner.language, country)
    return Reply(body, html)


@handles(c.Check)
async def check(call: Call, cmd: c.Check) -> Reply:
    return call.svc.verdict(call.owner, call.ctx, cmd.text)


@handles(c.ScamGuard)
async def scamguard(call: Call, cmd: c.ScamGuard) -> Reply:
    ctx = call.ctx
    if ctx.is_dm:
        raise c.CommandError("error.group_only")
    if cmd.on is not None:
        await call.tx.set_scamguard(ctx.room_id, cmd.on, ms(ctx.now))
    on = await call.tx.scamguard_on(ctx.room_id)
    return text(call.t("reply.scamguard_on" if on else "reply.scamguard_off"))
