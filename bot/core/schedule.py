"""When a line is pinged: pure rules over dates, time zones and lead days.

A ping's identity is (line, expiry, offset); its due instant is the owner's ping time on the day
``expiry + offset`` in the owner's time zone. ``zoneinfo`` with ``fold=0`` makes a local time that
does not exist (spring forward) land after the gap, and an ambiguous one (fall back) on its first
occurrence.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.model import PlannedPing


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``tz``; a missing time moves forward."""
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone(tz))
    return local.astimezone(UTC)


def local_today(now: datetime, tz: str) -> date:
    """The owner's calendar date at the instant ``now``."""
    return now.astimezone(zone(tz)).date()


def days_left(expiry: date, today: date) -> int:
    """Days from ``today`` to ``expiry``: negative once expired."""
    return (expiry - today).days


def offsets(lead_days: Iterable[int], after_days: Iterable[int]) -> list[int]:
    """Day offsets relative to expiry, earliest first: lead 7,3,1,0 + after 1,3,7 -> -7..7."""
    return sorted({-int(d) for d in lead_days} | {int(d) for d in after_days})


def plan_pings(
    expiry: date,
    *,
    lead_days: Iterable[int],
    after_days: Iterable[int],
    tz: str,
    at: time,
    now: datetime,
) -> list[PlannedPing]:
    """Every ping still to come for a line expiring on ``expiry``, earliest first.

    Pings whose instant is already past (a line added 2 days before expiry has no 7-day ping) are
    left out: the reply to the command already tells the user where they stand.
    """
    planned = []
    for off in offsets(lead_days, after_days):
        try:
            day = expiry + timedelta(days=off)
        except OverflowError:
            continue
        due = local_instant(day, at, tz)
        if due > now:
            planned.append(PlannedPing(offset=off, due=due))
    return planned


def txn_id(line_id: int, expiry: date, offset: int, snooze: int = 0) -> str:
    """A ping's Matrix transaction ID, derived from its identity so a re-send is a no-op."""
    base = f"ping-{line_id}-{expiry.isoformat()}-{offset:+d}"
    return f"{base}-s{snooze}" if snooze else base


def backoff_seconds(attempt: int, *, base: float = 2.0, cap: float = 300.0, jitter: float = 0.0) -> float:
    """Exponential backoff for a failed send; ``jitter`` in [0, 1) spreads retries out."""
    # The exponent is bounded: 2 ** 1100 would overflow a float long before ``min`` could cap it.
    delay = min(cap, base * (2.0 ** min(max(0, attempt - 1), 64)))
    return delay * (1.0 + jitter * 0.5)
