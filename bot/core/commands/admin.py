"""Admin-only commands (not listed in help): stats, catalog status."""
from __future__ import annotations

from dataclasses import dataclass

from bot.core.commands.base import Command, CommandSpec, no_args


@dataclass(frozen=True)
class Stats(Command):
    """Admin: owners, lines, pings, outbox, version, uptime."""


@dataclass(frozen=True)
class CatalogStatus(Command):
    """Admin: catalog facts past their check age."""


#: Admin rows come after every listed command (they are never in help).
HELP_RANK = 90
#: This module's rows of the registry (:data:`bot.core.commands.COMMANDS`).
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("stats", Stats, ("stats", "statistics"), no_args(Stats), admin=True),
    CommandSpec("catalog status", CatalogStatus, ("catalog status",), no_args(CatalogStatus), admin=True),
)
