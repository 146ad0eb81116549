"""Fixtures for tests of the bot itself: a fresh bot account and process per test."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.dev.server import Homeserver
from tests.integration.bot_process import BotProcess
from tests.integration.matrix_user import MakeUser, MatrixUser

BotFactory = Callable[..., BotProcess]


@pytest.fixture
def bot_factory(homeserver: Homeserver, make_user: MakeUser, tmp_path: Path) -> Iterator[BotFactory]:
    """``bot_factory(**config_sections)`` -> a started bot with its own account and data dir."""
    made: list[BotProcess] = []

    def make(*, start: bool = True, hs: Homeserver | None = None, **sections: Any) -> BotProcess:
        server = hs or homeserver
        user = server.register(f"bot-{uuid.uuid4().hex[:8]}")
        proc = BotProcess(server, user, tmp_path / f"bot{len(made)}", **sections)
        made.append(proc)
        if start:
            proc.start()
        return proc

    yield make
    for proc in made:
        proc.stop()


@pytest.fixture
def bot(bot_factory: BotFactory) -> BotProcess:
    return bot_factory()


@pytest.fixture
async def alice(homeserver: Homeserver, make_user: MakeUser) -> AsyncIterator[MatrixUser]:
    async with await MatrixUser.connect(homeserver.url, make_user("alice")) as user:
        yield user


async def open_dm(user: MatrixUser, bot: BotProcess, *, encrypted: bool = False) -> str:
    """A DM with the bot, once the bot has joined."""
    room_id = await user.create_dm(bot.user_id, encrypted=encrypted)
    await user.wait_for_join(room_id, bot.user_id, timeout=30)
    return room_id


async def ask(user: MatrixUser, room_id: str, text: str, *, timeout: float = 20) -> Any:
    """Send a command and return the bot's reply to it."""
    event_id = await user.send_text(room_id, text)
    return await user.wait_for_reply(room_id, event_id, timeout=timeout)
