"""A LibreTranslate-compatible HTTP server for tests: real sockets, scripted misbehaviour.

deep-translator's LibreTranslator sends ``POST /translate`` with its parameters
(q, source, target, format, api_key) in the *query string* and no body; real
LibreTranslate clients send a form or JSON body, so both are read.

Answers come from ``translations[(source, target, text)]``, else the
deterministic ``[source->target] text``. Tests script failures with
:meth:`LibreServer.script` (one reply per coming request) or
:meth:`LibreServer.always` (every request after the script), using
:class:`Reply`. Every request is recorded before any scripted delay.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

__all__ = [
    "MALFORMED_JSON",
    "MISSING_KEY",
    "LibreServer",
    "RecordedRequest",
    "Reply",
    "fixture_libre_server",
    "free_port",
    "run_libre_server",
]


@dataclass(frozen=True)
class Reply:
    """One scripted answer. ``body=None`` means the normal translation JSON."""

    status: int = 200
    body: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


MALFORMED_JSON = Reply(body="<html><body>Bad Gateway, but with a 200</body></html>")
MISSING_KEY = Reply(body=json.dumps({"translation": "wrong key name"}))


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]


class LibreServer:
    """State shared between the test and the handler threads."""

    def __init__(self, translations: dict[tuple[str, str, str], str] | None = None,
                 api_keys: set[str] | None = None) -> None:
        self.translations: dict[tuple[str, str, str], str] = dict(translations or {})
        self.api_keys = api_keys  # None: any key (or none) is accepted
        self.requests: list[RecordedRequest] = []
        self._replies: deque[Reply] = deque()
        self._default: Reply | None = None
        self._lock = threading.Lock()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order, then go back to normal (or to ``always``)."""
        with self._lock:
            self._replies.extend(replies)

    def always(self, reply: Reply | None) -> None:
        """Answer every request after the script with this reply; None restores normal answers."""
        with self._lock:
            self._default = reply

    def _record_and_pick(self, request: RecordedRequest) -> Reply | None:
        with self._lock:
            self.requests.append(request)
            if self._replies:
                return self._replies.popleft()
            return self._default

    def translate(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        for name in ("q", "source", "target"):
            if not params.get(name):
                return 400, {"error": f"Invalid request: missing {name} parameter"}
        if self.api_keys is not None and params.get("api_key") not in self.api_keys:
            return 403, {"error": "Invalid API key"}
        key = (params["source"], params["target"], params["q"])
        text = self.translations.get(key, f"[{params['source']}->{params['target']}] {params['q']}")
        return 200, {"translatedText": text}


def _handler(state: LibreServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            pass

        def _params(self) -> dict[str, str]:
            params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query, keep_blank_values=True).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if raw:
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw.decode("utf-8"))
                    params.update({k: str(v) for k, v in body.items() if k not in params})
                else:
                    form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
                    params.update({k: v[0] for k, v in form.items() if k not in params})
            return params

        def _send(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
            data = body.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test): nothing to answer

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            path = urlsplit(self.path).path
            try:
                params = self._params()
            except (ValueError, UnicodeDecodeError):
                self._send(400, json.dumps({"error": "unreadable body"}))
                return
            reply = state._record_and_pick(RecordedRequest("POST", path, params))
            if path != "/translate":
                self._send(404, json.dumps({"error": "Not Found"}))
                return
            if reply is not None and reply.delay:
                time.sleep(reply.delay)
            status, payload = state.translate(params)
            if reply is not None and (reply.status != 200 or reply.body is not None):
                status = reply.status
                payload_text = reply.body if reply.body is not None else json.dumps({"error": f"scripted {status}"})
            else:
                payload_text = json.dumps(payload, ensure_ascii=False)
            self._send(status, payload_text, reply.headers if reply is not None else None)

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            state._record_and_pick(RecordedRequest("GET", urlsplit(self.path).path, {}))
            if urlsplit(self.path).path == "/languages":
                codes = ["ar", "de", "en", "es", "fr", "ja", "ko", "ru", "uk", "zh"]
                self._send(200, json.dumps([{"code": c, "name": c, "targets": codes} for c in codes]))
            else:
                self._send(404, json.dumps({"error": "Not Found"}))

    return Handler


@contextmanager
def run_libre_server(translations: dict[tuple[str, str, str], str] | None = None, *,
                     api_keys: set[str] | None = None) -> Iterator[LibreServer]:
    """Serve on 127.0.0.1, a free port, in a background thread, for the duration of the block."""
    state = LibreServer(translations, api_keys)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    httpd.block_on_close = False  # a handler still sleeping for a timeout test must not hold up teardown
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A port with nothing listening on it (closed right after binding), for connection-refused tests."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(name="fx_libre_server")
def fixture_libre_server() -> Iterator[LibreServer]:
    with run_libre_server() as server:
        yield server
