"""``verify``: the bot's identity as a user compares it (README, "Verifying the bot")."""
from __future__ import annotations

from bot.core import commands as c
from bot.core.render import Reply, fill, join, text
from bot.service.handlers import Call, handles


def fingerprint(public_key: str) -> str:
    """Groups of four, as Element shows keys (same as ``bot.matrix.crosssigning.fingerprint``)."""
    return " ".join(public_key[i:i + 4] for i in range(0, len(public_key), 4))


@handles(c.Verify)
async def verify(call: Call, cmd: c.Verify) -> Reply:
    identity = call.svc.identity
    bot_id = call.svc.config.matrix.user_id
    if identity is None:
        return fill(call.t, "reply.verify_none", bot=bot_id)
    master, device = identity
    return join([
        fill(call.t, "reply.verify", bot=bot_id, fingerprint=fingerprint(master), device=device),
        text(call.t("reply.verify_how")),
    ])
