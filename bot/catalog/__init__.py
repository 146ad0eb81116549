"""The official renewal catalog: which providers exist and their sourced, official channels.

Data lives in ``providers/*.toml`` (one file per country); this module loads it into a
:class:`Catalog` that answers lookups by id or alias, suggests the closest id for a typo, lists
providers per country, and tells the scam guard which domains are official. Loading is pure
(package data only) and cached. ``checks`` validates the same data for ``catalog check``.
"""
from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.core.provider import (
    FACT_FIELDS,
    CatalogFile,
    Country,
    Fact,
    Provider,
    Renewal,
    Variant,
    normalize_key,
)

__all__ = [
    "Catalog", "CatalogError", "Country", "Fact", "Provider", "Renewal", "Variant", "FACT_FIELDS", "PROVIDERS_DIR",
    "load_catalog", "normalize_key", "read_catalog_files", "build_catalog",
]

PROVIDERS_DIR = Path(__file__).parent / "providers"


#: Words people put around a carrier's name that name no carrier: "XL prepaid", "kartu AXIS",
#: "中華電信預付卡". Stripped only when the name as typed is unknown.
_GENERIC_WORDS = re.compile(
    r"(?i)sim\s*卡"  # first, and with no \b: "SIM卡" sits next to Han, "SIM 卡" must not leave 卡
    r"|\b(?:prepaid|pre-paid|prepay|prabayar|pra-bayar|sim\s*card|simcard|sim|card|kartu|number|nombor|nomor)\b"
    r"|預付卡|预付卡|預付|预付|儲值卡|储值卡|電話卡|电话卡|號碼|号码")


class CatalogError(ValueError):
    """The packaged catalog is broken; ``renewal-bot catalog check`` says exactly where."""


@dataclass(frozen=True)
class Catalog:
    """All providers and countries, indexed by every id and alias (normalized)."""

    providers: tuple[Provider, ...]
    countries: Mapping[str, Country]
    _index: Mapping[str, Provider] = field(repr=False)
    _country_index: Mapping[str, str] = field(repr=False)
    #: Display form of every key, for suggestions: normalized key -> id or alias as written.
    _labels: Mapping[str, str] = field(repr=False)

    def get(self, name_or_alias: str) -> Provider | None:
        """The provider for an id or alias, ignoring case, spaces and punctuation, and the words
        people add around a name (``XL prepaid``, ``kartu AXIS``, ``中華電信預付卡``, ``celcom xpax``)."""
        found = self._lookup(name_or_alias)
        return found[0] if found else None

    def resolve(self, name_or_alias: str) -> tuple[Provider, Variant | None] | None:
        """The provider and, when the name picks one (``celcom``, ``digi``), its variant."""
        found = self._lookup(name_or_alias)
        if found is None:
            return None
        p, names = found
        variants = {v.id: v for name in names if (v := p.variant_for(name)) is not None}
        # "digi xpax" names two plans (Xpax is Celcom's): no plan, so the bot asks which.
        return p, next(iter(variants.values())) if len(variants) == 1 else None

    def _lookup(self, text: str) -> tuple[Provider, tuple[str, ...]] | None:
        """The provider and the name(s) that found it. Exact first; then without generic words
        (prepaid, SIM, card, 預付卡 ...); then, for several words, the provider every word names
        when they all agree (``telkomsel simpati``). Never a guess between two providers, never a
        name with a word the catalog does not know (it may be the line's label)."""
        if (p := self._index.get(normalize_key(text))) is not None:
            return p, (text,)
        if "/" in text:  # "provider/plan": the caller reads the plan after the slash
            return None
        bare = " ".join(_GENERIC_WORDS.sub(" ", text).split())
        if bare and bare != text and (p := self._index.get(normalize_key(bare))) is not None:
            return p, (bare,)
        words = [w for w in bare.split() if normalize_key(w)]
        if len(words) < 2:
            return None
        hits = [(w, self._index[normalize_key(w)]) for w in words if normalize_key(w) in self._index]
        # Every word must be known: "add axis Work phone 2027-01-01" is no provider "axis" with
        # its label thrown away.
        if len(hits) == len(words) and len({id(p) for _, p in hits}) == 1:
            return hits[0][1], tuple(w for w, _ in hits)
        return None

    def require(self, name_or_alias: str) -> Provider:
        p = self.get(name_or_alias)
        if p is None:
            raise KeyError(name_or_alias)
        return p

    @property
    def other(self) -> Provider:
        """The catch-all entry for providers the catalog does not know."""
        return self.require("other")

    def ids(self) -> list[str]:
        return [p.id for p in self.providers]

    def suggest(self, text: str) -> str | None:
        """The closest id or alias to a typo (``axsi`` -> ``axis``), or None when nothing is close."""
        key = normalize_key(text)
        if not key:
            return None
        if key in self._index:
            return self._labels[key]
        match = difflib.get_close_matches(key, list(self._labels), n=1, cutoff=0.6)
        return self._labels[match[0]] if match else None

    def country_code(self, country: str) -> str | None:
        """``id``, ``Indonesia``, ``MY``, ``hong kong`` -> the country code, or None."""
        return self._country_index.get(normalize_key(country))

    def by_country(self, country: str) -> list[Provider]:
        """Providers of one country, given as a code or a name; empty for an unknown country."""
        code = self.country_code(country)
        return [p for p in self.providers if p.country == code] if code else []

    def official_domains(self) -> set[str]:
        """Every provider's own domains plus the countries' reporting bodies (for the scam guard)."""
        out: set[str] = set()
        for p in self.providers:
            out |= p.official_domains()
        for c in self.countries.values():
            out |= c.official_domains()
        return out

    def mentioned(self, text: str) -> list[Provider]:
        """Providers named in free text (whole words, ids and aliases of 3+ characters).

        Used to show the right official channels next to a scam warning. Short or common-word
        aliases (``u``, ``3``, ``yes``) are ignored to avoid false mentions.
        """
        words = re.findall(r"[\w.+-]+", text.casefold())
        found: dict[str, Provider] = {}
        grams = set()
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                grams.add(normalize_key(" ".join(words[i:i + n])))
        for key in grams:
            p = self._index.get(key)
            if p and not p.is_other and (len(key) >= 4 or key in {"xl", "im3", "tsel", "cmhk"}):
                found.setdefault(p.id, p)
        order = {p.id: i for i, p in enumerate(self.providers)}
        return sorted(found.values(), key=lambda p: order[p.id])


def read_catalog_files(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """Parse every ``*.toml`` in ``directory`` (default: the packaged providers).

    Raises :class:`tomllib.TOMLDecodeError` with the file name added on a syntax error.
    """
    directory = directory or PROVIDERS_DIR
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            docs[path.name] = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise tomllib.TOMLDecodeError(f"{path.name}: {exc}") from exc
    return docs


def build_catalog(files: Iterable[CatalogFile]) -> Catalog:
    """Index validated files. Duplicate keys keep the first provider (``checks`` reports them)."""
    countries: dict[str, Country] = {}
    providers: list[Provider] = []
    for f in files:
        if f.country is not None:
            countries.setdefault(f.country.code, f.country)
        providers.extend(f.providers)
    rank = {code: c.order for code, c in countries.items()}
    providers.sort(key=lambda p: (p.is_other, rank.get(p.country, 1000)))  # stable: file order kept
    index: dict[str, Provider] = {}
    labels: dict[str, str] = {}
    for p in providers:
        p._country = countries.get(p.country)
        for raw in (p.id, *p.aliases, *(a for v in p.variants for a in v.aliases)):
            key = normalize_key(raw)
            if key not in index:
                index[key] = p
                labels[key] = raw.casefold()
        for raw in (p.name, *p.local_names.values()):
            index.setdefault(normalize_key(raw), p)
    country_index: dict[str, str] = {}
    for c in countries.values():
        for raw in (c.code, c.name, *c.names, *c.local_names.values()):
            country_index.setdefault(normalize_key(raw), c.code)
    return Catalog(tuple(providers), countries, index, country_index, labels)


def parse_files(docs: Mapping[str, Mapping[str, Any]]) -> list[CatalogFile]:
    """Validate parsed TOML documents; raises pydantic's ValidationError on the first bad file."""
    return [CatalogFile.model_validate(doc) for doc in docs.values()]


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The packaged catalog, validated and cached. Raises :class:`CatalogError` if it is broken."""
    try:
        files = parse_files(read_catalog_files())
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"the provider catalog is invalid; run 'renewal-bot catalog check': {exc}") from exc
    catalog = build_catalog(files)
    if catalog.get("other") is None:
        raise CatalogError("the provider catalog has no 'other' entry")
    return catalog
