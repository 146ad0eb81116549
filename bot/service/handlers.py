"""Where a command meets its handler: :class:`Call` (what every handler gets), :func:`handles`
(binds a handler to its typed command) and :data:`HANDLERS`.

The handlers themselves are in :mod:`bot.service.commands`, :mod:`bot.service.admin`,
:mod:`bot.service.identity` and :mod:`bot.service.data` (or any new module of :mod:`bot.service`);
they import this module, never each other. :mod:`bot.service.core` calls :func:`bind_all`, which
imports every module of the package (so a new handler module needs no import added anywhere) and
checks that every row of :data:`bot.core.commands.COMMANDS` has its handler.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from bot.core import commands as c
from bot.core.model import Line, OwnerSettings
from bot.core.render import CarrierName, Reply
from bot.i18n import Translator
from bot.service.context import Context

if TYPE_CHECKING:
    from bot.service.core import Service
    from bot.store.base import Tx


@dataclass(frozen=True, slots=True)
class Call:
    """Everything a handler needs besides its command."""

    svc: Service
    tx: Tx
    ctx: Context
    owner: OwnerSettings
    t: Translator
    today: date

    async def line(self, number: int) -> Line:
        """The owner's line ``number``, or the "no such line" explanation."""
        line = await self.tx.get_line(self.ctx.owner_id, number)
        if line is None:
            raise c.CommandError("error.no_line", number=number)
        return line

    @property
    def carrier(self) -> CarrierName:
        """Lines' carriers by name in the owner's language, for :func:`bot.core.render.line_name`."""
        return self.svc.carrier(self.owner.language)

    async def reload_owner(self) -> OwnerSettings:
        return await self.svc.owner(self.tx, self.ctx.owner_id)


C = TypeVar("C", bound=c.Command)
Handler = Callable[[Call, Any], Awaitable[Reply]]
HANDLERS: dict[type[c.Command], Handler] = {}


def handles(cls: type[C]) -> Callable[[Callable[[Call, C], Awaitable[Reply]]], Callable[[Call, C], Awaitable[Reply]]]:
    """Bind a handler to its typed command (one handler per command)."""

    def bind(fn: Callable[[Call, C], Awaitable[Reply]]) -> Callable[[Call, C], Awaitable[Reply]]:
        if cls in HANDLERS:
            raise RuntimeError(f"{cls.__name__} has two handlers")
        HANDLERS[cls] = fn
        return fn

    return bind


def check_bound() -> None:
    """Every row in COMMANDS has a handler: fail at start, not in a user's chat."""
    unbound = {s.name for s in c.COMMANDS if s.type not in HANDLERS}
    if unbound:
        raise RuntimeError(f"commands without a handler: {sorted(unbound)}")


def bind_all() -> None:
    """Import every module of :mod:`bot.service` (their ``@handles`` bind the handlers), then
    :func:`check_bound`. Discovery, not a list of imports: a new handler module is found as it is."""
    package = __name__.rpartition(".")[0]  # bot.service, still being imported when this runs
    for info in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        importlib.import_module(info.name)
    check_bound()
