"""A per-user command budget, so one user cannot keep the bot (and the homeserver) busy."""
from __future__ import annotations

from collections import OrderedDict


class CommandBudget:
    """A token bucket per key: ``per_minute`` commands, refilled continuously.

    Memory is bounded: the least recently seen keys are forgotten past ``max_keys``.
    """

    def __init__(self, per_minute: int, *, max_keys: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, key: str, now: float) -> bool:
        tokens, last = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return allowed
