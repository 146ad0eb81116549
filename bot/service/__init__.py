"""Use cases: what commands, pings, reactions and rooms do to the store. Knows nothing of Matrix.

- :mod:`bot.service.core`: :class:`Service` (settings, arming pings, running a command)
- :mod:`bot.service.commands`: one handler per command of :data:`bot.core.commands.COMMANDS`
- :mod:`bot.service.pings`: rendering pings; reactions and replies to them
"""
from bot.service.context import Context, PingMessage, ms
from bot.service.core import Service, looks_pasted
from bot.service.pings import reaction_action

__all__ = ["Context", "PingMessage", "Service", "looks_pasted", "ms", "reaction_action"]
