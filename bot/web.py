"""The operator's HTTP listener (aiohttp): ``/metrics``, ``/healthz``, ``/readyz``.

Off unless ``[http] listen`` is set. It runs on the bot's own event loop, so ``/healthz`` answering
proves the loop is not blocked. Features add their own pages with :meth:`Listener.add_routes`
(for example calendar feeds): a route is an ``aiohttp.web.RouteDef``, as made by
``aiohttp.web.get(path, handler)``; routes must be added before :meth:`Listener.start`.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import metrics

if TYPE_CHECKING:
    from bot.store.base import Store

log = logging.getLogger(__name__)

#: Ready only if a sync succeeded within this many seconds.
SYNC_FRESH = 60.0
#: A database that does not answer ``SELECT 1`` within this many seconds is unreachable.
DB_TIMEOUT = 5.0


class Watched(Protocol):
    """What the listener reads of the running bot (:class:`bot.app.App` fits). A protocol, so
    that the listener does not import the application that starts it."""

    @property
    def client(self) -> Any: ...  # a nio client with ``logged_in``, or None before login
    @property
    def store(self) -> Store | None: ...
    @property
    def role(self) -> str: ...  # "starting", "active" or "standby"
    @property
    def multi_instance(self) -> bool: ...
    @property
    def sync_failures(self) -> int: ...
    @property
    def last_sync_error(self) -> str: ...
    def sync_age(self) -> float | None: ...
    def now_ms(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    reasons: tuple[str, ...]


async def readiness(app: Watched, *, stuck_after: float) -> Readiness:
    """Logged in, synced within the last minute, the database answers, the outbox is moving."""
    reasons: list[str] = []
    role = getattr(app, "role", "active")
    client = app.client
    if client is None or not client.logged_in:
        reasons.append("not logged in")
    sync_age = app.sync_age()
    if role == "standby":
        pass  # a standby does not sync (the active instance does); it is ready to take over
    elif sync_age is None:
        reasons.append("no successful sync yet")
    elif sync_age > SYNC_FRESH:
        reasons.append(f"last successful sync {sync_age:.0f}s ago")
    if role != "standby" and app.sync_failures >= 2:
        reasons.append(f"sync failing ({app.sync_failures} attempts in a row: {app.last_sync_error})")
    if app.store is None:
        reasons.append("database not open")
    else:
        try:
            async with asyncio.timeout(DB_TIMEOUT):
                async with app.store.read() as tx:
                    figures = await tx.ops_figures(app.now_ms(), sizes=False)
        except Exception as exc:
            reasons.append(f"database unreachable ({type(exc).__name__}: {exc})"[:200])
        else:
            for outbox in ("pings", "replies"):
                depth, oldest = figures[outbox]
                age = (app.now_ms() - oldest) / 1000 if oldest is not None else 0.0
                if depth and age > stuck_after:
                    reasons.append(f"{outbox} outbox stuck: {depth} due, the oldest for {age:.0f}s")
    return Readiness(not reasons, tuple(reasons))


class Listener:
    """The HTTP server. ``add_routes`` before ``start``; ``stop`` on shutdown."""

    def __init__(self, app: Watched, host: str, port: int, *, stuck_after: float = 900.0) -> None:
        self.bot = app
        self.host, self.port = host, port
        self.stuck_after = stuck_after
        self.web = web.Application()
        self.web.add_routes(
            [web.get("/metrics", self.metrics), web.get("/healthz", self.healthz), web.get("/readyz", self.readyz)]
        )
        self._runner: web.AppRunner | None = None

    def add_routes(self, routes: Iterable[web.AbstractRouteDef]) -> None:
        self.web.add_routes(list(routes))

    async def start(self) -> None:
        self._runner = web.AppRunner(self.web, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        log.info("HTTP listener on %s:%d (/metrics, /healthz, /readyz)", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(self, request: web.Request) -> web.Response:
        r = await readiness(self.bot, stuck_after=self.stuck_after)
        # Several instances (PostgreSQL): which one this is, on a line of its own.
        role = f"role: {self.bot.role}\n" if getattr(self.bot, "multi_instance", False) else ""
        if r.ready:
            return web.Response(text="ready\n" + role)
        return web.Response(status=503, text="not ready: " + "; ".join(r.reasons) + "\n" + role)

    async def metrics(self, request: web.Request) -> web.Response:
        age = self.bot.sync_age()
        metrics.SYNC_LAG.set(age if age is not None else float("nan"))
        if self.bot.store is not None:
            try:
                await metrics.refresh_db_gauges(self.bot.store, self.bot.now_ms())
            except Exception as exc:  # the other figures are still worth serving
                log.warning("reading the database figures for /metrics failed (%s)", type(exc).__name__)
        body = generate_latest(metrics.REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
