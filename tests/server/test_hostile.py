"""Hostile input against the real server: refused fast, with a clear 4xx, in bounded memory, writing nothing.

The alias bombs are the ones of the report (a few hundred bytes that stood for
gigabytes: one made a worker grow to 23 GB); the server's memory is read from
/proc before and after.
"""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest

from tests.server.conftest import Cluster
from tests.support.server import rss_bytes, server_pids

CHOE = "choe-2024-11-01-until-the-day-of-victory"
PROBLEM = "application/problem+json"
YAML = {"Content-Type": "application/yaml"}


def _bomb(levels: int, width: int = 9) -> str:
    """Nested aliases: each level refers ``width`` times to the one before it (width ** levels values)."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


HOSTILE = [
    ("alias bomb, 9 levels", "POST", "/api/import", _bomb(9).encode(), YAML, 422, "aliases expand"),
    ("alias bomb inside a quote", "POST", "/api/import",
     (_bomb(7) + "quotes:\n  - {speaker: *a6, original_language: en}\n").encode(), YAML, 422, "aliases expand"),
    ("alias bomb, wide", "POST", "/api/import", _bomb(5, 40).encode(), YAML, 422, "aliases expand"),
    ("YAML nested 1,000 deep", "POST", "/api/import", ("q: " + "[" * 1000 + "]" * 1000).encode(), YAML, 422, "nest"),
    ("YAML block nesting", "POST", "/api/import", "".join(" " * i + "- \n" for i in range(200)).encode(), YAML,
     422, "nest"),
    ("JSON nested 1,000 deep to import", "POST", "/api/import", ("[" * 1000 + "]" * 1000).encode(),
     {"Content-Type": "application/json"}, 422, "nest"),
    ("JSON nested 100,000 deep to a JSON route", "POST", "/api/derivations", ("[" * 100_000 + "]" * 100_000).encode(),
     {"Content-Type": "application/json"}, 400, ""),
    ("a tag that would run code", "POST", "/api/import", b"quotes: !!python/object/apply:os.system ['true']\n",
     YAML, 422, "tag"),
    ("a key given twice", "POST", "/api/import", b"version: 1\nversion: 1\nquotes: []\n", YAML, 422, "twice"),
    ("NUL in a JSON text", "POST", f"/api/quotes/{CHOE}/renditions",
     json.dumps({"key": "nul", "language": "en", "status": "attested", "text": "a\u0000b"}).encode(),
     {"Content-Type": "application/json"}, 422, "U+0000"),
    ("NUL in a gloss", "POST", f"/api/renditions/{CHOE}:afp-en/glosses",
     json.dumps({"language": "fr", "text": "x\u0000", "author": "a"}).encode(), {"Content-Type": "application/json"},
     422, "U+0000"),
    ("NUL in an imported YAML text", "POST", "/api/import",
     b'quotes:\n  - {speaker: "A\\0B", original_language: en}\n', YAML, 422, "U+0000"),
    ("NUL in a query", "GET", "/api/quotes?q=a%00b", None, {}, 422, "U+0000"),
    ("NUL in a path id", "GET", "/api/quotes/ab%00cd", None, {}, 422, "U+0000"),
    ("NUL in a rendition id", "GET", "/api/renditions/x%00/lineage", None, {}, 422, "U+0000"),
    ("other control character in a query", "GET", "/api/quotes?speaker=%1B%5B31m", None, {}, 422, "U+001B"),
    ("a cursor of other JSON", "GET", "/api/quotes?cursor=" + _cursor({"a": 1}), None, {}, 422, "cursor"),
    ("a cursor with a huge number", "GET", "/api/audit?cursor=" + _cursor([10**30]), None, "admin", 422, "cursor"),
    ("a cursor with a fraction", "GET", "/api/audit?cursor=" + _cursor([1.5]), None, "admin", 422, "cursor"),
    ("a cursor holding NUL", "GET", "/api/quotes?cursor=" + _cursor(["a\u0000", "b"]), None, {}, 422, "cursor"),
    ("a cursor of garbage", "GET", "/api/quotes?cursor=%21%21%21", None, {}, 422, "cursor"),
    ("a body over 1 MiB", "POST", "/api/import", b"#" * (2 << 20), YAML, 413, "1 MiB"),
    ("a body of another type", "POST", "/api/derivations", b"child_id=a&parent_id=b",
     {"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"),
    ("no content type", "POST", "/api/import", b"quotes: []", {}, 415, "Content-Type"),
    ("NUL in an article", "POST", "/api/intake", json.dumps({"text": "“a\u0000b,” he said."}).encode(),
     {"Content-Type": "application/json"}, 422, "U+0000"),
    ("an article over 1 MiB", "POST", "/api/intake", json.dumps({"text": "“x” " * 400_000}).encode(),
     {"Content-Type": "application/json"}, 413, "1 MiB"),
    ("a proposal nested 100,000 deep", "POST", "/api/intake/accept",
     ("{\"publication\": " + "[" * 100_000 + "]" * 100_000 + "}").encode(), {"Content-Type": "application/json"},
     400, "nests too deeply"),
    ("an article URL that is not http", "POST", "/api/intake", json.dumps({"url": "file:///etc/passwd"}).encode(),
     {"Content-Type": "application/json"}, 422, "url"),
]


@pytest.mark.parametrize("name, method, path, body, headers, status, needle", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input_is_refused_fast_with_a_clear_4xx(fx_cluster: Cluster, name: str, method: str, path: str,
                                                          body: bytes | None, headers: object, status: int,
                                                          needle: str) -> None:
    sent = dict(fx_cluster.admin if headers == "admin" else {**fx_cluster.editor, **headers})  # type: ignore[dict-item]
    with fx_cluster.client(timeout=30) as c:
        start = time.monotonic()
        r = c.request(method, path, content=body, headers=sent)
        took = time.monotonic() - start
    assert r.status_code == status, (name, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith(PROBLEM)
    assert needle in r.json()["detail"], r.json()["detail"]
    assert len(r.content) < 4096, "an error quotes at most a short excerpt of what was sent"
    assert took < 1.0, f"{name}: answered in {took:.2f} s"


def test_hostile_inputs_leave_memory_bounded_and_write_nothing(fx_cluster: Cluster) -> None:
    pids = server_pids(fx_cluster.base)
    assert len(pids) >= 2  # the server and its workers
    with fx_cluster.client() as c:
        before_events = c.get("/api/audit", params={"limit": 1}, headers=fx_cluster.admin).json()["items"][0]["seq"]
        rss_before = rss_bytes(pids)
        for _ in range(3):
            for name, method, path, body, headers, _status, _needle in HOSTILE:
                sent = dict(fx_cluster.admin if headers == "admin" else {**fx_cluster.editor, **headers})
                c.request(method, path, content=body, headers=sent)
        grown = rss_bytes(pids) - rss_before
        after_events = c.get("/api/audit", params={"limit": 1}, headers=fx_cluster.admin).json()["items"][0]["seq"]
    assert grown < 150 << 20, f"the server grew by {grown >> 20} MiB"
    assert after_events == before_events  # nothing was written


def test_security_headers_on_every_answer(fx_cluster: Cluster) -> None:
    with fx_cluster.client() as c:
        for path in ("/", "/ping", "/api/quotes", "/no-such-page", "/static/site.css", "/schema"):
            r = c.get(path)
            assert r.headers["x-content-type-options"] == "nosniff", path
            assert r.headers["x-frame-options"] == "DENY", path
            assert "default-src 'self'" in r.headers["content-security-policy"], path
        r = c.post("/api/derivations", json={})
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")


def test_a_made_up_key_per_request_is_still_rate_limited(fx_cluster: Cluster) -> None:
    """Counted by address before the key is read: fresh random keys do not escape the limit."""
    from tests.support.server import running_server

    env = {**fx_cluster.env, "PROVENANCE_RATE_LIMIT_PER_MINUTE": "5"}
    with running_server(fx_cluster.url, env=env, prepare=False) as base, httpx.Client(base_url=base) as c:
        codes = [c.get("/api/quotes", headers={"Authorization": f"Bearer prov_made_up_{i}"}).status_code
                 for i in range(8)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429] * 3
