"""Budgets that keep one user or room from keeping the bot (and the homeserver) busy, and the
bounded caches they use. Pure: the caller passes the time."""
from __future__ import annotations

from collections import OrderedDict, deque
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


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


class OncePer:
    """Say something at most once per ``seconds`` per key (the "slow down" warning).

    Memory is bounded: keys older than ``seconds`` are useless and go first; past ``max_keys``
    the least recently warned are forgotten.
    """

    def __init__(self, seconds: float, *, max_keys: int = 10_000) -> None:
        self.seconds = seconds
        self.max_keys = max_keys
        self._last: OrderedDict[str, float] = OrderedDict()

    def due(self, key: str, now: float) -> bool:
        """Whether ``key`` may be told now (then it is counted as told)."""
        last = self._last.get(key)
        if last is not None and now - last < self.seconds:
            return False
        self._last.pop(key, None)
        self._last[key] = now
        # Oldest first: drop what no longer matters, and anything past the bound.
        while len(self._last) > self.max_keys or now - next(iter(self._last.values())) >= self.seconds:
            self._last.popitem(last=False)
        return True


class RoomWarnings:
    """The scam guard's room-level budget: one warning a minute, ``per_hour`` an hour."""

    def __init__(self, per_hour: int, *, max_rooms: int = 10_000) -> None:
        self.per_hour = per_hour
        self.max_rooms = max_rooms
        self._sent: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, room_id: str, now: float) -> bool:
        sent = self._sent.pop(room_id, None) or deque()
        self._sent[room_id] = sent
        while len(self._sent) > self.max_rooms:
            self._sent.popitem(last=False)
        while sent and now - sent[0] > 3600:
            sent.popleft()
        if len(sent) >= self.per_hour or (sent and now - sent[-1] < 60):
            return False
        sent.append(now)
        return True


class Bounded(Generic[K, V]):
    """A mapping that keeps the ``max_size`` most recently stored or read entries."""

    def __init__(self, max_size: int = 10_000) -> None:
        self.max_size = max_size
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __setitem__(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.max_size:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)
