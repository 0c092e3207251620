"""Validated inputs: the chain document and the shapes that create records.

One document may hold several quotes. Each rendition has a local ``key``;
``derived_from`` lists parent keys. Models forbid unknown fields so a typo is an
error that names the field, not a silently ignored value.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from provenance.documents import control_character
from provenance.errors import InvalidInput
from provenance.languages import normalize_language

SourceKind = Literal["speaker", "interpreter", "agency", "newspaper", "broadcaster", "government", "social", "other"]
Status = Literal["attested", "claimed", "reconstructed"]
Relation = Literal["translation", "quotation", "republication", "paraphrase", "excerpt", "revision", "back_translation"]
TranslatorKind = Literal["human", "machine", "unknown"]
LinkBasis = Literal["stated", "inferred"]
Severity = Literal["minor", "major", "critical"]

MAX_TEXT_LENGTH = 20_000
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,118}[a-z0-9]$"
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$"


def _language(value: str) -> str:
    try:
        return normalize_language(value)
    except InvalidInput as exc:  # pydantic collects ValueErrors with their location
        raise ValueError(exc.message) from None


#: A BCP-47 tag, checked against the registry (``languages.normalize_language``); the schema names the format.
Language = Annotated[str, AfterValidator(_language), WithJsonSchema({"type": "string", "format": "bcp47",
                                                                     "maxLength": 35, "examples": ["en"]})]


def times_not_numbers(value: object) -> object:
    """Refuse numbers where a date or time is expected; pydantic would read 0 as 1970-01-01."""
    if isinstance(value, (int, float, bool)):
        raise ValueError("expected an ISO 8601 date or time such as 2024-11-01 or 2024-11-01T14:00:00Z")
    return value


def as_aware(value: Optional[datetime]) -> Optional[datetime]:
    """Times without a zone are taken as UTC, said so in the README, rather than refused."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def no_control_characters(value: object) -> object:
    """Refuse control characters in any text of an input (tab and line breaks excepted): PostgreSQL cannot
    store NUL, and no quote, name or note holds one."""
    if isinstance(value, str):
        bad = control_character(value)
        if bad:
            raise ValueError(f"holds the control character {bad}: remove it (texts hold letters, punctuation, "
                             "spaces and line breaks)")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _plain_text = field_validator("*", mode="after")(no_control_characters)


class SourceDoc(_Strict):
    name: str = Field(min_length=1, max_length=200, examples=["AFP"])
    kind: SourceKind = "other"
    home_url: Optional[str] = Field(default=None, max_length=2000, examples=["https://www.afp.com/"])


class TranslatorDoc(_Strict):
    kind: TranslatorKind = "unknown"
    name: Optional[str] = Field(default=None, max_length=200)


NoteCategory = Literal["omission", "addition", "substitution", "softening", "intensification", "hedge_added",
                       "hedge_removed", "modality_shift", "negation_flip", "number_change", "entity_change",
                       "quote_boundary_change", "attribution_change", "attribution_suspect", "language_mismatch",
                       "other"]


class SpanDoc(_Strict):
    """Offsets into a rendition's text; ``exact``, when given, must be the text at those offsets."""

    start: int = Field(ge=0)
    end: int = Field(ge=1)
    exact: Optional[str] = None


class NoteDoc(_Strict):
    """A person's note on a hop."""

    text: str = Field(min_length=1, max_length=4000)
    category: NoteCategory = "other"
    severity: Severity = "minor"
    author: str = Field(min_length=1, max_length=200)
    parent_span: Optional[SpanDoc] = None
    child_span: Optional[SpanDoc] = None


class ReviewDoc(_Strict):
    """A person's verdict on the machine finding with this fingerprint."""

    fingerprint: str = Field(pattern=r"^[0-9a-f]{32}$")
    verdict: Literal["confirmed", "dismissed"]
    comment: Optional[str] = Field(default=None, max_length=4000)
    reviewer: str = Field(min_length=1, max_length=200)
    category: Optional[str] = Field(default=None, max_length=40, description="for the reader; not checked")


class ParentLink(_Strict):
    """One parent of a rendition, with the words that claim the link."""

    parent: str = Field(pattern=KEY_PATTERN, description="key of the parent rendition in the same quote")
    relation: Relation = "translation"
    translator: TranslatorDoc = Field(default_factory=TranslatorDoc)
    evidence: Optional[str] = Field(default=None, max_length=2000,
                                    examples=["according to an AFP report based on a Russian translation"])
    link: LinkBasis = Field(default="stated", description="stated by the source, or inferred by an editor")
    notes: list[NoteDoc] = Field(default_factory=list)
    reviews: list[ReviewDoc] = Field(default_factory=list)


class GlossDoc(_Strict):
    """A translation into the pivot language written by a person."""

    language: Language
    text: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH)
    author: str = Field(min_length=1, max_length=200)


class RenditionDoc(_Strict):
    key: str = Field(pattern=KEY_PATTERN, examples=["afp-en"])
    language: Language = Field(examples=["en"])
    status: Status
    text: Optional[str] = Field(default=None, max_length=MAX_TEXT_LENGTH)
    source: Optional[str] = Field(default=None, max_length=200, description="name of a source in `sources`")
    url: Optional[str] = Field(default=None, max_length=2000)
    byline: Optional[str] = Field(default=None, max_length=300)
    published_at: Optional[datetime] = None
    retrieved_at: Optional[datetime] = None
    note: Optional[str] = Field(default=None, max_length=2000, description="why the rendition has this status")
    glosses: list[GlossDoc] = Field(default_factory=list)
    derived_from: list[ParentLink] = Field(default_factory=list)

    _aware_published = field_validator("published_at", "retrieved_at")(as_aware)
    _times_not_numbers = field_validator("published_at", "retrieved_at", mode="before")(times_not_numbers)

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not value.strip():
            raise ValueError("text is blank: leave it out for a rendition that is not located")
        return value

    @model_validator(mode="after")
    def _status_fits_text(self) -> "RenditionDoc":
        if self.status in ("attested", "reconstructed") and self.text is None:
            raise ValueError(f"a rendition with status '{self.status}' needs its text")
        parents = [p.parent for p in self.derived_from]
        if len(set(parents)) != len(parents):
            raise ValueError("derived_from names the same parent twice")
        return self


class QuoteDoc(_Strict):
    slug: Optional[str] = Field(default=None, pattern=SLUG_PATTERN,
                                description="derived from speaker, date and first words when absent")
    speaker: str = Field(min_length=1, max_length=200, examples=["Choe Son Hui"])
    speaker_role: Optional[str] = Field(default=None, max_length=300)
    occasion: Optional[str] = Field(default=None, max_length=500)
    place: Optional[str] = Field(default=None, max_length=200)
    said_on: Optional[date] = None
    original_language: Language = Field(examples=["ko"])
    summary: Optional[str] = Field(default=None, max_length=2000)
    renditions: list[RenditionDoc] = Field(default_factory=list)

    _date_not_number = field_validator("said_on", mode="before")(times_not_numbers)

    @model_validator(mode="after")
    def _unique_keys(self) -> "QuoteDoc":
        seen: set[str] = set()
        for r in self.renditions:
            if r.key in seen:
                raise ValueError(f"rendition key '{r.key}' is used twice")
            seen.add(r.key)
        return self


class ChainDocument(_Strict):
    """A file of one or more quotes with their chains of renditions."""

    version: Literal[1] = 1
    sources: list[SourceDoc] = Field(default_factory=list)
    quotes: list[QuoteDoc] = Field(min_length=1)


def chain_document_schema() -> dict:
    """The JSON Schema that ``provenance schema`` prints."""
    schema = ChainDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Quote provenance chain document"
    return schema
