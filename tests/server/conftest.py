"""A real server with four workers on a real database (SQLite file or PostgreSQL schema), and real clients.

The races, the hostile inputs and the faults of this folder are fired at it
over loopback, as a newsroom's tools and an attacker would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import TEST_AUDIT_KEY, postgres_schema
from tests.support.server import cli, running_server

WORKERS = 4


@dataclass
class Cluster:
    """A served database: its URL, the server's base URL, and keys."""

    kind: str
    url: str
    base: str
    editor: dict[str, str]
    admin: dict[str, str]
    env: dict[str, str]

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=kwargs.pop("timeout", 30), **kwargs)

    def race(self, n: int, call: Callable[[httpx.Client, int], httpx.Response]) -> list[httpx.Response]:
        """``call`` from ``n`` clients at once (threads released together), each on its own connection."""
        clients = [self.client() for _ in range(n)]
        for c in clients:  # connections opened before the start
            c.get("/ping")
        barrier = threading.Barrier(n)
        out: list[Any] = [None] * n

        def run(i: int) -> None:
            barrier.wait()
            try:
                out[i] = call(clients[i], i)
            except BaseException as exc:  # reported by the caller
                out[i] = exc

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        for c in clients:
            c.close()
        errors = [r for r in out if isinstance(r, BaseException)]
        assert not errors, errors
        return out


def _env(url: str) -> dict[str, str]:
    return {"PROVENANCE_DATABASE_URL": url, "PROVENANCE_AUDIT_KEY": TEST_AUDIT_KEY,
            "PROVENANCE_RATE_LIMIT_PER_MINUTE": "1000000000"}


@pytest.fixture(name="fx_cluster", scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fixture_cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('cluster') / 'p.db'}"
        else:
            url = stack.enter_context(postgres_schema())
        env = _env(url)
        base = stack.enter_context(running_server(url, env=env, workers=WORKERS))
        keys = {role: cli(["keys", "create", "--role", role, "--name", f"race {role}"], url, env).strip()
                for role in ("editor", "admin")}
        yield Cluster(request.param, url, base, {"Authorization": f"Bearer {keys['editor']}"},
                      {"Authorization": f"Bearer {keys['admin']}"}, env)


def statuses(responses: list[httpx.Response]) -> list[int]:
    return sorted(r.status_code for r in responses)


__all__ = ["Cluster", "statuses", "Path"]
