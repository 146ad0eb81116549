"""What a scripted user says and reads in rooms: send events and text (replies too), and wait for
the next message that matches, walking forward through each room's conversation."""

from __future__ import annotations

import asyncio
from typing import Any

import nio

from bot.dev.seen import Predicate, ReceivedMessage, Seen
from bot.dev.watch import MatrixUserError, SyncWatch


class Conversation:
    """Sending and reading messages for one user; remembers, per room, where the last wait ended."""

    def __init__(self, client: nio.AsyncClient, seen: Seen, watch: SyncWatch) -> None:
        self._client, self._seen, self._watch = client, seen, watch
        self._cursor: dict[str, int] = {}

    async def send(
        self,
        room_id: str,
        content: dict[str, Any],
        *,
        event_type: str = "m.room.message",
        tx_id: str | None = None,
    ) -> str:
        """Send any event content (encrypted if the room is); return its event_id.

        `ignore_unverified_devices=True`: without it nio refuses to encrypt to unverified devices
        (OlmUnverifiedDeviceError), and test users never verify.
        """
        resp = await self._client.room_send(
            room_id, event_type, content, tx_id=tx_id, ignore_unverified_devices=True
        )
        if not isinstance(resp, nio.RoomSendResponse):
            raise MatrixUserError(f"{self._client.user_id} could not send to {room_id}: {resp}")
        return str(resp.event_id)

    async def send_text(
        self,
        room_id: str,
        body: str,
        *,
        msgtype: str = "m.text",
        reply_to: str | None = None,
    ) -> str:
        """Send a plain text message (optionally as a Matrix reply); return its event_id."""
        content: dict[str, Any] = {"msgtype": msgtype, "body": body}
        if reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        return await self.send(room_id, content)

    def messages(self, room_id: str) -> list[ReceivedMessage]:
        """Every room message received so far in `room_id`, ours included, in arrival order."""
        return list(self._seen.messages.get(room_id, ()))

    def mark(self, room_id: str) -> int:
        """A point to pass as `since=`: only messages received after now will match."""
        return len(self._seen.messages.get(room_id, ()))

    async def wait_for_message(
        self,
        room_id: str,
        *,
        sender: str | None = None,
        predicate: Predicate | None = None,
        timeout: float = 30,
        msgtype: str | None = None,
        since: int | None = None,
        in_reply_to: str | None = None,
    ) -> ReceivedMessage:
        """Return the next received message in `room_id` that matches.

        `sender=None` means anyone but us. The search starts at `since` (an index from `mark()`),
        or else just after the message the previous `wait_for_message` on this room returned,
        so successive calls walk forward through the conversation.
        """
        start = self._cursor.get(room_id, 0) if since is None else since
        me = str(self._client.user_id)

        def matches(m: ReceivedMessage) -> bool:
            if sender is None and m.sender == me:
                return False
            if sender is not None and m.sender != sender:
                return False
            if msgtype is not None and m.msgtype != msgtype:
                return False
            if in_reply_to is not None and m.in_reply_to != in_reply_to:
                return False
            return predicate is None or bool(predicate(m))

        def check() -> ReceivedMessage | None:
            return self._seen.first(room_id, start, matches)

        try:
            found: ReceivedMessage = await self._watch.wait(check, timeout, "waiting for a message")
        except TimeoutError as e:
            recent = "\n".join(
                f"  [{m.index}] {m.sender} {m.msgtype}: {m.body!r} (reply to {m.in_reply_to})"
                for m in self._seen.messages.get(room_id, ())[-10:]
            )
            raise TimeoutError(
                f"{e} in {room_id} (sender={sender}, msgtype={msgtype}, since={start}, "
                f"in_reply_to={in_reply_to}); last messages:\n{recent or '  (none)'}"
            ) from None
        self._cursor[room_id] = max(self._cursor.get(room_id, 0), found.index + 1)
        return found

    async def wait_for_reply(
        self, room_id: str, event_id: str, *, sender: str | None = None, timeout: float = 30
    ) -> ReceivedMessage:
        """The first message that is a Matrix reply to `event_id` (anywhere in the history)."""
        return await self.wait_for_message(
            room_id, sender=sender, in_reply_to=event_id, since=0, timeout=timeout
        )

    async def wait_for_messages(
        self,
        room_id: str,
        count: int,
        *,
        sender: str | None = None,
        timeout: float = 30,
        since: int | None = None,
    ) -> list[ReceivedMessage]:
        """The next `count` messages (from `sender`, default anyone but us), in order."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        out: list[ReceivedMessage] = []
        for i in range(count):
            remaining = max(0.0, deadline - loop.time())
            out.append(
                await self.wait_for_message(
                    room_id,
                    sender=sender,
                    timeout=remaining,
                    since=since if i == 0 else out[-1].index + 1,
                )
            )
        return out
