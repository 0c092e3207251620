"""What a drift check receives and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from provenance.align.types import Alignment

Severity = Literal["minor", "major", "critical"]
SEVERITY_RANK: dict[str, int] = {"minor": 1, "major": 2, "critical": 3}


@dataclass(frozen=True, slots=True)
class TextQuote:
    """A span in one text, as a W3C Web Annotation TextQuoteSelector plus position."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}


@dataclass(frozen=True, slots=True)
class Hop:
    """One derivation (parent -> child) with everything the pure checks may read.

    ``*_pivot`` is the comparison text (the original itself when the hop is
    same-language or when the rendition is already in the pivot language);
    ``None`` when no comparison text could be had.
    """

    parent_text: str
    child_text: str
    parent_language: str
    child_language: str
    parent_pivot: str | None
    child_pivot: str | None
    pivot_language: str
    parent_attribution: str | None = None  # evidence carried by the parent's own incoming link
    child_attribution: str | None = None  # evidence on this hop (words in the child's publication)
    relation: str = "translation"


@dataclass(frozen=True, slots=True)
class Finding:
    """A machine finding produced by one check. Basis and analyzer version are added by the orchestrator."""

    category: str
    severity: Severity
    parent_span: TextQuote | None
    child_span: TextQuote | None
    explanation: str
    confidence: float
    check: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HopAnalysis:
    alignment: Alignment
    findings: tuple[Finding, ...]
    scores: dict[str, float]
    comparison: str = ""  # "pivot" (glosses), "original" (same language) or "none" (only language-independent checks ran)
    notes: tuple[str, ...] = ()  # what the reader must know to trust the findings (e.g. checks skipped)
    signature: str = ""  # analyzer version and the aligner's signature
