"""The user's data (issue 13): status, calendar, export/import, digest, forget, yes/no."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.args import CommandError, on_off, small_int
from bot.core.commands.base import Command, NotACommand, Parsed


@dataclass(frozen=True)
class Status(Command):
    """Per line: when the last ping went out and when the next one will."""


@dataclass(frozen=True)
class Calendar(Command):
    reset: bool = False


_RESET_WORDS = frozenset({"reset", "new", "renew", "baru", "ulang", "set semula", "重置", "重新生成", "更换", "更換"})


def _p_calendar(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return Calendar()
    if p.rest.lower() in _RESET_WORDS:
        return Calendar(reset=True)
    raise CommandError("error.calendar_usage")


@dataclass(frozen=True)
class Export(Command):
    fmt: str = "csv"  # csv | json


def _p_export(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return Export()
    fmt = p.tokens[0].lower()
    if len(p.tokens) == 1 and fmt in ("csv", "json"):
        return Export(fmt=fmt)
    raise CommandError("error.export_usage")


@dataclass(frozen=True)
class Import(Command):
    """Import the attached file (the message's own file, or the file it replies to)."""


@dataclass(frozen=True)
class Digest(Command):
    on: bool | None = None  # None: say what it is


_DAILY_WORDS = frozenset({"daily", "day", "harian", "setiap hari", "每日", "每天", "每日一次"})


def _p_digest(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return Digest()
    return Digest(on=on_off(p.rest, "error.digest_usage", more_on=_DAILY_WORDS))


@dataclass(frozen=True)
class ForgetMe(Command):
    """Delete everything stored about the sender (after ``yes``)."""


@dataclass(frozen=True)
class ForgetRoom(Command):
    """Delete everything stored for this group room (after ``yes``; moderators)."""


@dataclass(frozen=True)
class Confirm(Command):
    """``yes`` to the offer waiting in this conversation; ``yes new`` / ``yes <n>`` pick what a
    carrier notice updates. Not the provider ``yes`` (Malaysia): that one only follows ``add``."""

    number: int | None = None
    new: bool = False


_NEW_WORDS = frozenset({"new", "add", "baru", "tambah", "新", "新增", "新线路", "新線路"})


def _p_confirm(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return Confirm()
    v = p.rest.lower().lstrip("#")
    if v in _NEW_WORDS:
        return Confirm(new=True)
    if small_int(v):
        return Confirm(number=int(v))
    raise NotACommand  # "ya sudah ...", "好像 ...": a sentence that starts like "yes" is no confirmation


@dataclass(frozen=True)
class Cancel(Command):
    """``no``: drop the offer waiting in this conversation."""


def _p_cancel(p: Parsed, today: date, lang: str) -> Command:
    if p.tokens:
        raise NotACommand
    return Cancel()
