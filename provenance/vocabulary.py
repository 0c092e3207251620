"""The closed vocabularies of the data model, in one place for schemas, checks and docs."""

SOURCE_KINDS = ("speaker", "interpreter", "agency", "newspaper", "broadcaster", "government", "social", "other")
RENDITION_STATUSES = ("attested", "claimed", "reconstructed")
RELATIONS = ("translation", "quotation", "republication", "paraphrase", "excerpt", "revision", "back_translation")
TRANSLATOR_KINDS = ("human", "machine", "unknown")
LINK_BASES = ("stated", "inferred")
SEVERITIES = ("minor", "major", "critical")
ORIGINS = ("machine", "human")
REVIEW_VERDICTS = ("confirmed", "dismissed")
ROLES = ("reader", "editor", "admin")
FINDING_CATEGORIES = (
    "omission", "addition", "substitution", "softening", "intensification", "hedge_added", "hedge_removed",
    "modality_shift", "negation_flip", "number_change", "entity_change", "quote_boundary_change",
    "attribution_change", "attribution_suspect", "language_mismatch",
)
NOTE_CATEGORIES = (*FINDING_CATEGORIES, "other")

STATUS_MEANING = {
    "attested": "text in hand from a located source",
    "claimed": "a source says it exists; not located",
    "reconstructed": "written by us to stand in; not a real source's words",
}


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """A CHECK constraint body so the database refuses values outside a vocabulary."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
