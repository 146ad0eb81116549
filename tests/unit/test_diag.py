"""SIGUSR1's dump says where each task waits (code positions only)."""
from __future__ import annotations

import asyncio
import logging
import os
import signal

import pytest

from bot.diag import log_task_stacks, task_stacks


async def test_a_waiting_task_shows_where_it_waits(caplog: pytest.LogCaptureFixture) -> None:
    gate = asyncio.Event()

    async def stuck_somewhere_secret_free() -> None:
        await gate.wait()

    task = asyncio.ensure_future(stuck_somewhere_secret_free())
    task.set_name("the-stuck-one")
    await asyncio.sleep(0)
    line = next(x for x in task_stacks() if x.startswith("the-stuck-one:"))
    assert "stuck_somewhere_secret_free" in line
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, log_task_stacks)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.diag"):
            os.kill(os.getpid(), signal.SIGUSR1)
            await asyncio.sleep(0.05)
    finally:
        loop.remove_signal_handler(signal.SIGUSR1)
        gate.set()
        await task
    assert any("the-stuck-one" in r.getMessage() and "stuck_somewhere_secret_free" in r.getMessage()
               for r in caplog.records)
