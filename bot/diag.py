"""``kill -USR1 <pid>``: where every asyncio task of the bot is waiting, in the log.

For a bot that runs but does nothing (no sends, no syncs): each task's coroutine stack says what
it awaits. Only code positions are logged, never values (no token, no message text).
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

log = logging.getLogger(__name__)


def where(task: asyncio.Task[Any]) -> str:
    """Where ``task`` waits: the chain of coroutines it awaits, innermost first (file:line
    function), then what the innermost one awaits (a future, a lock's waiter...)."""
    frames: list[str] = []
    awaited: Any = task.get_coro()
    while awaited is not None and len(frames) < 24:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None) or getattr(awaited, "ag_frame", None)
        if frame is None:
            break
        frames.append(f"{_short(frame.f_code.co_filename)}:{frame.f_lineno} {frame.f_code.co_name}")
        awaited = (getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
                   or getattr(awaited, "ag_await", None))
    if not frames:
        return "(not started)"
    tail = f" (awaiting {type(awaited).__name__})" if awaited is not None else ""
    return " <- ".join(reversed(frames)) + tail


def task_stacks() -> list[str]:
    """One line per pending task: its name, then where it waits."""
    return [f"{t.get_name()}: {where(t)}" for t in sorted(asyncio.all_tasks(), key=lambda t: t.get_name())]


def log_task_stacks(why: str = "SIGUSR1") -> None:
    """The SIGUSR1 handler (and the outbox's, for a round that does not end)."""
    stacks = task_stacks()
    log.warning("%s: %d asyncio tasks, innermost frame first", why, len(stacks))
    for line in stacks:
        log.warning("task %s", line)


def _short(path: str) -> str:
    """``bot/scheduler.py`` rather than the full path; other packages by their own name."""
    parts = path.split(os.sep)
    for anchor in ("bot", "site-packages"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[i + (anchor == "site-packages"):])
    return parts[-1]


def describe(obj: object) -> str:
    """An error or a failed response in one short line for the log: its type and message, never
    more than 200 characters."""
    msg = getattr(obj, "message", None) or str(obj)
    return f"{type(obj).__name__}: {msg}"[:200]
