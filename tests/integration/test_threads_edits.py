"""Threads, edits and redactions as today's clients send them (plain DM, nio client).

The Element-like client (tests/integration/test_js_client.py) does a thread and an edit in an
encrypted DM too.
"""
from __future__ import annotations

import asyncio

import nio
import pytest

from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
from tests.integration.matrix_user import MatrixUser

pytestmark = pytest.mark.integration


def thread_reply(text: str, root: str, last: str) -> dict:  # type: ignore[type-arg]
    """What Element sends in a thread: ``is_falling_back`` with the thread's last event."""
    return {"msgtype": "m.text", "body": text,
            "m.relates_to": {"rel_type": "m.thread", "event_id": root, "is_falling_back": True,
                             "m.in_reply_to": {"event_id": last}}}


def edit(text: str, original: str) -> dict:  # type: ignore[type-arg]
    return {"msgtype": "m.text", "body": f"* {text}", "m.new_content": {"msgtype": "m.text", "body": text},
            "m.relates_to": {"rel_type": "m.replace", "event_id": original}}


async def test_thread_edit_and_redaction(alice: MatrixUser, bot: BotProcess) -> None:
    room = await open_dm(alice, bot)
    root = await alice.send_text(room, "notes about my SIMs")
    # A command in a thread is answered in that thread, as a reply to the command.
    cmd = await alice.send(room, thread_reply("add axis 31/12/2026 Work", root, root))
    r = await alice.wait_for_reply(room, cmd, timeout=30)
    assert "Line 1 added" in r.body
    assert r.relates_to["rel_type"] == "m.thread" and r.relates_to["event_id"] == root
    assert r.relates_to["is_falling_back"] is False and r.in_reply_to == cmd
    assert not r.body.startswith(">") and "mx-reply" not in (r.formatted_body or "")

    # An edit of an answered command: the new text runs once, and the bot edits its answer.
    bad = await alice.send_text(room, "lst")
    wrong = await alice.wait_for_reply(room, bad, timeout=30)
    assert "lst" in wrong.body  # unknown command
    mark = alice.mark(room)
    fixed = await alice.send(room, edit("list", bad))
    await asyncio.sleep(0)
    answer = await alice.wait_for_message(room, sender=bot.user_id, since=mark, timeout=30)
    assert answer.relates_to == {"rel_type": "m.replace", "event_id": wrong.event_id}
    assert "Work" in answer.content["m.new_content"]["body"] and answer.body.startswith("* ")
    assert "m.relates_to" not in answer.content["m.new_content"]
    # The edit is handled once: a second sync of it (restart) does nothing more.
    bot.terminate()
    bot.start()
    check = await ask(alice, room, "settings")
    after = [m for m in alice.messages(room)[mark:] if m.sender == bot.user_id]
    assert [m.event_id for m in after] == [answer.event_id, check.event_id], [m.body for m in after]
    assert fixed  # (the edit's own event)

    # A command sent while the bot is down and redacted before it comes back is never run.
    mark = alice.mark(room)
    bot.terminate()
    doomed = await alice.send_text(room, "remove 1")
    resp = await alice.client.room_redact(room, doomed, reason="sent by mistake")
    assert isinstance(resp, nio.RoomRedactResponse)
    bot.start()
    r = await ask(alice, room, "list")
    assert "Work" in r.body  # line 1 is still there
    from_bot = [m for m in alice.messages(room)[mark:] if m.sender == bot.user_id]
    assert [m.event_id for m in from_bot] == [r.event_id], [m.body for m in from_bot]


async def test_edit_of_a_message_that_was_no_command_is_ignored(alice: MatrixUser, bot: BotProcess) -> None:
    """In a group room, chat is not a command: editing it into one does nothing (and the edit's
    "* !list" fallback is never parsed)."""
    room = await alice.create_room(invite=[bot.user_id])
    await alice.wait_for_join(room, bot.user_id)
    chat = await alice.send_text(room, "hello all")
    await asyncio.sleep(1)
    mark = alice.mark(room)
    await alice.send(room, edit("!list", chat))
    r = await ask(alice, room, "!settings")
    from_bot = [m for m in alice.messages(room)[mark:] if m.sender == bot.user_id]
    assert [m.event_id for m in from_bot] == [r.event_id], [m.body for m in from_bot]
