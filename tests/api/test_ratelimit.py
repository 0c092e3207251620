"""The rate limiter: one counter per client address and minute, counted before any key is read.

Shared by every route, honest headers, ``X-Forwarded-For`` believed only from
trusted proxies, and one count across workers when Redis holds the counters
(a real Redis on 127.0.0.1:6379, as on these machines).
"""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from litestar.exceptions import TooManyRequestsException
from litestar.testing import TestClient

from api.app import create_app
from api.ratelimit import WINDOW_SECONDS, RateLimiter, RedisStore, client_address

REDIS_URL = os.environ.get("PROVENANCE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _answer(scope, receive, send) -> None:  # the app behind the middleware: a bare 200
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def _call(app, path: str = "/api/quotes", auth: bytes | None = None, client: str = "10.0.0.1",
          forwarded: str | None = None) -> dict:
    headers = [(b"authorization", auth)] if auth else []
    if forwarded is not None:
        headers.append((b"x-forwarded-for", forwarded.encode()))
    sent: list[dict] = []

    async def send(message) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "path": path, "headers": headers, "client": (client, 5000)}
    asyncio.run(app(scope, receive, send))
    return dict((k.decode(), v.decode()) for k, v in sent[0]["headers"])


def test_window_counts_resets_and_separates_addresses() -> None:
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
    _call(app, path="/health")  # never counted, never refused
    clock.now += 15
    assert _call(app)["ratelimit-remaining"] == "2"  # a new window


def test_a_fresh_made_up_key_with_each_request_is_still_counted_by_address() -> None:
    limiter = RateLimiter(limit=3, clock=Clock())
    app = limiter.middleware(_answer)
    for _ in range(3):
        _call(app, auth=b"Bearer prov_" + uuid.uuid4().hex.encode())
    with pytest.raises(TooManyRequestsException):
        _call(app, auth=b"Bearer prov_" + uuid.uuid4().hex.encode())


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    trusted = ["10.9.0.0/16"]
    from ipaddress import ip_network

    nets = [ip_network(n) for n in trusted]
    scope = {"headers": [(b"x-forwarded-for", b"203.0.113.7, 10.9.0.5")], "client": ("10.9.0.1", 1)}
    assert client_address(scope, nets) == "203.0.113.7"  # the first address left of the trusted proxies
    assert client_address(scope, []) == "10.9.0.1"  # no proxy configured: the header is anyone's to send
    spoofed = {"headers": [(b"x-forwarded-for", b"198.51.100.1")], "client": ("192.0.2.50", 1)}
    assert client_address(spoofed, nets) == "192.0.2.50"  # not from the proxy: the header is ignored
    garbage = {"headers": [(b"x-forwarded-for", b"not-an-address")], "client": ("10.9.0.1", 1)}
    assert client_address(garbage, nets) == "10.9.0.1"
    limiter = RateLimiter(limit=1, trusted_proxies=trusted, clock=Clock())
    app = limiter.middleware(_answer)
    _call(app, client="10.9.0.1", forwarded="203.0.113.7")
    _call(app, client="10.9.0.1", forwarded="203.0.113.8")  # another client behind the same proxy
    with pytest.raises(TooManyRequestsException):
        _call(app, client="10.9.0.1", forwarded="203.0.113.7")


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
    assert list(limiter.store._windows) == ["addr:10.0.2.1"]  # type: ignore[attr-defined]


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        if IN_CI:
            pytest.fail(f"Redis not reachable at {REDIS_URL}: {exc} (CI=true: it must run)", pytrace=False)
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


def test_two_workers_sharing_redis_share_one_count() -> None:
    """Two limiters (two workers) on one Redis: the third request from an address is refused by either."""
    _redis_or_skip()
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"

    async def run() -> list[int]:
        stores = [RedisStore(REDIS_URL), RedisStore(REDIS_URL)]
        try:
            return [(await stores[i % 2].hit(f"addr:{address}", 0.0))[0] for i in range(3)]
        finally:
            for s in stores:
                await s.close()

    assert asyncio.run(run()) == [1, 2, 3]


def test_an_unreachable_redis_falls_back_to_counting_in_the_worker() -> None:
    store = RedisStore("redis://127.0.0.1:1/0", timeout=0.2)  # nothing listens on port 1
    limiter = RateLimiter(limit=2, store=store, clock=Clock())
    app = limiter.middleware(_answer)
    assert _call(app)["ratelimit-remaining"] == "1"
    _call(app)
    with pytest.raises(TooManyRequestsException):
        _call(app)


def test_every_route_shares_one_count_in_the_app(fx_seeded) -> None:
    settings = fx_seeded.settings.with_values(rate_limit_per_minute=3)
    with TestClient(app=create_app(settings)) as c:
        first = c.get("/api/quotes", params={"limit": 1})
        assert first.headers["ratelimit-limit"] == "3" and first.headers["ratelimit-remaining"] == "2"
        assert c.get("/ping").status_code == 200
        assert c.get("/health").status_code == 200  # not counted
        assert c.get("/api/quotes/choe-2024-11-01-until-the-day-of-victory/graph").status_code == 200
        refused = c.get("/ping")
        assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 60
        assert "retry after" in refused.json()["detail"]
