"""Quotes: list, create, read, graph, export, and new renditions of a quote."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import JSONBody, Parameter
from sqlmodel import Session

from api.schemas import Graph, QuoteCreate, QuoteDetail, QuotePage, RenditionCreate, RenditionDetail
from provenance import answers, chain, lineage, reads, views
from provenance.errors import InvalidInput
from provenance.export import EXPORTERS, export_quote
from provenance.schemas import ChainDocument, QuoteDoc

QuoteId = Annotated[str, Parameter(description="quote id or slug", max_length=200)]
_WRITE = {"role": "editor"}


class QuoteController(Controller):
    path = "/api/quotes"
    tags = ["quotes"]

    @get("/", sync_to_thread=False, operation_id="listQuotes", summary="List quotes, filtered and paginated")
    def list_quotes(self, session: NamedDependency[Session],
                    q: Optional[str] = Parameter(default=None, max_length=200, description="words in a rendition, the slug or the speaker"),
                    speaker: Optional[str] = Parameter(default=None, max_length=200),
                    language: Optional[str] = Parameter(default=None, max_length=35, description="a language some rendition is in"),
                    status: Optional[Literal["attested", "claimed", "reconstructed"]] = Parameter(default=None),
                    limit: int = Parameter(default=50, ge=1, le=200),
                    cursor: Optional[str] = Parameter(default=None, max_length=500)) -> QuotePage:
        return QuotePage.model_validate(views.list_quotes(session, q=q, speaker=speaker, language=language,
                                                          status=status, limit=limit, cursor=cursor))

    @post("/", sync_to_thread=False, operation_id="createQuote", opt=_WRITE, status_code=201,
          summary="Record a quote, optionally with its renditions")
    def create_quote(self, data: JSONBody[QuoteCreate], session: NamedDependency[Session],
                     actor: NamedDependency[str]) -> QuoteDetail:
        doc = ChainDocument(sources=data.sources, quotes=[QuoteDoc.model_validate(data.model_dump(exclude={"sources"}))])
        chain.check_references(doc, origin="request body")
        (quote,) = chain.import_document(session, doc, actor=actor, origin="request body")
        return QuoteDetail.model_validate(views.quote_detail(session, quote))

    @get("/{quote_id:str}", sync_to_thread=False, operation_id="getQuote", raises=[NotFoundException],
         summary="A quote with its renditions and derivations")
    def get_quote(self, session: NamedDependency[Session], quote_id: QuoteId) -> QuoteDetail:
        return QuoteDetail.model_validate(views.quote_detail(session, lineage.get_quote(session, quote_id)))

    @get("/{quote_id:str}/graph", sync_to_thread=False, operation_id="getQuoteGraph", raises=[NotFoundException],
         summary="The lineage graph: nodes (renditions) and edges (derivations with drift summaries)")
    def get_graph(self, request: Request[Any, Any, Any], quote_id: QuoteId) -> Graph:
        # reads only: a snapshot, not the request's session (opening and committing one cost more than the queries)
        with reads.Snapshot(request.app.state.engine) as db:
            return request.app.state.read_cache.response(  # type: ignore[no-any-return]
                db, ("graph", quote_id), lambda: answers.graph_json(db, quote_id))

    @get("/{quote_id:str}/export", sync_to_thread=False, operation_id="exportQuote", raises=[NotFoundException],
         summary="Export a quote: json (chain document), prov-json, markdown, tmx or csv")
    def export(self, session: NamedDependency[Session], quote_id: QuoteId,
               format: Literal["json", "prov-json", "markdown", "tmx", "csv"] = Parameter(default="json")) -> Response[str]:
        quote = lineage.get_quote(session, quote_id)
        if format not in EXPORTERS:
            raise InvalidInput(f"unknown export format '{format}'")
        body, media_type, ext = export_quote(session, quote, format)
        return Response(body, media_type=media_type,
                        headers={"Content-Disposition": f'inline; filename="{quote.slug}.{ext}"'})

    @post("/{quote_id:str}/renditions", sync_to_thread=False, operation_id="createRendition", opt=_WRITE,
          status_code=201, raises=[NotFoundException], summary="Add a rendition to a quote")
    def create_rendition(self, data: JSONBody[RenditionCreate], session: NamedDependency[Session],
                         actor: NamedDependency[str], quote_id: QuoteId) -> RenditionDetail:
        quote = lineage.get_quote(session, quote_id)
        rendition = chain.add_rendition_from_doc(session, quote=quote, doc=data, source_kind=data.source_kind,
                                                 actor=actor)
        return RenditionDetail.model_validate(views.rendition_detail(session, rendition))
