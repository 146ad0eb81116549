"""db backup / restore / check on real SQLite files, and the data dir's lock."""
from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot import dbtools
from bot.cli import main
from bot.dev.server import write_toml
from bot.service import ms
from bot.store.sqlite import Store
from bot.store.sqlite.migrate import latest_version

NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)


async def _make_db(path: Path, lines: int = 3) -> None:
    store = await Store.open(path)
    try:
        async with store.tx() as tx:
            await tx.update_owner("@u:x", ms(NOW), room_id="!dm:x")
            await tx.bulk_add_lines([("@u:x", i + 1, "axis", f"l{i}", date(2030, 1, 1)) for i in range(lines)], ms(NOW))
            await tx.bulk_arm((i + 1, date(2030, 1, 1), -7, ms(NOW)) for i in range(lines))
            await tx.mark_handled("$before", "!dm:x", ms(NOW))
    finally:
        await store.close()


async def test_backup_check_and_restore_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / dbtools.DB_FILE
    await _make_db(db)
    out = dbtools.backup(db, tmp_path / "b.sqlite3")
    assert "integrity ok" in out and "3 lines" in out
    report = dbtools.check(tmp_path / "b.sqlite3")
    assert report.ok and report.schema == latest_version() and report.counts["lines"] == 3

    # After the backup: two more events handled, and line 1's ping sent.
    store = await Store.open(db)
    async with store.tx() as tx:
        await tx.mark_handled("$after1", "!dm:x", ms(NOW))
        await tx.mark_handled("$after2", "!dm:x", ms(NOW))
        (row, *_) = await tx.due_pings(ms(NOW) + 1)
        await tx.mark_ping_sent(row.id, "$ping", ms(NOW))
    await store.close()

    said = dbtools.restore(db, tmp_path / "b.sqlite3")
    text = "\n".join(said)
    assert "2 commands and other events received since the backup will be handled again" in text
    assert "1 pings sent after the backup were marked sent" in text
    assert list(data.glob(f"{dbtools.DB_FILE}.before-restore-*"))
    assert dbtools.check(db).ok
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM handled_events").fetchone()[0] == 1
    assert con.execute("SELECT status, event_id FROM pings WHERE id = ?", (row.id,)).fetchone() == ("sent", "$ping")
    con.close()


async def test_restore_refuses_a_newer_schema_and_a_running_bot(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / dbtools.DB_FILE
    await _make_db(db)
    dbtools.backup(db, tmp_path / "b.sqlite3")
    lock = dbtools.DataDirLock(data)
    assert lock.acquire()
    try:
        assert not dbtools.DataDirLock(data).acquire()  # a second bot on the same data dir
        with pytest.raises(dbtools.DbToolError, match="stop it first"):
            dbtools.restore(db, tmp_path / "b.sqlite3")
    finally:
        lock.release()
    con = sqlite3.connect(tmp_path / "b.sqlite3")
    con.execute(f"PRAGMA user_version = {latest_version() + 1}")
    con.close()
    with pytest.raises(dbtools.DbToolError, match="newer than this renewal-bot"):
        dbtools.restore(db, tmp_path / "b.sqlite3")
    assert not list(data.glob("*.before-restore-*"))  # nothing was touched


async def test_check_finds_orphans_and_damage(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    await _make_db(db, lines=40)
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("DELETE FROM lines WHERE id = 1")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    report = dbtools.check(db)
    assert not report.ok and report.orphans["pending pings without their line"] == 1
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.truncate(size // 2)
    assert not dbtools.check(db).ok


async def test_db_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    await _make_db(data / dbtools.DB_FILE)
    cfg = write_toml(tmp_path / "bot.toml", {
        "matrix": {"homeserver": "https://hs.x", "user_id": "@bot:x", "password": "x"},
        "bot": {"data_dir": str(data)},
    })
    assert main(["db", "backup", "--config", str(cfg), str(tmp_path / "b.sqlite3")]) == 0
    assert main(["db", "check", "--config", str(cfg)]) == 0
    assert "orphan rows: none" in capsys.readouterr().out
    assert main(["db", "restore", "--config", str(cfg), str(tmp_path / "b.sqlite3")]) == 0
    assert "will be handled again" in capsys.readouterr().out
    assert main(["db", "backup", "--config", str(cfg), str(tmp_path / "b.sqlite3")]) == 1  # exists
    assert "exists" in capsys.readouterr().err


async def test_backup_into_a_directory_written_with_a_slash(tmp_path: Path) -> None:
    """QA: ``db backup /backups/`` with no such directory wrote a *file* named ``backups``; the
    next night's backup then failed with "exists"."""
    db = tmp_path / "db.sqlite3"
    await _make_db(db)
    out = dbtools.backup(db, f"{tmp_path}/backups/nightly/")
    made = list((tmp_path / "backups" / "nightly").glob("renewal-bot-*.sqlite3"))
    assert len(made) == 1 and str(made[0]) in out and dbtools.check(made[0]).ok
    (tmp_path / "plain").write_text("x")
    with pytest.raises(dbtools.DbToolError, match="not a directory"):
        dbtools.backup(db, f"{tmp_path}/plain/")
    with pytest.raises(dbtools.DbToolError, match="not a directory"):
        dbtools.backup(db, tmp_path / "plain" / "b.sqlite3")  # was "[Errno 20] Not a directory: ….part"
    with pytest.raises(dbtools.DbToolError, match="not a directory"):
        dbtools.backup(db, tmp_path / "missing" / "b.sqlite3")
