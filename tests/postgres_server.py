"""A throwaway PostgreSQL server for the test suite and benchmarks, on 127.0.0.1.

The suite starts one server per session (like Synapse) and gives each test its own database, so
tests stay independent and the suite fast. The server's binaries come from the machine's
PostgreSQL install (Debian's ``postgresql`` package, which ``.ci/run`` installs when missing);
``RENEWAL_BOT_PG_BIN`` may name another ``bin`` directory.

PostgreSQL refuses to run as root, so when the tests run as root the cluster belongs to the
``postgres`` system user (created by the Debian package) and its commands run through ``setpriv``.
Authentication is ``trust`` on loopback: a URL without a password must work (issue 14), and no
secret is needed for a server that lives for one test session.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

SUPERUSER = "renewal"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bin_dir() -> Path:
    """The directory holding ``initdb``, ``postgres`` and ``pg_isready``."""
    candidates: list[Path] = []
    env = os.environ.get("RENEWAL_BOT_PG_BIN")
    if env:
        candidates.append(Path(env))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for c in candidates:
        if (c / "initdb").exists() and (c / "postgres").exists():
            return c
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found: install Debian's `postgresql` package "
        "(.ci/run does) or set RENEWAL_BOT_PG_BIN"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """``with PostgresServer(tmp) as pg: pg.create_database()`` -> a ``postgresql://`` URL."""

    def __init__(self, root: Path, settings: dict[str, str] | None = None) -> None:
        """``settings``: more server settings (``-c name=value``), e.g. a benchmark's memory."""
        self.root = Path(root)
        self.settings = dict(settings or {})
        self.data = self.root / "pgdata"
        self.bin = find_bin_dir()
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self._as_root = os.geteuid() == 0

    # --- commands, as the cluster's owner -----------------------------------------------------
    def _cmd(self, argv: Sequence[str]) -> list[str]:
        if self._as_root:
            # setpriv execs (no parent process in between), so signals reach postgres itself.
            return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *argv]
        return list(argv)

    def _run(self, argv: Sequence[str]) -> str:
        out = subprocess.run(
            self._cmd(argv), check=False, capture_output=True, text=True, timeout=120
        )
        if out.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({out.returncode}): {out.stderr.strip()[-2000:]}")
        return out.stdout

    # --- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            # The owner must reach the directory: open the path down to it for traversal.
            shutil.chown(self.root, "postgres", "postgres")
            for parent in self.root.parents:
                if parent == Path("/"):
                    break
                parent.chmod(parent.stat().st_mode | 0o011)
        if not (self.data / "PG_VERSION").exists():  # else: a server kept from before (benchmarks)
            self._run([
                str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync",
            ])
        log = open(self.root / "postgres.log", "ab")  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen(
            self._cmd([
                str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
                "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.root}",
                # A test server: durability is not what is being tested, speed is welcome.
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=200",
                *(arg for k, v in self.settings.items() for arg in ("-c", f"{k}={v}")),
            ]),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited; see {self.root / 'postgres.log'}")
            ready = subprocess.run(
                [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("postgres did not become ready within 30 s")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            # SIGINT = "fast shutdown": roll back clients and stop now.
            os.kill(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- databases -----------------------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        """A URL without a password (trust authentication), as an operator might configure."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres", *, timeout: float = 60) -> str:
        """Run ``sql`` (one or more statements, one implicit transaction) with psql; its output."""
        return subprocess.run(
            [str(self.bin.parent / "bin" / "psql") if (self.bin / "psql").exists() else "psql",
             "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.url(database), "-c", sql],
            check=True, capture_output=True, text=True, timeout=timeout,
        ).stdout

    def create_database(self, name: str | None = None) -> str:
        """A fresh, empty database; returns its URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)
