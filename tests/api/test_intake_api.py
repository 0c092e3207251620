"""Intake through the API, on SQLite and PostgreSQL: propose writes nothing, accept writes it all or nothing."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

SEED = (Path(__file__).resolve().parents[1] / "data" / "seed-article-en.txt").read_text(encoding="utf-8")
CHOE = "We reaffirm that we will always stand firmly by our Russian comrades until the day of victory."


def _counts(api) -> tuple[int, int]:
    from sqlalchemy import text

    with api.db.engine.connect() as c:
        return (c.execute(text("SELECT count(*) FROM rendition")).scalar_one(),
                c.execute(text("SELECT count(*) FROM audit_event")).scalar_one())


@pytest.fixture(name="fx_pages")
def fixture_pages(tmp_path: Path) -> Iterator[str]:
    """A web server on 127.0.0.1 serving test pages (nothing needs the internet)."""
    (tmp_path / "seed.html").write_text(
        "<html><head><title>North Korea backs Russia</title><meta property='og:site_name' content='Example News'>"
        "</head><body><article><h1>North Korea backs Russia</h1>"
        + "".join(f"<p>{p}</p>" for p in SEED.split("\n")) + "</article></body></html>", encoding="utf-8")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_seed_article_is_recognised_on_the_founding_chain_and_nothing_is_duplicated(fx_api) -> None:
    before = _counts(fx_api)
    r = fx_api.client.post("/api/intake", json={"text": SEED})
    assert r.status_code == 200, r.text
    assert _counts(fx_api) == before  # proposing writes nothing
    body = r.json()
    assert set(body) == {"publication", "quotes"}
    by_text = {q["text"]: q for q in body["quotes"]}
    first = by_text[CHOE]
    assert first["proposal"]["action"] == "recorded"
    assert first["proposal"]["quote"] == "choe-2024-11-01-until-the-day-of-victory"
    assert first["proposal"]["machine"]["origin"] == "machine"
    assert SEED[first["start"]:first["end"]] == first["text"]
    r = fx_api.client.post("/api/intake/accept", json=body, headers=fx_api.editor)
    assert r.status_code == 201, r.text
    renditions, events = _counts(fx_api)
    # the Choe and Lavrov quotes attach as the republication already held; the others' partial quotes are new
    assert "choe-2024-11-01-until-the-day-of-victory" in r.json()["quotes"]
    again = fx_api.client.post("/api/intake", json={"text": SEED}).json()
    assert all(q["proposal"]["action"] in ("recorded", "skip") for q in again["quotes"])
    r = fx_api.client.post("/api/intake/accept", json=again, headers=fx_api.editor)
    assert r.status_code == 201, r.text
    assert _counts(fx_api)[0] == renditions  # accepting the same article again adds no rendition


def test_accept_needs_an_editor_key(fx_api) -> None:
    body = fx_api.client.post("/api/intake", json={"text": SEED}).json()
    assert fx_api.client.post("/api/intake/accept", json=body).status_code == 401
    assert fx_api.client.post("/api/intake/accept", json=body, headers=fx_api.reader).status_code == 403


def test_a_new_article_becomes_new_quotes_with_their_claimed_chain(fx_api) -> None:
    text = ("MOSCOW, Nov 16 (Reuters) - The minister spoke to reporters.\n\n"
            "“The harvest will be the largest in a decade,” Agriculture Minister Oksana Lut said.")
    body = fx_api.client.post("/api/intake", json={"text": text, "outlet": "Example Daily"}).json()
    (q,) = body["quotes"]
    assert q["speaker"] == "Oksana Lut" and q["proposal"]["action"] == "new"
    r = fx_api.client.post("/api/intake/accept", json=body, headers=fx_api.editor)
    assert r.status_code == 201, r.text
    slug = r.json()["quotes"][0]
    graph = fx_api.client.get(f"/api/quotes/{slug}/graph").json()
    statuses = sorted(n["status"] for n in graph["nodes"])
    assert statuses == ["attested", "claimed", "claimed"]  # the article, Reuters, the speaker
    assert any(n.get("source", {}) and n["source"]["name"] == "Reuters" for n in graph["nodes"])


def test_an_edited_proposal_drops_a_quote_and_fixes_a_speaker(fx_api) -> None:
    text = "“We will build it,” he said. “It costs too much,” said Jan Novak."
    body = fx_api.client.post("/api/intake", json={"text": text}).json()
    body["quotes"][0]["speaker"] = "Petra Holm"
    body["quotes"][1]["editor"] = {"action": "skip"}
    r = fx_api.client.post("/api/intake/accept", json=body, headers=fx_api.editor)
    assert r.status_code == 201, r.text
    (slug,) = r.json()["quotes"]
    assert fx_api.client.get(f"/api/quotes/{slug}").json()["speaker"] == "Petra Holm"


@pytest.mark.parametrize("payload, words", [
    ({"text": "   "}, "at least 1 character"),
    ({"html": "<html><body></body></html>"}, "empty"),
    ({"text": "The weather in Paris was mild and nobody was quoted at all in this short report today."},
     "no quotation"),
    ({"text": "“Ни шагу назад”, сказал он.", "language": "ko"}, "intake reads articles in"),
    ({"text": "a", "url": "http://127.0.0.1:9/x"}, "exactly one"),
    ({"url": "http://127.0.0.1:9/nothing-listens-here"}, "could not be reached"),
    ({"text": "“x” said y\u0000"}, "control character"),
])
def test_bad_input_gets_a_clear_4xx_and_writes_nothing(fx_api, payload, words) -> None:
    before = _counts(fx_api)
    r = fx_api.client.post("/api/intake", json=payload)
    assert 400 <= r.status_code < 500, r.text
    assert words in r.text
    assert _counts(fx_api) == before


def test_a_tampered_proposal_is_refused_and_nothing_is_written(fx_api) -> None:
    body = fx_api.client.post("/api/intake", json={"text": SEED}).json()
    body["quotes"][0]["start"] += 5  # the offsets no longer fit the text
    before = _counts(fx_api)
    r = fx_api.client.post("/api/intake/accept", json=body, headers=fx_api.editor)
    assert r.status_code == 422 and "offsets" in r.text
    assert _counts(fx_api) == before


def test_a_url_inside_the_servers_network_is_refused(fx_api, fx_pages) -> None:
    """By default intake fetches only public addresses: a page on 127.0.0.1 is refused, a redirect too."""
    r = fx_api.client.post("/api/intake", json={"url": f"{fx_pages}/seed.html"})
    assert r.status_code == 422 and "private network" in r.text
    for url in ("http://[::1", "http://127.0.0.1:notaport/", "http://10.0.0.1:80/x"):
        r = fx_api.client.post("/api/intake", json={"url": url})
        assert 400 <= r.status_code < 500, (url, r.status_code, r.text)


def test_a_url_is_fetched_and_read_through_trafilatura(fx_api, fx_pages) -> None:
    from litestar.testing import TestClient

    from api.app import create_app

    settings = fx_api.db.settings.with_values(intake_networks=("127.0.0.0/8",))
    with TestClient(app=create_app(settings)) as client:
        r = client.post("/api/intake", json={"url": f"{fx_pages}/seed.html"})
        missing = client.post("/api/intake", json={"url": f"{fx_pages}/gone.html"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["publication"]["read_as"] == "url"
    assert body["publication"]["title"] == "North Korea backs Russia"
    texts = [q["text"] for q in body["quotes"]]
    assert CHOE in texts
    assert missing.status_code == 422 and "404" in missing.text


def test_proposals_made_before_another_is_accepted_are_planned_again(fx_api) -> None:
    """Two articles quoting the same words, both proposed first, then accepted: one quote, two witnesses."""
    words = "The bridge will open in the spring, whatever the weather brings us."
    first = fx_api.client.post("/api/intake", json={"text": f"“{words}” Mayor Anna Berg said.",
                                                     "outlet": "Harbour Daily"}).json()
    second = fx_api.client.post("/api/intake", json={"text": f"Mayor Anna Berg said: “{words}”",
                                                      "outlet": "Coast Weekly"}).json()
    assert first["quotes"][0]["proposal"]["action"] == second["quotes"][0]["proposal"]["action"] == "new"
    a = fx_api.client.post("/api/intake/accept", json=first, headers=fx_api.editor)
    b = fx_api.client.post("/api/intake/accept", json=second, headers=fx_api.editor)
    assert a.status_code == b.status_code == 201, (a.text, b.text)
    assert a.json()["quotes"] == b.json()["quotes"]  # the second attached to the quote the first recorded
    graph = fx_api.client.get(f"/api/quotes/{a.json()['quotes'][0]}/graph").json()
    assert sum(1 for n in graph["nodes"] if n["status"] == "attested") == 2


def test_the_same_wire_text_from_two_outlets_is_two_publications(fx_api) -> None:
    from sqlalchemy import text

    article = "“We will not sign this agreement as it stands,” Minister Jonas Lind said on Friday."
    for outlet in ("Wire One", "Wire Two"):
        body = fx_api.client.post("/api/intake", json={"text": article, "outlet": outlet}).json()
        assert fx_api.client.post("/api/intake/accept", json=body, headers=fx_api.editor).status_code == 201
    with fx_api.db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM publication WHERE outlet IN ('Wire One', 'Wire Two')")).scalar_one() == 2


def test_short_quotes_of_one_speaker_from_several_articles_get_their_own_slugs(fx_api) -> None:
    for n in range(3):
        body = fx_api.client.post("/api/intake", json={"text": f"“Absolutely not,” Dmitry Peskov said (report {n})."}).json()
        r = fx_api.client.post("/api/intake/accept", json=body, headers=fx_api.editor)
        assert r.status_code == 201, r.text
