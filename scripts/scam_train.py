#!/usr/bin/env python3
"""Train the scam guard's model (bot/data/scam_model.json) on the train split of the corpus.

Usage: scripts/scam_train.py [--out bot/data/scam_model.json] [--keep 40000]
Needs the ``[train]`` extra (scikit-learn); the bot scores the result in pure Python.

1. Every message is analysed by the rules (bot/core/scam.py) into its rule score and model text.
2. A logistic regression on character n-grams (bot/core/scam_model.py) is fitted on train, for a
   few regularisation strengths C.
3. For each C, how the model's margin joins the rules' score (scale, floor, ceiling) is chosen on
   dev: the highest recall (overall plus the weakest language) with precision of at least 0.96.
   Without a dev split (no corpus yet) a 5-fold cross-validation on train stands in for dev.
4. The n-grams with the largest weights are kept (``--keep``) and the file is written.
The test split is never read here.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import numpy as np  # noqa: E402
from scipy.sparse import csr_matrix  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from bot.catalog import load_catalog  # noqa: E402
from bot.core.scam import THRESHOLD, analyse  # noqa: E402
from bot.core.scam_model import MODEL_PATH, Model, ngrams  # noqa: E402
from scam_corpus import Example, OWN_SOURCE, load_examples, load_own_texts  # noqa: E402

N_MIN, N_MAX, MAX_CHARS = 1, 4, 1200
C_GRID = (1.0, 3.0, 10.0, 30.0)
SCALES = (0.15, 0.25, 0.35, 0.5, 0.7, 1.0)
OFFSETS = (0.0, 0.25, 0.5, 0.75, 1.0)
LOWS = (-1.0, -0.6, -0.3, 0.0)
HIGHS = (0.6, 0.8, 1.0, 1.5)
MIN_PRECISION = 0.96


def featurise(texts: list[str], vocab: dict[str, int]) -> csr_matrix:
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        grams = ngrams(text, N_MIN, N_MAX, MAX_CHARS)
        if not grams:
            continue
        v = 1.0 / math.sqrt(len(grams))
        for g in grams:
            j = vocab.get(g)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float64)


def build_vocab(texts: list[str], min_df: int = 2) -> dict[str, int]:
    df: Counter[str] = Counter()
    for text in texts:
        df.update(ngrams(text, N_MIN, N_MAX, MAX_CHARS))
    return {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= min_df))}


def fit(texts: list[str], y: np.ndarray, c: float, weight: np.ndarray | None = None) -> tuple[dict[str, float], float]:
    vocab = build_vocab(texts)
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    clf.fit(featurise(texts, vocab), y, sample_weight=weight)
    coef = clf.coef_[0]
    return {g: float(coef[j]) for g, j in vocab.items() if coef[j] != 0.0}, float(clf.intercept_[0])


def margins(weights: dict[str, float], bias: float, texts: list[str]) -> list[float]:
    m = Model(weights=weights, bias=bias, n_min=N_MIN, n_max=N_MAX, max_chars=MAX_CHARS)
    return [m.margin(t) for t in texts]


def objective(rule: list[float], margin: list[float], ex: list[Example], scale: float, low: float,
              high: float, offset: float = 0.0) -> tuple[float, dict[str, float]]:
    tp = fp = fn = 0
    by_lang: dict[str, list[int]] = {}
    for r, m, e in zip(rule, margin, ex):
        scam = r + min(high, max(low, scale * m + offset)) >= THRESHOLD
        if e.y:
            by_lang.setdefault(e.lang, []).append(int(scam))
        tp += scam and e.y
        fp += scam and not e.y
        fn += (not scam) and e.y
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    lang_recall = min((sum(v) / len(v) for v in by_lang.values() if len(v) >= 5), default=recall)
    value = recall + 0.5 * lang_recall - 50 * max(0.0, MIN_PRECISION - precision)
    return value, {"precision": round(precision, 3), "recall": round(recall, 3),
                   "min_lang_recall": round(lang_recall, 3)}


def tune(rule: list[float], margin: list[float], ex: list[Example]) -> tuple[float, tuple[float, ...], dict]:
    best: tuple[float, tuple[float, ...], dict] = (-1e9, (0.0, 0.0, 0.0, 0.0), {})
    for scale in SCALES:
        for offset in OFFSETS:
            for low in LOWS:
                for high in HIGHS:
                    if high <= offset:
                        continue
                    value, figures = objective(rule, margin, ex, scale, low, high, offset)
                    if value > best[0] + 1e-9:
                        best = (value, (scale, low, high, offset), figures)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--keep", type=int, default=40000, help="n-grams kept (largest weights)")
    args = parser.parse_args(argv)

    domains = frozenset(load_catalog().official_domains())
    examples = [e for e in load_examples() if e.split in ("train", "dev")]  # never test
    examples += load_own_texts()
    analysed = {id(e): analyse(e.text, domains) for e in examples}
    train = [e for e in examples if e.split == "train"]
    dev = [e for e in examples if e.split == "dev"]
    print(f"train {len(train)} ({sum(e.y for e in train)} scam), dev {len(dev)} ({sum(e.y for e in dev)} scam)")
    tx = [analysed[id(e)].model_text for e in train]
    ty = np.array([e.y for e in train])
    # The bot's own texts are many and alike: together they weigh a quarter of the corpus's legit messages.
    own = np.array([e.source == OWN_SOURCE for e in train])
    legit = max(1, int(((ty == 0) & ~own).sum()))
    tw = np.where(own, 0.25 * legit / max(1, int(own.sum())), 1.0)

    def held_out(c: float) -> tuple[list[float], list[float], list[Example]]:
        if dev:
            w, b = fit(tx, ty, c, tw)
            return [analysed[id(e)].rule_score for e in dev], margins(w, b, [analysed[id(e)].model_text for e in dev]), dev
        out_m = [0.0] * len(train)
        for fit_idx, held in StratifiedKFold(5, shuffle=True, random_state=0).split(tx, ty):
            w, b = fit([tx[i] for i in fit_idx], ty[fit_idx], c, tw[fit_idx])
            for i, m in zip(held, margins(w, b, [tx[i] for i in held])):
                out_m[i] = m
        return [analysed[id(e)].rule_score for e in train], out_m, train

    ex0 = dev or train
    rules_only = objective([analysed[id(e)].rule_score for e in ex0], [0.0] * len(ex0), ex0, 0, 0, 0)
    print(f"rules alone on {'dev' if dev else 'cv'}: {rules_only[1]}")
    results = []
    for c in C_GRID:
        rule, margin, ex = held_out(c)
        value, params, figures = tune(rule, margin, ex)
        model_only = objective([THRESHOLD] * len(ex), margin, ex, 1.0, -100, 100)[1]  # margin >= 0
        print(f"C={c}: combined {figures} with scale/low/high/offset {params}; model alone {model_only}")
        results.append((value, c, params, figures))
    value, c, (scale, low, high, offset), figures = max(results, key=lambda r: r[0])
    weights, bias = fit(tx, ty, c, tw)
    kept = dict(sorted(weights.items(), key=lambda kv: -abs(kv[1]))[: args.keep])
    data = {
        "version": 1, "n_min": N_MIN, "n_max": N_MAX, "max_chars": MAX_CHARS,
        "bias": round(bias, 5), "scale": scale, "offset": offset, "low": low, "high": high, "reason_at": 0.3,
        "meta": {
            "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "C": c,
            "train_messages": len(train), "dev_messages": len(dev), "tuned_on": "dev" if dev else "5-fold cv",
            "tuned_figures": figures, "ngrams": len(weights), "ngrams_kept": len(kept),
        },
        "weights": {g: round(w, 5) for g, w in sorted(kept.items())},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"chose C={c} scale={scale} offset={offset} low={low} high={high}: {figures}")
    print(f"wrote {args.out} ({len(kept)} of {len(weights)} n-grams, {args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
