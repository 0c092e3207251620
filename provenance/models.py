"""The tables. No ``from __future__ import annotations`` here: it breaks SQLModel.

Ids that leave the database are opaque UUID strings. Rendition texts are
immutable: there is no update path for ``text`` or ``text_hash``; a correction
is a new rendition linked by a ``revision`` derivation.
"""

import uuid
from datetime import date, datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, CheckConstraint, Column, Index, LargeBinary, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

from provenance.vocabulary import (
    LINK_BASES,
    ORIGINS,
    RELATIONS,
    RENDITION_STATUSES,
    REVIEW_VERDICTS,
    ROLES,
    SEVERITIES,
    SOURCE_KINDS,
    TRANSLATOR_KINDS,
    sql_in,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Quote(SQLModel, table=True):
    """The utterance itself, before any hand passed it on."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    slug: str = Field(unique=True, max_length=120)
    speaker: str = Field(max_length=200)
    speaker_role: Optional[str] = Field(default=None, max_length=300)
    occasion: Optional[str] = Field(default=None, max_length=500)
    place: Optional[str] = Field(default=None, max_length=200)
    said_on: Optional[date] = None
    original_language: str = Field(max_length=35)
    summary: Optional[str] = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class Source(SQLModel, table=True):
    """Who published or produced a rendition."""

    __table_args__ = (CheckConstraint(sql_in("kind", SOURCE_KINDS), name="kind"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(unique=True, max_length=200)
    kind: str = Field(default="other", max_length=20)
    home_url: Optional[str] = Field(default=None, max_length=2000)


class Rendition(SQLModel, table=True):
    """One version of the quote as one source gave it."""

    __table_args__ = (
        UniqueConstraint("quote_id", "key", name="uq_rendition_quote_key"),
        CheckConstraint(sql_in("status", RENDITION_STATUSES), name="status"),
        CheckConstraint("(text IS NULL) = (text_hash IS NULL)", name="text_hash_with_text"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    quote_id: str = Field(foreign_key="quote.id", index=True, max_length=36, ondelete="CASCADE")
    key: str = Field(max_length=80)
    text: Optional[str] = None
    language: str = Field(max_length=35)
    detected_language: Optional[str] = Field(default=None, max_length=35)
    detected_confidence: Optional[float] = None
    detection_method: Optional[str] = Field(default=None, max_length=20)
    language_mismatch: bool = False
    text_hash: Optional[str] = Field(default=None, max_length=64, index=True)
    source_id: Optional[str] = Field(default=None, foreign_key="source.id", max_length=36)
    url: Optional[str] = Field(default=None, max_length=2000)
    byline: Optional[str] = Field(default=None, max_length=300)
    published_at: Optional[datetime] = None
    retrieved_at: Optional[datetime] = None
    status: str = Field(max_length=20)
    note: Optional[str] = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class Derivation(SQLModel, table=True):
    """An edge: ``child`` was made from ``parent``; a rendition may have several parents."""

    __table_args__ = (
        UniqueConstraint("child_id", "parent_id", name="uq_derivation_child_parent"),
        CheckConstraint("child_id <> parent_id", name="not_self"),
        CheckConstraint(sql_in("relation", RELATIONS), name="relation"),
        CheckConstraint(sql_in("translator_kind", TRANSLATOR_KINDS), name="translator_kind"),
        CheckConstraint(sql_in("link_basis", LINK_BASES), name="link_basis"),
        Index("ix_derivation_parent_child", "parent_id", "child_id"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    quote_id: str = Field(foreign_key="quote.id", index=True, max_length=36, ondelete="CASCADE")
    child_id: str = Field(foreign_key="rendition.id", max_length=36, ondelete="CASCADE")
    parent_id: str = Field(foreign_key="rendition.id", max_length=36, ondelete="CASCADE")
    relation: str = Field(max_length=20)
    translator_kind: str = Field(default="unknown", max_length=10)
    translator_name: Optional[str] = Field(default=None, max_length=200)
    evidence: Optional[str] = Field(default=None, max_length=2000)
    link_basis: str = Field(default="stated", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)


class Publication(SQLModel, table=True):
    """An article as it was read: its full text, immutable and content-hashed, with where and when it was found.

    Renditions taken from it point into its text with an :class:`Anchor`.
    The same text read twice from the same place is one publication.
    """

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    url: Optional[str] = Field(default=None, max_length=2000)
    outlet: Optional[str] = Field(default=None, max_length=200)
    title: Optional[str] = Field(default=None, max_length=1000)
    author: Optional[str] = Field(default=None, max_length=300)
    published_on: Optional[date] = None
    language: str = Field(max_length=35)
    retrieved_at: datetime = Field(default_factory=utcnow)
    text: str
    text_hash: str = Field(max_length=64, index=True)
    #: what makes it one publication: its text, where it was found and who published it (the same wire text on
    #: three sites is three witnesses, not one)
    key: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class Anchor(SQLModel, table=True):
    """Where a rendition's words sit in a publication: a W3C Web Annotation TextQuoteSelector (exact, prefix,
    suffix) and TextPositionSelector (start, end: Python string indices into the publication's text)."""

    __table_args__ = (UniqueConstraint("rendition_id", "publication_id", "start", name="uq_anchor_rendition_place"),
                      CheckConstraint("start >= 0 AND \"end\" > start", name="position"))

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    rendition_id: str = Field(foreign_key="rendition.id", index=True, max_length=36, ondelete="CASCADE")
    publication_id: str = Field(foreign_key="publication.id", index=True, max_length=36, ondelete="CASCADE")
    exact: str
    prefix: str = Field(default="", max_length=64)
    suffix: str = Field(default="", max_length=64)
    start: int
    end: int
    created_at: datetime = Field(default_factory=utcnow)


class Gloss(SQLModel, table=True):
    """A translation into the pivot language written by a person, with its author."""

    __table_args__ = (UniqueConstraint("rendition_id", "language", "text_hash", name="uq_gloss_rendition_language_hash"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    rendition_id: str = Field(foreign_key="rendition.id", index=True, max_length=36, ondelete="CASCADE")
    language: str = Field(max_length=35)
    text: str
    text_hash: str = Field(max_length=64)
    author: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class TranslationCache(SQLModel, table=True):
    """Every machine translation ever obtained, so an analysis can be repeated and audited."""

    __tablename__ = "translation_cache"
    __table_args__ = (
        UniqueConstraint("source_hash", "source_language", "target_language", "provider", name="uq_translation_cache_key"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    source_hash: str = Field(max_length=64)
    source_language: str = Field(max_length=35)
    target_language: str = Field(max_length=35)
    provider: str = Field(max_length=40)
    signature: str = Field(max_length=300)
    output: str
    created_at: datetime = Field(default_factory=utcnow)


class HopAnalysis(SQLModel, table=True):
    """The latest machine analysis of one derivation: scores, alignment, basis."""

    __tablename__ = "hop_analysis"
    __table_args__ = (UniqueConstraint("derivation_id", name="uq_hop_analysis_derivation"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    derivation_id: str = Field(foreign_key="derivation.id", max_length=36, ondelete="CASCADE")
    analyzer_version: str = Field(max_length=60)
    basis: str = Field(max_length=20)
    basis_detail: Optional[str] = Field(default=None, max_length=300)
    scores: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    alignment: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Finding(SQLModel, table=True):
    """A machine finding or a human note on one hop; ``origin`` says which, always."""

    __table_args__ = (
        CheckConstraint(sql_in("severity", SEVERITIES), name="severity"),
        CheckConstraint(sql_in("origin", ORIGINS), name="origin"),
        Index("ix_finding_derivation_origin", "derivation_id", "origin"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    derivation_id: str = Field(foreign_key="derivation.id", max_length=36, ondelete="CASCADE")
    origin: str = Field(max_length=10)
    category: str = Field(max_length=40)
    severity: str = Field(max_length=10)
    fingerprint: str = Field(max_length=64, index=True)
    parent_span: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON, nullable=True))
    child_span: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON, nullable=True))
    explanation: str
    basis: str = Field(max_length=20)
    basis_detail: Optional[str] = Field(default=None, max_length=300)
    analyzer_version: Optional[str] = Field(default=None, max_length=60)
    confidence: Optional[float] = None
    author: Optional[str] = Field(default=None, max_length=200)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Review(SQLModel, table=True):
    """A person's verdict on a machine finding, kept by fingerprint so it survives re-analysis."""

    __table_args__ = (CheckConstraint(sql_in("verdict", REVIEW_VERDICTS), name="verdict"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    derivation_id: str = Field(foreign_key="derivation.id", index=True, max_length=36, ondelete="CASCADE")
    fingerprint: str = Field(max_length=64)
    verdict: str = Field(max_length=10)
    comment: Optional[str] = Field(default=None, max_length=4000)
    reviewer: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class ApiKey(SQLModel, table=True):
    """An API key, stored only as a hash."""

    __tablename__ = "api_key"
    __table_args__ = (CheckConstraint(sql_in("role", ROLES), name="role"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    role: str = Field(max_length=10)
    key_hash: str = Field(unique=True, max_length=64)
    prefix: str = Field(max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: Optional[datetime] = None


class AuditEvent(SQLModel, table=True):
    """One write, chained to the previous event by hash so tampering shows."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id", "seq"),)

    seq: Optional[int] = Field(default=None, primary_key=True)
    id: str = Field(default_factory=new_id, unique=True, max_length=36)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=60)
    entity_type: str = Field(max_length=40)
    entity_id: str = Field(max_length=120)
    at: datetime = Field(default_factory=utcnow)
    state_hash: str = Field(max_length=64)
    prev_hash: str = Field(max_length=64, unique=True)  # one successor per event: the chain cannot fork
    hash: str = Field(max_length=64, unique=True)


class AuditCheckpoint(SQLModel, table=True):
    """The audit log's signed head: event count, last sequence number and hash, and a keyed hash of them.

    One row (``id = 1``), rewritten by every write under the writer lock
    (``provenance.audit``).
    """

    __tablename__ = "audit_checkpoint"
    __table_args__ = (CheckConstraint("id = 1", name="single"),)

    id: int = Field(default=1, primary_key=True)
    count: int
    seq: int
    hash: str = Field(max_length=64)
    mac: str = Field(max_length=64)
    at: datetime = Field(default_factory=utcnow)


class StoredAnswer(SQLModel, table=True):
    """A piece of a read answer, as the JSON the API serves, written with each change it depends on.

    Derived data, not a record (``provenance.answers`` builds and reads it):
    ``quote``, ``node`` and ``edge`` pieces assemble into a quote's graph, and a
    ``lineage`` is a rendition's whole lineage. ``version`` names the code that
    built the piece; a piece of another version is never served.
    """

    __tablename__ = "stored_answer"
    __table_args__ = (
        CheckConstraint("kind IN ('quote', 'node', 'edge', 'lineage')", name="kind"),
        Index("ix_stored_answer_quote_kind", "quote_id", "kind", "sort_key"),
    )

    kind: str = Field(primary_key=True, max_length=10)
    key: str = Field(primary_key=True, max_length=36)
    quote_id: str = Field(foreign_key="quote.id", max_length=36, ondelete="CASCADE")
    sort_key: str = Field(default="", max_length=120)
    version: str = Field(max_length=16)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
