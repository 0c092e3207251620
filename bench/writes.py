"""Writes through the real server, on SQLite and on PostgreSQL: throughput, cost by quote size, a large import.

Usage: ``python bench/writes.py [--databases sqlite postgres] [--clients 8] [--writes 1000] [--workers 4]``

For each database, one server (``uvicorn`` with ``--workers``, the app of
``bench/write_app.py``: the service plus one bare insert endpoint) and, in
the same run:

1. **throughput**: ``--clients`` clients each make ``--writes`` writes, at the
   same time, first to the bare endpoint (one row into a table of its own in a
   transaction of its own: the cost of the framework, the thread and the
   database alone), then to ``POST /api/quotes/{slug}/renditions`` (a
   rendition linked to a parent, with its audit events, its stored answers
   and its checks; each client writes to a quote of its own). Printed: writes
   per second of each and their ratio; then every rendition a client was told
   was created is read back (0 lost), and the audit log is verified;
2. **cost by quote size**: one client adds renditions, each linked to a random
   earlier one, to a quote of 10 renditions and to one of 1,000; the p50 of
   each and their ratio (target: at most 2);
3. **a 1 MiB import**: ``POST /api/import`` of a chain document of about
   1 MiB (many quotes), while another client pings and writes: how long the
   import takes, the slowest ``/ping`` meanwhile, and how long a small write
   sent during the import waited.

PostgreSQL runs in a schema of its own, dropped at the end; the URL comes from
``PROVENANCE_TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = ROOT / ".venv" / "bin" / "python"
CLI = [str(PYTHON), "-m", "provenance.cli"]
POSTGRES_URL = os.environ.get("PROVENANCE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
AUDIT_KEY = "bench-writes"
TARGET_SIZE_RATIO = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"provenance {' '.join(args)}: {done.stderr[-1500:]}")
    return done.stdout


class Server:
    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [str(PYTHON), "-m", "uvicorn", "--factory", "bench.write_app:create_app", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
            env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def __enter__(self) -> "Server":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"the server did not start; see {self.log.name}")

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


# ---------------------------------------------------------------- documents

def quote_doc(slug: str, n: int, rng: random.Random) -> dict[str, Any]:
    """A quote of ``n`` renditions, each linked to a random earlier one (a random tree: depth about ln n)."""
    renditions = []
    for i in range(n):
        r: dict[str, Any] = {"key": f"r{i}", "language": "en", "status": "attested",
                             "text": f"Rendition {i} of {slug}: we will stand by our partners until the day of "
                                     f"victory, the minister said, number {rng.randint(1, 10**6)}."}
        if i:
            r["derived_from"] = [{"parent": f"r{rng.randrange(i)}", "relation": "quotation"}]
        renditions.append(r)
    return {"slug": slug, "speaker": "Bench Speaker", "original_language": "en", "renditions": renditions}


def import_body(target_bytes: int, rng: random.Random) -> bytes:
    quotes: list[dict[str, Any]] = []
    while True:
        q = quote_doc(f"bulk-{uuid.uuid4().hex[:12]}", 20, rng)
        if len(json.dumps({"version": 1, "quotes": [*quotes, q]}).encode()) > target_bytes:
            return json.dumps({"version": 1, "quotes": quotes}).encode()
        quotes.append(q)


# ---------------------------------------------------------------- measurements

def clients_at_once(n: int, fn: Any) -> list[Any]:
    barrier = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        out[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def throughput(base: str, headers: dict[str, str], clients: int, writes: int, slugs: list[str]) -> dict[str, Any]:
    def bare(i: int) -> int:
        with httpx.Client(base_url=base, timeout=60, headers=headers) as c:
            ok = 0
            for j in range(writes):
                ok += c.post("/bench/bare", json={"body": f"{i}-{j}"}).status_code == 201
            return ok

    def real(i: int) -> list[str]:
        with httpx.Client(base_url=base, timeout=60, headers=headers) as c:
            ids = []
            for j in range(writes):
                body = {"key": f"t{i}-{j}", "language": "en", "status": "attested",
                        "text": f"Write {j} of client {i}: we will stand by our partners.",
                        "derived_from": [{"parent": "r0", "relation": "quotation"}]}
                r = c.post(f"/api/quotes/{slugs[i]}/renditions", json=body)
                if r.status_code == 201:
                    ids.append(r.json()["id"])
                elif r.status_code >= 500:
                    raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
            return ids

    t = time.perf_counter()
    bare_ok = sum(clients_at_once(clients, bare))
    bare_s = time.perf_counter() - t
    t = time.perf_counter()
    created = clients_at_once(clients, real)
    real_s = time.perf_counter() - t
    ids = [i for chunk in created for i in chunk]
    return {"bare_per_s": bare_ok / bare_s, "bare_ok": bare_ok, "writes_per_s": len(ids) / real_s,
            "acknowledged": len(ids), "ids": ids}


def read_back(base: str, headers: dict[str, str], ids: list[str]) -> int:
    """How many acknowledged renditions cannot be read back."""
    lost = 0
    with httpx.Client(base_url=base, timeout=60, headers=headers) as c:
        for rid in ids:
            lost += c.get(f"/api/renditions/{rid}").status_code != 200
    return lost


def cost_by_size(base: str, headers: dict[str, str], slug: str, size: int, n: int, rng: random.Random) -> float:
    """p50 milliseconds of adding one rendition (linked to a random earlier one) to a quote of ``size``."""
    times = []
    with httpx.Client(base_url=base, timeout=60, headers=headers) as c:
        for j in range(n):
            parent = f"r{rng.randrange(size)}"
            body = {"key": f"s{j}", "language": "en", "status": "attested",
                    "text": f"Another rendition, {j}, of a quote of {size}.",
                    "derived_from": [{"parent": parent, "relation": "quotation"}]}
            t = time.perf_counter()
            r = c.post(f"/api/quotes/{slug}/renditions", json=body)
            times.append(time.perf_counter() - t)
            assert r.status_code == 201, r.text
    return 1000 * statistics.median(times)


def large_import(base: str, headers: dict[str, str], body: bytes, slug: str) -> dict[str, Any]:
    stop = threading.Event()
    pings: list[float] = []
    small: dict[str, float] = {}

    def ping() -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            while not stop.is_set():
                t = time.perf_counter()
                c.get("/ping")
                pings.append(time.perf_counter() - t)
                time.sleep(0.02)

    def write_during() -> None:
        time.sleep(0.5)  # the import is under way
        with httpx.Client(base_url=base, timeout=120, headers=headers) as c:
            t = time.perf_counter()
            r = c.post(f"/api/quotes/{slug}/renditions", json={"key": f"during-{uuid.uuid4().hex[:8]}",
                                                               "language": "en", "status": "attested",
                                                               "text": "A write sent during the import."})
            small["seconds"], small["status"] = time.perf_counter() - t, r.status_code

    threads = [threading.Thread(target=ping), threading.Thread(target=write_during)]
    for t in threads:
        t.start()
    with httpx.Client(base_url=base, timeout=300, headers={**headers, "Content-Type": "application/json"}) as c:
        t0 = time.perf_counter()
        r = c.post("/api/import", content=body)
        took = time.perf_counter() - t0
    stop.set()
    for t in threads:
        t.join()
    assert r.status_code == 201, r.text[:500]
    return {"bytes": len(body), "quotes": len(r.json()["quotes"]), "seconds": took,
            "max_ping_ms": 1000 * max(pings), "write_during_s": small.get("seconds"),
            "write_during_status": small.get("status")}


# ---------------------------------------------------------------- one database

def run_database(kind: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    rng = random.Random(7)
    cleanup = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'writes.db'}"
    else:
        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in POSTGRES_URL else "?"
        url = f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"

        def cleanup() -> None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
    env = {**os.environ, "PROVENANCE_DATABASE_URL": url, "PROVENANCE_AUDIT_KEY": AUDIT_KEY,
           "PROVENANCE_RATE_LIMIT_PER_MINUTE": "1000000000",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        run_cli(["db", "upgrade"], env)
        slugs = [f"writer-{i}" for i in range(args.clients)]
        doc = {"version": 1, "quotes": [quote_doc(s, 1, rng) for s in slugs]
               + [quote_doc("size-10", 10, rng), quote_doc("size-1000", 1000, rng)]}
        path = tmp / f"quotes-{kind}.json"
        path.write_text(json.dumps(doc))
        run_cli(["import", str(path)], env)
        key = run_cli(["keys", "create", "--role", "admin", "--name", "bench"], env).strip()
        headers = {"Authorization": f"Bearer {key}"}
        body = import_body(1_000_000, rng)  # just under the 1 MiB a request body may have
        with Server(env, args.workers, tmp / f"server-{kind}.log") as server:
            print(f"\n== {kind}: {args.clients} clients x {args.writes} writes, {args.workers} workers", flush=True)
            thr = throughput(server.base, headers, args.clients, args.writes, slugs)
            print(f"  bare insert endpoint          {thr['bare_per_s']:8.0f} writes/s", flush=True)
            print(f"  rendition + link (the API)    {thr['writes_per_s']:8.0f} writes/s   "
                  f"ratio {thr['writes_per_s'] / thr['bare_per_s']:.2f}", flush=True)
            lost = read_back(server.base, headers, thr["ids"])
            verdict = httpx.get(server.base + "/api/audit/verify", headers=headers, timeout=300).json()
            print(f"  acknowledged {thr['acknowledged']:,}, lost {lost}; audit log "
                  f"{'verified' if verdict['ok'] else 'BROKEN: ' + str(verdict['reason'])} "
                  f"({verdict['events']:,} events, {verdict['records_checked']:,} records)", flush=True)
            p10 = cost_by_size(server.base, headers, "size-10", 10, args.size_writes, rng)
            p1000 = cost_by_size(server.base, headers, "size-1000", 1000, args.size_writes, rng)
            print(f"  write p50, quote of 10        {p10:8.2f} ms", flush=True)
            print(f"  write p50, quote of 1,000     {p1000:8.2f} ms   ratio {p1000 / p10:.2f} "
                  f"({'ok' if p1000 / p10 <= TARGET_SIZE_RATIO else 'MISSED'}: <= {TARGET_SIZE_RATIO})", flush=True)
            imp = large_import(server.base, headers, body, "size-10")
            print(f"  import of {imp['bytes'] / (1 << 20):.2f} MiB ({imp['quotes']} quotes): {imp['seconds']:.2f} s; "
                  f"slowest /ping meanwhile {imp['max_ping_ms']:.0f} ms; a write sent during it: "
                  f"{imp['write_during_status']} after {imp['write_during_s']:.2f} s", flush=True)
        return {"bare_per_s": thr["bare_per_s"], "writes_per_s": thr["writes_per_s"],
                "ratio": thr["writes_per_s"] / thr["bare_per_s"], "acknowledged": thr["acknowledged"], "lost": lost,
                "audit_ok": verdict["ok"], "p50_size_10_ms": p10, "p50_size_1000_ms": p1000,
                "size_ratio": p1000 / p10, "import": imp}
    finally:
        if cleanup is not None:
            cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--writes", type=int, default=1000, help="writes per client")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--size-writes", type=int, default=100, help="writes measured at each quote size")
    args = parser.parse_args(argv)
    print(f"signature: {args.clients} clients x {args.writes} writes, {args.workers} uvicorn workers, "
          f"python {sys.version.split()[0]}, {os.cpu_count()} cores (clients and server share them)")
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-writes-") as tmp:
        for kind in args.databases:
            results[kind] = run_database(kind, args, Path(tmp))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "writes-results.json").write_text(json.dumps(results, indent=1))
    ok = all(r["lost"] == 0 and r["audit_ok"] and r["size_ratio"] <= TARGET_SIZE_RATIO for r in results.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
