"""The benchmarks still run: each script with ``--quick`` (small sizes, its own Synapse and bot)
writes sane JSON. The figures themselves are not checked here; see bench/REPORT.md."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def run_quick(tmp_path: Path, module: str, *args: str, timeout: float = 120) -> dict:
    env = {**os.environ, "BENCH_RESULTS": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", module, "--quick", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    written = sorted(tmp_path.glob("*.json"))
    assert len(written) == 1, written
    data = json.loads(written[0].read_text())
    assert data["machine"]["cores"] >= 1 and "bars" in data
    return data


def test_burst_quick(tmp_path: Path) -> None:
    d = run_quick(tmp_path, "bench.burst")
    bot = [r for r in d["runs"] if r["kind"] == "bot"]
    ref = [r for r in d["runs"] if r["kind"] == "ref-raw"]
    assert bot and ref
    assert all(r["delivered"] == d["params"]["n"] for r in bot + ref)
    assert bot[0]["throughput"] > 0 and 0 < bot[0]["cpu_ms_per_msg"] < 100
    assert d["ratio_vs_raw"]["median"] > 0


def test_burst_encrypted_quick(tmp_path: Path) -> None:
    d = run_quick(tmp_path, "bench.burst", "--encrypted")
    kinds = {r["kind"] for r in d["runs"]}
    assert kinds == {"bot", "ref-raw", "ref-nio"}
    assert all(r["delivered"] == d["params"]["n"] for r in d["runs"])


def test_punctuality_quick(tmp_path: Path) -> None:
    d = run_quick(tmp_path, "bench.punctuality")
    run = d["runs"][0]
    assert run["pings"] == d["params"]["n"] == len(run["lateness_s"])
    assert -1 < run["min_s"] <= run["p50_s"] <= run["p99_s"] <= run["max_s"] < 60


def test_scale_quick(tmp_path: Path) -> None:
    d = run_quick(tmp_path, "bench.scale")
    assert [s["lines"] for s in d["sizes"]] == d["params"]["sizes"]
    for s in d["sizes"]:
        assert 10 < s["rss_mb"]["median"] < 1000
        assert 0 < s["start_to_ready_s"]["median"] < 60
        assert 0 < s["claim_due_ms_p50"]["median"] < 1000


def test_commands_quick(tmp_path: Path) -> None:
    d = run_quick(tmp_path, "bench.commands")
    assert d["in_process"]["per_s"]["median"] > 0
    e2e = d["end_to_end"]
    assert 0 < e2e["bot_p50_ms"]["median"] < 30_000 and 0 < e2e["echo_p50_ms"]["median"] < 30_000


def test_startup_quick(tmp_path: Path) -> None:
    d = run_quick(tmp_path, "bench.startup", timeout=300)
    r = d["results"]
    assert d["bars"]["restart_makes_no_cross_signing_request"] is True
    assert all(n > 0 for n in r["first"]["cross_signing_requests"])  # the identity is made
    assert all(n > 0 for n in r["new_device"]["cross_signing_requests"])  # the new device is signed
    assert r["restart"]["cross_signing_requests"] == [0] * d["params"]["reps"]


def test_outbox_cost_quick(tmp_path: Path) -> None:
    """Also a check of the design: on PostgreSQL the outbox sends well under one statement per
    ping (claims, marks and re-arming go by the batch), where it once sent about five."""
    env = {**os.environ, "BENCH_RESULTS": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "bench.outbox_cost", "--quick"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    runs = {r["store"]: r for r in json.loads((tmp_path / "outbox-cost-quick.json").read_text())["runs"]}
    assert set(runs) == {"postgresql", "sqlite"} and all(r["n"] == 200 for r in runs.values())
    assert runs["postgresql"]["statements_per_ping"] < 1.0
