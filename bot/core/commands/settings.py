"""The owner's settings: time zone, ping time, settings, language."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from bot.core.args import CommandError, a_name, parse_time
from bot.core.commands.base import Command, CommandSpec, Parsed, no_args


@dataclass(frozen=True)
class SetTimezone(Command):
    name: str


def _p_timezone(p: Parsed, today: date, lang: str) -> Command:
    return SetTimezone(name=a_name(p.tokens, "error.timezone_usage"))  # "Kuala Lumpur", "Ho Chi Minh"


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
    return SetLanguage(code=a_name(p.tokens, "error.language_usage"))  # "Bahasa Melayu", "traditional chinese"


#: Where this module's rows stand in help, among the topic modules (smaller: earlier).
HELP_RANK = 30
#: This module's rows of the registry (:data:`bot.core.commands.COMMANDS`), in help order.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("timezone", SetTimezone, ("timezone", "tz", "时区", "時區", "zona waktu", "zon waktu", "zona", "zon"),
                _p_timezone, manages=True, example=" Asia/Jakarta"),
    CommandSpec("time", SetTime, ("time", "时间", "時間", "waktu", "masa"), _p_time, manages=True, example=" 08:30"),
    CommandSpec("settings", Settings, ("settings", "config", "设置", "設定", "設置", "pengaturan", "tetapan"),
                no_args(Settings)),
    CommandSpec("language", SetLanguage, ("language", "lang", "语言", "語言", "bahasa"), _p_language,
                manages=True, example=" id"),
)
