"""Reading a user's profile time zone (bot/matrix/profile.py) from a real local HTTP server: a
homeserver that does not answer in time costs one FETCH_TIMEOUT, not one per command."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import nio
import pytest
from aiohttp import web

from bot.matrix import profile
from bot.matrix.profile import ProfileTimezones


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def slow_homeserver(unused_tcp_port: int) -> AsyncIterator[tuple[str, list[str]]]:
    hits: list[str] = []

    async def tz(request: web.Request) -> web.Response:
        hits.append(request.path)
        if request.match_info["user"] == "@slow:x":
            await asyncio.sleep(1)
        return web.json_response({"m.tz": "Asia/Jakarta"})

    app = web.Application()
    app.router.add_get("/_matrix/client/v3/profile/{user}/{field}", tz)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    yield f"http://127.0.0.1:{unused_tcp_port}", hits
    await runner.cleanup()


async def test_a_profile_is_read_once_an_hour(slow_homeserver: tuple[str, list[str]]) -> None:
    url, hits = slow_homeserver
    clock = Clock()
    zones = ProfileTimezones(nio.AsyncClient(url, "@bot:x"), clock=clock)
    assert await zones.get("@alice:x") == ("Asia/Jakarta", True)
    assert await zones.get("@alice:x") == ("Asia/Jakarta", False)
    assert len(hits) == 1
    clock.now += profile.FETCH_EVERY
    assert await zones.get("@alice:x") == ("Asia/Jakarta", True)
    assert len(hits) == 2


async def test_a_homeserver_that_times_out_is_not_asked_again_at_every_command(
    slow_homeserver: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, hits = slow_homeserver
    monkeypatch.setattr(profile, "FETCH_TIMEOUT", 0.2)
    clock = Clock()
    zones = ProfileTimezones(nio.AsyncClient(url, "@bot:x"), clock=clock)
    assert await zones.get("@slow:x") == (None, False)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(5):
        assert await zones.get("@slow:x") == (None, False)
    assert loop.time() - started < 0.1, "no command waits for the timeout again"
    assert len(hits) == 1
    clock.now += profile.RETRY_AFTER
    assert await zones.get("@slow:x") == (None, False)
    assert len(hits) == 2, "tried again after RETRY_AFTER"
