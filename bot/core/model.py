"""Plain data shared by the pure core, the store and the adapters.

Nothing here knows about Matrix or SQL: these are the nouns of the domain.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

#: Default days before expiry on which a line is pinged.
DEFAULT_LEAD_DAYS: tuple[int, ...] = (7, 3, 1, 0)
#: Days after expiry on which a line that was not renewed is pinged again.
DEFAULT_AFTER_DAYS: tuple[int, ...] = (1, 3, 7)

LANGUAGES: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant", "id", "ms")
#: Regional variants a user may choose (``language zh-TW``): their own strings where Taiwan and
#: Hong Kong differ (儲值/165 vs 增值/18222), everything else from ``zh-Hant``.
REGIONAL_LANGUAGES: tuple[str, ...] = ("zh-TW", "zh-HK")

#: Language codes and names as people type them (``language melayu``), lower-case.
LANGUAGE_NAMES = {
    "en": "en", "english": "en",
    "zh": "zh-Hans", "zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "简体": "zh-Hans", "中文": "zh-Hans", "简体中文": "zh-Hans",
    "zh-hant": "zh-Hant", "繁體": "zh-Hant", "繁體中文": "zh-Hant",
    "zh-tw": "zh-TW", "台灣": "zh-TW", "臺灣": "zh-TW", "正體中文": "zh-TW",
    "zh-hk": "zh-HK", "zh-mo": "zh-HK", "香港": "zh-HK", "廣東話": "zh-HK",
    "id": "id", "indonesia": "id", "bahasa indonesia": "id", "indonesian": "id",
    "ms": "ms", "melayu": "ms", "malay": "ms", "bahasa melayu": "ms",
    # Names people type in their own words and in the others' (language names are words, not codes).
    "bahasa inggris": "en", "bahasa inggeris": "en", "inggris": "en", "inggeris": "en", "英文": "en", "英语": "en",
    "英語": "en",
    "chinese": "zh-Hans", "simplified chinese": "zh-Hans", "mandarin": "zh-Hans", "华语": "zh-Hans", "汉语": "zh-Hans",
    "普通话": "zh-Hans", "bahasa cina": "zh-Hans", "bahasa mandarin": "zh-Hans",
    "traditional chinese": "zh-Hant", "繁体中文": "zh-Hant", "繁体": "zh-Hant", "繁中": "zh-Hant",
    "cantonese": "zh-HK", "粤语": "zh-HK", "粵語": "zh-HK",
    "印尼语": "id", "印尼語": "id", "印尼文": "id",
    "bm": "ms", "bahasa malaysia": "ms", "马来语": "ms", "馬來語": "ms", "马来文": "ms", "馬來文": "ms",
}


def match_language(code: str) -> str | None:
    """A language code or name as people type it -> one of the bot's languages."""
    found = LANGUAGE_NAMES.get(code.strip().lower().replace("_", "-"))
    return found if found in LANGUAGES or found in REGIONAL_LANGUAGES else None


@dataclass(frozen=True, slots=True)
class OwnerSettings:
    """Per-owner preferences. An owner is a user (DM lines) or a room (group lines)."""

    owner_id: str
    timezone: str
    ping_time: time
    lead_days: tuple[int, ...]
    language: str = "en"
    language_set: bool = False
    room_id: str | None = None  # where pings for this owner's lines go
    #: Where ``timezone`` came from: "set" (the timezone command), "profile" (the user's Matrix
    #: profile, m.tz) or "default" (the bot's config).
    timezone_source: str = "set"


@dataclass(frozen=True, slots=True)
class Line:
    """One prepaid line, data card or eSIM package an owner tracks."""

    id: int
    owner_id: str
    number: int  # small, per owner: 1, 2, 3 ...
    provider: str
    label: str
    expiry: date
    lead_days: tuple[int, ...] | None = None  # None: the owner's default
    reminders_off: bool = False
    mention: str | None = None  # user to mention in a group room
    variant: str | None = None  # the provider's plan/brand variant (catalog), None: not known


@dataclass(frozen=True, slots=True)
class PlannedPing:
    """A ping the schedule wants sent: its identity is (line, expiry, offset)."""

    offset: int  # days relative to expiry: -7 = seven days before, +1 = one day after
    due: datetime  # aware, UTC


@dataclass(frozen=True, slots=True)
class PingRow:
    """A ping in the outbox: its identity (line, expiry, offset, snooze) gives its transaction ID."""

    id: int
    line_id: int
    expiry: date
    offset: int
    due: int  # unix ms
    attempts: int
    snooze: int = 0
    #: Claimed before by another instance whose claim expired: that instance may have sent the
    #: ping already, so the sender looks in the room first (several instances on PostgreSQL;
    #: always False with SQLite's one process).
    reclaimed: bool = False


@dataclass(frozen=True, slots=True)
class Renewal:
    line_id: int
    old_expiry: date
    new_expiry: date
    at: datetime


@dataclass(slots=True)
class Page:
    items: list[Any] = field(default_factory=list)
    page: int = 1
    pages: int = 1


def is_user_id(owner_id: str) -> bool:
    """Whether an owner is a user (DM lines) rather than a room (group lines).

    Matrix IDs carry their kind in a sigil: ``@user:server`` for users, ``!room`` (with or without
    ``:server``, room version 12) for rooms. The one place the bot tells the two apart.
    """
    return owner_id.startswith("@") and ":" in owner_id
