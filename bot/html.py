"""The one way HTML is built: templates whose values are escaped unless they are already HTML.

A leaf (it imports only markupsafe), below both :mod:`bot.i18n` and :mod:`bot.core`, which use it.

:class:`Html` is :class:`markupsafe.Markup` (a ``str`` that is known-safe HTML) escaping the way
the standard library does (``&quot;``, ``&#x27;``), so ``Html("<b>{}</b>").format(user_text)``
escapes ``user_text``, and ``Html(...)`` values pass through untouched. Every renderer (replies,
howto, scam verdicts, Matrix content) builds its HTML with it; :meth:`bot.i18n.Translator.html`
fills a translated template the same way.
"""
from __future__ import annotations

import functools
import html as _html
import string
from collections.abc import Iterable
from typing import Any, Self

from markupsafe import Markup

__all__ = ["Html", "esc", "join", "link", "value"]


class Html(Markup):
    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> Html:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(_html.escape(str(s), quote=True))

    def format(self, *args: Any, **kwargs: Any) -> Self:
        """As :meth:`markupsafe.Markup.format`, and the same result; a template whose fields are
        all plain (``{}``, ``{0}``, ``{name}``: no conversion, no format spec, no attribute or
        index) is filled by ``str.format`` with its values escaped first, instead of markupsafe's
        pure-Python formatter (about 40 % faster; every reply is made of such templates,
        bench/REPORT.md section 10). Checked against markupsafe in tests/unit/test_html.py."""
        if not _plain_fields(str(self)):
            return super().format(*args, **kwargs)
        return self.__class__(str.format(self, *map(_field, args), **{k: _field(v) for k, v in kwargs.items()}))


@functools.lru_cache(maxsize=4096)
def _plain_fields(template: str) -> bool:
    """Every replacement field of ``template`` is ``{}``, ``{0}`` or ``{name}``, bare."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return False  # let markupsafe raise what it raises
    return all(
        name is None or (not spec and conversion is None and (name == "" or name.isdigit() or name.isidentifier()))
        for _, name, spec, conversion in parsed
    )


def _field(value: object) -> str:
    """One value as markupsafe's formatter writes it with an empty format spec."""
    if hasattr(value, "__html_format__"):
        rv = value.__html_format__("")
    elif hasattr(value, "__html__"):
        rv = value.__html__()
    else:
        rv = format(value, "")
    return str(Html.escape(rv))


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
