"""Admin-only commands (not listed in help): stats, catalog status."""
from __future__ import annotations

from dataclasses import dataclass

from bot.core.commands.base import Command


@dataclass(frozen=True)
class Stats(Command):
    """Admin: owners, lines, pings, outbox, version, uptime."""


@dataclass(frozen=True)
class CatalogStatus(Command):
    """Admin: catalog facts past their check age."""
