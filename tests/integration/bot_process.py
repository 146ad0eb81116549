"""The bot under test, as a real process: :class:`bot.dev.process.BotProcess` (shared with the
benchmarks and the demo) with the tests' config: password login, a 5-second outbox sweep.

Running it as a subprocess lets tests SIGKILL and restart it exactly as an operator's crash would.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.dev import process
from bot.dev.process import READY, bot_config
from bot.dev.server import Homeserver, Registered

__all__ = ["READY", "BotProcess"]


class BotProcess(process.BotProcess):
    """The bot for ``bot_user`` on ``hs``, its config, data and log in ``workdir``."""

    def __init__(
        self,
        hs: Homeserver,
        bot_user: Registered,
        workdir: Path,
        *,
        bot: dict[str, Any] | None = None,
        access: dict[str, Any] | None = None,
        limits: dict[str, Any] | None = None,
        matrix: dict[str, Any] | None = None,
        http: dict[str, Any] | None = None,
        store: dict[str, Any] | None = None,
    ) -> None:
        self.user = bot_user
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir = workdir / "data"
        config = bot_config(
            workdir / "bot.toml", hs, bot_user, self.data_dir, device_name="renewal-bot test",
            matrix=matrix, bot={"sweep_seconds": 5, **(bot or {})}, access=access, limits=limits, http=http, store=store,
        )
        super().__init__(config, workdir / "bot.log")

    @property
    def user_id(self) -> str:
        return self.user.user_id
