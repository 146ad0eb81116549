"""What users type, resolved against the catalog and the time-zone database: providers and their
plans (with a suggestion when unknown), labels within their length, time zones by name or by
regional abbreviation. Pure lookups: no store, no Matrix."""
from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.catalog import Catalog
from bot.core import commands as c
from bot.core.args import TZ_PLACES, offset_zone
from bot.core.howto import carrier_name, carrier_names
from bot.core.provider import Provider
from bot.core.render import CarrierName

MAX_PROVIDER_LENGTH = 40
#: What users say when they do not know their line's plan.
UNKNOWN_VARIANT = frozenset({"unknown", "?", "none", "unsure", "not sure", "tidak tahu", "tak tahu", "不知道", "不清楚"})


class Names:
    """Resolves provider, plan and time-zone names; checks label lengths."""

    def __init__(self, catalog: Catalog, max_label_length: int) -> None:
        self._catalog = catalog
        self._max_label = max_label_length
        self._tz_names: dict[str, str] | None = None
        self._tz_cities: dict[str, str] = {}

    def provider(self, name: str) -> Provider:
        """The catalog entry for a line's provider; unknown ones are ``other``."""
        return self._catalog.get(name) or self._catalog.other

    def carrier(self, lang: str) -> CarrierName:
        """Lines' carriers by their catalog name in ``lang`` (the id only for one it lost)."""
        return carrier_names(self._catalog.get, lang)

    def carrier_name(self, pid: str, variant: str | None, lang: str) -> str:
        """One carrier's name in ``lang``, for what is not a stored line yet (an import preview)."""
        return carrier_name(self._catalog.get(pid), pid, variant, lang)

    def resolve_provider(self, name: str) -> str:
        """The catalog id of a provider as typed, or an explanation with a suggestion."""
        return self.resolve_provider_variant(name)[0]

    def resolve_provider_variant(self, name: str) -> tuple[str, str | None]:
        """``celcom`` -> (``celcomdigi``, ``celcom``); ``hotlink/starter`` -> (``hotlink``,
        ``starter``); ``axis`` -> (``axis``, None). Unknown names raise with a suggestion."""
        if len(name) > MAX_PROVIDER_LENGTH:
            raise c.CommandError("error.provider_too_long", max=MAX_PROVIDER_LENGTH, n=MAX_PROVIDER_LENGTH)
        found = self._catalog.resolve(name)
        if found is not None:
            return found[0].id, found[1].id if found[1] else None
        if "/" in name:
            head, _, tail = name.partition("/")
            base = self._catalog.get(head)
            if base is not None:
                return base.id, self.resolve_variant(base, tail)
        suggestion = self._catalog.suggest(name)
        if suggestion:
            raise c.CommandError("error.unknown_provider", name=name[:40], suggestion=suggestion)
        raise c.CommandError("error.unknown_provider_plain", name=name[:40])

    def resolve_variant(self, provider: Provider, text_: str) -> str | None:
        """``plan starter`` -> ``starter``; ``unknown`` / ``?`` clears it (only general facts shown)."""
        if text_.strip().casefold() in UNKNOWN_VARIANT:
            return None
        if not provider.variants:
            # "Plans: -" said nothing: this provider's rules are the same for every plan.
            raise c.CommandError("error.no_variants", name=provider.name)
        found = provider.variant_for(text_)
        if found is None:
            raise c.CommandError(
                "error.unknown_variant", name=provider.name, value=text_[:30],
                variants=", ".join(v.id for v in provider.variants) or "-",
            )
        return found.id

    def check_label(self, label: str) -> None:
        if len(label) > self._max_label:
            raise c.CommandError("error.label_too_long", max=self._max_label,
                                 n=self._max_label)

    def resolve_timezone(self, name: str) -> str | None:
        """An IANA zone name, matched case-insensitively; regional abbreviations (WIB, MYT) too, and
        the place people name instead: its city ("Jakarta", "Kuala Lumpur", "台北") or a country
        with one zone ("Vietnam"); and a whole-hour offset ("UTC+8", "GMT+7")."""
        key = " ".join(name.split()).lower()
        abbr = c.TZ_ABBREVIATIONS.get(key) or TZ_PLACES.get(key) or offset_zone(key)
        if abbr:
            return abbr
        if self._tz_names is None:
            # "localtime" is the server's own zone and "Factory" no zone at all: not for users.
            names = sorted(n for n in available_timezones() if n not in {"localtime", "posixrules", "Factory"})
            self._tz_names = {n.lower(): n for n in names}
            # The city part of Area/City; where two areas share a city name, the Asian zone wins.
            for n in sorted(names, key=lambda n: n.startswith("Asia/")):
                if "/" in n and not n.startswith(("Etc/", "SystemV/")):
                    self._tz_cities[n.rsplit("/", 1)[-1].replace("_", " ").lower()] = n
        city = self._tz_cities.get(key.replace("_", " ")) if "/" not in key else None
        found = city or self._tz_names.get(key.replace(" ", "_"))  # "Singapore": Asia/Singapore, not the old link
        if found is None:
            return None
        try:
            ZoneInfo(found)
        except (ZoneInfoNotFoundError, ValueError):
            return None
        return found
