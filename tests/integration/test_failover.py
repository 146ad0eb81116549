"""Several instances on one PostgreSQL database: one active, the others standing by; exactly once.

Two ``renewal-bot run`` processes of one bot account (each its own data dir, so its own device)
share a real PostgreSQL database and a real Synapse. 500 pings fall due at one instant; the
active process is SIGKILLed 10 times during the burst, and each time the standby takes over and
the killed one comes back as the standby. Every ping must be in its room exactly once, counted in
Synapse's ``/messages`` and in each user's client (a sync, as a client does). Commands sent
during the burst, just before each kill, must each get exactly one reply.
"""
from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nio
import pytest

from bot.core.model import PlannedPing
from bot.dev.server import Homeserver
from bot.matrix.answers import reply_txn_id
from bot.store.postgres import Store as PgStore
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser

pytestmark = pytest.mark.integration

USERS = 20
LINES_PER_USER = 25  # 500 pings
KILLS = 10
LEASE_SECONDS = 3.0
PING_KEY = "org.renewal_bot.ping"
REPLY_KEY = "org.renewal_bot.reply"


def instance_of(proc: BotProcess) -> str | None:
    """The device ID the process logs as its instance name (its latest role line)."""
    found = re.findall(r"(?:active: instance|standing by: instance) (\S+)", proc.log_text(since_start=False))
    return found[-1] if found else None


async def sent_count(store: PgStore, due_ms: int) -> int:
    async with store.read() as tx:
        (n,) = await tx._one("SELECT COUNT(*) FROM pings WHERE due = ? AND status = 'sent'", (due_ms,))
    return int(n)


async def replies_waiting(store: PgStore, command_events: list[str]) -> bool:
    """Some command is not handled yet, or its reply not yet sent."""
    async with store.read() as tx:
        (handled,) = await tx._one(
            f"SELECT COUNT(*) FROM handled_events WHERE event_id IN ({','.join('?' * len(command_events))})",
            command_events)
        (pending,) = await tx._one("SELECT COUNT(*) FROM replies WHERE status = 'pending'")
    return int(handled) < len(set(command_events)) or int(pending) > 0


async def holder(store: PgStore) -> str | None:
    async with store.read() as tx:
        row = await tx._one("SELECT holder FROM leader")
    return row[0] if row else None


def room_pings(hs: Homeserver, token: str, room_id: str, bot_id: str, key: str = PING_KEY) -> list[dict[str, Any]]:
    """The bot's pings (or, with ``key`` REPLY_KEY, replies) in a room, from Synapse's /messages
    (every page)."""
    out: list[dict[str, Any]] = []
    frm = ""
    flt = urllib.parse.quote(json.dumps({"senders": [bot_id], "types": ["m.room.message"]}))
    while True:
        q = f"dir=b&limit=500&filter={flt}" + (f"&from={urllib.parse.quote(frm)}" if frm else "")
        data = hs.request("GET", f"/_matrix/client/v3/rooms/{urllib.parse.quote(room_id)}/messages?{q}", token=token)
        chunk = data.get("chunk") or []
        out += [ev for ev in chunk if key in ev.get("content", {})]
        if not chunk or not data.get("end"):
            return out
        frm = data["end"]


async def client_pings(hs: Homeserver, user: Any, room_id: str, bot_id: str) -> list[str]:
    """The ping ids a user's client sees in the room (one sync, as a client after a restart)."""
    client = nio.AsyncClient(hs.url, user.user_id)
    client.restore_login(user.user_id, user.device_id, user.access_token)
    try:
        resp = await client.sync(timeout=0, full_state=True,
                                 sync_filter={"room": {"timeline": {"limit": 500}}})
        assert isinstance(resp, nio.SyncResponse), resp
        timeline = resp.rooms.join[room_id].timeline
        assert not timeline.limited
        return [ev.source["content"][PING_KEY] for ev in timeline.events
                if getattr(ev, "sender", None) == bot_id and PING_KEY in ev.source.get("content", {})]
    finally:
        await client.close()


async def test_two_instances_500_pings_10_kills_every_ping_exactly_once(
    homeserver: Homeserver, make_user: MakeUser, pg_url: str, tmp_path: Path
) -> None:
    hs = homeserver
    bot_user = hs.register("bot-failover")
    store_cfg = {"url": pg_url, "lease_seconds": LEASE_SECONDS}
    # Counted per line: each line's ping a message of its own (grouped pings carry one id for many).
    procs = [BotProcess(hs, bot_user, tmp_path / f"instance{i}", store=store_cfg, bot={"group_pings": False})
             for i in range(2)]
    store = await PgStore.open(pg_url)
    users: list[MatrixUser] = []
    try:
        procs[0].start()
        procs[1].start(wait_ready=False)
        procs[1].wait_for_log("standing by", timeout=60)
        assert "renewal-bot ready" not in procs[1].log_text()

        # Twenty people, each in a DM with the bot; the active instance answers them.
        regs = [make_user(f"fo{i}") for i in range(USERS)]
        users = list(await asyncio.gather(*(MatrixUser.connect(hs.url, r) for r in regs)))
        rooms = list(await asyncio.gather(*(open_dm(u, procs[0]) for u in users)))
        for u, room in zip(users, rooms, strict=False):
            await ask(u, room, "timezone UTC", timeout=30)

        # 500 lines expiring today, their pings all due at one instant, added round-robin so that
        # each room's pings are spread over the burst.
        today = datetime.now(UTC).date()
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=4)
        due_ms = int(due.timestamp() * 1000)
        line_room: dict[int, int] = {}
        async with store.tx() as tx:
            for k in range(LINES_PER_USER):
                for i, u in enumerate(users):
                    line = await tx.add_line(u.user_id, provider="axis", label=f"L{k}", expiry=today, now_ms=due_ms)
                    await tx.arm(line, [PlannedPing(offset=0, due=due)])
                    line_room[line.id] = i
        total = len(line_room)
        assert total == USERS * LINES_PER_USER

        # Kill the active instance 10 times during the burst; the killed one returns as standby.
        # Just before each kill, two people send a command: its reply may be in flight.
        kills: list[float] = []
        commands: list[tuple[int, str]] = []  # (user, command event)
        active = procs[0]
        for n in range(KILLS):
            base = await sent_count(store, due_ms)
            deadline = time.monotonic() + 60
            while await sent_count(store, due_ms) < min(base + 25, total - (KILLS - n) * 40):
                assert time.monotonic() < deadline, f"no progress after kill {n}"
                await asyncio.sleep(0.05)
            now_holder = await holder(store)
            active = next(p for p in procs if instance_of(p) == now_holder)
            standby = next(p for p in procs if p is not active)
            for i in (2 * n % USERS, (2 * n + 1) % USERS):
                commands.append((i, await users[i].send_text(rooms[i], "list")))
            await asyncio.sleep(0.3 * (n % 3))  # before, while and after the replies go out
            kills.append(time.time())
            active.kill()
            active.start(wait_ready=False)
            active.wait_for_log("standing by", timeout=60)
            standby.wait_for_log("took over", timeout=30)
        deadline = time.monotonic() + 120
        while await sent_count(store, due_ms) < total or await replies_waiting(store, [e for _, e in commands]):
            assert time.monotonic() < deadline, f"only {await sent_count(store, due_ms)} of {total} sent"
            await asyncio.sleep(0.2)
        await asyncio.sleep(3)  # a late duplicate would show up now

        # Each command answered exactly once (a reply carries its command's reply transaction ID).
        for i, event_id in commands:
            replies = room_pings(hs, regs[i].access_token, rooms[i], bot_user.user_id, key=REPLY_KEY)
            mine = [ev for ev in replies if ev["content"][REPLY_KEY] == reply_txn_id(event_id)]
            assert len(mine) == 1, f"command {event_id} of user {i}: {len(mine)} replies"

        # Exactly once per line, in Synapse's /messages and in each user's client.
        expected = {f"{lid}-{today.isoformat()}-+0": i for lid, i in line_room.items()}
        seen_ts: list[int] = []
        for i, (_u, room) in enumerate(zip(users, rooms, strict=False)):
            events = room_pings(hs, regs[i].access_token, room, bot_user.user_id)
            ids = [ev["content"][PING_KEY] for ev in events]
            mine = sorted(k for k, r in expected.items() if r == i)
            assert sorted(ids) == mine, f"user {i}: {len(ids)} pings for {len(mine)} lines"
            seen = await client_pings(hs, regs[i], room, bot_user.user_id)
            assert sorted(seen) == mine
            seen_ts += [ev["origin_server_ts"] for ev in events]

        # Failover: SIGKILL -> the first ping the standby sent (nothing the dead one sent can
        # reach Synapse a second after its death; the standby cannot send before the lease ends).
        seen_ts.sort()
        failover = []
        for k in kills:
            after = [ts for ts in seen_ts if ts >= k * 1000 + 1000]
            if after:
                failover.append(after[0] / 1000 - k)
        p50, worst = statistics.median(failover), max(failover)
        found = sum(p.log_text(since_start=False).count("already sent by the instance") for p in procs)
        print(f"\nfailover over {len(failover)} kills (lease {LEASE_SECONDS:.0f}s): p50 {p50:.2f}s, "
              f"max {worst:.2f}s; {found} pings found already sent in their room and not re-sent")
        assert worst < 15.0
    finally:
        for u in users:
            await u.close()
        for p in procs:
            p.stop()
        await store.close()


async def test_a_clean_stop_hands_over_at_once(homeserver: Homeserver, pg_url: str, tmp_path: Path) -> None:
    bot_user = homeserver.register("bot-handover")
    store_cfg = {"url": pg_url, "lease_seconds": 30}
    a, b = (BotProcess(homeserver, bot_user, tmp_path / f"i{i}", store=store_cfg) for i in range(2))
    try:
        a.start()
        b.start(wait_ready=False)
        b.wait_for_log("standing by", timeout=60)
        started = time.monotonic()
        assert a.terminate() == 0
        b.wait_for_log("renewal-bot ready", timeout=20)
        # Far sooner than the 30 s lease: the lease was released.
        assert time.monotonic() - started < 10
        assert "released the lease" in a.log_text()
        a.start(wait_ready=False)
        a.wait_for_log("standing by", timeout=60)
    finally:
        a.stop()
        b.stop()
