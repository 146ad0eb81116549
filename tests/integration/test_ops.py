"""Operating the bot: /metrics, /healthz, /readyz, JSON logs, admin commands (issue 12)."""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.dev.server import Homeserver, free_port
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import BotFactory, ask, open_dm
from tests.integration.matrix_user import MakeUser, MatrixUser
from tests.integration.test_bot_pings import coming_minute, pings

pytestmark = pytest.mark.integration

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def listen() -> dict[str, str]:
    return {"listen": f"127.0.0.1:{free_port()}"}


def base_url(bot: BotProcess) -> str:
    cfg = (bot.config_path.read_text())
    addr = cfg.split('listen = "', 1)[1].split('"', 1)[0]
    return f"http://{addr}"


async def get(bot: BotProcess, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http:
        async with http.get(base_url(bot) + path, timeout=aiohttp.ClientTimeout(total=10)) as resp:
            return resp.status, await resp.text()


async def scrape(bot: BotProcess) -> Samples:
    status, body = await get(bot, "/metrics")
    assert status == 200
    out: Samples = {}
    for family in text_string_to_metric_families(body):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def total(samples: Samples, name: str, pred: Callable[[dict[str, str]], bool] = lambda _: True) -> float:
    return sum(v for (n, labels), v in samples.items() if n == name and pred(dict(labels)))


async def test_metrics_move_with_a_ping_and_a_command(alice: MatrixUser, bot_factory: BotFactory) -> None:
    marker = "Zebra-Label-7731"  # the user's own text: must not reach the log at INFO
    bot = bot_factory(http=listen(), bot={"log_format": "json"})
    room = await open_dm(alice, bot)
    due = coming_minute()
    await ask(alice, room, "timezone UTC")
    await ask(alice, room, f"time {due.strftime('%H:%M')}")
    before = await scrape(bot)
    assert value(before, "renewal_bot_build_info", version=__import__("bot").__version__,
                 python=__import__("platform").python_version()) == 1
    r = await ask(alice, room, f"add axis today {marker}")
    assert "Line 1 added" in r.body, r.body
    after_cmd = await scrape(bot)
    assert value(after_cmd, "renewal_bot_commands_total", command="add", language="en") == \
        value(before, "renewal_bot_commands_total", command="add", language="en") + 1
    assert value(after_cmd, "renewal_bot_command_seconds_count", command="add") >= 1
    assert value(after_cmd, "renewal_bot_replies_sent_total") > value(before, "renewal_bot_replies_sent_total")

    await alice.wait_for_message(room, sender=bot.user_id, msgtype="m.text",
                                 timeout=(due - datetime.now(UTC)).total_seconds() + 30)
    assert len(pings(alice, room, bot)) == 1
    deadline = time.monotonic() + 10
    while True:  # the ping is counted when the homeserver answers; the scrape may come first
        after = await scrape(bot)
        if value(after, "renewal_bot_pings_sent_total") >= 1 or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    assert value(after, "renewal_bot_pings_sent_total") - value(before, "renewal_bot_pings_sent_total") == 1
    assert value(after, "renewal_bot_ping_lateness_seconds_count") == 1
    assert value(after, "renewal_bot_ping_lateness_seconds_bucket", le="10.0") == 1  # on time
    assert total(after, "renewal_bot_pings_failed_total") == 0
    assert value(after, "renewal_bot_syncs_total", result="ok") > value(before, "renewal_bot_syncs_total", result="ok")
    assert 0 <= value(after, "renewal_bot_sync_lag_seconds") < 40
    await asyncio.sleep(5.1)  # the database figures are read at most every 5 s
    after = await scrape(bot)
    assert value(after, "renewal_bot_lines") == 1 and value(after, "renewal_bot_owners") == 1
    assert value(after, "renewal_bot_outbox_depth", outbox="pings") == 0
    assert value(after, "renewal_bot_outbox_oldest_due_seconds", outbox="pings") == 0
    assert (await get(bot, "/healthz")) == (200, "ok\n")
    assert (await get(bot, "/readyz")) == (200, "ready\n")

    # JSON logs: one object per line, no user text, no secret.
    log = bot.log_text(since_start=False)
    # The one-time recovery-key notice (bot/matrix/identity.py) is printed between two rules of
    # "=" for the operator to read, outside the log; everything else is one JSON object a line.
    lines, banner = [], False
    for line in log.splitlines():
        if line and set(line) == {"="}:
            banner = not banner
        elif not banner and line.strip():
            lines.append(line)
    not_json = [line for line in lines if not line.startswith("{")]
    assert not not_json, f"lines that are not JSON: {not_json[:5]}"
    records = [json.loads(line) for line in lines]
    assert records and all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert any(r["message"].startswith("renewal-bot ready") for r in records)
    assert any(r.get("room_id") == room for r in records), "room ids are fields of their own"
    assert marker not in log
    assert bot.user.password not in log
    session = json.loads((bot.data_dir / "session.json").read_text())
    assert session["access_token"] not in log


async def test_readyz_follows_the_homeserver(tmp_path, bot_factory: BotFactory) -> None:
    hs = Homeserver(tmp_path / "hs", ratelimits=False)
    hs.start()
    try:
        bot = bot_factory(hs=hs, http=listen())
        assert await get(bot, "/readyz") == (200, "ready\n")
        port = hs.port
        hs.stop()
        deadline = time.monotonic() + 30
        while True:
            status, body = await get(bot, "/readyz")
            if status == 503 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        assert status == 503, body
        assert body.startswith("not ready: ") and "sync failing" in body, body
        assert (await get(bot, "/healthz"))[0] == 200  # alive, just not ready
        samples = await scrape(bot)
        assert value(samples, "renewal_bot_syncs_total", result="error") >= 2
        hs = Homeserver(tmp_path / "hs", ratelimits=False, port=port)
        hs.start()
        deadline = time.monotonic() + 30
        while True:
            status, body = await get(bot, "/readyz")
            if status == 200 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        assert (status, body) == (200, "ready\n")
    finally:
        hs.stop()


async def test_admin_gets_stats_others_the_unknown_command_reply(
    homeserver: Homeserver, make_user: MakeUser, bot_factory: BotFactory
) -> None:
    admin_reg, other_reg = make_user("admin"), make_user("other")
    bot = bot_factory(access={"admins": [admin_reg.user_id]})
    async with await MatrixUser.connect(homeserver.url, admin_reg) as admin, \
            await MatrixUser.connect(homeserver.url, other_reg) as other:
        room = await open_dm(admin, bot)
        await ask(admin, room, "add axis +30d mine")
        r = await ask(admin, room, "stats")
        assert "Bot statistics: renewal-bot" in r.body, r.body
        assert "Owners: 1 · lines: 1" in r.body, r.body
        assert "Pings due in the last 24 hours: 0 sent" in r.body
        r = await ask(admin, room, "catalog status")
        assert "Catalog:" in r.body, r.body
        await ask(admin, room, "language zh-Hant")
        r = await ask(admin, room, "stats")
        assert "機器人統計" in r.body, r.body

        room2 = await open_dm(other, bot)
        for cmd in ("stats", "catalog status"):
            r = await ask(other, room2, cmd)
            assert "I don't know the command" in r.body, r.body
            assert "Bot statistics" not in r.body and "Catalog:" not in r.body

        # Not in a group room either, admin or not.
        group = await admin.create_room(invite=[bot.user_id])
        await admin.wait_for_join(group, bot.user_id, timeout=30)
        r = await ask(admin, group, "!stats")
        assert "Bot statistics" not in r.body
