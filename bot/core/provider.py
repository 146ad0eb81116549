"""The shape of the provider catalog: every fact carries its source and the date it was checked.

A wrong USSD code or hotline sent to a worried user is harmful, and a fake "hotline" is exactly
what scammers use. So a fact cannot exist here without a source address, a check date and a
confidence of H (the carrier's or regulator's own page) or M (an older official page, or reputable
news quoting the carrier). Unconfirmed facts are simply absent, and the bot then sends the user to
the official app or website instead.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

Kind = Literal["mobile", "data", "esim"]
Confidence = Literal["H", "M"]

#: The Provider fields that hold facts shown to users, in the order ``howto`` shows them.
FACT_FIELDS: tuple[str, ...] = (
    "apps", "websites", "offline", "check_active", "topup", "grace", "notes", "support", "report",
)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_SOURCE_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_MSGID_RE = re.compile(r"^fact\.[a-z0-9_.-]+$")
_KEY_DROP = re.compile(r"[\W_]+", re.UNICODE)


def normalize_key(text: str) -> str:
    """A lookup key that ignores case, width, spaces and punctuation: ``By.U`` -> ``byu``."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Fact(_Frozen):
    """One sourced fact: ``{ value = "...", source = "https://...", checked = 2026-11-22, ... }``.

    ``value`` is shown as is (app names, URLs, codes are not translated). ``text``, when set, is a
    message id in ``bot/i18n/locales/*/catalog.po`` whose ``{value}`` placeholder receives it:
    that is how a fact needing a sentence ("a 30-day grace period ...") is translated.
    """

    value: str = Field(min_length=1, max_length=300)
    source: str = Field(min_length=1, max_length=500)
    checked: date
    confidence: Confidence
    text: str | None = None

    @field_validator("source")
    @classmethod
    def _source_is_url(cls, v: str) -> str:
        if not _SOURCE_RE.match(v):
            raise ValueError("source must be an http(s) address")
        return v

    @field_validator("text")
    @classmethod
    def _text_is_msgid(cls, v: str | None) -> str | None:
        if v is not None and not _MSGID_RE.match(v):
            raise ValueError("text must be a message id like 'fact.provider.name'")
        return v


class Country(_Frozen):
    """A country (or ``intl``): its names, the bodies to report scams to, and country-wide notes."""

    code: str = Field(pattern=r"^[a-z]{2,4}$")
    name: str = Field(min_length=1)
    #: Where the country's providers appear in listings (lower first).
    order: int = 100
    names: tuple[str, ...] = ()
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    #: Official domains of the regulators and reporting bodies (links to them are official).
    domains: tuple[Fact, ...] = ()
    report: tuple[Fact, ...] = ()
    notes: tuple[Fact, ...] = ()

    def official_domains(self) -> frozenset[str]:
        return frozenset(f.value.lower() for f in self.domains)


class Provider(_Frozen):
    """A carrier brand, a travel eSIM, or ``other``. Empty fact fields mean "not confirmed"."""

    id: str
    name: str = Field(min_length=1, max_length=60)
    aliases: tuple[str, ...] = ()
    country: str = Field(pattern=r"^[a-z]{2,4}$")
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    kind: Kind
    #: The provider's own domains. A link in any of its facts must lie within these (or within
    #: its country's reporting bodies).
    domains: tuple[Fact, ...] = ()
    apps: tuple[Fact, ...] = ()
    websites: tuple[Fact, ...] = ()
    offline: tuple[Fact, ...] = ()
    check_active: tuple[Fact, ...] = ()
    topup: tuple[Fact, ...] = ()
    grace: tuple[Fact, ...] = ()
    notes: tuple[Fact, ...] = ()
    support: tuple[Fact, ...] = ()
    report: tuple[Fact, ...] = ()

    _country: Country | None = PrivateAttr(default=None)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError("id must be lower case letters, digits and '-'")
        return v

    @field_validator("aliases")
    @classmethod
    def _aliases_nonempty(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(not normalize_key(a) for a in v):
            raise ValueError("an alias must contain a letter or digit")
        return v

    @property
    def country_info(self) -> Country | None:
        """The provider's country, attached by the loader (for reporting bodies and notes)."""
        return self._country

    @property
    def is_other(self) -> bool:
        return self.id == "other"

    def official_domains(self) -> frozenset[str]:
        return frozenset(f.value.lower() for f in self.domains)

    def keys(self) -> tuple[str, ...]:
        """The id and aliases as lookup keys."""
        return tuple(dict.fromkeys(normalize_key(k) for k in (self.id, self.name, *self.aliases)))

    def has_facts(self) -> bool:
        return any(getattr(self, f) for f in FACT_FIELDS)

    def all_facts(self) -> list[tuple[str, Fact]]:
        """Every fact with the field it sits in, including ``domains``."""
        out = [("domains", f) for f in self.domains]
        for name in FACT_FIELDS:
            out.extend((name, f) for f in getattr(self, name))
        return out


class CatalogFile(_Frozen):
    """One TOML file: an optional ``[country]`` table and any number of ``[[providers]]``."""

    country: Country | None = None
    providers: tuple[Provider, ...] = ()
