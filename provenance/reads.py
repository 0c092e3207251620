"""The hottest read queries (graph, lineage) as plain SQL on the driver's cursor.

A graph or a lineage (with the lookup of its quote or rendition, and the audit
version that keys the API's cache) is a handful of small indexed queries.
Through the ORM session each cost ~35 us of Python around ~9 us of database
work, and an ``IN (...)`` list compiled afresh on every call cost more again;
that overhead was most of a lineage answer. Here each view is two queries that
join what used to take five (drift summaries included), written once as SQL
both SQLite and PostgreSQL accept, and run on a DBAPI cursor: of the session's
own connection, so they see its transaction (flushed first) like any other
query, or of a read-only :class:`Snapshot` when there is no session.

Rows come back as named tuples with the same attribute names as the models and
their types (parsed JSON, booleans), except that datetimes and dates are
already the ISO 8601 strings the views write (``views.iso`` takes both).
"""

from __future__ import annotations

import json
import re
from collections import namedtuple
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy.engine import Engine
from sqlmodel import Session

from provenance.vocabulary import SEVERITIES

_DATETIMES = frozenset({"created_at", "published_at", "retrieved_at"})
_DATES = frozenset({"said_on"})
_JSON = frozenset({"scores"})
_BOOLS = frozenset({"language_mismatch"})
_BYTES = frozenset({"body"})

_RENDITION_COLUMNS = ("id", "quote_id", "key", "text", "language", "detected_language", "detected_confidence",
                      "detection_method", "language_mismatch", "text_hash", "status", "source_id", "url", "byline",
                      "published_at", "retrieved_at", "note", "created_at")
_EDGE_COLUMNS = ("id", "quote_id", "child_id", "parent_id", "relation", "translator_kind", "translator_name",
                 "evidence", "link_basis", "created_at")

# Every edge on a path from an origin to :rid (plain UNION: terminates even on a cycle that slipped in).
_ANCESTORS = """WITH RECURSIVE anc(edge_id, node) AS (
    SELECT id, parent_id FROM derivation WHERE child_id = :rid
    UNION
    SELECT d.id, d.parent_id FROM derivation d JOIN anc ON d.child_id = anc.node)
"""


#: A finding that is current: a human one, or a machine one of the hop's analysis version.
_CURRENT = ("(f.origin = 'human' OR f.analyzer_version = a.analyzer_version"
            " OR (a.analyzer_version IS NULL AND f.analyzer_version IS NULL))")
#: A machine finding whose latest review (by fingerprint: reviews survive re-analysis) dismissed it.
#: (COALESCE: with no review the subquery is NULL, and NOT of a NULL comparison would drop the finding.)
_DISMISSED = ("(f.origin = 'machine' AND COALESCE((SELECT rv.verdict FROM review rv WHERE rv.derivation_id = d.id"
              " AND rv.fingerprint = f.fingerprint ORDER BY rv.created_at DESC, rv.id DESC LIMIT 1), '') = 'dismissed')")


def _count(severity: str) -> str:
    """Current findings of one severity, less the dismissed ones (they no longer colour a hop)."""
    return (f"(SELECT count(*) FROM finding f WHERE f.derivation_id = d.id AND f.severity = '{severity}'"
            f" AND {_CURRENT} AND NOT {_DISMISSED}) AS n_{severity}")


_COUNT_DISMISSED = (f"(SELECT count(*) FROM finding f WHERE f.derivation_id = d.id AND {_CURRENT} AND {_DISMISSED})"
                    " AS n_dismissed")


_GLOSSES = "SELECT g.id, g.rendition_id, g.language, g.text, g.author, g.created_at FROM gloss g"
_RENDITIONS = ("SELECT " + ", ".join(f"r.{c}" for c in _RENDITION_COLUMNS)
               + ", s.name AS source_name, s.kind AS source_kind, s.home_url AS source_home_url"
               " FROM rendition r LEFT JOIN source s ON s.id = r.source_id")
_EDGES = ("SELECT " + ", ".join(f"d.{c}" for c in _EDGE_COLUMNS)
          + ", a.id AS analysis_id, a.analyzer_version, a.basis, a.scores, "
          + ", ".join([*(_count(s) for s in SEVERITIES), _COUNT_DISMISSED])
          + " FROM derivation d LEFT JOIN hop_analysis a ON a.derivation_id = d.id")

QUERIES = {
    "quote_by_ref": "SELECT id, slug, speaker, speaker_role, occasion, place, said_on, original_language, summary,"
                    " created_at FROM quote WHERE id = :ref OR slug = :ref",
    "rendition_by_id": "SELECT id, quote_id FROM rendition WHERE id = :ref",
    "rendition_by_slug_key": "SELECT r.id, r.quote_id FROM rendition r JOIN quote q ON q.id = r.quote_id"
                             " WHERE q.slug = :slug AND r.key = :key",
    "audit_version": "SELECT max(seq) AS version FROM audit_event",
    "stored_answer": "SELECT body, version FROM stored_answer WHERE kind = :kind AND key = :key",
    "stored_answers": "SELECT key, body, version FROM stored_answer WHERE kind = :kind AND key IN ({ids})",
    "quote_renditions": f"{_RENDITIONS} WHERE r.quote_id = :qid ORDER BY r.created_at, r.key {{binary}}",
    "quote_edges": f"{_EDGES} WHERE d.quote_id = :qid ORDER BY d.created_at, d.id {{binary}}",
    "quote_glosses": f"{_GLOSSES} JOIN rendition r ON r.id = g.rendition_id WHERE r.quote_id = :qid"
                     " ORDER BY g.created_at, g.id {binary}",
    "path_renditions": f"{_ANCESTORS}{_RENDITIONS} WHERE r.id IN (SELECT node FROM anc UNION SELECT :rid)",
    "path_edges": f"{_ANCESTORS}{_EDGES} WHERE d.id IN (SELECT edge_id FROM anc)",
    "path_glosses": f"{_ANCESTORS}{_GLOSSES} WHERE g.rendition_id IN (SELECT node FROM anc UNION SELECT :rid)"
                    " ORDER BY g.created_at, g.id {binary}",
    # the same rows picked by id ({ids} is a list of placeholders, see fetch_in)
    "renditions_by_id": f"{_RENDITIONS} WHERE r.id IN ({{ids}})",
    "edges_by_id": f"{_EDGES} WHERE d.id IN ({{ids}})",
    "glosses_by_rendition_id": f"{_GLOSSES} WHERE g.rendition_id IN ({{ids}}) ORDER BY g.created_at, g.id {{binary}}",
    # what trace weighs of a candidate: its words, their language, and what ranks and groups it
    "trace_candidates": "SELECT id, text, language, quote_id, status FROM rendition WHERE id IN ({ids})",
    "quotes_by_id": "SELECT id, slug, speaker, speaker_role, occasion, place, said_on, original_language, summary,"
                    " created_at FROM quote WHERE id IN ({ids})",
    # every rendition at or below these (a plain UNION: terminates even on a cycle that slipped in)
    "subtree": "WITH RECURSIVE below(id) AS (SELECT id FROM rendition WHERE id IN ({ids}) UNION"
               " SELECT d.child_id FROM derivation d JOIN below ON d.parent_id = below.id)"
               " SELECT r.id, r.quote_id FROM rendition r JOIN below ON below.id = r.id",
    "edge_children": "SELECT child_id FROM derivation WHERE id IN ({ids})",
    "stored_pieces_by_ref": "SELECT q.id AS quote_id, a.kind, a.sort_key, a.version, a.body FROM quote q"
                            " JOIN stored_answer a ON a.quote_id = q.id AND a.kind IN ('quote', 'node', 'edge')"
                            " WHERE q.id = :ref OR q.slug = :ref",
    "stored_quote_versions": "SELECT key, version FROM stored_answer WHERE kind = 'quote' AND key IN ({ids})",
    "stale_quotes": "SELECT q.id FROM quote q WHERE NOT EXISTS (SELECT 1 FROM stored_answer a WHERE"
                    " a.kind = 'quote' AND a.key = q.id AND a.version = :version) ORDER BY q.id",
}


#: How each database orders text by code point, as Python does: stored answers are sorted in Python
#: and must come out in the order the live queries give.
_BINARY = {"postgresql": 'COLLATE "C"', "sqlite": "COLLATE BINARY"}


def _paramstyle(sql: str, dialect: str) -> str:
    """``:name`` (sqlite3) -> ``%(name)s`` (psycopg); the SQL above has no other colon or percent sign."""
    sql = sql.replace("{binary}", _BINARY.get(dialect, ""))
    return re.sub(r":(\w+)", r"%(\1)s", sql) if dialect == "postgresql" else sql


_SQL: dict[tuple[str, str], str] = {}
_ROW_MAKERS: dict[tuple[str, ...], Callable[[tuple[Any, ...]], Any]] = {}


def _iso_utc(value: Any) -> str | None:
    """ISO 8601 in UTC, as ``views.iso`` writes the models' UTCDateTime values.

    SQLite holds SQLAlchemy's layout, UTC without an offset
    (``2024-11-01 14:00:00.000000``): rewritten as a string, ~5x cheaper than
    parsing it and formatting it again, and a lineage has some thirty of them.
    PostgreSQL gives aware datetimes.
    """
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            return f"{value[:10]}T{value[11:19] if value.endswith('.000000') else value[11:]}+00:00"
        value = datetime.fromisoformat(value)
    return (value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)).isoformat()


def _iso_date(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else value.isoformat()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value  # SQLite: text; psycopg parses json itself


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)  # SQLite: 0/1


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else bytes(value)  # psycopg gives bytea as a memoryview


def _row_maker(columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], Any]:
    """A function from a driver's row to a named tuple, converting the columns that need it."""
    convert = {**dict.fromkeys(_DATETIMES, _iso_utc), **dict.fromkeys(_DATES, _iso_date),
               **dict.fromkeys(_JSON, _json), **dict.fromkeys(_BOOLS, _bool),
               **dict.fromkeys(_BYTES, _bytes)}
    row_type = namedtuple("Row", columns)  # type: ignore[misc]
    converters = [(i, convert[c]) for i, c in enumerate(columns) if c in convert]

    def make(raw: tuple[Any, ...]) -> Any:
        values = list(raw)
        for i, f in converters:
            values[i] = f(values[i])
        return row_type(*values)

    return make


class Snapshot:
    """A read-only transaction on a pooled driver connection, for answers that read and never write.

    A session costs more to open, join and commit (~40 us) than a graph's
    queries take to run. A snapshot checks a connection out of the engine's
    pool, opens a transaction so that every query of one answer sees the same
    state (SQLite would otherwise give each SELECT its own), and rolls back.
    """

    def __init__(self, engine: Engine, connection: Any = None) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._given = connection  # a driver connection the caller keeps (api/db.py's loop reader), or a pooled one

    def __enter__(self) -> "Snapshot":
        self.connection = self._given if self._given is not None else self.engine.raw_connection()
        if self.dialect == "sqlite":  # the sqlite3 module begins transactions only before writes
            try:
                self._driver().execute("BEGIN")
            except BaseException:
                self._release()
                raise
        return self

    def _driver(self) -> Any:
        return getattr(self.connection, "driver_connection", self.connection)

    def __exit__(self, *exc: object) -> None:
        try:
            self.connection.rollback()
        finally:
            self._release()

    def _release(self) -> None:
        if self._given is None:
            self.connection.close()  # back to the pool


Source = Session | Snapshot


def fetch_in(source: Source, name: str, ids: Iterable[str], *, query: str | None = None,
             **params: Any) -> list[NamedTuple]:
    """Run a query of :data:`QUERIES` (or ``query``, named ``name``) that takes a list of ids (``{ids}``), a few
    hundred ids at a time."""
    ids = sorted(set(ids))
    out: list[NamedTuple] = []
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start:start + _IN_CHUNK]
        marks = ", ".join(f":id{i}" for i in range(len(chunk)))
        out += run(source, f"{name}/{len(chunk)}", (query or QUERIES[name]).replace("{ids}", marks),
                   {**params, **{f"id{i}": v for i, v in enumerate(chunk)}})
    return out


_IN_CHUNK = 500


def fetch(source: Source, name: str, **params: Any) -> list[NamedTuple]:
    """Run one of :data:`QUERIES` in a session's transaction (flushed first) or a snapshot.

    Rows have model-like attributes and types.
    """
    return run(source, name, QUERIES[name], params)


def dialect(source: Source) -> str:
    """The database's dialect name ("sqlite", "postgresql") behind a session or a snapshot."""
    return source.dialect if isinstance(source, Snapshot) else source.get_bind().dialect.name


def database(source: Source) -> str:
    """Which database a session or a snapshot reads, as its URL: a key for what is remembered per database."""
    return str(source.engine.url if isinstance(source, Snapshot) else source.get_bind().url)


def run(source: Source, name: str, query: str, params: dict[str, Any]) -> list[NamedTuple]:
    """Run ``query`` (``:name`` parameters, ``{binary}`` for the code-point collation) by its ``name``: a module's
    own statement that :data:`QUERIES` does not hold, such as a database's full-text search."""
    if isinstance(source, Snapshot):
        dbapi, dialect = source.connection, source.dialect
    else:
        source.flush()
        connection = source.connection()
        dbapi, dialect = connection.connection, connection.dialect.name
    sql = _SQL.get((name, dialect))
    if sql is None:
        sql = _SQL[(name, dialect)] = _paramstyle(query, dialect)
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql, params)
        columns = tuple(d[0] for d in cursor.description)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    make = _ROW_MAKERS.get(columns)
    if make is None:
        make = _ROW_MAKERS[columns] = _row_maker(columns)
    return [make(raw) for raw in rows]
