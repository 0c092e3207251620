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
