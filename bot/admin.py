"""What the admin commands say: ``stats`` and ``catalog status``, for the users listed in
``[access] admins``, in a DM only (registry rows with ``admin=True``; handlers in
:mod:`bot.service.admin`). For anyone else, and in group rooms, these words are unknown
commands, so the bot does not even reveal that they exist.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from bot import __version__, metrics
from bot.core.render import Reply, join, text
from bot.i18n import Translator
from bot.store.base import Tx

#: Catalog facts older than this (days) are listed by ``catalog status``.
CATALOG_MAX_AGE_DAYS = 365
CATALOG_LIST = 15


def is_admin(user_id: str, admins: tuple[str, ...]) -> bool:
    """Admins are listed by exact Matrix user ID (no patterns: this is a privilege)."""
    return user_id in admins


def _duration(seconds: float) -> str:
    s = int(max(0, seconds))
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return (f"{d}d " if d else "") + f"{h:02d}:{m:02d}:{s:02d}"


def _ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


async def stats(tx: Tx, t: Translator, now: datetime) -> Reply:
    now_ms = _ms(now)
    figures = await tx.ops_figures(now_ms)
    sent_d, failed_d = await tx.ping_counts(_ms(now - timedelta(days=1)), now_ms)
    sent_w, failed_w = await tx.ping_counts(_ms(now - timedelta(days=7)), now_ms)
    oldest = [v for _, v in (figures["pings"], figures["replies"]) if v is not None]
    lines = [
        t("ops.stats.title", version=__version__, uptime=_duration(time.time() - metrics.STARTED)),
        t("ops.stats.owners", owners=figures["owners"], lines=figures["lines"]),
        t("ops.stats.day", sent=sent_d, failed=failed_d),
        t("ops.stats.week", sent=sent_w, failed=failed_w),
        t("ops.stats.outbox", pings=figures["pings"][0], replies=figures["replies"][0],
          oldest=_duration((now_ms - min(oldest)) / 1000) if oldest else "-"),
    ]
    return join([text(line) for line in lines])


def catalog_status(t: Translator, now: datetime, name: Callable[[str], str] = str) -> Reply:
    """Stale or broken catalog facts; ``name`` gives a provider id its name in the admin's
    language, shown with the id (the admin fixes the entry by its id)."""
    from bot.catalog.checks import check_catalog

    problems = check_catalog(CATALOG_MAX_AGE_DAYS, today=now.date())
    errors = [p for p in problems if p.severity == "error"]
    stale = [p for p in problems if p.severity == "warning"]
    out: list[str] = []
    if errors:
        out.append(t("ops.catalog.errors", count=len(errors)))
    if not stale:
        out.append(t("ops.catalog.ok", days=CATALOG_MAX_AGE_DAYS))
    else:
        out.append(t("ops.catalog.stale", count=len(stale), days=CATALOG_MAX_AGE_DAYS))
        out.extend(f"• {_named(p.provider, name)} {p.field}" for p in stale[:CATALOG_LIST])
        if len(stale) > CATALOG_LIST:
            out.append(t("ops.catalog.more", count=len(stale) - CATALOG_LIST))
    return join([text(line) for line in out])


def _named(pid: str, name: Callable[[str], str]) -> str:
    """``中国移动香港 [cmhk]``; a country or unknown id alone."""
    shown = name(pid)
    return f"{shown} [{pid}]" if shown != pid else pid
