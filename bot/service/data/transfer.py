"""``export`` (CSV or JSON file of lines, history and settings) and ``import`` (preview, then all or
nothing on ``yes``)."""
from __future__ import annotations

import base64
from dataclasses import replace
from datetime import date, time
from typing import TYPE_CHECKING, Any

from bot.core import commands as c
from bot.core.args import zone_label
from bot.core.dates import format_date, parse_date
from bot.core.model import match_language
from bot.core.render import FileOut, Reply, fill, join, labelled, line_name, text
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
from bot.service.context import ms
from bot.service.data.offers import OFFER_MINUTES, applies, offer
from bot.service.handlers import Call, handles

if TYPE_CHECKING:
    from bot.service.core import Service
    from bot.store.base import PendingRow, Tx


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
        return match_language(value) is not None
    if key == "digest":
        return value in ("daily", "off")
    return False


def _row_errors(t: Translator, errors: tuple[RowError, ...]) -> Reply:
    parts = [text(t("reply.import_bad", count=len(errors), n=len(errors)))]
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
        raise c.CommandError("error.too_many_lines", max=limit, n=limit)
    if not changes.added and not changes.updated and not plan.settings:
        return text(t("reply.import_nothing"))
    lang = call.owner.language
    parts = [text(t("reply.import_preview", added=len(changes.added), n=len(changes.added), updated=len(changes.updated),
                    unchanged=len(changes.unchanged)))]
    for item in changes.added[:20]:
        parts.append(fill(t, "reply.import_add", name=_imported_name(call, item), expiry=format_date(item.expiry, lang)))
    for old, item in changes.updated[:20]:
        parts.append(fill(t, "reply.import_update", number=old.number, name=line_name(old, call.carrier),
                          old=format_date(old.expiry, lang), new=format_date(item.expiry, lang)))
    if plan.settings:
        shown = {k: zone_label(str(v)) if k == "timezone" else v for k, v in plan.settings.items()}
        parts.append(fill(t, "reply.import_settings", settings=", ".join(f"{k} {v}" for k, v in shown.items())))
    await offer(call, "import", {"data": base64.b64encode(data).decode("ascii")})
    parts.append(text(t("reply.import_ask", prefix=call.svc.prefix_hint(call.ctx.is_dm), minutes=OFFER_MINUTES)))
    return join(parts)


def _imported_name(call: Call, item: ImportedLine) -> str:
    pid, variant = _provider_variant(item.provider)
    return labelled(item.label, call.svc.carrier_name(pid, variant, call.owner.language))


@applies("import")
async def _apply_import(call: Call, row: PendingRow, cmd: c.Confirm) -> Reply:
    """Carry out a confirmed import, all or nothing (the whole command is one transaction)."""
    tx, ctx, svc = call.tx, call.ctx, call.svc
    await tx.drop_pending(row.id)
    plan, changes = await _plan_import(call, base64.b64decode(row.payload["data"]))
    if plan.errors:
        return _row_errors(call.t, plan.errors)
    limit = svc.config.limits.max_lines_per_owner
    if await tx.count_lines(ctx.owner_id) + len(changes.added) > limit:
        raise c.CommandError("error.too_many_lines", max=limit, n=limit)
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
    return text(Translator(owner.language)("reply.imported", added=len(changes.added), n=len(changes.added),
                                                 updated=len(changes.updated)))
