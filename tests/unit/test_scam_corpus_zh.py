"""Schema checks for the Chinese scam corpus (tests/data/scam/corpus/zh-*.jsonl).

The engine trains and evaluates on these files and splits them by source, so a malformed row, a
duplicate text or a source address that is not a URL would silently skew the splits.
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
FILES = sorted(CORPUS.glob("zh-*.jsonl"))

KEYS = {"text", "label", "lang", "kind", "source", "source_name", "published", "how"}
LANGS = {"zh-Hans", "zh-Hant", "mixed"}
KINDS = {
    "scam": {"topup_offer", "messenger_agent", "asks_code", "fake_authority", "phishing_link",
             "apk_lure", "prize", "impersonation", "other_scam"},
    "legit": {"carrier_notice", "otp_notice", "official_promo", "warning_quote", "chat", "news",
              "official_link"},
}
HOWS = {"quoted", "adapted", "composed"}
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})?$")
HAN = re.compile(r"[\u3400-\u9fff]")


def _rows() -> list[tuple[str, int, dict[str, Any]]]:
    out = []
    for path in FILES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert line.strip(), f"{path.name}:{n}: blank line"
            out.append((path.name, n, json.loads(line)))
    return out


ROWS = _rows()


def test_files_exist() -> None:
    assert FILES, "no zh-*.jsonl corpus files"
    assert len(ROWS) >= 200


@pytest.mark.parametrize("where,row", [(f"{f}:{n}", r) for f, n, r in ROWS])
def test_row_schema(where: str, row: dict[str, Any]) -> None:
    assert set(row) == KEYS, where
    assert all(isinstance(row[k], str) for k in KEYS), where
    assert row["text"].strip() == row["text"] and row["text"], where
    assert HAN.search(row["text"]), f"{where}: no Chinese characters"
    assert row["label"] in KINDS, where
    assert row["kind"] in KINDS[row["label"]], where
    assert row["lang"] in LANGS, where
    assert row["how"] in HOWS, where
    assert DATE.match(row["published"]), where
    url = urlsplit(row["source"])
    assert url.scheme in {"http", "https"} and "." in url.netloc and " " not in row["source"], where
    assert row["source_name"].strip(), where
    if row["how"] == "composed":
        assert row["label"] == "legit", f"{where}: composed rows are legitimate chat/notices only"


def test_no_duplicate_texts() -> None:
    counts = Counter(r["text"] for _, _, r in ROWS)
    dups = [t for t, c in counts.items() if c > 1]
    assert not dups, dups[:5]


def test_one_name_per_source() -> None:
    names: dict[str, set[str]] = {}
    for _, _, r in ROWS:
        names.setdefault(r["source"], set()).add(r["source_name"])
    assert all(len(v) == 1 for v in names.values()), {k: v for k, v in names.items() if len(v) > 1}


def test_both_labels_and_scripts_present() -> None:
    labels = Counter(r["label"] for _, _, r in ROWS)
    langs = Counter(r["lang"] for _, _, r in ROWS)
    assert labels["scam"] and labels["legit"]
    assert langs["zh-Hans"] and langs["zh-Hant"] and langs["mixed"]


def test_corpus_size_and_balance() -> None:
    """Issue 10 asks for at least 800 Chinese messages, roughly 45% scams."""
    labels = Counter(r["label"] for _, _, r in ROWS)
    assert len(ROWS) >= 800
    assert 0.35 <= labels["scam"] / len(ROWS) <= 0.55


def test_sources_are_many_and_none_dominates() -> None:
    """The engine splits train/dev/test by source: one big source would skew a split."""
    per_source = Counter(r["source"] for _, _, r in ROWS)
    assert len(per_source) >= 40
    assert max(per_source.values()) <= 0.05 * len(ROWS), per_source.most_common(3)


def test_every_file_has_both_labels() -> None:
    for path in FILES:
        labels = {r["label"] for f, _, r in ROWS if f == path.name}
        assert labels == {"scam", "legit"}, path.name
