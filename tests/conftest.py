"""Fixtures: real databases, migrated by Alembic (never ``create_all``).

Every database test runs twice, on SQLite (a fresh file) and on PostgreSQL (a
schema of its own, dropped afterwards, so nothing is left in the shared
database). Outside CI an unreachable PostgreSQL skips its half with one line;
with ``CI=true`` it is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from provenance import migrate, writes
from provenance.db import make_engine
from provenance.settings import Settings
from provenance.writes import Write

pytest_plugins = ["tests.support.libre_server"]

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("PROVENANCE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

_pg_state: dict[str, object] = {}


def postgres_reason() -> str | None:
    """None when PostgreSQL answers; otherwise why not (checked once per run)."""
    if "reason" not in _pg_state:
        try:
            eng = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
            with eng.connect() as conn:
                conn.execute(text("select 1"))
            eng.dispose()
            _pg_state["reason"] = None
        except Exception as exc:  # any failure to connect is the same answer: not reachable
            _pg_state["reason"] = f"PostgreSQL not reachable at {POSTGRES_URL}: {str(exc).splitlines()[0]}"
    return _pg_state["reason"]  # type: ignore[return-value]


def require_postgres() -> None:
    reason = postgres_reason()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run; start the server or set "
                    "PROVENANCE_TEST_POSTGRES_URL)", pytrace=False)
    pytest.skip(reason)


#: The secret that signs the audit log's head in every test database (the service reads PROVENANCE_AUDIT_KEY).
TEST_AUDIT_KEY = "test-audit-key"


@dataclass
class Database:
    """A migrated, empty database for one test."""

    kind: str
    url: str
    engine: Engine

    @property
    def settings(self) -> Settings:
        return Settings(database_url=self.url, audit_key=TEST_AUDIT_KEY, rate_limit_per_minute=100_000)

    @contextmanager
    def write(self, actor: str = "test") -> Iterator[Write]:
        """One write through the domain's write path, committed when the block ends."""
        with writes.write(self.engine, actor=actor, audit_key=TEST_AUDIT_KEY.encode()) as w:
            yield w


def _sqlite_database(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'provenance.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    yield Database("sqlite", url, engine)
    engine.dispose()


def postgres_schema_url(schema: str) -> str:
    """The test URL with a search_path option, so every connection lands in ``schema``."""
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A PostgreSQL schema of its own, empty, as a URL whose connections land in it; dropped afterwards."""
    require_postgres()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield postgres_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _postgres_database() -> Iterator[Database]:
    with postgres_schema() as url:
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                migrate.upgrade(url, connection=conn)
            yield Database("postgres", url, engine)
        finally:
            engine.dispose()


@pytest.fixture(name="fx_db", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fixture_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        yield from _sqlite_database(tmp_path)
    else:
        yield from _postgres_database()


@pytest.fixture(name="fx_sqlite")
def fixture_sqlite(tmp_path: Path) -> Iterator[Database]:
    yield from _sqlite_database(tmp_path)


@pytest.fixture(name="fx_engine")
def fixture_engine(fx_db: Database) -> Engine:
    return fx_db.engine


@pytest.fixture(name="fx_seeded")
def fixture_seeded(fx_db: Database) -> Database:
    """A database holding the founding chain."""
    from provenance import chain

    with fx_db.write() as w:
        chain.import_document(w, chain.founding_document())
    return fx_db
