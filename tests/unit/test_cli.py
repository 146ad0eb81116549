"""The ``renewal-bot`` command as an operator meets it: help, config checks, catalog check."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_help_lists_every_subcommand() -> None:
    r = run("--help")
    assert r.returncode == 0
    for sub in ("run", "check-config", "demo", "catalog"):
        assert sub in r.stdout


def test_check_config_reads_the_example_and_says_what_to_change() -> None:
    r = run("check-config", "--config", str(ROOT / "config.example.toml"))
    assert r.returncode == 1, r.stderr  # valid, but placeholders: see tests/unit/test_qa_cli.py
    assert "valid" in r.stdout and "matrix.homeserver" in r.stdout


def test_bad_config_names_the_key_and_exits_non_zero(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[matrix]\nhomeserver = "https://m.example.org"\nuser_id = "nobody"\npassword = "x"\n'
                   '[bot]\ndefault_time = "25:99"\n')
    r = run("run", "--config", str(cfg))
    assert r.returncode == 2
    assert "matrix.user_id" in r.stderr and "bot.default_time" in r.stderr
    assert "Traceback" not in r.stderr
    assert "x" not in r.stderr.split("invalid config:")[0]  # no secret echoed


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    r = run("check-config", "--config", str(tmp_path / "nope.toml"))
    assert r.returncode == 2 and "cannot read config file" in r.stderr


def test_catalog_check_passes_on_the_shipped_catalog() -> None:
    r = run("catalog", "check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"renewal-bot {version('renewal-bot')}"


def test_one_tree_offers_every_subcommands_own_help() -> None:
    """Subcommands are parsed by the same tree (no argv rebuilt and handed to a second parser)."""
    from bot.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["demo", "--non-interactive", "--say", "list"]).say == ["list"]
    assert parser.parse_args(["catalog", "check", "--max-age-days", "5"]).max_age_days == 5
    r = run("demo", "--help")
    assert r.returncode == 0 and "--non-interactive" in r.stdout
    r = run("catalog", "check", "--help")
    assert r.returncode == 0 and "--max-age-days" in r.stdout


def test_a_command_group_without_its_subcommand_shows_its_usage() -> None:
    r = run("catalog")
    assert r.returncode == 2 and "check" in r.stdout
