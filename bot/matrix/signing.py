"""The bot's cross-signing chores around a start (bot/matrix/identity.py does the work): sign this
device before the first sync, and check later, off the critical path, that the identity on the
server is still ours. Failures never stop the bot: unencrypted rooms work without it."""
from __future__ import annotations

import logging

from nio import AsyncClient

from bot.config import Config
from bot.diag import describe
from bot.matrix.identity import CrossSigningError, Status, check_remote, ensure_identity

log = logging.getLogger(__name__)


async def sign_this_device(config: Config, client: AsyncClient) -> Status | None:
    """Sign this device with the bot's cross-signing identity (made on the first start); None
    when encryption or cross-signing is off, or it failed (the next start retries).

    Once done for this device, it costs nothing at start: the record in data_dir says so.
    """
    if not client.olm or not config.matrix.cross_signing:
        return None
    try:
        if client.should_upload_keys:
            await client.keys_upload()  # the device's keys must be on the server to be signed
        identity = await ensure_identity(config, client.homeserver, client.access_token, client.user_id,
                                         client.device_id)
    except CrossSigningError as exc:
        log.error("cross-signing: %s", exc)
        return None
    except Exception as exc:
        log.warning("cross-signing failed (%s); the device stays unsigned until the next start", describe(exc))
        return None
    if identity.signed:
        log.info("cross-signing identity: master key %s (users compare this to verify the bot)", identity.fingerprint)
    else:
        log.error("cross-signing: %s", identity.reason)
    return identity


async def check_identity(config: Config, client: AsyncClient) -> None:
    """After start-up, off the critical path: is the identity on the server still ours?"""
    try:
        problem = await check_remote(config, client.homeserver, client.access_token, client.user_id, client.device_id)
    except Exception as exc:
        log.warning("checking the cross-signing identity failed (%s)", describe(exc))
        return
    if problem:
        log.error("cross-signing: %s", problem)
