"""A real uvicorn process on 127.0.0.1 serving a seeded database, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CLI = [sys.executable, "-m", "provenance.cli"]


def cli(args: list[str], database_url: str, env: dict[str, str] | None = None) -> str:
    """Run a ``provenance`` command against ``database_url``; its standard output (it must succeed)."""
    full_env = {**os.environ, "PROVENANCE_DATABASE_URL": database_url, **(env or {})}
    done = subprocess.run([*CLI, *args], env=full_env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"provenance {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


@contextmanager
def running_server(database_url: str, *, env: dict[str, str] | None = None, seed: bool = True, workers: int = 1,
                   prepare: bool = True, wait_healthy: bool = True) -> Iterator[str]:
    """Migrate, seed and serve ``database_url``; yields the base URL; stops the process afterwards.

    ``prepare=False`` serves the database as it is (no migration, no seed);
    ``wait_healthy=False`` waits only for the server to answer ``/ping``.
    """
    full_env = {**os.environ, "PROVENANCE_DATABASE_URL": database_url, **(env or {})}
    if prepare:
        cli(["db", "upgrade"], database_url, env)
        if seed:
            cli(["seed", "--if-empty", "--analyze"], database_url, env)
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"provenance-server-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([*CLI, "serve", "--host", "127.0.0.1", "--port", str(port),
                                 "--workers", str(workers)], env=full_env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + ("/health" if wait_healthy else "/ping"), timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and its workers
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def server_pids(base: str) -> list[int]:
    """The process ids serving ``base`` (the uvicorn parent and its workers), from /proc."""
    port = base.rsplit(":", 1)[1]
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in cmd and port.encode() in cmd:
                pids.append(int(entry.name))
                pids += [int(c) for c in _children(int(entry.name))]
    return sorted(set(pids))


def _children(pid: int) -> list[str]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += (task / "children").read_text().split()
        except OSError:
            pass
    return out


def rss_bytes(pids: list[int]) -> int:
    """Resident memory of these processes together."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total
