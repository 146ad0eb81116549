"""Who may talk to the bot: glob patterns on Matrix user IDs."""
from __future__ import annotations

from fnmatch import fnmatchcase


def allowed(user_id: str, patterns: tuple[str, ...]) -> bool:
    """True when ``user_id`` matches one of the glob ``patterns`` (case-sensitive, like user IDs)."""
    return any(fnmatchcase(user_id, p) for p in patterns)
