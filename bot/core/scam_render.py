"""The scam guard's answer: the verdict, why, and the official channels to use instead.

Pure: a :class:`~bot.core.scam.Verdict` and a language in, ``(plain, html)`` out. Used for
``check <text>`` in a DM and for the single warning in a group room. Every interpolated value is
HTML-escaped. The wording avoids reproducing the scam it describes (each reason starts with
"Scam sign:"), so the bot never trips its own guard.
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.core.provider import Fact, Provider
from bot.core.howto import howto_command
from bot.core.scam import Verdict
from bot.i18n import Translator

_HOLE = "\x00"


def _link(value: str) -> str:
    if value.startswith(("https://", "http://")):
        return f'<a href="{escape(value, quote=True)}">{escape(value)}</a>'
    return escape(value)


def _channels(provider: Provider, t: Translator) -> tuple[str, str] | None:
    """A provider's app and website, as in the short howto; None when none is confirmed."""
    plain: list[str] = []
    html: list[str] = []
    if provider.apps:
        app = t("howto.short_app", value=_HOLE)
        plain.append(app.replace(_HOLE, provider.apps[0].value))
        html.append(escape(app).replace(_HOLE, escape(provider.apps[0].value)))
    if provider.websites:
        plain.append(provider.websites[0].value)
        html.append(_link(provider.websites[0].value))
    if not plain:
        return None
    return " · ".join(plain), " · ".join(html)


def _report_facts(providers: Sequence[Provider]) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for p in providers:
        if p.country_info is not None:
            for fact in p.country_info.report:
                seen.setdefault(fact.value, fact)
    return list(seen.values())


def render_verdict(
    verdict: Verdict, lang: str, *, providers: Sequence[Provider] = (), prefix: str = "",
) -> tuple[str, str]:
    """Plain text and HTML for a verdict.

    ``providers`` are the carriers the message mentions (``Catalog.mentioned``): their official
    channels and their country's reporting bodies are listed. ``prefix`` is the group-room command
    prefix used in the ``howto`` pointer.
    """
    t = Translator(lang)
    plain: list[str] = []
    html: list[str] = []

    def para(text: str, bold: bool = False) -> None:
        plain.append(text)
        html.append(f"<p><b>{escape(text)}</b></p>" if bold else f"<p>{escape(text)}</p>")

    def bullets(title: str, items: Sequence[tuple[str, str]]) -> None:
        plain.append(title)
        plain.extend(f"• {p}" for p, _ in items)
        html.append(f"<p>{escape(title)}</p><ul>" + "".join(f"<li>{h}</li>" for _, h in items) + "</ul>")

    reasons = [(t(f"scam.reason.{r}"), escape(t(f"scam.reason.{r}"))) for r in verdict.reasons]
    if verdict.is_scam:
        para(t("scam.verdict.scam"), bold=True)
        if reasons:
            bullets(t("scam.why"), reasons)
    elif reasons:
        para(t("scam.verdict.caution"))
        bullets(t("scam.signs"), reasons)
    else:
        para(t("scam.verdict.clean"))

    para(t("scam.never"))
    official = [(p, c) for p in providers if not p.is_other and (c := _channels(p, t))]
    if official:
        items = []
        for p, (cp, ch) in official:
            template = t("scam.official.provider", name=_HOLE + "n", channels=_HOLE + "c")
            items.append((template.replace(_HOLE + "n", p.name).replace(_HOLE + "c", cp),
                          escape(template).replace(_HOLE + "n", escape(p.name)).replace(_HOLE + "c", ch)))
        bullets(t("scam.official.intro"), items)
        commands = ", ".join(howto_command(p, prefix=prefix) for p, _ in official)
        para(t("scam.official.more", commands=commands))
    else:
        para(t("scam.official.generic"))
    report = _report_facts(providers)
    if report:
        values = [f.value for f in report]
        template = t("scam.report", channels=_HOLE)
        plain.append(template.replace(_HOLE, ", ".join(values)))
        html.append("<p>" + escape(template).replace(_HOLE, ", ".join(_link(v) for v in values)) + "</p>")
    return "\n".join(plain), "".join(html)
