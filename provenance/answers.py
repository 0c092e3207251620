"""Stored answers: a quote's graph and a rendition's lineage, kept as the JSON the API serves.

Graph and lineage are the reads API clients make most, and building one costs
recursive queries and a few hundred microseconds of Python, more than the rest
of a request; writes are rare by comparison. So each write stores, in its own
transaction, the pieces of answers that depend on what it changed
(``provenance.writes`` calls :func:`refresh` as an explicit step, under the
writer lock):

- a quote's graph is stored in pieces: one for the quote, one per rendition
  (a node), one per derivation (an edge). A read takes the quote's pieces in
  one query and joins them; a write rewrites only the pieces of the records it
  changed, so its cost does not grow with the quote;
- a rendition's lineage is stored whole; a write rebuilds the lineages of the
  renditions at and below what it changed (a new rendition: its own; an
  analysed or newly linked hop: its child's and those below it).

Every piece carries :data:`VERSION`, derived from the code that builds the
answers; a piece of another version is never served (the answer is built live
instead), and ``provenance db upgrade`` rebuilds what a new release changed
(:func:`rebuild_stale`). A quote whose current ``quote`` piece exists has all
its pieces current: a write to a quote without one rebuilds the whole quote.
Anything not stored is built live, with the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session

from provenance import lineage, reads, views
from provenance.models import StoredAnswer

if TYPE_CHECKING:
    from provenance.writes import Touched

_TABLE = StoredAnswer.__table__  # type: ignore[attr-defined]
_encode = msgspec.json.Encoder().encode

#: A lineage holds every ancestor's text along every path, so it can grow with the square of a chain's
#: depth; one larger than this is not stored but built when read.
MAX_LINEAGE_BYTES = 1 << 20
#: More renditions of one quote than this to rebuild in one write: read the whole quote's rows once
#: instead of each lineage's own.
WHOLE_QUOTE_FROM = 8


def _version() -> str:
    """A digest of the modules whose code shapes an answer: any change to them is a new version."""
    digest = hashlib.sha256()
    for module in ("answers.py", "views.py", "reads.py", "vocabulary.py", "lineage.py"):
        digest.update(resources.files("provenance").joinpath(module).read_bytes())
    return digest.hexdigest()[:16]


VERSION = _version()


# ---------------------------------------------------------------- building pieces

def _stamp(value: str | None) -> str:
    """A creation time as fixed-width digits, so pieces sort as the live queries order their rows."""
    return datetime.fromisoformat(value).strftime("%Y%m%d%H%M%S%f") if value else ""


def _node_sort(r: Any) -> str:
    return f"{_stamp(r.created_at)} {r.key}"


def _edge_sort(e: Any) -> str:
    return f"{_stamp(e.created_at)} {e.id}"


def _piece(kind: str, key: str, quote_id: str, body: bytes, sort_key: str = "") -> dict[str, Any]:
    return {"kind": kind, "key": key, "quote_id": quote_id, "sort_key": sort_key, "version": VERSION, "body": body}


def _lineage_piece(rendition: Any, renditions: dict[str, Any], edges: list[Any],
                   glosses: dict[str, list[Any]]) -> dict[str, Any] | None:
    body = _encode(views.lineage_from_rows(rendition.id, renditions, edges, glosses))
    return None if len(body) > MAX_LINEAGE_BYTES else _piece("lineage", rendition.id, rendition.quote_id, body)


def whole_quote(db: reads.Source, quote_id: str) -> list[dict[str, Any]]:
    """Every piece of one quote: quote, nodes, edges and lineages, from four queries over the quote."""
    found = reads.fetch_in(db, "quotes_by_id", [quote_id])
    if not found:
        return []
    renditions = reads.fetch(db, "quote_renditions", qid=quote_id)
    edges = reads.fetch(db, "quote_edges", qid=quote_id)
    glosses = views.glosses_by_rendition(reads.fetch(db, "quote_glosses", qid=quote_id))
    by_id = {r.id: r for r in renditions}
    pieces = [_piece("quote", quote_id, quote_id, _encode(views.quote_view(found[0])))]
    pieces += [_piece("node", r.id, quote_id, _encode(views.node_from_row(r)), _node_sort(r)) for r in renditions]
    pieces += [_piece("edge", e.id, quote_id, _encode(views.edge_from_row(e)), _edge_sort(e)) for e in edges]
    for r in renditions:
        piece = _lineage_piece(r, by_id, edges, glosses)
        if piece is not None:
            pieces.append(piece)
    return pieces


def refresh(session: Session, touched: "Touched") -> int:
    """Rewrite the pieces that depend on what a write touched; returns how many were written.

    Called by :meth:`provenance.writes.Write.finish` under the writer lock,
    after the write's own rows are flushed.
    """
    session.flush()
    roots = set(touched.renditions) | set(touched.below)
    if touched.edges:
        roots.update(r.child_id for r in reads.fetch_in(session, "edge_children", touched.edges))
    below = reads.fetch_in(session, "subtree", roots) if roots else []
    quotes = set(touched.quotes) | {r.quote_id for r in below}
    if touched.edges:
        edge_rows = reads.fetch_in(session, "edges_by_id", touched.edges)
        quotes.update(e.quote_id for e in edge_rows)
    else:
        edge_rows = []
    current = {r.key for r in reads.fetch_in(session, "stored_quote_versions", quotes) if r.version == VERSION}
    whole = {q for q in quotes if q not in current or q in touched.quotes}
    pieces: list[dict[str, Any]] = []
    for q in sorted(whole):
        pieces += whole_quote(session, q)
    node_rows = reads.fetch_in(session, "renditions_by_id", touched.renditions) if touched.renditions else []
    pieces += [_piece("node", r.id, r.quote_id, _encode(views.node_from_row(r)), _node_sort(r))
               for r in node_rows if r.quote_id not in whole]
    pieces += [_piece("edge", e.id, e.quote_id, _encode(views.edge_from_row(e)), _edge_sort(e))
               for e in edge_rows if e.quote_id not in whole]
    pieces += _lineages(session, [r for r in below if r.quote_id not in whole])
    gone = [("edge", e) for e in touched.removed_edges]
    gone += [("lineage", r.id) for r in below if r.quote_id not in whole]  # a lineage too large to keep is dropped
    _replace(session, pieces, gone, whole)
    return len(pieces)


def _lineages(session: Session, renditions: list[Any]) -> list[dict[str, Any]]:
    by_quote: dict[str, list[Any]] = {}
    for r in renditions:
        by_quote.setdefault(r.quote_id, []).append(r)
    pieces = []
    for quote_id, members in by_quote.items():
        if len(members) > WHOLE_QUOTE_FROM:
            rows = reads.fetch(session, "quote_renditions", qid=quote_id)
            edges = reads.fetch(session, "quote_edges", qid=quote_id)
            glosses = views.glosses_by_rendition(reads.fetch(session, "quote_glosses", qid=quote_id))
            by_id = {r.id: r for r in rows}
            wanted = [by_id[m.id] for m in members if m.id in by_id]
            pieces += [p for r in wanted if (p := _lineage_piece(r, by_id, edges, glosses)) is not None]
            continue
        for m in members:
            rows = {x.id: x for x in reads.fetch(session, "path_renditions", rid=m.id)}
            if m.id not in rows:
                continue
            piece = _lineage_piece(rows[m.id], rows, reads.fetch(session, "path_edges", rid=m.id),
                                   views.glosses_by_rendition(reads.fetch(session, "path_glosses", rid=m.id)))
            if piece is not None:
                pieces.append(piece)
    return pieces


def _replace(session: Session, pieces: list[dict[str, Any]], gone: list[tuple[str, str]], whole: set[str]) -> None:
    """Delete the pieces about to be written (and ``gone``), then insert ``pieces``.

    Deletes go by quote for quotes rebuilt whole, and otherwise by kind and a
    list of keys: both use an index (a list of ``(kind, key)`` pairs would make
    SQLite scan the whole table, on every write).
    """
    if whole:
        ordered = sorted(whole)
        for start in range(0, len(ordered), 400):
            session.execute(delete(_TABLE).where(_TABLE.c.quote_id.in_(ordered[start:start + 400])))
    by_kind: dict[str, set[str]] = {}
    for kind, key, quote_id in [(p["kind"], p["key"], p["quote_id"]) for p in pieces] + [(k, v, "") for k, v in gone]:
        if quote_id not in whole:
            by_kind.setdefault(kind, set()).add(key)
    for kind, keys in sorted(by_kind.items()):
        ordered = sorted(keys)
        for start in range(0, len(ordered), 400):
            session.execute(delete(_TABLE).where(_TABLE.c.kind == kind, _TABLE.c.key.in_(ordered[start:start + 400])))
    if pieces:
        session.execute(insert(_TABLE), pieces)


def rebuild_stale(engine: Engine, *, batch: int = 200, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every quote whose pieces are missing or of another version; returns how many quotes.

    Each batch of quotes is its own transaction; ``progress(done, total)`` is
    called after each.
    """
    from provenance.db import lock_writers, transaction

    with transaction(engine) as session:
        stale = [row.id for row in reads.fetch(session, "stale_quotes", version=VERSION)]
    for start in range(0, len(stale), batch):
        ids = stale[start:start + batch]
        with transaction(engine) as session:
            lock_writers(session)  # no write refreshes these quotes meanwhile
            pieces = [p for q in ids for p in whole_quote(session, q)]
            _replace(session, pieces, [], set(ids))
        if progress is not None:
            progress(min(start + batch, len(stale)), len(stale))
    return len(stale)


# ---------------------------------------------------------------- reads

def stored_graph(db: reads.Source, ref: str) -> bytes | None:
    """A quote's graph (by id or slug) joined from its stored pieces, or None when they are not all current."""
    rows = reads.fetch(db, "stored_pieces_by_ref", ref=ref)
    if not rows:
        return None
    quote_id = ref if any(r.quote_id == ref for r in rows) else rows[0].quote_id  # an id wins over a slug
    mine = [r for r in rows if r.quote_id == quote_id]
    head = [r for r in mine if r.kind == "quote"]
    if not head or any(r.version != VERSION for r in mine):
        return None
    nodes = sorted((r for r in mine if r.kind == "node"), key=lambda r: r.sort_key)
    edges = sorted((r for r in mine if r.kind == "edge"), key=lambda r: r.sort_key)
    return b"".join((b'{"quote":', head[0].body, b',"nodes":[', b",".join(r.body for r in nodes),
                     b'],"edges":[', b",".join(r.body for r in edges), b"]}"))


def graph_json(db: reads.Source, ref: str) -> bytes:
    """A quote's graph (by id or slug) as JSON: joined from its stored pieces, or built live (NotFound for none)."""
    stored = stored_graph(db, ref)
    return stored if stored is not None else _encode(views.graph(db, lineage.quote_row(db, ref)))


def stored_lineage(db: reads.Source, ref: str) -> bytes | None:
    """A rendition's stored lineage (by id or SLUG:KEY), or None when it is not stored at this version."""
    body = _stored(db, "lineage", ref)
    if body is None and ":" in ref:  # ids have no colon: a SLUG:KEY, looked up only when not stored under itself
        found = reads.fetch(db, "rendition_by_slug_key", slug=ref.split(":", 1)[0], key=ref.split(":", 1)[1])
        if found:
            body = _stored(db, "lineage", found[0].id)  # type: ignore[attr-defined]
    return body


def lineage_json(db: reads.Source, ref: str) -> bytes:
    """A rendition's lineage (by id or SLUG:KEY) as JSON: stored, or built live (NotFound for none)."""
    body = stored_lineage(db, ref)
    if body is not None:
        return body
    if ":" in ref:
        ref = lineage.rendition_row(db, ref).id
    return _encode(views.lineage_view(db, ref))


def lineages_json(db: reads.Source, rendition_ids: list[str]) -> dict[str, bytes]:
    """:func:`lineage_json` of several renditions by id, their stored answers read in one query (a trace
    shows several)."""
    found = {r.key: r.body for r in reads.fetch_in(db, "stored_answers", rendition_ids, kind="lineage")  # type: ignore[attr-defined]
             if r.version == VERSION}  # type: ignore[attr-defined]
    return {rid: found[rid] if rid in found else lineage_json(db, rid) for rid in rendition_ids}


def _stored(db: reads.Source, kind: str, key: str) -> bytes | None:
    found = reads.fetch(db, "stored_answer", kind=kind, key=key)
    if found and found[0].version == VERSION:  # type: ignore[attr-defined]
        return found[0].body  # type: ignore[attr-defined]
    return None


__all__ = ["VERSION", "refresh", "whole_quote", "rebuild_stale", "graph_json", "lineage_json", "lineages_json",
           "stored_graph", "stored_lineage"]
