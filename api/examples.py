"""Examples for every field and parameter of the OpenAPI document, taken from the founding chain.

Choe Son Hui's "until the day of victory" (Moscow, 1 November 2024): Korean
remark, Russian interpretation, AFP's English, lejdd.fr's French, the English
republication. Ids are random per database, so id fields show the form of an
id and path parameters show the slug or ``SLUG:KEY`` that any install of the
founding chain answers to. ``add_examples`` fills in what the models do not
say themselves; a test checks that no scalar field is left without an example
and that every example is valid for its field.
"""

from __future__ import annotations

from typing import Any

QUOTE = "choe-2024-11-01-until-the-day-of-victory"
RENDITION = f"{QUOTE}:afp-en"
_ID = "15dde2fc-55cc-44a5-a8d0-930448172b1c"
_HASH = "d75b1ba77e8e15e3e59e728c5a5eb952a0c31116bfa2a7e652bb7c87e8f1de8a"
_AT = "2026-11-26T19:50:38.735810+00:00"
_SCORES = {"chrf": 0.7553, "coverage": 0.7283, "length_ratio": 0.8602, "drift": 1.0, "drift_per_1000_words": 45.4545,
           "findings": 1.0, "compared": 1.0}

FIELDS: dict[str, Any] = {
    "action": "rendition.create", "actor": "key:desk editor (prov_3f9a)", "analyzed": True,
    "analyzer_version": "drift/0.1.0", "at": _AT, "author": "Provenance desk (human gloss)", "basis": "gloss",
    "basis_detail": "parent: human gloss of 'ko-remark' by Provenance desk (human gloss); "
                    "child: human gloss of 'ru-interpretation' by Provenance desk (human gloss)",
    "byline": "AFP", "category": "omission", "child_id": _ID, "child_key": "lejdd-fr",
    "comment": "the gloss is loose here; checked against the AFP wire", "confidence": 0.99, "created_at": _AT,
    "cumulative_drift": [1.0, 6.0, 11.0], "database": "sqlite", "derivation_id": _ID,
    "details": {"parent_pivot": "We state once again that we will always stand firmly at the side of our Russian "
                                "comrades until the day of victory."},
    "end": 42, "entity_id": _ID, "entity_type": "rendition", "events": 57, "evidence":
    "according to an AFP report based on a Russian translation", "exact": "until the day of victory",
    "explanation": 'Omitted: the child leaves out "at the side of" (1 content word). (compared through en glosses)',
    "field": "language", "findings_by_severity": {"minor": 1, "major": 0, "critical": 0},
    "fingerprint": "34508760a44ee5f3356b0dce8cad48c1", "first_broken_id": _ID, "first_broken_seq": 12,
    "fully_analyzed": True, "hash": _HASH, "home_url": "https://www.afp.com/", "id": _ID, "key": "afp-en",
    "language": "en", "language_mismatch": False, "languages": ["en", "fr", "ko", "ru"], "limit": 5,
    "link": "stated", "machine_made": True, "message": "'xx-notalanguage' is not a BCP-47 language tag",
    "next_cursor": "WyJjaG9lLTIwMjQtMTEtMDEtdW50aWwtdGhlLWRheS1vZi12aWN0b3J5Il0", "note":
    "This article is originally published on lejdd.fr", "occasion": "Talks with Russian Foreign Minister Sergei Lavrov",
    "ok": True, "origin": "machine", "parent_id": _ID, "parent_key": "afp-en", "place": "Moscow",
    "prefix": "comrades ", "prev_hash": "28f78b015150c503e3b15e9ae660981322854b2858677bd238c78743fbad53b8",
    "published_at": "2024-11-01T14:00:00+00:00", "query_language": "en", "quote_id": _ID,
    "reason": "event 12 was changed after it was written: its hash does not match its content",
    "relation": "translation", "rendition_id": _ID, "retrieved_at": "2024-11-02T08:00:00+00:00",
    "reviewer": "desk editor", "said_on": "2024-11-01", "score": 0.97, "scores": _SCORES, "seq": 2,
    "severity": "major", "slug": QUOTE, "source_kind": "agency",
    "speaker": "Choe Son Hui", "speaker_role": "Foreign Minister of the Democratic People's Republic of Korea",
    "start": 18, "state_hash": _HASH, "status_meaning": "text in hand from a located source",
    "suffix": ".", "summary": "Choe pledges that North Korea will stand by Russia until victory in Ukraine.",
    "target": _ID, "text": "We repeat that we will always stand firmly by our Russian comrades until the day of victory.",
    "text_hash": _HASH, "url": "https://www.lejdd.fr/international/", "verdict": "dismissed", "version": "0.1.0",
    "worst_severity": "major",
    "head": f"57:{_HASH}", "records_checked": 57,
    "problems": ["rendition 15dde2fc-55cc-44a5-a8d0-930448172b1c no longer matches the state its latest audit event "
                 "(rendition.create) recorded: it was edited behind the application's back"],
    "readable": True, "writable": True, "detail": "the database did not answer within 2 s",
}

FIELDS["alignment"] = {
    "method": "similarity-dp", "notes": [], "pivot_language": "en",
    "parent_pivot": "We state once again that we will always stand firmly at the side of our Russian comrades until "
                    "the day of victory.",
    "child_pivot": "We repeat that we will always stand firmly beside our Russian comrades until the day of victory.",
    "beads": [{"kind": "1-1", "parent_sentences": [0], "child_sentences": [0], "parent_span": [0, 51],
               "child_span": [0, 97], "parent_pivot_span": [0, 114], "child_pivot_span": [0, 96], "score": 0.7553,
               "ops": [{"op": "replace", "parent_text": "state once again", "child_text": "repeat",
                        "parent_span": [0, 51], "child_span": [0, 97], "parent_pivot_span": [3, 19],
                        "child_pivot_span": [3, 9]}]}],
}

# The same name meaning different things in different schemas.
BY_SCHEMA: dict[tuple[str, str], Any] = {
    ("FieldError", "source"): "body",
    ("ParentLink", "parent"): "ru-interpretation",
    ("GraphEdge", "source"): _ID,
    ("RenditionCreate", "source"): "AFP", ("RenditionDoc", "source"): "AFP",
    ("GraphNode", "status"): "reconstructed", ("RenditionCreate", "status"): "attested",
    ("RenditionDetail", "status"): "attested", ("RenditionRead", "status"): "attested",
    ("RenditionDoc", "status"): "attested", ("Health", "status"): "ok",
    ("Detection", "method"): "script", ("TraceMatch", "method"): "full-text + fuzzy",
    ("Detection", "language"): "ko", ("Detection", "confidence"): 1.0,
    ("SourceDoc", "kind"): "agency", ("SourceRead", "kind"): "agency",
    ("TranslatorDoc", "kind"): "human", ("TranslatorRead", "kind"): "human",
    ("SourceDoc", "name"): "AFP", ("SourceRead", "name"): "AFP",
    ("TranslatorDoc", "name"): "Russian Foreign Ministry interpreter",
    ("TranslatorRead", "name"): "Russian Foreign Ministry interpreter",
    ("GlossCreate", "text"): "We state once again that we will always stand firmly at the side of our Russian "
                             "comrades until the day of victory.",
    ("GlossRead", "origin"): "human", ("GlossDoc", "origin"): "human", ("NoteDoc", "origin"): "human",
}

# Query and path parameters, by name.
PARAMETERS: dict[str, Any] = {
    "quote_id": QUOTE, "rendition_id": RENDITION, "parent_id": f"{QUOTE}:ru-interpretation",
    "child_id": f"{QUOTE}:afp-en",
    "finding_id": _ID, "q": "day of victory", "speaker": "Choe", "language": "ko", "status": "reconstructed",
    "limit": 50, "cursor": FIELDS["next_cursor"], "format": "prov-json", "expect_head": FIELDS["head"],
}


def _is_documented_elsewhere(prop: Any) -> bool:
    """A reference, or a list of references: the referenced schema's own fields carry the examples."""
    if getattr(prop, "ref", None):
        return True
    items = getattr(prop, "items", None)
    if items is not None and getattr(items, "ref", None):
        return True
    return any(_is_documented_elsewhere(p) for p in (getattr(prop, "any_of", None) or [])
               if getattr(p, "type", None) != "null" and getattr(getattr(p, "type", None), "value", None) != "null")


def add_examples(app: Any) -> None:
    """Fill ``examples`` on every property and parameter that has none (after the app is built)."""
    schema = app.openapi_schema
    for name, component in (schema.components.schemas or {}).items():
        base = name.rsplit("_", 1)[-1]  # Litestar may prefix a module path
        for prop_name, prop in (component.properties or {}).items():
            if getattr(prop, "examples", None) or _is_documented_elsewhere(prop):
                continue
            key = (base, prop_name)
            if key in BY_SCHEMA:
                prop.examples = [BY_SCHEMA[key]]
            elif prop_name in FIELDS:
                prop.examples = [FIELDS[prop_name]]
    for path_item in (schema.paths or {}).values():
        for method in ("get", "post", "put", "patch", "delete"):
            operation = getattr(path_item, method, None)
            for parameter in (getattr(operation, "parameters", None) or []) if operation else []:
                if parameter.name in PARAMETERS and parameter.schema is not None and not parameter.schema.examples:
                    parameter.schema.examples = [PARAMETERS[parameter.name]]
