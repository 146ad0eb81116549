"""What a room is (bot/matrix/room_facts.py), read from nio's own room state: DM or group, whose
lines a message is about, and who may manage a group's lines."""
from __future__ import annotations

from datetime import UTC, datetime

import nio
import pytest

from bot.matrix.room_facts import RoomFacts
from tests.unit.conftest import make_config

BOT, ALICE, BOB = "@bot:x", "@alice:x", "@bob:x"
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
async def facts() -> RoomFacts:
    client = nio.AsyncClient("http://127.0.0.1:1", BOT)
    client.user_id = BOT  # what a login sets
    return RoomFacts(client, make_config())


def room(facts: RoomFacts, room_id: str, *members: str, invited: tuple[str, ...] = ()) -> nio.MatrixRoom:
    r = nio.MatrixRoom(room_id, BOT)
    for m in members:
        r.add_member(m, None, None)
    for m in invited:
        r.add_member(m, None, None, invited=True)
    facts.client.rooms[room_id] = r
    return r


async def test_a_room_marked_direct_is_a_dm_until_a_third_person_is_invited(facts: RoomFacts) -> None:
    room(facts, "!dm:x", BOT, ALICE)
    facts.remember_direct("!dm:x", True)
    assert facts.is_dm("!dm:x") and facts.owner_of("!dm:x", ALICE) == ALICE
    facts.client.rooms["!dm:x"].add_member(BOB, None, None, invited=True)
    assert not facts.is_dm("!dm:x"), "one person's own lines are never read where others are"
    assert facts.owner_of("!dm:x", ALICE) == "!dm:x"


async def test_a_room_of_two_without_a_recorded_flag_counts_as_a_dm(facts: RoomFacts) -> None:
    room(facts, "!old:x", BOT, ALICE)
    assert facts.is_dm("!old:x")
    facts.remember_direct("!old:x", False)
    assert not facts.is_dm("!old:x"), "a group room of two stays a group"


async def test_the_joined_members_leave_out_the_invited(facts: RoomFacts) -> None:
    room(facts, "!g:x", BOT, ALICE, invited=(BOB,))
    assert facts.joined_members("!g:x") == {BOT, ALICE}
    assert facts.joined_members("!unknown:x") == frozenset()


async def test_in_a_group_only_a_moderator_manages(facts: RoomFacts) -> None:
    r = room(facts, "!g:x", BOT, ALICE, BOB)
    r.power_levels.users[ALICE] = 50
    facts.note_state("!g:x", nio.RoomCreateEvent.from_dict({
        "type": "m.room.create", "event_id": "$c", "sender": BOB, "origin_server_ts": 1, "state_key": "",
        "content": {"room_version": "10"},
    }))
    alice = await facts.context("!g:x", ALICE, NOW)
    bob = await facts.context("!g:x", BOB, NOW)
    assert not alice.is_dm and alice.owner_id == "!g:x" and alice.can_manage
    assert not bob.can_manage, "before room version 12 a creator has only its power level"
    assert alice.members == {BOT, ALICE, BOB}
