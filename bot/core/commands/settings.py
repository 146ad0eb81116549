"""The owner's settings: time zone, ping time, settings, language."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from bot.core.args import CommandError, one_word, parse_time
from bot.core.commands.base import Command, Parsed


@dataclass(frozen=True)
class SetTimezone(Command):
    name: str


def _p_timezone(p: Parsed, today: date, lang: str) -> Command:
    return SetTimezone(name=one_word(p.tokens, "error.timezone_usage"))


@dataclass(frozen=True)
class SetTime(Command):
    at: time


def _p_time(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        raise CommandError("error.time_usage")
    return SetTime(at=parse_time(" ".join(p.tokens)))


@dataclass(frozen=True)
class Settings(Command):
    pass


@dataclass(frozen=True)
class SetLanguage(Command):
    code: str


def _p_language(p: Parsed, today: date, lang: str) -> Command:
    return SetLanguage(code=one_word(p.tokens, "error.language_usage"))
