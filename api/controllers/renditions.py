"""Renditions: read, lineage, and derivations between renditions."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import JSONBody, Parameter
from sqlmodel import Session

from api.schemas import DerivationCreate, DerivationRead, GlossCreate, GlossRead, Lineage, RenditionDetail
from provenance import answers, lineage, reads, views

RenditionId = Annotated[str, Parameter(description="rendition id, or SLUG:KEY", max_length=200)]
_WRITE = {"role": "editor"}


class RenditionController(Controller):
    path = "/api/renditions"
    tags = ["renditions"]

    @get("/{rendition_id:str}", sync_to_thread=False, operation_id="getRendition", raises=[NotFoundException])
    def get_rendition(self, session: NamedDependency[Session], rendition_id: RenditionId) -> RenditionDetail:
        return RenditionDetail.model_validate(views.rendition_detail(session, lineage.get_rendition(session, rendition_id)))

    @get("/{rendition_id:str}/lineage", sync_to_thread=False, operation_id="getLineage", raises=[NotFoundException],
         summary="Every path from the origin to this rendition, each hop with its scores and findings by severity")
    def get_lineage(self, request: Request[Any, Any, Any], rendition_id: RenditionId) -> Lineage:
        with reads.Snapshot(request.app.state.engine) as db:  # reads only: see QuoteController.get_graph
            return request.app.state.read_cache.response(  # type: ignore[no-any-return]
                db, ("lineage", rendition_id), lambda: answers.lineage_json(db, rendition_id))

    @post("/{rendition_id:str}/glosses", sync_to_thread=False, operation_id="addGloss", opt=_WRITE, status_code=201,
          raises=[NotFoundException], summary="Add a human translation of the rendition into the pivot language")
    def add_gloss(self, data: JSONBody[GlossCreate], session: NamedDependency[Session], actor: NamedDependency[str],
                  rendition_id: RenditionId) -> GlossRead:
        rendition = lineage.get_rendition(session, rendition_id)
        gloss = lineage.add_gloss(session, rendition=rendition, language=data.language, text=data.text,
                                  author=data.author, actor=actor)
        return GlossRead.model_validate(gloss, from_attributes=True)


class DerivationController(Controller):
    path = "/api/derivations"
    tags = ["derivations"]

    @post("/", sync_to_thread=False, operation_id="createDerivation", opt=_WRITE, status_code=201,
          raises=[NotFoundException], summary="Link a child rendition to a parent (409 if it would close a cycle)")
    def create(self, data: JSONBody[DerivationCreate], session: NamedDependency[Session],
               actor: NamedDependency[str]) -> DerivationRead:
        child = lineage.get_rendition(session, data.child_id)
        parent = lineage.get_rendition(session, data.parent_id)
        edge = lineage.add_derivation(session, child=child, parent=parent, relation=data.relation,
                                      translator_kind=data.translator.kind, translator_name=data.translator.name,
                                      evidence=data.evidence, link_basis=data.link, actor=actor)
        return DerivationRead.model_validate(views.derivation_view(edge, session=session))
