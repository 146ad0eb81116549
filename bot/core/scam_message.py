"""A message as the rules read it: unmasked, each link replaced by one mark for its kind, split
into clauses, with the positions of negations and, in a warning, the quoted scam passages."""
from __future__ import annotations

import bisect
import re

from bot.core import scam_vocab as v
from bot.core import scam_warning as w
from bot.core.links import Link, find_links
from bot.core.scam_domains import MESSENGER, OFFICIAL, PLAIN, SHORTENER, Domains
from bot.core.scam_model import LINK_MESSENGER, LINK_OTHER, LINK_PLAIN, LINK_SHORTENER, QUOTE_MARK
from bot.core.scam_text import normalize, unmask

# The clause after a link that warns about it: "<link>. Don't click it", "<link>? Fake.", "<link>。千万别点".
_DONT_NEXT = re.compile(r"\s*(?:\b(?:don'?t|do not|never|jangan|jgn|usah|tolong jangan|fake|scam\w*|palsu|penipu\w*|"
                        r"hoax|hoaks|phishing|not (?:real|genuine|official)|bukan)\b|唔好|不要|切勿|勿|别|千万|假|骗|诈骗)")
_MARKS = {OFFICIAL: "", MESSENGER: LINK_MESSENGER, SHORTENER: LINK_SHORTENER, PLAIN: LINK_PLAIN}


class MessageText:
    """The unmasked text with each link replaced by one character for its kind, clause
    boundaries, negation positions, and the quoted passages of a warning.

    ``links`` holds each link, where its mark starts and ends in ``words``, and its kind
    (:meth:`bot.core.scam_domains.Domains.kind`). In a warning, a link the reader is told not to open
    ("jangan klik", "唔好撳", "切勿点击") is, for the model, a quotation: one mark, whatever it points to.
    """

    def __init__(self, text: str, domains: Domains) -> None:
        full = normalize(text)
        pieces: list[str] = []
        self.links: list[tuple[Link, int, int, str]] = []  # link, start and end in words, kind
        pos = size = 0
        for link in find_links(full):
            piece = unmask(full[pos:link.start])
            pieces.append(piece)
            size += len(piece)
            kind = domains.kind(link)
            mark = _MARKS.get(kind, LINK_OTHER)
            pieces.append(f" {mark} ")
            self.links.append((link, size, size + len(mark) + 2, kind))
            size += len(mark) + 2
            pos = link.end
        pieces.append(unmask(full[pos:]))
        self.words = "".join(pieces)
        self.clause_starts = [0] + [m.end() for m in w.CLAUSE_END.finditer(self.words)]
        self.negations = self._negations()
        plain = w.NOT_CAUTION.sub(" ", w.REASSURE.sub(" ", self.words))
        self.cautionary = bool(w.CAUTION.search(w.QUOTED.sub(" ", plain)))
        self.quoted = [(m.start(), m.end()) for m in w.QUOTED.finditer(self.words)] if self.cautionary else []
        self.exposes = bool(self.cautionary and w.EXPOSE.search(w.QUOTED.sub(" ", plain)))
        #: per link: a warning tells the reader not to open it (it neither counts for the rules nor,
        #: as itself, for the model).
        self.warned = [kind != OFFICIAL and self._warned_link(start, end) for _l, start, end, kind in self.links]
        # What the model reads: in a warning, a quoted scam is one mark, so that quoting is not copying;
        # so is a link the warning tells the reader not to open.
        words = self.words
        if any(self.warned):
            chars = list(words)
            for (_link, start, _end, _kind), warned in zip(self.links, self.warned, strict=True):
                if warned:
                    chars[start + 1] = QUOTE_MARK
            words = "".join(chars)
        outside = w.QUOTED.sub(" ", words) if self.quoted else ""
        exposes = self.quoted and w.EXPOSE.search(w.REASSURE.sub(" ", outside))
        self.model_words = w.QUOTED.sub(f" {QUOTE_MARK} ", words) if exposes else words

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

    def _warned_link(self, start: int, end: int) -> bool:
        """A negation before the link in its clause ("jangan klik <link>", "唔好撳 <link>"); or, in a
        message that calls something a scam, a warning anywhere in the link's clause ("beware of SMS
        asking you to verify at <link>") or a "don't" opening the next one ("<link>. Don't click it")."""
        if self.negated(start, end):
            return True
        if not self.exposes:
            return False
        lo = self.clause_start(start)
        i = bisect.bisect_right(self.clause_starts, end)
        hi = self.clause_starts[i] if i < len(self.clause_starts) else len(self.words)
        if w.CAUTION.search(self.words, lo, hi) or any(lo <= n < hi for n in self.negations):
            return True
        return bool(_DONT_NEXT.match(self.words, hi, hi + 40))

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
