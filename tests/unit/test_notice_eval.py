"""scripts/notice_eval.py on a labelled set: the holdout mode prints figures only, never a text."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notice_eval", ROOT / "scripts" / "notice_eval.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


ROWS = [  # made up here, not from any set: a notice, a near miss, a wrong provider, an unread notice
    {"text": "Masa aktif kartu Anda s.d. 31-12-2026. SECRETMARK1", "lang": "id", "provider": None,
     "expiry": "2026-12-31", "kind": "notice"},
    {"text": "Promo kuota berlaku sampai 31-12-2026 SECRETMARK2", "lang": "id", "provider": None,
     "expiry": None, "kind": "promo"},
    {"text": "Your account is valid until 31/12/2026. SECRETMARK3", "lang": "en", "provider": "hotlink",
     "expiry": "2026-12-31", "kind": "notice"},
    {"text": "Top up soon, your number lapses shortly SECRETMARK4", "lang": "en", "provider": None,
     "expiry": "2026-12-31", "kind": "notice"},
    {"text": "Your account is valid until 30/12/2026. SECRETMARK5", "lang": "en", "provider": None,
     "expiry": "2026-12-31", "kind": "notice"},
]


def test_holdout_prints_figures_per_language_and_no_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    mod = _script()
    (tmp_path / "holdout").mkdir()
    (tmp_path / "holdout" / "x.jsonl").write_text(
        "\n".join(json.dumps({**r, "source": f"https://src.example/{i}"}) for i, r in enumerate(ROWS)) + "\n",
        encoding="utf-8")
    (tmp_path / "dev").mkdir()  # one source in both sets: counted, so the lead sees the overlap
    (tmp_path / "dev" / "d.jsonl").write_text(json.dumps({**ROWS[0], "source": "https://src.example/2"}) + "\n",
                                              encoding="utf-8")
    monkeypatch.setattr(mod, "NOTICES", tmp_path)
    assert mod.main(["--holdout"]) == 0
    out = capsys.readouterr().out
    assert "SECRETMARK" not in out and "Masa aktif" not in out
    lines = {ln.split("|")[1].strip(): [c.strip() for c in ln.split("|")[2:-1]]
             for ln in out.splitlines() if ln.startswith("| ") and not ln.startswith("| lang")}
    cols = mod.LABELLED_COLS
    en, id_ = dict(zip(cols, lines["en"], strict=True)), dict(zip(cols, lines["id"], strict=True))
    assert (id_["dated"], id_["right"], id_["near misses"], id_["refused"]) == ("1", "1", "1", "1")
    assert (en["dated"], en["right"], en["right date, other provider"], en["not read"], en["wrong date"]) == (
        "3", "0", "1", "1", "1")
    assert lines["all"][cols.index("dated")] == "4"
    assert "holdout rows whose source the dev set also uses: 1/5" in out


def test_holdout_refuses_verbose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mod = _script()
    monkeypatch.setattr(mod, "NOTICES", tmp_path)
    with pytest.raises(SystemExit):
        mod.main(["--holdout", "-v"])
