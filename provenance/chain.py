"""Import and export of chain documents (YAML or JSON).

Importing is all-or-nothing: the whole document is validated first (fields,
parent keys, cycles, slugs already taken) and written in one transaction, so a
bad document changes nothing. Every error says where: file, quote, rendition
key, field. ``import(export(x))`` gives ``x`` back.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from anyascii import anyascii
from pydantic import ValidationError
from sqlmodel import Session, col, select

from provenance import documents, lineage
from provenance.documents import Limits, excerpt
from provenance.errors import ChainDocumentError, Conflict
from provenance.langid import Detection, detect_language
from provenance.models import Derivation, Finding, Gloss, Quote, Rendition, Source
from provenance.schemas import ChainDocument, QuoteDoc, RenditionDoc, SourceDoc
from provenance.settings import Settings
from provenance.texts import normalize_text, text_hash
from provenance.writes import Write

FOUNDING_CHAIN = "founding_chain.yaml"


# ---------------------------------------------------------------- parsing

def parse_document(raw: str | bytes, *, origin: str = "<document>", limits: Limits = Limits()) -> ChainDocument:
    """Parse YAML or JSON text into a validated document, or say precisely what is wrong.

    The text is read with limits (``provenance.documents``): an alias bomb, deep
    nesting, tags, repeated keys and control characters are refused before
    anything is built from them.
    """
    try:
        data = documents.load(raw, origin=origin, limits=limits)
    except documents.DocumentError as exc:
        raise ChainDocumentError(exc.message) from None
    if not isinstance(data, dict):
        raise ChainDocumentError(f"{origin}: a chain document is a mapping with 'quotes' (and optionally 'sources')")
    try:
        doc = ChainDocument.model_validate(data)
    except ValidationError as exc:
        raise _document_error(exc, data, origin) from None
    check_references(doc, origin=origin)
    return doc


def load_file(path: str | Path) -> ChainDocument:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ChainDocumentError(f"{p}: cannot read the file: {exc.strerror}") from None
    return parse_document(raw, origin=str(p))


def founding_document() -> ChainDocument:
    raw = resources.files("provenance.data").joinpath(FOUNDING_CHAIN).read_bytes()
    return parse_document(raw, origin=f"provenance/data/{FOUNDING_CHAIN}")


def _describe_location(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """Turn pydantic's ('quotes', 0, 'renditions', 2, 'language') into quote/rendition names."""
    parts: list[str] = []
    i = 0
    node: Any = data
    while i < len(loc):
        step = loc[i]
        if step in ("quotes", "renditions", "sources") and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            idx = loc[i + 1]
            items = node.get(step, []) if isinstance(node, dict) else []
            item = items[idx] if isinstance(items, list) and idx < len(items) else {}
            label = {"quotes": "quote", "renditions": "rendition", "sources": "source"}[step]
            ident = None
            if isinstance(item, dict):
                ident = item.get("slug") or item.get("key") or item.get("name") or item.get("speaker")
            parts.append(f"{label} '{excerpt(ident)}'" if ident else f"{label} #{idx + 1}")
            node = item
            i += 2
            continue
        field = ".".join(str(s) if not isinstance(s, int) else f"[{s}]" for s in loc[i:]).replace(".[", "[")
        parts.append(f"field '{excerpt(field, 80)}'")
        break
    return ", ".join(parts) or "document"


def _document_error(exc: ValidationError, data: dict[str, Any], origin: str) -> ChainDocumentError:
    errors = []
    for err in exc.errors():
        loc = tuple(s for s in err["loc"] if not (isinstance(s, str) and s.startswith(("function-", "literal["))))
        msg = excerpt(err["msg"].removeprefix("Value error, "), 200)
        if err["type"] == "extra_forbidden":
            msg = "unknown field (check its spelling against `provenance schema`)"
        errors.append({"field": excerpt(".".join(map(str, loc)), 120), "where": _describe_location(loc, data),
                       "message": msg})
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return ChainDocumentError(f"{origin}: {first['where']}: {first['message']}{more}", field_errors=errors)


def check_references(doc: ChainDocument, *, origin: str = "<document>") -> None:
    """Dangling parent keys, unknown sources, duplicate slugs and cycles, before anything is written."""
    source_names = {s.name for s in doc.sources}
    slugs: set[str] = set()
    for q in doc.quotes:
        slug = q.slug or derive_slug(q)
        where = f"{origin}: quote '{slug}'"
        if slug in slugs:
            raise ChainDocumentError(f"{where}: the slug is used twice in this document")
        slugs.add(slug)
        keys = {r.key for r in q.renditions}
        for r in q.renditions:
            for i, link in enumerate(r.derived_from):
                if link.parent not in keys:
                    raise ChainDocumentError(
                        f"{where}, rendition '{r.key}', field 'derived_from[{i}].parent': no rendition with key "
                        f"'{link.parent}' in this quote (keys: {', '.join(sorted(keys))})",
                        field_errors=[{"field": f"derived_from[{i}].parent", "message": "dangling key"}])
                if link.parent == r.key:
                    raise ChainDocumentError(f"{where}, rendition '{r.key}': a rendition cannot derive from itself")
            if r.source is not None and r.source not in source_names:
                raise ChainDocumentError(f"{where}, rendition '{r.key}', field 'source': '{r.source}' is not listed "
                                         f"under 'sources' (listed: {', '.join(sorted(source_names)) or 'none'})")
        cycle = _find_cycle({r.key: [p.parent for p in r.derived_from] for r in q.renditions})
        if cycle:
            raise ChainDocumentError(f"{where}: the derivations form a cycle: {' -> '.join(cycle)} "
                                     "(a rendition may not descend from itself)")


def _find_cycle(parents: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for p in parents.get(node, []):
            if state.get(p) == 1:
                return stack[stack.index(p):] + [p]
            if p not in state:
                found = visit(p)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for key in parents:
        if key not in state:
            found = visit(key)
            if found:
                return found
    return None


def derive_slug(q: QuoteDoc, text: str | None = None) -> str:
    """speaker-date-first-words, ASCII, so the slug can be typed on any keyboard."""
    if text is None:
        text = next((r.text for r in q.renditions if r.text and r.language.split("-")[0] == "en"), None) \
            or next((r.text for r in q.renditions if r.text), "")
    words = re.findall(r"[a-z0-9]+", anyascii(unicodedata.normalize("NFKC", text)).lower())[:5]
    parts = [anyascii(q.speaker).lower()]
    if q.said_on:
        parts.append(q.said_on.isoformat())
    parts.extend(words)
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts)).strip("-")
    return slug[:120].rstrip("-")


# ---------------------------------------------------------------- import

def import_document(w: Write, doc: ChainDocument, *, origin: str = "<document>", skip_existing: bool = False,
                    detected: dict[str, Detection] | None = None,
                    progress: Callable[[int], None] | None = None) -> list[Quote]:
    """Write every quote of ``doc`` in the write ``w``; refuses slugs already taken (409 naming the quote).

    With ``skip_existing``, quotes whose slug is already present are left as
    they are (used by ``seed`` so it can run on every start). Languages are
    detected before the first insert (:func:`detections`; a caller that ran it
    before the write passes ``detected``, so no lock is held meanwhile). ``progress(n)`` is called
    after each quote with the number of renditions written.
    """
    created: list[Quote] = []
    todo: list[tuple[str, QuoteDoc]] = []
    for q in doc.quotes:
        slug = q.slug or derive_slug(q)
        existing = w.session.exec(select(Quote).where(Quote.slug == slug)).first()
        if existing is not None:
            if skip_existing:
                continue
            taken = lineage.slug_taken(existing)
            raise Conflict(f"{taken.message}; to apply an edited export of it, run `provenance import --update FILE` "
                           "(new renditions, links and corrections are added, changed texts become revisions)",
                           field_errors=taken.field_errors, existing_id=existing.id)
        todo.append((slug, q))
    found = detected if detected is not None else detections(doc)
    sources = {s.name: s for s in doc.sources}
    for slug, q in todo:
        quote = lineage.add_quote(w, slug=slug, speaker=q.speaker, speaker_role=q.speaker_role, occasion=q.occasion,
                                  place=q.place, said_on=q.said_on, original_language=q.original_language,
                                  summary=q.summary)
        by_key: dict[str, Rendition] = {}
        ordered = _parents_first(q)
        with w.session.no_autoflush:  # the quote is new: its renditions first, in one batch...
            for r in ordered:
                by_key[r.key] = _rendition_record(w, quote=quote, doc=r, sources=sources,
                                                  detection=found.get(normalize_text(r.text)) if r.text else None)
        w.session.flush()
        with w.session.no_autoflush:  # ...then what points at them (the database checks each reference)
            for r in ordered:
                _rendition_links(w, rendition=by_key[r.key], doc=r, parents=by_key,
                                 where=f"{origin}: quote '{slug}', rendition '{r.key}'")
        created.append(quote)
        if progress is not None:
            progress(len(q.renditions))
    return created


def update_document(w: Write, doc: ChainDocument, *, origin: str = "<document>",
                    detected: dict[str, Detection] | None = None) -> list[str]:
    """Apply an edited chain document to what is recorded, as new records and revisions; returns what it did.

    The way back for an export a person edited: a quote not recorded yet is
    imported whole; in a recorded quote, a new rendition, gloss or link is added,
    and a change to where a rendition comes from (source, address, byline,
    times, note) is a correction (audited as ``rendition.update``). A rendition
    whose text changed keeps its recorded words (texts are immutable): the new
    words become a new rendition, ``KEY-rev2`` (``-rev3`` ...), linked to it as a
    ``revision``. Nothing recorded is removed: a link or rendition missing from
    the document is left as it is and reported. A rendition's language or status
    cannot change under the same key (409 naming it).
    """
    found = detected if detected is not None else detections(doc)
    sources = {s.name: s for s in doc.sources}
    done: list[str] = []
    for q in doc.quotes:
        slug = q.slug or derive_slug(q)
        quote = w.session.exec(select(Quote).where(Quote.slug == slug)).first()
        if quote is None:
            import_document(w, ChainDocument(version=doc.version, sources=doc.sources, quotes=[q]), origin=origin,
                            detected=found)
            done.append(f"{slug}: new quote, {len(q.renditions)} renditions")
            continue
        recorded = {r.key: r for r in w.session.exec(select(Rendition).where(Rendition.quote_id == quote.id)).all()}
        current: dict[str, Rendition] = dict(recorded)  # key in the document -> the rendition that now holds its words
        for r in _parents_first(q):
            where = f"{origin}: quote '{slug}', rendition '{r.key}'"
            old = recorded.get(r.key)
            if old is None:
                current[r.key] = _rendition_record(w, quote=quote, doc=r, sources=sources,
                                                   detection=found.get(normalize_text(r.text)) if r.text else None)
                done.append(f"{slug}: rendition {r.key} added")
                continue
            if (old.language, old.status) != (r.language, r.status):
                raise Conflict(f"{where}: recorded as {old.language}, {old.status}; the document says {r.language}, "
                               f"{r.status}: record it under another key", existing_id=old.id)
            if r.text is not None and (old.text is None or text_hash(r.text) != old.text_hash):
                n = 2
                while f"{r.key}-rev{n}" in current:
                    n += 1
                revised = r.model_copy(update={"key": f"{r.key}-rev{n}", "derived_from": [], "glosses": []})
                new = _rendition_record(w, quote=quote, doc=revised, sources=sources,
                                        detection=found.get(normalize_text(r.text)))
                lineage.add_derivation(w, child=new, parent=old, relation="revision", translator_kind="human",
                                       evidence=f"text corrected in {origin}", link_basis="stated")
                current[r.key] = current[revised.key] = new
                done.append(f"{slug}: {r.key} has new words: recorded as {revised.key}, a revision of it")
                old = new
            changes = {f: getattr(r, f) for f in lineage.CORRECTABLE if getattr(r, f) != _comparable(getattr(old, f))}
            named = r.source or None
            source = None if named == (_source_name(w, old) or None) else (named or "")  # "": cleared
            if changes or source is not None:
                listed = sources.get(named or "")
                lineage.correct_rendition(w, rendition=old, changes=changes, source=source,
                                          source_kind=listed.kind if listed else "other")
                fixed = [*changes, *(["source"] if source is not None else [])]
                done.append(f"{slug}: {old.key} corrected ({', '.join(fixed)})")
        for r in q.renditions:
            child = current[r.key]
            known = {(g.language, g.text_hash) for g in w.session.exec(select(Gloss).where(Gloss.rendition_id == child.id))}
            for g in r.glosses:
                if (g.language, text_hash(g.text)) not in known:
                    lineage.add_gloss(w, rendition=child, language=g.language, text=g.text, author=g.author)
                    known.add((g.language, text_hash(g.text)))
                    done.append(f"{slug}: gloss added to {child.key}")
            # links join the renditions as recorded: a revision hangs from the words it corrects, not beside them
            child = recorded.get(r.key) or child
            linked = {e.parent_id for e in lineage.parents_of(w.session, child.id)}
            for link in r.derived_from:
                parent = recorded.get(link.parent) or current[link.parent]
                if parent.id not in linked and parent.id != child.id:
                    lineage.add_derivation(w, child=child, parent=parent, relation=link.relation,
                                           translator_kind=link.translator.kind, translator_name=link.translator.name,
                                           evidence=link.evidence, link_basis=link.link)
                    done.append(f"{slug}: {parent.key} → {child.key} linked")
        keys = {r.key for r in q.renditions}
        for key in sorted(set(recorded) - keys):
            done.append(f"{slug}: {key} is recorded but not in the document: left as it is")
    return done


def _comparable(value: Any) -> Any:
    """A stored time (naive, UTC) as the aware time a document carries."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _source_name(w: Write, rendition: Rendition) -> str | None:
    if not rendition.source_id:
        return None
    source = w.session.get(Source, rendition.source_id)
    return source.name if source else None


def import_parsed(settings: Settings, doc: ChainDocument, actor: str, audit_key: bytes,
                  origin: str = "request body") -> list[dict[str, Any]]:
    """Detect languages and write a parsed chain document, on an engine of its own; the views of the new quotes.

    The API runs this in a process of its own: a large import is seconds of
    CPU (languages above all), and in a thread of the server's process it
    would take the interpreter from the event loop often enough to hold up
    every other request of the worker by up to a second (measured with a
    1 MiB import); in another process it takes none of it.
    """
    from provenance import views, writes
    from provenance.db import make_engine

    detected = detections(doc)  # before the write: no lock is held while languages are detected
    engine = make_engine(settings.database_url, settings)
    try:
        quotes = writes.run(engine, lambda w: import_document(w, doc, origin=origin, detected=detected),
                            actor=actor, audit_key=audit_key)
        return [views.quote_view(q) for q in quotes]
    finally:
        engine.dispose()


def detections(doc: ChainDocument) -> dict[str, Detection]:
    """The detected language of every text of ``doc``, by normalised text (each distinct text once)."""
    out: dict[str, Detection] = {}
    for q in doc.quotes:
        for r in q.renditions:
            if r.text:
                text = normalize_text(r.text)
                if text not in out:
                    out[text] = detect_language(text)
    return out


def write_rendition(w: Write, *, quote: Quote, doc: RenditionDoc, parents: dict[str, Rendition],
                    sources: dict[str, SourceDoc], where: str, source_kind: str | None = None,
                    detection: Detection | None = None) -> Rendition:
    """One rendition of a chain document with its glosses and its links (their notes and reviews included).

    The one way a rendition document is written, from an import or from the
    API; ``parents`` maps each ``derived_from`` parent (by key) to its recorded
    rendition, ``sources`` the document's listed sources by name (a source not
    listed is recorded with ``source_kind``, or ``other``).
    """
    rendition = _rendition_record(w, quote=quote, doc=doc, sources=sources, source_kind=source_kind,
                                  detection=detection)
    _rendition_links(w, rendition=rendition, doc=doc, parents=parents, where=where)
    return rendition


def _rendition_record(w: Write, *, quote: Quote, doc: RenditionDoc, sources: dict[str, SourceDoc],
                      source_kind: str | None = None, detection: Detection | None = None) -> Rendition:
    source = None
    if doc.source:
        listed = sources.get(doc.source)
        source = lineage.get_or_create_source(w, name=doc.source, kind=listed.kind if listed else (source_kind or "other"),
                                              home_url=listed.home_url if listed else None)
    return lineage.add_rendition(
        w, quote=quote, key=doc.key, language=doc.language, status=doc.status, text=doc.text, source=source,
        url=doc.url, byline=doc.byline, published_at=doc.published_at, retrieved_at=doc.retrieved_at, note=doc.note,
        detection=detection)


def _rendition_links(w: Write, *, rendition: Rendition, doc: RenditionDoc, parents: dict[str, Rendition],
                     where: str) -> None:
    """The glosses of a rendition and its links to its parents, with their notes and reviews."""
    seen: set[tuple[str, str]] = set()
    for g in doc.glosses:
        if (g.language, text_hash(g.text)) in seen:  # the same gloss twice in one document is one gloss
            continue
        seen.add((g.language, text_hash(g.text)))
        lineage.add_gloss(w, rendition=rendition, language=g.language, text=g.text, author=g.author)
    for i, link in enumerate(doc.derived_from):
        edge = lineage.add_derivation(w, child=rendition, parent=parents[link.parent], relation=link.relation,
                                      translator_kind=link.translator.kind, translator_name=link.translator.name,
                                      evidence=link.evidence, link_basis=link.link)
        if link.notes or link.reviews:
            _add_human_work(w, edge, link, child=rendition, parent=parents[link.parent],
                            where=f"{where}, derived_from[{i}]")


def _add_human_work(w: Write, edge: Derivation, link: Any, *, child: Rendition, parent: Rendition,
                    where: str) -> None:
    """Notes and reviews carried by a chain document, checked against the texts they point into."""
    from provenance import review

    for j, note in enumerate(link.notes):
        spans = {}
        for side, rendition in (("parent", parent), ("child", child)):
            span = getattr(note, f"{side}_span")
            if span is None:
                continue
            text = rendition.text if rendition else None
            if text is None or span.end > len(text) or span.start >= span.end:
                raise ChainDocumentError(f"{where}, notes[{j}].{side}_span: offsets {span.start}-{span.end} do not "
                                         f"fit the {side} text ({len(text or '')} characters)")
            if span.exact is not None and text[span.start:span.end] != span.exact:
                raise ChainDocumentError(f"{where}, notes[{j}].{side}_span: the text at {span.start}-{span.end} is "
                                         f"'{excerpt(text[span.start:span.end])}', not '{excerpt(span.exact)}'")
            spans[f"{side}_span"] = {"start": span.start, "end": span.end}
        review.add_note(w, edge=edge, text=note.text, category=note.category, severity=note.severity,
                        author=note.author, **spans)
    for rv in link.reviews:
        review.add_review(w, edge=edge, fingerprint=rv.fingerprint, verdict=rv.verdict, comment=rv.comment,
                          reviewer=rv.reviewer)


def _parents_first(q: QuoteDoc) -> list[Any]:
    """Renditions in an order where every parent comes before its children (document order otherwise)."""
    done: set[str] = set()
    ordered = []
    pending = list(q.renditions)
    while pending:
        progress = False
        for r in list(pending):
            if all(p.parent in done for p in r.derived_from):
                ordered.append(r)
                done.add(r.key)
                pending.remove(r)
                progress = True
        if not progress:  # check_references refuses cycles first; this is a guard
            raise ChainDocumentError(f"quote '{q.slug}': the derivations form a cycle")
    return ordered


# ---------------------------------------------------------------- export

def export_document(session: Session, quotes: Iterable[Quote]) -> dict[str, Any]:
    """The chain document for ``quotes``, in the shape :func:`parse_document` reads."""
    out_quotes = []
    used_sources: dict[str, Source] = {}
    for quote in quotes:
        renditions, edges = lineage.quote_graph(session, quote)
        by_id = {r.id: r for r in renditions}
        glosses = session.exec(select(Gloss).where(col(Gloss.rendition_id).in_([r.id for r in renditions]))
                               .order_by(col(Gloss.created_at), col(Gloss.id))).all()
        q: dict[str, Any] = {"slug": quote.slug, "speaker": quote.speaker}
        for name in ("speaker_role", "occasion", "place"):
            if getattr(quote, name):
                q[name] = getattr(quote, name)
        if quote.said_on:
            q["said_on"] = quote.said_on.isoformat() if isinstance(quote.said_on, date) else str(quote.said_on)
        q["original_language"] = quote.original_language
        if quote.summary:
            q["summary"] = quote.summary
        q["renditions"] = []
        for r in renditions:
            item: dict[str, Any] = {"key": r.key, "language": r.language, "status": r.status}
            if r.text is not None:
                item["text"] = r.text
            if r.source_id:
                src = session.get(Source, r.source_id)
                if src is not None:
                    used_sources[src.name] = src
                    item["source"] = src.name
            for name in ("url", "byline", "note"):
                if getattr(r, name):
                    item[name] = getattr(r, name)
            for name in ("published_at", "retrieved_at"):
                if getattr(r, name):
                    item[name] = getattr(r, name).isoformat()
            gl = [{"language": g.language, "text": g.text, "author": g.author} for g in glosses
                  if g.rendition_id == r.id]
            if gl:
                item["glosses"] = gl
            links = []
            for e in edges:
                if e.child_id != r.id:
                    continue
                link: dict[str, Any] = {"parent": by_id[e.parent_id].key, "relation": e.relation,
                                        "translator": {"kind": e.translator_kind}}
                if e.translator_name:
                    link["translator"]["name"] = e.translator_name
                if e.evidence:
                    link["evidence"] = e.evidence
                link["link"] = e.link_basis
                link.update(_export_human_work(session, e))
                links.append(link)
            if links:
                item["derived_from"] = links
            q["renditions"].append(item)
        out_quotes.append(q)
    sources = []
    for s in sorted(used_sources.values(), key=lambda s: s.name):
        sd: dict[str, Any] = {"name": s.name, "kind": s.kind}
        if s.home_url:
            sd["home_url"] = s.home_url
        sources.append(sd)
    return {"version": 1, "sources": sources, "quotes": out_quotes}


def _export_human_work(session: Session, edge: Derivation) -> dict[str, Any]:
    from provenance import review

    notes, reviews = review.hop_notes_and_reviews(session, edge)
    out: dict[str, Any] = {}
    if notes:
        out["notes"] = []
        for n in notes:
            item: dict[str, Any] = {"text": n.explanation, "category": n.category, "severity": n.severity,
                                    "author": n.author or "unknown"}
            for side in ("parent_span", "child_span"):
                span = getattr(n, side)
                if span:
                    item[side] = {"start": span["start"], "end": span["end"], "exact": span["exact"]}
            out["notes"].append(item)
    if reviews:
        categories = dict(session.exec(select(Finding.fingerprint, Finding.category)
                                       .where(Finding.derivation_id == edge.id)).all())
        out["reviews"] = []
        for rv in reviews:
            item = {"fingerprint": rv.fingerprint, "verdict": rv.verdict, "reviewer": rv.reviewer}
            if rv.comment:
                item["comment"] = rv.comment
            if rv.fingerprint in categories:
                item["category"] = categories[rv.fingerprint]
            out["reviews"].append(item)
    return out


def dump_document(doc: dict[str, Any], *, fmt: str = "json") -> str:
    if fmt == "yaml":
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
    return json.dumps(doc, ensure_ascii=False, indent=2)


def add_rendition_from_doc(w: Write, *, quote: Quote, doc: RenditionDoc, source_kind: str | None = None,
                           detection: Detection | None = None, allow_same_text: bool = True) -> Rendition:
    """One rendition from a ``RenditionDoc``-shaped input (the API); parents are named by key, SLUG:KEY or id.

    ``detection`` is the text's detected language when the caller found it before the write. Without
    ``allow_same_text``, words the quote already holds verbatim are refused (409) naming the rendition
    that holds them: pasting a recorded text again is usually a slip, and another outlet printing the
    same words (an aggregator copying a wire) is recorded only when the caller says so.
    """
    if doc.text is not None and not allow_same_text:
        w.lock_quote(quote.id)  # two writers of the same words: the second one sees the first
        same = w.session.exec(select(Rendition).where(Rendition.quote_id == quote.id,
                                                      Rendition.text_hash == text_hash(doc.text))).first()
        if same is not None:
            raise Conflict(f"quote '{quote.slug}' already holds these exact words as rendition '{same.key}' "
                           f"(id {same.id}): link to it instead, or, when another outlet printed the same words, "
                           "record them explicitly (API: allow_same_text; CLI: --same-text)", field_errors=[{"field": "text", "message": "already recorded"}],
                           existing_id=same.id)
    parents: dict[str, Rendition] = {}
    for i, link in enumerate(doc.derived_from):
        parent = w.session.exec(select(Rendition).where(Rendition.quote_id == quote.id,
                                                        Rendition.key == link.parent)).first()
        if parent is None:
            parent = w.session.get(Rendition, link.parent)
        if parent is None or parent.quote_id != quote.id:
            raise ChainDocumentError(f"quote '{quote.slug}', rendition '{doc.key}', field 'derived_from[{i}].parent': "
                                     f"no rendition '{excerpt(link.parent)}' in this quote",
                                     field_errors=[{"field": f"derived_from[{i}].parent", "message": "unknown rendition"}])
        parents[link.parent] = parent
    return write_rendition(w, quote=quote, doc=doc, parents=parents, sources={}, source_kind=source_kind,
                           where=f"quote '{quote.slug}', rendition '{doc.key}'", detection=detection)
