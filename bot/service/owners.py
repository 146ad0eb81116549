"""An owner's settings as the bot applies them: what the owner set, else their profile's time zone
(m.tz), else the configured defaults; and the command prefix to show them where they are."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.config import BotConfig
from bot.core.model import OwnerSettings, is_user_id
from bot.store.base import OwnerReads, Tx

#: Key/value row holding a user's profile time zone (m.tz), as last read.
PROFILE_TZ_KEY = "profile_tz:"


class Owners:
    """Reads settings with their defaults; follows a user's profile time zone (``arm_all`` moves
    their pings when it changes)."""

    def __init__(self, bot: BotConfig, *, arm_all: Callable[[Tx, OwnerSettings, datetime], Awaitable[None]]) -> None:
        self._bot = bot
        self._arm_all = arm_all

    async def owner(self, tx: OwnerReads, owner_id: str) -> OwnerSettings:
        """The owner's settings with the configured defaults filled in."""
        b = self._bot
        s = await tx.get_owner(owner_id)
        tz, source = (s.timezone, "set") if s is not None and s.timezone else (b.default_timezone, "default")
        if source == "default" and is_user_id(owner_id):
            profile = await tx.get_kv(PROFILE_TZ_KEY + owner_id)
            if profile:
                tz, source = profile, "profile"
        if s is None:
            return OwnerSettings(
                owner_id=owner_id, timezone=tz, ping_time=b.default_time,
                lead_days=b.default_lead_days, language=b.default_language, timezone_source=source,
            )
        return OwnerSettings(
            owner_id=owner_id,
            timezone_source=source,
            timezone=tz,
            ping_time=s.ping_time or b.default_time,
            lead_days=s.lead_days if s.lead_days is not None else b.default_lead_days,
            language=s.language or b.default_language,
            language_set=s.language_set,
            room_id=s.room_id,
        )

    @staticmethod
    def profile_key(owner_id: str) -> str | None:
        """The key of the m.tz :meth:`owner` may read for this owner (a user: a room has none);
        the outbox reads them in bulk for a batch of pings."""
        return PROFILE_TZ_KEY + owner_id if is_user_id(owner_id) else None

    async def note_profile_timezone(self, tx: Tx, user_id: str, zone: str | None, now: datetime) -> bool:
        """The user's profile says ``zone`` (m.tz; None: not set). Remember it; if the user has
        not set a time zone with the bot, their pings move to it. True if it changed."""
        old = await tx.get_kv(PROFILE_TZ_KEY + user_id) or None
        if old == zone:
            return False
        await tx.set_kv(PROFILE_TZ_KEY + user_id, zone or "")
        owner = await self.owner(tx, user_id)
        if owner.timezone_source != "set":
            await self._arm_all(tx, owner, now)
        return True

    def prefix_hint(self, is_dm: bool) -> str:
        """The prefix to show in command examples: needed in group rooms only."""
        prefix = self._bot.command_prefix
        if is_dm:
            return ""
        return prefix + " " if prefix[-1].isalnum() else prefix
