"""A real uvicorn process on 127.0.0.1 serving a seeded database, for end-to-end tests."""

from __future__ import annotations

import os
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


@contextmanager
def running_server(database_url: str, *, env: dict[str, str] | None = None, seed: bool = True) -> Iterator[str]:
    """Migrate, seed and serve ``database_url``; yields the base URL; stops the process afterwards."""
    full_env = {**os.environ, "PROVENANCE_DATABASE_URL": database_url, **(env or {})}
    cli = [sys.executable, "-m", "provenance.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=full_env, check=True, capture_output=True)
    if seed:
        subprocess.run([*cli, "seed", "--if-empty", "--analyze"], env=full_env, check=True, capture_output=True)
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"provenance-server-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([*cli, "serve", "--host", "127.0.0.1", "--port", str(port)], env=full_env,
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
