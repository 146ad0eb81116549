"""Renewal knowledge and the scam guard: howto, providers, check, scamguard, verify."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.args import CommandError, on_off, small_int
from bot.core.commands.base import Command, CommandSpec, Parsed, no_args


@dataclass(frozen=True)
class Howto(Command):
    number: int | None = None
    provider: str | None = None


def _p_howto(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return Howto()
    t = p.tokens[0].lstrip("#")
    if small_int(t):
        return Howto(number=int(t))
    return Howto(provider=" ".join(p.tokens))


@dataclass(frozen=True)
class Providers(Command):
    country: str | None = None


def _p_providers(p: Parsed, today: date, lang: str) -> Command:
    return Providers(country=" ".join(p.tokens) or None)


@dataclass(frozen=True)
class Check(Command):
    text: str


def _p_check(p: Parsed, today: date, lang: str) -> Command:
    if not p.rest:
        raise CommandError("error.check_usage")
    return Check(text=p.rest)


@dataclass(frozen=True)
class ScamGuard(Command):
    on: bool | None = None


def _p_scamguard(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return ScamGuard(on=None)
    return ScamGuard(on=on_off(p.tokens[0], "error.scamguard_usage"))


@dataclass(frozen=True)
class Verify(Command):
    """Who the bot is: its cross-signing master-key fingerprint, to compare with the operator's."""


#: Where this module's rows stand in help, among the topic modules (smaller: earlier).
HELP_RANK = 40
#: This module's rows of the registry (:data:`bot.core.commands.COMMANDS`), in help order.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "howto", Howto,
        ("howto", "how", "怎么续费", "怎麼續費", "如何续费", "如何續費", "cara isi ulang", "cara perpanjang",
         "cara tambah nilai", "cara"),
        _p_howto, slow=True, example=" 1",
    ),
    CommandSpec("providers", Providers,
                ("providers", "carriers", "运营商", "運營商", "電訊商", "operator", "penyedia", "provider"),
                _p_providers, slow=True),
    CommandSpec("check", Check, ("check", "检查", "檢查", "cek", "semak", "periksa"), _p_check, slow=True,
                example=" some text"),
    CommandSpec("scamguard", ScamGuard, ("scamguard", "防诈骗", "防詐騙", "antipenipuan"), _p_scamguard,
                manages=True, example=" on"),
    CommandSpec("verify", Verify, ("verify", "about", "identity", "验证", "驗證", "关于", "關於", "verifikasi",
                                   "tentang", "sahkan"), no_args(Verify)),
)
