"""Drift checks register here by name; analyze_hop runs them in registration order.

Order matters: checks that explain a change precisely (a number, a name, a
negation, a hedge) run before the generic omission / addition / substitution
checks and claim the tokens they explained, so one change gives one finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from provenance.drift.context import HopContext
from provenance.drift.types import Finding

CheckFn = Callable[[HopContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    fn: CheckFn
    needs_comparison: bool  # False: works on the originals alone (numbers, names, quotes, attribution)
    order: int


_CHECKS: dict[str, Check] = {}


def register(name: str, *, needs_comparison: bool = True, order: int = 50) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``name``; lower ``order`` runs first."""

    def deco(fn: CheckFn) -> CheckFn:
        _CHECKS[name] = Check(name, fn, needs_comparison, order)
        return fn

    return deco


def checks() -> list[Check]:
    return sorted(_CHECKS.values(), key=lambda c: (c.order, c.name))
