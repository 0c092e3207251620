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
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from anyascii import anyascii
from pydantic import ValidationError
from sqlmodel import Session, col, select

from provenance import audit, lineage
from provenance.errors import ChainDocumentError, Conflict
from provenance.models import Derivation, Finding, Gloss, Quote, Rendition, Source
from provenance.schemas import ChainDocument, QuoteDoc

FOUNDING_CHAIN = "founding_chain.yaml"


# ---------------------------------------------------------------- parsing

def parse_document(raw: str | bytes, *, origin: str = "<document>") -> ChainDocument:
    """Parse YAML or JSON text into a validated document, or say precisely what is wrong."""
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ChainDocumentError(f"{origin}: not valid YAML or JSON{where}: {getattr(exc, 'problem', exc)}") from None
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
            parts.append(f"{label} '{ident}'" if ident else f"{label} #{idx + 1}")
            node = item
            i += 2
            continue
        field = ".".join(str(s) if not isinstance(s, int) else f"[{s}]" for s in loc[i:]).replace(".[", "[")
        parts.append(f"field '{field}'")
        break
    return ", ".join(parts) or "document"


def _document_error(exc: ValidationError, data: dict[str, Any], origin: str) -> ChainDocumentError:
    errors = []
    for err in exc.errors():
        loc = tuple(s for s in err["loc"] if not (isinstance(s, str) and s.startswith(("function-", "literal["))))
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field (check its spelling against `provenance schema`)"
        errors.append({"field": ".".join(map(str, loc)), "where": _describe_location(loc, data), "message": msg})
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

def import_document(session: Session, doc: ChainDocument, *, actor: str = "system", origin: str = "<document>",
                    skip_existing: bool = False) -> list[Quote]:
    """Write every quote of ``doc`` in the caller's transaction; refuses slugs already taken.

    With ``skip_existing``, quotes whose slug is already present are left as they are
    (used by ``seed`` so it can run on every start).
    """
    created: list[Quote] = []
    todo: list[tuple[str, QuoteDoc]] = []
    for q in doc.quotes:
        slug = q.slug or derive_slug(q)
        if session.exec(select(Quote.id).where(Quote.slug == slug)).first():
            if skip_existing:
                continue
            raise Conflict(f"{origin}: quote '{slug}': a quote with this slug is already recorded; "
                           "pick another slug, or export and edit the recorded one")
        todo.append((slug, q))
    sources = {s.name: s for s in doc.sources}
    for slug, q in todo:
        quote = Quote(slug=slug, speaker=q.speaker, speaker_role=q.speaker_role, occasion=q.occasion, place=q.place,
                      said_on=q.said_on, original_language=q.original_language, summary=q.summary)
        session.add(quote)
        session.flush()
        audit.record(session, actor=actor, action="quote.create", entity_type="quote", entity_id=quote.id,
                     state=quote.model_dump(mode="json"))
        by_key: dict[str, Rendition] = {}
        for r in _parents_first(q):
            source = None
            if r.source:
                sd = sources[r.source]
                source = lineage.get_or_create_source(session, name=sd.name, kind=sd.kind, home_url=sd.home_url,
                                                      actor=actor)
            rendition = lineage.add_rendition(
                session, quote=quote, key=r.key, language=r.language, status=r.status, text=r.text, source=source,
                url=r.url, byline=r.byline, published_at=r.published_at, retrieved_at=r.retrieved_at, note=r.note,
                actor=actor)
            by_key[r.key] = rendition
            for g in r.glosses:
                lineage.add_gloss(session, rendition=rendition, language=g.language, text=g.text, author=g.author,
                                  actor=actor)
            for i, link in enumerate(r.derived_from):
                edge = lineage.add_derivation(session, child=rendition, parent=by_key[link.parent],
                                              relation=link.relation, translator_kind=link.translator.kind,
                                              translator_name=link.translator.name, evidence=link.evidence,
                                              link_basis=link.link, actor=actor)
                _add_human_work(session, edge, link, actor=actor,
                                where=f"{origin}: quote '{slug}', rendition '{r.key}', derived_from[{i}]")
        created.append(quote)
    return created


def _add_human_work(session: Session, edge: Derivation, link: Any, *, actor: str, where: str) -> None:
    """Notes and reviews carried by a chain document, checked against the texts they point into."""
    from provenance import review

    parent, child = session.get(Rendition, edge.parent_id), session.get(Rendition, edge.child_id)
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
                                         f"'{text[span.start:span.end]}', not '{span.exact}'")
            spans[f"{side}_span"] = {"start": span.start, "end": span.end}
        review.add_note(session, edge=edge, text=note.text, category=note.category, severity=note.severity,
                        author=note.author, actor=actor, **spans)
    for rv in link.reviews:
        review.add_review(session, edge=edge, fingerprint=rv.fingerprint, verdict=rv.verdict, comment=rv.comment,
                          reviewer=rv.reviewer, actor=actor)


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


def add_rendition_from_doc(session: Session, *, quote: Quote, doc: Any, source_kind: str | None = None,
                           actor: str = "system") -> Rendition:
    """One rendition from a ``RenditionDoc``-shaped input; parents are named by key, SLUG:KEY or id."""
    parents: list[tuple[Rendition, Any]] = []
    for i, link in enumerate(doc.derived_from):
        parent = session.exec(select(Rendition).where(Rendition.quote_id == quote.id, Rendition.key == link.parent)).first()
        if parent is None:
            parent = session.get(Rendition, link.parent)
        if parent is None:
            raise ChainDocumentError(f"quote '{quote.slug}', rendition '{doc.key}', field 'derived_from[{i}].parent': "
                                     f"no rendition '{link.parent}' in this quote",
                                     field_errors=[{"field": f"derived_from[{i}].parent", "message": "unknown rendition"}])
        parents.append((parent, link))
    source = None
    if doc.source:
        source = lineage.get_or_create_source(session, name=doc.source, kind=source_kind or "other", actor=actor)
    rendition = lineage.add_rendition(session, quote=quote, key=doc.key, language=doc.language, status=doc.status,
                                      text=doc.text, source=source, url=doc.url, byline=doc.byline,
                                      published_at=doc.published_at, retrieved_at=doc.retrieved_at, note=doc.note,
                                      actor=actor)
    for g in doc.glosses:
        lineage.add_gloss(session, rendition=rendition, language=g.language, text=g.text, author=g.author, actor=actor)
    for parent, link in parents:
        lineage.add_derivation(session, child=rendition, parent=parent, relation=link.relation,
                               translator_kind=link.translator.kind, translator_name=link.translator.name,
                               evidence=link.evidence, link_basis=link.link, actor=actor)
    return rendition
