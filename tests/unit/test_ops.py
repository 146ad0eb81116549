"""Operator features without a homeserver: JSON logs, [http] config, admin words, metric labels,
the outbox's return after an outage, and a store that refuses what it cannot use."""
from __future__ import annotations

import io
import json
import logging
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import metrics
from bot.admin import is_admin
from bot.cli import _RedactSecrets
from bot.config import ConfigError, parse_config
from bot.core import commands as c
from bot.logjson import JsonFormatter
from bot.matrix.sender import Failed, Sent
from bot.scheduler import Outbox
from bot.service import Service, ms
from bot.store.sqlite import Store, StoreError
from bot.store.sqlite.migrate import latest_version
from tests.unit.conftest import make_config

ROOM = "!AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg"


def _json_logger(level: int = logging.INFO) -> tuple[logging.Logger, io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_RedactSecrets())
    logger = logging.getLogger(f"test.json.{id(out)}")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    return logger, out


def test_json_log_lines_carry_fields_and_ids() -> None:
    logger, out = _json_logger()
    logger.info("handling %s in %s failed", "$ev3nt_Id-123456", ROOM)
    logger.warning("ping %s for line %s not sent (%s)", 5, 42, "network", extra={"line_id": 42})
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("oops in %s", "!old:example.org")
    first, second, third = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["level"] == "INFO" and first["logger"].startswith("test.json")
    assert first["event_id"] == "$ev3nt_Id-123456" and first["room_id"] == ROOM
    assert datetime.fromisoformat(first["time"].replace("Z", "+00:00")).tzinfo is not None
    assert second["line_id"] == 42 and "room_id" not in second and "event_id" not in second
    assert third["room_id"] == "!old:example.org" and "ValueError: boom" in third["exc"]


def test_json_log_never_carries_a_token() -> None:
    logger, out = _json_logger()
    logger.info("GET /sync?access_token=%s", "syt_secret_token")
    logger.info("header Bearer %s", "syt_other_secret")
    text = out.getvalue()
    assert "syt_secret_token" not in text and "syt_other_secret" not in text
    assert all(json.loads(line)["message"].startswith("[a log line") for line in text.splitlines())


def test_http_and_log_format_config() -> None:
    base = {"matrix": {"homeserver": "https://hs.x", "user_id": "@bot:x", "password": "x"}}
    assert parse_config(base).http.listen is None
    cfg = parse_config({**base, "http": {"listen": "127.0.0.1:9110"}, "bot": {"log_format": "json"}})
    assert cfg.http.listen == "127.0.0.1:9110" and cfg.bot.log_format == "json"
    assert parse_config({**base, "http": {"listen": "[::1]:9110"}}).http.listen == "[::1]:9110"
    for bad in ("9110", "localhost:", "localhost:99999", "x:y"):
        with pytest.raises(ConfigError, match="http.listen"):
            parse_config({**base, "http": {"listen": bad}})
    with pytest.raises(ConfigError, match="bot.log_format"):
        parse_config({**base, "bot": {"log_format": "xml"}})


def test_admin_words_and_admins() -> None:
    assert isinstance(c.parse("stats", today=date(2026, 1, 1)), c.Stats)
    assert isinstance(c.parse("  Catalog   STATUS ", today=date(2026, 1, 1)), c.CatalogStatus)
    assert c.find("catalog") is None
    assert "stats" not in c.HELP_ORDER and c.suggest_command("stat") != "stats"
    assert is_admin("@op:x", ("@op:x",)) and not is_admin("@op:x", ("@*:x",))


@pytest.mark.parametrize(("reason", "label"), [
    ("rate limited", "rate_limited"), ("network: ClientConnectorError", "network"),
    ("ServerDisconnectedError: x", "network"), ("local: room not known", "local"),
    ("M_FORBIDDEN: not in room", "forbidden"), ("502: bad gateway", "server"), ("M_UNKNOWN: x", "server"),
    ("whatever", "other"),
])
def test_failure_reasons_are_a_small_label_set(reason: str, label: str) -> None:
    assert metrics.failure_reason(reason) == label


async def _seed(store: Store, n: int, due: datetime, *, spread: bool = False) -> None:
    async with store.tx() as tx:
        await tx.update_owner("@u:x", ms(due), room_id="!dm:x")
        await tx.bulk_add_lines([("@u:x", i + 1, "axis", f"l{i}", date(2030, 1, 1)) for i in range(n)], ms(due))
        # spread: a minute apart, as pings of one owner due at the same minute go as one message.
        step = 60_000 if spread else 0
        await tx.bulk_arm((i + 1, date(2030, 1, 1), -7, ms(due) - i * step) for i in range(n))


async def test_back_after_an_outage_network_waits_end_429_waits_do_not(store: Store) -> None:
    """Pings that failed on the network are due at once when the homeserver is back; a ping
    told to wait by a 429 keeps waiting for its retry_after."""
    now = datetime.now(UTC)
    await _seed(store, 3, now - timedelta(seconds=5), spread=True)
    mode = {"down": True, "calls": 0}
    sent: list[str] = []

    async def send(room_id: str, content: dict[str, Any], txn: str) -> Sent | Failed:
        mode["calls"] += 1
        if mode["down"]:  # the first answer is a 429, the others find no server
            if mode["calls"] == 1:
                return Failed("rate limited", retry_after=600)
            return Failed("network: ClientConnectorError")
        sent.append(txn)
        return Sent(f"$e{len(sent)}")

    outbox = Outbox(store, Service(make_config()), send, clock=lambda: datetime.now(UTC))
    outbox._paused = False  # drive it by hand, without its scheduler
    before = metrics.PINGS_FAILED.labels("network")._value.get()
    await outbox._drain_once()
    assert metrics.PINGS_FAILED.labels("network")._value.get() == before + 2
    async with store.read() as tx:
        assert await tx.due_pings(ms(datetime.now(UTC))) == []  # all wait for their backoff
    mode["down"] = False
    assert await outbox.connection_restored() == 2
    retried = metrics.PINGS_RETRIED.labels("network")._value.get()
    await outbox._drain_once()
    assert len(sent) == 2
    assert metrics.PINGS_RETRIED.labels("network")._value.get() == retried + 2
    async with store.read() as tx:
        figures = await tx.ops_figures(ms(datetime.now(UTC)))
    assert figures["pings"][0] == 1  # the rate-limited one still waits
    await outbox.stop()


async def test_metrics_database_gauges(store: Store) -> None:
    now = datetime.now(UTC)
    await _seed(store, 4, now - timedelta(seconds=30))
    await metrics.refresh_db_gauges(store, ms(now), force=True)
    assert metrics.LINES._value.get() == 4 and metrics.OWNERS._value.get() == 1
    assert metrics.OUTBOX_DEPTH.labels("pings")._value.get() == 4
    assert 29 <= metrics.OUTBOX_OLDEST_DUE.labels("pings")._value.get() <= 40


async def test_store_refuses_a_newer_schema_and_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    store = await Store.open(path)
    await store.close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {latest_version() + 1}")
    con.close()
    with pytest.raises(StoreError, match="newer than this renewal-bot knows"):
        await Store.open(path)

    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="unusable|corrupt"):
        await Store.open(junk)


def _exposed_names() -> set[str]:
    from prometheus_client import generate_latest
    from prometheus_client.parser import text_string_to_metric_families

    text = generate_latest(metrics.REGISTRY).decode()
    return {s.name for fam in text_string_to_metric_families(text) for s in fam.samples}


def test_contrib_dashboard_and_alerts_name_real_metrics() -> None:
    import re

    import yaml

    root = Path(__file__).resolve().parents[2] / "contrib"
    rules = yaml.safe_load((root / "prometheus-alerts.yml").read_text())
    alerts = {r["alert"]: r["expr"] for g in rules["groups"] for r in g["rules"]}
    assert {"RenewalBotPingsStuck", "RenewalBotNotSynced"} <= alerts.keys()
    dash = json.loads((root / "grafana-dashboard.json").read_text())
    exprs = list(alerts.values()) + [t["expr"] for p in dash["panels"] for t in p["targets"]]
    used = {m for e in exprs for m in re.findall(r"\b((?:renewal_bot|process)_[a-z_]+)", e)}
    # Samples with labels are exposed only once used; label-free families always are.
    known = _exposed_names() | {"renewal_bot_pings_failed_total", "renewal_bot_pings_retried_total",
                                "renewal_bot_rate_limited_total", "renewal_bot_commands_total",
                                "renewal_bot_command_seconds_bucket", "renewal_bot_syncs_total"}
    assert used and used <= known, used - known


async def _newer_db(path: Path) -> None:
    store = await Store.open(path)
    await store.close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {latest_version() + 1}")
    con.close()


def _run_stopped(tmp_path: Path, data: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """``renewal-bot run`` with a config on ``data`` that cannot get going: its exit code and the
    non-empty stderr lines (the root logger is put back, since ``run`` sets up logging)."""
    from bot.cli import main
    from bot.dev.server import write_toml

    cfg = write_toml(tmp_path / "bot.toml", {
        "matrix": {"homeserver": "http://127.0.0.1:1", "user_id": "@bot:x", "password": "x"},
        "bot": {"data_dir": str(data), "log_format": fmt},
    })
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        code = main(["run", "--config", str(cfg)])
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    return code, [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cannot_start_is_one_line_and_exit_4(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    import asyncio

    data = tmp_path / "data"
    data.mkdir()
    asyncio.run(_newer_db(data / "renewal-bot.sqlite3"))
    code, err = _run_stopped(tmp_path, data, fmt, capsys)
    assert code == 4
    about = [ln for ln in err if "cannot start" in ln]
    assert len(about) == 1, err
    assert "newer than this renewal-bot knows" in about[0]
    if fmt == "json":
        assert json.loads(about[0])["level"] == "ERROR"
    else:
        assert about[0].startswith("renewal-bot: cannot start: database ")


async def test_readiness_figures_leave_out_the_full_line_count(store: Store) -> None:
    """/readyz asks for the outbox figures only: counting every line takes seconds at 10M lines."""
    now = datetime.now(UTC)
    await _seed(store, 3, now - timedelta(seconds=30))
    async with store.read() as tx:
        cheap = await tx.ops_figures(ms(now), sizes=False)
        full = await tx.ops_figures(ms(now))
    assert "lines" not in cheap and "owners" not in cheap
    assert cheap["pings"] == full["pings"] and full["lines"] == 3


async def test_line_gauges_are_re_read_only_after_a_multiple_of_their_cost(store: Store, monkeypatch: Any) -> None:
    now = datetime.now(UTC)
    await _seed(store, 2, now - timedelta(seconds=30))
    await metrics.refresh_db_gauges(store, ms(now), force=True)
    assert metrics.LINES._value.get() == 2
    # As if the last count had taken an hour: the next refreshes keep the lines gauge as it is,
    # but the outbox gauges still move.
    monkeypatch.setattr(metrics, "_db_sizes_next", time.monotonic() + 3600)
    monkeypatch.setattr(metrics, "_db_gauges_at", 0.0)
    async with store.tx() as tx:  # one more line, of another owner, its ping due too
        due = ms(now - timedelta(seconds=30))
        await tx.update_owner("@v:x", due, room_id="!dm2:x")
        await tx.bulk_add_lines([("@v:x", 1, "axis", "v", date(2030, 1, 1))], due)
        (line,) = await tx.list_lines("@v:x")
        await tx.bulk_arm([(line.id, date(2030, 1, 1), -7, due)])
    await metrics.refresh_db_gauges(store, ms(now))
    assert metrics.LINES._value.get() == 2
    assert metrics.OUTBOX_DEPTH.labels("pings")._value.get() == 3
    monkeypatch.setattr(metrics, "_db_sizes_next", 0.0)
    monkeypatch.setattr(metrics, "_db_gauges_at", 0.0)
    await metrics.refresh_db_gauges(store, ms(now))
    assert metrics.LINES._value.get() == 3


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_refused_login_is_one_line_in_the_log_format_and_exit_3(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """A login the bot cannot make (here: a damaged session file) is the operator's one line,
    as JSON under log_format = "json" (a log store that parses every line must not lose it)."""
    from bot.matrix.session import SESSION_FILE

    data = tmp_path / "data"
    data.mkdir()
    (data / SESSION_FILE).write_text("{not json", encoding="utf-8")
    code, err = _run_stopped(tmp_path, data, fmt, capsys)
    assert code == 3
    about = [ln for ln in err if "is unreadable" in ln]
    assert len(about) == 1, err
    if fmt == "json":
        record = json.loads(about[0])
        assert record["level"] == "ERROR" and SESSION_FILE in record["message"]
    else:
        assert about[0].startswith("renewal-bot: ") and SESSION_FILE in about[0]
