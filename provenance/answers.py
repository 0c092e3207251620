"""Stored answers: each quote's graph and each rendition's lineage, kept as the JSON the API serves.

Graph and lineage are the reads API clients make most, and building one costs
two recursive queries and a few hundred microseconds of Python, more than the
rest of a request. Writes are rare by comparison, so every transaction that
changes a quote (its renditions, derivations, analyses or findings) rebuilds
that quote's answers before it commits, from the same rows the live views
read: a read is then one primary-key lookup, in any process, right after a
restart, with nothing in memory.

The rebuild runs in the writer's transaction, so an answer never shows a
state that was rolled back, and it is never older than its quote: a session
that changed a tracked table cannot commit without it. Writers do not
overlap: every write records an audit event, and on PostgreSQL the audit log
makes a writing transaction wait for the one before it to end
(``audit.record``), so the later one rebuilds from rows that include the
earlier one's. Anything not found stored (a database written before this table
existed, until ``provenance db upgrade`` stores what is missing) is built
live, with the same result.

What is tracked: ORM writes to quotes, renditions, derivations, hop analyses,
findings and sources (through the session's ``new``, ``dirty`` and
``deleted``). A bulk ``UPDATE``/``DELETE`` statement is invisible to that;
the one the code issues (replacing a hop's machine findings) always comes
with a new or changed ``HopAnalysis`` for the same hop, which is tracked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import msgspec
from sqlalchemy import delete, event, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession, SessionTransaction
from sqlmodel import Session, col

from provenance import lineage, reads, views
from provenance.models import Derivation, Finding, HopAnalysis, Quote, Rendition, Source, StoredAnswer

# A lineage holds every ancestor's text, so a quote's lineages grow with the square of a chain's depth
# (a 200-deep chain: ~250 ms and tens of MB per write). Past this size a quote's remaining lineages are
# not stored, and are built live when read, as for a database from before this table.
MAX_STORED_BYTES_PER_QUOTE = 8 << 20

_TABLE = StoredAnswer.__table__  # type: ignore[attr-defined]
_TOUCHED = "provenance.answers.touched"
_encode = msgspec.json.Encoder().encode


def build(db: reads.Source, quote_id: str) -> list[tuple[str, str, bytes]]:
    """``(kind, key, body)`` for the quote's graph and the lineage of each of its renditions; none if it is gone.

    Lineages stop once the quote's answers pass :data:`MAX_STORED_BYTES_PER_QUOTE`.

    Two queries for the whole quote: a lineage takes the quote's rows and
    ignores what is not its ancestry, with the same result as
    :func:`views.lineage_view`.
    """
    quote = next(iter(reads.fetch(db, "quote_by_ref", ref=quote_id)), None)
    if quote is None or quote.id != quote_id:
        return []
    renditions = reads.fetch(db, "quote_renditions", qid=quote_id)
    edges = reads.fetch(db, "quote_edges", qid=quote_id)
    by_id = {r.id: r for r in renditions}
    out = [("graph", quote_id, _encode(views.graph_from_rows(quote, renditions, edges)))]
    size = len(out[0][2])
    for r in renditions:
        if size > MAX_STORED_BYTES_PER_QUOTE:
            break
        out.append(("lineage", r.id, _encode(views.lineage_from_rows(r.id, by_id, edges))))
        size += len(out[-1][2])
    return out


def store(session: Session, quote_ids: Iterable[str]) -> int:
    """Rebuild the stored answers of these quotes in the session's transaction; returns how many were written."""
    ids = sorted(set(quote_ids))
    if not ids:
        return 0
    version = reads.fetch(session, "audit_version")[0].version
    rows = [{"kind": kind, "key": key, "quote_id": qid, "body": body, "audit_seq": version}
            for qid in ids for kind, key, body in build(session, qid)]
    session.execute(delete(_TABLE).where(_TABLE.c.quote_id.in_(ids)))
    if rows:
        session.execute(insert(_TABLE), rows)
    return len(rows)


def store_missing(engine: Engine, *, batch: int = 500,
                  progress: Callable[[int, int], None] | None = None) -> int:
    """Store the answers of every quote that has none yet (a database from before this table); returns how many quotes.

    ``progress(done, total)`` is called after each batch, each batch its own transaction.
    """
    with Session(engine) as session:
        missing = [row.id for row in reads.fetch(session, "unstored_quotes")]
    for start in range(0, len(missing), batch):
        with Session(engine) as session:
            store(session, missing[start:start + batch])
            session.commit()
        if progress is not None:
            progress(min(start + batch, len(missing)), len(missing))
    return len(missing)


# ---------------------------------------------------------------- reads

def graph_json(db: reads.Source, ref: str) -> bytes:
    """A quote's graph (by id or slug) as JSON: stored, or built live when it is not stored (NotFound for none)."""
    found = reads.fetch(db, "stored_graph_by_ref", ref=ref)
    if found:
        return next((r for r in found if r.id == ref), found[0]).body  # an id wins over another quote's slug
    return _encode(views.graph(db, lineage.quote_row(db, ref)))


def lineage_json(db: reads.Source, ref: str) -> bytes:
    """A rendition's lineage (by id or SLUG:KEY) as JSON: stored, or built live (NotFound for none)."""
    body = _stored(db, "lineage", ref)
    if body is None and ":" in ref:  # ids have no colon: a SLUG:KEY, looked up only when not stored under itself
        ref = lineage.rendition_row(db, ref).id
        body = _stored(db, "lineage", ref)
    return body if body is not None else _encode(views.lineage_view(db, ref))


def _stored(db: reads.Source, kind: str, key: str) -> bytes | None:
    found = reads.fetch(db, "stored_answer", kind=kind, key=key)
    return found[0].body if found else None  # type: ignore[attr-defined]


# ---------------------------------------------------------------- tracking writes

def _touched(session: Session) -> dict[str, set[str]]:
    return session.info.setdefault(_TOUCHED, {"quote": set(), "derivation": set(), "source": set()})


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    touched = _touched(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Quote):
            touched["quote"].add(obj.id)
        elif isinstance(obj, (Rendition, Derivation)):
            touched["quote"].add(obj.quote_id)
        elif isinstance(obj, (HopAnalysis, Finding)):
            touched["derivation"].add(obj.derivation_id)
        elif isinstance(obj, Source) and obj not in session.new:  # a new source is in no answer yet
            touched["source"].add(obj.id)


def _quotes_touched(session: Session, touched: dict[str, set[str]]) -> set[str]:
    quotes = set(touched["quote"])
    if touched["derivation"]:
        quotes.update(session.execute(select(Derivation.quote_id)
                                      .where(col(Derivation.id).in_(touched["derivation"]))).scalars())
    if touched["source"]:
        quotes.update(session.execute(select(Rendition.quote_id)
                                      .where(col(Rendition.source_id).in_(touched["source"]))).scalars())
    return quotes


def _before_commit(session: Session) -> None:
    if not session.info.get(_TOUCHED):
        return
    session.flush()  # may track more
    touched = session.info.pop(_TOUCHED)
    store(session, _quotes_touched(session, touched))


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost one, committed or not: a savepoint keeps what came before it
        session.info.pop(_TOUCHED, None)


event.listen(OrmSession, "before_flush", _before_flush)
event.listen(OrmSession, "before_commit", _before_commit)
event.listen(OrmSession, "after_transaction_end", _after_transaction_end)

__all__ = ["build", "store", "store_missing", "graph_json", "lineage_json"]
