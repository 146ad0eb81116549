"""Who may manage a group room's lines: the room's power levels decide.

Room version 12 (Synapse's default now) changed the rules: the room's creators (the sender of
``m.room.create`` and its ``additional_creators``) are not listed in ``power_levels.users`` and
outrank everyone. Older versions list the creator like anyone else.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping

#: Room versions whose creators have infinite power (MSC4289), and later ones.
_OLD_VERSIONS = {str(v) for v in range(1, 12)}


def creators_outrank(room_version: str | None) -> bool:
    """True for room version 12 and later (and unknown future versions)."""
    return room_version is not None and room_version not in _OLD_VERSIONS


def user_level(
    user_id: str,
    *,
    users: Mapping[str, int],
    users_default: int = 0,
    creators: Collection[str] = (),
    room_version: str | None = None,
) -> float:
    """The user's power level; ``inf`` for a creator where creators outrank everyone."""
    if user_id in creators and creators_outrank(room_version):
        return float("inf")
    return float(users.get(user_id, users_default))


def can_manage(
    user_id: str,
    *,
    required: int,
    users: Mapping[str, int],
    users_default: int = 0,
    creators: Collection[str] = (),
    room_version: str | None = None,
) -> bool:
    """May this user add, edit or remove the room's lines?"""
    level = user_level(
        user_id, users=users, users_default=users_default, creators=creators, room_version=room_version
    )
    return level >= required
