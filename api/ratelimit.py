"""Requests per minute per client address, counted before any key is looked up.

Counting by API key let anyone escape the limit by sending a fresh made-up
key with each request (every one a new counter, and a database lookup each);
so a request is counted against the address it came from before its key is
read. Behind a reverse proxy every request comes from the proxy: the address
is then taken from ``X-Forwarded-For``, but only when the request came from a
proxy listed in ``PROVENANCE_TRUSTED_PROXIES`` (anyone can send the header),
walking the list from the right past the trusted proxies.

A fixed window of one minute starts with an address's first request; over
the limit, ``TooManyRequestsException`` with ``Retry-After`` (the API's error
handler turns it into a problem document); ``RateLimit-*`` headers on every
answer. Counters live in the process (each worker counts its own), or in
Redis when ``PROVENANCE_RATE_LIMIT_STORE`` names one, shared by every worker
and server: one ``SET NX EX`` and one ``INCR`` per request. If Redis does not
answer, the worker counts in its own memory until it does again, and says so
in its log once a minute.

Each check costs the same however many requests came before (Litestar's own
middleware re-encoded every timestamp of the window on every request).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from litestar.exceptions import TooManyRequestsException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

WINDOW_SECONDS = 60.0
_SWEEP_EVERY = 10_000  # identifiers kept before expired windows are dropped
log = logging.getLogger("api.ratelimit")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(scope: Scope, trusted: Sequence[Network] = ()) -> str:
    """The address a request came from: the peer's, or ``X-Forwarded-For``'s when the peer is a trusted proxy."""
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    if not trusted or not _within(peer, trusted):
        return peer
    forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
    hops = [h.strip() for line in forwarded for h in line.split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a malformed list: trust nothing in it
        if not _within(hop, trusted):
            return hop
    return hops[0] if hops else peer


def _within(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


class Store(Protocol):
    async def hit(self, key: str, now: float) -> tuple[int, float]:
        """Count one request for ``key``; returns the requests in its window so far and the window's start."""


class MemoryStore:
    """Counters in this process."""

    def __init__(self) -> None:
        self._windows: dict[str, list[float | int]] = {}  # identifier -> [window start, requests in it]

    async def hit(self, key: str, now: float) -> tuple[int, float]:
        window = self._windows.get(key)
        if window is None or now - window[0] >= WINDOW_SECONDS:
            if len(self._windows) >= _SWEEP_EVERY:
                self._sweep(now)
            window = self._windows[key] = [now, 0]
        window[1] += 1
        return int(window[1]), float(window[0])

    def _sweep(self, now: float) -> None:
        """Forget identifiers whose window has ended, so many one-off clients do not grow memory without bound."""
        for key in [k for k, (start, _) in self._windows.items() if now - start >= WINDOW_SECONDS]:
            del self._windows[key]


class RedisStore:
    """Counters in Redis, shared by every worker; this worker's memory while Redis does not answer."""

    def __init__(self, url: str, *, timeout: float = 0.25) -> None:
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self._fallback = MemoryStore()
        self._warned = 0.0

    async def hit(self, key: str, now: float) -> tuple[int, float]:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(f"provenance:rl:{key}", 0, ex=int(WINDOW_SECONDS), nx=True)
                pipe.incr(f"provenance:rl:{key}")
                pipe.pttl(f"provenance:rl:{key}")
                _, count, ttl_ms = await pipe.execute()
        except Exception as exc:  # Redis down or slow: keep limiting, alone, rather than not at all
            if now - self._warned > 60:
                log.warning("rate-limit store unreachable (%s); counting in this worker until it answers", exc)
                self._warned = now
            return await self._fallback.hit(key, now)
        left = max(0.0, ttl_ms / 1000) if ttl_ms and ttl_ms > 0 else WINDOW_SECONDS
        return int(count), now - (WINDOW_SECONDS - left)

    async def close(self) -> None:
        await self._redis.aclose()


def make_store(setting: str) -> Store:
    return MemoryStore() if setting == "memory" else RedisStore(setting)


class RateLimiter:
    """The counters of one app; ``exclude`` holds path prefixes that are never counted (docs, static files, health).

    Litestar builds the middleware stack once per route, so the counters live
    here and every route's middleware (:meth:`middleware`) shares them: a
    client's requests count together whatever it asks for.
    """

    def __init__(self, *, limit: int, exclude: tuple[str, ...] = (), trusted_proxies: Sequence[str] = (),
                 store: Store | None = None, clock: Callable[[], float] = time.monotonic,
                 identifier: Callable[[Scope], str] | None = None) -> None:
        self.limit = limit
        self.exclude = exclude
        self.trusted = [ipaddress.ip_network(n, strict=False) for n in trusted_proxies]
        self.store = store or MemoryStore()
        self.clock = clock
        self.identifier = identifier or (lambda scope: "addr:" + client_address(scope, self.trusted))

    def middleware(self, app: ASGIApp) -> ASGIApp:
        async def limited(scope: Scope, receive: Receive, send: Send) -> None:
            await self._handle(app, scope, receive, send)

        return limited

    async def _handle(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exclude):
            await app(scope, receive, send)
            return
        now = self.clock()
        count, start = await self.store.hit(self.identifier(scope), now)
        reset = max(1, math.ceil(start + WINDOW_SECONDS - now))
        if count > self.limit:
            raise TooManyRequestsException(headers={**self._headers(0, reset), "Retry-After": str(reset)})
        headers = [(k.lower().encode(), v.encode()) for k, v in self._headers(self.limit - count, reset).items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await app(scope, receive, send_with_headers)

    def _headers(self, remaining: int, reset: int) -> dict[str, str]:
        return {"RateLimit-Policy": f"{self.limit}; w={int(WINDOW_SECONDS)}", "RateLimit-Limit": str(self.limit),
                "RateLimit-Remaining": str(remaining), "RateLimit-Reset": str(reset)}

    async def close(self) -> None:
        closer: Any = getattr(self.store, "close", None)
        if closer is not None:
            await closer()
