"""Calendar feeds on the HTTP listener: ``GET /calendar/<token>.ics``.

The links the bot hands out are ``[http] public_url`` + ``/calendar/<token>.ics``; a reverse proxy
maps ``public_url`` to the listener's root. The token is a 256-bit secret of which the store
keeps only a SHA-256: a wrong, old or malformed token gets the same 404 after the same work
(one indexed lookup and a constant-time comparison of hashes). The token never reaches a log:
the listener keeps no access log.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from aiohttp import web

from bot.service.data import calendar_owner, feed

if TYPE_CHECKING:
    from bot.service import Service
    from bot.store.base import Store


class Feeds(Protocol):
    """What the feed route reads of the running bot (:class:`bot.app.App` fits), without
    importing the application."""

    @property
    def store(self) -> Store | None: ...
    @property
    def service(self) -> Service | None: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...

HEADERS = {
    "Content-Type": "text/calendar; charset=utf-8",
    "Cache-Control": "private, max-age=300",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def calendar_routes(app: Feeds) -> list[web.RouteDef]:
    async def serve(request: web.Request) -> web.Response:
        store, svc = app.store, app.service
        if store is None or svc is None:
            return web.Response(status=503, text="starting\n")
        async with store.read() as tx:
            owner = await calendar_owner(tx, request.match_info["token"])
            body = await feed(svc, tx, owner, app.clock()) if owner is not None else None
        if body is None:
            return web.Response(status=404, text="not found\n")
        return web.Response(body=body, headers=HEADERS)

    return [web.get("/calendar/{token}.ics", serve)]
