"""Every chat command, declared once: its typed form, its parser and its row in :data:`COMMANDS`.

Pure: the caller passes the owner's ``today`` and language. A row of :data:`COMMANDS` says all
there is to know about a command outside its handler: its aliases in every language (matched
case-insensitively, multi-word aliases such as "sudah perpanjang" before single words), its
parser, whether it changes things (group rooms: moderators only), whether its reply is slow
enough to show "typing", and its help entry. ``help``, the permission check, "typing" and the
help order all read this one table; the handler is bound to the typed command in
:mod:`bot.service.commands`.

Adding a command (see README, "How it works"): a frozen dataclass and its parser in the topic's
module (``lines``, ``settings``, ``guard``, ``data``, ``admin``), a row in :data:`COMMANDS` here (in
help order), a handler decorated with ``@handles(YourCommand)``, its texts
(``help.cmd.<name>`` and replies) in every language, and tests.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
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
from bot.core.commands.admin import CatalogStatus, Stats
from bot.core.commands.base import Command, CommandSpec, NotACommand, Parsed, Parser, no_args
from bot.core.commands.data import (
    Calendar,
    Cancel,
    Confirm,
    Digest,
    Export,
    ForgetMe,
    ForgetRoom,
    Import,
    Status,
    _p_calendar,
    _p_cancel,
    _p_confirm,
    _p_digest,
    _p_export,
)
from bot.core.commands.guard import (
    Check,
    Howto,
    Providers,
    ScamGuard,
    Verify,
    _p_check,
    _p_howto,
    _p_providers,
    _p_scamguard,
)
from bot.core.commands.lines import (
    Add,
    Edit,
    Extend,
    ListLines,
    Remind,
    Remove,
    Renewed,
    _p_add,
    _p_edit,
    _p_list,
    _p_remind,
    _p_remove,
    _p_renewed,
    renewed_args,
)
from bot.core.commands.settings import (
    SetLanguage,
    SetTime,
    SetTimezone,
    Settings,
    _p_language,
    _p_time,
    _p_timezone,
)

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


@dataclass(frozen=True)
class Help(Command):
    topic: str | None = None


def _p_help(p: Parsed, today: date, lang: str) -> Command:
    topic = p.tokens[0].lower() if p.tokens else None
    if topic is not None:
        topic = _ALIAS_TO_NAME.get(topic, topic)
    return Help(topic=topic)


#: Every command, in the order ``help`` lists them.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("help", Help, ("help", "h", "?", "commands", "start", "帮助", "幫助", "bantuan", "tolong"),
                _p_help, slow=True),
    CommandSpec("add", Add, ("add", "new", "添加", "新增", "tambah", "tambahkan"), _p_add, manages=True),
    CommandSpec("list", ListLines, ("list", "ls", "lines", "列表", "清单", "清單", "daftar", "senarai"),
                _p_list, slow=True),
    CommandSpec(
        "renewed", Renewed,
        ("renewed", "renew", "已续费", "已續費", "续费", "續費", "sudah perpanjang", "perpanjang",
         "sudah diperbaharui", "diperbaharui", "sudah isi ulang", "sudah tambah nilai"),
        _p_renewed, manages=True,
    ),
    CommandSpec("edit", Edit, ("edit", "change", "修改", "更改", "ubah", "sunting", "kemas kini"), _p_edit,
                manages=True),
    CommandSpec("remove", Remove, ("remove", "rm", "delete", "del", "删除", "刪除", "hapus", "padam", "buang"),
                _p_remove, manages=True),
    CommandSpec("remind", Remind, ("remind", "reminders", "提醒", "ingatkan", "pengingat", "peringatan"),
                _p_remind, manages=True),
    CommandSpec("timezone", SetTimezone, ("timezone", "tz", "时区", "時區", "zona waktu", "zon waktu", "zona", "zon"),
                _p_timezone, manages=True),
    CommandSpec("time", SetTime, ("time", "时间", "時間", "waktu", "masa"), _p_time, manages=True),
    CommandSpec("settings", Settings, ("settings", "config", "设置", "設定", "設置", "pengaturan", "tetapan"),
                no_args(Settings)),
    CommandSpec("language", SetLanguage, ("language", "lang", "语言", "語言", "bahasa"), _p_language,
                manages=True),
    CommandSpec(
        "howto", Howto,
        ("howto", "how", "怎么续费", "怎麼續費", "如何续费", "如何續費", "cara isi ulang", "cara perpanjang",
         "cara tambah nilai", "cara"),
        _p_howto, slow=True,
    ),
    CommandSpec("providers", Providers,
                ("providers", "carriers", "运营商", "運營商", "電訊商", "operator", "penyedia", "provider"),
                _p_providers, slow=True),
    CommandSpec("check", Check, ("check", "检查", "檢查", "cek", "semak", "periksa"), _p_check, slow=True),
    CommandSpec("scamguard", ScamGuard, ("scamguard", "防诈骗", "防詐騙", "antipenipuan"), _p_scamguard,
                manages=True),
    CommandSpec("verify", Verify, ("verify", "about", "identity", "验证", "驗證", "关于", "關於", "verifikasi",
                                   "tentang", "sahkan"), no_args(Verify)),
    # Issue 13 (bot/service/data/).
    CommandSpec("status", Status, ("status", "状态", "狀態", "keadaan", "status talian"), no_args(Status)),
    CommandSpec("calendar", Calendar, ("calendar", "cal", "ical", "日历", "日曆", "行事曆", "kalender", "kalendar"),
                _p_calendar, manages=True),
    CommandSpec("export", Export, ("export", "导出", "導出", "匯出", "ekspor", "eksport"), _p_export, slow=True),
    CommandSpec("import", Import, ("import", "导入", "導入", "匯入", "impor"), no_args(Import), manages=True),
    CommandSpec("digest", Digest, ("digest", "摘要", "每日摘要", "汇总", "彙總", "ringkasan", "ringkasan harian"),
                _p_digest, manages=True),
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
                                 "ya", "iya", "betul", "setuju", "boleh"), _p_confirm),
    CommandSpec("no", Cancel, ("no", "n", "cancel", "不", "不要", "取消", "tidak", "tak", "batal", "jangan"), _p_cancel),
    # Admin commands (bot/service/admin.py): last, and never listed.
    CommandSpec("stats", Stats, ("stats", "statistics"), no_args(Stats), admin=True),
    CommandSpec("catalog status", CatalogStatus, ("catalog status",), no_args(CatalogStatus), admin=True),
)

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


def spec(name: str) -> CommandSpec:
    """The row of a canonical command name."""
    return _BY_NAME[name]


def spec_of(cmd: Command) -> CommandSpec:
    """The row of a parsed command."""
    return _BY_TYPE[type(cmd)]


def _match(low: str) -> str | None:
    """The longest alias ``low`` starts with: a whole first word, a multi-word alias, or a CJK
    alias followed by anything ("续费1"). A dict lookup for the first word and a scan of the few
    multi-word and CJK aliases, instead of a scan of every alias (bench/commands.py)."""
    first = low.split(" ", 1)[0]
    single = first if first in _ALIAS_TO_NAME else None
    for alias in _SPECIAL:
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
    match = difflib.get_close_matches(word.lower(), _PUBLIC_ALIASES, n=1, cutoff=0.6)
    return _ALIAS_TO_NAME[match[0]] if match else "help"


def parse(text: str, *, today: date, lang: str = "en") -> Command:
    """Parse command text (prefix already removed) into a typed command."""
    p = split_command(text)
    try:
        return _BY_NAME[p.name].parse(p, today, lang)
    except NotACommand:
        raise unknown_command(f"{p.word} {p.rest}") from None


_CJK = frozenset(a for a in _ALIAS_ORDER if _is_cjk(a))
#: The aliases a first-word lookup cannot find (several words, or CJK without a space), longest first.
_SPECIAL = tuple(a for a in _ALIAS_ORDER if " " in a or a in _CJK)
