"""``renewal-bot db backup|restore|check|copy``: the operator's tools for the bot's SQLite database.

- ``backup`` copies the database with SQLite's online backup API in one step: a consistent
  snapshot, taken while the bot runs (WAL: the bot keeps writing meanwhile, unblocked).
- ``restore`` puts a backup in place while the bot is stopped (the data dir's lock says so),
  refuses a backup from a newer version, keeps the replaced database next to it, and says how many
  events the bot had handled since the backup: it will see them again and handle them again.
- ``check`` runs SQLite's integrity check and reports the schema version and orphan rows.
- ``copy --to postgresql://...`` moves the deployment into PostgreSQL (every table, ids kept, counts
  checked; the SQLite file is left as it was).

With a PostgreSQL store (``[store] url``), backup, restore and check defer to PostgreSQL's own tools
(pg_dump, pg_restore, pg_amcheck) and say so.

The data dir's lock (``renewal-bot.lock``) keeps one bot per data dir, and no restore under a
running bot.
"""
# The docstring above is ``renewal-bot db --help``: keep it in operators' words, not the code's.
from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

DB_FILE = "renewal-bot.sqlite3"
LOCK_FILE = "renewal-bot.lock"


class DbToolError(Exception):
    """Worded for the operator; the CLI prints it on one line and exits 1."""


class DataDirLock:
    """An exclusive ``flock`` on ``data_dir/renewal-bot.lock``, held for the bot's lifetime (the
    kernel drops it when the process dies, however it dies)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._fh: IO[str] | None = None

    def acquire(self) -> bool:
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def latest_schema() -> int:
    from bot.store.sqlite.migrate import latest_version

    return latest_version()


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    else:
        con = sqlite3.connect(path, timeout=10)
    con.execute("PRAGMA busy_timeout = 10000")
    return con


def _schema(con: sqlite3.Connection) -> int:
    return int(con.execute("PRAGMA user_version").fetchone()[0])


def _integrity(con: sqlite3.Connection) -> list[str]:
    return [r[0] for r in con.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]


# --- backup ---------------------------------------------------------------------------------
def backup(db_path: Path, dest: Path | str) -> str:
    """Copy ``db_path`` to ``dest`` consistently (the bot may be running). Returns a summary.

    ``dest`` is a file, or a directory for a timestamped name: one that exists, or one written
    with a trailing ``/`` (``/backups/``), which is made if missing (a file named ``backups``
    is not what that operator asked for)."""
    if not db_path.exists():
        raise DbToolError(f"no database at {db_path}")
    as_dir = str(dest).endswith(("/", os.sep))
    dest = Path(dest)
    if as_dir and not dest.exists():
        try:
            dest.mkdir(parents=True)
        except OSError as exc:
            raise DbToolError(f"cannot make the directory {dest}: {exc.strerror}") from None
    if dest.is_dir():
        dest = dest / f"renewal-bot-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.sqlite3"
    elif as_dir:
        raise DbToolError(f"{dest} is a file, not a directory")
    if dest.exists():
        raise DbToolError(f"{dest} exists; choose a new name")
    if not dest.parent.is_dir():
        raise DbToolError(f"{dest.parent} is not a directory")
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    src = _connect(db_path)
    try:
        dst = sqlite3.connect(tmp)
        try:
            # pages=-1: one step, under one read transaction: a snapshot. In WAL mode the bot's
            # writes go on meanwhile (a stepwise copy would restart at every write).
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            dst.execute(
                "INSERT INTO kv (key, value) VALUES ('backup_taken_at', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (str(int(time.time() * 1000)),),
            )
            dst.commit()
            problems = _integrity(dst)
            schema = _schema(dst)
            lines = dst.execute("SELECT COUNT(*) FROM lines").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if problems:
        tmp.unlink(missing_ok=True)
        raise DbToolError(f"the copy failed its integrity check ({problems[0]}): is {db_path} damaged? run db check")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    return f"backup written: {dest} (schema {schema}, {lines} lines, {dest.stat().st_size} bytes, integrity ok)"


# --- check ----------------------------------------------------------------------------------
@dataclass
class CheckReport:
    schema: int
    latest: int
    integrity: list[str]
    orphans: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.integrity and self.schema <= self.latest and not any(self.orphans.values())

    def lines(self) -> list[str]:
        out = [f"integrity: {'ok' if not self.integrity else 'FAILED: ' + '; '.join(self.integrity[:5])}"]
        note = "" if self.schema == self.latest else (
            " (older: migrated at the next start)" if self.schema < self.latest else " (NEWER than this renewal-bot)")
        out.append(f"schema version: {self.schema}, this renewal-bot knows {self.latest}{note}")
        out.append("rows: " + ", ".join(f"{k} {v}" for k, v in self.counts.items()))
        bad = {k: v for k, v in self.orphans.items() if v}
        out.append("orphan rows: " + (", ".join(f"{k} {v}" for k, v in bad.items()) if bad else "none"))
        return out


_ORPHANS = {
    "pending pings without their line": "SELECT COUNT(*) FROM pings WHERE status = 'pending' "
    "AND line_id NOT IN (SELECT id FROM lines)",
    "renewals without their line": "SELECT COUNT(*) FROM renewals WHERE line_id NOT IN (SELECT id FROM lines)",
}


def check(db_path: Path) -> CheckReport:
    if not db_path.exists():
        raise DbToolError(f"no database at {db_path}")
    try:
        con = _connect(db_path, readonly=True)
        try:
            integrity = _integrity(con)
            schema = _schema(con)
            report = CheckReport(schema, latest_schema(), integrity)
            if not integrity:
                for label, sql in _ORPHANS.items():
                    report.orphans[label] = int(con.execute(sql).fetchone()[0])
                for table in ("owners", "lines", "pings", "replies", "handled_events"):
                    report.counts[table] = int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return CheckReport(-1, latest_schema(), [f"{exc}"])
    return report


# --- restore --------------------------------------------------------------------------------
def restore(db_path: Path, source: Path) -> list[str]:
    """Put the backup ``source`` in place of ``db_path``; the bot must be stopped."""
    if not source.is_file():
        raise DbToolError(f"no backup at {source}")
    lock = DataDirLock(db_path.parent)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if not lock.acquire():
        raise DbToolError(f"the bot is running on {db_path.parent}: stop it first (the data dir is locked)")
    try:
        return _restore_locked(db_path, source)
    finally:
        lock.release()


def _restore_locked(db_path: Path, source: Path) -> list[str]:
    report = check(source)
    if report.integrity:
        raise DbToolError(f"{source} is damaged ({report.integrity[0]}); not restored")
    if report.schema > report.latest:
        raise DbToolError(
            f"{source} has schema version {report.schema}, newer than this renewal-bot knows "
            f"({report.latest}): restore it with the newer version; not restored"
        )
    out: list[str] = []
    tmp = db_path.with_name(db_path.name + ".restoring")
    tmp.unlink(missing_ok=True)
    src = _connect(source, readonly=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            taken = dst.execute("SELECT value FROM kv WHERE key = 'backup_taken_at'").fetchone()
            replay, already_sent = _compare_with_current(dst, db_path)
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()
    when = (datetime.fromtimestamp(int(taken[0]) / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            if taken else "an unknown time")
    kept = None
    if db_path.exists():
        kept = db_path.with_name(f"{db_path.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
        _checkpoint(db_path)
        shutil.move(db_path, kept)
    for suffix in ("-wal", "-shm"):  # a WAL left from the old file must never meet the new one
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_path)
    out.append(f"restored {source} (taken {when}, schema {report.schema}) to {db_path}")
    if kept:
        out.append(f"the database it replaced is kept as {kept}")
    if replay is None:
        out.append("the replaced database could not be read: how many events will be handled again is unknown")
    else:
        out.append(
            f"{replay} commands and other events received since the backup will be handled again "
            "when the bot starts (see README, \"Backups\")"
        )
    if already_sent:
        out.append(f"{already_sent} pings sent after the backup were marked sent, so they are not sent twice")
    if report.schema < report.latest:
        out.append(f"its schema ({report.schema}) is migrated to {report.latest} when the bot starts")
    return out


def _checkpoint(db_path: Path) -> None:
    try:
        con = sqlite3.connect(db_path, timeout=10)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    except sqlite3.DatabaseError:
        pass  # a damaged file is kept as it is


def _compare_with_current(restored: sqlite3.Connection, current: Path) -> tuple[int | None, int]:
    """(events the current database has handled that the backup has not, pings marked sent).

    Pings the current database shows as sent but the backup still has pending are marked sent
    in the restored copy (same line, expiry, offset and snooze: the same ping).
    """
    if not current.exists():
        return None, 0
    try:
        restored.execute("ATTACH DATABASE ? AS cur", (f"file:{current}?mode=ro",))
    except sqlite3.DatabaseError:
        return None, 0
    try:
        (replay,) = restored.execute(
            "SELECT COUNT(*) FROM cur.handled_events WHERE event_id NOT IN (SELECT event_id FROM main.handled_events)"
        ).fetchone()
        cur = restored.execute(
            "UPDATE main.pings SET status = 'sent', event_id = c.event_id, sent_at = c.sent_at "
            "FROM cur.pings AS c WHERE main.pings.status = 'pending' AND c.status = 'sent' "
            "AND c.line_id = main.pings.line_id AND c.expiry = main.pings.expiry "
            "AND c.\"offset\" = main.pings.\"offset\" AND c.snooze = main.pings.snooze"
        )
        sent = max(cur.rowcount, 0)
        restored.commit()
        return int(replay), sent
    except sqlite3.DatabaseError:
        return None, 0
    finally:
        restored.execute("DETACH DATABASE cur")


# --- the command line -----------------------------------------------------------------------
_POSTGRES_TOOLS = """renewal-bot: this deployment's database is PostgreSQL ([store] url): use PostgreSQL's own tools,
which know it better than the bot does:
  backup:   pg_dump --format=custom --file=renewal-bot.dump DBNAME   (consistent while the bot runs)
  restore:  stop every instance, then pg_restore --clean --if-exists --dbname=DBNAME renewal-bot.dump
  check:    the amcheck extension (pg_amcheck DBNAME), and your server's monitoring
A restored database replays, like an SQLite restore: events handled after the dump are handled again."""

def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="db_command", metavar="SUBCOMMAND")
    b = sub.add_parser("backup", help="copy the database consistently, also while the bot runs")
    b.add_argument("--config", "-c", required=True, help="path to the TOML config file")
    b.add_argument("path", help="backup file to write (or a directory for a timestamped name)")
    b.set_defaults(func=_cli(lambda db, a: [backup(db, a.path)]))  # the string: a trailing "/" means a directory
    r = sub.add_parser("restore", help="replace the database by a backup (stop the bot first)")
    r.add_argument("--config", "-c", required=True, help="path to the TOML config file")
    r.add_argument("path", help="the backup file")
    r.set_defaults(func=_cli(lambda db, a: restore(db, Path(a.path))))
    k = sub.add_parser("check", help="integrity check, schema version, orphan rows")
    k.add_argument("--config", "-c", required=True, help="path to the TOML config file")
    k.set_defaults(func=_cli(None))
    c = sub.add_parser(
        "copy", help="copy this SQLite deployment into PostgreSQL (stop the bot first)",
        description="Copy every table of the SQLite database in data_dir into an empty PostgreSQL "
        "database, ids kept, counts checked; the SQLite file is left untouched. The password, if "
        "the server needs one, comes from PGPASSWORD or ~/.pgpass (never put it in the URL on a "
        "shared machine).",
    )
    c.add_argument("--config", "-c", required=True, help="path to the TOML config file")
    c.add_argument("--to", required=True, metavar="URL", help="postgresql://user@host:5432/dbname")
    c.set_defaults(func=lambda a: run_copy(a.config, a.to))


def run_copy(config_path: str, to_url: str) -> int:
    """The ``db copy`` command: 0 when copied, 1 on failure, 2 for a bad config."""
    import asyncio

    import psycopg  # only here: the other db commands must not need it

    from bot.config import ConfigError, load_config, redact_url
    from bot.store.base import StoreError
    from bot.store.copy import CopyError, copy_to_postgres

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(f"renewal-bot: {exc}", file=sys.stderr)
        return 2
    if not to_url.startswith(("postgresql://", "postgres://")):
        print("renewal-bot: --to must be a postgresql:// URL", file=sys.stderr)
        return 2
    data_dir = config.bot.data_dir
    if not (data_dir / DB_FILE).exists():
        print(f"renewal-bot: no SQLite database at {data_dir / DB_FILE}", file=sys.stderr)
        return 1
    lock = DataDirLock(data_dir)
    if not lock.acquire():
        print(f"renewal-bot: the bot is running on {data_dir}: stop it first", file=sys.stderr)
        return 1
    try:
        report = asyncio.run(copy_to_postgres(data_dir / DB_FILE, to_url))
    except (CopyError, StoreError, psycopg.Error, sqlite3.Error, OSError) as exc:
        print(f"renewal-bot: db copy: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    finally:
        lock.release()
    print(f"copied {data_dir / DB_FILE} to {redact_url(to_url)} (the SQLite file is unchanged):")
    print("\n".join("  " + x for x in report.lines()))
    print('next: set [store] url in the config (password in password_env or password_file), then start the bot')
    return 0


def _cli(action: Callable[..., Any] | None) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from bot.config import ConfigError, load_config

        try:
            config = load_config(args.config)
        except ConfigError as exc:
            print(f"renewal-bot: {exc}", file=sys.stderr)
            return 2
        if config.store.url:
            print(_POSTGRES_TOOLS, file=sys.stderr)
            return 2
        db = config.bot.data_dir / DB_FILE
        try:
            if action is None:
                report = check(db)
                print("\n".join([f"{db}:", *("  " + x for x in report.lines())]))
                return 0 if report.ok else 1
            print("\n".join(action(db, args)))
            return 0
        except (DbToolError, sqlite3.Error, OSError) as exc:
            print(f"renewal-bot: {exc}", file=sys.stderr)
            return 1

    return run
