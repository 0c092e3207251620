"""Intake: an article in (text, HTML or URL), the proposal out; an editor accepts it."""

from __future__ import annotations

from functools import partial
from typing import Any

import anyio
from anyio import to_process
from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from api.db import Database
from api.schemas import IntakeAccept, IntakeAccepted, IntakeProposal, IntakeRequest
from provenance import analysis, proposals
from provenance.errors import InvalidInput
from provenance.settings import Settings
from provenance.writes import Write

_WRITE = {"role": "editor"}


async def propose_in_process(settings: Settings, **article: Any) -> dict[str, Any]:
    """``proposals.propose_article`` in a worker process, killed after ``settings.intake_deadline`` seconds:
    reading an article is CPU work that would hold up the event loop, and a page made to be slow to read
    must not hold a worker for long."""
    try:
        with anyio.fail_after(settings.intake_deadline):
            return await to_process.run_sync(partial(proposals.propose_article, settings, **article),
                                             cancellable=True)
    except TimeoutError:
        raise InvalidInput(f"the article took more than {settings.intake_deadline:g} s to read; save its text "
                           "alone and paste that, or split it") from None


class IntakeController(Controller):
    path = "/api/intake"
    tags = ["intake"]

    @post("/", operation_id="intakeArticle", status_code=200,
          summary="Read an article: its quotations, speakers, evidence and claimed chains, and what to record "
                  "(writes nothing)")
    async def propose(self, data: JSONBody[IntakeRequest], db: NamedDependency[Database]) -> IntakeProposal:
        result = await propose_in_process(db.settings, text=data.text, html=data.html, url=data.url,
                                          language=data.language, outlet=data.outlet, page_url=data.page_url)
        return IntakeProposal.model_validate(result)

    @post("/accept", operation_id="acceptIntake", opt=_WRITE, status_code=201,
          summary="Write an accepted proposal in one transaction, then analyse the new hops")
    async def accept(self, data: JSONBody[IntakeAccept], db: NamedDependency[Database],
                     settings: NamedDependency[Settings], actor: NamedDependency[str]) -> IntakeAccepted:
        parsed = proposals.parse_accept(data.model_dump())
        analyzer = analysis.Analyzer.from_settings(settings)

        def run(w: Write) -> dict[str, Any]:
            done = proposals.accept(w, parsed, pivot_language=settings.pivot_language)
            return {"publication": done.publication.id, "quotes": [q.slug for q in done.quotes],
                    "edges": [e.id for e in done.edges]}

        done = await db.write(run, actor=actor)

        def analyse(w: Write) -> int:
            from provenance.models import Derivation

            edges = [w.session.get(Derivation, i) for i in done["edges"]]
            for edge in edges:
                if edge is not None:
                    analyzer.analyze(w, edge)
            return len(edges)

        hops = await db.write(analyse, actor=actor) if done["edges"] else 0
        landing = f"/quotes/{done['quotes'][0]}" if done["quotes"] else None
        return IntakeAccepted(publication=done["publication"], quotes=done["quotes"], hops_analysed=hops,
                              landing=landing)
