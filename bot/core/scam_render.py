"""The scam guard's answer: the verdict, why, and the official channels to use instead.

Pure: a :class:`~bot.core.scam.Verdict` and a language in, ``(plain, html)`` out. Used for
``check <text>`` in a DM and for the single warning in a group room. HTML is built with
:mod:`bot.html` (every value escaped unless it already is HTML). The wording avoids reproducing the scam it describes (each reason starts with
"Scam sign:"), so the bot never trips its own guard.
"""
from __future__ import annotations

from collections.abc import Sequence

from bot.core.howto import howto_command, reader_lang
from bot.core.provider import Fact, Provider
from bot.core.scam import Verdict
from bot.html import Html
from bot.html import value as html_value
from bot.i18n import Translator


def _channels(provider: Provider, t: Translator) -> tuple[str, Html] | None:
    """A provider's app and website, as in the short howto; None when none is confirmed."""
    plain: list[str] = []
    html: list[Html] = []
    if provider.apps:
        plain.append(t("howto.short_app", value=provider.apps[0].value))
        html.append(t.html("howto.short_app", value=provider.apps[0].value))
    if provider.websites:
        plain.append(provider.websites[0].value)
        html.append(html_value(provider.websites[0].value))
    if not plain:
        return None
    return " · ".join(plain), Html(" · ").join(html)


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
    html: list[Html] = []

    def para(text: str, bold: bool = False) -> None:
        plain.append(text)
        html.append(Html("<p><b>{}</b></p>" if bold else "<p>{}</p>").format(text))

    def bullets(title: str, items: Sequence[tuple[str, Html]]) -> None:
        plain.append(title)
        plain.extend(f"• {p}" for p, _ in items)
        html.append(Html("<p>{}</p><ul>{}</ul>").format(title, Html().join(Html("<li>{}</li>").format(h) for _, h in items)))

    reasons = [(t(f"scam.reason.{r}"), t.html(f"scam.reason.{r}")) for r in verdict.reasons]
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
        items = [
            (t("scam.official.provider", name=n, channels=cp), t.html("scam.official.provider", name=n, channels=ch))
            for p, (cp, ch) in official
            for n in (p.display_name(reader_lang(lang, p)),)  # 中国移动香港, not its English name
        ]
        bullets(t("scam.official.intro"), items)
        commands = ", ".join(howto_command(p, prefix=prefix) for p, _ in official)
        para(t("scam.official.more", commands=commands))
    else:
        para(t("scam.official.generic", prefix=prefix))
    report = _report_facts(providers)
    if report:
        values = [f.value for f in report]
        plain.append(t("scam.report", channels=", ".join(values)))
        html.append(Html("<p>{}</p>").format(t.html("scam.report", channels=Html(", ").join(html_value(v) for v in values))))
    return "\n".join(plain), str(Html().join(html))
