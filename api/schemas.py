"""Request and response shapes of the API (never table models).

Responses are validated from the dicts that ``provenance.views`` builds, so the
OpenAPI schema documents exactly what the handlers send.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from provenance import coverage
from provenance.schemas import (
    GlossDoc,
    LinkBasis,
    MAX_TEXT_LENGTH,
    ParentLink,
    QuoteDoc,
    Relation,
    RenditionDoc,
    Severity,
    SourceDoc,
    TranslatorDoc,
    as_aware,
    times_not_numbers,
    no_control_characters,
)

Status = Literal["attested", "claimed", "reconstructed"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SourceRead(_Out):
    id: str
    name: str
    kind: str
    home_url: Optional[str] = None


class Detection(_Out):
    language: Optional[str] = Field(description="detected language, or null when the text is too short to judge")
    confidence: Optional[float] = None
    method: Optional[str] = Field(None, description="script, langdetect or undetermined; in a trace also matched rendition (the query is held nearly word for word by a text recorded in that language)")
    origin: Literal["machine"] = "machine"


class GlossRead(_Out):
    id: str
    language: str
    text: str
    author: str
    origin: Literal["human"] = "human"


class RenditionRead(_Out):
    id: str
    quote_id: str
    key: str = Field(examples=["afp-en"])
    text: Optional[str] = Field(examples=["We repeat that we will always stand firmly by our Russian comrades until the day of victory."])
    language: str = Field(examples=["en"])
    detected_language: Optional[Detection] = None
    language_mismatch: bool
    text_hash: Optional[str] = Field(description="SHA-256 of the normalised text")
    status: Status
    status_meaning: str
    source: Optional[SourceRead] = None
    url: Optional[str] = None
    byline: Optional[str] = None
    published_at: Optional[str] = None
    retrieved_at: Optional[str] = None
    note: Optional[str] = None
    created_at: str
    glosses: list[GlossRead] = []


class DriftSummary(_Out):
    analyzed: bool
    analyzer_version: Optional[str] = None
    basis: Optional[str] = Field(None, description="same_language, gloss, cache, live_mt or none")
    scores: dict[str, Any] = {}
    findings_by_severity: dict[str, int]
    worst_severity: Optional[Severity] = None
    dismissed: int = Field(0, examples=[1], description="machine findings a person dismissed, left out of the counts above")


class TranslatorRead(_Out):
    kind: str
    name: Optional[str] = None


class DerivationRead(_Out):
    id: str
    quote_id: str
    child_id: str
    parent_id: str
    relation: str = Field(examples=["translation"])
    translator: TranslatorRead
    evidence: Optional[str] = Field(None, examples=["according to an AFP report based on a Russian translation"])
    link: str
    created_at: str
    drift: Optional[DriftSummary] = None


class QuoteRead(_Out):
    id: str
    slug: str = Field(examples=["choe-2024-11-01-until-the-day-of-victory"])
    speaker: str = Field(examples=["Choe Son Hui"])
    speaker_role: Optional[str] = None
    occasion: Optional[str] = None
    place: Optional[str] = None
    said_on: Optional[str] = Field(None, examples=["2024-11-01"])
    original_language: str = Field(examples=["ko"])
    summary: Optional[str] = None
    created_at: str


class QuoteListItem(QuoteRead):
    languages: list[str]
    analysis: Literal["analysed", "partly analysed", "not analysed", "no hops"] = Field(
        examples=["not analysed"], description="how many of the quote's hops were analysed: 'not analysed' is not "
                                               "'no findings'")
    hops: int = Field(examples=[4])
    hops_analysed: int = Field(examples=[0])
    worst_severity: Optional[Severity] = Field(
        None, description="the worst current finding or note of the analysed hops; dismissed findings left out")


class QuotePage(_Out):
    items: list[QuoteListItem]
    next_cursor: Optional[str] = Field(None, description="pass as `cursor` to get the next page; null on the last page")


class QuoteDetail(QuoteRead):
    renditions: list[RenditionRead]
    derivations: list[DerivationRead]


class RenditionDetail(RenditionRead):
    parents: list[DerivationRead]
    children: list[DerivationRead]


class GraphNode(_Out):
    id: str
    key: str
    language: str
    status: Status
    source: Optional[SourceRead] = None
    published_at: Optional[str] = None
    text: Optional[str] = None
    language_mismatch: bool


class GraphEdge(DerivationRead):
    source: str = Field(description="parent rendition id")
    target: str = Field(description="child rendition id")


class Graph(_Out):
    quote: QuoteRead
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class LineageHop(DerivationRead):
    parent_key: str
    child_key: str


class Divergence(_Out):
    derivation_id: str
    parent_key: str
    child_key: str
    worst_severity: Severity


class LineagePath(_Out):
    renditions: list[RenditionRead] = Field(description="origin first, this rendition last")
    hops: list[LineageHop]
    cumulative_drift: list[float] = Field(description="MQM-style drift summed from the origin, after each hop")
    first_divergence: Optional[Divergence] = Field(None, description="the first hop where a major or critical change entered")
    fully_analyzed: bool


class Lineage(_Out):
    rendition_id: str
    quote_id: str
    paths: list[LineagePath]


# ---------------------------------------------------------------- inputs

class QuoteCreate(QuoteDoc):
    """A quote, optionally with its renditions and their sources (as in the chain document)."""

    sources: list[SourceDoc] = Field(default_factory=list)


class RenditionCreate(RenditionDoc):
    """A new rendition of an existing quote; ``derived_from`` names parents by key or id."""

    source: Optional[str] = Field(default=None, max_length=200, description="name of a recorded or new source")
    source_kind: Optional[Literal["speaker", "interpreter", "agency", "newspaper", "broadcaster", "government",
                                  "social", "other"]] = None
    allow_same_text: bool = Field(False, examples=[False], description=(
        "record the text even when the quote already holds the same words (another outlet printing them, an "
        "aggregator copying a wire); otherwise such a text is refused with 409 naming the rendition that holds it"))


class _In(BaseModel):
    """An input of the API: unknown fields refused, text stripped, no control characters."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    _plain_text = field_validator("*", mode="after")(no_control_characters)


class RenditionCorrection(_In):
    """What an editor may correct about a rendition: where it comes from, never its words. A field left out stays
    as it is; a field sent as null is cleared."""

    source: Optional[str] = Field(None, max_length=200, examples=["AFP"], description="the outlet's name ('' clears it)")
    source_kind: Literal["speaker", "interpreter", "agency", "newspaper", "broadcaster", "government", "social",
                         "other"] = Field("other", examples=["agency"], description="for a source not recorded yet")
    url: Optional[str] = Field(None, max_length=2000, examples=["https://www.afp.com/en/news/choe-lavrov"])
    byline: Optional[str] = Field(None, max_length=300, examples=["By AFP staff"])
    published_at: Optional[datetime] = Field(None, examples=["2024-11-01T14:00:00Z"])
    retrieved_at: Optional[datetime] = Field(None, examples=["2024-11-03T09:00:00Z"])
    note: Optional[str] = Field(None, max_length=2000, examples=["Located in the AFP archive on 3 November."])

    _aware_times = field_validator("published_at", "retrieved_at")(as_aware)
    _times_not_numbers = field_validator("published_at", "retrieved_at", mode="before")(times_not_numbers)


class DerivationCreate(_In):
    child_id: str = Field(min_length=1, max_length=200, description="id or SLUG:KEY of the child rendition")
    parent_id: str = Field(min_length=1, max_length=200, description="id or SLUG:KEY of the parent rendition")
    relation: Relation = "translation"
    translator: TranslatorDoc = Field(default_factory=TranslatorDoc)
    evidence: Optional[str] = Field(default=None, max_length=2000)
    link: LinkBasis = "stated"


class GlossCreate(GlossDoc):
    pass


class AuditEventRead(_Out):
    id: str
    seq: int
    actor: str
    action: str
    entity_type: str
    entity_id: str
    at: str
    state_hash: str
    prev_hash: str
    hash: str


class AuditPage(_Out):
    items: list[AuditEventRead]
    next_cursor: Optional[str] = None


class AuditVerification(_Out):
    ok: bool
    events: int
    first_broken_seq: Optional[int] = None
    first_broken_id: Optional[str] = None
    reason: Optional[str] = Field(None, description="the first thing that does not match")
    head: Optional[str] = Field(None, description="COUNT:HASH of the log's last event, to keep elsewhere")
    records_checked: int = Field(0, description="audited rows compared with their latest event")
    problems: list[str] = Field(default_factory=list, description="up to 50 things that do not match")


class Health(_Out):
    status: Literal["ok", "unavailable"]
    database: str
    version: str
    readable: bool = Field(True, description="the database answered a read")
    writable: bool = Field(True, description="the database would accept a write")
    detail: Optional[str] = Field(None, description="what is wrong, when something is")


class ImportResult(_Out):
    quotes: list[QuoteRead]


__all__ = ["ParentLink", "MAX_TEXT_LENGTH"]


# ---------------------------------------------------------------- analysis

class TextSpan(_Out):
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


class ReviewRead(_Out):
    verdict: Literal["confirmed", "dismissed"]
    comment: Optional[str] = None
    reviewer: str
    at: str


class FindingRead(_Out):
    id: str
    origin: Literal["machine", "human"] = Field(description="machine findings are never a person's words")
    machine_made: bool
    category: str = Field(examples=["omission"])
    severity: Severity
    fingerprint: str
    parent_span: Optional[TextSpan] = None
    child_span: Optional[TextSpan] = None
    explanation: str
    basis: str = Field(description="same_language, gloss, cache, live_mt, none (machine) or human (notes)")
    basis_detail: Optional[str] = None
    analyzer_version: Optional[str] = None
    confidence: Optional[float] = None
    author: Optional[str] = None
    details: dict[str, Any] = {}
    created_at: str
    review: Optional[ReviewRead] = None


class HopDrift(_Out):
    derivation: DerivationRead
    parent: RenditionRead
    child: RenditionRead
    analyzed: bool
    analyzer_version: Optional[str] = None
    basis: Optional[str] = None
    basis_detail: Optional[str] = None
    scores: dict[str, Any] = {}
    alignment: Optional[dict[str, Any]] = Field(None, description="method, notes, pivot texts, beads with offsets into both original texts and token operations")
    findings: list[FindingRead]


class AnalyzeResult(_Out):
    hops: list[HopDrift]


class QuoteAnalysis(_Out):
    quote: QuoteRead
    analysis: Literal["analysed", "partly analysed", "not analysed", "no hops"] = Field(examples=["analysed"])
    hops: int = Field(examples=[4])
    hops_analysed: int = Field(examples=[4])
    worst_severity: Optional[Severity] = Field(
        None, description="the worst current finding or note; dismissed findings left out")


class SpanIn(_In):
    start: int = Field(ge=0, le=MAX_TEXT_LENGTH, strict=True)
    end: int = Field(ge=1, le=MAX_TEXT_LENGTH, strict=True)


class NoteCreate(_In):
    parent_id: Optional[str] = Field(None, max_length=200, description="needed when the rendition has several parents")
    text: str = Field(min_length=1, max_length=4000)
    category: str = Field("other", max_length=40, examples=["omission"])
    severity: Severity = "minor"
    author: Optional[str] = Field(None, max_length=200, description="defaults to the API key's name")
    parent_span: Optional[SpanIn] = None
    child_span: Optional[SpanIn] = None


class ReviewCreate(_In):
    verdict: Literal["confirmed", "dismissed"]
    comment: Optional[str] = Field(None, max_length=4000)


class TraceRequest(_In):
    text: str = Field(min_length=3, max_length=MAX_TEXT_LENGTH,
                      examples=["we will always stand firmly by our Russian comrades until the day of victory"])
    language: Optional[str] = Field(None, max_length=35, description="BCP-47; detected when absent")
    limit: int = Field(5, ge=1, le=50, strict=True)


class TraceHeld(_Out):
    words: list[str] = Field(examples=[["stand", "firmly", "russian", "comrades"]],
                             description="the query's content words the rendition holds, in order")
    missing: list[str] = Field(examples=[["victory"]], description="the query's content words it does not hold")


class _TraceScores(_Out):
    score: float = Field(examples=[0.8], description="calibrated: the share of the query's content words, names and "
                                                     "numbers the rendition holds, in order (0..1)")
    label: Literal["match", "possible match"] = Field(
        examples=["match"], description=f"match at {coverage.MATCH} or more; possible match from {coverage.POSSIBLE} (lower scores are "
                    "not results)")
    similarity: float = Field(examples=[0.91], description="fuzzy likeness of the two texts, used to find and order "
                                                           "candidates")
    method: str = Field(examples=["full-text + fuzzy"], description="full-text plus fuzzy re-rank, or pivot")
    matched: TraceHeld


class TraceAlso(_TraceScores):
    rendition: RenditionRead


class TraceMatch(_TraceScores):
    """One quote found: its best matching rendition (``rendition``) with its lineage, and its others."""

    quote: QuoteRead
    rendition: RenditionRead
    lineage: Lineage
    also: list[TraceAlso] = Field(description="the quote's other matching renditions, best first")


class TraceThresholds(_Out):
    match: float = Field(examples=[coverage.MATCH])
    possible_match: float = Field(examples=[coverage.POSSIBLE])


class TraceResult(_Out):
    query_language: Optional[str]
    detection: Optional[Detection] = Field(None, description="how the query's language was found; null when the caller stated it")
    verdict: Literal["match", "possible match", "not found"] = Field(
        examples=["not found"], description="the best result's label, or not found when no recorded rendition holds the query")
    thresholds: TraceThresholds
    matches: list[TraceMatch] = Field(description="one per quote, best first")


class FieldError(_Out):
    field: str
    message: str
    source: Optional[str] = None


class ProblemDetails(_Out):
    """RFC 9457 problem details, the body of every error response."""

    type: str = Field(examples=["https://quote-provenance.example/problems/lineage-cycle"])
    title: str = Field(examples=["Lineage cycle"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["linking 'ko-remark' as derived from 'republication-en' would close a cycle"])
    errors: Optional[list[FieldError]] = None


# ---------------------------------------------------------------- intake

_ARTICLE = ("In a recent meeting with Russian Foreign Minister Sergei Lavrov, North Korea’s Foreign Minister Choe "
            "Son Hui declared support. According to an AFP report based on a Russian translation of her remarks, "
            "Choe stated, “We reaffirm that we will always stand firmly by our Russian comrades until the day of "
            "victory.”\nThis article is originally published on lejdd.fr")


class IntakeRequest(_In):
    """An article to read: its text, its HTML, or its URL (exactly one)."""

    text: Optional[str] = Field(None, min_length=1, max_length=900_000, examples=[_ARTICLE])
    html: Optional[str] = Field(None, min_length=1, max_length=900_000,
                                examples=["<html><body><article><p>“We will win,” she said.</p></article></body></html>"])
    url: Optional[str] = Field(None, min_length=8, max_length=2000, pattern=r"^https?://\S+$",
                               examples=["https://www.example.com/world/article.html"])
    language: Optional[str] = Field(None, max_length=35, description="BCP-47; detected when absent", examples=["en"])
    outlet: Optional[str] = Field(None, max_length=200, description="who published the article", examples=["lejdd.fr"])
    page_url: Optional[str] = Field(None, max_length=2000, pattern=r"^https?://\S+$",
                                    description="the article's address, for pasted text or HTML",
                                    examples=["https://www.example.com/world/article.html"])

    @model_validator(mode="after")
    def _one_input(self) -> "IntakeRequest":
        given = [n for n in ("text", "html", "url") if getattr(self, n)]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text', 'html' or 'url'")
        return self


_PUBLICATION = {"url": None, "outlet": "lejdd.fr", "title": None, "author": None, "published_on": None,
                "language": "en", "language_detected": True, "retrieved_at": "2026-12-07T10:00:00+00:00",
                "read_as": "text", "length": 318, "text": _ARTICLE, "text_hash": "0" * 64, "recorded": None}
_QUOTE = {"text": "We reaffirm that we will always stand firmly by our Russian comrades until the day of victory.",
          "start": 213, "end": 307, "kind": "full", "speaker": "Choe Son Hui",
          "evidence": [{"text": "According to an AFP report based on a Russian translation of her remarks",
                        "start": 118, "end": 190}],
          "chain": [{"source": "lejdd.fr", "language": "fr", "kind": "newspaper"},
                    {"source": "AFP", "language": None, "kind": "agency"},
                    {"source": "Russian translation", "language": "ru", "kind": "interpreter"},
                    {"source": "Choe Son Hui", "language": "ko", "kind": "speaker"}],
          "proposal": {"action": "new", "quote": "choe-son-hui-we-reaffirm-that-we-will-always"}}


class IntakeProposal(_Out):
    """The article as read, each quotation with its speaker, evidence, claimed chain and proposal."""

    publication: dict[str, Any] = Field(examples=[_PUBLICATION])
    quotes: list[dict[str, Any]] = Field(examples=[[_QUOTE]])


class IntakeAccept(BaseModel):
    """A proposal as ``POST /api/intake`` gave it, perhaps edited: a speaker fixed, and in a quotation's
    ``editor`` what an editor decided against intake's proposal (``{"action": "skip"}``, ``{"action": "new"}``,
    ``{"action": "attach", "quote": SLUG, "parent": KEY}``). Intake's own ``proposal`` is planned again when
    accepted; fields, offsets and control characters are checked then."""

    model_config = ConfigDict(extra="ignore")
    publication: dict[str, Any] = Field(examples=[_PUBLICATION])
    quotes: list[dict[str, Any]] = Field(max_length=2000, examples=[[_QUOTE]])


class IntakeAccepted(_Out):
    publication: str = Field(description="the publication's id", examples=["3f1c2a9e-0000-4000-8000-000000000000"])
    quotes: list[str] = Field(description="slugs of the quotes written or attached to",
                              examples=[["choe-son-hui-we-reaffirm-that-we-will-always"]])
    hops_analysed: int = Field(examples=[4])
    landing: Optional[str] = Field(description="the page of the first quote", examples=["/quotes/choe-son-hui-we-reaffirm"])
