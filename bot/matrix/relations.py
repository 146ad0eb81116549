"""Threads, replies and edits as the spec shapes them in ``m.relates_to``: pure helpers.

nio does not check ``m.relates_to``: any level may be a string, a list or null, so every reader
here returns None rather than raise on a malformed event.
"""
from __future__ import annotations

from typing import Any


def relates_to(source: dict[str, Any]) -> dict[str, Any] | None:
    content = source.get("content")
    rel = content.get("m.relates_to") if isinstance(content, dict) else None
    return rel if isinstance(rel, dict) else None


def _event_id(obj: Any) -> str | None:
    target = obj.get("event_id") if isinstance(obj, dict) else None
    return target if isinstance(target, str) else None


def thread_root(source: dict[str, Any]) -> str | None:
    """The thread an event was sent in (``rel_type: m.thread``), else None."""
    rel = relates_to(source)
    if rel is None or rel.get("rel_type") != "m.thread":
        return None
    return _event_id(rel)


def reply_target(source: dict[str, Any]) -> str | None:
    """The event this one answers. In a thread, ``is_falling_back: true`` means the
    ``m.in_reply_to`` is only there for clients without threads: the message then answers the
    thread's root (a user replying in the thread of a ping answers the ping). A missing flag
    means false (a genuine reply), as in the spec and matrix-rust-sdk's ruma."""
    rel = relates_to(source)
    if rel is None:
        return None
    reply = _event_id(rel.get("m.in_reply_to"))
    if rel.get("rel_type") == "m.thread":
        if reply is None or rel.get("is_falling_back") is True:
            return _event_id(rel)
    return reply


def edit_of(source: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """``(original event ID, m.new_content)`` for an edit (``rel_type: m.replace``), else None.
    The edit's own ``body`` (``* text``) is a fallback and must never be read as a command."""
    rel = relates_to(source)
    if rel is None or rel.get("rel_type") != "m.replace":
        return None
    original = _event_id(rel)
    content = source.get("content")
    new = content.get("m.new_content") if isinstance(content, dict) else None
    if original is None or not isinstance(new, dict):
        return None
    return original, new


def reply_relation(in_reply_to: str, thread: str | None = None) -> dict[str, Any]:
    """A rich reply without fallback (MSC2781); in a thread, a thread reply to that event."""
    if thread is None:
        return {"m.in_reply_to": {"event_id": in_reply_to}}
    return {"rel_type": "m.thread", "event_id": thread, "is_falling_back": False,
            "m.in_reply_to": {"event_id": in_reply_to}}


def edit_content(content: dict[str, Any], target: str) -> dict[str, Any]:
    """``content`` as an edit of our own event ``target`` (the new content has no relation)."""
    new = {k: v for k, v in content.items() if k != "m.relates_to"}
    out: dict[str, Any] = {
        **new,
        "body": "* " + str(content.get("body", "")),
        "m.new_content": new,
        "m.relates_to": {"rel_type": "m.replace", "event_id": target},
    }
    if "formatted_body" in content:
        out["formatted_body"] = "* " + str(content["formatted_body"])
    return out
