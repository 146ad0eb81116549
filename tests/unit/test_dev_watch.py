"""Waiting on what a scripted user's sync shows (bot/dev/watch.py): woken by each sync, and failing
at once (not at its timeout) when the sync loop dies or the user is closed."""
from __future__ import annotations

import asyncio

import pytest

from bot.dev.watch import MatrixUserError, SyncWatch


async def test_a_waiter_wakes_when_a_sync_makes_its_check_true() -> None:
    watch, seen = SyncWatch("@a:x"), []
    waiter = asyncio.create_task(watch.wait(lambda: seen and seen[-1], 5, "for a message"))
    await asyncio.sleep(0)
    seen.append("hello")
    await watch.changed()
    assert await waiter == "hello"


async def test_a_dead_sync_loop_fails_every_waiter_at_once() -> None:
    watch = SyncWatch("@a:x")
    waiter = asyncio.create_task(watch.wait(lambda: False, 30, "for nothing"))
    await asyncio.sleep(0)
    await watch.failed(RuntimeError("HTTP 500"))
    with pytest.raises(MatrixUserError, match="died"):
        await asyncio.wait_for(waiter, 1)


async def test_a_timeout_names_the_user_and_what_was_awaited() -> None:
    watch = SyncWatch("@a:x")
    with pytest.raises(TimeoutError, match="@a:x: timed out after 0.01 s for an invite"):
        await watch.wait(lambda: None, 0.01, "for an invite")
    watch.closed = True
    with pytest.raises(MatrixUserError, match="closed"):
        await watch.wait(lambda: None, 1, "for anything")
