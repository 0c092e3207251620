"""Health, import and the audit log."""

from __future__ import annotations

from typing import Any, Optional

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import Parameter
from sqlalchemy import text
from sqlmodel import Session

from api.schemas import AuditPage, AuditVerification, Health, ImportResult, QuoteRead
from provenance import __version__, audit, chain, views

_ADMIN = {"role": "admin"}


class SystemController(Controller):
    tags = ["system"]

    @get("/health", sync_to_thread=False, operation_id="health", opt={"role": "public"},
         summary="Liveness and database reachability")
    def health(self, session: NamedDependency[Session]) -> Health:
        session.exec(text("select 1"))  # type: ignore[call-overload]
        return Health(status="ok", database=session.get_bind().dialect.name, version=__version__)

    @get("/ping", sync_to_thread=False, operation_id="ping", opt={"role": "public"},
         summary="A bare JSON answer with no database work: the baseline for load benchmarks")
    def ping(self) -> dict[str, bool]:
        return {"pong": True}

    @post("/api/import", operation_id="importDocument", opt={"role": "editor"},
          status_code=201, tags=["quotes"],
          summary="Import a chain document (JSON or YAML body), all or nothing")
    async def import_document(self, request: Request[Any, Any, Any], session: NamedDependency[Session],
                              actor: NamedDependency[str]) -> ImportResult:
        raw = await request.body()
        doc = chain.parse_document(raw, origin="request body")
        quotes = chain.import_document(session, doc, actor=actor, origin="request body")
        return ImportResult(quotes=[QuoteRead.model_validate(views.quote_view(q)) for q in quotes])

    @get("/api/audit", sync_to_thread=False, operation_id="listAuditEvents", opt=_ADMIN, tags=["audit"],
         summary="The audit log, newest first")
    def audit_log(self, session: NamedDependency[Session], limit: int = Parameter(default=50, ge=1, le=200),
                  cursor: Optional[str] = Parameter(default=None, max_length=200)) -> AuditPage:
        before = int(views.decode_cursor(cursor, 1)[0]) if cursor else None
        rows = audit.recent(session, limit=limit + 1, before_seq=before)
        more, rows = len(rows) > limit, rows[:limit]
        items = [{**r.model_dump(mode="json"), "at": r.at.isoformat()} for r in rows]
        return AuditPage.model_validate({"items": items,
                                         "next_cursor": views.encode_cursor(rows[-1].seq) if more else None})

    @get("/api/audit/verify", sync_to_thread=False, operation_id="verifyAuditLog", opt=_ADMIN, tags=["audit"],
         summary="Re-walk the hash chain and name the first broken event")
    def audit_verify(self, session: NamedDependency[Session]) -> AuditVerification:
        return AuditVerification.model_validate(audit.verify(session).as_dict())
