"""The bare echo bot: the reference for command round trips. A matrix-nio client configured like
the bot (encryption enabled, a crypto store), that joins on invite and answers every text message
from someone else at once with an ``m.notice`` reply. No database, no parsing, no rendering.

    python -m bench.echobot URL USER_ID DEVICE_ID TOKEN STORE_DIR
"""
from __future__ import annotations

import asyncio
import signal
import sys

import nio


async def main(url: str, user_id: str, device_id: str, token: str, store: str) -> None:
    client = nio.AsyncClient(url, user_id, device_id=device_id, store_path=store,
                             config=nio.AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False,
                                                          max_limit_exceeded=0, max_timeouts=0))
    client.restore_login(user_id, device_id, token)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    first = True

    async def on_text(room: nio.MatrixRoom, ev: nio.RoomMessageText) -> None:
        if first or ev.sender == user_id:
            return
        await client.room_send(room.room_id, "m.room.message", {
            "msgtype": "m.notice", "body": ev.body,
            "m.relates_to": {"m.in_reply_to": {"event_id": ev.event_id}},
        }, ignore_unverified_devices=True)

    async def on_invite(room: nio.MatrixRoom, ev: nio.InviteMemberEvent) -> None:
        if ev.state_key == user_id and ev.membership == "invite":
            await client.join(room.room_id)

    client.add_event_callback(on_text, nio.RoomMessageText)  # type: ignore[arg-type]
    client.add_event_callback(on_invite, nio.InviteMemberEvent)  # type: ignore[arg-type]
    since = None
    try:
        while not stop.is_set():
            task = asyncio.ensure_future(client.sync(timeout=0 if first else 30_000, since=since,
                                                     full_state=True if first else None))
            waiter = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            if task not in done:
                task.cancel()
                break
            resp = task.result()
            if isinstance(resp, nio.SyncResponse):
                since = resp.next_batch
                if client.should_upload_keys:
                    await client.keys_upload()
                if client.should_query_keys:
                    await client.keys_query()
                if client.should_claim_keys:
                    await client.keys_claim(client.get_users_for_key_claiming())
                await client.send_to_device_messages()
                if first:
                    first = False
                    print("echo bot ready", flush=True)
            else:
                await asyncio.sleep(0.5)
    finally:
        await client.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
