"""``status`` (when each line's last ping went out and when the next will) and ``digest``."""
from __future__ import annotations

from bot.core import commands as c
from bot.core.dates import format_date
from bot.core.render import Reply, fill, join, line_name, text, when_text
from bot.service.context import ms
from bot.service.handlers import Call, handles


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
            t, "reply.status_line", number=ln.number, name=line_name(ln, call.carrier),
            expiry=format_date(ln.expiry, owner.language),
            last=when_text(sent, owner.timezone, owner.language, t) if sent else t("reply.status_never"),
            next=when_text(pending[ln.id][1] if ln.id in pending else None, owner.timezone, owner.language, t),
        ))
    digest = (await tx.digest_of([ctx.owner_id])).get(ctx.owner_id, (False, None))[0]
    if digest:
        parts.append(text(t("reply.status_digest")))
    return join(parts)




@handles(c.Digest)
async def digest(call: Call, cmd: c.Digest) -> Reply:
    """``digest daily`` / ``digest off`` set it; a bare ``digest`` only says how it is and how to
    change it (it never turns anything off)."""
    tx, ctx = call.tx, call.ctx
    if cmd.on is None:
        on = (await tx.digest_of([ctx.owner_id])).get(ctx.owner_id, (False, None))[0]
        return text(call.t("reply.digest_is_on" if on else "reply.digest_is_off",
                           prefix=call.svc.prefix_hint(ctx.is_dm)))
    await tx.set_digest(ctx.owner_id, cmd.on, ms(ctx.now))
    return text(call.t("reply.digest_on" if cmd.on else "reply.digest_off"))
