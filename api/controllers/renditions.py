"""Renditions: read, lineage, and derivations between renditions."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import JSONBody, Parameter

from api.db import Database
from api.params import RenditionId
from api.schemas import (
    DerivationCreate, DerivationRead, GlossCreate, GlossRead, Lineage, RenditionCorrection, RenditionDetail,
)
from provenance import answers, lineage, views
from provenance.writes import Write

_WRITE = {"role": "editor"}


class RenditionController(Controller):
    path = "/api/renditions"
    tags = ["renditions"]

    @get("/{rendition_id:str}", operation_id="getRendition", raises=[NotFoundException])
    async def get_rendition(self, db: NamedDependency[Database], rendition_id: RenditionId) -> RenditionDetail:
        detail = await db.read(lambda s: views.rendition_detail(s, lineage.get_rendition(s, rendition_id)))
        return RenditionDetail.model_validate(detail)

    @get("/{rendition_id:str}/lineage", operation_id="getLineage", raises=[NotFoundException],
         summary="Every path from the origin to this rendition, each hop with its scores and findings by severity")
    async def get_lineage(self, db: NamedDependency[Database], rendition_id: RenditionId) -> Lineage:
        body = await db.stored(lambda s: answers.stored_lineage(s, rendition_id),
                               lambda s: answers.lineage_json(s, rendition_id))
        return Response(body, media_type="application/json")  # type: ignore[return-value]

    @patch("/{rendition_id:str}", operation_id="correctRendition", opt=_WRITE, raises=[NotFoundException],
           summary="Correct where a rendition comes from (source, URL, byline, times, note); its text is immutable")
    async def correct(self, data: JSONBody[RenditionCorrection], db: NamedDependency[Database],
                      actor: NamedDependency[str], rendition_id: RenditionId) -> RenditionDetail:
        sent = data.model_dump(exclude_unset=True)
        source = sent.pop("source", None)
        kind = sent.pop("source_kind", "other")

        def run(w: Write) -> dict[str, Any]:
            rendition = lineage.get_rendition(w.session, rendition_id)
            lineage.correct_rendition(w, rendition=rendition, changes=sent, source=source, source_kind=kind)
            return views.rendition_detail(w.session, rendition)

        return RenditionDetail.model_validate(await db.write(run, actor=actor))

    @post("/{rendition_id:str}/glosses", operation_id="addGloss", opt=_WRITE, status_code=201,
          raises=[NotFoundException], summary="Add a human translation of the rendition into the pivot language")
    async def add_gloss(self, data: JSONBody[GlossCreate], db: NamedDependency[Database], actor: NamedDependency[str],
                        rendition_id: RenditionId) -> GlossRead:
        def run(w: Write) -> Any:
            rendition = lineage.get_rendition(w.session, rendition_id)
            return lineage.add_gloss(w, rendition=rendition, language=data.language, text=data.text,
                                     author=data.author)

        return GlossRead.model_validate(await db.write(run, actor=actor), from_attributes=True)


class DerivationController(Controller):
    path = "/api/derivations"
    tags = ["derivations"]

    @post("/", operation_id="createDerivation", opt=_WRITE, status_code=201,
          raises=[NotFoundException], summary="Link a child rendition to a parent (409 if it would close a cycle)")
    async def create(self, data: JSONBody[DerivationCreate], db: NamedDependency[Database],
                     actor: NamedDependency[str]) -> DerivationRead:
        def run(w: Write) -> dict[str, Any]:
            child = lineage.get_rendition(w.session, data.child_id)
            parent = lineage.get_rendition(w.session, data.parent_id)
            edge = lineage.add_derivation(w, child=child, parent=parent, relation=data.relation,
                                          translator_kind=data.translator.kind, translator_name=data.translator.name,
                                          evidence=data.evidence, link_basis=data.link)
            return views.derivation_view(edge, session=w.session)

        return DerivationRead.model_validate(await db.write(run, actor=actor))

    @delete("/", operation_id="removeDerivation", opt=_WRITE, status_code=204, raises=[NotFoundException],
            summary="Unlink a child from a parent; a link people have annotated is kept (409)")
    async def remove(self, db: NamedDependency[Database], actor: NamedDependency[str],
                     child_id: Annotated[str, Parameter(min_length=1, max_length=200, description="id or SLUG:KEY")],
                     parent_id: Annotated[str, Parameter(min_length=1, max_length=200, description="id or SLUG:KEY")]
                     ) -> None:
        def run(w: Write) -> None:
            child = lineage.get_rendition(w.session, child_id)
            parent = lineage.get_rendition(w.session, parent_id)
            lineage.remove_derivation(w, edge=lineage.get_derivation(w.session, child_id=child.id, parent_id=parent.id))

        await db.write(run, actor=actor)
