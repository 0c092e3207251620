"""Health, import and the audit log."""

from __future__ import annotations

from typing import Any, Optional

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from api.db import Database
from api.schemas import AuditPage, AuditVerification, Health, ImportResult, QuoteRead
from provenance import __version__, audit, chain, views

_ADMIN = {"role": "admin"}
#: How long /health waits for the database before it says the database is not answering.
HEALTH_TIMEOUT = 2.0
#: What the import reads: JSON, or YAML under any of the names it goes by.
DOCUMENT_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
                  "text/plain")


class SystemController(Controller):
    tags = ["system"]

    @get("/health", operation_id="health", opt={"role": "public"},
         summary="Whether the service can read and write its database (503 when it cannot)",
         responses={503: ResponseSpec(Health, description="the database cannot be read or written")})
    async def health(self, db: NamedDependency[Database]) -> Health:
        state = await db.health(timeout=HEALTH_TIMEOUT)
        ok = state["readable"] and state["writable"]
        body = Health(status="ok" if ok else "unavailable", database=db.engine.dialect.name, version=__version__,
                      readable=state["readable"], writable=state["writable"], detail=state["detail"])
        if ok:
            return body
        return Response(body.model_dump(), status_code=503, headers={"Retry-After": "5"})  # type: ignore[return-value]

    @get("/ping", sync_to_thread=False, operation_id="ping", opt={"role": "public"},
         summary="A bare JSON answer with no database work: the baseline for load benchmarks")
    def ping(self) -> dict[str, bool]:
        return {"pong": True}

    @post("/api/import", operation_id="importDocument", opt={"role": "editor", "media_types": DOCUMENT_TYPES},
          status_code=201, tags=["quotes"],
          summary="Import a chain document (JSON or YAML body), all or nothing")
    async def import_document(self, request: Request[Any, Any, Any], db: NamedDependency[Database],
                              actor: NamedDependency[str]) -> ImportResult:
        from anyio import to_process

        raw = await request.body()
        # parsed here (in a thread): a hostile or wrong document is refused at once; then language detection
        # and the write in a process of their own (see chain.import_parsed)
        doc = await db.compute(lambda: chain.parse_document(raw, origin="request body"))
        quotes = await to_process.run_sync(chain.import_parsed, db.settings, doc, actor, db.audit_key,
                                           cancellable=False)
        return ImportResult(quotes=[QuoteRead.model_validate(q) for q in quotes])

    @get("/api/audit", operation_id="listAuditEvents", opt=_ADMIN, tags=["audit"],
         summary="The audit log, newest first")
    async def audit_log(self, db: NamedDependency[Database], limit: int = Parameter(default=50, ge=1, le=200),
                        cursor: Optional[str] = Parameter(default=None, max_length=200)) -> AuditPage:
        before = _audit_cursor(cursor) if cursor else None

        def run(session: Any) -> dict[str, Any]:
            rows = audit.recent(session, limit=limit + 1, before_seq=before)
            more, rows = len(rows) > limit, rows[:limit]
            items = [{**r.model_dump(mode="json"), "at": r.at.isoformat()} for r in rows]
            return {"items": items, "next_cursor": views.encode_cursor(rows[-1].seq) if more else None}

        return AuditPage.model_validate(await db.read(run))

    @get("/api/audit/verify", operation_id="verifyAuditLog", opt=_ADMIN, tags=["audit"],
         summary="Re-walk the hash chain, check its signed head, and check every audited row against the log")
    async def audit_verify(self, db: NamedDependency[Database],
                           expect_head: Optional[str] = Parameter(default=None, max_length=100,
                                                                  description="COUNT:HASH of a head kept elsewhere")) -> AuditVerification:
        expected = audit.Head.parse(expect_head) if expect_head else None
        result = await db.read(lambda s: audit.verify(s, key=db.audit_key, expect_head=expected))
        return AuditVerification.model_validate(result.as_dict())


def _audit_cursor(cursor: str) -> int:
    (seq,) = views.decode_cursor(cursor, 1, (int,))
    return int(seq)
