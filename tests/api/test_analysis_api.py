"""Drift through the API: analyse, read a hop, review, notes, exports that other tools read."""

from __future__ import annotations

import csv
import io

from translate.storage import tmx

CHOE = "choe-2024-11-01-until-the-day-of-victory"
DOUBT = "choe-2024-11-01-no-doubt-great-victory"


def _analyze(fx_api, ref: str) -> dict:
    r = fx_api.client.post(f"/api/renditions/{ref}/analyze", headers=fx_api.editor)
    assert r.status_code == 200, r.text
    return r.json()


def test_analyze_then_drift_with_offsets_into_both_originals(fx_api) -> None:
    (hop,) = _analyze(fx_api, f"{CHOE}:republication-en")["hops"]
    assert hop["analyzed"] and hop["basis"] == "gloss"
    r = fx_api.client.get(f"/api/renditions/{CHOE}:republication-en/drift")
    assert r.status_code == 200
    drift = r.json()
    ptext, ctext = drift["parent"]["text"], drift["child"]["text"]
    beads = drift["alignment"]["beads"]
    assert beads and drift["alignment"]["parent_pivot"]  # compared through the French text's gloss
    for b in beads:
        if b["parent_span"]:
            s, e = b["parent_span"]
            assert 0 <= s < e <= len(ptext)
        if b["child_span"]:
            s, e = b["child_span"]
            assert 0 <= s < e <= len(ctext)
    for f in drift["findings"]:
        assert f["origin"] == "machine" and f["machine_made"] is True
        if f["child_span"]:
            assert ctext[f["child_span"]["start"]:f["child_span"]["end"]] == f["child_span"]["exact"]
    assert {"chrf", "coverage", "length_ratio"} <= set(drift["scores"])


def test_unanalysed_hop_says_so_and_unknown_parent_is_404(fx_api) -> None:
    r = fx_api.client.get(f"/api/renditions/{CHOE}:afp-en/drift")
    assert r.status_code == 200 and r.json()["analyzed"] is False and r.json()["findings"] == []
    r = fx_api.client.get(f"/api/renditions/{CHOE}:afp-en/drift", params={"parent_id": "nope"})
    assert r.status_code == 404
    r = fx_api.client.get(f"/api/renditions/{CHOE}:ko-remark/drift")
    assert r.status_code == 404 and "origin" in r.json()["detail"]


def test_review_and_note_survive_reanalysis(fx_api) -> None:
    (hop,) = _analyze(fx_api, f"{DOUBT}:lejdd-fr")["hops"]
    finding = hop["findings"][0]
    r = fx_api.client.post(f"/api/findings/{finding['id']}/review", headers=fx_api.editor,
                           json={"verdict": "dismissed", "comment": "the gloss is loose here"})
    assert r.status_code == 201 and r.json()["review"]["verdict"] == "dismissed"
    r = fx_api.client.post(f"/api/renditions/{DOUBT}:lejdd-fr/notes", headers=fx_api.editor,
                           json={"text": "Compare with the AFP wire", "category": "omission", "severity": "major",
                                 "child_span": {"start": 0, "end": 4}})
    assert r.status_code == 201 and r.json()["origin"] == "human" and r.json()["child_span"]["exact"] == "Elle"
    (hop,) = _analyze(fx_api, f"{DOUBT}:lejdd-fr")["hops"]
    again = next(f for f in hop["findings"] if f["fingerprint"] == finding["fingerprint"])
    assert again["review"]["verdict"] == "dismissed" and again["review"]["comment"] == "the gloss is loose here"
    assert any(f["origin"] == "human" and f["explanation"] == "Compare with the AFP wire" for f in hop["findings"])
    # bad spans, verdicts and roles are refused
    bad = fx_api.client.post(f"/api/renditions/{DOUBT}:lejdd-fr/notes", headers=fx_api.editor,
                             json={"text": "x", "child_span": {"start": 5, "end": 100000}})
    assert bad.status_code == 422
    assert fx_api.client.post(f"/api/findings/{finding['id']}/review", headers=fx_api.editor,
                              json={"verdict": "maybe"}).status_code == 422
    assert fx_api.client.post(f"/api/findings/{finding['id']}/review", headers=fx_api.reader,
                              json={"verdict": "confirmed"}).status_code == 403
    assert fx_api.client.post("/api/findings/nope/review", headers=fx_api.editor,
                              json={"verdict": "confirmed"}).status_code == 404


def test_graph_edges_carry_drift_summaries_after_analysis(fx_api) -> None:
    _analyze(fx_api, f"{DOUBT}:lejdd-fr")
    edges = fx_api.client.get(f"/api/quotes/{DOUBT}/graph").json()["edges"]
    analysed = [e for e in edges if e["drift"]["analyzed"]]
    assert len(analysed) == 1 and analysed[0]["drift"]["worst_severity"] in ("major", "critical")
    lineage = fx_api.client.get(f"/api/renditions/{DOUBT}:lejdd-fr/lineage").json()
    last = lineage["paths"][0]["hops"][-1]
    assert sum(last["drift"]["findings_by_severity"].values()) > 0


def test_exports_markdown_tmx_csv(fx_api) -> None:
    for ref in ("ru-interpretation", "afp-en", "lejdd-fr", "republication-en"):
        _analyze(fx_api, f"{CHOE}:{ref}")
    md = fx_api.client.get(f"/api/quotes/{CHOE}/export", params={"format": "markdown"}).text
    assert "```mermaid" in md and "graph LR" in md and "RECONSTRUCTED" in md and "machine-made" in md
    raw = fx_api.client.get(f"/api/quotes/{CHOE}/export", params={"format": "tmx"}).content
    store = tmx.tmxfile.parsestring(raw)
    units = list(store.units)
    assert len(units) >= 4
    langs = {tuple(t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in u.xmlelement.iter("tuv")) for u in units}
    assert ("fr", "en") in langs and ("ko", "ru") in langs
    rows = list(csv.DictReader(io.StringIO(fx_api.client.get(f"/api/quotes/{CHOE}/export", params={"format": "csv"}).text)))
    assert rows and all(r["origin"] in ("machine", "human") and r["severity"] for r in rows)
    assert fx_api.client.get(f"/api/quotes/{CHOE}/export", params={"format": "docx"}).status_code in (400, 422)
    types = {f: fx_api.client.get(f"/api/quotes/{CHOE}/export", params={"format": f}).headers["content-type"]
             for f in ("csv", "markdown", "tmx", "json")}
    assert types == {"csv": "text/csv; charset=utf-8", "markdown": "text/markdown; charset=utf-8",
                     "tmx": "application/x-tmx+xml; charset=utf-8", "json": "application/json"}


def test_lineage_accumulates_drift_and_names_the_first_divergence(fx_api) -> None:
    for ref in ("ru-interpretation", "afp-en", "lejdd-fr", "republication-en"):
        _analyze(fx_api, f"{DOUBT}:{ref}")
    (path,) = fx_api.client.get(f"/api/renditions/{DOUBT}:republication-en/lineage").json()["paths"]
    assert path["fully_analyzed"] is True
    cum = path["cumulative_drift"]
    assert len(cum) == 4 and cum == sorted(cum) and cum[-1] > 0
    first = path["first_divergence"]
    assert first is not None and first["worst_severity"] in ("major", "critical")
    hops = [(h["parent_key"], h["child_key"]) for h in path["hops"]]
    index = hops.index((first["parent_key"], first["child_key"]))
    assert all(h["drift"]["worst_severity"] not in ("major", "critical") for h in path["hops"][:index])


def test_cached_graph_and_lineage_change_after_any_write(fx_api) -> None:
    """Reads are cached by the audit log's version: a write (here an analysis) shows at once."""
    before = fx_api.client.get(f"/api/quotes/{DOUBT}/graph").json()
    assert fx_api.client.get(f"/api/quotes/{DOUBT}/graph").json() == before
    lin_before = fx_api.client.get(f"/api/renditions/{DOUBT}:lejdd-fr/lineage").json()
    _analyze(fx_api, f"{DOUBT}:lejdd-fr")
    after = fx_api.client.get(f"/api/quotes/{DOUBT}/graph").json()
    assert sum(e["drift"]["analyzed"] for e in after["edges"]) == sum(e["drift"]["analyzed"] for e in before["edges"]) + 1
    lin_after = fx_api.client.get(f"/api/renditions/{DOUBT}:lejdd-fr/lineage").json()
    assert lin_after["paths"][0]["hops"][-1]["drift"]["analyzed"] and not lin_before["paths"][0]["hops"][-1]["drift"]["analyzed"]
    assert fx_api.client.get("/api/quotes/nope/graph").status_code == 404


def _listed(fx_api, slug: str) -> dict:
    return next(q for q in fx_api.client.get("/api/quotes", params={"limit": 200}).json()["items"] if q["slug"] == slug)


def test_a_quote_never_analysed_says_so_and_can_be_analysed_whole(fx_api) -> None:
    before = _listed(fx_api, CHOE)
    assert before["analysis"] == "not analysed" and before["hops_analysed"] == 0 and before["worst_severity"] is None
    assert fx_api.client.post(f"/api/quotes/{CHOE}/analyze").status_code == 401  # an editor's job
    assert fx_api.client.post("/api/quotes/no-such-quote/analyze", headers=fx_api.editor).status_code == 404
    r = fx_api.client.post(f"/api/quotes/{CHOE}/analyze", headers=fx_api.editor)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["analysis"] == "analysed" and body["hops"] == body["hops_analysed"] == 4
    assert body["worst_severity"] in ("major", "critical")
    after = _listed(fx_api, CHOE)
    assert after["analysis"] == "analysed" and after["worst_severity"] == body["worst_severity"]
    page = fx_api.client.get(f"/quotes/{CHOE}").text
    assert "All 4 hops analysed" in page and "Not analysed yet" not in page
    other = fx_api.client.get("/quotes/lavrov-2024-11-01-principled-stance").text
    assert "Not analysed yet" in other


def test_a_dismissed_finding_no_longer_colours_the_hop_nor_the_quote(fx_api) -> None:
    fx_api.client.post(f"/api/quotes/{CHOE}/analyze", headers=fx_api.editor)
    graph = fx_api.client.get(f"/api/quotes/{CHOE}/graph").json()
    edge = max(graph["edges"], key=lambda e: e["drift"]["scores"]["drift"])
    hop = fx_api.client.get(f"/api/renditions/{edge['target']}/drift", params={"parent_id": edge["source"]}).json()
    worst = edge["drift"]["worst_severity"]
    assert worst is not None
    for f in hop["findings"]:
        if f["origin"] == "machine" and f["severity"] == worst:
            r = fx_api.client.post(f"/api/findings/{f['id']}/review", headers=fx_api.editor,
                                   json={"verdict": "dismissed", "comment": "read it again"})
            assert r.status_code == 201, r.text
    dismissed = sum(1 for f in hop["findings"] if f["origin"] == "machine" and f["severity"] == worst)
    after = next(e for e in fx_api.client.get(f"/api/quotes/{CHOE}/graph").json()["edges"] if e["id"] == edge["id"])
    assert after["drift"]["dismissed"] == dismissed > 0
    assert after["drift"]["findings_by_severity"][worst] == 0
    assert after["drift"]["worst_severity"] != worst
    lineage = fx_api.client.get(f"/api/renditions/{edge['target']}/lineage").json()
    shown = [h for p in lineage["paths"] for h in p["hops"] if h["id"] == edge["id"]]
    assert shown and all(h["drift"]["dismissed"] == dismissed for h in shown)
