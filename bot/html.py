"""The one way HTML is built: templates whose values are escaped unless they are already HTML.

A leaf (it imports only markupsafe), below both :mod:`bot.i18n` and :mod:`bot.core`, which use it.

:class:`Html` is :class:`markupsafe.Markup` (a ``str`` that is known-safe HTML) escaping the way
the standard library does (``&quot;``, ``&#x27;``), so ``Html("<b>{}</b>").format(user_text)``
escapes ``user_text``, and ``Html(...)`` values pass through untouched. Every renderer (replies,
howto, scam verdicts, Matrix content) builds its HTML with it; :meth:`bot.i18n.Translator.html`
fills a translated template the same way.
"""
from __future__ import annotations

import html as _html
from collections.abc import Iterable

from markupsafe import Markup

__all__ = ["Html", "esc", "join", "link", "value"]


class Html(Markup):
    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> Html:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(_html.escape(str(s), quote=True))


def esc(value: object) -> Html:
    """``value`` as HTML: escaped, unless it already is HTML."""
    return Html.escape(value)


def join(sep: str, parts: Iterable[object]) -> Html:
    """Parts joined by ``sep`` (HTML), each escaped unless it already is HTML."""
    return Html(sep).join(esc(p) for p in parts)


def link(url: str, text: object | None = None) -> Html:
    return Html('<a href="{}">{}</a>').format(url, url if text is None else text)


def value(text: str) -> Html:
    """A catalog value (app name, code, web address): a link when it is a web address."""
    return link(text) if text.startswith(("https://", "http://")) else esc(text)
