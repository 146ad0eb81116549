"""One message instead of many: a ping listing several lines due together, and what a reaction or
a reply on it does (✅ or a date asks which line; 💤 snoozes them all)."""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.model import Line, PingRow
from bot.core.render import Reply, fill, join, line_name, text, when_text
from bot.i18n import Translator
from bot.service.context import Context, PingMessage, ms

if TYPE_CHECKING:
    from bot.service.core import Service
    from bot.store.base import Tx


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
    carrier = svc.carrier(t.lang)
    names = "; ".join(f"{ln.number}. {line_name(ln, carrier)}" for ln in lines)
    example = f"{prefix}renewed {lines[0].number}" + (f" {said}" if said else "")
    return fill(t, "ping.group_which", count=len(lines), names=names, example=example, prefix=prefix)
