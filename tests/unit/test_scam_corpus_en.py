"""Schema checks for the English / Indonesian / Malay / code-mixed scam corpus.

Files: tests/data/scam/corpus/{en,id,ms,mixed}.jsonl (see tests/data/scam/DATASHEET-en-id-ms.md).
The engine trains and evaluates on these rows and splits them by source, so a malformed row, a
duplicate text, a source that is not a URL, or one source holding a large share of the rows would
silently skew the splits.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "data" / "scam" / "corpus"
NAMES = ("en", "id", "ms", "mixed")
FILES = [CORPUS / f"{n}.jsonl" for n in NAMES if (CORPUS / f"{n}.jsonl").exists()]

KEYS = {"text", "label", "lang", "kind", "source", "source_name", "published", "how"}
KINDS = {
    "scam": {"topup_offer", "messenger_agent", "asks_code", "fake_authority", "phishing_link",
             "apk_lure", "prize", "impersonation", "other_scam"},
    "legit": {"carrier_notice", "otp_notice", "official_promo", "warning_quote", "chat", "news",
              "official_link"},
}
HOWS = {"quoted", "adapted", "composed"}
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})?$")
LATIN = re.compile(r"[A-Za-z]")


def _rows() -> list[tuple[str, int, dict[str, Any]]]:
    out = []
    for path in FILES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert line.strip(), f"{path.name}:{n}: blank line"
            out.append((path.name, n, json.loads(line)))
    return out


ROWS = _rows()


def test_files_exist() -> None:
    assert FILES, "no en/id/ms/mixed corpus files"
    assert len(ROWS) >= 200


@pytest.mark.parametrize("where,row", [(f"{f}:{n}", r) for f, n, r in ROWS])
def test_row_schema(where: str, row: dict[str, Any]) -> None:
    assert set(row) == KEYS, where
    assert all(isinstance(row[k], str) for k in KEYS), where
    assert row["text"] and row["text"].strip() == row["text"], where
    assert LATIN.search(row["text"]), f"{where}: no Latin letters"
    assert row["label"] in KINDS, where
    assert row["kind"] in KINDS[row["label"]], where
    assert row["lang"] == where.split(".jsonl")[0], f"{where}: lang does not match its file"
    assert row["how"] in HOWS, where
    assert DATE.match(row["published"]), where
    url = urlsplit(row["source"])
    assert url.scheme in {"http", "https"} and "." in url.netloc, where
    assert not re.search(r"\s", row["source"]), where
    assert row["source_name"].strip(), where
    if row["how"] == "composed":
        assert row["label"] == "legit", f"{where}: composed rows are legitimate chat/notices only"


def test_no_duplicate_texts() -> None:
    counts = Counter(" ".join(r["text"].lower().split()) for _, _, r in ROWS)
    dups = [t for t, c in counts.items() if c > 1]
    assert not dups, dups[:5]


def test_one_name_per_source() -> None:
    names: dict[str, set[str]] = {}
    for _, _, r in ROWS:
        names.setdefault(r["source"], set()).add(r["source_name"])
    assert all(len(v) == 1 for v in names.values()), {k: v for k, v in names.items() if len(v) > 1}


def test_sources_are_spread() -> None:
    """The split is by source: no source may carry much more than 5% of the rows."""
    counts = Counter(r["source"] for _, _, r in ROWS)
    assert len(counts) >= 50
    cap = max(30, int(0.06 * len(ROWS)))
    heavy = {s: c for s, c in counts.items() if c > cap}
    assert not heavy, heavy


def test_both_labels_in_every_file() -> None:
    for path in FILES:
        labels = Counter(r["label"] for f, _, r in ROWS if f == path.name)
        assert labels["scam"] and labels["legit"], path.name
