"""Quotes: list, create, read, graph, export, and new renditions of a quote."""

from __future__ import annotations

from typing import Any, Literal, Optional

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import JSONBody, Parameter

from api.db import Database
from api.params import QuoteId
from api.schemas import Graph, QuoteCreate, QuoteDetail, QuotePage, RenditionCreate, RenditionDetail
from provenance import answers, chain, lineage, views
from provenance.export import export_quote
from provenance.langid import detect_language
from provenance.texts import normalize_text
from provenance.schemas import ChainDocument, QuoteDoc
from provenance.writes import Write

_WRITE = {"role": "editor"}


class QuoteController(Controller):
    path = "/api/quotes"
    tags = ["quotes"]

    @get("/", operation_id="listQuotes", summary="List quotes, filtered and paginated")
    async def list_quotes(self, db: NamedDependency[Database],
                          q: Optional[str] = Parameter(default=None, max_length=200, description="words in a rendition, the slug or the speaker"),
                          speaker: Optional[str] = Parameter(default=None, max_length=200),
                          language: Optional[str] = Parameter(default=None, max_length=35, description="a language some rendition is in"),
                          status: Optional[Literal["attested", "claimed", "reconstructed"]] = Parameter(default=None),
                          limit: int = Parameter(default=50, ge=1, le=200),
                          cursor: Optional[str] = Parameter(default=None, max_length=500)) -> QuotePage:
        page = await db.read(lambda s: views.list_quotes(s, q=q, speaker=speaker, language=language, status=status,
                                                         limit=limit, cursor=cursor))
        return QuotePage.model_validate(page)

    @post("/", operation_id="createQuote", opt=_WRITE, status_code=201,
          summary="Record a quote, optionally with its renditions")
    async def create_quote(self, data: JSONBody[QuoteCreate], db: NamedDependency[Database],
                           actor: NamedDependency[str]) -> QuoteDetail:
        doc = ChainDocument(sources=data.sources, quotes=[QuoteDoc.model_validate(data.model_dump(exclude={"sources"}))])
        chain.check_references(doc, origin="request body")
        detected = await db.compute(lambda: chain.detections(doc))  # before the write, which then holds no lock for it

        def run(w: Write) -> dict[str, Any]:
            (quote,) = chain.import_document(w, doc, origin="request body", detected=detected)
            return views.quote_detail(w.session, quote)

        return QuoteDetail.model_validate(await db.write(run, actor=actor))

    @get("/{quote_id:str}", operation_id="getQuote", raises=[NotFoundException],
         summary="A quote with its renditions and derivations")
    async def get_quote(self, db: NamedDependency[Database], quote_id: QuoteId) -> QuoteDetail:
        detail = await db.read(lambda s: views.quote_detail(s, lineage.get_quote(s, quote_id)))
        return QuoteDetail.model_validate(detail)

    @get("/{quote_id:str}/graph", operation_id="getQuoteGraph", raises=[NotFoundException],
         summary="The lineage graph: nodes (renditions) and edges (derivations with drift summaries)")
    async def get_graph(self, db: NamedDependency[Database], quote_id: QuoteId) -> Graph:
        # the stored answer as it is served (provenance.answers); tests check it against the model
        body = await db.stored(lambda s: answers.stored_graph(s, quote_id), lambda s: answers.graph_json(s, quote_id))
        return Response(body, media_type="application/json")  # type: ignore[return-value]

    @get("/{quote_id:str}/export", operation_id="exportQuote", raises=[NotFoundException],
         summary="Export a quote: json (chain document), prov-json, markdown, tmx or csv")
    async def export(self, db: NamedDependency[Database], quote_id: QuoteId,
                     format: Literal["json", "prov-json", "markdown", "tmx", "csv"] = Parameter(default="json")) -> Response[str]:
        def run(session: Any) -> tuple[str, str, str, str]:
            quote = lineage.get_quote(session, quote_id)
            return (*export_quote(session, quote, format), quote.slug)

        body, media_type, ext, slug = await db.read(run)
        return Response(body, media_type=media_type,
                        headers={"Content-Disposition": f'inline; filename="{slug}.{ext}"'})

    @post("/{quote_id:str}/renditions", operation_id="createRendition", opt=_WRITE,
          status_code=201, raises=[NotFoundException], summary="Add a rendition to a quote")
    async def create_rendition(self, data: JSONBody[RenditionCreate], db: NamedDependency[Database],
                               actor: NamedDependency[str], quote_id: QuoteId) -> RenditionDetail:
        text = data.text
        detection = await db.compute(lambda: detect_language(normalize_text(text))) if text else None  # before the write

        def run(w: Write) -> dict[str, Any]:
            quote = lineage.get_quote(w.session, quote_id)
            rendition = chain.add_rendition_from_doc(w, quote=quote, doc=data, source_kind=data.source_kind,
                                                     detection=detection, allow_same_text=data.allow_same_text)
            return views.rendition_detail(w.session, rendition)

        return RenditionDetail.model_validate(await db.write(run, actor=actor))


