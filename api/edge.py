"""Checks at the edge, before a handler runs, and headers on every answer.

- A request body must be of a media type its route reads (``opt["media_types"]``,
  JSON unless a route says otherwise): anything else is 415, with the types
  that would do, instead of a parse error about the wrong thing.
- The path and query string must hold no control characters (a percent-encoded
  NUL above all): 422 naming the parameter, on every route, read or write.
  PostgreSQL cannot store NUL, and no quote, slug or id contains one.
- Every answer, errors and static files included, carries the security
  headers of :data:`SECURITY_HEADERS` and a Content-Security-Policy: the
  pages load scripts and styles only from this service; the API
  documentation page (Swagger UI) needs its inline start-up script.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import TITLES, TYPE_BASE
from provenance.documents import control_character, excerpt

JSON_TYPES = ("application/json",)
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
    "script-src 'self'", "script-src 'self' 'unsafe-inline'")
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"), (b"cross-origin-opener-policy", b"same-origin")]
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def media_type(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.decode("latin-1").split(";", 1)[0].strip().lower()
    return None


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return value.strip() not in (b"0", b"")
        if name == b"transfer-encoding":
            return True
    return False


def _accepts(accepted: tuple[str, ...], given: str) -> bool:
    return given in accepted or (given.endswith("+json") and "application/json" in accepted)


def _bad_parameter(scope: Scope) -> tuple[str, str] | None:
    """(where, character) of the first control character in the path or the query string, or None."""
    path = scope.get("path", "")
    found = control_character(path)
    if found:
        return "the path", found
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        found = control_character(name) or control_character(value)
        if found:
            return f"the query parameter '{excerpt(name, 40)}'", found
    return None


def edge_checks(app: ASGIApp) -> ASGIApp:
    """The ASGI middleware of every route: refuse what no handler should see."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        problem = _refusal(scope) if scope["type"] == "http" else None
        if problem is not None:
            await _send_problem(send, *problem)
            return
        await app(scope, receive, send)

    return middleware


async def security_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: the headers of every answer, routed or not (a 404 too)."""
    if message["type"] != "http.response.start":
        return
    docs = scope.get("path", "").startswith("/schema")
    extra = [*SECURITY_HEADERS, (b"content-security-policy", (CSP_DOCS if docs else CSP).encode())]
    headers = list(message.get("headers", []))
    present = {bytes(k).lower() for k, _ in headers}
    message["headers"] = [*headers, *(h for h in extra if h[0] not in present)]


def _refusal(scope: Scope) -> tuple[int, str, str] | None:
    bad = _bad_parameter(scope)
    if bad is not None:
        where, char = bad
        return 422, "invalid-input", (f"{where} holds the control character {char}: ids, slugs and search words "
                                      "hold none; check how the address was built")
    if scope.get("method") in _BODY_METHODS and _has_body(scope):
        handler = scope.get("route_handler")
        accepted: tuple[str, ...] = tuple(getattr(handler, "opt", {}).get("media_types", JSON_TYPES))
        given = media_type(scope)
        if given is None or not _accepts(accepted, given):
            said = f"'{given[:60]}'" if given else "no Content-Type"
            return 415, "unsupported-media-type", (f"this request body was sent with {said}; send it as "
                                                    f"{' or '.join(accepted)} (set the Content-Type header)")
    return None


async def _send_problem(send: Any, status: int, kind: str, detail: str) -> None:
    """The same problem shape as every other error (``api/errors.py``), sent before any handler runs."""
    body = json.dumps({"type": TYPE_BASE + kind, "title": TITLES.get(status, "Error"), "status": status,
                       "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
