"""A message as the rules read it: unmasked, each link replaced by one mark for its kind, split
into clauses, with the positions of negations and, in a warning, the quoted scam passages."""
from __future__ import annotations

import bisect
import re

from bot.core import scam_vocab as v
from bot.core import scam_warning as w
from bot.core.links import Link, find_links, is_messenger, is_shortener
from bot.core.scam_domains import Domains
from bot.core.scam_model import LINK_MESSENGER, LINK_OTHER, LINK_SHORTENER, QUOTE_MARK
from bot.core.scam_text import normalize, unmask


class MessageText:
    """The unmasked text with each link replaced by one character for its kind, clause
    boundaries, negation positions, and the quoted passages of a warning."""

    def __init__(self, text: str, domains: Domains) -> None:
        full = normalize(text)
        pieces: list[str] = []
        self.links: list[tuple[Link, int, int, bool]] = []  # link, start and end in words, official
        pos = size = 0
        for link in find_links(full):
            piece = unmask(full[pos:link.start])
            pieces.append(piece)
            size += len(piece)
            official = domains.is_official(link.host)
            mark = ("" if official else LINK_MESSENGER if is_messenger(link.host)
                    else LINK_SHORTENER if is_shortener(link.host) else LINK_OTHER)
            pieces.append(f" {mark} ")
            self.links.append((link, size, size + len(mark) + 2, official))
            size += len(mark) + 2
            pos = link.end
        pieces.append(unmask(full[pos:]))
        self.words = "".join(pieces)
        self.clause_starts = [0] + [m.end() for m in w.CLAUSE_END.finditer(self.words)]
        self.negations = self._negations()
        self.cautionary = bool(w.CAUTION.search(w.QUOTED.sub(" ", w.REASSURE.sub(" ", self.words))))
        self.quoted = [(m.start(), m.end()) for m in w.QUOTED.finditer(self.words)] if self.cautionary else []
        # What the model reads: in a warning, a quoted scam is one mark, so that quoting is not copying.
        outside = w.QUOTED.sub(" ", self.words) if self.quoted else ""
        exposes = self.quoted and w.EXPOSE.search(w.REASSURE.sub(" ", outside))
        self.model_words = w.QUOTED.sub(f" {QUOTE_MARK} ", self.words) if exposes else self.words

    def _negations(self) -> list[int]:
        blank = self.words
        for rx in (w.NOT_NEG, w.REASSURE):
            blank = rx.sub(lambda m: " " * len(m.group(0)), blank)
        out = []
        for m in w.NEG.finditer(blank):
            if w.IF_BEFORE.search(blank[max(0, m.start() - 14):m.start()]):
                continue  # "if you don't renew ..." is a condition, not a warning
            out.append(m.start())
        for m in w.DISTRUST.finditer(blank):  # "... 的机器人都不可信": the whole clause is the warning
            out.append(self.clause_start(m.start()))
        return sorted(out)

    def clause_start(self, pos: int) -> int:
        return self.clause_starts[bisect.bisect_right(self.clause_starts, pos) - 1]

    def negated(self, start: int, end: int) -> bool:
        """A negation or warning before (or inside) ``[start, end)`` in the same clause, or the
        span is quoted inside a warning."""
        lo = max(self.clause_start(start), start - 60)
        i = bisect.bisect_left(self.negations, lo)
        if i < len(self.negations) and self.negations[i] < end:
            return True
        return any(qs <= start and end <= qe for qs, qe in self.quoted)

    def first(self, rx: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``rx`` that is not negated."""
        if not v.may_match(rx, self.words):
            return None
        for m in rx.finditer(self.words):
            if not self.negated(m.start(), m.end()):
                return m
        return None
