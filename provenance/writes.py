"""The one write path: every record is written inside a :class:`Write`.

Import, the API, the web page and the CLI all call the same domain function
per kind of record (``lineage.add_rendition``, ``review.add_note``, ...), each
taking a ``Write``. A write is one transaction, and it ends in three explicit
steps, in this order, before it commits (:meth:`Write.finish`):

1. **serialise**: take the writer lock (PostgreSQL: a transaction-scoped
   advisory lock; SQLite holds its write lock from ``BEGIN IMMEDIATE``), so
   that what follows sees every write committed before it and none commits
   during it;
2. **refresh derived data**: the stored answers of exactly the records this
   write touched (``provenance.answers``), each stamped with the version of
   the code that built it;
3. **audit**: append the write's events to the hash chain and sign the new
   head (``provenance.audit``).

The lock is taken at the end, not the start, so that writers to different
quotes overlap while they validate, detect languages and insert, and queue
only for the short refresh and append. What must not interleave within one
quote (a link that would close a cycle with a concurrent link, two
renditions claiming one key) is serialised per quote by :meth:`lock_quote`
(a row lock on the quote) before it is checked. Locks are always taken in
the same order, quote rows first, so writers cannot deadlock on them; if
PostgreSQL reports a deadlock or a serialization failure anyway, :func:`run`
tries the whole write again, a bounded number of times.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import exc as sa_exc, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from provenance import answers, audit
from provenance.db import lock_writers, retryable, transaction
from provenance.errors import Busy, Conflict, InvalidInput, ProvenanceError

T = TypeVar("T")
R = TypeVar("R", bound=SQLModel)


@dataclass
class Touched:
    """What a write changed, so that only the answers built from it are refreshed."""

    quotes: set[str] = field(default_factory=set)
    renditions: set[str] = field(default_factory=set)  # node answers, and the lineages below them
    edges: set[str] = field(default_factory=set)  # edge answers, and the lineages below their child
    removed_edges: set[str] = field(default_factory=set)
    below: set[str] = field(default_factory=set)  # renditions whose lineages (theirs and below) changed

    def __bool__(self) -> bool:
        return bool(self.quotes or self.renditions or self.edges or self.removed_edges or self.below)


class Write:
    """One transaction that writes records: its session, who acts, its audit events, what it touched."""

    def __init__(self, session: Session, *, actor: str, audit_key: bytes) -> None:
        self.session = session
        self.actor = actor
        self.audit_key = audit_key
        self.dialect = session.get_bind().dialect.name
        self.touched = Touched()
        self.events: list[audit.Pending] = []
        self._locked: set[str] = set()
        self.new_quotes: set[str] = set()  # quotes this write created: no other writer can see them yet
        self.sources: dict[str, Any] = {}  # sources looked up or created in this write, by name
        self.new_links: dict[str, set[str]] = {}  # in the quotes it created: parent id -> children ids
        self.new_edges: dict[tuple[str, str], str] = {}  # and (child id, parent id) -> derivation id
        self.finished = False

    # ------------------------------------------------------------ while writing

    def record(self, *, action: str, entity_type: str, entity_id: str, state: Any) -> None:
        """An audit event for this write; appended to the chain in :meth:`finish`."""
        self.events.append(audit.pending(actor=self.actor, action=action, entity_type=entity_type,
                                         entity_id=entity_id, state=state))

    def lock_quote(self, quote_id: str) -> None:
        """Serialise this write with every other write to the same quote (PostgreSQL: ``SELECT … FOR UPDATE``).

        SQLite already serialises every write (``BEGIN IMMEDIATE``).
        """
        if self.dialect == "postgresql" and quote_id not in self._locked:
            self.session.execute(text("SELECT id FROM quote WHERE id = :id FOR UPDATE"), {"id": quote_id})
        self._locked.add(quote_id)

    def insert(self, row: R, *, conflict: Callable[[], ProvenanceError | R | None]) -> R:
        """Add ``row`` and flush it in a savepoint; when a unique key was taken meanwhile, ask ``conflict()``.

        ``conflict`` looks the existing record up (the savepoint rolled back, so
        the session can still read) and returns either the error that names it,
        or the existing record to use instead (get-or-create), or None when
        nothing conflicting is found (the violation is then reported as it is).
        """
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except sa_exc.IntegrityError as exc:
            outcome = conflict()
            if outcome is None:
                raise integrity_error(exc) from exc
            if isinstance(outcome, ProvenanceError):
                raise outcome from None
            return outcome
        return row

    def is_new(self, quote_id: str) -> bool:
        """Whether the quote was created by this write.

        Its records cannot meet another writer's (nobody else sees the quote
        before this write commits), so they are added without a row lock, a
        savepoint or a flush each: a large import writes them in a few batched
        statements. What they must satisfy within the quote (keys, no cycle)
        the document's checks and the database's constraints enforce.
        """
        return quote_id in self.new_quotes

    def settle(self, *rows: Any) -> None:
        """Flush when any of ``rows`` is not in the database yet, so that a row pointing at it can follow.

        Without relationships between the models, a flush does not order the
        tables by their foreign keys; rows of a quote this write created are
        added without a flush each (``is_new``), so one is made here, once, when
        something is about to point at them.
        """
        if any(row in self.session.new for row in rows):
            self.session.flush()

    def touch(self, *, quote: str | None = None, rendition: str | None = None, edge: str | None = None,
              below: str | None = None, removed_edge: str | None = None) -> None:
        """Mark what changed; :meth:`finish` refreshes the answers built from it."""
        for value, bucket in ((quote, self.touched.quotes), (rendition, self.touched.renditions),
                              (edge, self.touched.edges), (below, self.touched.below),
                              (removed_edge, self.touched.removed_edges)):
            if value is not None:
                bucket.add(value)

    # ------------------------------------------------------------ the end of a write

    def finish(self) -> None:
        """Serialise, refresh derived data, append the audit events: the three steps before commit."""
        if self.finished:
            return
        self.session.flush()
        lock_writers(self.session)
        if self.touched:
            answers.refresh(self.session, self.touched)
        if self.events:
            audit.append(self.session, self.events, key=self.audit_key)
        self.finished = True


@contextmanager
def write(engine: Engine, *, actor: str, audit_key: bytes) -> Iterator[Write]:
    """One write: yields a :class:`Write` in a :func:`~provenance.db.transaction`; finishes it before the commit."""
    try:
        with transaction(engine) as session:
            w = Write(session, actor=actor, audit_key=audit_key)
            yield w
            w.finish()
    except sa_exc.IntegrityError as exc:
        raise integrity_error(exc) from exc


def run(engine: Engine, fn: Callable[[Write], T], *, actor: str, audit_key: bytes, attempts: int = 3,
        budget: float = 10.0) -> T:
    """``fn`` inside a :func:`write`, tried again when PostgreSQL reports a deadlock or a serialization failure.

    At most ``attempts`` tries within ``budget`` seconds; then
    :class:`~provenance.errors.Busy` (503 with a retry time).
    """
    start = time.monotonic()
    for attempt in range(1, attempts + 1):
        try:
            with write(engine, actor=actor, audit_key=audit_key) as w:
                return fn(w)
        except Busy as exc:
            cause = exc.__cause__
            if cause is None or not retryable(cause) or attempt == attempts or time.monotonic() - start > budget:
                raise
        time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------- integrity errors

#: What each unique constraint protects: its table and columns (SQLite names those, not the constraint),
#: the field a client sent, and what the violation means.
CONSTRAINTS = {
    "uq_quote_slug": ("quote", ("slug",), "slug", "a quote with this slug is already recorded"),
    "uq_source_name": ("source", ("name",), "name", "a source with this name is already recorded"),
    "uq_rendition_quote_key": ("rendition", ("quote_id", "key"), "key", "the quote already has a rendition with this key"),
    "uq_derivation_child_parent": ("derivation", ("child_id", "parent_id"), "parent_id",
                                   "the two renditions are already linked"),
    "uq_gloss_rendition_language_hash": ("gloss", ("rendition_id", "language", "text_hash"), "text",
                                         "the rendition already has this gloss"),
    "uq_hop_analysis_derivation": ("hop_analysis", ("derivation_id",), "derivation_id",
                                   "the hop was analysed by another request at the same time"),
    "uq_publication_key": ("publication", ("key",), "text", "this article is already recorded from this address"),
    "uq_anchor_rendition_place": ("anchor", ("rendition_id", "publication_id", "start"), "start",
                                  "these words are already anchored in this article"),
    "uq_api_key_key_hash": ("api_key", ("key_hash",), "key", "this key already exists"),
    "uq_audit_event_prev_hash": ("audit_event", ("prev_hash",), "audit",
                                 "another write was appended to the audit log at the same time"),
}


def _constraint(orig: Any, message: str) -> str | None:
    name = getattr(getattr(orig, "diag", None), "constraint_name", None)  # PostgreSQL names it
    if name is None and "UNIQUE constraint failed:" in message:
        columns = tuple(c.strip() for c in message.split(":", 1)[1].split(","))
        name = next((n for n, (table, cols, _, _) in CONSTRAINTS.items()
                     if columns == tuple(f"{table}.{c}" for c in cols)), None)
    return name


def integrity_error(exc: sa_exc.IntegrityError) -> ProvenanceError:
    """A constraint the database enforced that no check caught first: 409 for a unique key, 422 otherwise.

    The domain checks first and names the existing record; this is the last
    line, for a race the checks cannot see (and never a 500).
    """
    orig = exc.orig
    message = str(orig).strip().splitlines()[0] if orig is not None else str(exc)
    name = _constraint(orig, message)
    if name in CONSTRAINTS or "UNIQUE" in message or "duplicate key" in message:
        _, _, fld, what = CONSTRAINTS.get(name or "", ("", (), "", "a record with the same unique value was "
                                                                    "written at the same time"))
        return Conflict(f"{what}; read it back and try again if needed",
                        field_errors=[{"field": fld, "message": "already taken"}] if fld else None)
    return InvalidInput(f"the database refused the record: {message[:200]}")


__all__ = ["Write", "write", "run", "Touched", "integrity_error"]
