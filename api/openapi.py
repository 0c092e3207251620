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
    409: "Conflict: a cycle in the lineage, or a slug already recorded",
    413: "Request body over 1 MiB",
    422: "Well-formed input with invalid fields (each listed in `errors`)",
    429: "Too many requests: wait for Retry-After seconds",
    503: "No comparison text could be had (pivot unavailable)",
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
            codes = [401, 403, 404, 422, 429]
            if handler.opt.get("role") == "public":
                codes = [429]
            if handler.http_methods & {"POST", "PUT", "PATCH"}:
                codes += [400, 409, 413, 422, 503]
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
