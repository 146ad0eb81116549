"""What a failed send means for the outbox: which metric counts it, and when the row is tried again.

Kept apart from the sending loop (bot/scheduler.py) because it is policy, not flow: a 429 waits
what the homeserver says, a network error at most NETWORK_RETRY_MAX seconds (the homeserver
coming back must not find pings parked for 15 minutes, issue 12), anything else backs off
exponentially up to 15 minutes.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from bot import metrics
from bot.core.schedule import backoff_seconds
from bot.matrix.sender import Failed
from bot.service import ms

#: After this many failures that the homeserver calls permanent, a reply is given up.
MAX_PERMANENT_FAILURES = 5
#: The longest wait before re-sending after a network error (a 429 waits what it is told).
NETWORK_RETRY_MAX = 20.0


def count_failure(counter: Any, failures: dict[int, str], row_id: int, result: Failed) -> None:
    """Count a failed send by its reason, and remember the reason for the row's retry."""
    why = metrics.failure_reason(result.reason)
    counter.labels(why).inc()
    if why == "rate_limited":
        metrics.RATE_LIMITED.labels("send").inc()
    failures[row_id] = why


def retry_at(result: Failed, attempts: int, now: datetime) -> int:
    """When (unix ms) a row that failed ``attempts + 1`` times is tried again."""
    if result.retry_after is not None:
        delay = result.retry_after
    else:
        delay = backoff_seconds(attempts + 1, base=2.0, cap=900.0, jitter=random.random())
        if metrics.failure_reason(result.reason) == "network":
            # A refused connection costs nothing to retry; a send that failed after the
            # homeserver came back (too late for connection_restored) must not wait 15 minutes.
            delay = min(delay, NETWORK_RETRY_MAX)
    return ms(now + timedelta(seconds=delay))
