"""A first message of "hi" gets the command list, not "unknown command"; help finds commands
named in several words from their first word."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.commands import CommandError, parse
from bot.core.commands.help import Help

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("text", ["hi", "Hello there", "hey", "halo kak", "hai", "你好", "您好呀", "哈囉",
                                  "/start", "/help", "start"])
def test_a_greeting_opens_the_command_list(text: str) -> None:
    assert parse(text, today=TODAY) == Help()


@pytest.mark.parametrize(("text", "topic"), [
    ("help forget", "forget me"),
    ("help forget me", "forget me"),
    ("help forget room", "forget room"),
    ("help 列表", "list"),
    ("help nonsense", "nonsense"),
])
def test_help_names_the_command_asked_about(text: str, topic: str) -> None:
    assert parse(text, today=TODAY) == Help(topic=topic)


def test_a_word_that_only_looks_like_a_greeting_is_still_unknown() -> None:
    with pytest.raises(CommandError):
        parse("hikaru", today=TODAY)


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant", "id", "ms"])
def test_the_scam_verdicts_pointers_carry_the_rooms_prefix(lang: str) -> None:
    """In a group room "providers" without the prefix is ignored: the pointer must say "!providers"."""
    from bot.core.scam import Verdict
    from bot.core.scam_render import render_verdict

    body, html = render_verdict(Verdict(True, 2.0, ("messenger_contact",)), lang, prefix="!")
    assert "!providers" in body and "!howto" in body and "!providers" in html
    dm_body, _ = render_verdict(Verdict(True, 2.0, ("messenger_contact",)), lang)
    assert "!providers" not in dm_body and "providers" in dm_body
