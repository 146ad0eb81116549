"""The commands about lines: add, list, renewed, edit, remove, remind."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.args import (
    ALL_WORDS,
    EXTEND,
    EXTEND_MONTHS,
    EXTEND_WEEKS,
    EXTEND_YEARS,
    MENTION,
    OFF_WORDS,
    ON_WORDS,
    CommandError,
    clean_label,
    line_number,
    parse_lead_days,
    small_int,
    take_date,
)
from bot.core.commands.base import Command, CommandSpec, Parsed
from bot.core.dates import DateError


@dataclass(frozen=True)
class Add(Command):
    provider: str
    expiry: date
    label: str = ""
    mention: str | None = None


#: The most words a provider name typed in ``add`` may have (``china mobile hong kong``).
_PROVIDER_WORDS = 4


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
    try:
        expiry, label_tokens = take_date(rest, today=today, lang=lang)
    except DateError as err:
        # "add club sim 2026-12-31", "add china mobile hong kong ...": a provider name of 2-4 words.
        # Only when the word after the first is no date at all; a past or far date stays an error.
        if err.code != "bad":
            raise
        for extra in range(1, min(_PROVIDER_WORDS, len(rest))):
            try:
                expiry, label_tokens = take_date(rest[extra:], today=today, lang=lang)
            except DateError:
                continue
            provider = " ".join([provider, *rest[:extra]])
            break
        else:
            raise
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
    months: int = 0  # "+2m": calendar months, then the days


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
        n, unit = int(m.group(1)), (m.group(2) or "d").lower()
        days, months = (0, n) if unit in EXTEND_MONTHS else (0, 12 * n) if unit in EXTEND_YEARS else (
            (7 * n, 0) if unit in EXTEND_WEEKS else (n, 0))
        if not 1 <= days + 31 * months <= 731:  # at most about two years, as for a date
            raise CommandError("error.bad_extend", value=" ".join(rest)[:20])
        return Renewed(number=number, extend=Extend(days, months))
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
    days: tuple[int, ...] | None  # None: off; (): on again, with the default days


def _p_remind(p: Parsed, today: date, lang: str) -> Command:
    usage = "usage.remind"
    if len(p.tokens) < 2:
        raise CommandError("error.remind_usage", usage=usage)
    target = None if p.tokens[0].lower() in ALL_WORDS else line_number(p.tokens[0], usage)
    rest = " ".join(p.tokens[1:])
    if rest.lower() in OFF_WORDS:
        return Remind(target=target, days=None)
    if rest.lower() in ON_WORDS:  # after "remind 1 off", people say "remind 1 on"
        return Remind(target=target, days=())
    return Remind(target=target, days=parse_lead_days(rest))


#: Where this module's rows stand in help, among the topic modules (smaller: earlier).
HELP_RANK = 20
#: This module's rows of the registry (:data:`bot.core.commands.COMMANDS`), in help order.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("add", Add, ("add", "new", "添加", "新增", "tambah", "tambahkan"), _p_add, manages=True,
                example=" axis 2026-12-31 Mine"),
    CommandSpec("list", ListLines, ("list", "ls", "lines", "列表", "清单", "清單", "daftar", "senarai"),
                _p_list, slow=True, example=" 2"),
    CommandSpec(
        "renewed", Renewed,
        ("renewed", "renew", "已续费", "已續費", "续费", "續費", "sudah perpanjang", "perpanjang",
         "sudah diperbaharui", "diperbaharui", "sudah isi ulang", "sudah tambah nilai"),
        _p_renewed, manages=True, example=" 1 +30d",
    ),
    CommandSpec("edit", Edit, ("edit", "change", "修改", "更改", "ubah", "sunting", "kemas kini"), _p_edit,
                manages=True, example=" 1 label Mine"),
    CommandSpec("remove", Remove, ("remove", "rm", "delete", "del", "删除", "刪除", "hapus", "padam", "buang"),
                _p_remove, manages=True, example=" 1"),
    CommandSpec("remind", Remind, ("remind", "reminders", "提醒", "ingatkan", "pengingat", "peringatan"),
                _p_remind, manages=True, example=" all 7,3"),
)
