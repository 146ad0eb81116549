"""``calendar``: a private iCalendar feed URL per owner; the feed itself, and its token check."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core import commands as c
from bot.core.calendar_feed import FeedLine, build_feed
from bot.core.render import Reply, fill, text
from bot.i18n import Translator
from bot.service.context import ms
from bot.service.handlers import Call, handles

if TYPE_CHECKING:
    from bot.service.core import Service
    from bot.store.base import Tx

#: A calendar feed's secret: 32 random bytes, URL-safe (43 characters).
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


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
    carrier = svc.carrier(owner.language)
    items = []
    for ln in lines:
        items.append(FeedLine(
            line=ln, provider_name=carrier(ln),
            lead_days=svc.lead_days(ln, owner), renewals=len(renewals.get(ln.id, [])),
        ))
    return build_feed(items, t=t, ping_time=owner.ping_time, now=now, uid_domain=svc.config.matrix.server_name,
                      name=t("calendar.name"))
