"""Event content the bot sends: replies (``m.notice``, in the asker's thread), pings (``m.text``), pills.

Message shapes live here: HTML ``formatted_body``, intentional mentions (``m.mentions``; never
``@room``); the ``m.relates_to`` shapes (replies, threads, edits) in :mod:`bot.matrix.relations`.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bot.core.render import Reply
from bot.html import Html
from bot.matrix.relations import reply_relation

HTML_FORMAT = "org.matrix.custom.html"


def message(reply: Reply, *, msgtype: str) -> dict[str, Any]:
    """A message with a plain and an HTML body that mentions nobody."""
    return {"msgtype": msgtype, "body": reply.body, "format": HTML_FORMAT, "formatted_body": reply.html,
            "m.mentions": {}}


def notice(reply: Reply, in_reply_to: str, *, thread_root: str | None = None) -> dict[str, Any]:
    """The bot's answer: an ``m.notice`` (no notification, other bots ignore it), as a reply to
    the event it answers, inside that event's thread if it was in one."""
    content = message(reply, msgtype="m.notice")
    content["m.relates_to"] = reply_relation(in_reply_to, thread_root)
    return content


def pill(user_id: str) -> Html:
    """A link to a user that clients show as a pill."""
    return Html('<a href="https://matrix.to/#/{}">{}</a>').format(quote(user_id, safe="@:"), user_id)


def ping(reply: Reply, *, mention: str | None = None) -> dict[str, Any]:
    """A ping is an ``m.text`` (clients notify for it). In a group room it names the line's owner
    with a pill and an intentional mention, never ``@room``."""
    content = message(reply, msgtype="m.text")
    if mention:
        content["m.mentions"] = {"user_ids": [mention]}
        content["body"] = f"{mention}: {reply.body}"
        content["formatted_body"] = pill(mention) + Html(": ") + Html(reply.html)
    return content
