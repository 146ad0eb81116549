"""Recognising the bot's own texts, so that the guard never flags what the bot itself says.

Every text the bot sends comes from a message template (``bot/i18n/locales/*/*.po``). A message
whose every line matches a line of some template (placeholders match anything short) is the bot's
own, or a quotation of it: the scam guard then leaves the statistical model out and judges by its
rules alone, which are written never to flag the bot's warnings. Templates added by any feature
are covered without retraining. Lookups go by the first characters of a line, so the cost per
message is a dictionary lookup per line plus, rarely, one anchored regular expression.
"""
from __future__ import annotations

import re
from functools import lru_cache

_KEY = 10  # template lines are looked up by at most this many literal characters at their start
_MIN_LITERAL = 15  # a template line with fewer literal characters is not recognised (too little of it is ours)
_PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
_BULLET = re.compile(r"^\s*(?:[•\-*·]|\d{1,2}[.)])\s+")


def _line_pattern(line: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(line)
    body = r".{0,300}?".join(re.escape(p.replace("{{", "{").replace("}}", "}")) for p in parts)
    return re.compile(body + r"\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[tuple[re.Pattern[str], int, str]]], tuple[int, ...]]:
    """Template lines by their literal start (at most ``_KEY`` characters), and the start lengths."""
    from bot.i18n import available_languages, catalog

    index: dict[str, list[tuple[re.Pattern[str], int, str]]] = {}
    seen: set[str] = set()
    for lang in available_languages():
        for template in catalog(lang).values():
            for line in template.splitlines():
                line = _BULLET.sub("", line).strip()
                head = _PLACEHOLDER.split(line, 1)[0].replace("{{", "{").replace("}}", "}")
                literal = len(_PLACEHOLDER.sub("", line))
                if literal < _MIN_LITERAL or line in seen:
                    continue  # "{name}: {channels}" would match anyone's text
                seen.add(line)
                # A line that starts with a placeholder is tried only when its longest piece of own words
                # occurs in the line (a substring test, much cheaper than the pattern).
                pieces = [p.replace("{{", "{").replace("}}", "}") for p in _PLACEHOLDER.split(line)]
                index.setdefault(head[:_KEY], []).append((_line_pattern(line), literal, max(pieces, key=len)))
    return index, tuple(sorted({len(k) for k in index}))


def is_own_text(text: str) -> bool:
    """True when every non-empty line of ``text`` is a line of one of the bot's templates, the
    placeholders filling at most about as much as the template's own words."""
    index, sizes = _index()
    lines = [_BULLET.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or len(lines) > 200:
        return False
    for line in lines:
        if not any(len(line) <= 2 * literal + 80 and piece in line and p.match(line)
                   for n in sizes for p, literal, piece in index.get(line[:n], ())):
            return False
    return True
