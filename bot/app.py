"""The composition root: builds the store, the Matrix session, the router and the outbox, runs the
sync loop, and stops it all cleanly on SIGTERM.
"""
from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from nio import AsyncClient, SyncError, SyncResponse

from bot import metrics
from bot.config import Config, parse_listen
from bot.core import dates
from bot.dbtools import DB_FILE, DataDirLock
from bot.diag import describe, log_task_stacks
from bot.leadership import Leadership
from bot.matrix.events import EventRouter
from bot.matrix.identity import Status
from bot.matrix.keys import keep_keys
from bot.matrix.sender import send_event
from bot.matrix.session import HomeserverUnreachable, open_session, relogin
from bot.matrix.signing import check_identity, sign_this_device
from bot.matrix.sync import INTERRUPTED, sync_once
from bot.scheduler import Outbox, utcnow
from bot.service import Service
from bot.store.sqlite import Store, StoreError

log = logging.getLogger(__name__)

#: The longest pause between two failed syncs: once the homeserver is back, the bot notices
#: within this many seconds (and then retries the pings that waited on the network at once).
SYNC_RETRY_MAX = 8.0
LOGIN_RETRY_MAX = 60.0  # the first login waits at most this long between tries for a homeserver that does not answer
BURST_SYNC_PAUSE = 1.0
PURGE_EVERY = timedelta(hours=1)
#: Handled event IDs are kept long enough that a gap fetch after downtime still finds them.
HANDLED_KEEP = timedelta(days=30)


class App:
    def __init__(self, config: Config, *, clock: Any = utcnow) -> None:
        self.config = config
        self.clock = clock
        self.store: Store | None = None
        self.client: AsyncClient | None = None
        self.outbox: Outbox | None = None
        self.router: EventRouter | None = None
        self.identity: Status | None = None
        self._identity_check: asyncio.Task[None] | None = None
        self._relogged = False
        self.ready = asyncio.Event()
        self._last_purge: datetime | None = None
        self._stop = asyncio.Event()
        self.listener: Any = None  # bot.web.Listener when [http] listen is set
        self.service: Service | None = None
        self._lock: DataDirLock | None = None
        self.started_at = time.time()
        self.last_sync_ok: float | None = None  # time.monotonic() of the last successful sync
        self.sync_failures = 0  # failed syncs in a row
        self.last_sync_error = ""
        # Several instances on one PostgreSQL database: one active, the others standing by.
        self.role = "starting"
        self.multi_instance = False
        self.instance = ""  # this instance's name: its device ID
        self.leadership: Leadership | None = None
        self._halt = asyncio.Event()  # stop requested, or the lease lost
        self._heartbeat: asyncio.Task[None] | None = None
        self._lookup: Any = None  # bot.matrix.lookup.SentPings, with several instances

    def sync_age(self) -> float | None:
        """Seconds since the last successful sync (None before the first)."""
        return None if self.last_sync_ok is None else time.monotonic() - self.last_sync_ok

    def now_ms(self) -> int:
        return int(self.clock().timestamp() * 1000)

    async def start(self) -> None:
        """Open the database and the session; the sync loop starts in :meth:`run`."""
        data_dir = self.config.bot.data_dir
        check_data_dir(data_dir)
        self._lock = DataDirLock(data_dir)
        if not self._lock.acquire():
            raise StartupError(f"another renewal-bot is running on data dir {data_dir} ({self._lock.path} is locked)")
        self.store = await open_store(self.config)
        if self.config.http.listen:
            from bot.web import Listener

            host, port = parse_listen(self.config.http.listen)
            self.listener = Listener(self, host, port, stuck_after=self.config.http.outbox_stuck_seconds)
            if self.config.http.public_url:
                from bot.web_calendar import calendar_routes

                self.service = Service(self.config)
                self.listener.add_routes(calendar_routes(self))
            try:
                await self.listener.start()
            except OSError as exc:
                raise StartupError(f"[http] listen = {self.config.http.listen!r}: cannot listen: {exc.strerror}") from None
        # Load the date parser's data now, so the first user's command does not pay for it.
        await asyncio.to_thread(dates.warm_up)
        self.client = await self._open_session()
        self.identity = await sign_this_device(self.config, self.client)
        service = self.service or Service(self.config)
        self.service = service
        if self.identity is not None and self.identity.signed and self.identity.master_key:
            service.identity = (self.identity.master_key, self.client.device_id)
        client = self.client

        async def send(room_id: str, content: dict[str, Any], txn: str):  # type: ignore[no-untyped-def]
            return await send_event(client, room_id, content, txn)

        self.instance = client.device_id or "local"
        lease_ms = int(self.config.store.lease_seconds * 1000)
        find_sent = None
        if self.config.store.url:
            from bot.matrix.lookup import SentPings
            from bot.store.postgres.lease import Lease

            self.multi_instance = True
            lease = Lease(self.store.pool, self.instance, lease_ms)  # type: ignore[attr-defined]
            self.leadership = Leadership(lease, self.instance, self.config.store.lease_seconds,
                                         set_role=self._set_role)
            self._lookup = SentPings(client)
            find_sent = self._lookup.find
        metrics.INSTANCE.info({"instance": self.instance, "store": "postgresql" if self.multi_instance else "sqlite"})
        self.outbox = Outbox(
            self.store, service, send, sweep_seconds=self.config.bot.sweep_seconds, clock=self.clock,
            claimant=self.instance, lease_ms=lease_ms, find_sent=find_sent,
        )
        if self.multi_instance:
            self.store.listen(self.outbox.wake_hint)  # type: ignore[attr-defined]
        self.router = EventRouter(
            client, self.store, service, self.config, on_reply_queued=self.outbox.kick, clock=self.clock
        )
        self.outbox.private_room = self.router.private.private_room

    async def run(self) -> None:
        """Until :meth:`request_stop`: with one instance, sync; with several (PostgreSQL), stand
        by until this one holds the lease, then sync until it stops or loses the lease."""
        assert self.outbox
        if self.leadership is None:
            self._set_role("active")
            await self._sync_loop()
            return
        while not self._stop.is_set():
            if not await self.leadership.stand_by(self._stop):
                return
            if self._lookup is not None:
                self._lookup.clear()  # what another instance sent since we last looked counts
            self._heartbeat = asyncio.ensure_future(self.leadership.keep(self._lease_lost))
            try:
                await self._sync_loop()
            finally:
                self._heartbeat.cancel()
                self.outbox.fence()
            if self._stop.is_set():
                return
            self._halt.clear()
            self.ready.clear()

    def _set_role(self, role: str) -> None:
        self.role = role
        metrics.set_role(role)

    def _lease_lost(self) -> None:
        """Stop sending at once (the next holder may start soon) and leave the sync loop."""
        assert self.outbox is not None
        self.outbox.fence()
        self._halt.set()

    async def _sync_loop(self) -> None:
        assert self.client and self.store and self.router and self.outbox
        # Each instance keeps its own sync position: a sync token carries the device's to-device
        # position, and another device's token would make the homeserver drop this device's keys.
        sync_key = f"next_batch/{self.instance}" if self.multi_instance else "next_batch"
        async with self.store.read() as tx:
            since = await tx.get_kv(sync_key) or await tx.get_kv("next_batch")
        first = True
        failures = 0
        while not self._halt.is_set():
            # After a failure, ask without long-polling: a success then says at once that the
            # homeserver is back.
            # During a burst, no long-poll (see bot/matrix/sync.py); a burst that starts while one
            # is open interrupts it.
            burst = self.outbox.bursting and not first
            long_poll = not (first or failures or burst)
            resp = await sync_once(self.client, since, first=first, long_poll=long_poll, halt=self._halt,
                                   interrupt=self.outbox.burst if long_poll else None, burst=burst)
            if resp is None:  # stop requested
                break
            if resp is INTERRUPTED:
                continue
            if not isinstance(resp, SyncResponse):
                failures += 1
                self.sync_failures = failures
                self.last_sync_error = describe(resp)[:120]
                metrics.SYNCS.labels("error").inc()
                delay = min(SYNC_RETRY_MAX, 0.5 * 2 ** min(failures, 7)) * (0.5 + random.random() / 2)
                if isinstance(resp, SyncError) and resp.status_code == "M_UNKNOWN_TOKEN":
                    log.error("the homeserver no longer accepts the bot's access token: %s", resp.message)
                    if not await self._relogin():
                        raise SystemExit(3)
                    continue
                if isinstance(resp, SyncError) and resp.status_code == "M_LIMIT_EXCEEDED":
                    metrics.RATE_LIMITED.labels("sync").inc()
                    delay = max(delay, (getattr(resp, "retry_after_ms", None) or 0) / 1000)
                log.warning("sync failed (%s); retrying in %.1fs", describe(resp), delay)
                try:
                    await asyncio.wait_for(self._halt.wait(), delay)
                except TimeoutError:
                    pass
                continue
            self.last_sync_ok = time.monotonic()
            metrics.SYNCS.labels("ok").inc()
            if failures and not first:
                # The homeserver is back: what waited on the network goes now, not after its backoff.
                log.info("sync works again after %d failed attempts", failures)
                await self.outbox.connection_restored()
            failures = self.sync_failures = 0
            await self._e2ee_housekeeping()
            await self.router.handle_sync(resp)
            await self._maybe_purge()
            since = resp.next_batch
            async with self.store.tx() as tx:
                await tx.set_kv(sync_key, since)
            if first:
                first = False
                self.outbox.start()
                self.ready.set()
                if self.identity is not None and self.identity.signed and self.identity.requests == 0:
                    self._identity_check = asyncio.ensure_future(check_identity(self.config, self.client))
                log.info("renewal-bot ready as %s (device %s)", self.client.user_id, self.client.device_id)
            elif self.outbox.bursting:
                # Every ping we send would wake this sync at once with its own echo: during a
                # burst, sync once a second, so the homeserver spends its CPU on the pings.
                try:
                    await asyncio.wait_for(self._halt.wait(), BURST_SYNC_PAUSE)
                except TimeoutError:
                    pass

    async def _relogin(self) -> bool:
        """Once per process: a password login on the same device (never a new one)."""
        if self._relogged:
            return False
        self._relogged = True
        assert self.client is not None
        try:
            return await relogin(self.config, self.client)
        except Exception as exc:
            log.error("logging in again failed (%s)", describe(exc))
            return False

    async def _maybe_purge(self) -> None:
        """Hourly: delete what the retention rules say must go."""
        now = self.clock()
        if self._last_purge is not None and now - self._last_purge < PURGE_EVERY:
            return
        self._last_purge = now
        assert self.router and self.store
        try:
            await self.router.purge_left_rooms()
            async with self.store.tx() as tx:
                await tx.prune_handled(int((now - HANDLED_KEEP).timestamp() * 1000))
        except Exception:
            log.exception("purging old data failed; will retry")

    async def _e2ee_housekeeping(self) -> None:
        client = self.client
        assert client is not None
        if not client.olm:
            return
        try:
            await keep_keys(client)
        except Exception as exc:
            log.warning("encryption key maintenance failed (%s); will retry", describe(exc))

    async def _open_session(self) -> AsyncClient:
        """The bot's session. A homeserver that does not answer the first login is waited for, as
        a failing sync is (backoff up to a minute, a warning each time): at boot DNS or the
        homeserver may not be up yet, and exit 3 ("refused login") would keep a supervisor from
        restarting the bot. A stop request meanwhile stops it cleanly."""
        delay = 1.0
        while True:
            try:
                return await open_session(self.config)
            except HomeserverUnreachable as exc:
                log.warning("%s; trying again in %.0fs", exc, delay)
            try:
                await asyncio.wait_for(self._halt.wait(), delay)
            except TimeoutError:
                delay = min(LOGIN_RETRY_MAX, delay * 2)
                continue
            raise StoppedBeforeStart()

    def request_stop(self) -> None:
        self._stop.set()
        self._halt.set()

    async def close(self) -> None:
        if self.listener:
            await self.listener.stop()
        if self._identity_check is not None:
            self._identity_check.cancel()
        if self.outbox:
            await self.outbox.stop()
        if self.leadership is not None and self.role == "active" and self.store is not None:
            # A clean stop: a standby takes over at its next look, not after the lease runs out.
            try:
                async with self.store.tx() as tx:
                    await tx.release_claims(self.instance)
                await self.leadership.release()
            except Exception as exc:
                log.warning("could not release the lease (%s); a standby takes over when it expires", describe(exc))
        if self.client:
            await self.client.close()
        if self.store:
            await self.store.close()
        if self._lock:
            self._lock.release()


async def open_store(config: Config) -> Store:
    """PostgreSQL when ``[store] url`` is set (shared by every instance), else SQLite in data_dir."""
    if config.store.url:
        from bot.store.postgres import Store as PgStore

        try:
            conninfo = config.store.conninfo()
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        return await PgStore.open(conninfo, pool_size=config.store.pool_size)  # type: ignore[return-value]
    return await Store.open(config.bot.data_dir / DB_FILE)


class StoppedBeforeStart(Exception):
    """Stopped (SIGTERM) while waiting for the homeserver: a clean stop, exit 0."""


class StartupError(Exception):
    """The bot cannot start safely; one line for the operator (the CLI exits non-zero)."""


def check_data_dir(data_dir: Path) -> None:
    """The data dir exists (or can be made) and is writable: the database, its WAL and the
    session file are written there. Raises :class:`StartupError`."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StartupError(f"data dir {data_dir}: cannot create it: {exc.strerror}") from None
    probe = data_dir / f".write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StartupError(f"data dir {data_dir} is not writable: {exc.strerror}") from None


async def run_bot(config: Config) -> int:
    """Run until SIGTERM or SIGINT; returns the process exit code."""
    app = App(config)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, app.request_stop)
        except (NotImplementedError, RuntimeError):
            pass
    try:
        loop.add_signal_handler(signal.SIGUSR1, log_task_stacks)  # where is it stuck? (README)
    except (NotImplementedError, RuntimeError, AttributeError):
        pass
    try:
        try:
            await app.start()
        except StoreError as exc:
            raise StartupError(str(exc)) from None
        except StoppedBeforeStart:
            return 0
        await app.run()
    finally:
        await app.close()
        log.info("renewal-bot stopped")
    return 0
