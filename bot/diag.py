"""``kill -USR1 <pid>``: where every asyncio task of the bot is waiting, in the log.

For a bot that runs but does nothing (no sends, no syncs): each task's coroutine stack says what
it awaits. Only code positions are logged, never values (no token, no message text).
"""
from __future__ import annotations

import asyncio
import logging
import os

log = logging.getLogger(__name__)


def task_stacks() -> list[str]:
    """One line per pending task: its name, then its frames innermost last (file:line function)."""
    lines = []
    for task in sorted(asyncio.all_tasks(), key=lambda t: t.get_name()):
        frames = task.get_stack(limit=12)
        where = " <- ".join(
            f"{_short(f.f_code.co_filename)}:{f.f_lineno} {f.f_code.co_name}" for f in reversed(frames)
        )
        lines.append(f"{task.get_name()}: {where or '(not started)'}")
    return lines


def log_task_stacks() -> None:
    """The SIGUSR1 handler."""
    stacks = task_stacks()
    log.warning("SIGUSR1: %d asyncio tasks, innermost frame first", len(stacks))
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
