"""A command addressed to the bot by a mention, as clients send it when you pick the bot in the
member list: Element writes a pill as the bot's name and a colon ("renewal-bot: list") and lists
the bot in ``m.mentions``. In a group room that is as clear as the ``!`` prefix."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_SEPARATOR = re.compile(r"^[:,：，]?\s+|^[:,：，]")


def unmention(body: str, content: Any, me: str, names: Iterable[str], prefix: str) -> str:
    """``body`` with a leading mention of the bot turned into the command prefix ("renewal-bot:
    list" -> "!list"); any other body as it is. Only an intentional mention counts (``me`` in
    ``m.mentions.user_ids``), so a message that merely starts with the bot's name is chatter."""
    mentions = content.get("m.mentions") if isinstance(content, dict) else None
    ids = mentions.get("user_ids") if isinstance(mentions, dict) else None
    if not isinstance(ids, list) or me not in ids:
        return body
    text = body.lstrip()
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        if text[: len(name)].casefold() == name.casefold():
            sep = _SEPARATOR.match(text[len(name):])
            if sep is None:
                continue
            rest = text[len(name) + sep.end():].lstrip()
            if not rest:
                return body
            return rest if rest.startswith(prefix) else prefix + rest
    return body


def names_of(me: str, display_name: str | None) -> list[str]:
    """What a pill for the bot may read: its display name, its user ID, its localpart, with "@"."""
    local = me.split(":", 1)[0]
    return [n for n in (display_name, me, local, local.lstrip("@")) if n]
