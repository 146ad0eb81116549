"""Checks shared by the tests of facts added to the catalog (one list of new facts per test file):
each fact sits once in its topic with a source and a quote, and every reader sees its value."""
from __future__ import annotations

from datetime import date

from bot.catalog import load_catalog
from bot.core.howto import howto_full

CATALOG = load_catalog()
TODAY = date(2026, 12, 2)
LANGS = ("en", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK", "id", "ms")


def assert_in_topic(pid: str, field: str, text: str, value: str) -> None:
    facts = [f for f in getattr(CATALOG.require(pid), field) if f.text == text and f.value == value]
    assert len(facts) == 1, (pid, field, text)
    assert facts[0].source.startswith("http") and facts[0].quote


def assert_howto_shows(pid: str, text: str, value: str, lang: str) -> None:
    reply = "\n".join(howto_full(CATALOG.require(pid), lang, today=TODAY))
    assert value in reply
    assert text not in reply  # the message id never leaks as a missing translation
