"""Engines, transactions, and what a database failure means to a person.

Every connection is bounded in time: a connect timeout (a server that accepts
and never answers is given up on), a statement timeout and a lock timeout (a
write waiting behind another gives up and says so). SQLite gets the pragmas it
needs to behave like a real database (foreign keys, WAL, a busy wait).

Transactions come in two kinds. A **write** on SQLite begins with
``BEGIN IMMEDIATE``: it takes the database's write lock before its first read,
so what it checks (that a link closes no cycle, that a key is free) cannot
change before it commits. A **read** begins an ordinary deferred transaction
and never waits for writers (WAL). On PostgreSQL both are READ COMMITTED;
writes serialise where they must with row locks (``provenance.writes``).

Driver errors that mean "not now" rather than "wrong" (unreachable, timed out,
busy, read-only) become :class:`~provenance.errors.Unavailable`, a 503 with a
retry time, instead of an unexplained 500.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import event, exc as sa_exc, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from provenance.errors import Busy, Unavailable
from provenance.settings import Settings

# Read pages through a memory map rather than read() calls into each connection's
# own small cache: every pooled connection shares the operating system's copy.
_SQLITE_MMAP_BYTES = 1 << 30
_WRITE = "provenance_write"

#: Connections per process: enough for the API's read and write threads (``api/db.py``).
POOL_SIZE = 10
POOL_OVERFLOW = 10


def make_engine(url: str, settings: Settings | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the timeouts of ``settings``; for SQLite, creates the file's folder."""
    settings = settings or Settings(database_url=url)
    if url.startswith("sqlite"):
        path = Settings(database_url=url).sqlite_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": settings.db_lock_timeout})
    elif url.startswith("postgresql"):
        kwargs.setdefault("connect_args", {
            "connect_timeout": max(2, round(settings.db_connect_timeout)),  # libpq's smallest useful value is 2
            # a server that stops answering mid-query: give up on the socket instead of waiting for TCP's minutes
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
            "tcp_user_timeout": int((settings.db_statement_timeout + 10) * 1000),
        })
        kwargs.setdefault("pool_size", POOL_SIZE)
        kwargs.setdefault("max_overflow", POOL_OVERFLOW)
    kwargs.setdefault("pool_timeout", settings.db_lock_timeout)
    engine = create_engine(url, **kwargs)
    engine.lock_timeout = settings.db_lock_timeout  # type: ignore[attr-defined]  # for writer_turn
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_connect(settings))
        event.listen(engine, "begin", _sqlite_begin)
    elif url.startswith("postgresql"):
        event.listen(engine, "connect", _postgres_connect(settings))
    return engine


def _sqlite_connect(settings: Settings) -> Any:
    busy_ms = int(settings.db_lock_timeout * 1000)

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver emits no BEGIN of its own: _sqlite_begin does
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        cur.execute(f"PRAGMA mmap_size={_SQLITE_MMAP_BYTES}")
        try:
            cur.execute("PRAGMA journal_mode=WAL")
        except Exception:  # in-memory and read-only databases refuse WAL; nothing to do
            pass
        cur.close()

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    if not conn.get_execution_options().get(_WRITE):
        conn.exec_driver_sql("BEGIN")
        return
    _begin_immediate(conn, getattr(conn.engine, "lock_timeout", 5.0))


def _begin_immediate(conn: Any, timeout: float) -> None:
    """``BEGIN IMMEDIATE``, asked again every millisecond or two until it has the lock or ``timeout`` passes.

    SQLite's own busy wait sleeps longer and longer (up to 100 ms a time):
    a writer of another process that just finished starts its next write while
    the waiters sleep, again and again, and a waiter can lose for longer than
    the timeout while writes pass every few milliseconds. Asked this often, a
    waiter is there when the lock comes free (``writer_turn`` keeps one asker
    per process). Then "database is locked", which is a 503 with a retry time.
    """
    driver = conn.connection.driver_connection
    deadline = time.monotonic() + timeout
    driver.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(random.uniform(0.0005, 0.002))
    finally:
        driver.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")


def _postgres_connect(settings: Settings) -> Any:
    statement_ms = int(settings.db_statement_timeout * 1000)
    lock_ms = int(settings.db_lock_timeout * 1000)

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(f"SET statement_timeout = {statement_ms}")
        cur.execute(f"SET lock_timeout = {lock_ms}")
        # a transaction left open by a stuck client must not hold its locks for ever
        cur.execute(f"SET idle_in_transaction_session_timeout = {max(statement_ms, 60_000)}")
        cur.close()
        dbapi_conn.commit()

    return on_connect


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading: a deferred transaction, ended (rolled back) when the block ends.

    Closing rather than rolling back keeps what was loaded readable after the
    block (a rollback would expire it).
    """
    with database_errors(engine), Session(engine, expire_on_commit=False) as session:
        yield session


#: PostgreSQL advisory lock key ("prov"): held by a write from its last steps to its commit (provenance.writes).
WRITER_LOCK = 0x70726F76


def lock_writers(session: Session) -> None:
    """Queue behind every other write until this transaction ends (PostgreSQL; SQLite writes queue already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})


def begin_write(session: Session) -> None:
    """Start ``session``'s transaction as a write (SQLite: ``BEGIN IMMEDIATE``, waiting up to the lock timeout)."""
    session.connection(execution_options={_WRITE: True})


_SQLITE_WRITERS: dict[str, threading.Lock] = {}


@contextmanager
def writer_turn(engine: Engine) -> Iterator[None]:
    """SQLite: one write at a time in this process, before any asks the database for its write lock.

    SQLite's own wait for its lock is a loop of sleeps that favours no one:
    with many writers at once, one can lose every round for longer than the
    lock timeout while others pass. Queued here first, a process's writers
    take turns, and only one per process meets the others at SQLite's lock.
    Waiting longer than the lock timeout is :class:`Busy`. PostgreSQL queues
    waiters itself.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    lock = _SQLITE_WRITERS.setdefault(str(engine.url), threading.Lock())
    timeout = getattr(engine, "lock_timeout", 5.0)
    if not lock.acquire(timeout=timeout):
        raise Busy(f"{_describe(engine)} is busy with other writes (waited {timeout:g} s); retry in a moment",
                   retry_after=2)
    try:
        yield
    finally:
        lock.release()


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work on the raw tables: commit when the block succeeds, roll back when it raises.

    For maintenance that is not a record of the domain (migrations' helpers,
    stored answers); records are written through :func:`provenance.writes.write`.
    """
    with database_errors(engine), writer_turn(engine), Session(engine, expire_on_commit=False) as session:
        begin_write(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# ---------------------------------------------------------------- failures

#: PostgreSQL error codes that mean "try again shortly": lock or statement timeout, deadlock, serialization.
PG_BUSY = {"55P03": "it waited too long for a lock held by another write",
           "57014": "a statement ran past the statement timeout",
           "40P01": "it deadlocked with another write",
           "40001": "it conflicted with another write"}
PG_READ_ONLY = {"25006"}


def retryable(exc: BaseException) -> bool:
    """A failure that the same transaction, run again, may not meet: a deadlock or a serialization failure."""
    orig = getattr(exc, "orig", None)
    code = getattr(getattr(orig, "diag", None), "sqlstate", None) or getattr(orig, "sqlstate", None)
    return code in ("40P01", "40001")  # SQLite's busy wait already retried for the whole lock timeout


def unavailable(exc: BaseException, engine: Engine | None = None) -> Unavailable | None:
    """The :class:`Unavailable` a driver error stands for, or None when it is a bug or a bad input."""
    where = _describe(engine)
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return Busy(f"every connection to {where} is in use; retry in a moment", retry_after=2)
    if not isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.InternalError)):
        return None
    orig = getattr(exc, "orig", None)
    text = str(orig or exc).strip().splitlines()[0] if str(orig or exc).strip() else type(exc).__name__
    code = getattr(getattr(orig, "diag", None), "sqlstate", None) or getattr(orig, "sqlstate", None)
    if code in PG_BUSY:
        return Busy(f"{where} did not complete the request: {PG_BUSY[code]}; retry in a moment", retry_after=2)
    if code in PG_READ_ONLY or "readonly database" in text or "read-only" in text:
        return Unavailable(f"{where} is read-only: nothing can be written until it is writable again",
                           retry_after=30)
    if "database is locked" in text or "database is busy" in text:
        return Busy(f"{where} is busy with another write; retry in a moment", retry_after=2)
    if code is not None and not code.startswith(("08", "53", "57", "58")):
        return None  # a statement PostgreSQL refused: a bug or a bad input, not an outage
    if "no such table" in text or "does not exist" in text:
        return None
    return Unavailable(f"cannot use {where}: {text[:200]}", retry_after=5)


def _describe(engine: Engine | None) -> str:
    if engine is None:
        return "the database"
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"the database {url.database or ':memory:'}"
    return f"the database {url.database} on {url.host or 'localhost'}:{url.port or 5432}"


@contextmanager
def database_errors(engine: Engine | None = None) -> Iterator[None]:
    """Turn an outage, a timeout or a busy lock into :class:`Unavailable` (503); let everything else through.

    A driver's own error (raised where SQLAlchemy does not wrap it: a ``begin``
    event, a raw connection) is read the same way as SQLAlchemy's.
    """
    try:
        yield
    except (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.InternalError, sa_exc.TimeoutError) as exc:
        mapped = unavailable(exc, engine)
        if mapped is None:
            raise
        raise mapped from exc
    except (sqlite3.OperationalError, psycopg.OperationalError) as exc:
        mapped = unavailable(sa_exc.OperationalError(None, None, exc), engine)
        if mapped is None:
            raise
        raise mapped from exc
