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
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

Kind = Literal["mobile", "data", "esim"]
Confidence = Literal["H", "M"]
#: How a renewal moves the expiry date (see :class:`Renewal`).
RenewalMode = Literal["add_days", "extend_to_longest", "fixed_period"]
#: Language tags a local name or value may be keyed by: the bot's languages plus the regional
#: Chinese variants (``zh-TW`` Taiwan, ``zh-HK`` Hong Kong/Macau), which fall back to ``zh-Hant``.
LangTag = Literal["en", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK", "id", "ms", "th", "vi", "tl"]
#: Fallback chain of a language tag for local names, values and messages.
LANG_FALLBACK: dict[str, tuple[str, ...]] = {
    "zh-TW": ("zh-TW", "zh-Hant"),
    "zh-HK": ("zh-HK", "zh-Hant"),
}

#: The Provider fields that hold facts shown to users, in the order ``howto`` shows them.
FACT_FIELDS: tuple[str, ...] = (
    "apps", "websites", "offline", "check_active", "topup", "grace", "notes", "support", "report",
)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_SOURCE_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_MSGID_RE = re.compile(r"^fact\.[a-z0-9_.-]+$")
_KEY_DROP = re.compile(r"[\W_]+", re.UNICODE)
_VARIANT_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")


def lang_chain(lang: str) -> tuple[str, ...]:
    """Tags to try for ``lang``, most specific first: ``zh-HK`` -> ``(zh-HK, zh-Hant)``."""
    return LANG_FALLBACK.get(lang, (lang,))


def localized(names: Mapping[Any, str], lang: str, default: str) -> str:
    """``names[lang]`` following :func:`lang_chain`, else ``default`` (the name as written)."""
    for tag in lang_chain(lang):
        if tag in names:
            return names[tag]
    return default


def normalize_key(text: str) -> str:
    """A lookup key that ignores case, width, spaces and punctuation: ``By.U`` -> ``byu``."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class _Sourced(_Frozen):
    """What every catalog claim carries: where it was read, when, how sure, and a verbatim quote.

    Shared by :class:`Fact` and :class:`Renewal` so a rule about the expiry can never be looser
    about its source than a fact shown to users.
    """

    source: str = Field(min_length=1, max_length=500)
    checked: date
    confidence: Confidence
    quote: str | None = Field(default=None, min_length=3, max_length=400)
    applies_to: tuple[str, ...] = ()

    @field_validator("source")
    @classmethod
    def _source_is_url(cls, v: str) -> str:
        if not _SOURCE_RE.match(v):
            raise ValueError("source must be an http(s) address")
        return v

    def applies(self, variant: str | None) -> bool:
        """Whether a line on ``variant`` sees this. A line whose variant is unknown (None) sees
        only what holds for every variant: a rule for one plan is never shown as general."""
        if not self.applies_to:
            return True
        return variant is not None and variant in self.applies_to


def _check_id(regex: re.Pattern[str], v: str, what: str) -> str:
    if not regex.match(v):
        raise ValueError(f"{what} must be lower case letters, digits and '-'")
    return v


class _Named(_Frozen):
    """A name with per-language local names (titles and sentences use the reader's one)."""

    name: str = Field(min_length=1, max_length=60)
    local_names: dict[LangTag, str] = Field(default_factory=dict)

    def display_name(self, lang: str) -> str:
        """The name for a reader of ``lang`` (falls back to ``name``)."""
        return localized(dict(self.local_names), lang, self.name)


class Fact(_Sourced):
    """One sourced fact: ``{ value = "...", source = "https://...", checked = 2026-11-22, ... }``.

    ``value`` is shown as is (app names, URLs, codes are not translated), so it must be a name,
    code, number or URL, never an English phrase. ``text``, when set, is a message id in
    ``bot/i18n/locales/*/catalog.po`` whose ``{value}`` placeholder receives it: that is how a
    fact needing a sentence ("a 30-day grace period ...") is translated. The template may also
    use ``{name}`` (the provider's local name) and ``{on}`` (the fact's ``on`` date, formatted for
    the reader's language). ``quote`` is a short verbatim quote from ``source`` that proves the
    fact; ``catalog check --online`` looks for it on the live page. ``applies_to`` limits the
    fact to some of the provider's ``variants`` (empty: every line of the provider).
    ``local_values`` replaces ``value`` per language (a regulator's local name: OFCA ->
    通訊事務管理局辦公室).
    """

    value: str = Field(min_length=1, max_length=300)
    text: str | None = None
    on: date | None = None
    local_values: dict[LangTag, str] = Field(default_factory=dict)

    @field_validator("text")
    @classmethod
    def _text_is_msgid(cls, v: str | None) -> str | None:
        if v is not None and not _MSGID_RE.match(v):
            raise ValueError("text must be a message id like 'fact.provider.name'")
        return v

    def value_in(self, lang: str) -> str:
        """The value as shown in ``lang`` (a local name where the catalog has one)."""
        return localized(dict(self.local_values), lang, self.value)


class Variant(_Named):
    """A plan or brand of one provider whose rules differ (Hotlink starter pack; Celcom vs Digi).

    ``aliases`` pick the variant when a user names the provider by them (``celcom`` -> the
    ``celcom`` variant of ``celcomdigi``).
    """

    id: str
    aliases: tuple[str, ...] = ()

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        return _check_id(_VARIANT_RE, v, "a variant id")


class Renewal(_Sourced):
    """How paying for a renewal moves the expiry date, with its source like any fact.

    * ``add_days``: the days bought are added to the days left (cumulative), up to ``cap_days``
      from today when set (Telkomsel pulsa: up to 365 days).
    * ``extend_to_longest``: the new expiry is the later of the current one and today + the
      package's days (not cumulative).
    * ``fixed_period``: the expiry becomes today + ``days`` or + ``months`` (a fixed validity per
      renewal: Taiwan Mobile and Far EasTone restart six months from the day of a recharge).
    ``applies_to`` limits the rule to variants; ``what`` says which purchase it is about
    (``topup`` credit, ``package`` a data/call bundle, ``extension`` a validity-extension pack).
    """

    mode: RenewalMode
    what: Literal["topup", "package", "extension", "any"] = "any"
    days: int | None = Field(default=None, ge=1, le=3660)
    months: int | None = Field(default=None, ge=1, le=120)
    cap_days: int | None = Field(default=None, ge=1, le=3660)


class Country(_Named):
    """A country (or ``intl``): its names, the bodies to report scams to, and country-wide notes."""

    code: str = Field(pattern=r"^[a-z]{2,4}$")
    #: Where the country's providers appear in listings (lower first).
    order: int = 100
    names: tuple[str, ...] = ()
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    #: Which traditional Chinese a reader here expects (Taiwan's 儲值/165 or Hong Kong's
    #: 增值/18222): a zh-Hant reader of this country's lines gets this variant.
    zh_variant: Literal["zh-TW", "zh-HK"] | None = None
    #: Official domains of the regulators and reporting bodies (links to them are official).
    domains: tuple[Fact, ...] = ()
    #: Scam-report channels; ``catalog check`` requires at least one for every real country.
    report: tuple[Fact, ...] = ()
    notes: tuple[Fact, ...] = ()

    def official_domains(self) -> frozenset[str]:
        return frozenset(f.value.lower() for f in self.domains)


class Notice(_Frozen):
    """How the carrier words its own notice of the line's active period (SMS, USSD answer, app
    screen), from a source that shows it verbatim. ``pattern`` is a regex with ``{D}`` where the
    date stands (bot/core/notices.py); ``example`` a text it must read. Without one, the generic
    validity phrases in five languages still read the provider's notices."""

    pattern: str = Field(min_length=3, max_length=300)
    example: str = Field(min_length=3, max_length=400)
    source: str = Field(min_length=1, max_length=500)
    checked: date
    quote: str = Field(min_length=3, max_length=400)
    #: The language the carrier sends this wording in (a carrier may send several).
    lang: LangTag | None = None
    #: ``MDY`` when the carrier prints numeric dates month first (08.16.13 for 16 August 2013);
    #: otherwise a numeric date with the year last is read day first.
    order: Literal["DMY", "MDY"] | None = None

    @field_validator("pattern")
    @classmethod
    def _has_date(cls, v: str) -> str:
        if "{D}" not in v:
            raise ValueError("a notice pattern needs {D} where the date stands")
        re.compile(v.replace("{D}", "(?P<date>x)"))
        return v


class Provider(_Named):
    """A carrier brand, a travel eSIM, or ``other``. Empty fact fields mean "not confirmed"."""

    id: str
    aliases: tuple[str, ...] = ()
    country: str = Field(pattern=r"^[a-z]{2,4}$")
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    kind: Kind
    #: Plans or brands whose rules differ; ``add`` asks which one a line is on.
    variants: tuple[Variant, ...] = ()
    #: How a renewal moves the expiry (empty: unknown; the bot then asks for the new date).
    renewal: tuple[Renewal, ...] = ()
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
    #: The carrier's own notice wordings (issue 13: pasted notices), each with its source.
    notices: tuple[Notice, ...] = ()

    _country: Country | None = PrivateAttr(default=None)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        return _check_id(_ID_RE, v, "id")

    @field_validator("aliases")
    @classmethod
    def _aliases_nonempty(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(not normalize_key(a) for a in v):
            raise ValueError("an alias must contain a letter or digit")
        return v

    @field_validator("variants")
    @classmethod
    def _variant_ids_unique(cls, v: tuple[Variant, ...]) -> tuple[Variant, ...]:
        ids = [x.id for x in v]
        if len(set(ids)) != len(ids):
            raise ValueError("variant ids must be unique")
        return v

    def variant(self, vid: str | None) -> Variant | None:
        return next((v for v in self.variants if v.id == vid), None) if vid else None

    def variant_for(self, text: str) -> Variant | None:
        """The variant a user named by its id, name or alias (``celcom``), if any."""
        key = normalize_key(text)
        for v in self.variants:
            if key in {normalize_key(k) for k in (v.id, v.name, *v.aliases)}:
                return v
        return None

    def renewal_rules(self, variant: str | None) -> tuple[Renewal, ...]:
        return tuple(r for r in self.renewal if r.applies(variant))

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
        """The id and aliases as lookup keys (variant aliases included)."""
        raw = [self.id, self.name, *self.aliases, *self.local_names.values()]
        for v in self.variants:
            raw.extend(v.aliases)
        return tuple(dict.fromkeys(normalize_key(k) for k in raw))

    def facts_for(self, field: str, variant: str | None) -> tuple[Fact, ...]:
        """The facts of one field that a line on ``variant`` sees."""
        return tuple(f for f in getattr(self, field) if f.applies(variant))

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
