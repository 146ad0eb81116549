"""The scam guard's statistical half: a character n-gram logistic regression, scored in pure Python.

Trained by ``scripts/scam_train.py`` (scikit-learn, the ``[train]`` extra) on the train split of
the corpus and shipped as ``bot/data/scam_model.json``: the n-grams kept, their weights, the bias,
and how the model's margin is added to the rules' score (both tuned on the dev split). Nothing is
downloaded at run time; without the file the guard runs on its rules alone.

Features: every distinct character n-gram (lengths :data:`Model.n_min` .. :data:`Model.n_max`) of
the model text, each worth ``1/sqrt(number of distinct n-grams)``, so long and short messages
weigh alike. The model text is the unmasked message with links replaced by one character per
kind of link (official, messenger, shortener, suspicious, plain; a link a
warning tells the reader not to open counts as quoted) and every digit written as ``0``, so that
the model learns "a messenger link after a price", not one scammer's handle or amount.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "scam_model.json"

#: One character per kind of link in the model text (private-use code points).
LINK_OFFICIAL = "\ue000"
LINK_MESSENGER = "\ue001"
LINK_SHORTENER = "\ue002"
LINK_OTHER = "\ue003"
#: A quoted scam inside a warning (and a link that a warning tells the reader not to open).
QUOTE_MARK = "\ue004"
#: A link to a domain that is neither official nor suspicious in itself (``3hk.com``).
LINK_PLAIN = "\ue005"

_DIGIT = str.maketrans("123456789", "000000000")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Model:
    """Weights of the n-grams kept and how the margin turns into a share of the score."""

    weights: dict[str, float]
    bias: float
    #: weight of each rule that fired, learned alongside the n-grams.
    rules: dict[str, float] = field(default_factory=dict)
    #: how much of the rules' own score is kept next to the model's share.
    rule_share: float = 1.0
    #: the rules' own score from which a message is a scam whatever the model says (None: never).
    rules_alone_at: float | None = None
    n_min: int = 1
    n_max: int = 4
    max_chars: int = 1200
    #: shorter texts are too little to judge: the model abstains and the rules alone decide.
    min_chars: int = 12
    #: contribution = clamp(scale * margin + offset, low, high), added to the rules' score.
    scale: float = 0.5
    offset: float = 0.0
    low: float = -0.5
    high: float = 1.0
    #: the "model" reason is shown from this margin on (the model leans to "scam").
    reason_at: float = 0.0
    #: a message in which no rule fired is a scam only from this margin on.
    bare_margin: float = 0.0
    #: ... and one that also asks nothing of the reader (no link, no number, no request) from this margin on.
    quiet_margin: float = 0.0
    meta: dict[str, object] = field(default_factory=dict)

    def margin(self, model_text: str, found: Iterable[str] = ()) -> float | None:
        """The logistic regression's log-odds that ``model_text`` is a scam, given the rules that
        fired (``found``): each rule is a feature of its own, so the model learns how far to trust it.
        None for a text shorter than ``min_chars``: too little to judge, the rules alone decide."""
        if len(model_text) < self.min_chars:
            return None
        grams = ngrams(model_text, self.n_min, self.n_max, self.max_chars)
        margin = self.bias + sum(self.rules.get(r, 0.0) for r in found)
        if grams:
            # map/filter run in C: the n-grams without a weight give None and are dropped.
            margin += sum(filter(None, map(self.weights.get, grams))) / math.sqrt(len(grams))
        return margin

    def contribution(self, margin: float) -> float:
        return min(self.high, max(self.low, self.scale * margin + self.offset))


def prepare(text: str) -> str:
    """Digits as ``0`` and runs of white space as one space (the text is already unmasked)."""
    return _SPACES.sub(" ", text.translate(_DIGIT)).strip()


def ngrams(text: str, n_min: int, n_max: int, max_chars: int) -> set[str]:
    """Distinct character n-grams of `` text `` (a long text: its head and its tail only)."""
    if len(text) > max_chars:
        head = max_chars * 2 // 3
        text = text[:head] + " " + text[-(max_chars - head):]
    s = f" {text} "
    size = len(s)
    return {s[i:i + n] for n in range(n_min, n_max + 1) for i in range(size - n + 1)}


def from_dict(data: dict[str, Any]) -> Model:
    return Model(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        bias=float(data["bias"]),
        rules={str(k): float(v) for k, v in data.get("rules", {}).items()},
        rule_share=float(data.get("rule_share", 1.0)),
        rules_alone_at=None if data.get("rules_alone_at") is None else float(data["rules_alone_at"]),
        n_min=int(data.get("n_min", 1)), n_max=int(data.get("n_max", 4)),
        max_chars=int(data.get("max_chars", 1200)), min_chars=int(data.get("min_chars", 12)),
        scale=float(data.get("scale", 0.5)), offset=float(data.get("offset", 0.0)), low=float(data.get("low", -0.5)),
        high=float(data.get("high", 1.0)), reason_at=float(data.get("reason_at", 0.0)),
        bare_margin=float(data.get("bare_margin", 0.0)),
        quiet_margin=float(data.get("quiet_margin", 0.0)),
        meta=dict(data.get("meta", {})),
    )


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> Model | None:
    """The shipped model, read once; None when the file is absent (rules only)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return from_dict(data)
