"""Data safety with the real bot process: backups during a burst, and a bot that refuses to start
on a data dir or database it cannot use (one line, non-zero exit, no hang)."""
from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from bot.dbtools import DB_FILE
from bot.dev.server import write_toml
from bot.store.sqlite import Store
from bot.store.sqlite.migrate import latest_version
from tests.integration.bot_process import BotProcess
from tests.integration.conftest import BotFactory, open_dm
from tests.integration.matrix_user import MatrixUser

pytestmark = pytest.mark.integration

BURST = 600


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=timeout)


async def seed_due(db: Path, owner: str, room: str, n: int, due_ms: int) -> None:
    store = await Store.open(db)
    try:
        async with store.tx() as tx:
            await tx.update_owner(owner, due_ms, room_id=room)
            await tx.bulk_add_lines([(owner, i + 1, "axis", f"burst {i}", date(2030, 1, 1)) for i in range(n)], due_ms)
            first = (await tx.list_lines(owner))[0].id
            await tx.bulk_arm((first + i, date(2030, 1, 1), -7, due_ms) for i in range(n))
    finally:
        await store.close()


def sent(db: Path) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT COUNT(*) FROM pings WHERE status = 'sent'").fetchone()[0])
    finally:
        con.close()


async def test_backup_during_a_burst_restores_to_a_database_that_passes_check(
    alice: MatrixUser, bot_factory: BotFactory, tmp_path: Path
) -> None:
    # A burst of separate pings (one owner's lines due together would go as one message).
    bot = bot_factory(limits={"max_lines_per_owner": BURST + 10}, bot={"group_pings": False})
    room = await open_dm(alice, bot)
    assert bot.terminate() == 0
    due = int(time.time() * 1000) + 4000
    await seed_due(bot.data_dir / DB_FILE, alice.user_id, room, BURST, due)
    bot.start()
    while time.time() * 1000 < due:
        await asyncio.sleep(0.05)
    backups: list[tuple[Path, int]] = []
    for i in range(20):
        path = tmp_path / f"backup-{i}.sqlite3"
        r = await asyncio.to_thread(cli, "db", "backup", "--config", str(bot.config_path), str(path))
        assert r.returncode == 0, r.stderr
        assert "integrity ok" in r.stdout
        backups.append((path, sent(path)))
        if sent(bot.data_dir / DB_FILE) >= BURST:
            break
    during = [(p, n) for p, n in backups if 0 < n < BURST]
    print(f"\nbackups taken: {[n for _, n in backups]} pings sent in each (of {BURST})")
    assert during, f"no backup was taken mid-burst: {[n for _, n in backups]}"

    # Restore the mid-burst backup into a fresh data dir and check it.
    path, n = during[0]
    restored = tmp_path / "restored"
    cfg = write_toml(tmp_path / "restored.toml", {
        "matrix": {"homeserver": "http://127.0.0.1:1", "user_id": "@x:localhost", "password": "x"},
        "bot": {"data_dir": str(restored)},
    })
    r = cli("db", "restore", "--config", str(cfg), str(path))
    assert r.returncode == 0, r.stderr
    assert f"restored {path}" in r.stdout
    r = cli("db", "check", "--config", str(cfg))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "integrity: ok" in r.stdout and "orphan rows: none" in r.stdout
    assert sent(restored / DB_FILE) == n

    # Restoring under the running bot is refused.
    r = cli("db", "restore", "--config", str(bot.config_path), str(path))
    assert r.returncode == 1 and "stop it first" in r.stderr
    # The backups did not disturb the burst: it goes on (all of it on a quiet machine; a loaded
    # one can take minutes, so only progress is required here).
    last = max(n for _, n in backups)
    deadline = time.monotonic() + 60
    while sent(bot.data_dir / DB_FILE) <= last and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    assert sent(bot.data_dir / DB_FILE) > last or last == BURST


def _start_fails(bot: BotProcess, *, wrap: list[str] | None = None, timeout: float = 30) -> tuple[int, str]:
    """Run the bot; it must exit by itself (no hang), non-zero. Returns (code, output)."""
    cmd = [sys.executable, "-m", "bot", "run", "--config", str(bot.config_path)]
    started = time.monotonic()
    r = subprocess.run((wrap or []) + cmd, capture_output=True, text=True, timeout=timeout)
    assert time.monotonic() - started < timeout
    return r.returncode, r.stderr


def _one_clear_line(stderr: str) -> str:
    mine = [ln for ln in stderr.splitlines() if ln.startswith("renewal-bot: ")]
    assert len(mine) == 1, stderr
    assert "Traceback" not in stderr, stderr
    return mine[0]


async def _bot_with_db(bot_factory: BotFactory) -> BotProcess:
    bot = bot_factory(start=False)
    bot.data_dir.mkdir(parents=True)
    store = await Store.open(bot.data_dir / DB_FILE)
    async with store.tx() as tx:
        await tx.bulk_add_lines([("@u:x", i + 1, "axis", "x" * 60, date(2030, 1, 1)) for i in range(400)], 0)
    await store.close()
    return bot


async def test_a_truncated_database_stops_the_bot(bot_factory: BotFactory) -> None:
    bot = await _bot_with_db(bot_factory)
    db = bot.data_dir / DB_FILE
    with open(db, "r+b") as fh:
        fh.truncate(db.stat().st_size // 2)
    code, err = _start_fails(bot)
    line = _one_clear_line(err)
    assert code == 4 and ("is corrupt" in line or "unusable" in line), err


async def test_a_newer_schema_stops_the_bot(bot_factory: BotFactory) -> None:
    bot = await _bot_with_db(bot_factory)
    con = sqlite3.connect(bot.data_dir / DB_FILE)
    con.execute(f"PRAGMA user_version = {latest_version() + 1}")
    con.close()
    code, err = _start_fails(bot)
    assert code == 4 and "newer than this renewal-bot knows" in _one_clear_line(err)


async def test_a_read_only_data_dir_stops_the_bot(bot_factory: BotFactory) -> None:
    bot = await _bot_with_db(bot_factory)
    wrap: list[str] = []
    if os.geteuid() == 0:
        # root writes through file modes: make the data dir a read-only mount instead.
        if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-m", "true"], capture_output=True).returncode != 0:
            pytest.skip("running as root without mount namespaces: cannot make a read-only data dir")
        d = str(bot.data_dir)
        wrap = ["unshare", "-m", "sh", "-c", f'mount --bind -o ro "{d}" "{d}" && exec "$0" "$@"']
    else:
        bot.data_dir.chmod(0o555)
    try:
        code, err = _start_fails(bot, wrap=wrap)
    finally:
        bot.data_dir.chmod(0o755)
    assert code == 4 and "is not writable" in _one_clear_line(err), err
