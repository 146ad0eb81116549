"""Defects found by trying the bot as a user (QA), pinned at the rendering level."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core.model import Line
from bot.core.render import carrier_id, render_ping
from bot.i18n import Translator

LANGS = ["en", "zh-Hans", "zh-Hant", "id", "ms"]


def line() -> Line:
    return Line(id=10, owner_id="!room:x", number=2, provider="xl", label="Dad", expiry=date(2026, 12, 3))


@pytest.mark.parametrize("lang", LANGS)
def test_a_group_ping_says_how_to_answer_with_the_prefix(lang: str) -> None:
    """In a group room only prefixed messages are commands: a ping that says "send: renewed 2 ..."
    there asks for a message the bot will ignore."""
    r = render_ping(Translator(lang), line(), today=date(2026, 12, 2), lang=lang, carrier=carrier_id, prefix="!")
    assert r.body.count("!renewed 2") == 2, r.body
    assert r.html.count("!renewed 2") == 2, r.html


@pytest.mark.parametrize("lang", LANGS)
def test_a_dm_ping_needs_no_prefix(lang: str) -> None:
    r = render_ping(Translator(lang), line(), today=date(2026, 12, 2), lang=lang, carrier=carrier_id)
    assert "renewed 2" in r.body and "!renewed" not in r.body


# --- labels with bidirectional text --------------------------------------------------------------

from bot.core.commands import Add, Edit, parse  # noqa: E402
from bot.core.render import line_name  # noqa: E402

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067",
                                     "\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\x07", "\x1b"])
def test_a_label_keeps_no_direction_override_or_control_character(control: str) -> None:
    """``add tri +50d <RLO>gnp.exe`` showed as "exe.png" and reversed the rest of its list line."""
    cmd = parse(f"add tri +50d {control}gnp.exe", today=TODAY)
    assert isinstance(cmd, Add) and cmd.label == "gnp.exe"
    cmd = parse(f"edit 1 label {control}gnp.exe", today=TODAY)
    assert isinstance(cmd, Edit) and cmd.text == "gnp.exe"


def test_emoji_joiners_and_variation_selectors_stay() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 \u2764\ufe0f"
    cmd = parse(f"add axis +5d {family}", today=TODAY)
    assert isinstance(cmd, Add) and cmd.label == family


def test_a_right_to_left_label_is_isolated_from_the_rest_of_its_line() -> None:
    """Without an isolate, a Hebrew or Arabic label makes the whole list line right-to-left, and
    "(im3) - expires 11 Jan 2027" is shown scrambled."""
    ln = Line(id=1, owner_id="@a:x", number=4, provider="im3", label="שלום مرحبا", expiry=date(2027, 1, 11))
    assert line_name(ln, carrier_id) == "\u2068שלום مرحبا\u2069 · im3"
    ltr = Line(id=2, owner_id="@a:x", number=5, provider="axis", label="Mum 妈妈", expiry=date(2027, 1, 11))
    assert line_name(ltr, carrier_id) == "Mum 妈妈 · axis"



# --- usage in error replies: in the reader's language ------------------------------------------------

import re  # noqa: E402

from bot.core.args import ALL_WORDS, OFF_WORDS, CommandError  # noqa: E402
from bot.core.commands import split_command  # noqa: E402
from bot.core.commands.lines import _EDIT_FIELDS  # noqa: E402
from bot.core.render import render_error  # noqa: E402

#: Words a command's syntax may show that are not placeholders.
_ENGLISH_SYNTAX = re.compile(r"<(provider|expiry|label|text|name|plan|new expiry|days,\.\.\.)>|\[label\]")


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "id", "ms"])
@pytest.mark.parametrize("said", ["add axis", "add", "edit 1", "edit 1 date", "edit 1 colour x", "remove abc", "remove",
                                  "remind", "remind x 7", "renewed 1 2026-12-31 extra", "renewed abc"])
def test_a_usage_hint_is_in_the_readers_language(lang: str, said: str) -> None:
    """``删除 abc`` was answered "用法：remove <n>", ``ubah 1`` with "edit <n> date <expiry> | ...":
    English syntax words inside a Chinese, Indonesian or Malay reply."""
    with pytest.raises(CommandError) as err:
        parse(said, today=TODAY, lang=lang)
    body = render_error(Translator(lang), err.value.msgid, err.value.params).body
    if lang in ("id", "ms"):  # "label" is an Indonesian and Malay word too
        body = body.replace("<label>", "").replace("[label]", "")
    assert not _ENGLISH_SYNTAX.search(body), body


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["add", "renewed", "edit", "remove", "remind"])
def test_every_localized_usage_is_a_command_the_bot_understands(lang: str, name: str) -> None:
    usage = Translator(lang)(f"usage.{name}")
    assert usage != f"usage.{name}"
    for alt in [usage] if name == "renewed" else usage.split(" | "):
        words = re.sub(r"\[[^\]]*\]|<[^>]*>", " ", alt).split()
        assert split_command(" ".join(words)).name == name, (alt, words)
        literal = alt.split(">", 1)[1].split() if name in ("edit", "remind") and ">" in alt else []
        if name == "edit":
            assert literal and literal[0].lower() in _EDIT_FIELDS, alt
        if name == "remind" and not alt.rstrip().endswith(">"):
            assert literal[-1].lower() in OFF_WORDS, alt
        if name == "remind":
            inside = alt.split("<", 1)[1].split(">", 1)[0]
            assert inside.split("|")[1] in ALL_WORDS, alt


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_date_in_edit_gets_an_edit_example(lang: str) -> None:
    """``edit 1 date`` was answered "... Example: add axis 2026-12-31": the example of another command."""
    with pytest.raises(CommandError) as err:
        parse("edit 1 date", today=TODAY, lang=lang)
    body = render_error(Translator(lang), err.value.msgid, err.value.params).body
    assert "add axis" not in body and "2026-12-31" in body, body
    m = re.search(r"([^\s：:]+) 1 (\S+) 2026-12-31", body)
    assert m and split_command(m.group(0)).name == "edit" and m.group(2) in _EDIT_FIELDS, body


def test_no_such_page_reads_as_english() -> None:
    body = render_error(Translator("en"), "error.no_page", {"page": 2, "pages": 1}).body
    assert "there are 1" not in body, body
    assert "2" in body and "1" in body
