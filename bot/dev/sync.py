"""A scripted user's background sync: long-poll ``/sync``, record each response in
:class:`bot.dev.seen.Seen`, wake the waiters, and (with E2EE) do what nio's ``sync_forever``
does for keys after each response (:func:`bot.matrix.keys.keep_keys`, as the bot does)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import nio

from bot.dev.seen import Seen
from bot.dev.watch import MatrixUserError, SyncWatch
from bot.matrix.keys import keep_keys

log = logging.getLogger(__name__)


class SyncLoop:
    """One task that keeps ``seen`` up to date; three failed syncs in a row end it (and fail the
    waiters through ``watch``)."""

    def __init__(self, client: nio.AsyncClient, seen: Seen, watch: SyncWatch, *, timeout_ms: int,
                 encryption: bool) -> None:
        self._client, self._seen, self._watch = client, seen, watch
        self._timeout_ms, self._encryption = timeout_ms, encryption
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"sync {self._watch.user_id}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _run(self) -> None:
        failures = 0
        try:
            while True:
                resp = await self._client.sync(timeout=self._timeout_ms)
                if not isinstance(resp, nio.SyncResponse):
                    failures += 1
                    if failures >= 3:
                        raise MatrixUserError(f"sync failed for {self._watch.user_id}: {resp}")
                    await asyncio.sleep(0.5)
                    continue
                failures = 0
                self._seen.process(resp)
                await self._watch.changed()
                if self._encryption:
                    await keep_keys(self._client)
        except asyncio.CancelledError:
            raise
        except BaseException as e:  # surface in every waiter instead of hanging them
            log.exception("sync loop of %s died", self._watch.user_id)
            await self._watch.failed(e)
