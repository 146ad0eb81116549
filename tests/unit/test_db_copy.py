"""``renewal-bot db copy``: an SQLite deployment moved into PostgreSQL reads back the same."""
from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.model import PlannedPing
from bot.dbtools import DB_FILE, DataDirLock
from bot.store.postgres import Store as PgStore
from bot.store.sqlite import Store

NOW = 1_770_000_000_000
OWNERS = ["@alice:x", "@bob:x", "!group:x"]


def due(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


async def populate(path: Path) -> None:
    """Every kind of row: settings, lines of three owners, history, both outboxes, rooms, kv."""
    s = await Store.open(path)
    try:
        async with s.tx() as tx:
            await tx.update_owner("@alice:x", NOW, timezone="Asia/Jakarta", ping_time=time(8, 30),
                                  lead_days=(5, 1), language="id", language_set=True, room_id="!dm-a:x")
            await tx.update_owner("@bob:x", NOW, language="zh-Hans", room_id="!dm-b:x")
            await tx.update_owner("!group:x", NOW, timezone="Asia/Singapore", room_id="!group:x")
            for k, owner in enumerate(OWNERS * 4):
                expiry = date(2026, 7, 1) + timedelta(days=k)
                line = await tx.add_line(owner, provider="axis" if k % 2 else "telkomsel", label=f"line {k}",
                                         expiry=expiry, now_ms=NOW, mention="@carol:x" if owner[0] == "!" else None)
                await tx.arm(line, [PlannedPing(offset=-3, due=due(expiry - timedelta(days=3))),
                                    PlannedPing(offset=0, due=due(expiry))])
            ghost = await tx.add_line("@alice:x", provider="axis", label="gone", expiry=date(2026, 8, 1), now_ms=NOW)
            await tx.delete_line("@alice:x", ghost.id)  # its id must never come back
            first = await tx.get_line("@alice:x", 1)
            assert first is not None
            await tx.add_renewal(first.id, date(2026, 6, 1), first.expiry, NOW)
            await tx.mark_handled("$cmd1", "!dm-a:x", NOW)
            await tx.enqueue_reply("reply-$cmd1", "!dm-a:x", "m.notice", {"body": "Baris 1 ✓"}, NOW)
            await tx.enqueue_reply("reply-$cmd2", "!dm-b:x", "m.notice", {"body": "好"}, NOW)
            await tx.room_rejoined("!dm-a:x", NOW, is_direct=True)
            await tx.room_rejoined("!group:x", NOW, is_direct=False)
            await tx.set_scamguard("!group:x", False, NOW)
            await tx.room_left("!old:x", NOW)
            await tx.set_kv("next_batch", "s72_1234")
            await tx.set_calendar_token("@alice:x", "ab" * 32, NOW)
            await tx.add_pending("@bob:x", "@bob:x", "forget", {"what": "me"}, reply_txn="reply-$x", now_ms=NOW, expires_ms=2**62)
        async with s.tx() as tx:
            (row,) = await tx.due_pings(2**62, 1)
            await tx.mark_ping_sent(row.id, "$ping1", NOW)
            await tx.snooze(row, NOW + 3_600_000)
            (reply, _) = await tx.due_replies(2**62)
            await tx.mark_reply_sent(reply.id, "$reply1")
    finally:
        await s.close()


async def snapshot(store: Store | PgStore) -> dict[str, object]:
    """What users and the outbox see: listings, settings, next pings, rooms, kv."""
    out: dict[str, object] = {}
    async with store.read() as tx:
        for owner in OWNERS:
            lines = await tx.list_lines(owner)
            out[f"lines {owner}"] = lines
            out[f"owner {owner}"] = await tx.get_owner(owner)
            out[f"next {owner}"] = await tx.pending_pings([line.id for line in lines])
            out[f"renewals {owner}"] = [await tx.last_renewal(line.id) for line in lines]
        out["mentioning"] = await tx.lines_mentioning("@carol:x")
        out["wake"] = await tx.next_wake()
        out["due"] = await tx.due_pings(2**62, 1000)
        out["replies"] = await tx.due_replies(2**62)
        out["sent reply"] = await tx.sent_reply_event("reply-$cmd1")
        out["by event"] = await tx.ping_by_event("$ping1")
        out["handled"] = await tx.is_handled("$cmd1")
        out["rooms"] = [(await tx.room_is_direct(r), await tx.room_is_left(r), await tx.scamguard_on(r))
                        for r in ("!dm-a:x", "!group:x", "!old:x")]
        out["kv"] = await tx.get_kv("next_batch")
        out["calendar"] = await tx.calendar_owner("ab" * 32)
        out["offer"] = await tx.get_pending("@bob:x", "@bob:x", NOW)
    return out


def config_file(tmp_path: Path, data_dir: Path) -> Path:
    cfg = tmp_path / "bot.toml"
    cfg.write_text(
        f'[matrix]\nhomeserver = "https://hs.x"\nuser_id = "@bot:x"\npassword = "p"\n'
        f'[bot]\ndata_dir = "{data_dir}"\n'
    )
    return cfg


async def read_sqlite(db: Path) -> dict[str, object]:
    sqlite = await Store.open(db, check=False)
    try:
        return await snapshot(sqlite)
    finally:
        await sqlite.close()


async def read_pg_and_add_a_line(url: str) -> tuple[dict[str, object], int]:
    pg = await PgStore.open(url)
    try:
        seen = await snapshot(pg)
        async with pg.tx() as tx:
            line = await tx.add_line("@alice:x", provider="axis", label="new", expiry=date(2026, 9, 1), now_ms=NOW)
        return seen, line.id
    finally:
        await pg.close()


# Sync tests: `renewal-bot db copy` runs its own event loop, as from a shell.
def test_db_copy_gives_identical_listings_settings_and_next_pings(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = data_dir / DB_FILE
    asyncio.run(populate(db))
    expected = asyncio.run(read_sqlite(db))
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    assert main(["db", "copy", "--config", str(config_file(tmp_path, data_dir)), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "lines: 12 rows" in out and "pings: 13 rows" in out and "SQLite file is unchanged" in out

    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # untouched
    seen, new_id = asyncio.run(read_pg_and_add_a_line(pg_url))
    assert seen == expected
    assert new_id == 14  # past every id SQLite gave out, the deleted line's too


def test_db_copy_refuses_a_running_bot_and_a_database_that_is_not_empty(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    asyncio.run(populate(data_dir / DB_FILE))
    cfg = str(config_file(tmp_path, data_dir))
    lock = DataDirLock(data_dir)
    assert lock.acquire()
    try:
        assert main(["db", "copy", "--config", cfg, "--to", pg_url]) == 1
        assert "stop it first" in capsys.readouterr().err
    finally:
        lock.release()
    assert main(["db", "copy", "--config", cfg, "--to", pg_url]) == 0
    assert main(["db", "copy", "--config", cfg, "--to", pg_url]) == 1
    assert "copy into an empty database" in capsys.readouterr().err


def test_db_backup_restore_check_defer_to_postgresql_tools(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "bot.toml"
    cfg.write_text('[matrix]\nhomeserver = "https://hs.x"\nuser_id = "@bot:x"\npassword = "p"\n'
                   '[store]\nurl = "postgresql://renewal@db.x/renewal"\n')
    for argv in (["backup", "--config", str(cfg), str(tmp_path / "b")], ["check", "--config", str(cfg)],
                 ["restore", "--config", str(cfg), str(tmp_path / "b")]):
        assert main(["db", *argv]) == 2
        err = capsys.readouterr().err
        assert "PostgreSQL's own tools" in err and "pg_dump" in err
