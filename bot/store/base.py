"""The store port: what the service, the outbox and the Matrix adapter may ask of storage.

One :class:`typing.Protocol` per aggregate (owners, lines, pings, replies, rooms, handled events,
key/value); a transaction (:class:`Tx`) offers them all. Adapters implement it: SQLite in
:mod:`bot.store.sqlite`, PostgreSQL next to it. Nothing here is dialect-specific: times are unix
milliseconds, dates are :class:`datetime.date`, and a transaction is an async context manager::

    async with store.tx() as tx:      # one write transaction: committed on exit, rolled back on error
        line = await tx.get_line(owner_id, 3)
    async with store.read() as tx:    # reads only
        ...

Every query about lines is scoped to its owner. Deleting a line deletes its pings and renewals
(the schema says so: ``ON DELETE CASCADE``).
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Protocol

from bot.core.model import Line, PingRow, PlannedPing, Renewal

__all__ = [
    "HandledEvents", "KeyValue", "Lines", "OpsFigures", "OwnerReads", "Owners", "PingReads", "PingRow", "Pings", "Replies", "ReplyRow", "Rooms",
    "Store", "StoreError", "StoredOwner", "Tx", "Data", "PendingRow",
]


@dataclass(frozen=True, slots=True)
class StoredOwner:
    """An owner's row as stored: unset fields are None and take the configured defaults."""

    owner_id: str
    room_id: str | None
    timezone: str | None
    ping_time: time | None
    lead_days: tuple[int, ...] | None
    language: str | None
    language_set: bool


@dataclass(frozen=True, slots=True)
class ReplyRow:
    """A reply in the reply outbox, with the transaction ID it is sent under."""

    id: int
    txn_id: str
    room_id: str
    msgtype: str
    content: dict[str, Any]
    attempts: int
    created_at: int = 0  # unix ms: when the command that asked for it was handled
    #: Claimed before by another instance whose claim ran out: it may have sent the reply, so the
    #: sender looks in the room first (several instances; always False with SQLite).
    reclaimed: bool = False


class OwnerReads(Protocol):
    """Reading an owner's settings (what rendering needs; see :class:`PingReads`)."""

    async def get_owner(self, owner_id: str) -> StoredOwner | None: ...
    async def get_kv(self, key: str) -> str | None: ...


class PingReads(OwnerReads, Protocol):
    """What rendering a ping reads: a transaction, or the outbox's batch of rows read in bulk."""

    async def get_line_by_id(self, line_id: int) -> Line | None: ...
    async def room_is_left(self, room_id: str) -> bool: ...


class Owners(Protocol):
    """A user's (DM lines) or a room's (group lines) settings."""

    async def get_owner(self, owner_id: str) -> StoredOwner | None: ...
    async def get_owners(self, owner_ids: Iterable[str]) -> dict[str, StoredOwner]: ...
    async def ensure_owner(self, owner_id: str, now_ms: int) -> None: ...
    async def update_owner(self, owner_id: str, now_ms: int, **fields: Any) -> None:
        """Set some of: room_id, timezone, ping_time, lead_days, language, language_set."""
    async def forget_owner(self, owner_id: str) -> int:
        """Delete an owner's lines (with their pings and renewals) and settings; the lines' count."""
    async def move_owner(self, old: str, new: str, now_ms: int) -> int:
        """A room was upgraded: its lines and settings follow it; the number of lines moved."""


class Lines(Protocol):
    """The lines an owner tracks, numbered 1, 2, 3 ... per owner."""

    async def count_lines(self, owner_id: str) -> int: ...
    async def add_line(
        self, owner_id: str, *, provider: str, label: str, expiry: date, now_ms: int, mention: str | None = None,
        variant: str | None = None,
    ) -> Line:
        """Store a line under the smallest free number of its owner."""
    async def get_line(self, owner_id: str, number: int) -> Line | None: ...
    async def get_line_by_id(self, line_id: int) -> Line | None: ...
    async def get_lines_by_ids(self, line_ids: Iterable[int]) -> dict[int, Line]: ...
    async def list_lines(self, owner_id: str, *, offset: int = 0, limit: int = -1) -> list[Line]:
        """By expiry, then number; ``limit=-1``: all."""
    async def lines_mentioning(self, user_id: str) -> list[Line]: ...
    async def update_line(self, line: Line, now_ms: int) -> None: ...
    async def delete_line(self, owner_id: str, line_id: int) -> None: ...
    async def add_renewal(self, line_id: int, old: date, new: date, now_ms: int) -> None: ...
    async def last_renewal(self, line_id: int) -> tuple[date, date] | None: ...
    async def bulk_add_lines(self, rows: Iterable[tuple[str, int, str, str, date]], now_ms: int) -> None: ...


class Pings(Protocol):
    """The ping outbox: at most one pending row per line; sent rows stay as the record."""

    async def arm(self, line: Line, planned: Iterable[PlannedPing], *, keep_snoozed: bool = False) -> PlannedPing | None:
        """Replace the line's pending ping by the first planned one not already handled."""
    async def arm_many(
        self, items: Sequence[tuple[Line, Sequence[PlannedPing]]], *, keep_snoozed: bool = False
    ) -> list[PlannedPing | None]:
        """:meth:`arm` for many lines in a few statements (the outbox's batch of sent pings)."""
    async def bulk_arm(self, rows: Iterable[tuple[int, date, int, int]]) -> None: ...
    async def pending_ping(self, line_id: int) -> tuple[int, int] | None:
        """(offset, due ms) of the line's next ping, if any."""
    async def pending_pings(self, line_ids: Sequence[int]) -> dict[int, tuple[int, int]]: ...
    async def due_pings(self, now_ms: int, limit: int = 1000) -> list[PingRow]: ...
    async def ping_by_event(self, event_id: str) -> PingRow | None: ...
    async def snooze(self, row: PingRow, due_ms: int) -> None: ...
    async def mark_ping_sent(self, ping_id: int, event_id: str, now_ms: int) -> None: ...
    async def mark_pings_sent(self, rows: Iterable[tuple[int, str, int]]) -> None: ...
    async def mark_ping_dropped(self, ping_id: int, now_ms: int) -> None: ...
    async def retry_ping(self, ping_id: int, not_before_ms: int) -> None: ...
    async def retry_now(self, ping_ids: Sequence[int], reply_ids: Sequence[int], now_ms: int) -> int:
        """Make these pending pings and replies due now (the homeserver is back); how many."""
    async def next_wake(self) -> int | None:
        """The earliest instant (ms) at which some outbox row (ping or reply) is due."""
    async def claim_pings(
        self, now_ms: int, limit: int, *, claimant: str, lease_ms: int, exclude: Collection[int] = ()
    ) -> list[PingRow]:
        """Due pings for ``claimant`` to send, claimed until ``now + lease`` where several
        processes share the store (rows held by another live claim are skipped; a row whose
        previous claimant was another instance comes back ``reclaimed``). With one process: the
        due pings. Never the rows in ``exclude``: those the caller is sending right now."""
    async def claim_pings_of(
        self, owner_ids: Collection[str], now_ms: int, limit: int, *, claimant: str, lease_ms: int,
        exclude: Collection[int] = (),
    ) -> list[PingRow]:
        """:meth:`claim_pings`, only these owners' due pings: the rest of their groups (lines due
        together make one message) that a full batch cut off."""
    async def extend_claims(self, claimant: str, until_ms: int) -> int:
        """``claimant`` is alive and still sending: its claims hold until ``until_ms``."""
    async def release_claims(self, claimant: str) -> None:
        """A clean stop: ``claimant``'s claims end now."""


class Replies(Protocol):
    """The reply outbox, written in the same transaction as a command's effects."""

    async def enqueue_reply(self, txn_id: str, room_id: str, msgtype: str, content: dict[str, Any], now_ms: int) -> None: ...
    async def due_replies(self, now_ms: int, limit: int = 200) -> list[ReplyRow]: ...
    async def claim_replies(
        self, now_ms: int, limit: int, *, claimant: str, lease_ms: int, exclude: Collection[int] = ()
    ) -> list[ReplyRow]:
        """Due replies for ``claimant``, claimed like :meth:`Pings.claim_pings`."""
    async def mark_reply_sent(self, reply_id: int, event_id: str | None = None) -> None: ...
    async def sent_reply_event(self, txn_id: str) -> str | None:
        """The event ID the reply sent with ``txn_id`` got (edits of a command edit it)."""
    async def retry_reply(self, reply_id: int, not_before_ms: int, *, give_up: bool = False) -> None: ...


class HandledEvents(Protocol):
    """Events acted on: never act twice."""

    async def mark_handled(self, event_id: str, room_id: str, now_ms: int) -> bool:
        """Record an event as handled; False if it already was (then do nothing)."""
    async def is_handled(self, event_id: str) -> bool: ...
    async def handled_at(self, event_id: str) -> int | None: ...
    async def prune_handled(self, older_than_ms: int) -> None: ...


class Rooms(Protocol):
    """Rooms the bot is (or was) in: when it joined and left, DM or not, scam guard on or off."""

    async def room_joined(self, room_id: str, joined_at_ms: int) -> None: ...
    async def room_joined_at(self, room_id: str) -> int | None: ...
    async def room_rejoined(self, room_id: str, joined_at_ms: int, *, is_direct: bool | None = None) -> None: ...
    async def room_is_direct(self, room_id: str) -> bool | None: ...
    async def room_left(self, room_id: str, now_ms: int) -> None: ...
    async def room_is_left(self, room_id: str) -> bool: ...
    async def rooms_left_before(self, before_ms: int) -> list[str]: ...
    async def forget_room(self, room_id: str) -> int: ...
    async def scamguard_on(self, room_id: str) -> bool: ...
    async def set_scamguard(self, room_id: str, on: bool, now_ms: int) -> None: ...


class KeyValue(Protocol):
    """Small named values: the sync position, pending room upgrades."""

    async def get_kv(self, key: str) -> str | None: ...
    async def get_kvs(self, keys: Iterable[str]) -> dict[str, str]:
        """The values of those of ``keys`` that are set (one query for many)."""
    async def set_kv(self, key: str, value: str) -> None: ...


class OpsFigures(Protocol):
    """Figures for operators (metrics, admin stats)."""

    async def ops_figures(self, now_ms: int, *, sizes: bool = True) -> dict[str, Any]:
        """{"pings": (due count, oldest due ms), "replies": (count, oldest ms), "lines": n, "owners": n};
        ``sizes=False`` leaves out lines and owners (a count over every line: seconds at 10M lines)."""
    async def ping_counts(self, since_ms: int, now_ms: int) -> tuple[int, int]:
        """(sent, failed at least once) pings due in [since, now]."""


@dataclass(frozen=True, slots=True)
class PendingRow:
    """An offer waiting for its ``yes`` (a carrier notice, an import, a forget)."""

    id: int
    owner_id: str
    sender: str
    kind: str  # notice | import | forget_me | forget_room
    payload: dict[str, Any]
    expires_at: int  # unix ms


class Data(Protocol):
    """Issue 13: offers waiting for a yes, calendar feeds, status, the daily digest, forgetting."""

    async def add_pending(self, owner_id: str, sender: str, kind: str, payload: dict[str, Any], *,
                          reply_txn: str | None, now_ms: int, expires_ms: int) -> None:
        """Make an offer; it replaces any earlier offer to the same sender in the same conversation."""
    async def get_pending(self, owner_id: str, sender: str, now_ms: int) -> PendingRow | None: ...
    async def pending_by_event(self, event_id: str, now_ms: int) -> PendingRow | None: ...
    async def drop_pending(self, pending_id: int) -> None: ...
    async def reply_sent(self, txn_id: str, event_id: str) -> None:
        """A reply went out: offers it made can be reacted to; a secret in it loses its stored copy."""
    async def scrub_after_sending(self, txn_id: str) -> None: ...
    async def set_calendar_token(self, owner_id: str, token_hash: str, now_ms: int) -> None: ...
    async def calendar_owner(self, token_hash: str) -> tuple[str, str] | None: ...
    async def has_calendar(self, owner_id: str) -> bool: ...
    async def renewals_of(self, line_ids: Iterable[int]) -> dict[int, list[Renewal]]: ...
    async def last_sent(self, line_ids: Sequence[int]) -> dict[int, int]: ...
    async def insert_line(self, owner_id: str, *, number: int | None, provider: str, variant: str | None, label: str,
                          expiry: date, lead_days: tuple[int, ...] | None, reminders_off: bool, mention: str | None,
                          now_ms: int) -> Line: ...
    async def add_renewal_at(self, line_id: int, old: date, new: date, at_ms: int) -> None: ...
    async def pings_by_event(self, event_id: str) -> list[PingRow]:
        """Every ping a sent message carried (one, or several lines due together)."""
    async def digest_of(self, owner_ids: Iterable[str]) -> dict[str, tuple[bool, str | None]]: ...
    async def set_digest(self, owner_id: str, on: bool, now_ms: int) -> None: ...
    async def digest_sent(self, owner_id: str, local_day: str) -> None: ...
    async def delay_pings(self, ping_ids: Sequence[int], not_before_ms: int) -> None: ...
    async def forget_user(self, user_id: str) -> dict[str, int]: ...
    async def forget_room_data(self, room_id: str) -> dict[str, int]: ...


class Tx(Owners, Lines, Pings, Replies, HandledEvents, Rooms, KeyValue, OpsFigures, Data, Protocol):
    """One transaction: every aggregate, committed together."""


class StoreError(Exception):
    """The database cannot be used (corrupt, from a newer version, unreadable); one line for the operator."""


class Store(Protocol):
    """Owns the connection(s). One write transaction at a time; reads see committed state."""

    def tx(self) -> AbstractAsyncContextManager[Tx]: ...
    def read(self) -> AbstractAsyncContextManager[Tx]: ...
    async def claim(
        self, now_ms: int, limit: int, *, claimant: str, lease_ms: int,
        exclude_replies: Collection[int] = (), exclude_pings: Collection[int] = (),
    ) -> tuple[list[ReplyRow], list[PingRow]]:
        """The outbox's claim of due replies and pings (:meth:`Pings.claim_pings`), committed:
        in as few round trips as the store can (one on PostgreSQL)."""
    async def close(self) -> None: ...
