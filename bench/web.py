"""How long the web pages of the founding chain take to render (target: quote page under 200 ms).

Builds a fresh SQLite database with the founding chain analysed, then requests
each page N times through Litestar's test client (the whole app: routing,
database reads, templates) and prints the median and 95th percentile.

    .venv/bin/python bench/web.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]  # bench/api.py
from litestar.testing import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from provenance import analysis, chain, migrate  # noqa: E402
from provenance import writes  # noqa: E402
from provenance.db import make_engine  # noqa: E402
from provenance.settings import Settings  # noqa: E402

TARGET_MS = 200.0


def main(n: int = 50) -> None:
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'web.db'}"
    migrate.upgrade(url)
    settings = Settings(database_url=url, rate_limit_per_minute=10**9, audit_key="bench")
    with writes.write(make_engine(url), actor="bench", audit_key=b"bench") as w:
        quotes = chain.import_document(w, chain.founding_document())
        analyzer = analysis.Analyzer.from_settings(settings)
        for q in quotes:
            analysis.analyze_quote(w, q, analyzer)
    pages = {
        "home": "/",
        "quote page": "/quotes/choe-2024-11-01-until-the-day-of-victory",
        "hop view": "/renditions/choe-2024-11-01-no-doubt-great-victory:lejdd-fr/hop",
        "trace": "/?q=until+the+day+of+victory",
    }
    with TestClient(app=create_app(settings)) as client:
        for path in pages.values():  # warm-up: templates compiled, langdetect profiles loaded
            client.get(path)
        print(f"{'page':<12} {'p50 ms':>8} {'p95 ms':>8}   (n={n})")
        for name, path in pages.items():
            times = []
            for _ in range(n):
                t0 = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, (path, r.status_code)
            times.sort()
            p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
            note = f"   target < {TARGET_MS:.0f} ms: {'met' if p95 < TARGET_MS else 'MISSED'}" if name == "quote page" else ""
            print(f"{name:<12} {p50:8.1f} {p95:8.1f}{note}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
