"""The outbox's alarm clock (bot/alarm.py): APScheduler rings at the instant armed, a re-arm
replaces the alarm before it, and a ring that comes late still rings."""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.alarm import Alarm


async def test_the_alarm_rings_at_the_instant_it_was_armed_for() -> None:
    event = asyncio.Event()
    alarm = Alarm(event)
    try:
        start = time.monotonic()
        alarm.arm(0.3)
        await asyncio.wait_for(event.wait(), 5)
        assert 0.25 <= time.monotonic() - start < 2.0
        assert alarm.armed_at is None  # a date job rings once
    finally:
        alarm.shutdown()


async def test_a_new_arm_replaces_the_one_before() -> None:
    event = asyncio.Event()
    alarm = Alarm(event)
    try:
        alarm.arm(3600)
        first = alarm.armed_at
        alarm.arm(0.1)
        assert first is not None and alarm.armed_at is not None and alarm.armed_at < first
        await asyncio.wait_for(event.wait(), 5)
        event.clear()
        assert alarm.armed_at is None  # the hour-long alarm is gone, not waiting behind
        alarm.arm(3600)
        assert alarm.armed_at is not None
        assert alarm.armed_at > datetime.now(UTC) + timedelta(minutes=59)
    finally:
        alarm.shutdown()


async def test_an_alarm_armed_while_the_loop_is_busy_still_rings_when_it_is_free() -> None:
    """misfire_grace_time=None: a ring held up by a blocked event loop is late, never dropped."""
    event = asyncio.Event()
    alarm = Alarm(event)
    try:
        alarm.arm(0.05)
        time.sleep(1.2)  # the loop is blocked past the instant (beyond APScheduler's default grace of 1 s)
        await asyncio.wait_for(event.wait(), 5)
        assert event.is_set()
    finally:
        alarm.shutdown()


async def test_after_shutdown_nothing_rings_and_the_alarm_can_be_armed_again() -> None:
    event = asyncio.Event()
    alarm = Alarm(event)
    alarm.arm(0.1)
    alarm.shutdown()
    await asyncio.sleep(0.3)
    assert not event.is_set()
    alarm.arm(0.05)
    try:
        await asyncio.wait_for(event.wait(), 5)
    finally:
        alarm.shutdown()


async def test_the_alarm_leaves_nothing_in_the_operators_info_log(caplog: pytest.LogCaptureFixture) -> None:
    """The loop re-arms at every sleep: APScheduler's own INFO lines (added, removed, running,
    executed) would be most of the bot's log."""
    from bot.cli import setup_logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogger("apscheduler").level
    setup_logging("INFO")
    root.addHandler(caplog.handler)
    event = asyncio.Event()
    alarm = Alarm(event)
    try:
        alarm.arm(0.01)
        await asyncio.wait_for(event.wait(), 5)
    finally:
        alarm.shutdown()
        root.handlers[:], root.level = saved[0], saved[1]
        logging.getLogger("apscheduler").setLevel(saved[2])
    assert not [r for r in caplog.records if r.name.startswith("apscheduler") and r.levelno < logging.WARNING]
