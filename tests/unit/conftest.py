"""Shared unit-test fixtures: a real SQLite store in a temporary folder and a test config."""
from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config, parse_config
from bot.store.sqlite import Store


def make_config(**bot: object) -> Config:
    """A config for service tests: Jakarta time, pings at 09:00, unless ``bot`` says otherwise."""
    return parse_config({
        "matrix": {"homeserver": "https://hs.x", "user_id": "@bot:x", "password": "x"},
        "bot": {"default_timezone": "Asia/Jakarta", "default_time": "09:00", **bot},
    })


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated store on a real file, closed after the test."""
    db = await Store.open(tmp_path / "bot.sqlite3")
    try:
        yield db
    finally:
        await db.close()
