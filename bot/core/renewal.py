"""How a renewal moves a line's expiry, from the catalog's sourced renewal rules.

Pure: ``propose(rules, expiry, today, days)`` says which new expiry each kind of purchase gives
(Telkomsel: a credit top-up adds its days to the days left, at most 365 days ahead; a package
extends the active period to the longest of the two, not cumulatively). The service shows these
proposals and asks the user to confirm one, instead of silently repeating the last period: the
bot cannot know what was bought, and a wrong expiry means a missed reminder.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.dates.arithmetic import _add_months as add_months
from bot.core.provider import Renewal


@dataclass(frozen=True, slots=True)
class Proposal:
    """One candidate new expiry: for which purchase (``what``) and by which rule (``mode``)."""

    what: str
    mode: str
    expiry: date
    capped: bool = False


def apply_rule(rule: Renewal, expiry: date, today: date, days: int | None) -> tuple[date, bool] | None:
    """The new expiry under ``rule`` when ``days`` were bought (None: the rule needs them and
    they are unknown). Returns ``(new expiry, whether the cap cut it)``."""
    if rule.mode == "fixed_period" and rule.months is not None:
        return add_months(today, rule.months), False
    n = rule.days if rule.mode == "fixed_period" else days
    if n is None or n <= 0:
        return None
    if rule.mode == "add_days":
        new = max(expiry, today) + timedelta(days=n)
    elif rule.mode == "extend_to_longest":
        new = max(expiry, today + timedelta(days=n))
    else:  # fixed_period
        new = today + timedelta(days=n)
    if rule.cap_days is not None:
        cap = today + timedelta(days=rule.cap_days)
        if new > cap:
            return max(cap, expiry if rule.mode == "extend_to_longest" else cap), True
    return new, False


def propose(rules: Iterable[Renewal], expiry: date, today: date, days: int | None) -> list[Proposal]:
    """Every distinct new expiry the rules give, in rule order (first rule first)."""
    out: list[Proposal] = []
    seen: set[date] = set()
    for rule in rules:
        result = apply_rule(rule, expiry, today, days)
        if result is None:
            continue
        new, capped = result
        if new in seen:
            continue
        seen.add(new)
        out.append(Proposal(rule.what, rule.mode, new, capped))
    return out
