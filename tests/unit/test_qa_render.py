"""Defects found by trying the bot as a user (QA), pinned at the rendering level."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.model import Line
from bot.core.render import render_ping
from bot.i18n import Translator

LANGS = ["en", "zh-Hans", "zh-Hant", "id", "ms"]


def line() -> Line:
    return Line(id=10, owner_id="!room:x", number=2, provider="xl", label="Dad", expiry=date(2026, 12, 3))


@pytest.mark.parametrize("lang", LANGS)
def test_a_group_ping_says_how_to_answer_with_the_prefix(lang: str) -> None:
    """In a group room only prefixed messages are commands: a ping that says "send: renewed 2 ..."
    there asks for a message the bot will ignore."""
    r = render_ping(Translator(lang), line(), today=date(2026, 12, 2), lang=lang, provider_name="XL", prefix="!")
    assert r.body.count("!renewed 2") == 2, r.body
    assert r.html.count("!renewed 2") == 2, r.html


@pytest.mark.parametrize("lang", LANGS)
def test_a_dm_ping_needs_no_prefix(lang: str) -> None:
    r = render_ping(Translator(lang), line(), today=date(2026, 12, 2), lang=lang, provider_name="XL")
    assert "renewed 2" in r.body and "!renewed" not in r.body
