"""A command addressed by a mention pill in a group room (QA: Element users do this)."""
from __future__ import annotations

import pytest

from bot.matrix.mention import names_of, unmention

ME = "@renewal-bot:example.org"
MENTIONED = {"m.mentions": {"user_ids": [ME]}}
NAMES = names_of(ME, "Renewal Bot")


@pytest.mark.parametrize(("body", "command"), [
    ("Renewal Bot: list", "!list"), ("renewal-bot: list", "!list"), (f"{ME} list", "!list"),
    ("Renewal Bot: !list", "!list"), ("renewal-bot，列表", "!列表"), ("  Renewal Bot:  add axis +30d Mum", "!add axis +30d Mum"),
])
def test_a_leading_mention_of_the_bot_is_the_prefix(body: str, command: str) -> None:
    assert unmention(body, MENTIONED, ME, NAMES, "!") == command


@pytest.mark.parametrize(("body", "content"), [
    ("renewal-bot: list", {}),  # no intentional mention: chatter that starts with its name
    ("renewal-bot: list", {"m.mentions": {"user_ids": ["@someone:example.org"]}}),
    ("Renewal Botty list", MENTIONED), ("Renewal Bot:", MENTIONED), ("thanks Renewal Bot: list", MENTIONED),
    ("list", MENTIONED), ("renewal-bot: list", {"m.mentions": "bad"}),
])
def test_anything_else_is_left_as_it_is(body: str, content: object) -> None:
    assert unmention(body, content, ME, NAMES, "!") == body
