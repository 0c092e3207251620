"""Faults of the database, against a real server: a quick 503 that says what is wrong, and no stalled worker.

A database that refuses connections, one that accepts and never answers (a
listener on 127.0.0.1 that reads nothing), a read-only SQLite file, and a
write lock held elsewhere. Meanwhile ``/ping`` (no database work) must answer
at once: a waiting query never holds the event loop.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import TEST_AUDIT_KEY
from tests.support.server import free_port, running_server

CHOE = "choe-2024-11-01-until-the-day-of-victory"
ENV = {"PROVENANCE_AUDIT_KEY": TEST_AUDIT_KEY, "PROVENANCE_DB_CONNECT_TIMEOUT": "2",
       "PROVENANCE_DB_LOCK_TIMEOUT": "1"}


@contextmanager
def silent_listener() -> Iterator[int]:
    """A TCP port on 127.0.0.1 that accepts connections and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()


def _timed(c: httpx.Client, method: str, path: str, **kwargs: object) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    r = c.request(method, path, **kwargs)  # type: ignore[arg-type]
    return r, time.monotonic() - start


def _assert_unavailable(r: httpx.Response, needle: str) -> None:
    assert r.status_code == 503, r.text[:300]
    assert r.headers["content-type"].startswith("application/problem+json")
    assert int(r.headers["retry-after"]) >= 1
    assert needle in r.json()["detail"], r.json()["detail"]


@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_an_unreachable_or_silent_database_gives_a_quick_503_and_ping_goes_on(kind: str) -> None:
    port = free_port()  # nothing listens there: connections are refused
    with silent_listener() as silent_port:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{silent_port if kind == 'silent' else port}/test"
        with running_server(url, env=ENV, prepare=False, wait_healthy=False) as base, \
                httpx.Client(base_url=base, timeout=30) as c:
            health, took = _timed(c, "GET", "/health")
            assert health.status_code == 503 and took < 4.0, (health.text, took)
            body = health.json()
            assert body["status"] == "unavailable" and not body["readable"] and body["detail"]
            waiting: dict[str, tuple[httpx.Response, float]] = {}

            def read_quotes() -> None:
                with httpx.Client(base_url=base, timeout=30) as other:
                    waiting["quotes"] = _timed(other, "GET", "/api/quotes")

            reader = threading.Thread(target=read_quotes)
            reader.start()
            time.sleep(0.2)  # the read is now waiting on the database
            pings = [_timed(c, "GET", "/ping")[1] for _ in range(5)]
            reader.join(timeout=30)
            assert max(pings) < 0.5, pings
            quotes, took = waiting["quotes"]
            _assert_unavailable(quotes, "cannot use the database")
            assert took < 6.0, took


def test_a_read_only_sqlite_file_reads_but_refuses_writes_with_503(tmp_path: Path) -> None:
    """A file no process may write (``chattr +i``: even root): /health says so, reads go on, writes get 503."""
    from tests.support.server import cli

    db = tmp_path / "ro.db"
    url = f"sqlite:///{db}"
    with running_server(url, env=ENV):  # migrate and seed while it is writable
        pass
    secret = cli(["keys", "create", "--role", "editor", "--name", "ro"], url, ENV).strip()
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.fail("chattr +i is needed to make a file read-only for root (ext4 supports it)")
    try:
        with running_server(url, env=ENV, prepare=False, wait_healthy=False) as base, \
                httpx.Client(base_url=base, timeout=30) as c:
            health = c.get("/health")
            assert health.status_code == 503, health.text
            assert health.json()["readable"] and not health.json()["writable"]
            assert "read-only" in health.json()["detail"]
            assert c.get(f"/api/quotes/{CHOE}/graph").status_code == 200  # reading goes on
            r, took = _timed(c, "POST", f"/api/renditions/{CHOE}:afp-en/glosses",
                             headers={"Authorization": f"Bearer {secret}"},
                             json={"language": "fr", "text": "Nous répétons.", "author": "desk"})
            _assert_unavailable(r, "read-only")
            assert took < 3.0
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)


def test_a_write_lock_held_elsewhere_gives_503_after_the_lock_timeout(tmp_path: Path) -> None:
    """SQLite: another process holds the write lock; the write waits its bounded time, then says busy."""
    from tests.support.server import cli

    url = f"sqlite:///{tmp_path / 'busy.db'}"
    with running_server(url, env=ENV) as base, httpx.Client(base_url=base, timeout=30) as c:
        secret = cli(["keys", "create", "--role", "editor", "--name", "busy"], url, ENV).strip()
        holder = create_engine(url)
        with holder.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            r, took = _timed(c, "POST", f"/api/renditions/{CHOE}:afp-en/glosses",
                             headers={"Authorization": f"Bearer {secret}"},
                             json={"language": "fr", "text": "Nous répétons.", "author": "desk"})
            ping = _timed(c, "GET", "/ping")[1]
            # three asks, the quickest counts: a probe that waited for the lock would wait every time, while
            # a pause of a shared CI machine (one such once took a single ask past a second) hits one ask
            healths = [_timed(c, "GET", "/health") for _ in range(3)]
            health, health_took = min(healths, key=lambda pair: pair[1])
            conn.exec_driver_sql("ROLLBACK")
        holder.dispose()
        _assert_unavailable(r, "busy")
        assert 0.9 < took < 4.0, took
        assert ping < 0.5
        assert all(h.status_code == 200 for h, _ in healths), [h.text for h, _ in healths]  # busy is not down
        assert health_took < 0.5, [took for _, took in healths]  # it would take the write: it asks, never waits
        assert health.json()["writable"] and "busy" in health.json()["detail"]
        again = c.post(f"/api/renditions/{CHOE}:afp-en/glosses", headers={"Authorization": f"Bearer {secret}"},
                       json={"language": "fr", "text": "Nous répétons.", "author": "desk"})
        assert again.status_code == 201  # once the lock is gone, the same write goes through


@pytest.mark.postgres
def test_a_quote_locked_elsewhere_on_postgresql_gives_503_after_the_lock_timeout(fx_postgres_url: str) -> None:
    from tests.support.server import cli

    env = {**ENV}
    with running_server(fx_postgres_url, env=env) as base, httpx.Client(base_url=base, timeout=30) as c:
        secret = cli(["keys", "create", "--role", "editor", "--name", "busy"], fx_postgres_url, env).strip()
        holder = create_engine(fx_postgres_url)
        with holder.connect() as conn:
            conn.execute(text("SELECT id FROM quote WHERE slug = :s FOR UPDATE"), {"s": CHOE})
            r, took = _timed(c, "POST", f"/api/renditions/{CHOE}:afp-en/glosses",
                             headers={"Authorization": f"Bearer {secret}"},
                             json={"language": "fr", "text": "Nous répétons.", "author": "desk"})
            conn.rollback()
        holder.dispose()
        _assert_unavailable(r, "lock")
        assert took < 4.0, took


@pytest.fixture(name="fx_postgres_url")
def fixture_postgres_url() -> Iterator[str]:
    from tests.conftest import postgres_schema

    with postgres_schema() as url:
        yield url
