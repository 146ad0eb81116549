"""The active instance's lease: one row in ``leader``, judged by the database's clock.

Several ``renewal-bot run`` processes share one PostgreSQL database; exactly one is active (it
syncs and sends), the others stand by. The active one renews its lease every ``lease / 5``; a
standby takes the lease once it has expired (the active one died: SIGKILL, power, network) or
was released (a clean stop). Renewing also extends the instance's claim lease (one row in
``claimants``), so a long burst keeps its outbox rows.

Times are the database's (``clock_timestamp()``), so the machines' clocks need not agree. The
active instance also keeps a local deadline (monotonic): when it cannot renew before the lease
would run out, it stops sending on its own, before any standby may take over.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from psycopg_pool import AsyncConnectionPool

log = logging.getLogger(__name__)

NAME = "default"
_NOW = "(extract(epoch from clock_timestamp()) * 1000)::bigint"


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds the lease, until when (database ms), since when, and how often it changed hands."""

    holder: str
    until_ms: int
    since_ms: int
    epoch: int
    now_ms: int  # the database's clock when this was read

    @property
    def expired(self) -> bool:
        return self.until_ms < self.now_ms

    @property
    def released(self) -> bool:
        return self.until_ms == 0


@dataclass(frozen=True, slots=True)
class Acquired:
    """The lease is ours. ``previous``: the instance that held it before (None: nobody, or us)."""

    previous: Holder | None
    epoch: int


class Lease:
    """``await lease.try_acquire()`` -> :class:`Acquired` or the current :class:`Holder`."""

    def __init__(self, pool: AsyncConnectionPool[Any], instance: str, lease_ms: int, name: str = NAME) -> None:
        self.pool = pool
        self.instance = instance
        self.lease_ms = lease_ms
        self.name = name

    async def current(self) -> Holder | None:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT holder, until_ms, since_ms, epoch, {_NOW} FROM leader WHERE name = %s", (self.name,)
            )
            row = await cur.fetchone()
        return None if row is None else Holder(row[0], int(row[1]), int(row[2]), int(row[3]), int(row[4]))

    async def try_acquire(self) -> Acquired | Holder:
        """Take the lease if it is free, expired or ours; else say who holds it."""
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                f"SELECT holder, until_ms, since_ms, epoch, {_NOW} FROM leader WHERE name = %s FOR UPDATE",
                (self.name,),
            )
            row = await cur.fetchone()
            if row is None:
                cur = await conn.execute(
                    f"INSERT INTO leader (name, holder, until_ms, since_ms) VALUES (%s, %s, {_NOW} + %s, {_NOW}) "
                    "ON CONFLICT (name) DO NOTHING RETURNING epoch",
                    (self.name, self.instance, self.lease_ms),
                )
                got = await cur.fetchone()
                if got is None:  # another instance inserted it first
                    held = await self.current()
                    assert held is not None
                    return held
                return Acquired(None, int(got[0]))
            held = Holder(row[0], int(row[1]), int(row[2]), int(row[3]), int(row[4]))
            if held.holder != self.instance and not held.expired:
                return held
            same = held.holder == self.instance
            epoch = held.epoch if same else held.epoch + 1
            await conn.execute(
                f"UPDATE leader SET holder = %s, until_ms = {_NOW} + %s, since_ms = "
                f"CASE WHEN %s THEN since_ms ELSE {_NOW} END, epoch = %s WHERE name = %s",
                (self.instance, self.lease_ms, same, epoch, self.name),
            )
            return Acquired(None if same else held, epoch)

    async def renew(self) -> Holder | None:
        """Extend our lease and our outbox claims; None when the lease is no longer ours (then the
        holder that took it over is in the log). Raises on database trouble."""
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                f"UPDATE leader SET until_ms = {_NOW} + %s WHERE name = %s AND holder = %s "
                f"RETURNING holder, until_ms, since_ms, epoch, {_NOW}",
                (self.lease_ms, self.name, self.instance),
            )
            row = await cur.fetchone()
            if row is None:
                return None
            held = Holder(row[0], int(row[1]), int(row[2]), int(row[3]), int(row[4]))
            # Our outbox claims hold as long as this lease (claimants, migration 008): one row,
            # never waiting on the outbox's row locks, the same cost at any number of lines.
            await conn.execute(
                "INSERT INTO claimants (name, until_ms) VALUES (%s, %s) ON CONFLICT (name) "
                "DO UPDATE SET until_ms = GREATEST(claimants.until_ms, excluded.until_ms)",
                (self.instance, held.until_ms),
            )
            return held

    async def release(self) -> None:
        """A clean stop: the lease ends now (``until_ms`` 0 says it was released, not lost), so a
        standby, or this instance started again, takes over at its next look."""
        async with self.pool.connection() as conn:
            await conn.execute(
                "UPDATE leader SET until_ms = 0 WHERE name = %s AND holder = %s", (self.name, self.instance),
            )
