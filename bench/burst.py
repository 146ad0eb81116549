"""Burst delivery: N pings due at the same instant, over many owners and rooms, against a local
Synapse with the bot exempted from rate limits; compared with a reference sender in the same run.

    python -m bench.burst [--quick] [--encrypted] [--n 2000] [--reps 3]

Per repetition (the order of bot and reference alternates between repetitions):
- bot: a fresh database (same device and crypto store) is seeded through the store's API with N lines whose
  pending ping is due at one instant T a few seconds ahead; the bot is started and is ready before
  T. Throughput = N / (last ping's origin_server_ts - T). CPU = the bot process's CPU time from
  just before T until every ping is marked sent, plus one second (to count the sync echo of its
  own messages), divided by N.
- reference: the same N messages (rendered by the bot's own code from an identically seeded
  store), to the same rooms, as the same bot user, with the same concurrency, sent by
  ``bench.refsend`` (raw aiohttp; in encrypted rooms also a bare matrix-nio client that encrypts).
  Throughput = N / (last origin_server_ts - the instant it starts sending).
"""
from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    BotProc,
    CpuWindow,
    Owner,
    count_sent,
    login_new_device,
    make_owners,
    now_ms,
    origin_ts,
    proc_cpu_s,
    proc_mem_mb,
    rmtree,
    save,
    seed_due_pings,
    sent_pings,
    spawn,
    start_homeserver,
    stop_proc,
    summary,
    tmpdir,
)


def outbox_concurrency() -> int:
    from bot.scheduler import Outbox

    return int(inspect.signature(Outbox.__init__).parameters["concurrency"].default)


def expiry_date() -> Any:
    return (datetime.now(UTC) + timedelta(days=200)).date()


async def render_plan(bp: BotProc, owners: list[Owner], n: int, due: int, rep: int) -> list[tuple[str, dict[str, Any]]]:
    """The N messages the bot would send, rendered by its own code from an identically seeded store."""
    from bot.ping_groups import ping_content
    from bot.service import Service
    from bot.store.sqlite import Store

    await seed_due_pings(bp.db_path, owners, [due] * n, expiry=expiry_date() + timedelta(days=rep))
    store = await Store.open(bp.db_path)
    service = Service(bp.config())
    out = []
    try:
        async with store.read() as tx:
            for row in await tx.due_pings(due, n):
                msg = await service.ping_message(tx, row, datetime.now(UTC))
                assert msg is not None
                out.append((msg.room_id, ping_content(msg)))
    finally:
        await store.close()
    return out


async def run_reference(hs: Any, bot_user: Any, owners: list[Owner], work: Path, *, n: int, rep: int,
                        mode: str, concurrency: int, ref_device: Any = None) -> dict[str, Any]:
    label = mode
    d = work / f"ref-{label}-{rep}"
    scratch = BotProc(hs, bot_user, d / "render", encryption=False)
    messages = await render_plan(scratch, owners, n, now_ms(), rep)
    sync = mode == "rawsync"
    mode = "raw" if sync else mode
    plan: dict[str, Any] = {
        "mode": mode, "url": hs.url, "concurrency": concurrency, "sync": sync,
        "messages": [[room, content, f"ref-{label}-{rep}-{i}"] for i, (room, content) in enumerate(messages)],
    }
    if mode == "nio":  # like the bot: one device and crypto store for every repetition
        device = ref_device
        plan.update(user_id=device.user_id, token=device.access_token, device_id=device.device_id,
                    store=str(work / "ref-nio-store"), start_at=time.time() + 12)
        (work / "ref-nio-store").mkdir(parents=True, exist_ok=True)
    else:
        plan.update(user_id=bot_user.user_id, token=bot_user.access_token, device_id=bot_user.device_id,
                    store="", start_at=time.time() + 3)
    (d / "plan.json").write_text(json.dumps(plan))
    proc = spawn(["-m", "bench.refsend", str(d / "plan.json"), str(d / "out.json")], d / "refsend.log")
    try:
        await asyncio.sleep(max(0.0, plan["start_at"] - time.time() - 0.05))
        window = CpuWindow(hs.pid, proc.pid) if proc.poll() is None else None
        while proc.poll() is None and not (d / "out.json").exists():
            await asyncio.sleep(0.02)
        code = await asyncio.get_running_loop().run_in_executor(None, proc.wait)
    finally:
        stop_proc(proc)
    if code != 0:
        raise RuntimeError(f"reference sender failed:\n{(d / 'refsend.log').read_text()[-3000:]}")
    out = json.loads((d / "out.json").read_text())
    cpu = window.close(len(messages), sender_cpu=out["cpu_s"]) if window else {}
    ids = [e for e in out["event_ids"] if e]
    start = out["t_start"] * 1000
    ts = await origin_ts(hs.url, bot_user.access_token, {o.room_id for o in owners}, since_ms=int(start) - 60_000)
    stamps = [ts[e] for e in ids]
    span = (max(stamps) - start) / 1000
    return {
        "kind": f"ref-{label}", "rep": rep, "delivered": len(ids), "failures": out["failures"],
        "syncs": out.get("syncs"),
        "span_s": round(span, 3), "throughput": round(len(ids) / span, 2),
        "cpu_ms_per_msg": round(out["cpu_s"] / len(ids) * 1000, 3), **cpu,
    }


PROFILE: str | None = None
_RUNS = [0]
#: Per device: the previous bot run's data dir, whose session and crypto store carry on.
_LAST_DIR: dict[str, Path] = {}


class SqliteRows:
    """Where a bot run's pings are seeded and counted: the SQLite file in its data dir.
    (``bench.postgres`` has the PostgreSQL twin: the same three calls on a database.)"""

    store: dict[str, Any] | None = None  # the bot's [store] config: none, SQLite in data_dir
    db_path: Path

    def bind(self, bp: BotProc) -> None:
        self.db_path = bp.db_path

    async def seed(self, owners: list[Owner], dues: list[int], expiry: Any) -> None:
        await seed_due_pings(self.db_path, owners, dues, expiry=expiry)

    async def count(self) -> int:
        return count_sent(self.db_path)

    async def sent(self) -> list[tuple[int, str, int]]:
        return sent_pings(self.db_path)

    async def close(self) -> None:
        return None

    def server_cpu_s(self) -> float | None:
        """The database server's CPU seconds so far (SQLite has none: its work is the bot's)."""
        return None


def _profiler(pid: int, label: str) -> subprocess.Popen[bytes] | None:
    """``--profile DIR``: py-spy samples the bot during the burst (a flame graph per repetition)."""
    if not PROFILE:
        return None
    Path(PROFILE).mkdir(parents=True, exist_ok=True)
    out = Path(PROFILE) / f"{label}.txt"
    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--rate", "250",
                            "--format", "raw", "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.2)
    return spy


async def _scrape_every_second(url: str, stop: asyncio.Event, count: list[int]) -> None:
    """What a Prometheus server does, ten times more often than usual: GET /metrics each second."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        while not stop.is_set():
            async with http.get(url) as resp:
                await resp.read()
                count[0] += resp.status == 200
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except TimeoutError:
                pass


async def run_bot(hs: Any, device: Any, owners: list[Owner], work: Path, *, n: int, rep: int,
                  encrypted: bool, lead_s: float, variant: str = "bot", code: Path | None = None,
                  rows_at: Any = None) -> dict[str, Any]:
    """One device for every repetition, as a deployed bot has: each repetition gets a fresh
    database but the previous one's session and crypto store (a restart, not a new device).
    Lines of each repetition expire on another day, so their transaction IDs are new.
    ``variant`` "bot-http": the HTTP listener on and /metrics scraped every second;
    "bot-before": the bot of another checkout (``code``). ``rows_at()``: where the
    pings are seeded and counted (default :class:`SqliteRows`; ``bench.postgres`` passes a
    PostgreSQL database's), so the bot on either store is measured by this one function."""
    from bot.dev.server import free_port

    http = {"listen": f"127.0.0.1:{free_port()}"} if variant == "bot-http" else None
    workdir = work / f"bot-{rep}-{variant}"
    rows = rows_at() if rows_at is not None else SqliteRows()
    bp = BotProc(hs, device, workdir, encryption=True, http=http,
                 code=code if variant == "bot-before" else None, store=rows.store)
    rows.bind(bp)
    previous = _LAST_DIR.get(device.device_id)
    _LAST_DIR[device.device_id] = bp.data_dir
    if previous is not None and previous.exists():
        shutil.copy2(previous / "session.json", bp.data_dir / "session.json")
        shutil.copytree(previous / "crypto", bp.data_dir / "crypto")
    due = now_ms() + int(lead_s * 1000)
    _RUNS[0] += 1  # every run its own expiry day: new transaction IDs on the same device
    await rows.seed(owners, [due] * n, expiry_date() + timedelta(days=_RUNS[0]))
    try:
        start_to_ready = bp.start().ready_at - bp.started_at
        if now_ms() > due - 300:
            raise RuntimeError(f"the bot was not ready before the due instant ({start_to_ready:.1f}s); raise --lead")
        await asyncio.sleep(max(0.0, (due - 1300 - now_ms()) / 1000))
        before = CpuWindow(hs.pid, bp.pid)
        await asyncio.sleep(max(0.0, (due - 300 - now_ms()) / 1000))
        synapse_before = before.close(1)["synapse_busy"]
        spy = _profiler(bp.pid, f"bot-burst-{rep}" if variant == "bot" else f"{variant}-burst-{rep}")
        scrapes = [0]
        stop_scraping = asyncio.Event()
        scraper = (asyncio.ensure_future(_scrape_every_second(f"http://{http['listen']}/metrics", stop_scraping, scrapes))
                   if http else None)
        cpu0, db0 = proc_cpu_s(bp.pid), rows.server_cpu_s()
        window = CpuWindow(hs.pid, bp.pid)
        deadline = time.monotonic() + 60 + n / 5
        while (sent := await rows.count()) < n:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {sent}/{n} pings sent:\n{bp.log_tail()}")
            await asyncio.sleep(0.1)
        cpu = window.close(n)
        await asyncio.sleep(1.0)
        cpu1, db1 = proc_cpu_s(bp.pid), rows.server_cpu_s()
        stop_scraping.set()
        if scraper is not None:
            await scraper
        mem = proc_mem_mb(bp.pid)
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(30)
    finally:
        bp.stop()
    warnings = bp.warnings()
    try:
        sent_rows = await rows.sent()
    finally:
        await rows.close()
    ts = await origin_ts(hs.url, device.access_token, {o.room_id for o in owners}, since_ms=due - 60_000)
    stamps = [ts[e] for _, e, _ in sent_rows]
    span = (max(stamps) - due) / 1000
    return {
        "kind": variant, "rep": rep, "scrapes": scrapes[0], "delivered": len(sent_rows), "span_s": round(span, 3),
        "throughput": round(len(sent_rows) / span, 2),
        "cpu_ms_per_msg": round((cpu1 - cpu0) / len(sent_rows) * 1000, 3),
        "db_server_cpu_ms_per_msg": None if db0 is None or db1 is None else round((db1 - db0) / len(sent_rows) * 1000, 3),
        "first_ping_late_s": round((min(stamps) - due) / 1000, 3), "start_to_ready_s": round(start_to_ready, 3),
        "bot_rss_mb": mem["rss_mb"], "bot_peak_mb": mem["peak_mb"], **cpu,
        "synapse_busy_1s_before": synapse_before, "warnings": warnings,
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    concurrency = outbox_concurrency()
    work = tmpdir("burst")
    hs = start_homeserver(work)
    try:
        bot_user = hs.register("renewal-bot")
        hs.override_ratelimit(bot_user.user_id)
        t0 = time.monotonic()
        owners = await make_owners(hs, bot_user, n_dm=args.dm, n_group=args.group, encrypted=args.encrypted,
                                   workdir=work)
        setup_s = time.monotonic() - t0
        refs = ["raw", "nio"] if args.encrypted else ["raw"]
        refs += args.extra_refs
        if args.metrics_ab:
            refs = []  # an A/B of the bot itself: before | listener off | listener on, scraped each second
        bot_device = login_new_device(hs, bot_user, "bench bot")
        ref_device = login_new_device(hs, bot_user, "bench reference") if "nio" in refs else None
        runs: list[dict[str, Any]] = []
        for rep in range(args.reps):
            kinds = ["bot", *refs] if rep % 2 else [*refs, "bot"]
            if args.metrics_ab:
                order = ["bot-before", "bot", "bot-http"]
                kinds = order[rep % 3:] + order[: rep % 3]
            for kind in kinds:
                if kind.startswith("bot"):
                    r = await run_bot(hs, bot_device, owners, work, n=args.n, rep=rep, encrypted=args.encrypted,
                                      lead_s=args.lead, variant=kind,
                                      code=Path(args.metrics_ab) if args.metrics_ab else None)
                else:
                    r = await run_reference(hs, bot_user, owners, work, n=args.n, rep=rep, mode=kind,
                                            concurrency=concurrency, ref_device=ref_device)
                print(json.dumps({k: v for k, v in r.items() if k != "warnings"}), flush=True)
                runs.append(r)
    finally:
        hs.stop()
        rmtree(work)

    def of(kind: str, key: str) -> list[float]:
        return [r[key] for r in runs if r["kind"] == kind]

    result: dict[str, Any] = {
        "params": {"n": args.n, "dm_owners": args.dm, "group_rooms": args.group, "reps": args.reps,
                   "encrypted": args.encrypted, "concurrency": concurrency, "quick": args.quick,
                   "setup_s": round(setup_s, 1)},
        "runs": runs,
        "bot_throughput": summary(of("bot", "throughput")),
        "bot_cpu_ms_per_ping": summary(of("bot", "cpu_ms_per_msg")),
        "bot_first_ping_late_s": summary(of("bot", "first_ping_late_s")),
    }
    if args.metrics_ab:
        for kind in ("bot-before", "bot-http"):
            result[f"{kind}_cpu_ms_per_ping"] = summary(of(kind, "cpu_ms_per_msg"))
            result[f"{kind}_throughput"] = summary(of(kind, "throughput"))
        base = result["bot-before_cpu_ms_per_ping"]["median"]
        result["metrics_cpu_ratio"] = {
            "listener_off_vs_before": round(result["bot_cpu_ms_per_ping"]["median"] / base, 3),
            "listener_scraped_vs_before": round(result["bot-http_cpu_ms_per_ping"]["median"] / base, 3),
        }
        result["bars"] = {"cpu_per_ping_with_metrics_within_5pct": result["metrics_cpu_ratio"]["listener_scraped_vs_before"] <= 1.05}
        return result
    for ref in refs:
        ratios = [b["throughput"] / r["throughput"] for b, r in
                  zip([x for x in runs if x["kind"] == "bot"], [x for x in runs if x["kind"] == f"ref-{ref}"], strict=False)]
        result[f"ref_{ref}_throughput"] = summary(of(f"ref-{ref}", "throughput"))
        result[f"ref_{ref}_cpu_ms_per_msg"] = summary(of(f"ref-{ref}", "cpu_ms_per_msg"))
        result[f"ratio_vs_{ref}"] = summary(ratios, 3)
    main_ref = "nio" if args.encrypted else "raw"
    result["bars"] = {
        "throughput_ratio_ge_0.95": result[f"ratio_vs_{main_ref}"]["median"] >= 0.95,
        "cpu_per_ping_le_1.5ms": result["bot_cpu_ms_per_ping"]["median"] <= 1.5,
    }
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a smoke run: 100 pings, 6 rooms, 1 repetition")
    p.add_argument("--encrypted", action="store_true", help="encrypted rooms")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--dm", type=int, default=100, help="owners with a DM room")
    p.add_argument("--group", type=int, default=25, help="group rooms (the room owns its lines)")
    p.add_argument("--reps", type=int, default=5, help="repetitions (bot and reference each); order alternates")
    p.add_argument("--lead", type=float, default=10.0, help="seconds from seeding to the due instant")
    p.add_argument("--extra-refs", type=lambda v: v.split(","), default=[],
                   help="more references, e.g. rawsync (raw sender that also long-polls /sync)")
    p.add_argument("--profile", metavar="DIR", help="sample the bot with py-spy during each burst (raw stacks)")
    p.add_argument("--metrics-ab", metavar="CHECKOUT",
                   help="A/B of the metrics' cost: the bot of CHECKOUT (before), this bot, this bot with its "
                        "HTTP listener scraped every second; no reference sender (writes burst-metrics.json)")
    args = p.parse_args(argv)
    global PROFILE
    PROFILE = args.profile
    if args.quick:
        args.n, args.dm, args.group, args.reps = 100, 4, 2, 1
    if args.encrypted:
        args.lead = max(args.lead, 15.0)
    result = asyncio.run(main_async(args))
    name = "burst-e2ee" if args.encrypted else "burst"
    if args.metrics_ab:
        name = "burst-metrics"
    if args.quick:
        name += "-quick"
    print(f"wrote {save(name, result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
