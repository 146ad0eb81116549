"""The scripted human user for integration tests.

The implementation lives in `bot.devclient` because the demo (`bot.demo`) drives the same client;
tests import it from here so they do not depend on where it lives.
"""

from collections.abc import Callable

from bot.devclient import (
    Credentials,
    MatrixUser,
    MatrixUserError,
    ReceivedMessage,
    bodies,
)
from bot.devserver import Registered

#: Type of the `make_user` / `make_limited_user` fixtures.
MakeUser = Callable[..., Registered]

__all__ = ["Credentials", "MatrixUser", "MatrixUserError", "MakeUser", "ReceivedMessage", "bodies"]
