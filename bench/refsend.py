"""The reference sender for the burst benchmark: sends a list of messages with a fixed concurrency,
as fast as the homeserver lets it, and nothing else.

``raw``: one aiohttp session, ``PUT /rooms/{room}/send/m.room.message/{txn}`` (plain rooms, or plain
events into encrypted rooms: what Synapse alone can take). ``nio``: a matrix-nio ``AsyncClient`` with
encryption, ``room_send(ignore_unverified_devices=True)``: the least a nio client has to do to send
into encrypted rooms (key queries, claims and room-key sharing included).

    python -m bench.refsend PLAN.json OUT.json

PLAN: {mode, url, user_id, token, device_id, store, concurrency, start_at, messages: [[room, content, txn]]}.
Sending starts at ``start_at`` (unix seconds), so process start-up is not timed.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import urllib.parse
from typing import Any


def cpu() -> float:
    t = os.times()
    return t.user + t.system


async def run_raw(plan: dict[str, Any]) -> dict[str, Any]:
    import aiohttp

    sem = asyncio.Semaphore(plan["concurrency"])
    url, token = plan["url"], plan["token"]
    event_ids: list[str | None] = [None] * len(plan["messages"])
    failures: list[str] = []
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
        # One request first so the connection pool is warm, like the bot's after its first sync.
        async with http.get(f"{url}/_matrix/client/v3/account/whoami") as r:
            await r.read()

        async def one(i: int, room: str, content: dict[str, Any], txn: str) -> None:
            path = f"{url}/_matrix/client/v3/rooms/{urllib.parse.quote(room)}/send/m.room.message/{txn}"
            async with sem:
                for _ in range(10):
                    async with http.put(path, json=content) as r:
                        data = await r.json()
                        if r.status == 200:
                            event_ids[i] = data["event_id"]
                            return
                        failures.append(f"{r.status} {data}")
                        await asyncio.sleep(data.get("retry_after_ms", 500) / 1000)

        syncs = 0

        async def sync_loop() -> None:
            """``sync: true``: also long-poll /sync as a bot must (every send wakes it up)."""
            nonlocal syncs
            async with http.get(f"{url}/_matrix/client/v3/sync",
                                params={"filter": '{"room":{"timeline":{"limit":1}}}'}) as r:
                since = (await r.json())["next_batch"]
            ready.set()
            while True:
                params = {"timeout": "30000"}
                if since:
                    params["since"] = since
                async with http.get(f"{url}/_matrix/client/v3/sync", params=params) as r:
                    since = (await r.json())["next_batch"]
                syncs += 1

        ready = asyncio.Event()
        syncer = asyncio.ensure_future(sync_loop()) if plan.get("sync") else None
        if syncer:
            await ready.wait()
        await _wait(plan["start_at"])
        t0, c0, s0 = time.time(), cpu(), syncs
        await asyncio.gather(*(one(i, *m) for i, m in enumerate(plan["messages"])))
        t1, c1, s1 = time.time(), cpu(), syncs
        if syncer:
            syncer.cancel()
    return {"t_start": t0, "t_end": t1, "cpu_s": c1 - c0, "event_ids": event_ids, "failures": failures[:20],
            "syncs": s1 - s0}


async def run_nio(plan: dict[str, Any]) -> dict[str, Any]:
    import nio

    client = nio.AsyncClient(
        plan["url"], plan["user_id"], device_id=plan["device_id"], store_path=plan["store"],
        config=nio.AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False,
                                     max_limit_exceeded=0, max_timeouts=0, request_timeout=60),
    )
    client.restore_login(plan["user_id"], plan["device_id"], plan["token"])
    sem = asyncio.Semaphore(plan["concurrency"])
    event_ids: list[str | None] = [None] * len(plan["messages"])
    failures: list[str] = []
    try:
        resp = await client.sync(timeout=0, full_state=True)
        assert isinstance(resp, nio.SyncResponse), resp
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()

        async def one(i: int, room: str, content: dict[str, Any], txn: str) -> None:
            async with sem:
                for _ in range(10):
                    r = await client.room_send(room, "m.room.message", content, tx_id=txn,
                                               ignore_unverified_devices=True)
                    if isinstance(r, nio.RoomSendResponse):
                        event_ids[i] = r.event_id
                        return
                    failures.append(str(r))
                    await asyncio.sleep(0.5)

        await _wait(plan["start_at"])
        t0, c0 = time.time(), cpu()
        await asyncio.gather(*(one(i, *m) for i, m in enumerate(plan["messages"])))
        t1, c1 = time.time(), cpu()
    finally:
        await client.close()
    return {"t_start": t0, "t_end": t1, "cpu_s": c1 - c0, "event_ids": event_ids, "failures": failures[:20]}


async def _wait(start_at: float) -> None:
    delay = start_at - time.time()
    if delay > 0:
        await asyncio.sleep(delay)


def main() -> int:
    plan = json.loads(open(sys.argv[1]).read())
    runner = run_nio if plan["mode"] == "nio" else run_raw
    out = asyncio.run(runner(plan))
    with open(sys.argv[2], "w") as fh:
        json.dump(out, fh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
