"""The package's layers and import cycles ([tool.importlinter] in pyproject.toml): the core imports
neither Matrix nor SQL, the service only the store port, and no two sibling modules import each
other. Run here as well as by .ci/run so that a new cycle fails the unit tests."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept() -> None:
    code = "from importlinter.cli import lint_imports; raise SystemExit(lint_imports(no_cache=True, no_logo=True))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
