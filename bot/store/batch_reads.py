"""Seam (performance): the reads of rendering and re-arming a batch of pings, from bulk reads."""
from __future__ import annotations

from collections.abc import Callable

from bot.core.model import Line, PingRow
from bot.store.base import PingReads, StoredOwner, Tx


class BatchReads:
    """Seam (performance): the reads of rendering and re-arming a batch of pings, answered from
    the batch's lines and owners read in bulk (two queries for the whole batch instead of two per
    ping); anything else is read from the transaction. Justified by ``bench/burst.py``
    (bench/REPORT.md, "Profile" 1: CPU per ping 2.17 -> 1.63 ms with claims rendered in bulk).
    Without it, pass the transaction itself: it offers the same :class:`PingReads`."""

    def __init__(self, tx: PingReads, lines: dict[int, Line], line_ids: set[int],
                 owners: dict[str, StoredOwner], owner_ids: set[str]) -> None:
        self._tx = tx
        self._lines, self._line_ids = lines, line_ids
        self._owners, self._owner_ids = owners, owner_ids
        # Asked once per ping but the same for every ping of an owner or room in the batch (an
        # owner's m.tz, a group room's state): one read per batch each, not one per ping.
        self._kv: dict[str, str | None] = {}
        self._left: dict[str, bool] = {}

    @classmethod
    async def fetch(cls, tx: Tx, rows: list[PingRow],
                    owner_kv: Callable[[str], str | None] | None = None) -> BatchReads:
        """``owner_kv(owner_id)``: the key of a value read per owner while rendering (an owner's
        m.tz), read here in bulk for the batch's owners; None: that owner has none."""
        line_ids = {row.line_id for row in rows}
        lines = await tx.get_lines_by_ids(line_ids)
        owner_ids = {line.owner_id for line in lines.values()}
        known = cls(tx, lines, line_ids, await tx.get_owners(owner_ids), owner_ids)
        if owner_kv is not None:
            keys = {k for k in map(owner_kv, owner_ids) if k is not None}
            found = await tx.get_kvs(keys) if keys else {}
            known._kv.update({k: found.get(k) for k in keys})
        return known

    async def get_line_by_id(self, line_id: int) -> Line | None:
        if line_id in self._line_ids:
            return self._lines.get(line_id)
        return await self._tx.get_line_by_id(line_id)

    async def get_owner(self, owner_id: str) -> StoredOwner | None:
        if owner_id in self._owner_ids:
            return self._owners.get(owner_id)
        return await self._tx.get_owner(owner_id)

    async def room_is_left(self, room_id: str) -> bool:
        if room_id not in self._left:
            self._left[room_id] = await self._tx.room_is_left(room_id)
        return self._left[room_id]

    async def get_kv(self, key: str) -> str | None:
        if key not in self._kv:
            self._kv[key] = await self._tx.get_kv(key)
        return self._kv[key]
