"""One finding of ``renewal-bot catalog check`` (offline or ``--online``).

Its own module so that :mod:`bot.catalog.checks` (offline) and :mod:`bot.catalog.online` share it
without importing each other.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: where it is (provider or country id, field) and what is wrong."""

    severity: Severity
    provider: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity.upper():7} {self.provider} {self.field}: {self.message}"
