"""What a scripted Matrix user has seen, from its syncs: room messages in order (decrypted ones
too, once their keys arrive), memberships and pending invites. :class:`bot.dev.client.MatrixUser`
feeds it every sync response and waits on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import nio


@dataclass(frozen=True)
class ReceivedMessage:
    """One `m.room.message` as this user saw it (after decryption, if it was encrypted)."""

    index: int  #: position in `MatrixUser.messages(room_id)`
    room_id: str
    event_id: str
    sender: str
    body: str | None
    msgtype: str | None
    formatted_body: str | None
    content: dict[str, Any]  #: full content, incl. `m.relates_to`
    origin_server_ts: int
    decrypted: bool = False
    source: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def relates_to(self) -> dict[str, Any]:
        rel = self.content.get("m.relates_to")
        return rel if isinstance(rel, dict) else {}

    @property
    def in_reply_to(self) -> str | None:
        """The event_id this message is a Matrix reply to, if any."""
        reply = self.relates_to.get("m.in_reply_to")
        return reply.get("event_id") if isinstance(reply, dict) else None


Predicate = Callable[[ReceivedMessage], bool]

class Seen:
    """The state a sync loop builds up for ``user_id``; ``decrypt`` decrypts a Megolm event (or
    raises while its key has not arrived)."""

    def __init__(self, user_id: str, decrypt: Callable[[nio.MegolmEvent], Any]) -> None:
        self.user_id = user_id
        self._decrypt = decrypt
        self.messages: dict[str, list[ReceivedMessage]] = {}
        self._seen_event_ids: set[str] = set()
        self.members: dict[str, dict[str, str]] = {}
        self.invites: dict[str, str | None] = {}  # room_id -> inviter
        self._undecrypted: list[tuple[str, nio.MegolmEvent]] = []

    def process(self, resp: nio.SyncResponse) -> None:
        """Record one sync response."""
        me = self.user_id
        for room_id, info in resp.rooms.invite.items():
            inviter = None
            for ev in info.invite_state:
                if isinstance(ev, nio.InviteMemberEvent) and ev.state_key == me:
                    inviter = ev.sender
            self.invites[room_id] = inviter
        for room_id, info in resp.rooms.leave.items():
            for ev in list(info.state) + list(info.timeline.events):
                self._note_member(room_id, ev)
            self.members.setdefault(room_id, {})[me] = "leave"
        for room_id, info in resp.rooms.join.items():
            self.invites.pop(room_id, None)
            for ev in info.state:
                self._note_member(room_id, ev)
            for ev in info.timeline.events:
                self._note_member(room_id, ev)
                self._note_message(room_id, ev)
        if self._undecrypted:
            self._retry_decryption()

    def membership(self, room_id: str, user_id: str) -> str | None:
        """Last membership ("join", "invite", "leave", ...) of `user_id` we synced, else None."""
        return self.members.get(room_id, {}).get(user_id)

    def invite(self, *, inviter: str | None, room_id: str | None) -> str | None:
        """A pending invite (optionally from `inviter` / to `room_id`): its room_id."""
        for rid, who in self.invites.items():
            if (room_id is None or rid == room_id) and (inviter is None or who == inviter):
                return rid
        return None

    def first(self, room_id: str, start: int, matches: Predicate) -> ReceivedMessage | None:
        """The first message in `room_id` from index `start` on that `matches`."""
        for m in self.messages.get(room_id, ())[start:]:
            if matches(m):
                return m
        return None

    def _note_member(self, room_id: str, ev: Any) -> None:
        if isinstance(ev, nio.RoomMemberEvent):
            self.members.setdefault(room_id, {})[ev.state_key] = ev.membership

    def _note_message(self, room_id: str, ev: Any) -> None:
        if isinstance(ev, nio.MegolmEvent):  # not decryptable (yet): keys may come later
            self._undecrypted.append((room_id, ev))
            return
        source = getattr(ev, "source", None)
        if not isinstance(source, dict) or source.get("type", "m.room.message") != "m.room.message":
            return
        if not isinstance(ev, nio.RoomMessage):
            return
        event_id = str(source.get("event_id") or getattr(ev, "event_id", "") or "")
        if event_id in self._seen_event_ids:
            return
        self._seen_event_ids.add(event_id)
        content = source.get("content")
        content = content if isinstance(content, dict) else {}
        msgs = self.messages.setdefault(room_id, [])
        body = content.get("body")
        msgtype = content.get("msgtype")
        fbody = content.get("formatted_body")
        msgs.append(
            ReceivedMessage(
                index=len(msgs),
                room_id=room_id,
                event_id=event_id,
                sender=ev.sender,
                body=body if isinstance(body, str) else None,
                msgtype=msgtype if isinstance(msgtype, str) else None,
                formatted_body=fbody if isinstance(fbody, str) else None,
                content=content,
                origin_server_ts=int(source.get("origin_server_ts") or ev.server_timestamp or 0),
                decrypted=bool(getattr(ev, "decrypted", False)),
                source=source,
            )
        )

    def _retry_decryption(self) -> None:
        still: list[tuple[str, nio.MegolmEvent]] = []
        for room_id, ev in self._undecrypted:
            try:
                ev.room_id = room_id
                dec = self._decrypt(ev)
            except Exception:  # noqa: BLE001 - nio raises several types; key not there yet
                still.append((room_id, ev))
                continue
            self._note_message(room_id, dec)
        self._undecrypted = still


def bodies(messages: Iterable[ReceivedMessage]) -> list[str | None]:
    """Plain bodies of `messages`, for compact assertions."""
    return [m.body for m in messages]
