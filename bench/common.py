"""Shared pieces of the benchmarks: a throwaway Synapse, users and rooms, the bot as a process,
seeding its store in bulk, process CPU and RSS, percentiles and results.

Every benchmark starts its own Synapse (``bot.dev.server.Homeserver``, 127.0.0.1 only) and its own
bot process(es), and stops them by PID. Nothing here is part of the test suite.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bot.dev.process import BotProcess, bot_config
from bot.dev.server import Homeserver, Registered, child_preexec

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
#: Where results go; the smoke test points this elsewhere so the repository's results stay as they are.
RESULTS = Path(os.environ.get("BENCH_RESULTS") or BENCH / "results")
PY = sys.executable
DB_FILE = "renewal-bot.sqlite3"
CLK_TCK = os.sysconf("SC_CLK_TCK")
MEGOLM = "m.megolm.v1.aes-sha2"


# --------------------------------------------------------------------------- numbers
def pct(xs: Sequence[float], p: float) -> float:
    """Percentile with linear interpolation (p in 0..100)."""
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary(values: Sequence[float], digits: int = 4) -> dict[str, Any]:
    """Median and range over repeated runs."""
    vals = [round(float(v), digits) for v in values]
    return {"median": round(pct(vals, 50), digits), "min": min(vals), "max": max(vals), "runs": vals}


def now_ms() -> int:
    return int(time.time() * 1000)


# --------------------------------------------------------------------------- processes
def proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (from /proc; children not included)."""
    with open(f"/proc/{pid}/stat", "rb") as fh:
        fields = fh.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of a server and its children: its own, its reaped children's (a PostgreSQL
    backend whose connection closed), and its live children's (each backend, the WAL writer...)."""
    def times(p: int | str) -> list[int]:
        with open(f"/proc/{p}/stat", "rb") as fh:
            return [int(x) for x in fh.read().rsplit(b")", 1)[1].split()[1:15]]  # ppid .. cstime

    own = times(pid)
    total = sum(own[10:14])  # utime, stime, cutime, cstime
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError):
                child = times(entry)
                if child[0] == pid:
                    total += sum(child[10:14])
    return total / CLK_TCK


def proc_mem_mb(pid: int) -> dict[str, float]:
    """VmRSS (now) and VmHWM (peak) in MiB."""
    out: dict[str, float] = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, val = line.split(":", 1)
                out[key] = int(val.split()[0]) / 1024
    return {"rss_mb": round(out.get("VmRSS", 0.0), 1), "peak_mb": round(out.get("VmHWM", 0.0), 1)}


def sys_busy_s() -> float:
    """CPU seconds spent by the whole machine (all cores, all processes) so far."""
    with open("/proc/stat") as fh:
        f = [int(x) for x in fh.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal
    return (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] if len(f) > 7 else 0)) / CLK_TCK


class CpuWindow:
    """CPU used during a window by Synapse, by the sender under test, and by everything else on
    the machine (other people's work on a shared machine shows up as ``others_cores``)."""

    def __init__(self, synapse_pid: int, sender_pid: int) -> None:
        self.pids = (synapse_pid, sender_pid)
        self.t0 = time.monotonic()
        self.sys0 = sys_busy_s()
        self.me0 = self_cpu_s()
        self.p0 = [proc_cpu_s(p) for p in self.pids]

    def close(self, n: int, sender_cpu: float | None = None) -> dict[str, float]:
        """``sender_cpu``: the sender's CPU in the window when it has exited (it reports its own)."""
        span = time.monotonic() - self.t0
        syn = proc_cpu_s(self.pids[0]) - self.p0[0]
        snd = sender_cpu if sender_cpu is not None else proc_cpu_s(self.pids[1]) - self.p0[1]
        others = sys_busy_s() - self.sys0 - syn - snd - (self_cpu_s() - self.me0)
        return {
            "synapse_cpu_ms_per_msg": round(syn / n * 1000, 2),
            "synapse_busy": round(syn / span, 3),  # cores; about 1.0 = Synapse is the limit
            "others_cores": round(max(0.0, others) / span, 3),
        }


def self_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


def machine() -> dict[str, Any]:
    """The machine and the versions the figures were taken with."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "kernel": platform.release(),
        "cores": os.cpu_count(),
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["mem_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    from importlib.metadata import version

    for pkg in ("matrix-synapse", "matrix-nio", "vodozemac", "aiohttp", "aiosqlite", "APScheduler"):
        with contextlib.suppress(Exception):
            info[pkg] = version(pkg)
    with contextlib.suppress(Exception):
        info["loadavg_at_start"] = os.getloadavg()
    return info


def save(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"benchmark": name, "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(), **data}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


# --------------------------------------------------------------------------- homeserver
def start_homeserver(workdir: Path) -> Homeserver:
    """Synapse with its rc_* limits out of reach (set-up registers and creates many rooms);
    the bot is additionally exempted per user, as an operator would do."""
    return Homeserver(workdir / "synapse", ratelimits=False).start()


def login_new_device(hs: Homeserver, user: Registered, name: str) -> Registered:
    """A password login: a new device and token for the same user."""
    resp = hs.request("POST", "/_matrix/client/v3/login", {
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": user.user_id},
        "password": user.password, "initial_device_display_name": name,
    })
    return Registered(resp["user_id"], resp["access_token"], resp["device_id"], user.password)


def delete_device(hs: Homeserver, user_id: str, device_id: str) -> None:
    quoted = urllib.parse.quote(user_id, safe="")
    with contextlib.suppress(Exception):
        hs.request("DELETE", f"/_synapse/admin/v2/users/{quoted}/devices/{device_id}",
                   token=hs.admin().access_token)


class Api:
    """A few client-server calls over aiohttp (set-up and reading back what was sent)."""

    def __init__(self, http: aiohttp.ClientSession, url: str, token: str) -> None:
        self.http, self.url, self.token = http, url, token

    async def call(self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None) -> Any:
        for attempt in range(20):
            async with self.http.request(
                method, self.url + path, json=body, params=params,
                headers={"Authorization": f"Bearer {self.token}"},
            ) as resp:
                data = await resp.json(content_type=None)
                if resp.status == 429 and attempt < 19:
                    await asyncio.sleep(data.get("retry_after_ms", 1000) / 1000)
                    continue
                if resp.status != 200:
                    raise RuntimeError(f"{method} {path} -> {resp.status}: {data}")
                return data
        raise AssertionError("unreachable")

    async def create_room(self, invite: Sequence[str], *, encrypted: bool, direct: bool, name: str | None = None) -> str:
        body: dict[str, Any] = {
            "preset": "trusted_private_chat" if direct else "private_chat",
            "invite": list(invite), "is_direct": direct,
        }
        if name:
            body["name"] = name
        if encrypted:
            body["initial_state"] = [{"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}]
        return str((await self.call("POST", "/_matrix/client/v3/createRoom", body))["room_id"])

    async def join(self, room_id: str) -> None:
        await self.call("POST", f"/_matrix/client/v3/join/{urllib.parse.quote(room_id)}", {})

    async def room_events(self, room_id: str, limit: int = 1000, since_ms: int = 0) -> list[dict[str, Any]]:
        """The m.room.message / m.room.encrypted events of a room (newest first), paged back to
        ``since_ms`` (server time)."""
        out: list[dict[str, Any]] = []
        token: str | None = None
        filt = json.dumps({"types": ["m.room.message", "m.room.encrypted"]})
        for _ in range(50):
            params = {"dir": "b", "limit": str(limit), "filter": filt}
            if token:
                params["from"] = token
            data = await self.call("GET", f"/_matrix/client/v3/rooms/{urllib.parse.quote(room_id)}/messages",
                                   params=params)
            chunk = data.get("chunk", [])
            out.extend(chunk)
            token = data.get("end")
            if not token or not chunk or chunk[-1].get("origin_server_ts", 0) < since_ms:
                break
        return out


async def origin_ts(url: str, token: str, room_ids: Iterable[str], since_ms: int = 0) -> dict[str, int]:
    """event_id -> origin_server_ts for the messages in the rooms (at least back to ``since_ms``)."""
    out: dict[str, int] = {}
    async with aiohttp.ClientSession() as http:
        api = Api(http, url, token)
        sem = asyncio.Semaphore(8)

        async def one(room: str) -> None:
            async with sem:
                for ev in await api.room_events(room, since_ms=since_ms):
                    out[ev["event_id"]] = int(ev["origin_server_ts"])

        await asyncio.gather(*(one(r) for r in set(room_ids)))
    return out


@dataclass(frozen=True)
class Owner:
    owner_id: str  # a user (DM lines) or a room id (group lines)
    room_id: str
    human: Registered  # the user who is in the room with the bot


async def upload_device_keys(url: str, users: Sequence[Registered], workdir: Path) -> None:
    """Give each user's device real E2EE keys (what an Element session would have)."""
    import nio

    for user in users:
        store = workdir / "keys" / user.device_id
        store.mkdir(parents=True, exist_ok=True)
        client = nio.AsyncClient(url, user.user_id, device_id=user.device_id, store_path=str(store),
                                 config=nio.AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False))
        client.restore_login(user.user_id, user.device_id, user.access_token)
        try:
            client.load_store()
            resp = await client.keys_upload()
            if not isinstance(resp, nio.KeysUploadResponse):
                raise RuntimeError(f"keys_upload for {user.user_id}: {resp}")
        finally:
            await client.close()


async def make_owners(
    hs: Homeserver, bot_user: Registered, *, n_dm: int, n_group: int, encrypted: bool, workdir: Path,
    tag: str = "",
) -> list[Owner]:
    """``n_dm`` users each in a DM with the bot, and ``n_group`` group rooms (the bot, the creator
    and one more user); the bot joins every room with its registration device."""
    loop = asyncio.get_running_loop()
    humans = await loop.run_in_executor(None, lambda: [hs.register(f"o{tag}{i}") for i in range(n_dm + 2 * n_group)])
    if encrypted:
        await upload_device_keys(hs.url, humans, workdir)
    owners: list[Owner] = []
    sem = asyncio.Semaphore(6)
    async with aiohttp.ClientSession() as http:
        bot_api = Api(http, hs.url, bot_user.access_token)

        async def dm(u: Registered) -> None:
            async with sem:
                room = await Api(http, hs.url, u.access_token).create_room([bot_user.user_id], encrypted=encrypted, direct=True)
                await bot_api.join(room)
                owners.append(Owner(u.user_id, room, u))

        async def group(a: Registered, b: Registered, i: int) -> None:
            async with sem:
                room = await Api(http, hs.url, a.access_token).create_room(
                    [bot_user.user_id, b.user_id], encrypted=encrypted, direct=False, name=f"group {i}")
                await bot_api.join(room)
                await Api(http, hs.url, b.access_token).join(room)
                owners.append(Owner(room, room, a))

        await asyncio.gather(
            *(dm(u) for u in humans[:n_dm]),
            *(group(humans[n_dm + 2 * i], humans[n_dm + 2 * i + 1], i) for i in range(n_group)),
        )
    owners.sort(key=lambda o: o.owner_id)
    return owners


# --------------------------------------------------------------------------- the bot process
class BotProc(BotProcess):
    """The bot under benchmark: :class:`bot.dev.process.BotProcess` (shared with the tests and the
    demo) with its own data_dir; the config uses an access token, so the bot keeps that token's
    device for life (no password login), and one message per ping, as bench/REPORT.md measured."""

    def __init__(self, hs: Homeserver, user: Registered, workdir: Path, *, encryption: bool,
                 bot: dict[str, Any] | None = None, limits: dict[str, Any] | None = None,
                 http: dict[str, Any] | None = None, code: Path | None = None,
                 matrix: dict[str, Any] | None = None, store: dict[str, Any] | None = None) -> None:
        """``code``: run the bot from another checkout (e.g. an older commit, for an A/B run)."""
        self.user = user
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir = workdir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.data_dir / DB_FILE
        self.code = code
        config = bot_config(
            workdir / "bot.toml", hs, user, self.data_dir, device_name="renewal-bot bench", token=True,
            matrix={"encryption": encryption, **(matrix or {})},
            # an older checkout (``code``) knows no key added since, and sends one message per ping anyway
            bot={"log_level": "INFO", **({} if code else {"group_pings": False}), **(bot or {})},
            limits=limits, http=http, store=store,
        )
        env = {**os.environ, **({"PYTHONPATH": str(code)} if code else {})}
        super().__init__(config, workdir / "bot.log", command=(PY, "-m", "bot"), cwd=code or ROOT, env=env)

    def config(self) -> Any:
        from bot.config import load_config

        return load_config(self.config_path)

    def start(self, *, wait_ready: bool = True, timeout: float = 120.0, poll: float = 0.005) -> BotProc:
        """Start; the ready line is polled every 5 ms, as start-to-ready is measured."""
        super().start(wait_ready=wait_ready, timeout=timeout, poll=poll)
        return self


async def timed_starts(bp: BotProc, reps: int) -> list[dict[str, float]]:
    """One untimed first start (it makes the session and the crypto account, as any deployed bot
    has), then ``reps`` timed ones: from ``Popen`` to the "ready" line, and the RSS 3 s after
    ready (idle: the outbox has run and armed its wake-up)."""
    bp.start()
    bp.stop()
    starts = []
    for _ in range(reps):
        try:
            ready = bp.start().ready_at - bp.started_at
            await asyncio.sleep(3.0)
            mem = proc_mem_mb(bp.pid)
        finally:
            bp.stop()
        starts.append({"start_to_ready_s": round(ready, 3), **mem})
    return starts


def spawn(args: Sequence[str], log_path: Path) -> subprocess.Popen[bytes]:
    """A helper process of the benchmark (reference sender, echo bot), stopped by PID."""
    log = open(log_path, "ab")
    try:
        return subprocess.Popen([PY, *args], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=child_preexec)
    finally:
        log.close()


def stop_proc(proc: subprocess.Popen[bytes] | None, timeout: float = 20.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)


# --------------------------------------------------------------------------- seeding the store
async def seed_due_pings(
    db_path: Path, owners: Sequence[Owner], dues_ms: Sequence[int], *, expiry: date, offset: int = -7,
) -> list[int]:
    """:func:`seed_due_rows` into the SQLite database at ``db_path``."""
    from bot.store.sqlite import Store

    store = await Store.open(db_path)
    try:
        return await seed_due_rows(store, owners, dues_ms, expiry=expiry, offset=offset)
    finally:
        await store.close()


async def seed_due_rows(
    store: Any, owners: Sequence[Owner], dues_ms: Sequence[int], *, expiry: date, offset: int = -7,
) -> list[int]:
    """Lines spread round-robin over ``owners``, one pending ping per line due at ``dues_ms[i]``,
    through the store's own API (``bulk_add_lines``, ``bulk_arm``), on either store. Returns the
    line ids (the store must be written by nobody else meanwhile)."""
    stamp = now_ms()
    per_owner: dict[str, int] = {}
    rows = []
    for i in range(len(dues_ms)):
        o = owners[i % len(owners)]
        per_owner[o.owner_id] = per_owner.get(o.owner_id, 0) + 1
        rows.append((o.owner_id, per_owner[o.owner_id], "axis", f"bench line {i}", expiry))
    async with store.tx() as tx:
        for o in owners:
            if o.owner_id.startswith("@"):
                await tx.update_owner(o.owner_id, stamp, room_id=o.room_id)
            else:
                await tx.ensure_owner(o.owner_id, stamp)
        # Ids are given in order, never reused (SQLite AUTOINCREMENT, PostgreSQL identity).
        first = int((await tx._one("SELECT COALESCE(MAX(id), 0) FROM lines"))[0]) + 1
        await tx.bulk_add_lines(rows, stamp)
        ids = list(range(first, first + len(rows)))
        assert await tx.get_line_by_id(ids[-1]) is not None
        await tx.bulk_arm((lid, expiry, offset, due) for lid, due in zip(ids, dues_ms, strict=False))
    return ids


# --------------------------------------------------------------------------- the outbox's claim
async def claim_times(store: Any, reps: int = 50) -> dict[str, Any]:
    """The outbox's own claim, timed through the store's API: ``Store.claim`` (due replies and
    pings, its batch of each, committed: one pipelined round trip on PostgreSQL, reads on
    SQLite), as ``Outbox._claim_and_start`` makes it.

    ``claim_due_ms``: at the instant the batch's earliest rows are due, so a claim takes exactly
    a full batch. On PostgreSQL the claim writes each row (claimant, lease); every repetition
    claims fresh rows: the rows are handed back, untimed, after each one (a real outbox claims a
    row once, then marks it sent). ``claim_none_ms``: nothing due (what each sweep costs).
    ``next_wake_ms``: reading the next wake-up."""
    from bot.scheduler import BATCH

    async with store.read() as tx:
        first = await tx.due_pings(10**15, BATCH)  # the BATCH earliest rows
    due_now = first[-1].due  # at this instant, exactly the BATCH earliest rows are due
    multi = getattr(store, "dialect", "sqlite") == "postgresql"
    out: dict[str, list[float]] = {"claim_due_ms": [], "claim_none_ms": [], "next_wake_ms": []}
    for _ in range(reps):
        for key, at in (("claim_due_ms", due_now), ("claim_none_ms", now_ms())):
            t = time.perf_counter()
            _, rows = await store.claim(at, BATCH, claimant="bench", lease_ms=5000)
            out[key].append((time.perf_counter() - t) * 1000)
            if key == "claim_due_ms":
                assert len(rows) == BATCH, len(rows)
                if multi:
                    async with store.tx() as tx:
                        await tx.db.execute(
                            "UPDATE pings SET claimed_by = NULL, claimed_until = NULL WHERE id = ANY(?)",
                            ([r.id for r in rows],),
                        )
        t = time.perf_counter()
        async with store.read() as tx:
            await tx.next_wake()
        out["next_wake_ms"].append((time.perf_counter() - t) * 1000)
    return {k: {"p50": round(pct(v, 50), 3), "p99": round(pct(v, 99), 3), "max": round(max(v), 3)}
            for k, v in out.items()} | {"claimed_rows": BATCH}


def sent_pings(db_path: Path) -> list[tuple[int, str, int]]:
    """(line_id, event_id, due) of every ping the bot has marked sent (read-only, WAL)."""
    import sqlite3

    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return [(int(a), str(b), int(c)) for a, b, c in
                con.execute("SELECT line_id, event_id, due FROM pings WHERE status = 'sent'")]
    finally:
        con.close()


def count_sent(db_path: Path) -> int:
    import sqlite3

    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return int(con.execute("SELECT COUNT(*) FROM pings WHERE status = 'sent'").fetchone()[0])
    finally:
        con.close()


def tmpdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"bench-{prefix}-"))


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def jitter(seed: int) -> random.Random:
    return random.Random(seed)
