"""Offers: what a user must confirm before it is done (a notice's date, an import, forgetting).

An offer is a row in ``pending`` for one sender in one conversation, with a short expiry, kept in the
database so it survives a restart. ``yes`` (or ✅ on the offer) carries it out through the applier
its kind registered; ``no`` drops it; nothing is stored before.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.core import commands as c
from bot.core.render import Reply, text
from bot.service.context import Context, ms
from bot.service.handlers import Call, handles

if TYPE_CHECKING:
    from bot.service.core import Service
    from bot.store.base import PendingRow, Tx

#: How long an offer waits for its ``yes``.
OFFER_MINUTES = 15

#: What ``yes`` does, by offer kind; each module that makes offers registers its own.
Applier = Callable[[Call, "PendingRow", c.Confirm], Awaitable[Reply]]
APPLIERS: dict[str, Applier] = {}


def applies(kind: str) -> Callable[[Applier], Applier]:
    """Register what ``yes`` does to an offer of ``kind``."""
    def register(fn: Applier) -> Applier:
        APPLIERS[kind] = fn
        return fn
    return register


async def offer(call: Call, kind: str, payload: dict[str, Any]) -> None:
    """Store an offer for the sender in this conversation (replacing any earlier one)."""
    now = ms(call.ctx.now)
    await call.tx.add_pending(
        call.ctx.owner_id, call.ctx.sender, kind, payload, reply_txn=call.ctx.reply_txn, now_ms=now,
        expires_ms=now + OFFER_MINUTES * 60_000,
    )


async def offer_correction(tx: Tx, ctx: Context, corrected: str) -> None:
    """"Did you mean axis?" is a question: store the corrected command so that ``yes`` (or ✅ on
    the answer) sends it, as a user who was just asked expects."""
    now = ms(ctx.now)
    await tx.add_pending(ctx.owner_id, ctx.sender, "correction", {"text": corrected}, reply_txn=ctx.reply_txn,
                         now_ms=now, expires_ms=now + OFFER_MINUTES * 60_000)


def corrected_command(said: str, name: str, suggestion: str) -> str | None:
    """``said`` with the mistyped provider ``name`` replaced by ``suggestion``: its first
    occurrence after the command word (the provider comes before the date and the label, which may
    repeat the typo: ``add axsi 2027-01-01 axsi phone``), else its first anywhere (glued to a Chinese
    command word: ``添加axsi``); None if it is not found as typed."""
    words = said.split(maxsplit=1)
    start = len(said) - len(words[1]) if len(words) == 2 else len(said)
    key = name.casefold()
    at = said.casefold().find(key, start)
    at = at if at >= 0 else said.casefold().find(key)
    if not name or at < 0 or len(said.casefold()) != len(said):
        return None
    return said[:at] + suggestion + said[at + len(name):]


@applies("correction")
async def _correction(call: Call, row: PendingRow, cmd: c.Confirm) -> Reply:
    await call.tx.drop_pending(row.id)
    return await call.svc.handle(call.tx, call.ctx, str(row.payload["text"]))


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
    apply = APPLIERS.get(row.kind)
    if apply is None:
        await call.tx.drop_pending(row.id)
        raise c.CommandError("error.nothing_to_confirm")
    return await apply(call, row, cmd)


async def confirm_by_reaction(svc: Service, tx: Tx, ctx: Context, row: PendingRow, key: str) -> Reply | None:
    """✅ on an offer is its ``yes`` (from the sender it was made to; other reactions do nothing)."""
    from bot.service.pings import reaction_action

    if row.sender != ctx.sender or row.owner_id != ctx.owner_id or reaction_action(key) != "renewed":
        return None
    return await svc.run(tx, ctx, "", lambda today, lang: c.Confirm())

