"""Renewal instructions for a provider, as plain text and Matrix HTML, in the user's language.

Pure: takes a catalog :class:`Provider`, a language and optionally the line's plan/brand variant,
returns ``(plain, html)``. Only catalog facts are shown (each has a source), and only those that
apply to the line's variant (a Celcom line never sees Digi's ``*128#``); where a fact is missing the
text says so and points to the official app or website, never to a search or a third party. Fact
values (app names, URLs, codes) are not translated, except local names the catalog carries; dates
inside facts are formatted for the reader. A fact older than :data:`FACT_MAX_AGE_DAYS` is shown
with "check the official app" instead of as certain. HTML is built with :mod:`bot.html`
(every value escaped unless it already is HTML).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.dates import format_date
from bot.core.model import Line
from bot.core.provider import Fact, Provider
from bot.core.render import CarrierName
from bot.html import Html, esc, link
from bot.html import value as html_value
from bot.i18n import FALLBACK, Translator, gettext

#: A fact checked longer ago than this is shown as "check the official app" (same age as the
#: warning of ``catalog check``).
FACT_MAX_AGE_DAYS = 365


def reader_lang(lang: str, provider: Provider | None) -> str:
    """The language to render a provider's text in: a generic traditional-Chinese reader
    (``zh-Hant``) gets the variant of the line's country (Taiwan ``zh-TW``, Hong Kong/Macau
    ``zh-HK``), so words and hotlines match where the line is. Explicit choices are kept."""
    if lang == "zh-Hant" and provider is not None:
        country = provider.country_info
        if country is not None and country.zh_variant:
            return country.zh_variant
    return lang

_HOLE = "\x00"  # a probe: does a translation keep its {value}?


@dataclass(frozen=True, slots=True)
class _Line:
    plain: str
    html: str


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What every fact line needs: translator, the line's variant, today, the provider's name."""

    t: Translator
    variant: str | None
    today: date
    name: str

    @property
    def lang(self) -> str:
        return self.t.lang


def _fill(t: Translator, msgid: str, value: str, **params: object) -> _Line:
    """Translate ``msgid`` with ``{value}``; the HTML form escapes the template and the value."""
    line = _Line(t(msgid, value=value, **params), t.html(msgid, value=_value_html(value), **params))
    if _HOLE not in t(msgid, value=_HOLE, **params) and _HOLE in gettext(FALLBACK, msgid, value=_HOLE, **params):
        # A translation dropped the placeholder: keep the fact visible.
        line = _Line(f"{line.plain} {value}", Html("{} {}").format(Html(line.html), _value_html(value)))
    return line


def _text(t: Translator, msgid: str, **params: object) -> _Line:
    return _Line(t(msgid, **params), t.html(msgid, **params))


_value_html = html_value


_DEFAULT_MSGID = {"apps": "howto.app", "websites": "howto.website"}


def is_stale(fact: Fact, today: date) -> bool:
    """Whether a fact is past its check age and must not be stated as certain."""
    return (today - fact.checked).days > FACT_MAX_AGE_DAYS


def _fact(c: _Ctx, field: str, fact: Fact) -> _Line:
    msgid = fact.text or _DEFAULT_MSGID.get(field)
    value = fact.value_in(c.lang)
    if msgid is None:
        line = _Line(value, _value_html(value))
    else:
        on = format_date(fact.on, c.lang) if fact.on is not None else ""
        line = _fill(c.t, msgid, value, name=c.name, on=on)
    if is_stale(fact, c.today):
        mark = c.t("howto.stale", date=format_date(fact.checked, c.lang))
        line = _Line(f"{line.plain} {mark}", Html("{} <i>{}</i>").format(Html(line.html), mark))
    return line


def _facts(c: _Ctx, field: str, facts: Iterable[Fact]) -> list[_Line]:
    return [_fact(c, field, f) for f in facts if f.applies(c.variant)]


def country_label(provider: Provider, lang: str) -> str:
    """The provider's country in ``lang`` (falls back to the catalog's local or English name)."""
    t = Translator(lang)
    msgid = f"country.{provider.country}"
    label = t(msgid)
    if label == msgid:
        info = provider.country_info
        return info.display_name(lang) if info else provider.country
    return label


def provider_label(provider: Provider, lang: str, variant: str | None = None) -> str:
    """``Maxis Hotlink`` / ``中國移動香港``, plus the variant where the line has one."""
    name = provider.display_name(lang)
    v = provider.variant(variant)
    if v is not None and v.display_name(lang) != name:
        return f"{name} – {v.display_name(lang)}"
    return name


def carrier_names(lookup: Callable[[str], Provider | None], lang: str) -> CarrierName:
    """Names lines' carriers for a reader of ``lang`` (each in its country's wording, as
    :func:`reader_lang`), with the line's plan; ``lookup`` is the catalog's, returning None for an id
    it no longer knows: that one shows as the id, not as "Other", so the user can still tell it."""

    def name(line: Line) -> str:
        return carrier_name(lookup(line.provider), line.provider, line.variant, lang)

    return name


def carrier_name(provider: Provider | None, pid: str, variant: str | None, lang: str) -> str:
    """One carrier's name as :func:`carrier_names` gives it; ``pid`` stands in for a lost provider."""
    return provider_label(provider, reader_lang(lang, provider), variant) if provider is not None else pid


def _sections(provider: Provider, c: _Ctx) -> list[tuple[str, list[_Line]]]:
    t = c.t
    country = provider.country_info
    esim = provider.kind == "esim"
    apps = provider.facts_for("apps", c.variant)
    websites = provider.facts_for("websites", c.variant)
    topup = provider.facts_for("topup", c.variant)
    online = _facts(c, "apps", apps) + _facts(c, "websites", websites) + _facts(c, "topup", topup)
    if not (apps or websites):
        if provider.is_other:
            online.insert(0, _text(t, "howto.online_other"))
        elif esim:
            if not topup:
                online.insert(0, _text(t, "howto.topup_esim_unknown"))
        else:
            online.insert(0, _text(t, "howto.online_unknown", name=c.name))
    sections = [("howto.online", online)]
    if not esim:
        offline = _facts(c, "offline", provider.offline) or [_text(t, "howto.offline_unknown")]
        sections.append(("howto.offline", offline))
    check = _facts(c, "check_active", provider.check_active) or [_text(t, "howto.check_unknown")]
    sections.append(("howto.check", check))
    if esim:
        expiry = [_text(t, "howto.expiry_esim")]
    else:
        expiry = _facts(c, "grace", provider.grace) or [_text(t, "howto.expiry_unknown")]
    sections.append(("howto.expiry", expiry))
    notes = _facts(c, "notes", provider.notes)
    if country is not None:
        notes += _facts(c, "notes", country.notes)
    if notes:
        sections.append(("howto.notes", notes))
    support = provider.facts_for("support", c.variant)
    support_values = {f.value for f in support}
    report = _facts(c, "support", support)
    # A report channel that is also the support number (Telkomsel 188) is shown once.
    report += _facts(c, "report", (f for f in provider.report if f.value not in support_values))
    if country is not None:
        report += _facts(c, "report", country.report)
    if report:
        sections.append(("howto.report", report))
    return sections


def _sources(provider: Provider, variant: str | None = None) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for _, fact in provider.all_facts():
        if fact.applies(variant):
            seen.setdefault(fact.source, fact)
    if provider.country_info is not None:
        for fact in (*provider.country_info.report, *provider.country_info.notes):
            seen.setdefault(fact.source, fact)
    return list(seen.values())


def _official_domains(provider: Provider) -> frozenset[str]:
    country = provider.country_info
    return provider.official_domains() | (country.official_domains() if country else frozenset())


def _source_html(url: str, official: frozenset[str]) -> Html:
    host = _host(url)
    name = host.lower().split(":")[0]
    if any(name == d or name.endswith("." + d) for d in official):
        return link(url, host)
    return esc(host)


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0]


def _title(t: Translator, name: str, country: str, country_en: str = "") -> str:
    """"How to renew X (country)", without the country when the name already says it
    (``China Telecom (Macau)``, ``中國聯通（香港）``): a doubled country reads as a bug."""
    folded = name.casefold()
    if any(c and c.casefold() in folded for c in (country, country_en)):
        return t("howto.title_named", name=name)
    return t("howto.title", name=name, country=country)


def howto_full(
    provider: Provider, lang: str, variant: str | None = None, *, today: date | None = None,
) -> tuple[str, str]:
    """The full ``howto`` answer: online, offline, active period, after expiry, reports, warning.

    ``variant`` is the line's plan or brand (None: unknown, so plan-specific facts are left out
    and, where the provider has variants, the answer says which ones exist).
    """
    lang = reader_lang(lang, provider)
    t = Translator(lang)
    today = today or date.today()
    c = _Ctx(t, variant, today, provider.display_name(lang))
    if provider.is_other:
        title = t("howto.title_other")
    else:
        info = provider.country_info
        title = _title(t, provider_label(provider, lang, variant), country_label(provider, lang),
                       info.name if info else "")
    plain: list[str] = [title]
    html: list[Html] = [Html("<b>{}</b>").format(title)]
    if provider.variants and provider.variant(variant) is None:
        names = " / ".join(v.display_name(lang) for v in provider.variants)
        hint = t("howto.variant_hint", variants=names)
        plain.append(hint)
        html.append(Html("<p><i>{}</i></p>").format(hint))
    for msgid, lines in _sections(provider, c):
        heading = t(msgid)
        plain.append("")
        plain.append(heading)
        plain.extend(f"• {line.plain}" for line in lines)
        items = Html().join(Html("<li>{}</li>").format(Html(line.html)) for line in lines)
        html.append(Html("<p><b>{}</b></p><ul>{}</ul>").format(heading, items))
    warning = t("howto.scam_warning")
    plain += ["", warning]
    html.append(Html("<p><b>{}</b></p>").format(warning))
    sources = _sources(provider, variant)
    if sources:
        oldest = format_date(min(f.checked for f in sources), lang)
        hosts = ", ".join(dict.fromkeys(_host(f.source) for f in sources))
        plain += ["", t("howto.sources", date=oldest, sources=hosts)]
        # Only the provider's and its country's own pages are links: a news site named as a
        # source is not a channel to renew through, in a message that says "official only".
        official = _official_domains(provider)
        links = Html(", ").join(dict.fromkeys(_source_html(f.source, official) for f in sources))
        html.append(Html("<p><i>{}</i></p>").format(t.html("howto.sources", date=oldest, sources=links)))
    return "\n".join(plain), str(Html().join(html))


def _short_channels(provider: Provider, c: _Ctx) -> list[_Line]:
    """At most one app and one website: enough to act on from a ping."""
    out: list[_Line] = []
    apps = provider.facts_for("apps", c.variant)
    websites = provider.facts_for("websites", c.variant)
    topup = provider.facts_for("topup", c.variant)
    if apps:
        out.append(_fill(c.t, "howto.short_app", apps[0].value_in(c.lang)))
    if websites:
        value = websites[0].value
        out.append(_Line(value, _value_html(value)))
    if not out and topup:
        out.append(_fact(c, "topup", topup[0]))
    return out


def howto_command(provider: Provider, number: int | None = None, prefix: str = "") -> str:
    """The command that shows the full steps: ``howto 2`` for a line, else ``howto axis``."""
    return f"{prefix}howto {number if number is not None else provider.id}"


def howto_short(
    provider: Provider, lang: str, number: int | None = None, *, prefix: str = "",
    variant: str | None = None, today: date | None = None,
) -> tuple[str, str]:
    """2-4 lines for a ping: where to renew, one safety line, and the ``howto`` pointer.

    ``number`` is the user's line number (the pointer then says ``howto <n>``); ``prefix`` is the
    command prefix used in group rooms; ``variant`` the line's plan or brand.
    """
    lang = reader_lang(lang, provider)
    t = Translator(lang)
    c = _Ctx(t, variant, today or date.today(), provider.display_name(lang))
    lines: list[_Line] = []
    channels = _short_channels(provider, c)
    name = provider_label(provider, lang, variant)
    if provider.is_other:
        lines.append(_text(t, "howto.short_other"))
    elif provider.kind == "esim" and not channels:
        lines.append(_text(t, "howto.topup_esim_unknown"))
    elif channels:
        lines.append(_Line(
            t("howto.short_renew", name=name, channels=" · ".join(x.plain for x in channels)),
            t.html("howto.short_renew", name=name, channels=Html(" · ").join(Html(x.html) for x in channels)),
        ))
    else:
        lines.append(_text(t, "howto.short_unknown", name=name))
    lines.append(_text(t, "howto.short_warning"))
    command = howto_command(provider, number, prefix)
    lines.append(_text(t, "howto.pointer", command=command))
    return "\n".join(line.plain for line in lines), str(Html("<br>").join(Html(line.html) for line in lines))


def providers_text(providers: Sequence[Provider], lang: str, country: str | None = None) -> tuple[str, str]:
    """The ``providers [country]`` answer: one line per provider, plus the hint about ``other``."""
    t = Translator(lang)
    if country and providers:  # the country's name in the reader's language, not what was typed ("mo")
        country = country_label(providers[0], lang)
    title = t("providers.title", country=country) if country else t("providers.title_all")
    items = []
    for p in providers:
        item = t("providers.item", id=p.id, name=p.display_name(lang), kind=t(f"kind.{p.kind}"))
        if p.variants:
            item += " · " + " / ".join(v.display_name(lang) for v in p.variants)
        items.append(item)
    hint = t("providers.other_hint")
    plain = "\n".join([title, *(f"• {i}" for i in items), hint])
    html = Html("<p>{}</p><ul>{}</ul><p>{}</p>").format(
        title, Html().join(Html("<li>{}</li>").format(i) for i in items), hint)
    return plain, str(html)
