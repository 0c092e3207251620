"""Drift: analyse hops, read a hop side by side, review findings, add notes."""

from __future__ import annotations

from typing import Annotated, Optional

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import JSONBody, Parameter
from sqlmodel import Session

from api.schemas import AnalyzeResult, FindingRead, HopDrift, NoteCreate, ReviewCreate, TraceRequest, TraceResult
from provenance import analysis, lineage, review
from provenance import trace as trace_mod
from provenance.settings import Settings

RenditionId = Annotated[str, Parameter(description="rendition id, or SLUG:KEY", max_length=200)]
_WRITE = {"role": "editor"}


class AnalysisController(Controller):
    tags = ["analysis"]

    # In a worker thread: analysing may wait seconds for a machine-translation provider, and on the event loop
    # that wait would hold up every other request of this worker.
    @post("/api/renditions/{rendition_id:str}/analyze", sync_to_thread=True, operation_id="analyzeRendition",
          opt=_WRITE, status_code=200, raises=[NotFoundException],
          summary="(Re-)analyse every hop into this rendition; human notes and reviews are kept")
    def analyze(self, session: NamedDependency[Session], settings: NamedDependency[Settings],
                actor: NamedDependency[str], rendition_id: RenditionId) -> AnalyzeResult:
        child = lineage.get_rendition(session, rendition_id)
        analyzer = analysis.Analyzer.from_settings(settings)
        hops = []
        for edge in lineage.parents_of(session, child.id):
            analyzer.analyze(session, edge, actor=actor)
            hops.append(HopDrift.model_validate(review.drift_view(session, child, edge.parent_id)))
        return AnalyzeResult(hops=hops)

    @get("/api/renditions/{rendition_id:str}/drift", sync_to_thread=False, operation_id="getDrift",
         raises=[NotFoundException], summary="One hop side by side: alignment segments, findings, scores, basis")
    def drift(self, session: NamedDependency[Session], rendition_id: RenditionId,
              parent_id: Optional[str] = Parameter(default=None, max_length=200,
                                                   description="parent id or SLUG:KEY, when there are several")) -> HopDrift:
        child = lineage.get_rendition(session, rendition_id)
        return HopDrift.model_validate(review.drift_view(session, child, parent_id))

    @post("/api/renditions/{rendition_id:str}/notes", sync_to_thread=False, operation_id="addNote", opt=_WRITE,
          status_code=201, raises=[NotFoundException], summary="A person's note on the hop into this rendition")
    def add_note(self, data: JSONBody[NoteCreate], session: NamedDependency[Session], actor: NamedDependency[str],
                 rendition_id: RenditionId) -> FindingRead:
        child = lineage.get_rendition(session, rendition_id)
        parent_id = lineage.get_rendition(session, data.parent_id).id if data.parent_id else None
        edge = lineage.get_derivation(session, child_id=child.id, parent_id=parent_id)
        note = review.add_note(session, edge=edge, text=data.text, category=data.category, severity=data.severity,
                               author=data.author or actor,
                               parent_span=data.parent_span.model_dump() if data.parent_span else None,
                               child_span=data.child_span.model_dump() if data.child_span else None, actor=actor)
        return FindingRead.model_validate(review.finding_view(note))

    @post("/api/findings/{finding_id:str}/review", sync_to_thread=False, operation_id="reviewFinding", opt=_WRITE,
          status_code=201, raises=[NotFoundException], summary="Confirm or dismiss a machine finding, with a comment")
    def review_finding(self, data: JSONBody[ReviewCreate], session: NamedDependency[Session],
                       actor: NamedDependency[str],
                       finding_id: Annotated[str, Parameter(max_length=200)]) -> FindingRead:
        rv = review.review_finding(session, finding_id=finding_id, verdict=data.verdict, comment=data.comment,
                                   reviewer=actor, actor=actor)
        finding = session.get(review.Finding, finding_id)
        return FindingRead.model_validate(review.finding_view(finding, rv))  # type: ignore[arg-type]


class TraceController(Controller):
    tags = ["trace"]

    # A worker thread, as for analyze: a query in another language than the pivot is machine-translated first.
    @post("/api/trace", sync_to_thread=True, operation_id="trace", status_code=200,
          summary="Paste a quote: ranked matching renditions, each with its lineage back to the origin")
    def trace(self, data: JSONBody[TraceRequest], session: NamedDependency[Session],
              settings: NamedDependency[Settings]) -> TraceResult:
        analyzer = analysis.Analyzer.from_settings(settings)
        result = trace_mod.trace(session, text=data.text, language=data.language, limit=data.limit,
                                 translator=analyzer.translator, pivot_language=settings.pivot_language)
        return TraceResult.model_validate(result)
