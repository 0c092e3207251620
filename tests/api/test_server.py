"""Once against a real uvicorn process on 127.0.0.1, as `make run` starts it."""

from __future__ import annotations

import httpx
import pytest

from tests.support.server import running_server


@pytest.fixture(name="fx_server", scope="module")
def fixture_server(tmp_path_factory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('server') / 'p.db'}"
    with running_server(db) as base:
        yield base


def test_real_server_traces_choe_back_to_the_korean_remark(fx_server: str) -> None:
    r = httpx.post(fx_server + "/api/trace", json={"text": "until the day of victory"}, timeout=10)
    assert r.status_code == 200
    top = r.json()["matches"][0]
    path = top["lineage"]["paths"][0]
    assert path["renditions"][0]["key"] == "ko-remark" and path["renditions"][0]["language"] == "ko"
    assert path["renditions"][0]["status"] == "reconstructed"


def test_real_server_serves_docs_without_internet(fx_server: str) -> None:
    page = httpx.get(fx_server + "/schema", timeout=10).text
    assert "swagger-ui-bundle.js" in page and "https://" not in page.split("<body")[0].replace("https://quote", "")
    js = httpx.get(fx_server + "/static/swagger/swagger-ui-bundle.js", timeout=10)
    assert js.status_code == 200 and len(js.content) > 100_000


def test_real_server_answers_problem_details(fx_server: str) -> None:
    r = httpx.post(fx_server + "/api/derivations", content=b"{", headers={"Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")


def test_a_slow_translator_does_not_stall_other_requests(tmp_path) -> None:
    """Machine translation runs off the event loop: while one trace waits for a slow provider, others are answered.

    With one worker, a translation on the event loop would hold up every other
    request (a health check included) for as long as the provider takes.
    """
    import threading
    import time

    from tests.support.libre_server import Reply, run_libre_server

    with run_libre_server() as libre:
        libre.always(Reply(delay=2.0))
        env = {"PROVENANCE_TRANSLATOR": "libre", "PROVENANCE_TRANSLATOR_URL": libre.url, "PROVENANCE_TRANSLATOR_KEY": "local",
               "PROVENANCE_TRANSLATOR_TIMEOUT": "10"}
        with running_server(f"sqlite:///{tmp_path / 'slow.db'}", env=env) as base:
            slow: dict[str, httpx.Response] = {}
            query = {"text": "nous resterons toujours fermement aux côtés de nos camarades russes", "language": "fr"}
            worker = threading.Thread(target=lambda: slow.setdefault(
                "trace", httpx.post(base + "/api/trace", json=query, timeout=30)))
            worker.start()
            deadline = time.monotonic() + 5
            while libre.request_count == 0 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert libre.request_count >= 1  # the trace is now waiting for the provider
            start = time.monotonic()
            assert httpx.get(base + "/health", timeout=10).status_code == 200
            assert httpx.get(base + "/api/quotes/choe-2024-11-01-until-the-day-of-victory/graph",
                             timeout=10).status_code == 200
            waited = time.monotonic() - start
            worker.join(timeout=30)
    assert waited < 1.0, f"other requests waited {waited:.2f} s behind the translation"
    assert slow["trace"].status_code == 200 and slow["trace"].json()["query_language"] == "fr"
