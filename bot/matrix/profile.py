"""The user's time zone from their Matrix profile (``m.tz``, MSC4175, spec v1.16).

Read once an hour per user at most, when they send a command in a DM; a slow or failing
homeserver never delays the answer by more than FETCH_TIMEOUT, and never breaks it. A read that
failed is not tried again for RETRY_AFTER: a homeserver that times out would otherwise delay every
command of that user by FETCH_TIMEOUT.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
from nio import AsyncClient

log = logging.getLogger(__name__)

#: The stable field first, then the unstable name servers used before spec v1.16.
FIELDS = ("m.tz", "us.cloke.msc4175.tz")
FETCH_EVERY = 3600.0
FETCH_TIMEOUT = 3.0
RETRY_AFTER = 300.0


def valid_zone(value: Any) -> str | None:
    """An IANA zone name we can use, else None (profiles hold whatever a client wrote)."""
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return value


class ProfileTimezones:
    """A cache of users' profile time zones in front of ``GET /profile/{user}/{field}``."""

    def __init__(self, client: AsyncClient, *, clock: Any = time.monotonic) -> None:
        self.client = client
        self.clock = clock
        self._cache: dict[str, tuple[float, str | None]] = {}

    async def get(self, user_id: str) -> tuple[str | None, bool]:
        """``(zone or None, fresh)``: ``fresh`` when it was fetched just now (then the caller
        compares it with what it stored); a cached answer is not fresh."""
        now = self.clock()
        cached = self._cache.get(user_id)
        if cached is not None and now - cached[0] < FETCH_EVERY:
            return cached[1], False
        try:
            zone = await asyncio.wait_for(self._fetch(user_id), FETCH_TIMEOUT)
        except Exception as exc:  # the answer goes on with what we know
            log.info("could not read the profile time zone of a user (%s)", type(exc).__name__)
            known = cached[1] if cached else None
            self._cache[user_id] = (now - FETCH_EVERY + RETRY_AFTER, known)  # next try in RETRY_AFTER
            return known, False
        self._cache[user_id] = (now, zone)
        return zone, True

    async def _fetch(self, user_id: str) -> str | None:
        session = self.client.client_session
        own = session is None or session.closed
        if own:
            session = aiohttp.ClientSession()
        try:
            for field in FIELDS:
                url = f"{self.client.homeserver}/_matrix/client/v3/profile/{quote(user_id, safe='')}/{quote(field, safe='')}"
                async with session.get(url, headers={"Authorization": f"Bearer {self.client.access_token}"}) as resp:
                    if resp.status != 200:
                        continue
                    data = await resp.json(content_type=None)
                zone = valid_zone(data.get(field)) if isinstance(data, dict) else None
                if zone:
                    return zone
            return None
        finally:
            if own:
                await session.close()
