"""Publications (the articles intake read) and anchors (where a rendition's words sit in one): the one write
path and the one read path for both.

A publication's text is immutable and content-hashed like a rendition's: the
same text read twice is one record. An anchor is the W3C Web Annotation pair
of selectors for a rendition's words in that text: a TextQuoteSelector
(exact, prefix, suffix), which survives a reformatted copy of the page, and a
TextPositionSelector (start, end: Python string indices), which is exact.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlmodel import Session, col, select

from provenance import audit
from provenance.models import Anchor, Publication, Rendition
from provenance.texts import text_hash
from provenance.writes import Write

#: Characters of context a TextQuoteSelector keeps on each side (its prefix and suffix).
CONTEXT = 32
#: Characters of the article shown around a rendition's words for a reader.
READING_CONTEXT = 240


def selector(text: str, start: int, end: int) -> list[dict[str, Any]]:
    """The W3C selectors of ``text[start:end]``: a TextQuoteSelector and a TextPositionSelector."""
    return [{"type": "TextQuoteSelector", "exact": text[start:end], "prefix": text[max(0, start - CONTEXT):start],
             "suffix": text[end:end + CONTEXT]},
            {"type": "TextPositionSelector", "start": start, "end": end}]


def identity(text: str, url: str | None, outlet: str | None) -> str:
    """What makes a publication one: its text, its address and its outlet (the same wire text on three sites
    is three witnesses)."""
    return text_hash("\x1f".join((text_hash(text), url or "", (outlet or "").strip().lower())))


def find(session: Session, *, text: str, url: str | None, outlet: str | None) -> Publication | None:
    """The publication already recorded with this text, from this address and outlet."""
    return session.exec(select(Publication).where(Publication.key == identity(text, url, outlet))).first()


def record(w: Write, *, text: str, language: str, url: str | None = None, outlet: str | None = None,
           title: str | None = None, author: str | None = None, published_on: date | None = None,
           retrieved_at: datetime | None = None) -> Publication:
    """The publication with this text, address and outlet, recorded now if it is new (two writers of one
    share one record)."""
    key = identity(text, url, outlet)

    def existing() -> Publication | None:
        return w.session.exec(select(Publication).where(Publication.key == key)).first()

    found = existing()
    if found is not None:
        return found
    row = Publication(url=url, outlet=outlet, title=title, author=author, published_on=published_on,
                      language=language, text=text, text_hash=text_hash(text), key=key,
                      retrieved_at=retrieved_at or datetime.now(timezone.utc))
    stored = w.insert(row, conflict=existing)
    if stored is row:
        w.record(action="publication.create", entity_type="publication", entity_id=row.id,
                 state=audit.state_of(w.session, "publication", row))
    return stored


def add_anchor(w: Write, *, rendition: Rendition, publication: Publication, start: int, end: int) -> Anchor:
    """Where ``rendition``'s words sit in ``publication`` (once per place)."""
    def existing() -> Anchor | None:
        return w.session.exec(select(Anchor).where(Anchor.rendition_id == rendition.id,
                                                   Anchor.publication_id == publication.id,
                                                   Anchor.start == start)).first()

    found = existing()
    if found is not None:
        return found
    quote, _position = selector(publication.text, start, end)
    row = Anchor(rendition_id=rendition.id, publication_id=publication.id, exact=quote["exact"],
                 prefix=quote["prefix"], suffix=quote["suffix"], start=start, end=end)
    stored = w.insert(row, conflict=existing)  # another writer anchoring the same words at once: theirs
    if stored is row:
        w.record(action="anchor.create", entity_type="anchor", entity_id=row.id,
                 state=audit.state_of(w.session, "anchor", row))
    return stored


def anchors_of(session: Session, rendition_id: str) -> list[dict[str, Any]]:
    """Where a rendition's words sit in the articles they were taken from: each publication, the selectors,
    and the article's words around them for a reader."""
    rows = session.exec(select(Anchor, Publication).join(Publication, col(Publication.id) == Anchor.publication_id)
                        .where(Anchor.rendition_id == rendition_id).order_by(col(Anchor.created_at))).all()
    return [{"publication": {"id": p.id, "url": p.url, "outlet": p.outlet, "title": p.title,
                             "published_on": p.published_on.isoformat() if p.published_on else None,
                             "retrieved_at": p.retrieved_at.isoformat(), "language": p.language},
             "selector": selector(p.text, a.start, a.end),
             "context": {"before": p.text[max(0, a.start - READING_CONTEXT):a.start],
                         "after": p.text[a.end:a.end + READING_CONTEXT]}}
            for a, p in rows]


__all__ = ["record", "find", "identity", "add_anchor", "anchors_of", "selector", "CONTEXT"]
