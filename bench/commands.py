"""Commands: how many the bot handles per second in-process, and the round trip a user sees.

    python -m bench.commands [--quick] [--encrypted] [--skip-e2e] [--profile FILE.html]

In-process (no Matrix, no network): the bot's own ``EventRouter`` gets ``RoomMessageText`` events
(built as nio builds them from a sync) and does what it does for every command: filter, budget,
one transaction on a real SQLite store in WAL mode (mark handled, parse, run the use case, render
the reply, queue the reply in the outbox). The Matrix client is a stub (typing notices and read
markers go nowhere). The mix, per user, cycles through: help, add, list, renewed, settings, edit,
remind, remove. Throughput = commands / wall time, after a warm-up; also CPU per command.

End to end: a user (matrix-nio, as in the integration tests) in a DM with the bot and in a DM
with a bare echo bot (``bench.echobot``) on the same Synapse, alternating one command to each,
waiting for each reply. Round trip = from just before the user's send to the reply arriving in
the user's sync. ``--encrypted``: both DMs are encrypted.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

from bench.common import (
    BotProc,
    pct,
    proc_mem_mb,
    rmtree,
    save,
    self_cpu_s,
    spawn,
    start_homeserver,
    stop_proc,
    summary,
    tmpdir,
)

MIX = ["help", "add axis +30d Bench line", "list", "renewed 1 +30d", "settings", "edit 1 label Renamed",
       "remind 1 3,1", "remove 1"]


# --------------------------------------------------------------------------- in-process
class _StubClient:
    """Stands in for nio's AsyncClient: no rooms known (every room is a DM), and the calls the
    router makes on the side (typing, read markers) do nothing."""

    user_id = "@renewal-bot:localhost"
    rooms: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        async def noop(*args: Any, **kwargs: Any) -> None:
            return None

        return noop


def _event(i: int, sender: str, body: str) -> Any:
    from nio import RoomMessageText

    return RoomMessageText.from_dict({
        "event_id": f"$bench{i}", "sender": sender, "origin_server_ts": int(time.time() * 1000),
        "type": "m.room.message", "content": {"msgtype": "m.text", "body": body},
    })


async def in_process(n: int, users: int, reps: int, profile: str | None) -> dict[str, Any]:
    from bot.config import load_config
    from bot.matrix.events import EventRouter
    from bot.scheduler import utcnow
    from bot.service import Service
    from bot.store.sqlite import Store

    work = tmpdir("cmds")
    runs = []
    try:
        cfg_path = work / "bot.toml"
        cfg_path.write_text(
            '[matrix]\nhomeserver = "http://127.0.0.1:1"\nuser_id = "@renewal-bot:localhost"\n'
            'access_token = "unused"\n\n'
            f'[bot]\ndata_dir = "{work}"\ndefault_timezone = "UTC"\n\n'
            '[access]\nallowed_users = ["@*:localhost"]\n\n[limits]\ncommands_per_minute = 10000\n'
        )
        config = load_config(cfg_path)
        store = await Store.open(work / "renewal-bot.sqlite3")
        router = EventRouter(_StubClient(), store, Service(config), config,  # type: ignore[arg-type]
                             on_reply_queued=lambda: None, clock=utcnow)
        counter = 0
        spent: list[tuple[float, float]] = []

        async def batch(count: int, tag: str) -> list[float]:
            nonlocal counter
            lat = []
            events = []  # built beforehand: parsing Matrix JSON is nio's work, not the command's
            for k in range(count):
                user = k % users
                events.append((f"!dm{tag}{user}:localhost",
                               _event(counter + k, f"@{tag}u{user}:localhost", MIX[(k // users) % len(MIX)])))
            counter += count
            c0, t0 = self_cpu_s(), time.perf_counter()
            for room, ev in events:
                t = time.perf_counter()
                await router.on_event(room, ev, 0)
                lat.append(time.perf_counter() - t)
            spent.append((time.perf_counter() - t0, self_cpu_s() - c0))
            return lat

        await batch(users * len(MIX), "warm")  # dateparser, catalogs, language detection warm up
        profiler = None
        for rep in range(reps):
            if profile and rep == reps - 1:
                from pyinstrument import Profiler

                profiler = Profiler(async_mode="enabled")
                profiler.start()
            lat = await batch(n, f"r{rep}")
            wall, cpu = spent[-1]
            if profiler is not None:
                profiler.stop()
                out = Path(profile)  # type: ignore[arg-type]
                out.write_text(profiler.output_html() if out.suffix == ".html" else profiler.output_text(show_all=False))
            async with store.read() as tx:
                pending = len(await tx.due_replies(10**15, 10**6))
            runs.append({"rep": rep, "commands": n, "per_s": round(n / wall, 1),
                         "cpu_ms_per_cmd": round(cpu / n * 1000, 3),
                         "p50_ms": round(pct(lat, 50) * 1000, 3), "p99_ms": round(pct(lat, 99) * 1000, 3),
                         "replies_queued_total": pending})
            print(json.dumps(runs[-1]), flush=True)
        await store.close()
    finally:
        rmtree(work)
    return {
        "runs": runs, "per_s": summary([r["per_s"] for r in runs], 1),
        "cpu_ms_per_cmd": summary([r["cpu_ms_per_cmd"] for r in runs], 3),
        "p50_ms": summary([r["p50_ms"] for r in runs], 3), "p99_ms": summary([r["p99_ms"] for r in runs], 3),
    }


# --------------------------------------------------------------------------- end to end
async def end_to_end(n: int, reps: int, encrypted: bool) -> dict[str, Any]:
    from bot.dev.client import MatrixUser

    work = tmpdir("e2e")
    hs = start_homeserver(work)
    bot = echo = None
    runs = []
    try:
        bot_user = hs.register("renewal-bot")
        echo_user = hs.register("echo-bot")
        human = hs.register("alice")
        for u in (bot_user, echo_user):
            hs.override_ratelimit(u.user_id)
        bot = BotProc(hs, bot_user, work / "bot", encryption=True, limits={"commands_per_minute": 10000})
        bot.start()
        (work / "echo").mkdir()
        echo = spawn(["-m", "bench.echobot", hs.url, echo_user.user_id, echo_user.device_id,
                      echo_user.access_token, str(work / "echo")], work / "echo.log")
        async with await MatrixUser.connect(hs.url, human, encryption=encrypted,
                                            store_dir=work / "alice" if encrypted else None) as user:
            rooms = {
                "bot": await user.create_dm(bot_user.user_id, encrypted=encrypted),
                "echo": await user.create_dm(echo_user.user_id, encrypted=encrypted),
            }
            for kind, room in rooms.items():
                await user.wait_for_join(room, bot_user.user_id if kind == "bot" else echo_user.user_id, timeout=60)

            async def one(kind: str, text: str) -> tuple[float, float]:
                room = rooms[kind]
                t = time.perf_counter()
                event_id = await user.send_text(room, text)
                reply = await user.wait_for_reply(room, event_id, timeout=30)
                rtt = time.perf_counter() - t
                mine = next(m for m in user.messages(room) if m.event_id == event_id)
                return rtt, (reply.origin_server_ts - mine.origin_server_ts) / 1000

            for i in range(10):  # warm-up: first encrypted sends, first commands
                for kind in rooms:
                    await one(kind, MIX[i % len(MIX)])
            for rep in range(reps):
                rtt: dict[str, list[float]] = {"bot": [], "echo": []}
                server: dict[str, list[float]] = {"bot": [], "echo": []}
                for i in range(n):
                    order = ("bot", "echo") if i % 2 == 0 else ("echo", "bot")
                    for kind in order:
                        a, b = await one(kind, MIX[i % len(MIX)])
                        rtt[kind].append(a)
                        server[kind].append(b)
                r = {"rep": rep, "round_trips": n}
                for kind in ("bot", "echo"):
                    r[f"{kind}_p50_ms"] = round(pct(rtt[kind], 50) * 1000, 1)
                    r[f"{kind}_p99_ms"] = round(pct(rtt[kind], 99) * 1000, 1)
                    r[f"{kind}_server_p50_ms"] = round(pct(server[kind], 50) * 1000, 1)
                r["ratio_p50"] = round(r["bot_p50_ms"] / r["echo_p50_ms"], 3)
                r["bot_rss_mb"] = proc_mem_mb(bot.pid)["rss_mb"]
                print(json.dumps(r), flush=True)
                runs.append(r)
    finally:
        if bot is not None:
            bot.stop()
        stop_proc(echo)
        hs.stop()
        rmtree(work)
    out: dict[str, Any] = {"runs": runs}
    for key in ("bot_p50_ms", "bot_p99_ms", "echo_p50_ms", "echo_p99_ms", "bot_server_p50_ms",
                "echo_server_p50_ms", "ratio_p50"):
        out[key] = summary([r[key] for r in runs], 3)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a smoke run: few commands, 1 repetition")
    p.add_argument("--encrypted", action="store_true", help="end to end in encrypted DMs (in-process is the same)")
    p.add_argument("--n", type=int, default=3000, help="in-process commands per repetition")
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--rtt", type=int, default=200, help="end-to-end round trips per repetition and bot")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--skip-e2e", action="store_true")
    p.add_argument("--skip-inprocess", action="store_true")
    p.add_argument("--profile", help="pyinstrument HTML of the last in-process repetition")
    args = p.parse_args(argv)
    if args.quick:
        args.n, args.users, args.rtt, args.reps = 200, 20, 10, 1
    result: dict[str, Any] = {"params": {k: v for k, v in vars(args).items() if k != "profile"}}
    if not args.skip_inprocess:
        result["in_process"] = asyncio.run(in_process(args.n, args.users, args.reps, args.profile))
    if not args.skip_e2e:
        result["end_to_end"] = asyncio.run(end_to_end(args.rtt, args.reps, args.encrypted))
    bars = {}
    if "in_process" in result:
        bars["in_process_ge_2000_per_s"] = result["in_process"]["per_s"]["median"] >= 2000
    if "end_to_end" in result:
        bars["rtt_p50_le_1.2x_echo"] = result["end_to_end"]["ratio_p50"]["median"] <= 1.2
    result["bars"] = bars
    name = "commands-e2ee" if args.encrypted else "commands"
    print(f"wrote {save(name + ('-quick' if args.quick else ''), result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
