"""The orchestrator: loads a hop, finds comparison texts, runs align and drift, stores the results.

``align/`` and ``drift/`` are pure; everything that touches the database or a
translator happens here. The comparison (pivot) text of a rendition comes, in
this order, from: the rendition itself when it is already in the pivot
language; a **gloss** written by a person; the **translation cache**; a live
machine translation when a translator is configured. Every stored result says
which of these it rests on. A failing translator never stops the run: that hop
is analysed without a comparison space and marked "pivot unavailable", and can
be re-analysed later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, delete, select

from provenance import audit, lineage
from provenance.drift import ANALYZER_VERSION, analyze_hop, parents
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding as DriftFinding
from provenance.drift.types import Hop, TextQuote
from provenance.errors import InvalidInput, PivotUnavailable
from provenance.languages import base_language
from provenance.models import Derivation, Finding, Gloss, HopAnalysis, Quote, Rendition, TranslationCache
from provenance.settings import Settings
from provenance.texts import text_hash
from provenance.translate import MachineTranslator, TranslatorConfig, make_translator
from provenance.writes import Write

BASIS_ORDER = {"same_language": 0, "original": 0, "gloss": 1, "cache": 2, "live_mt": 3, "none": 4}


@dataclass(frozen=True)
class Pivot:
    """A rendition's text in the comparison language, and what it rests on."""

    text: str | None
    basis: str  # original | gloss | cache | live_mt | none
    detail: str
    keep: TranslationCache | None = None  # a live translation not yet in the translation cache

    @property
    def machine(self) -> bool:
        return self.basis in ("cache", "live_mt")


@dataclass
class Analyzer:
    """Holds the settings and the translator for one run (one CLI command or request)."""

    settings: Settings
    translator: MachineTranslator | None = None
    _pivots: dict[str, Pivot] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Analyzer":
        config = TranslatorConfig(provider=settings.translator, api_key=settings.translator_key,
                                  url=settings.translator_url, timeout=settings.translator_timeout)
        return cls(settings=settings, translator=make_translator(config))

    @property
    def pivot_language(self) -> str:
        return self.settings.pivot_language

    # ------------------------------------------------------------ pivots

    def prefetch(self, session: Session, quote_ids: Iterable[str]) -> None:
        """Find the comparison text of every rendition of these quotes, before the write that analyses them.

        Machine translation can take seconds; run here, in a read, it holds no
        lock, and the write that follows finds every pivot ready (a live
        translation is kept in the cache by that write).
        """
        for r in session.exec(select(Rendition).where(col(Rendition.quote_id).in_(list(quote_ids)))).all():
            if r.id not in self._pivots:
                self._pivots[r.id] = self._find_pivot(session, r)

    def pivot(self, w: Write, r: Rendition) -> Pivot:
        found = self._pivots.get(r.id)
        if found is None:
            found = self._pivots[r.id] = self._find_pivot(w.session, r)
        if found.keep is not None:
            self._keep(w, found.keep)
            found = self._pivots[r.id] = Pivot(found.text, found.basis, found.detail)
        return found

    @staticmethod
    def _keep(w: Write, row: TranslationCache) -> None:
        """Store a live translation in the cache (once: another analysis may have stored it meanwhile)."""
        def stored() -> TranslationCache | None:
            return w.session.exec(select(TranslationCache).where(
                TranslationCache.source_hash == row.source_hash, TranslationCache.source_language == row.source_language,
                TranslationCache.target_language == row.target_language, TranslationCache.provider == row.provider)).first()

        if stored() is not None:
            return
        kept = w.insert(row, conflict=stored)
        if kept is row:
            w.record(action="translation.create", entity_type="translation_cache", entity_id=row.id,
                     state=audit.state_of(w.session, "translation_cache", row))

    def _find_pivot(self, session: Session, r: Rendition) -> Pivot:
        """The comparison text of ``r``: read, or translated; writes nothing (see :meth:`pivot`)."""
        if r.text is None:
            return Pivot(None, "none", f"'{r.key}' has no text ({r.status})")
        target = self.pivot_language
        if base_language(r.language) == base_language(target):
            return Pivot(r.text, "original", f"'{r.key}' is in {target}")
        gloss = session.exec(select(Gloss).where(Gloss.rendition_id == r.id, Gloss.language == target)
                             .order_by(col(Gloss.created_at).desc())).first()
        if gloss is not None:
            return Pivot(gloss.text, "gloss", f"human gloss of '{r.key}' by {gloss.author}")
        provider = self.translator.provider if self.translator else None
        cached = session.exec(select(TranslationCache).where(
            TranslationCache.source_hash == r.text_hash, TranslationCache.source_language == r.language,
            TranslationCache.target_language == target)).all()
        if cached:
            best = next((c for c in cached if c.provider == provider), cached[0])
            return Pivot(best.output, "cache", f"cached machine translation of '{r.key}': {best.signature}")
        if self.translator is None:
            return Pivot(None, "none", f"pivot unavailable for '{r.key}': no gloss in {target}, no cached "
                                       "translation, and PROVENANCE_TRANSLATOR is none")
        try:
            mt = self.translator.translate(r.text, source=r.language, target=target)
        except PivotUnavailable as exc:
            return Pivot(None, "none", f"pivot unavailable for '{r.key}': {exc.message}")
        keep = TranslationCache(source_hash=r.text_hash or text_hash(r.text), source_language=r.language,
                                target_language=target, provider=mt.provider, signature=mt.signature, output=mt.text)
        return Pivot(mt.text, "live_mt", f"live machine translation of '{r.key}': {mt.signature}", keep=keep)

    # ------------------------------------------------------------ one hop

    def analyze(self, w: Write, edge: Derivation) -> HopAnalysis:
        """Analyse one hop and store the result, replacing the machine findings of this analyzer version.

        People's notes and reviews are not touched; reviews stay attached by fingerprint.
        """
        session = w.session
        w.lock_quote(edge.quote_id)
        parent = session.get(Rendition, edge.parent_id)
        child = session.get(Rendition, edge.child_id)
        assert parent is not None and child is not None
        hop, basis, detail = self._hop(w, edge, parent, child)
        if hop is None:
            result_scores: dict[str, Any] = {}
            alignment: dict[str, Any] = {"beads": [], "method": None, "notes": [detail]}
            findings: list[DriftFinding] = []
        else:
            result = analyze_hop(hop)
            result_scores = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.scores.items()}
            alignment = alignment_dict(result.alignment, hop)
            findings = list(result.findings)
        if child.language_mismatch:
            findings.append(_mismatch_finding(child))
        suspect = self._suspect(w, edge, parent, child)
        if suspect is not None:
            findings.append(suspect)
        session.exec(delete(Finding).where(Finding.derivation_id == edge.id, Finding.origin == "machine",
                                           Finding.analyzer_version == ANALYZER_VERSION))
        for f in findings:
            session.add(_finding_row(edge, f, basis, detail))
        row = session.exec(select(HopAnalysis).where(HopAnalysis.derivation_id == edge.id)).first()
        if row is None:
            row = HopAnalysis(derivation_id=edge.id, analyzer_version=ANALYZER_VERSION, basis=basis)
        row.analyzer_version, row.basis, row.basis_detail = ANALYZER_VERSION, basis, detail[:300]
        row.scores, row.alignment = result_scores, alignment
        session.add(row)
        session.flush()
        w.record(action="analysis.run", entity_type="hop_analysis", entity_id=row.id,
                 state=audit.state_of(session, "hop_analysis", row))
        w.touch(edge=edge.id)
        return row

    def _hop(self, w: Write, edge: Derivation, parent: Rendition,
             child: Rendition) -> tuple[Hop | None, str, str]:
        session = w.session
        if parent.text is None or child.text is None:
            missing = parent if parent.text is None else child
            return None, "none", f"'{missing.key}' has no text ({missing.status}): nothing to compare"
        parent_evidence = " ".join(e.evidence for e in lineage.parents_of(session, parent.id) if e.evidence) or None
        same = base_language(parent.language) == base_language(child.language)
        parent_pivot = child_pivot = None
        if same:  # the originals are the comparison space
            basis, detail = "same_language", f"compared directly in {parent.language}"
        else:
            pp, cp = self.pivot(w, parent), self.pivot(w, child)
            parent_pivot, child_pivot = pp.text, cp.text
            if pp.text is None or cp.text is None:
                basis = "none"
                detail = "; ".join(p.detail for p in (pp, cp) if p.text is None)
            else:
                basis = max((pp.basis, cp.basis), key=lambda b: BASIS_ORDER[b])
                if basis == "original":
                    basis = "gloss"
                detail = f"parent: {pp.detail}; child: {cp.detail}"
        hop = Hop(parent_text=parent.text, child_text=child.text, parent_language=parent.language,
                  child_language=child.language, parent_pivot=parent_pivot, child_pivot=child_pivot,
                  pivot_language=self.pivot_language,
                  parent_attribution=parent_evidence, child_attribution=edge.evidence, relation=edge.relation)
        return hop, basis, detail

    # ------------------------------------------------------------ attribution

    def comparison_text(self, w: Write, r: Rendition) -> str | None:
        return self.pivot(w, r).text

    def _candidate(self, w: Write, r: Rendition) -> parents.Candidate | None:
        text = self.comparison_text(w, r) if r.text is not None else None
        if text is None:
            return None
        language = r.language if base_language(r.language) == base_language(self.pivot_language) else self.pivot_language
        return parents.Candidate(r.id, text, language, r.published_at)

    def _others(self, w: Write, child: Rendition) -> list[tuple[Rendition, parents.Candidate]]:
        """The quote's other renditions with text that could be the child's parent (not its descendants:
        linking to them would close a cycle), as candidates in the comparison space."""
        excluded = lineage.descendant_ids(w.session, child.id) | {child.id}
        out = []
        for other in w.session.exec(select(Rendition).where(Rendition.quote_id == child.quote_id)).all():
            if other.id not in excluded and (c := self._candidate(w, other)) is not None:
                out.append((other, c))
        return out

    def rank_candidates(self, w: Write, child: Rendition) -> list[tuple[Rendition, parents.Ranked]]:
        """Other renditions of the quote that could be the child's parent, most likely first, by the
        distinctive wording they share with it (:func:`provenance.drift.parents.rank_parents`)."""
        me = self._candidate(w, child)
        if me is None:
            return []
        others = self._others(w, child)
        by_id = {c.key: r for r, c in others}
        return [(by_id[r.key], r) for r in parents.rank_parents(me, [c for _, c in others])]

    def _suspect(self, w: Write, edge: Derivation, parent: Rendition,
                 child: Rendition) -> DriftFinding | None:
        """Stated or inferred, a link is suspect when another rendition shares wording with the child that
        the credited parent lacks (textual criticism's shared variants); the evidence is quoted."""
        me, credited = self._candidate(w, child), self._candidate(w, parent)
        if me is None or credited is None:
            return None
        others = self._others(w, child)
        found = parents.suspect_parent(me, credited, [c for _, c in others])
        if found is None:
            return None
        better = next(r for r, c in others if c.key == found.better)
        said = ", ".join(f'"{v}"' for v in found.variants[:5])
        return DriftFinding(
            category="attribution_suspect", severity=severity_of("attribution_suspect"), parent_span=None,
            child_span=None,
            explanation=(f"The link credits '{parent.key}', but the child shares wording with '{better.key}' that "
                         f"'{parent.key}' lacks ({said}): it probably descends from '{better.key}'. "
                         "A warning about the link, not a change in the words."),
            confidence=min(0.95, 0.5 + 0.15 * (found.weight - found.weight_against)), check="attribution_suspect",
            details={"about": "link", "stated_parent": parent.id, "stated_parent_key": parent.key,
                     "link_basis": edge.link_basis, "better_candidate": better.id, "better_candidate_key": better.key,
                     "shared_variants": list(found.variants), "variants_against": list(found.against),
                     "weight": found.weight, "weight_against": found.weight_against,
                     "margin": parents.SUSPECT_MARGIN})


# ---------------------------------------------------------------- runs

def analyze_quote(w: Write, quote: Quote, analyzer: Analyzer,
                  on_hop: Callable[[Derivation], None] | None = None) -> list[HopAnalysis]:
    """Analyse every hop of a quote, parents before children."""
    _, edges = lineage.quote_graph(w.session, quote)
    results = []
    for edge in edges:
        results.append(analyzer.analyze(w, edge))
        if on_hop:
            on_hop(edge)
    return results


def analyze_rendition(w: Write, rendition: Rendition, analyzer: Analyzer) -> list[Derivation]:
    """Analyse every hop into ``rendition`` (a new one, or one whose parents changed); returns those hops."""
    edges = lineage.parents_of(w.session, rendition.id)
    for edge in edges:
        analyzer.analyze(w, edge)
    return edges


def hops_of(session: Session, quotes: Iterable[Quote]) -> list[Derivation]:
    return [e for q in quotes for e in lineage.quote_graph(session, q)[1]]


def suggest_parents(w: Write, rendition: Rendition, analyzer: Analyzer, *, limit: int = 10) -> list[dict[str, Any]]:
    """Other renditions of the quote ranked as candidate parents (a write: live translations are cached)."""
    if rendition.text is None:
        raise InvalidInput(f"rendition '{rendition.key}' has no text to compare")
    if analyzer.comparison_text(w, rendition) is None:
        raise PivotUnavailable(analyzer.pivot(w, rendition).detail)
    current = {e.parent_id for e in lineage.parents_of(w.session, rendition.id)}
    out = []
    for other, ranked in analyzer.rank_candidates(w, rendition)[:limit]:
        out.append({"id": other.id, "key": other.key, "language": other.language, "status": other.status,
                    "score": round(ranked.score, 4), "similarity": round(ranked.similarity, 4),
                    "shared": list(ranked.shared[:8]), "current_parent": other.id in current,
                    "basis": analyzer.pivot(w, other).basis})
    return out


# ---------------------------------------------------------------- stored shapes

def _span(q: TextQuote | None) -> dict[str, Any] | None:
    return q.as_dict() if q is not None else None


def _fingerprint(f: DriftFinding) -> str:
    """Stable across re-runs and databases so reviews stay attached: category plus spans.

    Pivot spans count too: through a pivot the original spans are whole
    sentences, and two changes in one sentence must not share a fingerprint.
    """
    def pick(span: Any) -> Any:
        if isinstance(span, TextQuote):
            return [span.start, span.end, span.exact]
        if isinstance(span, dict):
            return [span.get("start"), span.get("end"), span.get("exact")]
        return None

    key = json.dumps([f.category, pick(f.parent_span), pick(f.child_span), pick(f.details.get("parent_pivot")),
                      pick(f.details.get("child_pivot"))], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _finding_row(edge: Derivation, f: DriftFinding, basis: str, detail: str) -> Finding:
    return Finding(derivation_id=edge.id, origin="machine", category=f.category, severity=f.severity,
                   fingerprint=_fingerprint(f), parent_span=_span(f.parent_span),
                   child_span=_span(f.child_span), explanation=f.explanation, basis=basis,
                   basis_detail=detail[:300], analyzer_version=ANALYZER_VERSION, confidence=round(f.confidence, 3),
                   details={**f.details, "check": f.check})


def _mismatch_finding(child: Rendition) -> DriftFinding:
    return DriftFinding(
        category="language_mismatch", severity=severity_of("language_mismatch"), parent_span=None,
        child_span=TextQuote(0, len(child.text or ""), child.text or ""),
        explanation=(f"'{child.key}' is declared as {child.language} but its text reads as "
                     f"{child.detected_language} (confidence {child.detected_confidence:.2f}): check the record."),
        confidence=child.detected_confidence or 0.0, check="language_mismatch",
        details={"declared": child.language, "detected": child.detected_language, "method": child.detection_method})


def alignment_dict(alignment: Any, hop: Hop) -> dict[str, Any]:
    """The alignment as JSON: beads with offsets into both original texts (and pivots), token operations."""
    def span(s: Any) -> list[int] | None:
        return [s[0], s[1]] if s is not None else None

    beads = []
    for b in alignment.beads:
        beads.append({
            "kind": b.kind, "parent_sentences": list(b.parent_sentences), "child_sentences": list(b.child_sentences),
            "parent_span": span(b.parent_span), "child_span": span(b.child_span),
            "parent_pivot_span": span(b.parent_pivot_span), "child_pivot_span": span(b.child_pivot_span),
            "score": round(b.score, 4),
            "ops": [{"op": o.op, "parent_text": o.parent_text, "child_text": o.child_text,
                     "parent_span": span(o.parent_span), "child_span": span(o.child_span),
                     "parent_pivot_span": span(o.parent_pivot_span), "child_pivot_span": span(o.child_pivot_span)}
                    for o in b.ops],
        })
    return {"method": alignment.method, "notes": list(alignment.notes), "beads": beads,
            "parent_pivot": hop.parent_pivot, "child_pivot": hop.child_pivot, "pivot_language": hop.pivot_language}
