"""The rate limiter: one counter per key or address and minute, shared by every route, with honest headers."""

from __future__ import annotations

import asyncio

import pytest
from litestar.exceptions import TooManyRequestsException
from litestar.testing import TestClient

from api.app import create_app
from api.ratelimit import WINDOW_SECONDS, RateLimiter, identify
from provenance.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _answer(scope, receive, send) -> None:  # the app behind the middleware: a bare 200
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def _call(app, path: str = "/api/quotes", auth: bytes | None = None, client: str = "10.0.0.1") -> dict:
    headers = [(b"authorization", auth)] if auth else []
    sent: list[dict] = []

    async def send(message) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "path": path, "headers": headers, "client": (client, 5000)}
    asyncio.run(app(scope, receive, send))
    return dict((k.decode(), v.decode()) for k, v in sent[0]["headers"])


def test_window_counts_resets_and_separates_clients() -> None:
    clock = Clock()
    limiter = RateLimiter(limit=3, exclude=("/health",), clock=clock)
    app = limiter.middleware(_answer)
    remaining = [_call(app)["ratelimit-remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    with pytest.raises(TooManyRequestsException) as refused:
        _call(app)
    assert refused.value.headers["Retry-After"] == str(int(WINDOW_SECONDS))
    clock.now += 45
    with pytest.raises(TooManyRequestsException) as refused:
        _call(app)
    assert refused.value.headers["Retry-After"] == "15"  # what is left of this client's minute
    assert _call(app, client="10.0.0.2")["ratelimit-remaining"] == "2"  # another address has its own minute
    assert _call(app, auth=b"Bearer prov_abcdefghijklmnopqrstuvwxyz")["ratelimit-remaining"] == "2"  # a key too
    _call(app, path="/health")  # never counted, never refused
    clock.now += 15
    assert _call(app)["ratelimit-remaining"] == "2"  # a new window


def test_expired_windows_are_forgotten_when_many_clients_came_by(monkeypatch) -> None:
    import api.ratelimit as ratelimit

    monkeypatch.setattr(ratelimit, "_SWEEP_EVERY", 5)
    clock = Clock()
    limiter = RateLimiter(limit=10, clock=clock)
    app = limiter.middleware(_answer)
    for i in range(5):
        _call(app, client=f"10.0.1.{i}")
    clock.now += WINDOW_SECONDS
    _call(app, client="10.0.2.1")
    assert list(limiter._windows) == ["addr:10.0.2.1"]


def test_identity_is_the_key_when_one_is_sent() -> None:
    scope = {"headers": [(b"authorization", b"Bearer prov_0123456789abcdefXYZ")], "client": ("10.0.0.9", 1)}
    assert identify(scope) == "key:3456789abcdefXYZ"  # the key's last 16 characters, never the whole secret
    assert identify({"headers": [], "client": ("10.0.0.9", 1)}) == "addr:10.0.0.9"
    assert identify({"headers": [], "client": None}) == "addr:unknown"


def test_every_route_shares_one_count_in_the_app(fx_seeded) -> None:
    settings = Settings(database_url=fx_seeded.url, rate_limit_per_minute=3)
    with TestClient(app=create_app(settings)) as c:
        first = c.get("/api/quotes", params={"limit": 1})
        assert first.headers["ratelimit-limit"] == "3" and first.headers["ratelimit-remaining"] == "2"
        assert c.get("/ping").status_code == 200
        assert c.get("/health").status_code == 200  # not counted
        assert c.get("/api/quotes/choe-2024-11-01-until-the-day-of-victory/graph").status_code == 200
        refused = c.get("/ping")
        assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 60
        assert "retry after" in refused.json()["detail"]
