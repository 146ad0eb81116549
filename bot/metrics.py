"""Prometheus metrics: what an operator watches (served by :mod:`bot.web` at ``/metrics``).

The metric objects live at module level on a registry of their own, so any module can count
without being handed anything, and tests can read them. Counting costs a lock and an addition
(about a microsecond); nothing here touches the database on the ping path. Figures that come from
the database (outbox depth, oldest due row, lines, owners) are read when ``/metrics`` is scraped,
at most once every :data:`DB_GAUGES_EVERY` seconds (:func:`refresh_db_gauges`).
"""
from __future__ import annotations

import functools
import platform
import time
from typing import TYPE_CHECKING, TypeVar

import prometheus_client
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
)

from bot import __version__

if TYPE_CHECKING:
    from bot.store.base import Store

# No "_created" series: a quarter less text per scrape, and nothing a dashboard uses.
prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)

_P = "renewal_bot_"

BUILD = Info(_P + "build", "The running version.", registry=REGISTRY)
BUILD.info({"version": __version__, "python": platform.python_version()})

PINGS_SENT = Counter(_P + "pings_sent", "Pings the homeserver accepted.", registry=REGISTRY)
PINGS_FAILED = Counter(
    _P + "pings_failed", "Ping send attempts that failed (each is retried), by reason.",
    ["reason"], registry=REGISTRY,
)
PINGS_RETRIED = Counter(
    _P + "pings_retried", "Send attempts of a ping that had failed before, by the reason of its last failure.",
    ["reason"], registry=REGISTRY,
)
PINGS_DROPPED = Counter(
    _P + "pings_dropped", "Due pings not sent because their line was removed or silenced.", registry=REGISTRY
)
PING_LATENESS = Histogram(
    _P + "ping_lateness_seconds", "From a ping's due instant to the homeserver accepting it.",
    buckets=(0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 86400),
    registry=REGISTRY,
)
REPLIES_SENT = Counter(_P + "replies_sent", "Command replies the homeserver accepted.", registry=REGISTRY)
REPLIES_FAILED = Counter(
    _P + "replies_failed", "Reply send attempts that failed, by reason.", ["reason"], registry=REGISTRY
)
RATE_LIMITED = Counter(
    _P + "rate_limited", "429 (M_LIMIT_EXCEEDED) answers from the homeserver, by request.",
    ["request"], registry=REGISTRY,
)
COMMANDS = Counter(
    _P + "commands", "Commands handled, by command and the owner's language.",
    ["command", "language"], registry=REGISTRY,
)
COMMAND_SECONDS = Histogram(
    _P + "command_seconds", "From a command's arrival in a sync to its reply being queued, by command.",
    ["command"], buckets=(0.01, 0.05, 0.1, 0.25, 1, 5), registry=REGISTRY,
)
SCAM_WARNINGS = Counter(
    _P + "scam_warnings", "Scam warnings the bot sent to group rooms.", registry=REGISTRY
)
SCAM_WARNINGS_WITHDRAWN = Counter(
    _P + "scam_warnings_withdrawn", "Scam warnings a moderator withdrew with !notscam (redacted).", registry=REGISTRY
)
DECRYPTION_FAILURES = Counter(
    _P + "decryption_failures", "Encrypted events the bot could not decrypt.", registry=REGISTRY
)
SYNCS = Counter(_P + "syncs", "Sync requests, by result (ok, error).", ["result"], registry=REGISTRY)
SYNC_LAG = Gauge(
    _P + "sync_lag_seconds", "Seconds since the last successful sync (NaN before the first).",
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    _P + "outbox_depth", "Rows due now and not yet sent, by outbox (pings, replies).", ["outbox"],
    registry=REGISTRY,
)
OUTBOX_OLDEST_DUE = Gauge(
    _P + "outbox_oldest_due_seconds", "Age of the oldest due, unsent row (0 when none), by outbox.",
    ["outbox"], registry=REGISTRY,
)
LINES = Gauge(_P + "lines", "Lines stored.", registry=REGISTRY)
OWNERS = Gauge(_P + "owners", "Owners (people and group rooms) with at least one line.", registry=REGISTRY)
PINGS_FOUND_SENT = Counter(
    _P + "pings_found_sent",
    "Pings taken over from another instance and found already in their room (not sent again).",
    registry=REGISTRY,
)
REPLIES_FOUND_SENT = Counter(
    _P + "replies_found_sent",
    "Replies taken over from another instance and found already in their room (not sent again).",
    registry=REGISTRY,
)
ROLE = Gauge(
    _P + "role", "1 for this instance's role (active, standby, starting); several instances share one "
    "PostgreSQL database, one active.", ["role"], registry=REGISTRY,
)
TAKEOVERS = Counter(
    _P + "takeovers", "Times this instance became active after another instance's lease expired.", registry=REGISTRY,
)
INSTANCE = Info(_P + "instance", "This instance: its device (the instance label) and its store.", registry=REGISTRY)
STARTED = time.time()
UP_SINCE = Gauge(_P + "start_time_seconds", "Unix time the bot started.", registry=REGISTRY)
UP_SINCE.set(STARTED)
SYNC_LAG.set(float("nan"))

#: The database-backed gauges are read at most this often (a scrape every second costs nothing).
DB_GAUGES_EVERY = 5.0
#: Lines and owners are a count over every line (milliseconds at 1,000 lines, seconds on PostgreSQL at
#: 10,000,000): they are re-read only after DB_SIZES_COST_FACTOR times as long as the last count
#: took, so the gauges cost the database at most about 1 % of its time, whatever its size.
DB_SIZES_COST_FACTOR = 100.0
_db_gauges_at = 0.0
_db_sizes_next = float("-inf")

for _role in ("active", "standby", "starting"):
    ROLE.labels(_role).set(1 if _role == "starting" else 0)


def set_role(role: str) -> None:
    for name in ("active", "standby", "starting"):
        ROLE.labels(name).set(1 if name == role else 0)


for _name in ("pings", "replies"):
    OUTBOX_DEPTH.labels(_name)
    OUTBOX_OLDEST_DUE.labels(_name)


_M = TypeVar("_M", Counter, Histogram)


@functools.lru_cache(maxsize=4096)
def child(metric: _M, *values: str) -> _M:
    """``metric.labels(*values)``, looked up once: ``labels()`` checks and locks at every call
    (about 5 µs; each command paid it twice, bench/REPORT.md section 10). The label values come
    from fixed sets (command names, languages), so the cache stays small."""
    return metric.labels(*values)


def failure_reason(reason: str) -> str:
    """A small, fixed set of label values from :class:`bot.matrix.sender.Failed` reasons (which
    carry free text): unbounded labels would grow the metrics without end."""
    r = reason.lower()
    if r.startswith("rate limited"):
        return "rate_limited"
    if r.startswith("network") or "connect" in r or "timeout" in r or "disconnect" in r:
        return "network"
    if r.startswith("local"):
        return "local"
    if r.startswith("m_forbidden"):
        return "forbidden"
    if r[:1] == "5" or r.startswith("m_unknown"):
        return "server"
    return "other"


async def refresh_db_gauges(store: Store, now_ms: int, *, force: bool = False) -> None:
    """Read the database-backed gauges: outbox depth and age at most every DB_GAUGES_EVERY seconds,
    lines and owners as often as their cost allows (DB_SIZES_COST_FACTOR)."""
    global _db_gauges_at, _db_sizes_next
    mono = time.monotonic()
    if not force and mono - _db_gauges_at < DB_GAUGES_EVERY:
        return
    _db_gauges_at = mono
    sizes = force or mono >= _db_sizes_next
    async with store.read() as tx:
        figures = await tx.ops_figures(now_ms, sizes=sizes)
    if sizes:
        _db_sizes_next = mono + DB_SIZES_COST_FACTOR * (time.monotonic() - mono)
    for outbox in ("pings", "replies"):
        depth, oldest = figures[outbox]
        OUTBOX_DEPTH.labels(outbox).set(depth)
        OUTBOX_OLDEST_DUE.labels(outbox).set(max(0.0, (now_ms - oldest) / 1000) if oldest is not None else 0.0)
    if sizes:
        LINES.set(figures["lines"])
        OWNERS.set(figures["owners"])
