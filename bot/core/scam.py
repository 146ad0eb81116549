"""Does a message look like a top-up or renewal scam? A pure, fast judgement with reasons.

The patterns come from /work/shared/carrier-facts.md: top-ups through a Telegram or WhatsApp
"agent", discounted or "slow" top-ups (代充, 慢充, pulsa murah), requests for an OTP or PIN,
threats of blocking, and links that are not the carrier's own (shorteners, punycode, look-alike
names, ``.apk``). Each finding adds a weight; a message is a likely scam at :data:`THRESHOLD`.

Legitimate messages talk about the same things: carriers say "never share your OTP", people warn
each other about "cheap top-ups on Telegram". So a finding is dropped when a negation or warning
("never", "jangan", "切勿", "scam") comes before it in the same clause, and a message that warns
about scams without giving any contact channel counts half.

Input is NFKC-normalised, lower-cased, stripped of invisible characters and mapped from
traditional to simplified Chinese for the characters the patterns use. Only the first
:data:`MAX_CHARS` characters are examined, so the time spent is bounded whatever the input.

The parts, one job each: :mod:`bot.core.scam_text` (normalising and unmasking),
:mod:`bot.core.scam_vocab` and :mod:`bot.core.scam_warning` (patterns), :mod:`bot.core.scam_domains`
(official domains and look-alikes), :mod:`bot.core.scam_message` (the text as the rules read it),
:mod:`bot.core.scam_rules` (findings and their score), :mod:`bot.core.scam_model` (the statistical
model) and :mod:`bot.core.scam_own` (the bot's own texts). This module joins them into a verdict.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.core.scam_domains import WELL_KNOWN_OFFICIAL
from bot.core.scam_model import Model, load_model
from bot.core.scam_own import is_own_text
from bot.core.scam_rules import WEIGHTS, Analysis, analyse
from bot.core.scam_text import MAX_CHARS, normalize

__all__ = ["MAX_CHARS", "THRESHOLD", "WEIGHTS", "WELL_KNOWN_OFFICIAL", "Analysis", "Verdict", "analyse",
           "combine", "judge", "normalize"]

#: Score at or above which a message is judged a likely scam.
THRESHOLD = 1.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgement: ``is_scam`` at ``score >= THRESHOLD``; ``reasons`` are stable codes."""

    is_scam: bool
    score: float
    reasons: tuple[str, ...]


def combine(analysis: Analysis, model: Model | None) -> Verdict:
    """The rules' score plus the model's share; ``model`` becomes a reason when its share counts."""
    score = analysis.rule_score
    found = set(analysis.found)
    margin = None if model is None else model.margin(analysis.model_text, found)
    if model is not None and margin is not None:  # the model abstains on very short texts: rules alone
        alone = model.rules_alone_at is not None and score >= model.rules_alone_at
        bare = not found
        score = model.rule_share * score + model.contribution(margin)
        if alone:
            score = max(score, THRESHOLD)
        elif bare and (margin < model.bare_margin or (analysis.asks_nothing and margin < model.quiet_margin)):
            score = min(score, THRESHOLD - 0.01)  # nothing a rule can name: the model must be sure
        if margin >= model.reason_at:
            found.add("model")
    score = round(max(score, 0.0), 2)
    return Verdict(is_scam=score >= THRESHOLD, score=score, reasons=tuple(r for r in WEIGHTS if r in found))


_SHIPPED = object()
_OWN_CAP = 8000


def judge(text: str, *, official_domains: Collection[str], model: Model | None | object = _SHIPPED) -> Verdict:
    """Judge one message. Pure and bounded: only the first ``MAX_CHARS`` characters count.

    ``official_domains`` are the carriers' and reporting bodies' own domains
    (``Catalog.official_domains()``, best passed as one frozenset kept for the process); links
    within them or :data:`WELL_KNOWN_OFFICIAL` never count against a message. ``model`` defaults
    to the shipped one (``bot/data/scam_model.json``); None judges by the rules alone.
    """
    chosen = load_model() if model is _SHIPPED else model
    if chosen is not None and is_own_text(text[:_OWN_CAP]):
        chosen = None  # the bot's own words (or a quotation of them): the rules alone
    return combine(analyse(text, official_domains), chosen)  # type: ignore[arg-type]
