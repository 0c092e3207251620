"""Every route documents the problem-details responses it can give."""

from __future__ import annotations

from typing import Any

from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec

from api.errors import PROBLEM
from api.schemas import ProblemDetails

_DESCRIPTIONS = {
    400: "The body is not valid JSON (or not a readable chain document)",
    401: "No valid API key where one is needed",
    403: "The API key's role is too low",
    404: "Unknown id, slug or SLUG:KEY",
    409: "Conflict: a cycle in the lineage, or a key, slug, link or gloss already recorded (the problem names it)",
    413: "Request body over 1 MiB",
    415: "The body's Content-Type is not one this operation reads",
    422: "Well-formed input with invalid fields (each listed in `errors`), or a control character in the path or query",
    429: "Too many requests: wait for Retry-After seconds",
    503: "The database is unreachable, silent, read-only or busy (wait for Retry-After seconds), or no comparison "
         "text could be had (pivot unavailable)",
}


def _spec(code: int) -> ResponseSpec:
    return ResponseSpec(data_container=ProblemDetails, description=_DESCRIPTIONS[code], media_type=PROBLEM,
                        generate_examples=False)


def document_problems(*controllers: Any) -> None:
    """Add the problem responses to each handler of ``controllers`` (before the app is built)."""
    for controller in controllers:
        for handler in vars(controller).values():
            if not isinstance(handler, HTTPRouteHandler):
                continue
            codes = [401, 403, 404, 422, 429, 503]
            if handler.opt.get("role") == "public":
                codes = [429] if handler.fn.__name__ == "ping" else [429, 503]
            if handler.http_methods & {"POST", "PUT", "PATCH"}:
                codes += [400, 409, 413, 415, 422, 503]
            if any(p for p in ("limit", "cursor", "q", "format", "parent_id", "status", "language", "speaker")
                   if p in handler.fn.__code__.co_varnames):
                codes.append(422)
            handler.responses = {**{c: _spec(c) for c in sorted(set(codes))}, **(handler.responses or {})}


def close_input_objects(app: Any) -> None:
    """Say ``additionalProperties: false`` for inputs that refuse unknown fields.

    Litestar's pydantic plugin leaves it out, so the schema would promise that
    unknown fields are fine while the models (``extra="forbid"``) refuse them.
    """
    import pydantic

    import api.schemas
    import provenance.schemas

    closed = {name for module in (api.schemas, provenance.schemas) for name, obj in vars(module).items()
              if isinstance(obj, type) and issubclass(obj, pydantic.BaseModel)
              and obj.model_config.get("extra") == "forbid"}
    schemas = app.openapi_schema.components.schemas or {}
    for name, schema in schemas.items():
        if name.rsplit("_", 1)[-1] in closed or name in closed:
            schema.additional_properties = False
            _document_plain_text(schema)


#: What every text of an input may not hold (``provenance.schemas.no_control_characters``), as a JSON Schema pattern.
PLAIN_TEXT = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"


#: Longer texts (rendition texts, up to 20,000 characters) are left without the pattern: a generator asked for a
#: string one character over that length, matching a pattern, takes minutes to make one.
PATTERN_UP_TO = 4000
#: Input fields holding a BCP-47 tag (``provenance.schemas.Language``): the schema names their format.
LANGUAGE_FIELDS = {"language", "original_language"}


def _document_plain_text(schema: Any) -> None:
    """Say in the schema that text fields refuse control characters, where no pattern says more already,
    and which fields hold a language tag."""
    for name, prop in (schema.properties or {}).items():
        if (getattr(prop, "max_length", None) or 0) > PATTERN_UP_TO:
            continue
        for candidate in [prop, *(getattr(prop, "one_of", None) or []), *(getattr(prop, "any_of", None) or [])]:
            kind = getattr(getattr(candidate, "type", None), "value", getattr(candidate, "type", None))
            if kind != "string" or any(getattr(candidate, a, None) for a in ("pattern", "format", "enum", "const")):
                continue
            if name in LANGUAGE_FIELDS:
                candidate.format, candidate.max_length = "bcp47", 35
            else:
                candidate.pattern = PLAIN_TEXT


def document_export_types(app: Any) -> None:
    """The export's 200 answer in each format's own media type (Litestar documents only one, JSON).

    Called after the app is built; the types come from the exporters themselves.
    """
    from litestar.openapi.spec import OpenAPIMediaType, Schema
    from litestar.openapi.spec.enums import OpenAPIType

    from provenance.export import EXPORTERS

    operation = app.openapi_schema.paths["/api/quotes/{quote_id}/export"].get
    ok = operation.responses["200"]
    formats: dict[str, list[str]] = {}
    for exporter in EXPORTERS.values():
        formats.setdefault(exporter.media_type.split(";")[0], []).append(exporter.name)
    ok.content = {media_type: OpenAPIMediaType(schema=Schema(
        type=OpenAPIType.OBJECT if media_type == "application/json" else OpenAPIType.STRING,
        description="format=" + " or format=".join(names))) for media_type, names in formats.items()}


#: How the answer of one operation feeds the next (OpenAPI links): a client, and schemathesis's stateful
#: runs, can follow a new quote to its renditions, a new rendition to its lineage, glosses and analysis.
LINKS: dict[tuple[str, str], dict[str, tuple[str, dict[str, str]]]] = {
    ("createQuote", "201"): {
        "GetQuote": ("getQuote", {"quote_id": "$response.body#/id"}),
        "GetQuoteGraph": ("getQuoteGraph", {"quote_id": "$response.body#/id"}),
        "AddRendition": ("createRendition", {"quote_id": "$response.body#/slug"}),
        "ExportQuote": ("exportQuote", {"quote_id": "$response.body#/id"}),
    },
    ("createRendition", "201"): {
        "GetRendition": ("getRendition", {"rendition_id": "$response.body#/id"}),
        "GetLineage": ("getLineage", {"rendition_id": "$response.body#/id"}),
        "AddGloss": ("addGloss", {"rendition_id": "$response.body#/id"}),
        "Analyze": ("analyzeRendition", {"rendition_id": "$response.body#/id"}),
        "AnotherRendition": ("createRendition", {"quote_id": "$response.body#/quote_id"}),
    },
    ("createDerivation", "201"): {
        "AnalyzeChild": ("analyzeRendition", {"rendition_id": "$response.body#/child_id"}),
        "ChildLineage": ("getLineage", {"rendition_id": "$response.body#/child_id"}),
        "HopDrift": ("getDrift", {"rendition_id": "$response.body#/child_id",
                                  "parent_id": "$response.body#/parent_id"}),
        "NoteOnHop": ("addNote", {"rendition_id": "$response.body#/child_id"}),
    },
    ("analyzeRendition", "200"): {
        "ReviewFirstFinding": ("reviewFinding", {"finding_id": "$response.body#/hops/0/findings/0/id"}),
    },
}


def add_links(app: Any) -> None:
    """Write :data:`LINKS` into the built schema's responses."""
    from litestar.openapi.spec import Link

    by_id = {}
    for path_item in (app.openapi_schema.paths or {}).values():
        for method in ("get", "post"):
            operation = getattr(path_item, method, None)
            if operation is not None:
                by_id[operation.operation_id] = operation
    for (source, status), links in LINKS.items():
        response = by_id[source].responses[status]
        response.links = {name: Link(operation_id=target, parameters=dict(params))
                          for name, (target, params) in links.items()}
