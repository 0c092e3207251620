"""Drift: analyse hops, read a hop side by side, review findings, add notes."""

from __future__ import annotations

from typing import Any, Optional

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import JSONBody, Parameter

from api.db import Database
from api.params import FindingId, QuoteId, RenditionId
from api.schemas import (
    AnalyzeResult, FindingRead, HopDrift, NoteCreate, QuoteAnalysis, ReviewCreate, TraceRequest, TraceResult,
)
from provenance import analysis, lineage, review, views
from provenance import trace as trace_mod
from provenance.settings import Settings
from provenance.writes import Write

_encode = msgspec.json.Encoder().encode

_WRITE = {"role": "editor"}


class AnalysisController(Controller):
    tags = ["analysis"]

    @post("/api/renditions/{rendition_id:str}/analyze", operation_id="analyzeRendition",
          opt=_WRITE, status_code=200, raises=[NotFoundException],
          summary="(Re-)analyse every hop into this rendition; human notes and reviews are kept")
    async def analyze(self, db: NamedDependency[Database], settings: NamedDependency[Settings],
                      actor: NamedDependency[str], rendition_id: RenditionId) -> AnalyzeResult:
        analyzer = analysis.Analyzer.from_settings(settings)
        # comparison texts first, in a read: a slow translator is waited for with no lock held
        await db.read(lambda s: analyzer.prefetch(s, [lineage.get_rendition(s, rendition_id).quote_id]))

        def run(w: Write) -> list[dict[str, Any]]:
            child = lineage.get_rendition(w.session, rendition_id)
            return [review.drift_view(w.session, child, edge.parent_id)
                    for edge in analysis.analyze_rendition(w, child, analyzer)]

        return AnalyzeResult(hops=[HopDrift.model_validate(h) for h in await db.write(run, actor=actor)])

    @post("/api/quotes/{quote_id:str}/analyze", operation_id="analyzeQuote",
          opt=_WRITE, status_code=200, raises=[NotFoundException],
          summary="(Re-)analyse every hop of a quote, parents first; human notes and reviews are kept")
    async def analyze_quote(self, db: NamedDependency[Database], settings: NamedDependency[Settings],
                            actor: NamedDependency[str],
                            quote_id: QuoteId) -> QuoteAnalysis:
        analyzer = analysis.Analyzer.from_settings(settings)
        await db.read(lambda s: analyzer.prefetch(s, [lineage.get_quote(s, quote_id).id]))

        def run(w: Write) -> dict[str, Any]:
            quote = lineage.get_quote(w.session, quote_id)
            analysis.analyze_quote(w, quote, analyzer)
            _, edges = lineage.quote_graph(w.session, quote)
            return {"quote": views.quote_view(quote),
                    **views.analysis_status(list(views.hop_summaries(w.session, edges).values()))}

        return QuoteAnalysis.model_validate(await db.write(run, actor=actor))

    @get("/api/renditions/{rendition_id:str}/drift", operation_id="getDrift",
         raises=[NotFoundException], summary="One hop side by side: alignment segments, findings, scores, basis")
    async def drift(self, db: NamedDependency[Database], rendition_id: RenditionId,
                    parent_id: Optional[str] = Parameter(default=None, max_length=200,
                                                         description="parent id or SLUG:KEY, when there are several")) -> HopDrift:
        view = await db.read(lambda s: review.drift_view(s, lineage.get_rendition(s, rendition_id), parent_id))
        return HopDrift.model_validate(view)

    @post("/api/renditions/{rendition_id:str}/notes", operation_id="addNote", opt=_WRITE,
          status_code=201, raises=[NotFoundException], summary="A person's note on the hop into this rendition")
    async def add_note(self, data: JSONBody[NoteCreate], db: NamedDependency[Database], actor: NamedDependency[str],
                       rendition_id: RenditionId) -> FindingRead:
        def run(w: Write) -> dict[str, Any]:
            child = lineage.get_rendition(w.session, rendition_id)
            parent_id = lineage.get_rendition(w.session, data.parent_id).id if data.parent_id else None
            edge = lineage.get_derivation(w.session, child_id=child.id, parent_id=parent_id)
            note = review.add_note(w, edge=edge, text=data.text, category=data.category, severity=data.severity,
                                   author=data.author or actor,
                                   parent_span=data.parent_span.model_dump() if data.parent_span else None,
                                   child_span=data.child_span.model_dump() if data.child_span else None)
            return review.finding_view(note)

        return FindingRead.model_validate(await db.write(run, actor=actor))

    @post("/api/findings/{finding_id:str}/review", operation_id="reviewFinding", opt=_WRITE,
          status_code=201, raises=[NotFoundException], summary="Confirm or dismiss a machine finding, with a comment")
    async def review_finding(self, data: JSONBody[ReviewCreate], db: NamedDependency[Database],
                             actor: NamedDependency[str],
                             finding_id: FindingId) -> FindingRead:
        def run(w: Write) -> dict[str, Any]:
            rv = review.review_finding(w, finding_id=finding_id, verdict=data.verdict, comment=data.comment,
                                       reviewer=actor)
            finding = w.session.get(review.Finding, finding_id)
            return review.finding_view(finding, rv)  # type: ignore[arg-type]

        return FindingRead.model_validate(await db.write(run, actor=actor))


class TraceController(Controller):
    tags = ["trace"]

    @post("/api/trace", operation_id="trace", status_code=200,
          summary="Paste a quote: ranked matching renditions, each with its lineage back to the origin")
    async def trace(self, data: JSONBody[TraceRequest], db: NamedDependency[Database],
                    settings: NamedDependency[Settings]) -> TraceResult:
        analyzer = analysis.Analyzer.from_settings(settings)
        result = await db.search(lambda s: trace_mod.trace(s, text=data.text, language=data.language, limit=data.limit,
                                                         translator=analyzer.translator,
                                                         pivot_language=settings.pivot_language,
                                                         encoded_lineage=True))
        # encoded as it is, not run through the model (which costs a tenth of a trace); tests check it is the model
        return Response(_encode(result), media_type="application/json")  # type: ignore[return-value]
