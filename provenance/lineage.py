"""Graph operations on renditions: add, refuse cycles, ancestors, descendants.

Ancestors and descendants are computed in the database with recursive CTEs over
the derivation edges, so their cost grows with the depth of the chain and not
with the size of the database. The CTEs use plain ``UNION`` over ids, which
terminates even if a cycle ever slipped in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, or_, select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from provenance import audit, reads
from provenance.errors import Conflict, InvalidInput, LineageCycle, NotFound
from provenance.langid import Detection, detect_language, language_mismatch
from provenance.models import Derivation, Gloss, Quote, Rendition, Source
from provenance.texts import normalize_text, text_hash

if TYPE_CHECKING:
    from provenance.writes import Write


# ---------------------------------------------------------------- lookups

def get_quote(session: Session, ref: str) -> Quote:
    """A quote by its id or its slug."""
    # one query for both ways of naming it; an id wins over another quote's equal slug
    found = session.exec(select(Quote).where(or_(Quote.id == ref, Quote.slug == ref))).all()
    quote = next((q for q in found if q.id == ref), found[0] if found else None)
    if quote is None:
        raise NotFound(f"no quote with id or slug '{ref}'")
    return quote


def get_rendition(session: Session, ref: str) -> Rendition:
    """A rendition by its id or by ``SLUG:KEY``."""
    rendition = session.get(Rendition, ref)
    if rendition is None and ":" in ref:
        slug, key = ref.split(":", 1)
        rendition = session.exec(
            select(Rendition).join(Quote, col(Quote.id) == col(Rendition.quote_id))
            .where(Quote.slug == slug, Rendition.key == key)
        ).first()
    if rendition is None:
        raise NotFound(f"no rendition with id or SLUG:KEY '{ref}'")
    return rendition


def quote_row(source: reads.Source, ref: str) -> Any:
    """:func:`get_quote` as a read-only row (the columns as attributes), for views that only read."""
    found = reads.fetch(source, "quote_by_ref", ref=ref)
    row = next((r for r in found if r.id == ref), found[0] if found else None)
    if row is None:
        raise NotFound(f"no quote with id or slug '{ref}'")
    return row


def rendition_row(source: reads.Source, ref: str) -> Any:
    """:func:`get_rendition` as a read-only row of its ids (``id``, ``quote_id``), for views that only read."""
    found = reads.fetch(source, "rendition_by_id", ref=ref)
    if not found and ":" in ref:
        slug, key = ref.split(":", 1)
        found = reads.fetch(source, "rendition_by_slug_key", slug=slug, key=key)
    if not found:
        raise NotFound(f"no rendition with id or SLUG:KEY '{ref}'")
    return found[0]


def get_derivation(session: Session, *, child_id: str, parent_id: str | None = None) -> Derivation:
    """The edge into ``child``; with one parent, ``parent_id`` may be left out."""
    q = select(Derivation).where(Derivation.child_id == child_id)
    if parent_id is not None:
        q = q.where(Derivation.parent_id == parent_id)
    edges = session.exec(q).all()
    if not edges:
        what = f"from parent '{parent_id}' " if parent_id else ""
        raise NotFound(f"rendition '{child_id}' has no derivation {what}(it may be an origin)")
    if len(edges) > 1:
        raise InvalidInput(f"rendition '{child_id}' has {len(edges)} parents: name one with parent_id",
                           field_errors=[{"field": "parent_id", "message": "required when a rendition has several parents"}])
    return edges[0]


# ---------------------------------------------------------------- writes
# One function per kind of record, each taking the Write it belongs to (``provenance.writes``): it checks,
# inserts, records the audit event and says what changed, so every face of the product writes alike.

def add_quote(w: Write, *, slug: str, speaker: str, original_language: str, speaker_role: str | None = None,
              occasion: str | None = None, place: str | None = None, said_on: Any = None,
              summary: str | None = None) -> Quote:
    """Record a quote; a slug already taken is a 409 naming the quote that holds it."""
    quote = Quote(slug=slug, speaker=speaker, speaker_role=speaker_role, occasion=occasion, place=place,
                  said_on=said_on, original_language=original_language, summary=summary)

    def taken() -> Conflict | None:
        other = w.session.exec(select(Quote).where(Quote.slug == slug)).first()
        return None if other is None else slug_taken(other)

    existing = taken()
    if existing is not None:
        raise existing
    w.insert(quote, conflict=taken)
    w.new_quotes.add(quote.id)
    w.record(action="quote.create", entity_type="quote", entity_id=quote.id,
             state=audit.state_of(w.session, "quote", quote))
    w.touch(quote=quote.id)
    return quote


def slug_taken(other: Quote) -> Conflict:
    return Conflict(f"a quote with the slug '{other.slug}' is already recorded (id {other.id}, {other.speaker}); "
                    "pick another slug, or add renditions to the recorded quote",
                    field_errors=[{"field": "slug", "message": "already taken"}], existing_id=other.id)


def get_or_create_source(w: Write, *, name: str, kind: str = "other", home_url: str | None = None) -> Source:
    """The source with this name, recorded now if it is new (two writers naming it at once share one)."""
    def existing() -> Source | None:
        return w.session.exec(select(Source).where(Source.name == name)).first()

    source = w.sources.get(name) or existing()
    if source is None:
        created = Source(name=name, kind=kind, home_url=home_url)
        source = w.insert(created, conflict=existing)
        if source is created:  # not the one another writer recorded at the same moment
            w.record(action="source.create", entity_type="source", entity_id=source.id,
                     state=audit.state_of(w.session, "source", source))
    w.sources[name] = source
    return source


def add_rendition(w: Write, *, quote: Quote, key: str, language: str, status: str, text: str | None,
                  source: Source | None = None, detection: Detection | None = None, **fields: Any) -> Rendition:
    """Record a rendition; detects its language (unless given) and flags a confident disagreement.

    A key already used in the quote is a 409 naming the rendition that holds it.
    """
    new = w.is_new(quote.id)
    if not new:
        w.lock_quote(quote.id)

    def taken() -> Conflict | None:
        other = w.session.exec(select(Rendition).where(Rendition.quote_id == quote.id, Rendition.key == key)).first()
        if other is None:
            return None
        return Conflict(f"quote '{quote.slug}' already has a rendition with key '{key}' (id {other.id}): pick "
                        "another key", field_errors=[{"field": "key", "message": "must be unique within the quote"}],
                        existing_id=other.id)

    existing = None if new else taken()
    if existing is not None:
        raise existing
    rendition = Rendition(quote_id=quote.id, key=key, language=language, status=status, text=text,
                          source_id=source.id if source else None, **fields)
    if text is not None:
        rendition.text_hash = text_hash(text)
        detection = detection or detect_language(normalize_text(text))
        rendition.detected_language = detection.language
        rendition.detected_confidence = detection.confidence
        rendition.detection_method = detection.method
        rendition.language_mismatch = language_mismatch(language, detection)
    if new:
        w.session.add(rendition)
    else:
        w.insert(rendition, conflict=taken)
    w.record(action="rendition.create", entity_type="rendition", entity_id=rendition.id,
             state=audit.state_of(w.session, "rendition", rendition))
    if not new:  # a new quote's answers are built whole when the write ends
        w.touch(rendition=rendition.id)
    return rendition


def add_gloss(w: Write, *, rendition: Rendition, language: str, text: str, author: str) -> Gloss:
    """A person's translation of a rendition; the same text in the same language twice is a 409."""
    if rendition.text is None:
        raise InvalidInput(f"rendition '{rendition.key}' has no text to gloss")
    new = w.is_new(rendition.quote_id)
    if not new:
        w.lock_quote(rendition.quote_id)
    digest = text_hash(text)

    def taken() -> Conflict | None:
        other = w.session.exec(select(Gloss).where(Gloss.rendition_id == rendition.id, Gloss.language == language,
                                                   Gloss.text_hash == digest)).first()
        if other is None:
            return None
        return Conflict(f"rendition '{rendition.key}' already has this gloss in {language} (id {other.id}, by "
                        f"{other.author})", field_errors=[{"field": "text", "message": "already recorded"}],
                        existing_id=other.id)

    existing = None if new else taken()
    if existing is not None:
        raise existing
    gloss = Gloss(rendition_id=rendition.id, language=language, text=text, text_hash=digest, author=author)
    if new:
        w.settle(rendition)
        w.session.add(gloss)
    else:
        gloss = w.insert(gloss, conflict=taken)
    w.record(action="gloss.create", entity_type="gloss", entity_id=gloss.id,
             state=audit.state_of(w.session, "gloss", gloss))
    if not new:
        w.touch(below=rendition.id)  # glosses show in the lineages of the rendition and of those below it
    return gloss


def add_derivation(w: Write, *, child: Rendition, parent: Rendition, relation: str,
                   translator_kind: str = "unknown", translator_name: str | None = None,
                   evidence: str | None = None, link_basis: str = "stated") -> Derivation:
    """Link ``child`` to ``parent``; refuses self-links, cross-quote links, cycles and a link made twice.

    The quote is locked before the cycle check, so two links made at the same
    moment (A -> B and B -> A) are checked one after the other: one wins, the
    other is refused as a cycle.
    """
    if child.quote_id != parent.quote_id:
        raise InvalidInput(f"rendition '{child.key}' and rendition '{parent.key}' belong to different quotes; "
                           "a derivation links renditions of one quote",
                           field_errors=[{"field": "parent_id", "message": "must be a rendition of the child's quote"}])
    new = w.is_new(child.quote_id)
    if not new:
        w.lock_quote(child.quote_id)

    def taken() -> Conflict | None:
        other = w.session.exec(select(Derivation).where(Derivation.child_id == child.id,
                                                        Derivation.parent_id == parent.id)).first()
        if other is None:
            return None
        return Conflict(f"'{child.key}' is already derived from '{parent.key}' (derivation {other.id})",
                        field_errors=[{"field": "parent_id", "message": "already linked"}], existing_id=other.id)

    existing = taken() if not new else (None if (child.id, parent.id) not in w.new_edges else Conflict(
        f"'{child.key}' is already derived from '{parent.key}' (derivation {w.new_edges[(child.id, parent.id)]})",
        field_errors=[{"field": "parent_id", "message": "already linked"}]))
    if existing is not None:
        raise existing
    if _closes_cycle(w, child=child, parent=parent, new=new):
        raise LineageCycle(f"linking '{child.key}' ({child.id}) as derived from '{parent.key}' ({parent.id}) would "
                           f"close a cycle: '{parent.key}' already descends from '{child.key}'",
                           child_id=child.id, parent_id=parent.id)

    edge = Derivation(quote_id=child.quote_id, child_id=child.id, parent_id=parent.id, relation=relation,
                      translator_kind=translator_kind, translator_name=translator_name, evidence=evidence,
                      link_basis=link_basis)
    if new:
        w.settle(child, parent)
        w.session.add(edge)
        w.new_edges[(child.id, parent.id)] = edge.id
        w.new_links.setdefault(parent.id, set()).add(child.id)
    else:
        edge = w.insert(edge, conflict=taken)
    w.record(action="derivation.create", entity_type="derivation", entity_id=edge.id,
             state=audit.state_of(w.session, "derivation", edge))
    if not new:
        w.touch(edge=edge.id)
    return edge


#: What a correction may change: where a rendition comes from, never its words (a text correction is a
#: new rendition linked by a ``revision``).
CORRECTABLE = ("url", "byline", "published_at", "retrieved_at", "note")


def correct_rendition(w: Write, *, rendition: Rendition, changes: dict[str, Any], source: str | None = None,
                      source_kind: str = "other") -> Rendition:
    """Correct a rendition's record of where it comes from (source, address, byline, times, note).

    The text stays as it was recorded (its hash is its identity); a field set to
    None is cleared. The whole new state is in the audit log as ``rendition.update``,
    beside the ``rendition.create`` that recorded the old one.
    """
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise InvalidInput(f"{', '.join(unknown)} cannot be corrected: the text is immutable (record the corrected "
                           "text as a new rendition with a `revision` link) and the key, language and status name it",
                           field_errors=[{"field": f, "message": "not correctable"} for f in unknown])
    w.lock_quote(rendition.quote_id)
    for name, value in changes.items():
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC)  # stored in UTC, as every time is
        setattr(rendition, name, value)
    if source is not None:
        rendition.source_id = get_or_create_source(w, name=source, kind=source_kind).id if source else None
    w.session.add(rendition)
    w.session.flush()
    w.record(action="rendition.update", entity_type="rendition", entity_id=rendition.id,
             state=audit.state_of(w.session, "rendition", rendition))
    w.touch(rendition=rendition.id)
    return rendition


def remove_derivation(w: Write, *, edge: Derivation) -> None:
    """Unlink two renditions: the link and its machine analysis go, both recorded in the audit log.

    A hop that people have annotated (notes, reviews) is kept: their work would go with it. Remove
    the link once its notes are answered elsewhere, or link the child to the right parent beside it.
    """
    from provenance.models import Finding, HopAnalysis, Review

    w.lock_quote(edge.quote_id)
    session = w.session
    notes = session.exec(select(Finding).where(Finding.derivation_id == edge.id, Finding.origin == "human")).all()
    reviews = session.exec(select(Review).where(Review.derivation_id == edge.id)).all()
    if notes or reviews:
        raise Conflict(f"this link holds {len(notes)} note(s) and {len(reviews)} review(s) by people (derivation "
                       f"{edge.id}): it is kept so that their work is not lost; link the child to its right parent "
                       "beside it instead", existing_id=edge.id)
    analysis = session.exec(select(HopAnalysis).where(HopAnalysis.derivation_id == edge.id)).first()
    if analysis is not None:
        w.record(action="analysis.delete", entity_type="hop_analysis", entity_id=analysis.id,
                 state=audit.state_of(session, "hop_analysis", analysis))
        for f in session.exec(select(Finding).where(Finding.derivation_id == edge.id)).all():
            session.delete(f)
        session.delete(analysis)
        session.flush()  # before the link: the models do not tell the session that these rows depend on it
    w.record(action="derivation.delete", entity_type="derivation", entity_id=edge.id,
             state=audit.state_of(session, "derivation", edge))
    child_id = edge.child_id
    session.delete(edge)
    session.flush()
    w.touch(removed_edge=edge.id, below=child_id)


def _closes_cycle(w: Write, *, child: Rendition, parent: Rendition, new: bool) -> bool:
    """Would linking close a cycle? Asked of the database; for a quote this write created, of the links
    this write made (held by the write, as the database has not seen them yet)."""
    if not new:
        return would_close_cycle(w.session, child_id=child.id, parent_id=parent.id)
    seen, stack = set(), [child.id]
    while stack:  # everything below the child: the parent must not be among it
        node = stack.pop()
        if node == parent.id:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(w.new_links.get(node, ()))
    return False


def would_close_cycle(session: Session, *, child_id: str, parent_id: str) -> bool:
    """True when ``parent`` is ``child`` or already descends from it."""
    if child_id == parent_id:
        return True
    return parent_id in descendant_ids(session, child_id)


# ---------------------------------------------------------------- reads

def _reachable_statement(*, upward: bool) -> Any:
    """The recursive CTE over ids from ``:rid``, towards the origins or away from them."""
    d = aliased(Derivation)
    start, step = (Derivation.child_id, Derivation.parent_id) if upward else (Derivation.parent_id, Derivation.child_id)
    d_start, d_step = (d.child_id, d.parent_id) if upward else (d.parent_id, d.child_id)
    cte = sa_select(col(step).label("id")).where(start == bindparam("rid")).cte("reach", recursive=True)
    cte = cte.union(sa_select(d_step).where(d_start == cte.c.id))
    return sa_select(cte.c.id)


def _ancestor_edge_ids() -> Any:
    """The ids of every edge on a path from an origin to ``:rid``."""
    anc = sa_select(col(Derivation.id).label("edge_id"), col(Derivation.parent_id).label("node")) \
        .where(Derivation.child_id == bindparam("rid")).cte("anc_edges", recursive=True)
    d = aliased(Derivation)
    anc = anc.union(sa_select(d.id, d.parent_id).where(d.child_id == anc.c.node))
    return sa_select(anc.c.edge_id)


def _build_statements() -> dict[str, Any]:
    return {"up": _reachable_statement(upward=True), "down": _reachable_statement(upward=False),
            "edges": select(Derivation).where(col(Derivation.id).in_(_ancestor_edge_ids()))}


# Built once, run with bound values: building a recursive CTE (aliases, proxies,
# cache key) costs several times more than running it on an indexed chain.
_STATEMENTS: dict[str, Any] = {}


def _statement(name: str) -> Any:
    if not _STATEMENTS:
        _STATEMENTS.update(_build_statements())
    return _STATEMENTS[name]


def _reachable(session: Session, rendition_id: str, *, upward: bool) -> set[str]:
    """Ids reachable from ``rendition_id`` along derivations, towards the origins or away from them."""
    return set(session.execute(_statement("up" if upward else "down"), {"rid": rendition_id}).scalars())


def ancestor_ids(session: Session, rendition_id: str) -> set[str]:
    return _reachable(session, rendition_id, upward=True)


def descendant_ids(session: Session, rendition_id: str) -> set[str]:
    return _reachable(session, rendition_id, upward=False)


def ancestor_edges(session: Session, rendition_id: str) -> list[Derivation]:
    """Every derivation edge on some path from an origin to ``rendition_id``."""
    return list(session.exec(_statement("edges"), params={"rid": rendition_id}).all())


def fetch_rows(session: Session, statement: Any, params: dict[str, Any] | None = None) -> list[Any]:
    """Rows of a Core statement in the session's transaction, after flushing what it holds.

    For read-only views: rows have the tables' column names as attributes, like
    the models, at about a third of the cost of loading model instances.
    """
    session.flush()
    return list(session.execute(statement, params or {}).all())


@dataclass(frozen=True)
class Path:
    """One path from an origin down to a rendition: renditions and the edges between them."""

    rendition_ids: tuple[str, ...]
    edges: tuple[Derivation, ...]


def ancestor_paths(session: Session, rendition_id: str, *, limit: int = 1000) -> list[Path]:
    """Every path from an origin to ``rendition_id`` (origin first), from the CTE's edge set."""
    return paths_from_edges(rendition_id, ancestor_edges(session, rendition_id), limit=limit)


def paths_from_edges(rendition_id: str, edges: Sequence[Any], *, limit: int = 1000) -> list[Path]:
    """The paths ending at ``rendition_id`` that ``edges`` (every edge above it, models or rows) form."""
    into: dict[str, list[Any]] = {}
    for e in edges:
        into.setdefault(e.child_id, []).append(e)
    for lst in into.values():
        lst.sort(key=lambda e: (e.created_at, e.id))
    paths: list[Path] = []

    def walk(node: str, suffix_nodes: tuple[str, ...], suffix_edges: tuple[Any, ...]) -> None:
        if len(paths) >= limit:
            return
        parents = into.get(node, [])
        if not parents:
            paths.append(Path((node, *suffix_nodes), suffix_edges))
            return
        for e in parents:
            if e.parent_id in suffix_nodes or e.parent_id == node:
                continue  # defensive: never loop
            walk(e.parent_id, (node, *suffix_nodes), (e, *suffix_edges))

    walk(rendition_id, (), ())
    return paths


def quote_graph(session: Session, quote: Quote) -> tuple[list[Rendition], list[Derivation]]:
    renditions = list(session.exec(select(Rendition).where(Rendition.quote_id == quote.id)
                                   .order_by(col(Rendition.created_at), col(Rendition.key))).all())
    edges = list(session.exec(select(Derivation).where(Derivation.quote_id == quote.id)
                              .order_by(col(Derivation.created_at), col(Derivation.id))).all())
    return renditions, edges


def origins(renditions: list[Rendition], edges: list[Derivation]) -> list[Rendition]:
    children = {e.child_id for e in edges}
    return [r for r in renditions if r.id not in children]


def parents_of(session: Session, rendition_id: str) -> list[Derivation]:
    return list(session.exec(select(Derivation).where(Derivation.child_id == rendition_id)).all())


__all__ = ["get_quote", "get_rendition", "add_quote", "add_rendition", "add_derivation", "add_gloss", "ancestor_ids",
           "descendant_ids", "ancestor_paths", "quote_graph", "would_close_cycle"]
