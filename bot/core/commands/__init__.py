"""Every chat command, declared once: the registry :data:`COMMANDS` and how typed text finds its row.

Pure: the caller passes the owner's ``today`` and language. A row (:class:`CommandSpec`) says all
there is to know about a command outside its handler: its aliases in every language (matched
case-insensitively, multi-word aliases such as "sudah perpanjang" before single words), its
parser, whether it changes things (group rooms: moderators only), whether its reply is slow
enough to show "typing", its help entry and example arguments for the tests. ``help``, the
permission check, "typing" and the help order all read this one table; the handler is bound to
the typed command in :mod:`bot.service`.

The rows live next to their typed commands, in each topic module's ``COMMANDS`` (``help``,
``lines``, ``settings``, ``guard``, ``data``, ``admin``), and are gathered here from every module
of this package, so adding a command (README, "How it works") touches nothing in this file.
"""
from __future__ import annotations

import difflib
import importlib
import pkgutil
from datetime import date

from bot.core.args import (
    MAX_LEAD_DAYS,
    MAX_LEAD_VALUE,
    TZ_ABBREVIATIONS,
    CommandError,
    addressed,
    extend_from,
    parse_lead_days,
    parse_time,
    take_date,
)

# Shorthands (``c.Add``) for the handlers and tests written before discovery; a new command needs
# none: its handler and tests import it from its own module.
from bot.core.commands.admin import CatalogStatus, Stats
from bot.core.commands.base import Command, CommandSpec, NotACommand, Parsed, Parser, no_args
from bot.core.commands.data import Calendar, Cancel, Confirm, Digest, Export, ForgetMe, ForgetRoom, Import, Status
from bot.core.commands.guard import Check, Howto, Providers, ScamGuard, Verify
from bot.core.commands.help import Help, is_thanks
from bot.core.commands.lines import Add, Edit, Extend, ListLines, Remind, Remove, Renewed, renewed_args
from bot.core.commands.settings import SetLanguage, SetTime, SetTimezone, Settings

__all__ = [
    "Extend",
    "ALIASES",
    "Add",
    "COMMANDS",
    "Calendar",
    "Cancel",
    "CatalogStatus",
    "Check",
    "Command",
    "CommandError",
    "CommandSpec",
    "Confirm",
    "Digest",
    "Edit",
    "Export",
    "ForgetMe",
    "ForgetRoom",
    "HELP_ORDER",
    "Help",
    "Howto",
    "Import",
    "ListLines",
    "MAX_LEAD_DAYS",
    "MAX_LEAD_VALUE",
    "Parsed",
    "Parser",
    "Providers",
    "Remind",
    "Remove",
    "Renewed",
    "ScamGuard",
    "SetLanguage",
    "SetTime",
    "SetTimezone",
    "Settings",
    "Stats",
    "Status",
    "TZ_ABBREVIATIONS",
    "Verify",
    "addressed",
    "canonical",
    "aliases_starting",
    "is_command",
    "extend_from",
    "find",
    "no_args",
    "parse",
    "parse_lead_days",
    "parse_time",
    "renewed_args",
    "spec",
    "spec_of",
    "split_command",
    "suggest_command",
    "take_date",
    "unknown_command",
]


def _gather() -> tuple[CommandSpec, ...]:
    """Every topic module's ``COMMANDS``: modules by their ``HELP_RANK``, rows in their order."""
    found: list[tuple[int, tuple[CommandSpec, ...]]] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        rows = getattr(module, "COMMANDS", None)
        if rows is None:
            continue
        rank = getattr(module, "HELP_RANK", None)
        if not isinstance(rank, int):
            raise RuntimeError(f"{module.__name__} declares COMMANDS but no HELP_RANK")
        found.append((rank, tuple(rows)))
    return tuple(row for _, rows in sorted(found, key=lambda f: f[0]) for row in rows)


#: Every command, in the order ``help`` lists them (admin rows last, never listed).
COMMANDS: tuple[CommandSpec, ...] = _gather()

_BY_NAME: dict[str, CommandSpec] = {s.name: s for s in COMMANDS}
_BY_TYPE: dict[type[Command], CommandSpec] = {s.type: s for s in COMMANDS}
#: canonical command -> aliases (derived from :data:`COMMANDS`).
ALIASES: dict[str, tuple[str, ...]] = {s.name: s.aliases for s in COMMANDS}
#: The commands in the order ``help`` lists them.
HELP_ORDER: tuple[str, ...] = tuple(s.name for s in COMMANDS if not s.admin)

_ALIAS_TO_NAME: dict[str, str] = {}
for _spec in COMMANDS:
    for _alias in (_spec.name, *_spec.aliases):
        _ALIAS_TO_NAME.setdefault(_alias.lower(), _spec.name)
# Longest aliases first, so "sudah perpanjang" wins over "sudah".
_ALIAS_ORDER = sorted(_ALIAS_TO_NAME, key=len, reverse=True)
#: What "did you mean" may suggest: never an admin command.
_PUBLIC_ALIASES = [a for a, n in _ALIAS_TO_NAME.items() if not _BY_NAME[n].admin]


def canonical(word: str) -> str:
    """The command an alias names (``列表`` -> ``list``), or ``word`` itself if it names none."""
    return _ALIAS_TO_NAME.get(word.lower(), word)


def aliases_starting(head: str) -> str | None:
    """The command one of whose aliases starts with ``head`` (``"forget "`` -> forget me), if any."""
    found = sorted((a for a in _ALIAS_ORDER if a.startswith(head)), key=len)
    return _ALIAS_TO_NAME[found[0]] if found else None


def is_command(name: str) -> bool:
    """Whether ``name`` is a canonical command name."""
    return name in _BY_NAME


def spec(name: str) -> CommandSpec:
    """The row of a canonical command name."""
    return _BY_NAME[name]


def spec_of(cmd: Command) -> CommandSpec:
    """The row of a parsed command."""
    return _BY_TYPE[type(cmd)]


def _match(low: str) -> str | None:
    """The longest alias ``low`` starts with: a whole first word, a multi-word alias, or a CJK
    alias followed by anything ("续费1"). A dict lookup for the first word and a scan of the few
    multi-word and CJK aliases with the text's first character, instead of a scan of every alias
    (bench/commands.py; bench/REPORT.md section 10)."""
    first = low.split(" ", 1)[0]
    single = first if first in _ALIAS_TO_NAME else None
    for alias in _SPECIAL_BY_FIRST.get(low[:1], ()):
        if single is not None and len(alias) <= len(single):
            break
        if low == alias or low.startswith(alias + " ") or (alias in _CJK and low.startswith(alias)):
            return alias
    return single


def split_command(text: str) -> Parsed:
    """Find the command word (any alias, longest first) and the rest."""
    s = " ".join(text.split())
    alias = _match(s.lower())
    if alias is None:
        raise unknown_command(s)
    rest = s[len(alias):].strip()
    return Parsed(name=_ALIAS_TO_NAME[alias], word=s[: len(alias)], rest=rest, tokens=rest.split())


def unknown_command(text: str) -> CommandError:
    """The "I don't know the command" explanation for ``text`` (also given to non-admins who
    try an admin command)."""
    if is_thanks(text):
        return CommandError("reply.thanks")
    words = text.split()
    word = words[0] if words else ""
    return CommandError("error.unknown_command", command=word[:40], suggestion=suggest_command(word))


def find(text: str | None) -> CommandSpec | None:
    """The command a text starts with, in any language, or None."""
    if not text:
        return None
    alias = _match(" ".join(text.split()).lower())  # no "did you mean" needed here
    return None if alias is None else _BY_NAME[_ALIAS_TO_NAME[alias]]


def _is_cjk(s: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in s)


def suggest_command(word: str) -> str:
    """The command nearest ``word``, or ``help``. The short answer words (ya, tak, batal) are
    near many words: "Did you mean "no"?" for "thanks" or "catalog" and "yes" for "a" misled, so
    ``yes``/``no`` are suggested only for a close miss ("yse", "cancle", "tidk")."""
    low = word.lower()
    for alias in difflib.get_close_matches(low, _PUBLIC_ALIASES, n=3, cutoff=0.6):
        name = _ALIAS_TO_NAME[alias]
        if name not in ("yes", "no") or difflib.SequenceMatcher(None, low, alias).ratio() >= 0.75:
            return name
    return "help"


def parse(text: str, *, today: date, lang: str = "en") -> Command:
    """Parse command text (prefix already removed) into a typed command."""
    p = split_command(text)
    try:
        return _BY_NAME[p.name].parse(p, today, lang)
    except NotACommand:
        raise unknown_command(f"{p.word} {p.rest}") from None


_CJK = frozenset(a for a in _ALIAS_ORDER if _is_cjk(a))
#: The aliases a first-word lookup cannot find (several words, or CJK without a space), longest
#: first, by their first character: a text can only start with those that share its own.
_SPECIAL_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _alias in _ALIAS_ORDER:
    if " " in _alias or _alias in _CJK:
        _SPECIAL_BY_FIRST[_alias[0]] = (*_SPECIAL_BY_FIRST.get(_alias[0], ()), _alias)
