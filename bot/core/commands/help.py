"""``help`` and ``help <command>``: the command list, or one command's entry."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.commands.base import Command, CommandSpec, Parsed


@dataclass(frozen=True)
class Help(Command):
    topic: str | None = None  # a canonical command name, or what was typed if it is none


def _p_help(p: Parsed, today: date, lang: str) -> Command:
    # The registry is built from this module too: read it when a command is parsed, not at import.
    from bot.core.commands import canonical

    topic = p.tokens[0].lower() if p.tokens else None
    return Help(topic=None if topic is None else canonical(topic))


#: Where this module's rows stand in help, among the topic modules (smaller: earlier).
HELP_RANK = 10
#: This module's rows of the registry (:data:`bot.core.commands.COMMANDS`), in help order.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("help", Help, ("help", "h", "?", "commands", "start", "帮助", "幫助", "bantuan", "tolong"),
                _p_help, slow=True),
)
