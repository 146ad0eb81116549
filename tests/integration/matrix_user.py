"""The scripted human user for integration tests.

The implementation lives in `bot.dev.client` because the demo (`bot.dev.demo`) drives the same client;
tests import it from here so they do not depend on where it lives.
"""

from collections.abc import Callable

from bot.dev.client import (
    Credentials,
    MatrixUser,
    MatrixUserError,
    ReceivedMessage,
    bodies,
)
from bot.dev.server import Registered

#: Type of the `make_user` / `make_limited_user` fixtures.
MakeUser = Callable[..., Registered]

__all__ = ["Credentials", "MatrixUser", "MatrixUserError", "MakeUser", "ReceivedMessage", "bodies"]
