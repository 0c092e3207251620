"""People beside machines: reviews of machine findings, human notes on hops.

A review is keyed by the finding's fingerprint (category plus spans), so it
stays attached when the hop is re-analysed and the machine finding is written
anew. Human notes are findings with ``origin = "human"``; re-analysis never
touches them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from provenance import audit, lineage
from provenance.drift import severity as drift_severity
from provenance.errors import InvalidInput, NotFound
from provenance.models import Derivation, Finding, HopAnalysis, Rendition, Review
from provenance.vocabulary import NOTE_CATEGORIES, REVIEW_VERDICTS, SEVERITIES

if TYPE_CHECKING:
    from provenance.writes import Write

def _span(text: str | None, span: dict[str, Any] | None, side: str) -> dict[str, Any] | None:
    """Check a person's span against the text and fill in exact/prefix/suffix."""
    if span is None:
        return None
    if text is None:
        raise InvalidInput(f"the {side} has no text to point into", field_errors=[{"field": f"{side}_span", "message": "no text"}])
    start, end = span.get("start"), span.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        raise InvalidInput(f"{side}_span must have 0 <= start < end <= {len(text)} (the length of the {side} text)",
                           field_errors=[{"field": f"{side}_span", "message": "out of range"}])
    return {"start": start, "end": end, "exact": text[start:end], "prefix": text[max(0, start - 32):start],
            "suffix": text[end:end + 32]}


def add_note(w: Write, *, edge: Derivation, text: str, category: str, severity: str, author: str,
             parent_span: dict[str, Any] | None = None, child_span: dict[str, Any] | None = None) -> Finding:
    """A person's note on a hop, with spans into its texts; shown beside the machine's findings, never as one."""
    if category not in NOTE_CATEGORIES:
        raise InvalidInput(f"unknown category '{category}': use one of {', '.join(NOTE_CATEGORIES)}")
    if severity not in SEVERITIES:
        raise InvalidInput(f"unknown severity '{severity}': use minor, major or critical")
    session = w.session
    w.lock_quote(edge.quote_id)
    w.settle(edge)
    parent = session.get(Rendition, edge.parent_id)
    child = session.get(Rendition, edge.child_id)
    assert parent is not None and child is not None
    ps, cs = _span(parent.text, parent_span, "parent"), _span(child.text, child_span, "child")
    fingerprint = hashlib.sha256(json.dumps([edge.id, "note", author, text, ps, cs], sort_keys=True,
                                            ensure_ascii=False).encode()).hexdigest()[:32]
    note = Finding(derivation_id=edge.id, origin="human", category=category, severity=severity,
                   fingerprint=fingerprint, parent_span=ps, child_span=cs, explanation=text, basis="human",
                   author=author, details={})
    session.add(note)
    session.flush()
    w.record(action="note.create", entity_type="finding", entity_id=note.id,
             state=audit.state_of(session, "finding", note))
    w.touch(edge=edge.id)  # the hop's counts by severity include people's notes
    return note


def review_finding(w: Write, *, finding_id: str, verdict: str, comment: str | None, reviewer: str) -> Review:
    """A person's verdict on a machine finding (confirmed or dismissed), kept by the finding's fingerprint."""
    session = w.session
    if verdict not in REVIEW_VERDICTS:
        raise InvalidInput(f"verdict must be 'confirmed' or 'dismissed', not '{verdict}'")
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(f"no finding with id '{finding_id}'")
    if finding.origin != "machine":
        raise InvalidInput("only machine findings are reviewed; a human note is edited by adding another note")
    edge = session.get(Derivation, finding.derivation_id)
    assert edge is not None
    return _record_review(w, edge, Review(derivation_id=finding.derivation_id, fingerprint=finding.fingerprint,
                                          verdict=verdict, comment=comment, reviewer=reviewer))


def _record_review(w: Write, edge: Derivation, review: Review) -> Review:
    w.lock_quote(edge.quote_id)
    w.settle(edge)
    w.session.add(review)
    w.session.flush()
    w.record(action="review.create", entity_type="review", entity_id=review.id,
             state=audit.state_of(w.session, "review", review))
    w.touch(edge=edge.id)
    return review


def add_review(w: Write, *, edge: Derivation, fingerprint: str, verdict: str, comment: str | None,
               reviewer: str) -> Review:
    """A review recorded by fingerprint (from a chain document): it attaches to the machine finding
    with that fingerprint whenever the hop is analysed."""
    if verdict not in REVIEW_VERDICTS:
        raise InvalidInput(f"verdict must be 'confirmed' or 'dismissed', not '{verdict}'")
    return _record_review(w, edge, Review(derivation_id=edge.id, fingerprint=fingerprint, verdict=verdict,
                                          comment=comment, reviewer=reviewer))


def hop_notes_and_reviews(session: Session, edge: Derivation) -> tuple[list[Finding], list[Review]]:
    notes = list(session.exec(select(Finding).where(Finding.derivation_id == edge.id, Finding.origin == "human")
                              .order_by(col(Finding.created_at), col(Finding.id))).all())
    reviews = list(session.exec(select(Review).where(Review.derivation_id == edge.id)
                                .order_by(col(Review.created_at), col(Review.id))).all())
    return notes, reviews


def finding_view(f: Finding, review: Review | None = None) -> dict[str, Any]:
    view = {"id": f.id, "origin": f.origin, "machine_made": f.origin == "machine", "category": f.category,
            "severity": f.severity, "fingerprint": f.fingerprint, "parent_span": f.parent_span,
            "child_span": f.child_span, "explanation": f.explanation, "basis": f.basis,
            "basis_detail": f.basis_detail, "analyzer_version": f.analyzer_version, "confidence": f.confidence,
            "author": f.author, "details": f.details, "created_at": f.created_at.isoformat(),
            "review": None}
    if review is not None:
        view["review"] = {"verdict": review.verdict, "comment": review.comment, "reviewer": review.reviewer,
                          "at": review.created_at.isoformat()}
    return view


def hop_findings(session: Session, edge: Derivation) -> list[dict[str, Any]]:
    """The hop's current machine findings (latest analyzer version) and every human note, with reviews."""
    analysis = session.exec(select(HopAnalysis).where(HopAnalysis.derivation_id == edge.id)).first()
    rows = session.exec(select(Finding).where(Finding.derivation_id == edge.id)
                        .order_by(col(Finding.created_at), col(Finding.id))).all()
    reviews: dict[str, Review] = {}
    for rv in session.exec(select(Review).where(Review.derivation_id == edge.id).order_by(col(Review.created_at))).all():
        reviews[rv.fingerprint] = rv
    current = analysis.analyzer_version if analysis else None
    out = [finding_view(f, reviews.get(f.fingerprint)) for f in rows
           if f.origin == "human" or f.analyzer_version == current]
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    out.sort(key=lambda v: (v["origin"] != "machine", -rank[v["severity"]],
                            (v["child_span"] or v["parent_span"] or {"start": 0})["start"]))
    return out


def drift_view(session: Session, child: Rendition, parent_id: str | None = None) -> dict[str, Any]:
    """One hop, side by side: both texts, alignment segments, findings, scores, basis."""
    from provenance import views

    if parent_id is not None:
        parent_id = lineage.get_rendition(session, parent_id).id
    edge = lineage.get_derivation(session, child_id=child.id, parent_id=parent_id)
    parent = session.get(Rendition, edge.parent_id)
    assert parent is not None
    analysis = session.exec(select(HopAnalysis).where(HopAnalysis.derivation_id == edge.id)).first()
    return {
        "derivation": views.derivation_view(edge),
        "parent": views.rendition_view(parent), "child": views.rendition_view(child),
        "analyzed": analysis is not None,
        "analyzer_version": analysis.analyzer_version if analysis else None,
        "basis": analysis.basis if analysis else None,
        "basis_detail": analysis.basis_detail if analysis else None,
        "scores": analysis.scores if analysis else {},
        "alignment": analysis.alignment if analysis else None,
        "findings": (findings := hop_findings(session, edge)),
        # without a comparison text only language-independent checks ran: nothing says the words agree
        "verdict": (None if analysis is None else "not compared" if analysis.basis == "none"
                    else hop_verdict(findings)),
    }


def hop_verdict(findings: list[dict[str, Any]]) -> str:
    """The hop's verdict (:func:`provenance.drift.severity.verdict`) from its findings and notes,
    leaving out those a person dismissed."""
    return drift_severity.verdict((f["category"], f["severity"], bool((f.get("details") or {}).get("excerpt")))
                   for f in findings if not (f.get("review") and f["review"]["verdict"] == "dismissed"))
