"""Figures for operators: outbox depth and age, line and owner counts, pings sent and failed (SQLite)."""
from __future__ import annotations

from typing import Any

from bot.store.sqlite.connection import Base


class OpsFigures(Base):
    async def ops_figures(self, now_ms: int, *, sizes: bool = True) -> dict[str, Any]:
        """Outbox depth and oldest due instant (ms) per outbox (indexed: cheap at any size), and
        unless ``sizes`` is False, lines and owners with lines (a full count: not for every probe)."""
        p = await self._one(
            "SELECT COUNT(*) AS n, MIN(due) AS oldest FROM pings WHERE status = 'pending' AND due <= ?", (now_ms,)
        )
        r = await self._one(
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM replies "
            "WHERE status = 'pending' AND created_at <= ?",
            (now_ms,),
        )
        figures: dict[str, Any] = {"pings": (int(p["n"]), p["oldest"]), "replies": (int(r["n"]), r["oldest"])}
        if sizes:
            c = await self._one("SELECT COUNT(*) AS lines, COUNT(DISTINCT owner_id) AS owners FROM lines")
            figures.update(lines=int(c["lines"]), owners=int(c["owners"]))
        return figures

    async def ping_counts(self, since_ms: int, now_ms: int) -> tuple[int, int]:
        """(sent, failed) pings due in [since, now]: sent ones, and those that failed at least
        once (sent late after a retry, or still waiting)."""
        row = await self._one(
            "SELECT COUNT(CASE WHEN status = 'sent' THEN 1 END) AS sent, COUNT(CASE WHEN attempts > 0 THEN 1 END) AS failed "
            "FROM pings WHERE due >= ? AND due <= ?",
            (since_ms, now_ms),
        )
        return int(row["sent"]), int(row["failed"])
