"""The pure parts of the Matrix adapter: the scam guard's room budget, reading replies, transaction
IDs, and what a ping looks like on the wire (mentions, pills, never @room)."""
from __future__ import annotations

from datetime import date, time
from html import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.commands import find
from bot.core.model import Line, OwnerSettings
from bot.core.render import Reply
from bot.matrix.content import notice as reply_content
from bot.matrix.events import (
    RoomWarnings,
    in_reply_to,
    reply_txn_id,
    strip_reply_fallback,
)
from bot.ping_groups import ping_content
from bot.service import PingMessage

ALICE = "@alice:x"
ROOM = "!room:x"
DM = "!dm-alice:x"


# --- RoomWarnings ---------------------------------------------------------------------------------


def test_one_warning_a_minute() -> None:
    w = RoomWarnings(per_hour=10)
    assert w.allow(ROOM, 1000.0)
    assert not w.allow(ROOM, 1000.0)
    assert not w.allow(ROOM, 1059.9)
    assert w.allow(ROOM, 1060.0)
    assert not w.allow(ROOM, 1061.0)


def test_refused_warnings_do_not_count() -> None:
    w = RoomWarnings(per_hour=10)
    assert w.allow(ROOM, 0.0)
    for s in range(1, 60):
        assert not w.allow(ROOM, float(s))
    assert w.allow(ROOM, 60.0)  # a minute after the last one *sent*


def test_per_hour_cap_and_the_window_slides() -> None:
    w = RoomWarnings(per_hour=3)
    assert [w.allow(ROOM, t) for t in (0.0, 60.0, 120.0, 180.0, 600.0)] == [True, True, True, False, False]
    assert not w.allow(ROOM, 3600.0)  # the first one is exactly an hour old: still counted
    assert w.allow(ROOM, 3600.5)  # now it has left the window
    assert not w.allow(ROOM, 3650.0)  # 60, 120 and 3600.5 fill the hour
    assert w.allow(ROOM, 3661.0)  # 60 left the window, and a minute since the last
    assert not w.allow(ROOM, 3700.0)  # 120, 3600.5 and 3661 fill the hour
    assert w.allow(ROOM, 3721.0)  # 120 is more than an hour old now


def test_rooms_have_budgets_of_their_own() -> None:
    w = RoomWarnings(per_hour=1)
    assert w.allow(ROOM, 0.0)
    assert not w.allow(ROOM, 120.0)
    assert w.allow("!other:x", 0.0)
    assert w.allow("!third:x", 1.0)


@given(st.lists(st.floats(min_value=0, max_value=20_000, allow_nan=False), max_size=200),
       st.integers(min_value=1, max_value=60))
def test_budget_properties(times: list[float], per_hour: int) -> None:
    w = RoomWarnings(per_hour=per_hour)
    sent = [t for t in sorted(times) if w.allow(ROOM, t)]
    for a, b in zip(sent, sent[1:], strict=False):
        assert b - a >= 60
    for i, t in enumerate(sent):
        within = [s for s in sent[: i + 1] if t - s <= 3600]
        assert len(within) <= per_hour


# --- replies ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ("> <@bot:x> Line 1 expires in 3 days\n> more\n\n31/12/2026", "31/12/2026"),
        ("> <@bot:x> quoted\n31/12/2026", "31/12/2026"),
        ("31/12/2026", "31/12/2026"),
        ("  31/12/2026  \n", "31/12/2026"),
        ("first\n> not a fallback\nlast", "first\n> not a fallback\nlast"),
        ("> only a quote", ""),
        ("", ""),
    ],
)
def test_strip_reply_fallback(body: str, expected: str) -> None:
    assert strip_reply_fallback(body) == expected


@pytest.mark.parametrize(
    "source, expected",
    [
        ({"content": {"m.relates_to": {"m.in_reply_to": {"event_id": "$ping"}}}}, "$ping"),
        ({"content": {"m.relates_to": {"rel_type": "m.thread", "event_id": "$root",
                                       "m.in_reply_to": {"event_id": "$last"}}}}, "$last"),
        ({"content": {"body": "hi"}}, None),
        ({}, None),
        ({"content": {"m.relates_to": None}}, None),
        ({"content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$x"}}}, None),
        ({"content": {"m.relates_to": {"m.in_reply_to": {"event_id": 5}}}}, None),
        ({"content": {"m.relates_to": {"m.in_reply_to": {}}}}, None),
        # Malformed events from other clients must not break handling the rest of a sync.
        ({"content": {"m.relates_to": "$ping"}}, None),
        ({"content": {"m.relates_to": ["$ping"]}}, None),
        ({"content": {"m.relates_to": {"m.in_reply_to": "$ping"}}}, None),
        ({"content": {"m.relates_to": {"m.in_reply_to": ["$ping"]}}}, None),
        ({"content": "text"}, None),
        ({"content": None}, None),
    ],
)
def test_in_reply_to(source: dict, expected: str | None) -> None:
    assert in_reply_to(source) == expected


def test_reply_txn_id_is_deterministic_and_distinct() -> None:
    a = reply_txn_id("$event-a:x")
    assert a == reply_txn_id("$event-a:x")
    assert a != reply_txn_id("$event-b:x")
    assert a.startswith("reply-") and len(a) == len("reply-") + 32
    assert all(c in "0123456789abcdef" for c in a.removeprefix("reply-"))


@given(st.lists(st.text(min_size=1, max_size=40), min_size=2, max_size=50, unique=True))
def test_reply_txn_ids_never_collide(event_ids: list[str]) -> None:
    ids = [reply_txn_id(e) for e in event_ids]
    assert len(set(ids)) == len(ids)
    assert ids == [reply_txn_id(e) for e in event_ids]


def test_reply_content_is_a_notice_replying_and_mentioning_nobody() -> None:
    c = reply_content(Reply("plain", "<b>html</b>"), "$cmd")
    assert c["msgtype"] == "m.notice"
    assert c["m.relates_to"] == {"m.in_reply_to": {"event_id": "$cmd"}}
    assert c["m.mentions"] == {}
    assert (c["body"], c["formatted_body"], c["format"]) == ("plain", "<b>html</b>", "org.matrix.custom.html")


@pytest.mark.parametrize("text, expected", [
    ("list", True), ("renewed 1 +30d", True), ("列表", True), ("31/12/2026", False), ("+30d", False),
    ("frobnicate", False), ("", False), (None, False),
])
def test_is_command(text: str | None, expected: bool) -> None:
    assert (find(text) is not None) is expected


# --- ping_content ------------------------------------------------------------------------------------


def _msg(*, owner_id: str, room_id: str, mention: str | None, reply: Reply | None = None) -> PingMessage:
    line = Line(id=7, owner_id=owner_id, number=2, provider="axis", label="Family", expiry=date(2026, 6, 30),
                mention=mention)
    owner = OwnerSettings(owner_id=owner_id, timezone="UTC", ping_time=time(9), lead_days=(7, 3, 1, 0))
    return PingMessage(room_id=room_id, reply=reply or Reply("Line 2 expires soon.", "Line 2 <b>expires</b> soon."),
                       line=line, owner=owner)


def test_a_dm_ping_is_a_text_mentioning_nobody() -> None:
    c = ping_content(_msg(owner_id=ALICE, room_id=DM, mention=None))
    assert c["msgtype"] == "m.text"
    assert c["m.mentions"] == {}
    assert c["body"] == "Line 2 expires soon."
    assert c["formatted_body"] == "Line 2 <b>expires</b> soon."
    assert c["format"] == "org.matrix.custom.html"
    assert "m.relates_to" not in c


def test_a_room_ping_mentions_the_lines_owner_with_a_pill() -> None:
    c = ping_content(_msg(owner_id=ROOM, room_id=ROOM, mention=ALICE))
    assert c["msgtype"] == "m.text"
    assert c["m.mentions"] == {"user_ids": [ALICE]}
    assert c["body"] == f"{ALICE}: Line 2 expires soon."
    assert c["formatted_body"] == (
        f'<a href="https://matrix.to/#/{ALICE}">{ALICE}</a>: Line 2 <b>expires</b> soon.'
    )


def test_the_mentioned_user_id_is_escaped() -> None:
    odd = '@a&b<i>"c\':x'
    c = ping_content(_msg(owner_id=ROOM, room_id=ROOM, mention=odd))
    assert c["m.mentions"] == {"user_ids": [odd]}
    assert c["body"].startswith(odd + ": ")
    html = c["formatted_body"]
    assert "<i>" not in html and '"c' not in html
    assert escape(odd) in html
    href = html.split('href="', 1)[1].split('"', 1)[0]
    assert href == "https://matrix.to/#/@a%26b%3Ci%3E%22c%27:x"


@pytest.mark.parametrize("label", ["Family", "@room", "everyone @room look"])
def test_a_ping_never_notifies_the_whole_room(label: str) -> None:
    reply = Reply(f"Line 2 ({label}) expires soon.", f"Line 2 ({escape(label)}) expires soon.")
    for msg in (_msg(owner_id=ROOM, room_id=ROOM, mention=ALICE, reply=reply),
                _msg(owner_id=ALICE, room_id=DM, mention=None, reply=reply),
                _msg(owner_id=ROOM, room_id=ROOM, mention=None, reply=reply)):
        c = ping_content(msg)
        # An intentional-mentions block is always present, and it never asks for the room.
        assert "room" not in c["m.mentions"]
        assert not c["body"].startswith("@room")


def test_a_room_line_without_a_mention_mentions_nobody() -> None:
    c = ping_content(_msg(owner_id=ROOM, room_id=ROOM, mention=None))
    assert c["m.mentions"] == {}
    assert c["body"] == "Line 2 expires soon."
