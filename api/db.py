"""The service's way to the database: every query runs in a worker thread, never on the event loop.

One event loop serves all of a worker's requests. A query that waits (for a
lock another write holds, for a connection from the pool, for a server that
is slow or silent) would stop every other request of the worker while it
waits, ``/ping`` included, and on PostgreSQL a handler waiting on the loop for
a lock held by a transaction that needs the loop to commit never wakes up. So
each request's database work, from the first query to the commit, runs in
one worker thread, and the loop only hands it over and awaits the answer.

Measured (``bench/README.md``): handing a request to a thread costs about
80 microseconds; graph and lineage reads stay above 40% of ``/ping``. Going
async (asyncpg, aiosqlite) would also keep the loop free, but the domain and
the analysis are synchronous code shared with the CLI, and aiosqlite runs
each connection in a thread of its own anyway.

Reads and writes get separate thread limits, so writes queued behind the
SQLite write lock never take the threads that reads need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from anyio import to_thread
from sqlalchemy import text
from sqlmodel import Session

from provenance import audit, reads, writes
from provenance.db import begin_write, database_errors, make_engine, read_session, unavailable
from provenance.errors import Unavailable
from provenance.settings import Settings

T = TypeVar("T")

READ_THREADS = 12
WRITE_THREADS = 6


class Database:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url, settings)
        self._audit_key: bytes | None = None
        self._reads = anyio.CapacityLimiter(READ_THREADS)
        self._writes = anyio.CapacityLimiter(WRITE_THREADS)

    @property
    def audit_key(self) -> bytes:
        if self._audit_key is None:
            self._audit_key = audit.signing_key(self.settings)
        return self._audit_key

    async def read(self, fn: Callable[[Session], T]) -> T:
        """``fn(session)`` in a worker thread, in a read transaction."""
        def run() -> T:
            with read_session(self.engine) as session:
                return fn(session)
        return await to_thread.run_sync(run, limiter=self._reads)

    async def snapshot(self, fn: Callable[[reads.Snapshot], T]) -> T:
        """``fn(snapshot)`` in a worker thread: a read on the driver's connection, for the hottest answers."""
        def run() -> T:
            with database_errors(self.engine), reads.Snapshot(self.engine) as db:
                return fn(db)
        return await to_thread.run_sync(run, limiter=self._reads)

    async def write(self, fn: Callable[[writes.Write], T], *, actor: str) -> T:
        """``fn(w)`` in a worker thread, as one write of the domain's write path."""
        def run() -> T:
            return writes.run(self.engine, fn, actor=actor, audit_key=self.audit_key)
        return await to_thread.run_sync(run, limiter=self._writes)

    async def health(self, *, timeout: float) -> dict[str, Any]:
        """Whether the database answers a read and would accept a write, within ``timeout`` seconds.

        The write is checked with a statement that would write (and touches no
        row) inside a transaction that is rolled back: a read-only file or
        server refuses it. A database that does not answer in time is reported
        as such; the thread asking it is left to give up on its own timeouts.
        """
        def probe() -> dict[str, Any]:
            with database_errors(self.engine), Session(self.engine) as session:
                session.execute(text("SELECT 1"))
                session.rollback()
            try:
                with database_errors(self.engine), Session(self.engine) as session:
                    begin_write(session)
                    session.execute(text("DELETE FROM audit_checkpoint WHERE 1 = 0"))
                    session.rollback()
            except Unavailable as exc:
                busy = "busy" in exc.message
                return {"readable": True, "writable": busy, "detail": exc.message}
            return {"readable": True, "writable": True, "detail": None}

        try:
            with anyio.fail_after(timeout):
                return await to_thread.run_sync(probe, limiter=self._reads, abandon_on_cancel=True)
        except TimeoutError:
            return {"readable": False, "writable": False,
                    "detail": f"the database did not answer within {timeout:g} s"}
        except Unavailable as exc:
            return {"readable": False, "writable": False, "detail": exc.message}
        except Exception as exc:  # anything else the driver raises is an outage to report, not a crash
            mapped = unavailable(exc, self.engine)
            return {"readable": False, "writable": False, "detail": mapped.message if mapped else type(exc).__name__}

    def dispose(self) -> None:
        self.engine.dispose()
