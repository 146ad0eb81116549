"""Waiting for what a scripted user's sync shows: :class:`SyncWatch` is woken after every sync
(no polling) and fails every waiter at once if the sync loop dies or the user is closed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class MatrixUserError(RuntimeError):
    """A Matrix call failed (the nio error response is in the message), or the sync loop died."""


class SyncWatch:
    """Lets callers wait until a check on the synced state holds, re-checking after each sync."""

    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
        self._changed = asyncio.Condition()
        self._error: BaseException | None = None
        self.closed = False

    async def changed(self) -> None:
        """A sync was processed: re-run every waiter's check."""
        async with self._changed:
            self._changed.notify_all()

    async def failed(self, error: BaseException) -> None:
        """The sync loop died: every waiter raises instead of hanging until its timeout."""
        self._error = error
        await self.changed()

    async def wait(self, check: Callable[[], Any], timeout: float, what: str) -> Any:
        """Wait until ``check()`` returns something truthy; return it."""

        def ready() -> Any:
            if self._error is not None:
                raise MatrixUserError(f"sync loop of {self.user_id} died: {self._error!r}")
            if self.closed:
                raise MatrixUserError(f"{self.user_id} is closed")
            return check()

        async with self._changed:
            try:
                return await asyncio.wait_for(self._changed.wait_for(ready), timeout)
            except TimeoutError:
                raise TimeoutError(f"{self.user_id}: timed out after {timeout:g} s {what}") from None
