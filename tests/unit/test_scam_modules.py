"""The scam guard's modules stay small, one job each, and pure: ``bot/core`` imports neither the
Matrix client nor a database (issue 15)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "bot" / "core"
SCAM_MODULES = sorted(CORE.glob("scam*.py"))
#: Top-level packages that mean Matrix or SQL (or the layers that wrap them).
FORBIDDEN = ("nio", "sqlite3", "psycopg", "psycopg_pool", "aiosqlite", "sqlalchemy", "bot.store", "bot.service",
             "bot.matrix", "bot.bot")


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def test_the_scam_modules_exist_and_are_small() -> None:
    assert {p.stem for p in SCAM_MODULES} >= {"scam", "scam_text", "scam_vocab", "scam_warning", "scam_domains",
                                              "scam_message", "scam_rules", "scam_model", "scam_own"}
    big = {p.name: n for p in SCAM_MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) >= 400}
    assert not big, f"split these: {big}"


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_imports_neither_matrix_nor_sql(path: Path) -> None:
    bad = {m for m in _imports(path) if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)}
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_judging_loads_no_matrix_or_database_module() -> None:
    """At run time too (a lazy import inside a function would escape the static check)."""
    code = ("import sys\nfrom bot.core.scam import judge\n"
            "judge('Top up murah via Telegram @pulsa_cs, OTP kirim ke saya', official_domains=frozenset())\n"
            f"bad = [m for m in sys.modules if any(m == f or m.startswith(f + '.') for f in {FORBIDDEN!r})]\n"
            "print(','.join(sorted(bad)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""
