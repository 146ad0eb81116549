"""``forget me`` and ``forget room``: offers that, once confirmed, delete what the bot stores."""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import commands as c
from bot.core.render import Reply, fill, text
from bot.i18n import Translator
from bot.service.data.offers import OFFER_MINUTES, applies, offer
from bot.service.handlers import Call, handles

if TYPE_CHECKING:
    from bot.store.base import PendingRow


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


@applies("forget_me")
async def _forget_me(call: Call, row: PendingRow, cmd: c.Confirm) -> Reply:
    counts = await call.tx.forget_user(call.ctx.sender)
    return fill(call.t, "reply.forgot_me", what=deleted_text(call.t, counts))


@applies("forget_room")
async def _forget_room(call: Call, row: PendingRow, cmd: c.Confirm) -> Reply:
    if not call.ctx.can_manage:
        raise c.CommandError("error.not_allowed")
    await call.tx.drop_pending(row.id)
    counts = await call.tx.forget_room_data(call.ctx.owner_id)
    return fill(call.t, "reply.forgot_room", what=deleted_text(call.t, counts))


#: The store's names for what it deleted -> the counted noun that says it ("3 lines", "1 offer").
_COUNTED = (
    ("lines", "count.lines"), ("renewals", "count.renewals"), ("pings", "count.reminders"),
    ("settings", "count.settings"), ("mentions", "count.mentions"), ("offers", "count.offers"),
    ("calendar", "count.calendar_links"), ("replies", "count.stored_messages"),
)


def deleted_text(t: Translator, counts: dict[str, int]) -> str:
    """"3 lines, 1 renewal, 0 offers": each kind the store reported, in the reader's plural forms."""
    return t("list.sep").join(t.n(msgid, counts[key]) for key, msgid in _COUNTED if key in counts)
