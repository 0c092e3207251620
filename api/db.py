"""The service's way to the database: every query runs in a worker thread, never on the event loop.

One event loop serves all of a worker's requests. A query that waits (for a
lock another write holds, for a connection from the pool, for a server that
is slow or silent) would stop every other request of the worker while it
waits, ``/ping`` included, and on PostgreSQL a handler waiting on the loop for
a lock held by a transaction that needs the loop to commit never wakes up. So
each request's database work, from the first query to the commit, runs in
one worker thread, and the loop only hands it over and awaits the answer.

Reads and writes get separate thread limits, so writes queued behind the
SQLite write lock never take the threads that reads need.

One exception, decided by measurement (``bench/README.md``): the stored
graph and lineage answers, the reads API clients make most, are looked up on
the loop itself (:class:`LoopReader`). Handed to a thread, a graph was
answered at 24% of ``/ping``'s rate (the hand-off and the contention for the
interpreter cost more than the lookup); on the loop, at more than 40%. Such a
lookup is one or two indexed queries that wait for nothing: SQLite readers in
WAL mode do not wait for writers, nor PostgreSQL readers for row locks. It
runs on a connection of its own that was opened in a thread (a connection is
never opened on the loop, where a silent server would hold it), told to fail
at once rather than wait (SQLite ``busy_timeout=0``; PostgreSQL statement and
lock timeouts of a quarter second); any failure drops that connection and
the request goes the thread path. Going async (asyncpg, aiosqlite) would also
keep the loop free, but the domain and the analysis are synchronous code
shared with the CLI, and aiosqlite runs each connection in a thread anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from anyio import to_thread
from sqlmodel import Session

from provenance import audit, reads, writes
from provenance.db import database_errors, make_engine, read_session, unavailable
from provenance.errors import Busy, ProvenanceError, Unavailable
from provenance.settings import Settings

T = TypeVar("T")

READ_THREADS = 12
WRITE_THREADS = 6
#: Searches (trace) on SQLite with no translation service are Python work and nothing else: run side by
#: side in more threads than this, they only take turns at the interpreter's lock, and each costs more.
#: Measured (bench/README.md, trace.py): eight traces at once in twelve threads cost 4.5 ms of CPU each, in
#: one thread 2.8 ms. A search that may wait (for PostgreSQL's answers, for a translation service) gets the
#: reads' number of threads, so that one waiting search never holds up the others.
SEARCH_THREADS = 1

#: How long a lookup on the loop may take before PostgreSQL cancels it (it then goes the thread path).
LOOP_STATEMENT_MS = 250


class LoopReader:
    """One driver connection, used only from the event loop, for lookups that cannot wait (stored answers)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._connection: Any = None
        self._proxy: Any = None
        self._opening = False

    def lookup(self, fn: Callable[[reads.Snapshot], T]) -> T | None:
        """``fn(snapshot)`` on the loop's connection; None when there is none yet or it failed (then dropped)."""
        if self._connection is None:
            return None
        try:
            with reads.Snapshot(self.engine, self._connection) as db:
                return fn(db)
        except ProvenanceError:
            raise  # NotFound and the like: answers, not failures
        except Exception:  # the connection failed or would have waited: forget it, answer through a thread
            self.drop()
            return None

    async def open(self) -> None:
        """Open the connection in a thread (never on the loop), once at a time; failures are left for later."""
        if self._connection is not None or self._opening:
            return
        self._opening = True
        try:
            self._connection = await to_thread.run_sync(self._connect)
        except Exception:  # unreachable now: the thread path answers, and a later request tries again
            self._connection = None
        finally:
            self._opening = False

    def _connect(self) -> Any:
        raw = self.engine.raw_connection()
        driver = raw.driver_connection
        raw.detach()  # the loop's own: never back to the pool, where other threads would use it
        self._proxy = raw  # kept alive with the connection: the pool closes a detached one it forgets
        cursor = driver.cursor()
        if self.engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA busy_timeout=0")
        else:
            cursor.execute(f"SET statement_timeout = {LOOP_STATEMENT_MS}")
            cursor.execute(f"SET lock_timeout = {LOOP_STATEMENT_MS // 2}")
            driver.commit()
        cursor.close()
        return driver

    def drop(self) -> None:
        connection, self._connection = self._connection, None
        proxy, self._proxy = self._proxy, None
        for closing in (connection, proxy):
            if closing is not None:
                try:
                    closing.close()
                except Exception:  # already broken
                    pass


class Database:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url, settings)
        self._audit_key: bytes | None = None
        self._reads = anyio.CapacityLimiter(READ_THREADS)
        self._writes = anyio.CapacityLimiter(WRITE_THREADS)
        waits = self.engine.dialect.name != "sqlite" or (settings.translator or "none").strip().lower() != "none"
        self._searches = anyio.CapacityLimiter(READ_THREADS if waits else SEARCH_THREADS)
        self.loop_reader = LoopReader(self.engine)

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

    async def search(self, fn: Callable[[reads.Snapshot], T]) -> T:
        """:meth:`snapshot` for a search (trace), in the searches' own threads (:data:`SEARCH_THREADS`): they
        take no thread another read needs, and queue rather than slow each other down where nothing of theirs
        waits."""
        def run() -> T:
            with database_errors(self.engine), reads.Snapshot(self.engine) as db:
                return fn(db)
        return await to_thread.run_sync(run, limiter=self._searches)

    async def stored(self, quick: Callable[[reads.Snapshot], bytes | None],
                     full: Callable[[reads.Snapshot], bytes]) -> bytes:
        """A stored answer looked up on the loop (``quick``), else ``full`` (stored or built live) in a thread."""
        found = self.loop_reader.lookup(quick)
        if found is not None:
            return found
        answer = await self.snapshot(full)
        await self.loop_reader.open()  # for the next request, if it was missing
        return answer

    @staticmethod
    async def compute(fn: Callable[[], T]) -> T:
        """``fn()`` in a worker thread: CPU work (parsing, language detection) that would hold up the loop."""
        return await to_thread.run_sync(fn)

    async def write(self, fn: Callable[[writes.Write], T], *, actor: str) -> T:
        """``fn(w)`` in a worker thread, as one write of the domain's write path."""
        def run() -> T:
            return writes.run(self.engine, fn, actor=actor, audit_key=self.audit_key)
        return await to_thread.run_sync(run, limiter=self._writes)

    async def health(self, *, timeout: float) -> dict[str, Any]:
        """Whether the database answers a read and would accept a write, within ``timeout`` seconds.

        The write is checked with a statement that would write (and touches no
        row) in a transaction that is rolled back, asked not to wait for any
        lock: a read-only file or server refuses it at once, and a database busy
        with another write is writable (it says so). A database that does not
        answer in time is reported as such; the thread asking it is left to give
        up on its own timeouts.
        """
        sqlite = self.engine.dialect.name == "sqlite"

        def probe() -> dict[str, Any]:
            with database_errors(self.engine):
                raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                with database_errors(self.engine):
                    cursor.execute("SELECT 1")
                    raw.rollback()
                try:
                    with database_errors(self.engine):
                        if sqlite:
                            cursor.execute("PRAGMA busy_timeout=0")
                            cursor.execute("BEGIN")
                        cursor.execute("DELETE FROM audit_checkpoint WHERE 1 = 0")
                except Unavailable as exc:
                    return {"readable": True, "writable": isinstance(exc, Busy), "detail": exc.message}
                finally:
                    raw.rollback()
                    if sqlite:
                        cursor.execute(f"PRAGMA busy_timeout={int(self.settings.db_lock_timeout * 1000)}")
                return {"readable": True, "writable": True, "detail": None}
            finally:
                raw.close()

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
        self.loop_reader.drop()
        self.engine.dispose()
