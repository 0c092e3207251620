"""Read-side shapes shared by the API, the CLI, the exports and the web page.

Plain dicts of JSON types, so every face of the product shows the same facts
the same way (statuses, machine labels, drift summaries).
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, select as sa_select
from sqlmodel import Session, col, select

from provenance import lineage, reads
from provenance.documents import control_character
from provenance.errors import InvalidInput, NotFound
from provenance.models import Derivation, Finding, Gloss, HopAnalysis, Quote, Rendition, Review, Source
from provenance.vocabulary import SEVERITIES, STATUS_MEANING

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES, start=1)}
MAX_PAGE = 200


def _build_statements() -> dict[str, Any]:
    """Drift summaries by id, as Core statements built once (graph, lineage and renditions use :mod:`reads`).

    Views only read, so they take rows (the columns as attributes, like the
    models) rather than model instances, at about a third of the cost.
    """
    a, f, r = (m.__table__ for m in (HopAnalysis, Finding, Review))  # type: ignore[attr-defined]
    ids = bindparam("ids", expanding=True)
    return {
        "analyses": sa_select(a.c.derivation_id, a.c.analyzer_version, a.c.basis, a.c.scores)
        .where(a.c.derivation_id.in_(ids)),
        "findings": sa_select(f.c.derivation_id, f.c.severity, f.c.origin, f.c.analyzer_version, f.c.fingerprint,
                              func.count())
        .where(f.c.derivation_id.in_(ids))
        .group_by(f.c.derivation_id, f.c.severity, f.c.origin, f.c.analyzer_version, f.c.fingerprint),
        # a hop's reviews, oldest first: the latest verdict on a fingerprint is the one that holds
        "reviews": sa_select(r.c.derivation_id, r.c.fingerprint, r.c.verdict)
        .where(r.c.derivation_id.in_(ids)).order_by(r.c.created_at, r.c.id),
    }


_STATEMENTS: dict[str, Any] = {}


def _rows(session: Session, name: str, **params: Any) -> list[Any]:
    if not _STATEMENTS:
        _STATEMENTS.update(_build_statements())
    return lineage.fetch_rows(session, _STATEMENTS[name], params)


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int, kinds: tuple[type, ...] | None = None) -> list[Any]:
    """The values a cursor from :func:`encode_cursor` holds, checked: ``size`` of them, of ``kinds`` when given.

    A cursor comes back from a client, so it is input like any other: anything
    but what this service gave out (other JSON, a huge number, a control
    character) is a 422, never a query.
    """
    refused = InvalidInput("the cursor is not one this service gave out: pass back `next_cursor` unchanged",
                           field_errors=[{"field": "cursor", "message": "unknown cursor"}])
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, RecursionError):
        raise refused from None
    if not isinstance(values, list) or len(values) != size:
        raise refused
    for value, kind in zip(values, kinds or ()):
        if not isinstance(value, kind) or isinstance(value, bool):
            raise refused
        if isinstance(value, str) and (len(value) > 200 or control_character(value)):
            raise refused
        if isinstance(value, int) and not 0 < value < 2**63:
            raise refused
    return values


# ---------------------------------------------------------------- single records

def iso(value: datetime | date | str | None) -> str | None:
    """ISO 8601 of a model's datetime or date; rows from :mod:`reads` carry that string already."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def source_view(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {"id": source.id, "name": source.name, "kind": source.kind, "home_url": source.home_url}


def rendition_view(r: Rendition, source: Source | None = None, glosses: list[Gloss] | None = None) -> dict[str, Any]:
    return {
        "id": r.id, "quote_id": r.quote_id, "key": r.key, "text": r.text, "language": r.language,
        "detected_language": {"language": r.detected_language, "confidence": r.detected_confidence,
                              "method": r.detection_method, "origin": "machine"} if r.text else None,
        "language_mismatch": r.language_mismatch, "text_hash": r.text_hash,
        "status": r.status, "status_meaning": STATUS_MEANING[r.status],
        "source": source_view(source), "url": r.url, "byline": r.byline,
        "published_at": iso(r.published_at),
        "retrieved_at": iso(r.retrieved_at),
        "note": r.note, "created_at": iso(r.created_at),
        "glosses": [{"id": g.id, "language": g.language, "text": g.text, "author": g.author, "origin": "human"}
                    for g in (glosses or [])],
    }


def rendition_sources(session: Session, quote: Quote) -> dict[str, dict[str, Any]]:
    """What an editor checks about where each rendition of ``quote`` comes from, by rendition id.

    The outlet, its address, byline, publication and retrieval times and the
    rendition's note; for a claimed or reconstructed rendition also who claims
    it, and how: each rendition derived from it with the evidence of that link
    ("according to an AFP report"). The quote page, the hop page and the
    Markdown report all show these, from here.
    """
    renditions, edges = lineage.quote_graph(session, quote)
    keys = {r.id: r.key for r in renditions}
    ids = {r.source_id for r in renditions if r.source_id}
    sources = {s.id: s for s in session.exec(select(Source).where(col(Source.id).in_(ids))).all()} if ids else {}
    claimed_by: dict[str, list[dict[str, Any]]] = {}
    for e in edges:
        claimed_by.setdefault(e.parent_id, []).append({"key": keys.get(e.child_id), "id": e.child_id,
                                                       "relation": e.relation, "evidence": e.evidence,
                                                       "link": e.link_basis})
    out = {}
    for r in renditions:
        source = sources.get(r.source_id or "")
        out[r.id] = {"key": r.key, "status": r.status, "status_meaning": STATUS_MEANING[r.status],
                     "outlet": source.name if source else None, "outlet_kind": source.kind if source else None,
                     "url": r.url, "byline": r.byline, "published_at": iso(r.published_at),
                     "retrieved_at": iso(r.retrieved_at), "note": r.note,
                     "claimed_by": claimed_by.get(r.id, []) if r.status != "attested" else []}
    return out


def quote_view(q: Quote) -> dict[str, Any]:
    return {"id": q.id, "slug": q.slug, "speaker": q.speaker, "speaker_role": q.speaker_role, "occasion": q.occasion,
            "place": q.place, "said_on": iso(q.said_on),
            "original_language": q.original_language, "summary": q.summary, "created_at": iso(q.created_at)}


def hop_summary(session: Session, edge: Derivation) -> dict[str, Any]:
    """What a lineage or graph shows about one hop's drift, without the alignment."""
    return hop_summaries(session, [edge])[edge.id]


def hop_summaries(session: Session, edges: list[Derivation]) -> dict[str, dict[str, Any]]:
    """:func:`hop_summary` for many hops in two queries, whatever their number.

    A hop's current findings are the human ones and the machine ones of its
    latest analysis's version (those with no version when it was never analysed),
    less the machine findings a person dismissed: a dismissed finding no longer
    colours the graph nor counts toward a quote's worst drift.
    """
    ids = list({e.id for e in edges})
    if not ids:
        return {}
    analyses = {a.derivation_id: a for a in _rows(session, "analyses", ids=ids)}
    verdicts = {(d, fp): v for d, fp, v in _rows(session, "reviews", ids=ids)}
    counts: dict[str, dict[str, int]] = {i: {} for i in ids}
    dismissed: dict[str, int] = {i: 0 for i in ids}
    for derivation_id, severity, origin, version, fingerprint, n in _rows(session, "findings", ids=ids):
        analysis = analyses.get(derivation_id)
        if origin == "human" or version == (analysis.analyzer_version if analysis else None):
            if origin == "machine" and verdicts.get((derivation_id, fingerprint)) == "dismissed":
                dismissed[derivation_id] += int(n)
                continue
            counts[derivation_id][severity] = counts[derivation_id].get(severity, 0) + int(n)
    return {i: _summary(analyses.get(i), counts[i], dismissed[i]) for i in ids}


def analysis_status(hops: list[dict[str, Any]]) -> dict[str, Any]:
    """A quote's drift at a glance from its hops' summaries: how far it was analysed, and its worst current drift.

    ``analysis`` is ``not analysed`` (no hop analysed yet: "no findings" would
    be a claim nobody checked), ``partly analysed``, ``analysed``, or ``no
    hops``; ``worst_severity`` counts the hops' current machine findings and
    people's notes, dismissed findings left out.
    """
    done = sum(1 for h in hops if h["analyzed"])
    state = "no hops" if not hops else "analysed" if done == len(hops) else "partly analysed" if done else "not analysed"
    worst = max((h["worst_severity"] for h in hops if h["worst_severity"]), key=SEVERITY_RANK.__getitem__, default=None)
    return {"analysis": state, "hops": len(hops), "hops_analysed": done, "worst_severity": worst}


def _summary(analysis: Any, counts: dict[str, int], dismissed: int) -> dict[str, Any]:
    """A hop's drift summary from its analysis (or None), its current findings counted by severity and the
    number of them a person dismissed (left out of the counts)."""
    by_severity = {s: counts.get(s, 0) for s in SEVERITIES}
    worst = max((s for s, n in by_severity.items() if n), key=SEVERITY_RANK.__getitem__, default=None)
    return {"analyzed": analysis is not None,
            "analyzer_version": analysis.analyzer_version if analysis else None,
            "basis": analysis.basis if analysis else None,
            "scores": analysis.scores if analysis else {},
            "findings_by_severity": by_severity, "worst_severity": worst, "dismissed": dismissed}


def _row_summary(row: Any) -> dict[str, Any]:
    """:func:`_summary` of an edge row from :mod:`provenance.reads`, which carries its analysis and counts."""
    return _summary(row if row.analysis_id is not None else None,
                    {s: getattr(row, f"n_{s}") for s in SEVERITIES}, row.n_dismissed)


def _row_source(row: Any) -> dict[str, Any] | None:
    """:func:`source_view` of a rendition row from :mod:`provenance.reads`, which carries its source."""
    if row.source_id is None:
        return None
    return {"id": row.source_id, "name": row.source_name, "kind": row.source_kind, "home_url": row.source_home_url}


def derivation_view(edge: Derivation, *, session: Session | None = None,
                    summary: dict[str, Any] | None = None) -> dict[str, Any]:
    """An edge; with a session (or a summary from :func:`hop_summaries`), its drift summary too."""
    view = {"id": edge.id, "quote_id": edge.quote_id, "child_id": edge.child_id, "parent_id": edge.parent_id,
            "relation": edge.relation, "translator": {"kind": edge.translator_kind, "name": edge.translator_name},
            "evidence": edge.evidence, "link": edge.link_basis, "created_at": iso(edge.created_at)}
    if summary is not None:
        view["drift"] = summary
    elif session is not None:
        view["drift"] = hop_summary(session, edge)
    return view


# ---------------------------------------------------------------- composites

def quote_detail(session: Session, quote: Quote) -> dict[str, Any]:
    renditions, edges = lineage.quote_graph(session, quote)
    shown = rendition_views(session, [r.id for r in renditions])
    drift = hop_summaries(session, edges)
    return {**quote_view(quote),
            "renditions": [shown[r.id] for r in renditions],
            "derivations": [derivation_view(e, summary=drift[e.id]) for e in edges]}


def rendition_detail(session: Session, r: Rendition) -> dict[str, Any]:
    return rendition_details(session, [r])[r.id]


def rendition_views(db: reads.Source, ids: list[str]) -> dict[str, dict[str, Any]]:
    """:func:`rendition_view` of each rendition, with its source and glosses, by id, in two queries for any
    number of them (a trace shows several); ``db`` is a session or a read-only :class:`reads.Snapshot`."""
    glosses = glosses_by_rendition(reads.fetch_in(db, "glosses_by_rendition_id", ids))
    return {r.id: {**rendition_view(r, glosses=glosses.get(r.id)), "source": _row_source(r)}
            for r in reads.fetch_in(db, "renditions_by_id", ids)}


def rendition_details(session: Session, renditions: list[Rendition]) -> dict[str, dict[str, Any]]:
    """:func:`rendition_views` with each rendition's parents (and their drift) and children, by id, in the
    same few queries for any number of them."""
    ids = [r.id for r in renditions]
    if not ids:
        return {}
    out = rendition_views(session, ids)
    edges = session.exec(select(Derivation).where(or_(col(Derivation.child_id).in_(ids),
                                                       col(Derivation.parent_id).in_(ids)))
                         .order_by(col(Derivation.created_at), col(Derivation.id))).all()
    drift = hop_summaries(session, [e for e in edges if e.child_id in set(ids)])
    for r in renditions:
        out[r.id]["parents"] = [derivation_view(e, summary=drift[e.id]) for e in edges if e.child_id == r.id]
        out[r.id]["children"] = [derivation_view(e) for e in edges if e.parent_id == r.id]
    return out


def graph(db: reads.Source, quote: Quote) -> dict[str, Any]:
    """Nodes and edges of a quote's graph; ``db`` is a session or a read-only :class:`reads.Snapshot`."""
    return graph_from_rows(quote, reads.fetch(db, "quote_renditions", qid=quote.id),
                           reads.fetch(db, "quote_edges", qid=quote.id))


def graph_from_rows(quote: Any, renditions: list[Any], edges: list[Any]) -> dict[str, Any]:
    """:func:`graph` from the rows of ``reads`` queries ``quote_renditions`` and ``quote_edges`` (their order kept)."""
    return {"quote": quote_view(quote), "nodes": [node_from_row(r) for r in renditions],
            "edges": [edge_from_row(e) for e in edges]}


def node_from_row(r: Any) -> dict[str, Any]:
    """One node of a graph, from a rendition row of :mod:`provenance.reads` (which carries its source)."""
    return {"id": r.id, "key": r.key, "language": r.language, "status": r.status, "source": _row_source(r),
            "published_at": iso(r.published_at), "text": r.text, "language_mismatch": r.language_mismatch}


def edge_from_row(e: Any) -> dict[str, Any]:
    """One edge of a graph, from a derivation row of :mod:`provenance.reads` (which carries its drift)."""
    return {**derivation_view(e, summary=_row_summary(e)), "source": e.parent_id, "target": e.child_id}


def lineage_view(db: reads.Source, rendition_id: str) -> dict[str, Any]:
    """Every path from an origin to a rendition, each hop with its scores and findings count by severity.

    ``db`` is a session or a read-only :class:`reads.Snapshot`. The rendition's
    own row comes with its ancestors', so an unknown id is found out (NotFound)
    without a query of its own.
    """
    renditions = {x.id: x for x in reads.fetch(db, "path_renditions", rid=rendition_id)}
    if rendition_id not in renditions:
        raise NotFound(f"no rendition with id or SLUG:KEY '{rendition_id}'")
    return lineage_from_rows(rendition_id, renditions, reads.fetch(db, "path_edges", rid=rendition_id),
                             glosses_by_rendition(reads.fetch(db, "path_glosses", rid=rendition_id)))


def glosses_by_rendition(rows: list[Any]) -> dict[str, list[Any]]:
    """Gloss rows (``reads`` queries ``*_glosses``, in their order) grouped by the rendition they translate."""
    out: dict[str, list[Any]] = {}
    for g in rows:
        out.setdefault(g.rendition_id, []).append(g)
    return out


def lineage_from_rows(rendition_id: str, renditions: dict[str, Any], edges: list[Any],
                      glosses: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """:func:`lineage_view` from rendition rows by id, edge rows covering every ancestor of ``rendition_id``,
    and the renditions' glosses.

    Edges and renditions beyond its ancestry are ignored, so the rows of a
    whole quote give each of its renditions' lineages (``answers`` does that).
    """
    glosses = glosses or {}
    r = renditions[rendition_id]
    out = []
    for p in lineage.paths_from_edges(r.id, edges):
        hops = [{**derivation_view(e, summary=_row_summary(e)),
                 "parent_key": renditions[e.parent_id].key, "child_key": renditions[e.child_id].key}
                for e in p.edges]
        out.append({"renditions": [{**rendition_view(renditions[i], glosses=glosses.get(i)),
                                    "source": _row_source(renditions[i])}
                                   for i in p.rendition_ids],
                    "hops": hops, **path_drift(hops)})
    return {"rendition_id": r.id, "quote_id": r.quote_id, "paths": out}


def path_drift(hops: list[dict[str, Any]]) -> dict[str, Any]:
    """Drift accumulated from the origin along one path, and the first hop where a major change entered."""
    cumulative, total, first = [], 0.0, None
    for hop in hops:
        drift = hop["drift"]
        total += float(drift["scores"].get("drift", 0) or 0)
        cumulative.append(round(total, 3))
        if first is None and drift["worst_severity"] in ("major", "critical"):
            first = {"derivation_id": hop["id"], "parent_key": hop["parent_key"], "child_key": hop["child_key"],
                     "worst_severity": drift["worst_severity"]}
    analysed = all(h["drift"]["analyzed"] for h in hops)
    return {"cumulative_drift": cumulative, "first_divergence": first, "fully_analyzed": analysed}


def list_quotes(session: Session, *, q: str | None = None, speaker: str | None = None, language: str | None = None,
                status: str | None = None, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """A page of quotes, newest first, filtered; ``next_cursor`` continues it."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", field_errors=[{"field": "limit", "message": "out of range"}])
    stmt = select(Quote)
    if q:
        like = f"%{q.lower()}%"
        sub = select(Rendition.quote_id).where(func.lower(Rendition.text).like(like))
        stmt = stmt.where(or_(func.lower(Quote.slug).like(like), func.lower(Quote.summary).like(like),
                              func.lower(Quote.speaker).like(like), col(Quote.id).in_(sub)))
    if speaker:
        stmt = stmt.where(func.lower(Quote.speaker).like(f"%{speaker.lower()}%"))
    if language:
        stmt = stmt.where(col(Quote.id).in_(select(Rendition.quote_id).where(Rendition.language == language)))
    if status:
        stmt = stmt.where(col(Quote.id).in_(select(Rendition.quote_id).where(Rendition.status == status)))
    if cursor:
        slug, qid = decode_cursor(cursor, 2, (str, str))
        stmt = stmt.where(or_(col(Quote.slug) > slug, (col(Quote.slug) == slug) & (col(Quote.id) > qid)))
    rows = list(session.exec(stmt.order_by(col(Quote.slug), col(Quote.id)).limit(limit + 1)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    items = []
    edges: dict[str, list[Derivation]] = {q.id: [] for q in rows}
    for e in session.exec(select(Derivation).where(col(Derivation.quote_id).in_(list(edges)))).all():
        edges[e.quote_id].append(e)
    summaries = hop_summaries(session, [e for es in edges.values() for e in es])
    for quote in rows:
        langs = sorted(set(session.exec(select(Rendition.language).where(Rendition.quote_id == quote.id)).all()))
        hops = [summaries[e.id] for e in edges[quote.id]]
        items.append({**quote_view(quote), "languages": langs, **analysis_status(hops)})
    return {"items": items, "next_cursor": encode_cursor(rows[-1].slug, rows[-1].id) if more and rows else None}
