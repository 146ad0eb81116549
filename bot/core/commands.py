"""Turning a chat message into a typed command, or a :class:`CommandError` that says what was wrong.

Pure: the caller passes the owner's ``today`` and language. Aliases in every language map onto one
canonical name; multi-word aliases ("sudah perpanjang") match before single words.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Union

from bot.core.dates import DateError, parse_date

#: canonical command -> aliases (any language; matched case-insensitively).
ALIASES: dict[str, tuple[str, ...]] = {
    "help": ("help", "h", "?", "commands", "start", "帮助", "幫助", "bantuan", "tolong"),
    "add": ("add", "new", "添加", "新增", "tambah", "tambahkan"),
    "list": ("list", "ls", "lines", "列表", "清单", "清單", "daftar", "senarai"),
    "renewed": (
        "renewed", "renew", "已续费", "已續費", "续费", "續費",
        "sudah perpanjang", "perpanjang", "sudah diperbaharui", "diperbaharui", "sudah isi ulang",
        "sudah tambah nilai", "sudah diperbaharui", "diperbaharui",
    ),
    "edit": ("edit", "change", "修改", "更改", "ubah", "sunting", "kemas kini"),
    "remove": ("remove", "rm", "delete", "del", "删除", "刪除", "hapus", "padam", "buang"),
    "remind": ("remind", "reminders", "提醒", "ingatkan", "pengingat", "peringatan"),
    "timezone": ("timezone", "tz", "时区", "時區", "zona waktu", "zon waktu", "zona", "zon"),
    "time": ("time", "时间", "時間", "waktu", "masa"),
    "settings": ("settings", "config", "设置", "設定", "設置", "pengaturan", "tetapan"),
    "language": ("language", "lang", "语言", "語言", "bahasa"),
    "howto": (
        "howto", "how", "怎么续费", "怎麼續費", "如何续费", "如何續費",
        "cara isi ulang", "cara perpanjang", "cara tambah nilai", "cara",
    ),
    "providers": ("providers", "carriers", "运营商", "運營商", "電訊商", "operator", "penyedia", "provider"),
    "check": ("check", "检查", "檢查", "cek", "semak", "periksa"),
    "scamguard": ("scamguard", "防诈骗", "防詐騙", "antipenipuan"),
}

_ALIAS_TO_NAME: dict[str, str] = {}
for _name, _aliases in ALIASES.items():
    for _alias in _aliases:
        _ALIAS_TO_NAME.setdefault(_alias.lower(), _name)
# Longest aliases first, so "sudah perpanjang" wins over "sudah".
_ALIAS_ORDER = sorted(_ALIAS_TO_NAME, key=len, reverse=True)

MAX_LEAD_DAYS = 10
MAX_LEAD_VALUE = 365
MAX_DATE_WORDS = 5


class CommandError(Exception):
    """A user mistake. ``msgid`` names the localized explanation; ``params`` fill it in."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


# --- typed commands ------------------------------------------------------------------------


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class Add:
    provider: str
    expiry: date
    label: str = ""
    mention: str | None = None


@dataclass(frozen=True)
class ListLines:
    page: int = 1
    all_rooms: bool = False


@dataclass(frozen=True)
class Extend:
    days: int


@dataclass(frozen=True)
class Renewed:
    number: int
    new_expiry: date | None = None
    extend: Extend | None = None


@dataclass(frozen=True)
class Edit:
    number: int
    field: str  # date | label | provider
    expiry: date | None = None
    text: str = ""


@dataclass(frozen=True)
class Remove:
    number: int


@dataclass(frozen=True)
class Remind:
    target: int | None  # None: all lines and the default
    days: tuple[int, ...] | None  # None: off


@dataclass(frozen=True)
class SetTimezone:
    name: str


@dataclass(frozen=True)
class SetTime:
    at: time


@dataclass(frozen=True)
class Settings:
    pass


@dataclass(frozen=True)
class SetLanguage:
    code: str


@dataclass(frozen=True)
class Howto:
    number: int | None = None
    provider: str | None = None


@dataclass(frozen=True)
class Providers:
    country: str | None = None


@dataclass(frozen=True)
class Check:
    text: str


@dataclass(frozen=True)
class ScamGuard:
    on: bool | None = None


Command = Union[
    Help, Add, ListLines, Renewed, Edit, Remove, Remind, SetTimezone, SetTime, Settings,
    SetLanguage, Howto, Providers, Check, ScamGuard,
]


@dataclass(frozen=True)
class Parsed:
    """The command word as typed and its canonical name, before arguments are checked."""

    name: str
    word: str
    rest: str
    tokens: list[str] = field(default_factory=list)


# --- splitting the message -----------------------------------------------------------------


def addressed(text: str, *, prefix: str, require_prefix: bool) -> str | None:
    """The command text if the message is for the bot, else None.

    In a DM the prefix is optional; in a group room only prefixed messages are commands.
    """
    s = text.strip()
    if s.startswith(prefix):
        s = s[len(prefix):].lstrip()
        return s or None
    if require_prefix:
        return None
    return s or None


def split_command(text: str) -> Parsed:
    """Find the command word (any alias, longest first) and the rest."""
    s = " ".join(text.split())
    low = s.lower()
    for alias in _ALIAS_ORDER:
        if low == alias or low.startswith(alias + " ") or (_is_cjk(alias) and low.startswith(alias)):
            rest = s[len(alias):].strip()
            return Parsed(name=_ALIAS_TO_NAME[alias], word=s[: len(alias)], rest=rest, tokens=rest.split())
    word = s.split(" ", 1)[0] if s else ""
    raise CommandError("error.unknown_command", command=word[:40], suggestion=suggest_command(word))


def _is_cjk(s: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in s)


def suggest_command(word: str) -> str:
    match = difflib.get_close_matches(word.lower(), list(_ALIAS_TO_NAME), n=1, cutoff=0.6)
    return _ALIAS_TO_NAME[match[0]] if match else "help"


# --- argument parsing ----------------------------------------------------------------------


def parse(text: str, *, today: date, lang: str = "en") -> Command:
    """Parse command text (prefix already removed) into a typed command."""
    p = split_command(text)
    handler = _PARSERS[p.name]
    return handler(p, today, lang)


def _small_int(t: str) -> bool:
    """1 to 6 decimal digits. (``str.isdigit`` also accepts ``²``, which ``int()`` refuses.)"""
    return t.isdecimal() and len(t) <= 6


def _number(token: str | None, usage: str) -> int:
    if token is None:
        raise CommandError("error.missing_number", usage=usage)
    t = token.lstrip("#")
    if not _small_int(t) or int(t) < 1:
        raise CommandError("error.bad_number", value=token[:20], usage=usage)
    return int(t)


def take_date(tokens: list[str], *, today: date, lang: str) -> tuple[date, list[str]]:
    """The longest run of leading tokens that is a date, and the tokens after it."""
    first_error: DateError | None = None
    for k in range(min(MAX_DATE_WORDS, len(tokens)), 0, -1):
        try:
            return parse_date(" ".join(tokens[:k]), today=today, lang=lang), tokens[k:]
        except DateError as err:
            if err.code != "bad" and first_error is None:
                first_error = err
    if first_error is not None:
        raise first_error
    raise DateError("bad", tokens[0] if tokens else "")


def _p_help(p: Parsed, today: date, lang: str) -> Command:
    topic = p.tokens[0].lower() if p.tokens else None
    if topic is not None:
        topic = _ALIAS_TO_NAME.get(topic, topic)
    return Help(topic=topic)


_MENTION = re.compile(r"^@[^:\s]+:\S+$")


def _p_add(p: Parsed, today: date, lang: str) -> Command:
    usage = "add <provider> <expiry> [label]"
    if not p.tokens:
        raise CommandError("error.add_usage", usage=usage)
    provider = p.tokens[0]
    if len(p.tokens) < 2:
        raise CommandError("error.missing_date", usage=usage)
    rest = p.tokens[1:]
    mention = None
    if rest and _MENTION.match(rest[-1]):
        mention = rest[-1]
        rest = rest[:-1]
    if not rest:
        raise CommandError("error.missing_date", usage=usage)
    expiry, label_tokens = take_date(rest, today=today, lang=lang)
    return Add(provider=provider, expiry=expiry, label=" ".join(label_tokens), mention=mention)


def _p_list(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return ListLines()
    if p.tokens[0].lower() in {"all", "semua", "全部"}:
        return ListLines(all_rooms=True)
    t = p.tokens[0]
    if not _small_int(t) or int(t) < 1:
        raise CommandError("error.bad_page", value=t[:20])
    return ListLines(page=int(t))


_EXTEND = re.compile(r"^\+(\d{1,4})\s*(d|days?|hari|天)?$", re.IGNORECASE)


def _p_renewed(p: Parsed, today: date, lang: str) -> Command:
    usage = "renewed <n> [<new expiry> | +<N>d]"
    number = _number(p.tokens[0] if p.tokens else None, usage)
    rest = p.tokens[1:]
    if not rest:
        return Renewed(number=number)
    if m := _EXTEND.match(" ".join(rest)):
        days = int(m.group(1))
        if not 1 <= days <= 731:
            raise CommandError("error.bad_extend", value=" ".join(rest)[:20])
        return Renewed(number=number, extend=Extend(days))
    expiry, extra = take_date(rest, today=today, lang=lang)
    if extra:
        raise CommandError("error.extra_words", words=" ".join(extra)[:60], usage=usage)
    return Renewed(number=number, new_expiry=expiry)


_EDIT_FIELDS = {
    "date": "date", "expiry": "date", "tanggal": "date", "tarikh": "date", "日期": "date", "到期": "date",
    "label": "label", "name": "label", "nama": "label", "label名": "label", "标签": "label", "標籤": "label",
    "provider": "provider", "carrier": "provider", "operator": "provider", "penyedia": "provider",
    "运营商": "provider", "運營商": "provider",
}


def _p_edit(p: Parsed, today: date, lang: str) -> Command:
    usage = "edit <n> date <expiry> | edit <n> label <text> | edit <n> provider <name>"
    number = _number(p.tokens[0] if p.tokens else None, usage)
    if len(p.tokens) < 2:
        raise CommandError("error.edit_usage", usage=usage)
    fld = _EDIT_FIELDS.get(p.tokens[1].lower())
    if fld is None:
        raise CommandError("error.edit_field", value=p.tokens[1][:20], usage=usage)
    rest = p.tokens[2:]
    if fld == "date":
        if not rest:
            raise CommandError("error.missing_date", usage=usage)
        expiry, extra = take_date(rest, today=today, lang=lang)
        if extra:
            raise CommandError("error.extra_words", words=" ".join(extra)[:60], usage=usage)
        return Edit(number=number, field="date", expiry=expiry)
    if fld == "provider" and len(rest) != 1:
        raise CommandError("error.edit_usage", usage=usage)
    if fld == "label" and not rest:
        return Edit(number=number, field="label", text="")
    return Edit(number=number, field=fld, text=" ".join(rest))


def _p_remove(p: Parsed, today: date, lang: str) -> Command:
    return Remove(number=_number(p.tokens[0] if p.tokens else None, "remove <n>"))


_OFF = {"off", "none", "no", "mati", "tutup", "关", "關", "关闭", "關閉"}


def parse_lead_days(text: str) -> tuple[int, ...]:
    """``7,3,1,0`` or ``7 3 1 0`` -> (7, 3, 1, 0), distinct, largest first."""
    parts = [x for x in re.split(r"[\s,，、;]+", text.strip()) if x]
    if not parts or len(parts) > MAX_LEAD_DAYS:
        raise CommandError("error.bad_days", value=text[:40], most=MAX_LEAD_DAYS)
    days = set()
    for part in parts:
        if not part.isdecimal() or len(part) > 3 or int(part) > MAX_LEAD_VALUE:
            raise CommandError("error.bad_days", value=text[:40], most=MAX_LEAD_DAYS)
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


def _p_remind(p: Parsed, today: date, lang: str) -> Command:
    usage = "remind <n|all> <days,...> | remind <n|all> off"
    if len(p.tokens) < 2:
        raise CommandError("error.remind_usage", usage=usage)
    target_tok = p.tokens[0].lower()
    target = None if target_tok in {"all", "semua", "全部"} else _number(p.tokens[0], usage)
    rest = " ".join(p.tokens[1:])
    if rest.lower() in _OFF:
        return Remind(target=target, days=None)
    return Remind(target=target, days=parse_lead_days(rest))


#: Common abbreviations people use for the zones of the region.
TZ_ABBREVIATIONS = {
    "wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura",
    "myt": "Asia/Kuala_Lumpur", "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong",
    "cst": "Asia/Shanghai", "utc": "UTC", "gmt": "UTC",
}


def _p_timezone(p: Parsed, today: date, lang: str) -> Command:
    if len(p.tokens) != 1:
        raise CommandError("error.timezone_usage")
    return SetTimezone(name=p.tokens[0])


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def parse_time(text: str) -> time:
    """``09:00``, ``9:30``, ``21.15``, ``9am``, ``9`` -> a time of day."""
    m = _TIME.match(text.strip())
    if not m:
        raise CommandError("error.bad_time", value=text[:20])
    hour, minute, ampm = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise CommandError("error.bad_time", value=text[:20])
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise CommandError("error.bad_time", value=text[:20])
    return time(hour, minute)


def _p_time(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        raise CommandError("error.time_usage")
    return SetTime(at=parse_time(" ".join(p.tokens)))


def _p_settings(p: Parsed, today: date, lang: str) -> Command:
    return Settings()


def _p_language(p: Parsed, today: date, lang: str) -> Command:
    if len(p.tokens) != 1:
        raise CommandError("error.language_usage")
    return SetLanguage(code=p.tokens[0])


def _p_howto(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return Howto()
    t = p.tokens[0].lstrip("#")
    if _small_int(t):
        return Howto(number=int(t))
    return Howto(provider=" ".join(p.tokens))


def _p_providers(p: Parsed, today: date, lang: str) -> Command:
    return Providers(country=" ".join(p.tokens) or None)


def _p_check(p: Parsed, today: date, lang: str) -> Command:
    if not p.rest:
        raise CommandError("error.check_usage")
    return Check(text=p.rest)


def _p_scamguard(p: Parsed, today: date, lang: str) -> Command:
    if not p.tokens:
        return ScamGuard(on=None)
    v = p.tokens[0].lower()
    if v in {"on", "yes", "hidup", "开", "開", "开启", "開啟"}:
        return ScamGuard(on=True)
    if v in _OFF:
        return ScamGuard(on=False)
    raise CommandError("error.scamguard_usage")


_PARSERS = {
    "help": _p_help, "add": _p_add, "list": _p_list, "renewed": _p_renewed, "edit": _p_edit,
    "remove": _p_remove, "remind": _p_remind, "timezone": _p_timezone, "time": _p_time,
    "settings": _p_settings, "language": _p_language, "howto": _p_howto,
    "providers": _p_providers, "check": _p_check, "scamguard": _p_scamguard,
}


def extend_from(expiry: date, today: date, days: int) -> date:
    """A top-up adds to the active period; once it has lapsed it counts from today."""
    return max(expiry, today) + timedelta(days=days)
