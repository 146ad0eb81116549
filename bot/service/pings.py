"""Pings: rendering an outbox row as the message it becomes, and what reactions and replies
to a sent ping do (✅ or a date: renewed; 💤: again tomorrow)."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core import commands as c
from bot.core.args import answer_to_ping
from bot.core.dates import format_date
from bot.core.howto import howto_short, reader_lang
from bot.core.model import Line, is_user_id
from bot.core.render import Reply, fill, line_name, render_error, render_ping
from bot.core.schedule import local_today
from bot.i18n import Translator
from bot.service.context import Context, PingMessage, ms

if TYPE_CHECKING:
    from bot.core.model import PingRow
    from bot.service.core import Service
    from bot.store.base import PingReads, Tx

log = logging.getLogger(__name__)


async def ping_message(svc: Service, tx: PingReads, row: PingRow, now: datetime) -> PingMessage | None:
    """The ping for an outbox row, rendered with the figures as they are now; None to drop it."""
    line = await tx.get_line_by_id(row.line_id)
    if line is None or line.expiry != row.expiry:
        return None
    owner = await svc.owner(tx, line.owner_id)
    personal = is_user_id(owner.owner_id)
    room_id = owner.room_id if personal else owner.owner_id
    if not room_id:
        log.warning("no room to ping owner of line %s; dropping ping", line.id)
        return None
    if not personal and await tx.room_is_left(room_id):
        return None
    provider = svc.provider(line.provider)
    # A traditional-Chinese reader gets the wording of the line's country (Taiwan or Hong Kong).
    lang = reader_lang(owner.language, provider)
    t = Translator(lang)
    today = local_today(now, owner.timezone)
    body, html = howto_short(
        provider, lang, line.number, prefix=svc.prefix_hint(personal), variant=line.variant, today=today,
    )
    reply = render_ping(
        t, line, today=today, lang=lang, carrier=svc.carrier(owner.language),
        steps=Reply(body, html), esim=provider.kind == "esim", prefix=svc.prefix_hint(personal),
    )
    return PingMessage(room_id=room_id, reply=reply, line=line, owner=owner)


async def ping_line(tx: Tx, ctx: Context, row: PingRow) -> Line | None:
    """The line a ping was about, if it belongs to whoever reacts or replies here."""
    line = await tx.get_line_by_id(row.line_id)
    if line is None or line.owner_id != ctx.owner_id:
        return None
    return line


async def react(svc: Service, tx: Tx, ctx: Context, row: PingRow, key: str) -> Reply | None:
    """✅ marks the line renewed; 💤 snoozes the ping for a day. Other keys are ignored."""
    line = await ping_line(tx, ctx, row)
    action = reaction_action(key)
    if line is None or action is None or line.expiry != row.expiry:
        # A ping about an expiry that no longer holds (renewed or edited since): ✅ would
        # renew a second time, and a snooze would never be sent.
        return None
    owner = await svc.owner(tx, ctx.owner_id)
    t = Translator(owner.language)
    if not ctx.can_manage:
        return render_error(t, "error.not_allowed", {})
    if action == "renewed":
        return await svc.run(tx, ctx, "", lambda today, lang: c.Renewed(number=line.number))
    due = ctx.now + timedelta(days=1)
    await tx.snooze(row, ms(due))
    local = due.astimezone(ZoneInfo(owner.timezone))
    return fill(
        t, "reply.snoozed", number=line.number, name=line_name(line, svc.carrier(owner.language)),
        when=f"{format_date(local.date(), owner.language)} {local:%H:%M}",
    )


async def reply_to_ping(svc: Service, tx: Tx, ctx: Context, row: PingRow, text_: str) -> Reply | None:
    """Replying to a ping with a date (or ``+30d``) is ``renewed <n> <date>``."""
    line = await ping_line(tx, ctx, row)
    if line is None:
        return None
    said = text_.strip()
    date_part = answer_to_ping(said)  # "sudah, sampai 1 Maret 2027" -> "1 Maret 2027"; "done" -> as ✅
    return await svc.run(
        tx, ctx, said, lambda today, lang: c.renewed_args(line.number, date_part.split(), today, lang)
    )


_RENEWED_KEYS = {"✅", "✔️", "✔", "☑️", "👍"}
_SNOOZE_KEYS = {"💤", "😴", "⏰"}


def reaction_action(key: str) -> str | None:
    """What a reaction on a ping asks for: ``renewed``, ``snooze`` or nothing."""
    k = key.strip().replace("\ufe0f", "")
    if k in {x.replace("\ufe0f", "") for x in _RENEWED_KEYS}:
        return "renewed"
    if k in {x.replace("\ufe0f", "") for x in _SNOOZE_KEYS}:
        return "snooze"
    return None
