"""Every error as RFC 9457 problem details (``application/problem+json``).

One table maps domain errors to status codes (each ``ProvenanceError`` kind
carries its own); controllers hold no try/except. Litestar's own validation
errors become 422 with a list of field errors, a body that is not JSON is 400,
and anything unexpected is a 500 problem that hides the internals.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from provenance.errors import ProvenanceError, Unavailable

PROBLEM = "application/problem+json"
TYPE_BASE = "https://quote-provenance.example/problems/"
log = logging.getLogger("api")

TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 413: "Request body too large", 415: "Unsupported media type", 422: "Invalid input",
          429: "Too many requests", 500: "Internal server error", 503: "Service unavailable"}


def problem(status: int, detail: str, *, title: str | None = None, kind: str | None = None,
            errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
            **extra: Any) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or TITLES.get(status, "error").lower().replace(" ", "-")),
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(body, status_code=status, media_type=PROBLEM, headers=headers)


def kind_of(exc: ProvenanceError) -> str:
    """The problem type of a domain error, in the one spelling every answer uses: ``InvalidInput`` -> ``invalid-input``."""
    name = type(exc).__name__.removesuffix("Error") or "error"
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def domain_error(_: Request[Any, Any, Any], exc: ProvenanceError) -> Response[dict[str, Any]]:
    extra = {k: v for k, v in exc.context.items() if isinstance(v, (str, int, float))}
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Unavailable) else None
    return problem(exc.status, exc.message, title=exc.title, kind=kind_of(exc), errors=exc.field_errors or None,
                   headers=headers, **extra)


def validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    raw = exc.extra if isinstance(exc.extra, list) else []
    errors = [{"field": e.get("key") or e.get("source") or "body",
               "message": str(e.get("message", "")).removeprefix("Value error, "),
               **({"source": e["source"]} if e.get("source") else {})} for e in raw if isinstance(e, dict)]
    detail = str(exc.detail or "")
    if "JSON" in detail or "decode" in detail.lower() or any("JSON" in e["message"] for e in errors):
        return problem(400, "the request body is not valid JSON: " + (errors[0]["message"] if errors else detail),
                       kind="malformed-json")
    if not errors:
        return problem(422, f"some fields are invalid in {request.method} {request.url.path}")
    first = errors[0]
    more = f" (and {len(errors) - 1} more field(s), listed in `errors`)" if len(errors) > 1 else ""
    return problem(422, f"{first['field']}: {first['message']}{more}", errors=errors)


def http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    headers = dict(exc.headers or {})
    detail = exc.detail if exc.detail and exc.detail != TITLES.get(exc.status_code) else ""
    if exc.status_code == 400 and "JSON is malformed" in str(exc.detail):
        return problem(400, "the request body is not valid JSON: " + str(exc.detail).split(": ", 1)[-1],
                       kind="malformed-json")
    if exc.status_code == 413:
        detail = "the request body is larger than the 1 MiB this service accepts"
    if exc.status_code == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="quote-provenance"')
    if exc.status_code == 429:
        reset = next((v for k, v in headers.items() if k.lower() == "ratelimit-reset"), "60")
        headers.setdefault("Retry-After", str(reset))
        detail = f"too many requests from this key or address: retry after {reset} seconds"
    return problem(exc.status_code, detail or TITLES.get(exc.status_code, "error"), headers=headers or None)


def too_deep(_: Request[Any, Any, Any], __: RecursionError) -> Response[dict[str, Any]]:
    return problem(400, "the request body nests too deeply to be read", kind="malformed-json")


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, "an unexpected error occurred; it has been logged")


#: Paths that machines call: their errors are always problem details.
MACHINE_PATHS = ("/api", "/schema", "/health", "/ping", "/static", "/metrics", "/.well-known")
#: What a person can do about each status, on the error page.
ADVICE = {400: "Check what you sent and try again.",
          401: "Reading needs a key on this service: ask an administrator for one.",
          403: "Your key does not allow this: an editor's key is needed to change the record.",
          404: "The address may be mistyped, or the record was never made: trace the quote's words from the home page.",
          413: "Send a shorter text, or the article's address instead of its page.",
          422: "Correct the field named above and send it again.",
          429: "Wait the time named above, then try again.",
          500: "Something went wrong on our side; it has been logged. Try again in a moment.",
          503: "The service is busy or a part of it is unavailable: try again in a moment."}


def wants_page(request: Request[Any, Any, Any]) -> bool:
    """A person's browser on a page route gets an HTML page; clients and API routes get problem details."""
    path = request.url.path
    if any(path == p or path.startswith(p + "/") for p in MACHINE_PATHS):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or not accept or accept == "*/*"


def as_page(handler: Any) -> Any:
    """The same error as ``handler`` answers it, as an HTML page in the site's style when a person asked."""
    def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        answer = handler(request, exc)
        if not wants_page(request):
            return answer
        from litestar.response import Template

        body = answer.content if isinstance(answer.content, dict) else {}
        status = answer.status_code
        headers = {k: v for k, v in (answer.headers or {}).items() if k.lower() in ("retry-after", "www-authenticate")}
        return Template("error.html.j2", status_code=status, headers=headers, media_type=MediaType.HTML,
                        context={"status": status, "title": body.get("title") or TITLES.get(status, "Error"),
                                 "detail": body.get("detail") or "", "advice": ADVICE.get(status, "")})
    return handle


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ProvenanceError: as_page(domain_error),
    RecursionError: too_deep,
    ValidationException: as_page(validation_error),
    HTTPException: as_page(http_error),
    Exception: as_page(unexpected_error),
}

__all__ = ["EXCEPTION_HANDLERS", "problem", "PROBLEM", "MediaType"]
