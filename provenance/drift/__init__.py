"""Drift between a rendition and its parent: span-level findings with a severity, plus context scores.

Pure: a :class:`Hop` (texts, languages, optional pivot glosses, attributions) in,
a :class:`HopAnalysis` out. One similarity score cannot tell faithful rewording
from drift (see shared/ANALYSIS.md), so precision comes from category-specific
checks (``provenance.drift.checks``), each registered by name, and a documented
severity rule (``provenance.drift.severity``).
"""

from __future__ import annotations

import math
from time import perf_counter

from provenance.align import align_with_text_chrf, chrf, coverage, coverage_of_compared
from provenance.drift import checks as _checks  # noqa: F401  (registers the checks)
from provenance.drift.context import build_context
from provenance.drift.lexicon import base_language
from provenance.drift.registry import checks
from provenance.drift.severity import drift_score, worst_severity
from provenance.drift.types import SEVERITY_RANK, Finding, Hop, HopAnalysis, TextQuote
from provenance.versions import source_digest


def _analyzer_version() -> str:
    """``drift/<release>+<digest>``: the digest covers every file that decides what is found (the
    aligner, the checks, the severity rule, the word lists, the outlets list the attribution check
    reads, the lemmatiser), so the version every finding stores changes whenever what the analysis finds can change,
    and not otherwise."""
    digest = source_digest((("align", ".py"), ("drift", ".py"), ("drift/checks", ".py"), ("data/wordlists", ".yaml"),
                            ("data/intake", "sources.yaml"), ("", "lemmas.py")))
    return f"drift/0.2.0+{digest}"


ANALYZER_VERSION = _analyzer_version()
NO_COMPARISON_NOTE = (
    "No comparison text (no glosses, different languages): only language-independent checks ran "
    "(numbers, names across scripts, attribution); omissions, additions, quotation marks, hedges, "
    "modality, negation and wording were not compared."
)

__all__ = ["ANALYZER_VERSION", "Finding", "Hop", "HopAnalysis", "TextQuote", "analyze_hop", "comparison_space", "worst_severity"]


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per change: two pieces of one lost clause, reported from two change regions, can land on the
    same words; the reader sees it once, at the worse of the two severities."""
    best: dict[tuple[str, int, int, int, int], int] = {}
    out: list[Finding] = []
    for f in findings:
        p, c = f.parent_span, f.child_span
        key = (f.category, p.start if p else -1, p.end if p else -1, c.start if c else -1, c.end if c else -1)
        at = best.get(key)
        if at is None:
            best[key] = len(out)
            out.append(f)
        elif SEVERITY_RANK[f.severity] > SEVERITY_RANK[out[at].severity]:
            out[at] = f
    return out


def comparison_space(hop: Hop) -> str:
    """Which texts are compared: both glosses ("pivot"), the originals when one language ("original"), else "none"."""
    if hop.parent_pivot is not None and hop.child_pivot is not None:
        return "pivot"
    if base_language(hop.parent_language) == base_language(hop.child_language) and base_language(hop.parent_language):
        return "original"
    return "none"


def analyze_hop(hop: Hop, *, timings: dict[str, float] | None = None) -> HopAnalysis:
    """Align the hop, run every registered check, and score it.

    Scores (all floats): ``chrf`` (whole text, comparison space; absent without
    one), ``length_ratio`` (child/parent characters of the compared texts, or of
    the originals), ``coverage`` (share of parent words kept; absent without a
    comparison space), ``drift`` (MQM-style: minor 1, major 5, critical 25 per
    finding), ``drift_per_1000_words``, ``findings`` and ``compared`` (1.0 when
    the wording could be compared, 0.0 when only language-independent checks ran).

    ``timings``, when given, accumulates seconds per stage ("align", "context",
    "check:<name>", "scores") so a benchmark can name the slowest one.
    """
    clock = perf_counter if timings is not None else None
    t0 = clock() if clock else 0.0
    space = comparison_space(hop)
    if space == "pivot":
        p_cmp, c_cmp = hop.parent_pivot, hop.child_pivot
    else:
        p_cmp, c_cmp = (hop.parent_text, hop.child_text) if space == "original" else (None, None)
    via_pivot = space == "pivot"
    alignment, compared = align_with_text_chrf(
        hop.parent_text, hop.child_text, parent_language=hop.parent_language, child_language=hop.child_language,
        parent_pivot=p_cmp if via_pivot else None, child_pivot=c_cmp if via_pivot else None,
    )
    if clock and timings is not None:
        t1 = clock()
        timings["align"] = timings.get("align", 0.0) + t1 - t0
        t0 = t1
    ctx = build_context(hop, alignment, space)
    if clock and timings is not None:
        t1 = clock()
        timings["context"] = timings.get("context", 0.0) + t1 - t0
        t0 = t1
    findings: list[Finding] = []
    skipped: list[str] = []
    for check in checks():
        if check.needs_comparison and space == "none":
            skipped.append(check.name)
            continue
        findings.extend(check.fn(ctx))
        if clock and timings is not None:
            t1 = clock()
            key = f"check:{check.name}"
            timings[key] = timings.get(key, 0.0) + t1 - t0
            t0 = t1
    findings = _distinct(findings)
    scores: dict[str, float] = {}
    if p_cmp is not None and c_cmp is not None:
        if compared is not None and compared[2] is not None and compared[0] == p_cmp and compared[1] == c_cmp:
            scores["chrf"] = compared[2]  # the aligner scored these very texts
        else:
            scores["chrf"] = chrf(c_cmp, p_cmp)
        cov = coverage_of_compared(alignment, compared[0]) if compared is not None else coverage(alignment)
        if not math.isnan(cov):
            scores["coverage"] = cov
        p_len, c_len = len("".join(p_cmp.split())), len("".join(c_cmp.split()))
    else:
        p_len, c_len = len("".join(hop.parent_text.split())), len("".join(hop.child_text.split()))
    if p_len:
        scores["length_ratio"] = c_len / p_len
    drift = drift_score(findings)
    words = max(1, len((p_cmp or hop.parent_text).split()))
    scores["drift"] = drift
    scores["drift_per_1000_words"] = drift * 1000 / words
    scores["findings"] = float(len(findings))
    scores["compared"] = 0.0 if space == "none" else 1.0
    if clock and timings is not None:
        timings["scores"] = timings.get("scores", 0.0) + clock() - t0
    notes = list(alignment.notes)
    if space == "none":
        notes.append(NO_COMPARISON_NOTE + f" Skipped: {', '.join(skipped)}.")
    elif space == "pivot":
        notes.append(f"Compared through {hop.pivot_language} glosses: original spans are at sentence precision, pivot spans in details.")
    return HopAnalysis(
        alignment=alignment,
        findings=tuple(findings),
        scores=scores,
        comparison=space,
        notes=tuple(notes),
        signature=f"{ANALYZER_VERSION}|{alignment.signature}",
    )
