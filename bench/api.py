"""API speed at two database sizes: the real server under wrk, against its own bare /ping.

Usage: ``python bench/api.py [--sizes 10000 1000000] [--duration 8] [--connections 8]``

For each size: builds or reuses the synthetic corpus (``bench/corpus.py``),
starts ``provenance serve`` as a separate process on a free port with
``PROVENANCE_DATABASE_URL`` pointing at it, and drives it with wrk (one thread,
a Lua script cycling through sample requests; every run is bounded in time and
in request count). Each endpoint gets two runs after a short warm-up:

- throughput: ``--connections`` concurrent connections, requests/s;
- latency: one connection, so p50/p99 are the time to answer one request
  rather than time spent queueing behind the others.

Endpoints: GET /ping (the baseline: no database work), GET
/api/quotes/{slug}/graph, GET /api/renditions/{id}/lineage (renditions at depth
8) and POST /api/trace (bodies: truncated or lightly edited texts of random
renditions). Then it prints the ratios the issue sets targets for, and, at the
largest size, trace's hit rate: how often the rendition a query was cut from
comes back as the top match. The server is stopped at the end, even on error.

Every answer comes from the database, read in a worker thread as every
request's database work is (``api/db.py``): graph and lineage are the answers
stored with each write (``provenance.answers``; the corpus stores them as
``provenance db upgrade`` does), a graph joined from its pieces in one query,
a lineage one lookup; trace is computed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402

SERVE = ROOT / ".venv" / "bin" / "provenance"
OUT = corpus.OUT
TARGET_SHARE_OF_PING = 0.40
TARGET_LINEAGE_GROWTH = 1.5
TARGET_TRACE_P50_MS = 50.0
MAX_REQUESTS = 200_000      # per wrk run, on top of the time bound
HIT_SAMPLES = 300
HIT_SECONDS = 120.0

LUA = r"""
local items, idx, n, max, method, path = {}, 0, 0, 0, "GET", ""
function init(args)
  for line in io.lines(args[1]) do items[#items + 1] = line end
  method, path, max = args[2], args[3], tonumber(args[4])
  idx = math.random(#items)
end
function request()
  idx = idx % #items + 1
  if method == "POST" then
    return wrk.format("POST", path, {["Content-Type"] = "application/json"}, items[idx])
  end
  return wrk.format("GET", items[idx])
end
function response(status, headers, body)
  n = n + 1
  if n >= max then wrk.thread:stop() end
end
function done(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
"""


# ---------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``provenance serve`` in its own process group, stopped on exit whatever happens."""

    def __init__(self, db: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PROVENANCE_DATABASE_URL": f"sqlite:///{db}",
               "PROVENANCE_RATE_LIMIT_PER_MINUTE": "1000000000", "PROVENANCE_TRANSLATOR": "none",
               # the project root, so `api` imports even where an older editable install maps only `provenance`
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.log = log.open("w")
        self.proc = subprocess.Popen([str(SERVE), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                     env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def __enter__(self) -> "Server":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/ping", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer /ping within 60 s; see {self.log.name}")

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
        self.log.close()


# ---------------------------------------------------------------- requests

def truncated(text: str, rng: random.Random) -> str:
    """The first 40-80 % of the words, as someone pasting part of a quote would."""
    words = text.split()
    keep = max(4, int(len(words) * rng.uniform(0.4, 0.8)))
    return " ".join(words[:keep])


def edited(text: str, rng: random.Random) -> str:
    """One or two light edits: a word dropped, two words swapped, punctuation lost."""
    words = text.split()
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(1, len(words) - 1)
        choice = rng.random()
        if choice < 0.4:
            del words[i]
        elif choice < 0.8:
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            words[i] = words[i].strip(".,")
    return " ".join(words)


def trace_queries(db: Path, ids: list[str], rng: random.Random) -> list[tuple[str, str, str]]:
    """(rendition id, quote id, query text) for each sample rendition; half truncated, half edited."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows.update({r[0]: (r[1], r[2]) for r in con.execute(
                f"SELECT id, quote_id, text FROM rendition WHERE id IN ({marks})", chunk)})
    finally:
        con.close()
    out = []
    for k, rid in enumerate(ids):
        quote_id, text = rows[rid]
        out.append((rid, quote_id, truncated(text, rng) if k % 2 == 0 else edited(text, rng)))
    return out


def endpoints(manifest: dict, queries: list[tuple[str, str, str]]) -> dict[str, tuple[str, str, list[str]]]:
    """name -> (method, path for POST, one request line per sample)."""
    return {
        "ping": ("GET", "", ["/ping"]),
        "graph": ("GET", "", [f"/api/quotes/{s}/graph" for s in manifest["slugs"]]),
        "lineage": ("GET", "", [f"/api/renditions/{r}/lineage" for r in manifest["deep_renditions"]]),
        "trace": ("POST", "/api/trace", [json.dumps({"text": q}) for _, _, q in queries]),
    }


# ---------------------------------------------------------------- wrk

def wrk(base: str, method: str, path: str, lines: list[str], *, connections: int, seconds: float,
        max_requests: int, workdir: Path) -> dict:
    data = workdir / f"requests-{abs(hash((method, path, lines[0])))}.txt"
    data.write_text("\n".join(lines) + "\n")
    script = workdir / "bench.lua"
    script.write_text(LUA)
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script),
           base, "--", str(data), method, path or "/", str(max_requests)]  # one wrk thread: its count is the run's
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in res.stdout.splitlines() if x.startswith("RESULT ")), None)
    if res.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({res.returncode}): {res.stdout}\n{res.stderr}")
    out = json.loads(line[len("RESULT "):])
    out["rps"] = out["requests"] / (out["duration_us"] / 1e6)
    if out["non2xx"] or out["socket_errors"]:
        raise RuntimeError(f"{method} {path or lines[0]}: {out['non2xx']} non-2xx answers, "
                           f"{out['socket_errors']} socket errors")
    return out


def check_once(base: str, method: str, path: str, line: str) -> None:
    """One request before the load, so a broken endpoint fails loudly instead of benchmarking errors."""
    if method == "POST":
        req = urllib.request.Request(base + path, data=line.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    else:
        req = urllib.request.Request(base + line)
    with urllib.request.urlopen(req, timeout=30) as r:
        if r.status != 200:
            raise RuntimeError(f"{method} {path or line}: status {r.status}")


def hit_rate(base: str, queries: list[tuple[str, str, str]]) -> dict:
    """Sequential traces: is the rendition each query came from the top match (or at least its quote)?"""
    exact = same_quote = done = 0
    times = []
    deadline = time.monotonic() + HIT_SECONDS
    for rid, quote_id, q in queries[:HIT_SAMPLES]:
        if time.monotonic() > deadline:
            break
        req = urllib.request.Request(base + "/api/trace", data=json.dumps({"text": q}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        t = time.perf_counter()
        with urllib.request.urlopen(req, timeout=30) as r:
            body = json.loads(r.read())
        times.append(time.perf_counter() - t)
        done += 1
        top = body["matches"][0] if body["matches"] else None
        exact += bool(top and top["rendition"]["id"] == rid)
        same_quote += bool(top and top["rendition"]["quote_id"] == quote_id)
    times.sort()
    return {"n": done, "exact": exact / max(done, 1), "same_quote": same_quote / max(done, 1),
            "p50_ms": 1000 * times[len(times) // 2] if times else float("nan")}


# ---------------------------------------------------------------- the run

def measure(server: Server, name: str, method: str, path: str, lines: list[str], args: argparse.Namespace,
            workdir: Path) -> dict:
    """Warm-up, a throughput run and a latency run of one endpoint; prints and returns the figures."""
    check_once(server.base, method, path, lines[0])
    wrk(server.base, method, path, lines, connections=args.connections, seconds=2, max_requests=5_000,
        workdir=workdir)  # warm-up: page cache, SQLite cache, code paths
    thr = wrk(server.base, method, path, lines, connections=args.connections, seconds=args.duration,
              max_requests=MAX_REQUESTS, workdir=workdir)
    lat = wrk(server.base, method, path, lines, connections=1, seconds=args.duration / 2,
              max_requests=MAX_REQUESTS, workdir=workdir)
    r = {"rps": thr["rps"], "p50_ms": lat["p50_us"] / 1000, "p99_ms": lat["p99_us"] / 1000,
         "loaded_p50_ms": thr["p50_us"] / 1000, "requests": thr["requests"] + lat["requests"]}
    print(f"  {name:<13} {r['rps']:>8.0f} req/s   p50 {r['p50_ms']:>7.2f} ms   p99 {r['p99_ms']:>7.2f} ms"
          f"   (p50 with {args.connections} connections: {r['loaded_p50_ms']:.1f} ms)", flush=True)
    return r


def run_size(size: int, args: argparse.Namespace, workdir: Path) -> dict:
    t = time.perf_counter()
    db, manifest = corpus.build(size)
    print(f"\n== {manifest['renditions']:,} renditions, {manifest['quotes']:,} quotes ({db.name}, "
          f"ready in {time.perf_counter() - t:.1f} s; built in {manifest['build_seconds']['total']} s)", flush=True)
    rng = random.Random(size)
    queries = trace_queries(db, manifest["texted_renditions"], rng)
    eps = endpoints(manifest, queries)
    results: dict[str, dict] = {}
    with Server(db, OUT / f"server-{size}.log") as server:
        for name, (method, path, lines) in eps.items():
            if not args.only or name in args.only:
                results[name] = measure(server, name, method, path, lines, args, workdir)
        if size == max(args.sizes) and (not args.only or "trace" in args.only):
            results["hits"] = hit_rate(server.base, queries)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per throughput run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", nargs="+", choices=["ping", "graph", "lineage", "trace"],
                        help="measure only these endpoints (ratios need ping)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk not found: apt-get install -y wrk", file=sys.stderr)
        return 2
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    print(f"signature: wrk {wrk_version.split()[1] if wrk_version else '?'} -t1 -c{args.connections} "
          f"(latency: -c1), {args.duration:g} s per run, sqlite {sqlite3.sqlite_version}, python "
          f"{sys.version.split()[0]}, {os.cpu_count()} cores, uvicorn 1 worker")
    all_results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        for size in args.sizes:
            all_results[size] = run_size(size, args, Path(tmp))

    small, large = min(args.sizes), max(args.sizes)
    if args.only:
        return 0
    print("\n== ratios and targets")
    verdicts = []

    def verdict(label: str, value: str, ok: bool) -> None:
        verdicts.append(ok)
        print(f"  {label:<52} {value:>10}   {'ok' if ok else 'MISSED'}")

    for size in args.sizes:
        res = all_results[size]
        for name in ("graph", "lineage"):
            share = res[name]["rps"] / res["ping"]["rps"]
            verdict(f"{name} throughput / ping at {size:,} (>= {TARGET_SHARE_OF_PING:.0%})", f"{share:.0%}",
                    share >= TARGET_SHARE_OF_PING)
    if small != large:
        growth = all_results[large]["lineage"]["p50_ms"] / all_results[small]["lineage"]["p50_ms"]
        verdict(f"lineage p50 at {large:,} / at {small:,} (<= {TARGET_LINEAGE_GROWTH}x)", f"{growth:.2f}x",
                growth <= TARGET_LINEAGE_GROWTH)
    p50 = all_results[large]["trace"]["p50_ms"]
    verdict(f"trace p50 at {large:,} (<= {TARGET_TRACE_P50_MS:g} ms)", f"{p50:.1f} ms", p50 <= TARGET_TRACE_P50_MS)
    hits = all_results[large].get("hits")
    if hits:
        print(f"  trace hit rate at {large:,}: source rendition top match {hits['exact']:.1%}, its quote "
              f"{hits['same_quote']:.1%} ({hits['n']} queries, half truncated, half edited; "
              f"sequential p50 {hits['p50_ms']:.1f} ms)")
    (OUT / "api-results.json").write_text(json.dumps({str(k): v for k, v in all_results.items()}, indent=1))
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
