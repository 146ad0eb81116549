"""A /sync the homeserver never answers is given up, so the sync loop carries on (and notices
the homeserver's return). A real nio client against a real HTTP server that hangs."""
from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from nio import AsyncClient, AsyncClientConfig, SyncResponse

from bot.matrix import sync


class HangingServer:
    """Answers /sync, except that the first ``hang`` requests get no answer at all."""

    def __init__(self, hang: int) -> None:
        self.hang = hang
        self.requests = 0
        self.url = ""
        self._never = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        if self.requests <= self.hang:
            await self._never.wait()
        return web.json_response({"next_batch": f"s{self.requests}"})


@pytest.fixture
async def server() -> AsyncIterator[HangingServer]:
    hs = HangingServer(hang=1)
    app = web.Application()
    app.router.add_get("/_matrix/client/v3/sync", hs.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    site = web.SockSite(runner, sock)
    await site.start()
    hs.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    yield hs
    hs._never.set()
    await runner.cleanup()


def _client(url: str) -> AsyncClient:
    # The bot's own settings for failures (bot/matrix/session.py): nio raises, the bot retries.
    client = AsyncClient(url, "@bot:x", config=AsyncClientConfig(max_timeouts=0, max_limit_exceeded=0,
                                                                 request_timeout=1))
    client.access_token = "token"
    client.user_id = "@bot:x"
    return client


async def test_nio_sets_no_timeout_on_a_sync_whose_timeout_is_0(server: HangingServer) -> None:
    """Why the limit is needed: even with request_timeout = 1 s, nio's quick sync waits on."""
    client = _client(server.url)
    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(client.sync(timeout=0, since="s0"), 2.5)
    finally:
        await client.close()


async def test_a_sync_that_gets_no_answer_is_given_up_and_the_next_one_works(
    server: HangingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync, "SYNC_MARGIN", 0.5)
    client = _client(server.url)
    halt = asyncio.Event()
    try:
        first = await asyncio.wait_for(sync.sync_once(client, "s0", first=False, long_poll=False, halt=halt), 5)
        assert isinstance(first, TimeoutError)
        second = await asyncio.wait_for(sync.sync_once(client, "s0", first=False, long_poll=False, halt=halt), 5)
        assert isinstance(second, SyncResponse) and second.next_batch == "s2"
    finally:
        await client.close()


async def test_a_stop_ends_a_sync_in_progress(server: HangingServer) -> None:
    client = _client(server.url)
    halt = asyncio.Event()
    try:
        asyncio.get_running_loop().call_later(0.2, halt.set)
        assert await asyncio.wait_for(sync.sync_once(client, "s0", first=True, long_poll=False, halt=halt), 5) is None
    finally:
        await client.close()


async def test_a_burst_interrupts_a_long_poll_in_progress(server: HangingServer) -> None:
    """bot/matrix/sync.py: a long-poll open when the outbox starts a burst is cancelled."""
    client = _client(server.url)
    halt, burst = asyncio.Event(), asyncio.Event()
    try:
        asyncio.get_running_loop().call_later(0.2, burst.set)
        got = await asyncio.wait_for(
            sync.sync_once(client, "s0", first=False, long_poll=True, halt=halt, interrupt=burst), 5)
        assert got is sync.INTERRUPTED
    finally:
        await client.close()
