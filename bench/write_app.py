"""The service plus one bare insert endpoint, for ``bench/writes.py`` (never served otherwise).

``POST /bench/bare`` takes the same path as a real write as far as it can
(the rate limiter, the edge checks, the key lookup, a worker thread of the
write limit, a write transaction: ``BEGIN IMMEDIATE`` on SQLite) and then
inserts one row into a table of its own: no checks, no audit log, no stored
answers. What a real write costs beyond it is what the write path costs.
"""

from __future__ import annotations

import uuid
from typing import Any

from anyio import to_thread
from litestar import Litestar, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlalchemy import text

from api.app import create_app as create_service
from api.db import Database
from provenance.db import transaction


@post("/bench/bare", opt={"role": "editor"}, status_code=201, include_in_schema=False)
async def bare_insert(data: JSONBody[dict[str, Any]], db: NamedDependency[Database]) -> dict[str, str]:
    row_id = str(uuid.uuid4())

    def insert() -> None:
        with transaction(db.engine) as session:
            session.execute(text("INSERT INTO bench_bare (id, body) VALUES (:id, :body)"),
                            {"id": row_id, "body": str(data.get("body", ""))[:200]})

    await to_thread.run_sync(insert, limiter=db._writes)
    return {"id": row_id}


def create_app() -> Litestar:
    app = create_service()
    with transaction(app.state.db.engine) as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS bench_bare (id VARCHAR(36) PRIMARY KEY, body TEXT)"))
    app.register(bare_insert)
    return app
