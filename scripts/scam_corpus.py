"""The scam corpus and its split by source, shared by scripts/scam_eval.py and scripts/scam_train.py.

The corpus is ``tests/data/scam/corpus/*.jsonl``: one JSON object a line with ``text``, ``label``
(``scam``/``legit``), ``lang`` (``en``, ``zh-Hans``, ``zh-Hant``, ``id``, ``ms``, ``mixed``),
``kind``, ``source`` (URL), ``source_name``, ``published``, ``how``.

Split by source, not by message: every message from one page lands in the same split, so that a
page's wording cannot leak from train into dev. A source goes to train or dev by a hash of its
normalised URL (~80/20; dev is exactly the dev of sessions 1 and 2). The hash-test split was read at
the end of sessions 1 and 2 and is now training data: a set read twice no longer measures honestly.
So that every language can be measured, a language without a dev source gets one: its train source
with the highest hash moves over. The assignment only depends on the set of sources, never on the
order of files or lines.

Retired holdouts: a holdout that has been read once joins the corpus as ``holdout<N>-*.jsonl``
(``holdout1-*`` is the holdout of session 3, read once at 12:40 UTC on 2 Dec 2026). Its sources all
go to **train**, and the hash split above is computed without them, so dev stays the very same set
and figures before and after a retirement compare.

The honest test set is the **holdout** split: every ``tests/data/scam/holdout/*.jsonl`` (same schema),
written from sources that are not in the corpus (``holdout_overlap`` checks the source keys). It is
never trained on, tuned on or looked at; ``scripts/scam_eval.py --split holdout`` scores it, once,
at the end of a session. :func:`load_examples` never reads it.

The rule author's 109 hand-written messages (``tests/data/scam_messages.toml``) are a regression
set: they may train the model but are never evaluated as if they were independent.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "tests" / "data" / "scam" / "corpus"
HOLDOUT_DIR = ROOT / "tests" / "data" / "scam" / "holdout"
REGRESSION = ROOT / "tests" / "data" / "scam_messages.toml"
REGRESSION_SOURCE = "regression:tests/data/scam_messages.toml"
SPLITS = ("train", "dev", "holdout")
RETIRED = re.compile(r"holdout\d+-")  # a retired holdout's file in the corpus: all train
LANGS = ("en", "zh-Hans", "zh-Hant", "id", "ms", "mixed")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str  # "scam" | "legit"
    lang: str
    kind: str
    source: str
    split: str

    @property
    def y(self) -> int:
        return 1 if self.label == "scam" else 0


def source_key(url: str) -> str:
    """A source URL without scheme, ``www.``, fragment or trailing slash, lower-cased host."""
    u = url.strip()
    for scheme in ("https://", "http://"):
        if u.lower().startswith(scheme):
            u = u[len(scheme):]
    u = u.split("#", 1)[0].rstrip("/")
    host, _, path = u.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}/{path}" if path else host


def _hash(key: str) -> float:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") / 2**64


def _by_hash(h: float) -> str:
    return "train" if h < 0.6 else "dev" if h < 0.8 else "test"


def assign_splits(rows: list[dict[str, str]]) -> dict[str, str]:
    """Source key -> ``train`` or ``dev``, stratified so that every language has dev data.

    Computed as in sessions 1 and 2 (train/dev/test, a language without test or dev data given a
    source), then the retired hash-test split joins train: dev stays the very same set, so dev
    figures before and after the retirement compare."""
    kept = [r for r in rows if not r.get("_retired")]
    split = {k: "train" if s == "test" else s for k, s in _legacy_splits(kept).items()}
    for r in rows:
        if r.get("_retired"):
            split[source_key(r["source"])] = "train"
    return split


def _legacy_splits(rows: list[dict[str, str]]) -> dict[str, str]:
    """The split of sessions 1 and 2: source key -> train, dev or test."""
    keys = sorted({source_key(r["source"]) for r in rows})
    split = {k: _by_hash(_hash(k)) for k in keys}
    langs_of: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        langs_of[source_key(r["source"])].add(r["lang"])
    for lang in sorted({r["lang"] for r in rows}):
        for need in ("test", "dev"):
            if any(split[k] == need and lang in langs_of[k] for k in keys):
                continue
            donors = [k for k in keys if split[k] == "train" and lang in langs_of[k]]
            # Keep at least one train source for the language when it has two or more.
            if len(donors) >= 2 or (donors and need == "test"):
                split[max(donors, key=_hash)] = need
    return split


def read_corpus(directory: Path = CORPUS_DIR) -> list[dict[str, str]]:
    """Every row of every ``*.jsonl`` file, in file-name and line order; bad rows raise."""
    rows: list[dict[str, str]] = []
    if not directory.exists():
        return rows
    for path in sorted(directory.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name}:{n}: {exc}") from exc
            missing = {"text", "label", "lang", "source"} - row.keys()
            if missing or row["label"] not in ("scam", "legit"):
                raise ValueError(f"{path.name}:{n}: missing {sorted(missing)} or bad label")
            if RETIRED.match(path.name):
                row["_retired"] = True
            rows.append(row)
    return rows


def load_examples(directory: Path = CORPUS_DIR, *, regression: bool = True) -> list[Example]:
    """The corpus with each message's split, plus (in train) the regression set when asked."""
    rows = read_corpus(directory)
    split = assign_splits(rows)
    seen: set[tuple[str, str]] = set()
    out: list[Example] = []
    for r in rows:
        key = (r["text"].strip(), r["label"])
        if key in seen:  # the same message quoted by two pages counts once
            continue
        seen.add(key)
        out.append(Example(r["text"], r["label"], r["lang"], r.get("kind") or "-", r["source"],
                           split[source_key(r["source"])]))
    if regression:
        out += load_regression()
    return out


def load_holdout(directory: Path = HOLDOUT_DIR) -> list[Example]:
    """The holdout split (``tests/data/scam/holdout/*.jsonl``), for ``scam_eval.py --split holdout``
    only: never trained or tuned on. Duplicate texts within it count once."""
    seen: set[tuple[str, str]] = set()
    out: list[Example] = []
    for r in read_corpus(directory):
        key = (r["text"].strip(), r["label"])
        if key not in seen:
            seen.add(key)
            out.append(Example(r["text"], r["label"], r["lang"], r.get("kind") or "-", r["source"], "holdout"))
    return out


def source_keys(directory: Path) -> set[str]:
    """The source keys of every ``*.jsonl`` row in ``directory``; reads the ``source`` field only."""
    keys: set[str] = set()
    if not directory.exists():
        return keys
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                keys.add(source_key(str(json.loads(line).get("source", ""))))
    return keys


def holdout_overlap(corpus: Path = CORPUS_DIR, holdout: Path = HOLDOUT_DIR) -> set[str]:
    """Source keys found both in the corpus and in the holdout: must be empty, or the holdout
    measures pages the model learned from. Compares source keys only (no message text)."""
    return source_keys(corpus) & source_keys(holdout)


def load_regression() -> list[Example]:
    """The rule author's hand-written messages (a regression set, never an evaluation)."""
    return [Example(m["text"], m["label"], m["lang"], "regression", REGRESSION_SOURCE, "train")
            for m in tomllib.loads(REGRESSION.read_text(encoding="utf-8"))["message"]]


OWN_SOURCE = "bot:own-texts"


def load_own_texts() -> list[Example]:
    """Everything the bot itself says, in every language, as legitimate training messages: the
    guard must never flag the bot's own warnings and how-tos (tests/unit/test_scam.py checks)."""
    import string

    from bot.catalog import load_catalog
    from bot.core.howto import howto_full, howto_short, providers_text
    from bot.core.scam import WEIGHTS, Verdict
    from bot.core.scam_render import render_verdict
    from bot.i18n import catalog as messages

    class _Params(dict):  # type: ignore[type-arg]
        def __missing__(self, key: str) -> str:
            return "2"

    cat = load_catalog()
    texts: list[tuple[str, str]] = []
    for lang in ("en", "zh-Hans", "zh-Hant", "id", "ms"):
        for template in messages(lang).values():
            try:
                texts.append((lang, string.Formatter().vformat(template, (), _Params())))
            except (IndexError, ValueError, AttributeError, KeyError):
                texts.append((lang, template))
        for p in cat.providers:
            texts += [(lang, t) for t in howto_full(p, lang)]
            texts += [(lang, t) for t in howto_short(p, lang, 3, prefix="!rb ")]
        texts += [(lang, t) for t in providers_text(cat.providers, lang)]
        every = Verdict(True, 9.0, tuple(WEIGHTS))
        texts += [(lang, t) for t in render_verdict(every, lang, providers=cat.providers, prefix="!rb ")]
    out: dict[str, Example] = {}
    for lang, text in texts:
        for para in re.split(r"\n\s*\n", text):  # long how-tos: each paragraph on its own too
            para = para.strip()
            if para and para not in out:
                out[para] = Example(para, "legit", lang, "own_text", OWN_SOURCE, "train")
    return list(out.values())


def check_holdout(corpus: Path = CORPUS_DIR, holdout: Path = HOLDOUT_DIR) -> tuple[list[str], bool]:
    """For the corpus helpers writing the holdout: do its files load, how many messages per language
    and label, and which source keys the corpus also has. Prints no message text."""
    try:
        examples = load_holdout(holdout)
    except ValueError as exc:
        return [f"holdout does not load: {exc}"], False
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for e in examples:
        counts[e.lang, e.label] += 1
    lines = [f"holdout: {len(examples)} messages from {len(source_keys(holdout))} sources in {holdout}"]
    lines += [f"  {lang:8} {label:5} {n}" for (lang, label), n in sorted(counts.items())]
    overlap = sorted(holdout_overlap(corpus, holdout))
    lines += [f"source also in the corpus: {k}" for k in overlap]
    ok = bool(examples) and not overlap
    lines.append("OK" if ok else "FAIL: " + ("no messages" if not examples else f"{len(overlap)} shared source(s)"))
    return lines, ok


if __name__ == "__main__":
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Check that the holdout split loads and shares no source "
                                     "with the corpus (prints counts and source keys, never message text).")
    parser.add_argument("--holdout", type=Path, default=HOLDOUT_DIR)
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    args = parser.parse_args()
    out, good = check_holdout(args.corpus, args.holdout)
    print("\n".join(out))
    sys.exit(0 if good else 1)
