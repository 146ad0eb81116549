"""The wheel and sdist carry everything the bot reads at run time: catalog, translations,
migrations, the scam model. Builds them (about 15 s) unless RENEWAL_BOT_DIST names a dist/
that scripts/package just built."""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_DATA = ("bot/catalog/providers/*.toml", "bot/i18n/locales/*/*.po", "bot/store/sqlite/migrations/*.sql",
                "bot/data/*.json")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    given = os.environ.get("RENEWAL_BOT_DIST")
    if given:
        yield Path(given)
        return
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    yield out


def _expected() -> set[str]:
    found = {str(p.relative_to(ROOT)) for pattern in RUNTIME_DATA for p in ROOT.glob(pattern)}
    assert any(f.endswith("ops.po") for f in found) and any(f.endswith(".sql") for f in found)
    return found


def test_the_wheel_carries_catalog_translations_migrations(dist: Path) -> None:
    (wheel,) = dist.glob("renewal_bot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = _expected() - names
    assert not missing, f"not in the wheel: {sorted(missing)}"
    assert {"bot/web.py", "bot/metrics.py", "bot/dbtools.py"} <= names
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "renewal-bot = bot.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
    assert not any(n.startswith("tests/") for n in names)


def test_the_sdist_carries_them_too(dist: Path) -> None:
    (sdist,) = dist.glob("renewal_bot-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert not (_expected() - names), sorted(_expected() - names)
    assert {"pyproject.toml", "README.md"} <= names


def test_twine_accepts_them(dist: Path) -> None:
    files = [str(p) for p in sorted(dist.glob("renewal_bot-*"))]
    r = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *files], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
