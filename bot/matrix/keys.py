"""End-to-end encryption upkeep after each sync, shared by the bot and the dev harness: both run
their own sync loop instead of nio's ``sync_forever``, so both must do what it does for keys."""
from __future__ import annotations

from nio import AsyncClient


async def keep_keys(client: AsyncClient) -> None:
    """Upload our one-time keys, query changed devices, claim keys for new sessions, then send
    the queued to-device messages (room keys among them), each only when nio asks for it."""
    if client.should_upload_keys:
        await client.keys_upload()
    if client.should_query_keys:
        await client.keys_query()
    if client.should_claim_keys:
        await client.keys_claim(client.get_users_for_key_claiming())
    await client.send_to_device_messages()  # nothing to do (and no request) when none are queued
