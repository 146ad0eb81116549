"""The scam guard's statistical half: a character n-gram logistic regression, scored in pure Python.

Trained by ``scripts/scam_train.py`` (scikit-learn, the ``[train]`` extra) on the train split of
the corpus and shipped as ``bot/data/scam_model.json``: the n-grams kept, their weights, the bias,
and how the model's margin is added to the rules' score (both tuned on the dev split). Nothing is
downloaded at run time; without the file the guard runs on its rules alone.

Features: every distinct character n-gram (lengths :data:`Model.n_min` .. :data:`Model.n_max`) of
the model text, each worth ``1/sqrt(number of distinct n-grams)``, so long and short messages
weigh alike. The model text is the unmasked message with links replaced by one character per
kind of link (official, messenger, shortener, other) and every digit written as ``0``, so that
the model learns "a messenger link after a price", not one scammer's handle or amount.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "scam_model.json"

#: One character per kind of link in the model text (private-use code points).
LINK_OFFICIAL = "\ue000"
LINK_MESSENGER = "\ue001"
LINK_SHORTENER = "\ue002"
LINK_OTHER = "\ue003"

_DIGIT = str.maketrans("123456789", "000000000")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Model:
    """Weights of the n-grams kept and how the margin turns into a share of the score."""

    weights: dict[str, float]
    bias: float
    n_min: int = 1
    n_max: int = 4
    max_chars: int = 1200
    #: shorter texts are too little to judge: the model may then only speak for them, not against.
    min_chars: int = 25
    #: contribution = clamp(scale * margin + offset, low, high), added to the rules' score.
    scale: float = 0.5
    offset: float = 0.0
    low: float = -0.5
    high: float = 1.0
    #: the "model" reason is shown from this contribution on.
    reason_at: float = 0.3
    meta: dict[str, object] = field(default_factory=dict)

    def margin(self, model_text: str) -> float:
        """The logistic regression's log-odds that ``model_text`` is a scam."""
        grams = ngrams(model_text, self.n_min, self.n_max, self.max_chars)
        if not grams:
            return self.bias
        w = self.weights
        margin = self.bias + math.fsum(w[g] for g in grams & w.keys()) / math.sqrt(len(grams))
        return min(margin, 0.0) if len(model_text) < self.min_chars else margin

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


def from_dict(data: dict) -> Model:
    return Model(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        bias=float(data["bias"]),
        n_min=int(data.get("n_min", 1)), n_max=int(data.get("n_max", 4)),
        max_chars=int(data.get("max_chars", 1200)),
        scale=float(data.get("scale", 0.5)), offset=float(data.get("offset", 0.0)), low=float(data.get("low", -0.5)),
        high=float(data.get("high", 1.0)), reason_at=float(data.get("reason_at", 0.3)),
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
