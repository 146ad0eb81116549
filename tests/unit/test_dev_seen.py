"""The scripted test user's record of what it synced (bot/dev/seen.py), fed real nio sync responses."""
from __future__ import annotations

from typing import Any

import nio

from bot.dev.seen import Seen

ME = "@alice:example.org"
BOT = "@bot:example.org"


def _member(user: str, membership: str, ts: int = 1) -> dict[str, Any]:
    return {"type": "m.room.member", "state_key": user, "sender": user, "event_id": f"$m-{user}-{membership}",
            "origin_server_ts": ts, "content": {"membership": membership}}


def _text(event_id: str, sender: str, body: str, **extra: Any) -> dict[str, Any]:
    return {"type": "m.room.message", "sender": sender, "event_id": event_id, "origin_server_ts": 5,
            "content": {"msgtype": "m.notice", "body": body, **extra}}


def _sync(join: dict[str, list[dict[str, Any]]] | None = None, invite: dict[str, str] | None = None) -> nio.SyncResponse:
    rooms: dict[str, Any] = {"join": {}, "invite": {}, "leave": {}}
    for room_id, events in (join or {}).items():
        rooms["join"][room_id] = {"timeline": {"events": events, "limited": False, "prev_batch": "p"},
                                  "state": {"events": []}, "ephemeral": {"events": []},
                                  "account_data": {"events": []}, "summary": {}, "unread_notifications": {}}
    for room_id, inviter in (invite or {}).items():
        ev = {"type": "m.room.member", "state_key": ME, "sender": inviter, "content": {"membership": "invite"}}
        rooms["invite"][room_id] = {"invite_state": {"events": [ev]}}
    resp = nio.SyncResponse.from_dict({"next_batch": "s1", "rooms": rooms, "to_device": {"events": []},
                                       "device_lists": {}, "presence": {"events": []}, "account_data": {"events": []}})
    assert isinstance(resp, nio.SyncResponse), resp
    return resp


def _no_decrypt(ev: nio.MegolmEvent) -> Any:
    raise nio.EncryptionError("no key yet")


def test_messages_are_kept_in_order_once_each_and_matched_from_an_index() -> None:
    seen = Seen(ME, _no_decrypt)
    reply = {"m.relates_to": {"m.in_reply_to": {"event_id": "$1"}}}
    seen.process(_sync({"!r": [_member(ME, "join"), _text("$1", ME, "hi"), _text("$2", BOT, "hello", **reply)]}))
    seen.process(_sync({"!r": [_text("$2", BOT, "hello", **reply)]}))  # the same event again
    msgs = seen.messages["!r"]
    assert [(m.index, m.body, m.sender) for m in msgs] == [(0, "hi", ME), (1, "hello", BOT)]
    assert msgs[1].in_reply_to == "$1" and msgs[1].msgtype == "m.notice"
    assert seen.first("!r", 0, lambda m: m.sender == BOT) is msgs[1]
    assert seen.first("!r", 2, lambda m: True) is None
    assert seen.membership("!r", ME) == "join" and seen.membership("!r", BOT) is None


def test_invites_are_pending_until_the_room_is_joined() -> None:
    seen = Seen(ME, _no_decrypt)
    seen.process(_sync(invite={"!a": BOT}))
    assert seen.invite(inviter=BOT, room_id=None) == "!a"
    assert seen.invite(inviter="@eve:example.org", room_id=None) is None
    seen.process(_sync({"!a": [_member(ME, "join")]}))
    assert seen.invite(inviter=BOT, room_id=None) is None
