"""Handlers of the admin commands (rows with ``admin=True`` in :data:`bot.core.commands.COMMANDS`).

Who may run them is checked before a handler is called (:meth:`bot.service.core.Service.run`):
a user in ``[access] admins``, in a DM.
"""
from __future__ import annotations

from bot import admin
from bot.core import commands as c
from bot.core.render import Reply
from bot.service.handlers import Call, handles


@handles(c.Stats)
async def stats(call: Call, cmd: c.Stats) -> Reply:
    return await admin.stats(call.tx, call.t, call.ctx.now)


@handles(c.CatalogStatus)
async def catalog_status(call: Call, cmd: c.CatalogStatus) -> Reply:
    lang = call.owner.language
    return admin.catalog_status(call.t, call.ctx.now, lambda pid: call.svc.carrier_name(pid, None, lang))
