"""Every chat command, declared once: its typed form, its parser and its row in :data:`COMMANDS`.

Pure: the caller passes the owner's ``today`` and language. A row of :data:`COMMANDS` says all
there is to know about a command outside its handler: its aliases in every language (matched
case-insensitively, multi-word aliases such as "sudah perpanjang" before single words), its
parser, whether it changes things (group rooms: moderators only), whether its reply is slow
enough to show "typing", and its help entry. ``help``, the permission check, "typing" and the
help order all read this one table; the handler is bound to the typed command in
:mod:`bot.service.commands`.

Adding a command (see README, "How it works"): a frozen dataclass and its parser here, a row in
:data:`COMMANDS` (in help order), a handler decorated with ``@handles(YourCommand)``, its texts
(``help.cmd.<name>`` and replies) in every language, and tests.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time

from bot.core.args import (
    ALL_WORDS,
    EXTEND,
    MAX_LEAD_DAYS,
    MAX_LEAD_VALUE,
    MENTION,
    OFF_WORDS,
    ON_WORDS,
    TZ_ABBREVIATIONS,
    CommandError,
    addressed,
    clean_label,
    extend_from,
    line_number,
    parse_lead_days,
    parse_time,
    small_int,
    take_date,
)

__all__ = [
    "COMMANDS", "ALIASES", "HELP_ORDER", "MAX_LEAD_DAYS", "MAX_LEAD_VALUE", "Command", "CommandError", "CommandSpec", "Parsed",
    "TZ_ABBREVIATIONS", "addressed", "extend_from", "find", "parse", "parse_lead_days", "parse_time",
    "spec", "spec_of", "split_command", "suggest_command", "take_date", "unknown_command",
]


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


# --- typed commands and their parsers ------------------------------------------------------


@dataclass(frozen=True)
class Help(Command):
    topic: str | None = None


def _p_help(p: Parsed, today: date, lang: str) -> Command:
    topic = p.tokens[0].lower() if p.tokens else None
    if topic is not None:
        topic = _ALIAS_TO_NAME.get(topic, topic)
    return Help(topic=topic)


@dataclass(frozen=True)
class Add(Command):
    provider: str
    expiry: date
    label: str = ""
    mention: str | None = None


def _p_add(p: Parsed, today: date, lang: str) -> Command:
    usage = "usage.add"  # a message id: the reply shows it in the reader's language
    if not p.tokens:
        raise CommandError("error.add_usage", usage=usage)
    provider = p.tokens[0]
    if len(p.tokens) < 2:
        raise CommandError("error.missing_date", usage=usage)
    rest = p.tokens[1:]
    mention = None
    if rest and MENTION.match(rest[-1]):
        mention = rest[-1]
        rest = rest[:-1]
    if not rest:
        raise CommandError("error.missing_date", usage=usage)
    expiry, label_tokens = take_date(rest, today=today, lang=lang)
    return Add(provider=provider, expiry=expiry, label=clean_label(" ".join(label_tokens)), mention=mention)


@dataclass(frozen=True)
class ListLines(Command):
    page: int = 1
    all_rooms: bool = False


def _p_list(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return ListLines()
    if p.tokens[0].lower() in ALL_WORDS:
        return ListLines(all_rooms=True)
    t = p.tokens[0]
    if not small_int(t) or int(t) < 1:
        raise CommandError("error.bad_page", value=t[:20])
    return ListLines(page=int(t))


@dataclass(frozen=True)
class Extend:
    days: int


@dataclass(frozen=True)
class Renewed(Command):
    number: int
    new_expiry: date | None = None
    extend: Extend | None = None


_RENEWED_USAGE = "usage.renewed"


def renewed_args(number: int, rest: list[str], today: date, lang: str) -> Renewed:
    """``renewed <n>`` followed by ``rest``: a new expiry, ``+<N>d``, or nothing (as last time).
    Also what a reply to a ping says about that ping's line."""
    if not rest:
        return Renewed(number=number)
    if m := EXTEND.match(" ".join(rest)):
        days = int(m.group(1))
        if not 1 <= days <= 731:
            raise CommandError("error.bad_extend", value=" ".join(rest)[:20])
        return Renewed(number=number, extend=Extend(days))
    expiry, extra = take_date(rest, today=today, lang=lang)
    if extra:
        raise CommandError("error.extra_words", words=" ".join(extra)[:60], usage=_RENEWED_USAGE)
    return Renewed(number=number, new_expiry=expiry)


def _p_renewed(p: Parsed, today: date, lang: str) -> Command:
    number = line_number(p.tokens[0] if p.tokens else None, _RENEWED_USAGE)
    return renewed_args(number, p.tokens[1:], today, lang)


@dataclass(frozen=True)
class Edit(Command):
    number: int
    field: str  # date | label | provider | plan
    expiry: date | None = None
    text: str = ""


_EDIT_FIELDS = {
    "date": "date", "expiry": "date", "tanggal": "date", "tarikh": "date", "日期": "date", "到期": "date",
    "label": "label", "name": "label", "nama": "label", "label名": "label", "标签": "label", "標籤": "label",
    "provider": "provider", "carrier": "provider", "operator": "provider", "penyedia": "provider",
    "运营商": "provider", "運營商": "provider",
    "plan": "plan", "variant": "plan", "brand": "plan", "pelan": "plan", "paket": "plan", "套餐": "plan",
    "計劃": "plan", "方案": "plan",
}


def _p_edit(p: Parsed, today: date, lang: str) -> Command:
    usage = "usage.edit"
    number = line_number(p.tokens[0] if p.tokens else None, usage)
    if len(p.tokens) < 2:
        raise CommandError("error.edit_usage", usage=usage)
    fld = _EDIT_FIELDS.get(p.tokens[1].lower())
    if fld is None:
        raise CommandError("error.edit_field", value=p.tokens[1][:20], usage=usage)
    rest = p.tokens[2:]
    if fld == "date":
        if not rest:
            raise CommandError("error.edit_missing_date")
        expiry, extra = take_date(rest, today=today, lang=lang)
        if extra:
            raise CommandError("error.extra_words", words=" ".join(extra)[:60], usage=usage)
        return Edit(number=number, field="date", expiry=expiry)
    if fld == "plan" and not rest:
        raise CommandError("error.edit_usage", usage=usage)
    if fld == "provider" and len(rest) != 1:
        raise CommandError("error.edit_usage", usage=usage)
    if fld == "label":
        return Edit(number=number, field="label", text=clean_label(" ".join(rest)))
    return Edit(number=number, field=fld, text=" ".join(rest))


@dataclass(frozen=True)
class Remove(Command):
    number: int


def _p_remove(p: Parsed, today: date, lang: str) -> Command:
    return Remove(number=line_number(p.tokens[0] if p.tokens else None, "usage.remove"))


@dataclass(frozen=True)
class Remind(Command):
    target: int | None  # None: all lines and the default
    days: tuple[int, ...] | None  # None: off


def _p_remind(p: Parsed, today: date, lang: str) -> Command:
    usage = "usage.remind"
    if len(p.tokens) < 2:
        raise CommandError("error.remind_usage", usage=usage)
    target = None if p.tokens[0].lower() in ALL_WORDS else line_number(p.tokens[0], usage)
    rest = " ".join(p.tokens[1:])
    if rest.lower() in OFF_WORDS:
        return Remind(target=target, days=None)
    return Remind(target=target, days=parse_lead_days(rest))


@dataclass(frozen=True)
class SetTimezone(Command):
    name: str


def _p_timezone(p: Parsed, today: date, lang: str) -> Command:
    if len(p.tokens) != 1:
        raise CommandError("error.timezone_usage")
    return SetTimezone(name=p.tokens[0])


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
    if len(p.tokens) != 1:
        raise CommandError("error.language_usage")
    return SetLanguage(code=p.tokens[0])


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
class Verify(Command):
    """Who the bot is: its cross-signing master-key fingerprint, to compare with the operator's."""


@dataclass(frozen=True)
class Stats(Command):
    """Admin: owners, lines, pings, outbox, version, uptime."""


@dataclass(frozen=True)
class CatalogStatus(Command):
    """Admin: catalog facts past their check age."""


@dataclass(frozen=True)
class ScamGuard(Command):
    on: bool | None = None


def _p_scamguard(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return ScamGuard(on=None)
    v = p.tokens[0].lower()
    if v in ON_WORDS:
        return ScamGuard(on=True)
    if v in OFF_WORDS:
        return ScamGuard(on=False)
    raise CommandError("error.scamguard_usage")


# --- issue 13: status, calendar, export/import, digest, forget, confirm ----------------------


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
    v = p.rest.lower()
    if v in _DAILY_WORDS or v in ON_WORDS:
        return Digest(on=True)
    if v in OFF_WORDS:
        return Digest(on=False)
    raise CommandError("error.digest_usage")


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
    # "ya sudah ...", "好像 ...": a sentence that starts like "yes" is no confirmation.
    raise unknown_command(f"{p.word} {p.rest}")


@dataclass(frozen=True)
class Cancel(Command):
    """``no``: drop the offer waiting in this conversation."""


def _p_cancel(p: Parsed, today: date, lang: str) -> Command:
    if p.tokens:
        raise unknown_command(f"{p.word} {p.rest}")
    return Cancel()


def _no_args(cls: type[Command]) -> Parser:
    """The parser of a command that takes no arguments (and ignores any)."""
    return lambda p, today, lang: cls()


# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: everything but its handler (bound in :mod:`bot.service.commands`)."""

    name: str  # canonical, English; also the first word of its help entry
    type: type[Command]
    aliases: tuple[str, ...]  # every language; the name itself is always one
    parse: Parser
    manages: bool = False  # changes lines or settings: in a group room, moderators only
    slow: bool = False  # the reply takes a moment: show "typing..."
    help_id: str = ""  # defaults to help.cmd.<name>
    #: For ``[access] admins`` in a DM only; not in help, and an unknown command to everyone else.
    admin: bool = False

    @property
    def help(self) -> str:
        return self.help_id or f"help.cmd.{self.name}"


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
                _no_args(Settings)),
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
                                   "tentang", "sahkan"), _no_args(Verify)),
    # Issue 13 (bot/service/data.py).
    CommandSpec("status", Status, ("status", "状态", "狀態", "keadaan", "status talian"), _no_args(Status)),
    CommandSpec("calendar", Calendar, ("calendar", "cal", "ical", "日历", "日曆", "行事曆", "kalender", "kalendar"),
                _p_calendar, manages=True),
    CommandSpec("export", Export, ("export", "导出", "導出", "匯出", "ekspor", "eksport"), _p_export, slow=True),
    CommandSpec("import", Import, ("import", "导入", "導入", "匯入", "impor"), _no_args(Import), manages=True),
    CommandSpec("digest", Digest, ("digest", "摘要", "每日摘要", "汇总", "彙總", "ringkasan", "ringkasan harian"),
                _p_digest, manages=True),
    CommandSpec(
        "forget me", ForgetMe,
        ("forget me", "delete my data", "忘记我", "忘記我", "删除我的数据", "刪除我的資料", "lupakan saya", "lupakan aku",
         "hapus data saya", "padam data saya", "lupakan data saya"),
        _no_args(ForgetMe),
    ),
    CommandSpec(
        "forget room", ForgetRoom,
        ("forget room", "forget this room", "忘记房间", "忘記房間", "忘记群组", "忘記群組", "lupakan ruang", "lupakan grup",
         "hapus data grup", "lupakan bilik", "padam data bilik", "lupakan kumpulan"),
        _no_args(ForgetRoom), manages=True,
    ),
    CommandSpec("yes", Confirm, ("yes", "y", "ok", "okay", "confirm", "✅", "是", "是的", "好", "好的", "确认", "確認",
                                 "ya", "iya", "betul", "setuju", "boleh"), _p_confirm),
    CommandSpec("no", Cancel, ("no", "n", "cancel", "不", "不要", "取消", "tidak", "tak", "batal", "jangan"), _p_cancel),
    # Admin commands (bot/service/admin.py): last, and never listed.
    CommandSpec("stats", Stats, ("stats", "statistics"), _no_args(Stats), admin=True),
    CommandSpec("catalog status", CatalogStatus, ("catalog status",), _no_args(CatalogStatus), admin=True),
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


def split_command(text: str) -> Parsed:
    """Find the command word (any alias, longest first) and the rest."""
    s = " ".join(text.split())
    low = s.lower()
    for alias in _ALIAS_ORDER:
        if low == alias or low.startswith(alias + " ") or (_is_cjk(alias) and low.startswith(alias)):
            rest = s[len(alias):].strip()
            return Parsed(name=_ALIAS_TO_NAME[alias], word=s[: len(alias)], rest=rest, tokens=rest.split())
    raise unknown_command(s)


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
    try:
        return _BY_NAME[split_command(text).name]
    except CommandError:
        return None


def _is_cjk(s: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in s)


def suggest_command(word: str) -> str:
    match = difflib.get_close_matches(word.lower(), _PUBLIC_ALIASES, n=1, cutoff=0.6)
    return _ALIAS_TO_NAME[match[0]] if match else "help"


def parse(text: str, *, today: date, lang: str = "en") -> Command:
    """Parse command text (prefix already removed) into a typed command."""
    p = split_command(text)
    return _BY_NAME[p.name].parse(p, today, lang)
