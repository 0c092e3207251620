"""Engines and sessions.

SQLite gets the pragmas it needs to behave like a real database (foreign keys,
WAL, a busy timeout); every engine shares one naming convention so that
Alembic's batch mode can drop constraints by name on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from provenance.settings import Settings


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; for SQLite, creates the file's folder and sets pragmas."""
    if url.startswith("sqlite"):
        path = Settings(database_url=url).sqlite_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


# Read pages through a memory map rather than read() calls into each connection's
# own small cache: every pooled connection shares the operating system's copy.
_SQLITE_MMAP_BYTES = 1 << 30


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute(f"PRAGMA mmap_size={_SQLITE_MMAP_BYTES}")
    try:
        cur.execute("PRAGMA journal_mode=WAL")
    except Exception:  # in-memory databases refuse WAL; nothing to do
        pass
    cur.close()


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit when the block succeeds, roll back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# Every session that writes keeps the stored graph and lineage answers of what it changed (listeners on Session).
from provenance import answers as _answers  # noqa: E402,F401
