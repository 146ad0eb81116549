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

_KEY = 10  # a template line needs this many literal characters at its start to be indexed
_PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
_BULLET = re.compile(r"^\s*(?:[•\-*·]|\d{1,2}[.)])\s+")


def _line_pattern(line: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(line)
    body = r".{0,300}?".join(re.escape(p.replace("{{", "{").replace("}}", "}")) for p in parts)
    return re.compile(body + r"\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[re.Pattern[str]]], tuple[int, ...]]:
    """Template lines by their literal start (at most ``_KEY`` characters), and the start lengths."""
    from bot.i18n import available_languages, catalog

    index: dict[str, list[re.Pattern[str]]] = {}
    seen: set[str] = set()
    for lang in available_languages():
        for template in catalog(lang).values():
            for line in template.splitlines():
                line = _BULLET.sub("", line).strip()
                head = _PLACEHOLDER.split(line, 1)[0].replace("{{", "{").replace("}}", "}")
                if not line or line in seen or (len(head) < 3 and len(line) < 8):
                    continue
                seen.add(line)
                index.setdefault(head[:_KEY], []).append(_line_pattern(line))
    return index, tuple(sorted({len(k) for k in index}))


def is_own_text(text: str) -> bool:
    """True when every non-empty line of ``text`` is a line of one of the bot's templates."""
    index, sizes = _index()
    lines = [_BULLET.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or len(lines) > 200:
        return False
    for line in lines:
        if not any(p.match(line) for n in sizes for p in index.get(line[:n], ())):
            return False
    return True
