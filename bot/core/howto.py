"""Renewal instructions for a provider, as plain text and Matrix HTML, in the user's language.

Pure: takes a catalog :class:`Provider` and a language, returns ``(plain, html)``. Only catalog
facts are shown (each has a source); where a fact is missing the text says so and points to the
official app or website, never to a search or a third party. Fact values (app names, URLs, codes)
are not translated; every interpolated value is HTML-escaped.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from bot.core.provider import Fact, Provider
from bot.i18n import Translator

_HOLE = "\x00"  # where the value goes in a translated template


@dataclass(frozen=True, slots=True)
class _Line:
    plain: str
    html: str


def _fill(t: Translator, msgid: str, value: str) -> _Line:
    """Translate ``msgid`` with ``{value}``; the HTML form escapes the template and the value."""
    template = t(msgid, value=_HOLE)
    if _HOLE not in template:  # a translation dropped the placeholder: keep the fact visible
        template = f"{template} {_HOLE}"
    return _Line(template.replace(_HOLE, value), escape(template).replace(_HOLE, _value_html(value)))


def _text(t: Translator, msgid: str, **params: object) -> _Line:
    plain = t(msgid, **params)
    return _Line(plain, escape(plain))


def _value_html(value: str) -> str:
    if value.startswith(("https://", "http://")):
        return f'<a href="{escape(value, quote=True)}">{escape(value)}</a>'
    return escape(value)


_DEFAULT_MSGID = {"apps": "howto.app", "websites": "howto.website"}


def _fact(t: Translator, field: str, fact: Fact) -> _Line:
    msgid = fact.text or _DEFAULT_MSGID.get(field)
    if msgid is None:
        return _Line(fact.value, _value_html(fact.value))
    return _fill(t, msgid, fact.value)


def _facts(t: Translator, field: str, facts: Iterable[Fact]) -> list[_Line]:
    return [_fact(t, field, f) for f in facts]


def country_label(provider: Provider, lang: str) -> str:
    """The provider's country in ``lang`` (falls back to the catalog's English name)."""
    t = Translator(lang)
    msgid = f"country.{provider.country}"
    label = t(msgid)
    if label == msgid:
        info = provider.country_info
        return info.name if info else provider.country
    return label


def _sections(provider: Provider, t: Translator) -> list[tuple[str, list[_Line]]]:
    country = provider.country_info
    esim = provider.kind == "esim"
    online = _facts(t, "apps", provider.apps) + _facts(t, "websites", provider.websites)
    online += _facts(t, "topup", provider.topup)
    if not (provider.apps or provider.websites):
        if provider.is_other:
            online.insert(0, _text(t, "howto.online_other"))
        elif esim:
            if not provider.topup:
                online.insert(0, _text(t, "howto.topup_esim_unknown"))
        else:
            online.insert(0, _text(t, "howto.online_unknown", name=provider.name))
    sections = [("howto.online", online)]
    if not esim:
        offline = _facts(t, "offline", provider.offline) or [_text(t, "howto.offline_unknown")]
        sections.append(("howto.offline", offline))
    check = _facts(t, "check_active", provider.check_active) or [_text(t, "howto.check_unknown")]
    sections.append(("howto.check", check))
    if esim:
        expiry = [_text(t, "howto.expiry_esim")]
    else:
        expiry = _facts(t, "grace", provider.grace) or [_text(t, "howto.expiry_unknown")]
    sections.append(("howto.expiry", expiry))
    notes = _facts(t, "notes", provider.notes)
    if country is not None:
        notes += _facts(t, "notes", country.notes)
    if notes:
        sections.append(("howto.notes", notes))
    support_values = {f.value for f in provider.support}
    report = _facts(t, "support", provider.support)
    # A report channel that is also the support number (Telkomsel 188) is shown once.
    report += _facts(t, "report", (f for f in provider.report if f.value not in support_values))
    if country is not None:
        report += _facts(t, "report", country.report)
    if report:
        sections.append(("howto.report", report))
    return sections


def _sources(provider: Provider) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for _, fact in provider.all_facts():
        seen.setdefault(fact.source, fact)
    if provider.country_info is not None:
        for fact in (*provider.country_info.report, *provider.country_info.notes):
            seen.setdefault(fact.source, fact)
    return list(seen.values())


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0]


def howto_full(provider: Provider, lang: str) -> tuple[str, str]:
    """The full ``howto`` answer: online, offline, active period, after expiry, reports, warning."""
    t = Translator(lang)
    if provider.is_other:
        title = t("howto.title_other")
    else:
        title = t("howto.title", name=provider.name, country=country_label(provider, lang))
    plain: list[str] = [title]
    html: list[str] = [f"<b>{escape(title)}</b>"]
    for msgid, lines in _sections(provider, t):
        heading = t(msgid)
        plain.append("")
        plain.append(heading)
        plain.extend(f"• {line.plain}" for line in lines)
        items = "".join(f"<li>{line.html}</li>" for line in lines)
        html.append(f"<p><b>{escape(heading)}</b></p><ul>{items}</ul>")
    warning = t("howto.scam_warning")
    plain += ["", warning]
    html.append(f"<p><b>{escape(warning)}</b></p>")
    sources = _sources(provider)
    if sources:
        oldest = min(f.checked for f in sources).isoformat()
        hosts = ", ".join(dict.fromkeys(_host(f.source) for f in sources))
        plain += ["", t("howto.sources", date=oldest, sources=hosts)]
        links = ", ".join(f'<a href="{escape(f.source, quote=True)}">{escape(_host(f.source))}</a>'
                          for f in sources)
        template = escape(t("howto.sources", date=oldest, sources=_HOLE))
        html.append(f"<p><i>{template.replace(_HOLE, links)}</i></p>")
    return "\n".join(plain), "".join(html)


def _short_channels(provider: Provider, t: Translator) -> list[_Line]:
    """At most one app and one website: enough to act on from a ping."""
    out: list[_Line] = []
    if provider.apps:
        out.append(_fill(t, "howto.short_app", provider.apps[0].value))
    if provider.websites:
        value = provider.websites[0].value
        out.append(_Line(value, _value_html(value)))
    if not out and provider.topup:
        out.append(_fact(t, "topup", provider.topup[0]))
    return out


def howto_command(provider: Provider, number: int | None = None, prefix: str = "") -> str:
    """The command that shows the full steps: ``howto 2`` for a line, else ``howto axis``."""
    return f"{prefix}howto {number if number is not None else provider.id}"


def howto_short(
    provider: Provider, lang: str, number: int | None = None, *, prefix: str = "",
) -> tuple[str, str]:
    """2-4 lines for a ping: where to renew, one safety line, and the ``howto`` pointer.

    ``number`` is the user's line number (the pointer then says ``howto <n>``); ``prefix`` is the
    command prefix used in group rooms.
    """
    t = Translator(lang)
    lines: list[_Line] = []
    channels = _short_channels(provider, t)
    if provider.is_other:
        lines.append(_text(t, "howto.short_other"))
    elif provider.kind == "esim" and not (provider.apps or provider.websites):
        lines.append(_text(t, "howto.topup_esim_unknown"))
    elif channels:
        template = t("howto.short_renew", name=_HOLE + "n", channels=_HOLE + "c")
        plain = template.replace(_HOLE + "n", provider.name).replace(
            _HOLE + "c", " · ".join(c.plain for c in channels))
        html = escape(template).replace(_HOLE + "n", escape(provider.name)).replace(
            _HOLE + "c", " · ".join(c.html for c in channels))
        lines.append(_Line(plain, html))
    else:
        lines.append(_text(t, "howto.short_unknown", name=provider.name))
    lines.append(_text(t, "howto.short_warning"))
    command = howto_command(provider, number, prefix)
    lines.append(_text(t, "howto.pointer", command=command))
    return "\n".join(line.plain for line in lines), "<br>".join(line.html for line in lines)


def providers_text(providers: Sequence[Provider], lang: str, country: str | None = None) -> tuple[str, str]:
    """The ``providers [country]`` answer: one line per provider, plus the hint about ``other``."""
    t = Translator(lang)
    title = t("providers.title", country=country) if country else t("providers.title_all")
    items = [t("providers.item", id=p.id, name=p.name, kind=t(f"kind.{p.kind}")) for p in providers]
    hint = t("providers.other_hint")
    plain = "\n".join([title, *(f"• {i}" for i in items), hint])
    html = (f"<p>{escape(title)}</p><ul>" + "".join(f"<li>{escape(i)}</li>" for i in items)
            + f"</ul><p>{escape(hint)}</p>")
    return plain, html
