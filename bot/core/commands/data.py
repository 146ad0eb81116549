"""The user's data (issue 13): status, calendar, export/import, digest, forget, yes/no."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.args import CommandError, on_off, small_int
from bot.core.commands.base import Command, CommandSpec, NotACommand, Parsed, no_args


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


#: Where this module's rows stand in help, among the topic modules (smaller: earlier).
HELP_RANK = 50
#: This module's rows of the registry (:data:`bot.core.commands.COMMANDS`), in help order.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("status", Status, ("status", "状态", "狀態", "keadaan", "status talian"), no_args(Status)),
    CommandSpec("calendar", Calendar, ("calendar", "cal", "ical", "日历", "日曆", "行事曆", "kalender", "kalendar"),
                _p_calendar, manages=True, example=" reset"),
    CommandSpec("export", Export, ("export", "导出", "導出", "匯出", "ekspor", "eksport"), _p_export, slow=True,
                example=" json"),
    CommandSpec("import", Import, ("import", "导入", "導入", "匯入", "impor"), no_args(Import), manages=True),
    CommandSpec("digest", Digest, ("digest", "摘要", "每日摘要", "汇总", "彙總", "ringkasan", "ringkasan harian"),
                _p_digest, manages=True, example=" daily"),
    CommandSpec(
        "forget me", ForgetMe,
        ("forget me", "delete my data", "忘记我", "忘記我", "删除我的数据", "刪除我的資料", "lupakan saya", "lupakan aku",
         "hapus data saya", "padam data saya", "lupakan data saya"),
        no_args(ForgetMe),
    ),
    CommandSpec(
        "forget room", ForgetRoom,
        ("forget room", "forget this room", "忘记房间", "忘記房間", "忘记群组", "忘記群組", "lupakan ruang", "lupakan grup",
         "hapus data grup", "lupakan bilik", "padam data bilik", "lupakan kumpulan"),
        no_args(ForgetRoom), manages=True,
    ),
    CommandSpec("yes", Confirm, ("yes", "y", "ok", "okay", "confirm", "✅", "是", "是的", "好", "好的", "确认", "確認",
                                 "ya", "iya", "betul", "setuju", "boleh"), _p_confirm, example=" new"),
    CommandSpec("no", Cancel, ("no", "n", "cancel", "不", "不要", "取消", "tidak", "tak", "batal", "jangan"), _p_cancel),
)
