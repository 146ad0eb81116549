"""What every command is made of: :class:`Command` (a typed command is a frozen dataclass deriving
from it), :class:`Parsed` (the command word and the rest), a parser, and :class:`CommandSpec` (a
command's row in :data:`bot.core.commands.COMMANDS`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Command:
    """A parsed command; each command is a frozen dataclass deriving from this one."""


@dataclass(frozen=True)
class Parsed:
    """The command word as typed and its canonical name, before arguments are checked."""

    name: str
    word: str
    rest: str
    tokens: list[str] = field(default_factory=list)


Parser = Callable[[Parsed, date, str], Command]


class NotACommand(Exception):
    """Raised by a parser when the text only starts like its command (``ya sudah ...`` is no
    ``yes``): :func:`bot.core.commands.parse` answers it as an unknown command, with the
    registry's suggestion."""


def no_args(cls: type[Command]) -> Parser:
    """The parser of a command that takes no arguments (and ignores any)."""
    return lambda p, today, lang: cls()


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: everything but its handler (bound with :func:`bot.service.handlers.handles`)."""

    name: str  # canonical, English; also the first word of its help entry
    type: type[Command]
    aliases: tuple[str, ...]  # every language; the name itself is always one
    parse: Parser
    manages: bool = False  # changes lines or settings: in a group room, moderators only
    slow: bool = False  # the reply takes a moment: show "typing..."
    help_id: str = ""  # defaults to help.cmd.<name>
    #: For ``[access] admins`` in a DM only; not in help, and an unknown command to everyone else.
    admin: bool = False
    #: Arguments that make a valid command (with a leading space), e.g. `` 1 +30d``: the tests
    #: parse every alias followed by them, so a new row is tested without a table of its own.
    example: str = ""

    @property
    def help(self) -> str:
        return self.help_id or f"help.cmd.{self.name}"
