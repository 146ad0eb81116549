"""Thread, reply and edit relations (bot/matrix/relations.py)."""
from __future__ import annotations

from typing import Any

import pytest

from bot.matrix.relations import edit_content, edit_of, reply_relation, reply_target, thread_root


def ev(rel: Any, **content: Any) -> dict[str, Any]:
    return {"content": {"body": "x", **content, "m.relates_to": rel}}


def test_plain_reply_and_thread_targets() -> None:
    assert reply_target(ev({"m.in_reply_to": {"event_id": "$a"}})) == "$a" and thread_root(ev({})) is None
    thread = {"rel_type": "m.thread", "event_id": "$root", "is_falling_back": True, "m.in_reply_to": {"event_id": "$last"}}
    assert thread_root(ev(thread)) == "$root"
    assert reply_target(ev(thread)) == "$root"  # fallback: the message answers the thread
    real = {**thread, "is_falling_back": False}
    assert reply_target(ev(real)) == "$last"
    assert reply_target(ev({"rel_type": "m.thread", "event_id": "$root"})) == "$root"
    no_flag = {"rel_type": "m.thread", "event_id": "$root", "m.in_reply_to": {"event_id": "$last"}}
    assert reply_target(ev(no_flag)) == "$last"  # no flag: a genuine reply


@pytest.mark.parametrize("rel", [None, "str", [], {"m.in_reply_to": "x"}, {"rel_type": "m.thread", "event_id": 5},
                                 {"rel_type": "m.replace"}, {"m.in_reply_to": {"event_id": None}}])
def test_malformed_relations_are_none(rel: Any) -> None:
    assert reply_target(ev(rel)) is None and thread_root(ev(rel)) is None and edit_of(ev(rel)) is None
    assert reply_target({"content": "nope"}) is None and edit_of({}) is None


def test_edit_reads_new_content_never_the_fallback() -> None:
    e = ev({"rel_type": "m.replace", "event_id": "$orig"}, body="* list", **{"m.new_content": {"body": "list"}})
    assert edit_of(e) == ("$orig", {"body": "list"})
    assert edit_of(ev({"rel_type": "m.replace", "event_id": "$orig"}, body="* list")) is None


def test_reply_relation_in_and_out_of_threads() -> None:
    assert reply_relation("$cmd") == {"m.in_reply_to": {"event_id": "$cmd"}}
    assert reply_relation("$cmd", "$root") == {
        "rel_type": "m.thread", "event_id": "$root", "is_falling_back": False, "m.in_reply_to": {"event_id": "$cmd"}}


def test_edit_content_of_our_reply() -> None:
    content = {"msgtype": "m.notice", "body": "new", "format": "org.matrix.custom.html", "formatted_body": "<p>new</p>",
               "m.relates_to": reply_relation("$cmd", "$root"), "m.mentions": {}}
    out = edit_content(content, "$ours")
    assert out["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$ours"}
    assert out["body"] == "* new" and out["formatted_body"] == "* <p>new</p>"
    assert out["m.new_content"] == {k: v for k, v in content.items() if k != "m.relates_to"}
    assert out["m.mentions"] == {}
