"""Graph, lineage and trace answers are their documented models; graph and lineage agree with the ORM's view.

The API encodes these views without running them through the response
models (that cost more than the queries behind them), and builds graph and lineage from
hand-written SQL (``provenance/reads.py``). So: every answer of the founding
chain, analysed and annotated by a person, must round-trip through its model
unchanged, and its drift summaries and renditions must equal what the ORM
path (``views.quote_detail``, ``views.hop_summaries``) says about the same hops,
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from sqlmodel import select

from api.schemas import Graph, Lineage, TraceResult
from provenance import analysis, lineage, review, views
from tests.support.writing import writing
from provenance.models import Derivation, Quote, Rendition


def _analyse_and_annotate(db) -> None:
    with writing(db) as w:
        s = w.session
        analyzer = analysis.Analyzer.from_settings(db.settings)
        for quote in s.exec(select(Quote)).all():
            analysis.analyze_quote(w, quote, analyzer)
        edges = s.exec(select(Derivation).order_by(Derivation.created_at)).all()
        for edge, severity in zip(edges, ("critical", "minor", "major")):  # human notes count beside machine findings
            review.add_note(w, edge=edge, text="checked against the wire", category="omission", severity=severity,
                            author="desk editor")


def test_graph_answers_are_the_model_and_match_the_orm_view(fx_api) -> None:
    _analyse_and_annotate(fx_api.db)
    with writing(fx_api.db) as w:
        s = w.session
        quotes = s.exec(select(Quote)).all()
        details = {q.slug: views.quote_detail(s, q) for q in quotes}
    assert len(details) >= 4
    severities_seen = set()
    for slug, detail in details.items():
        r = fx_api.client.get(f"/api/quotes/{slug}/graph")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        body = r.json()
        assert Graph.model_validate(body).model_dump(mode="json") == body
        assert {n["id"]: (n["key"], n["language"], n["status"], n["text"], n["source"]) for n in body["nodes"]} == {
            x["id"]: (x["key"], x["language"], x["status"], x["text"], x["source"]) for x in detail["renditions"]}
        assert [e["id"] for e in body["edges"]] == [d["id"] for d in detail["derivations"]]
        for edge, derivation in zip(body["edges"], detail["derivations"]):
            assert edge["drift"] == derivation["drift"]
            assert (edge["source"], edge["target"]) == (derivation["parent_id"], derivation["child_id"])
            severities_seen |= {k for k, n in edge["drift"]["findings_by_severity"].items() if n}
    assert severities_seen == {"minor", "major", "critical"}


def test_lineage_answers_are_the_model_and_match_the_orm_view(fx_api) -> None:
    _analyse_and_annotate(fx_api.db)
    with writing(fx_api.db) as w:
        s = w.session
        renditions = s.exec(select(Rendition)).all()
        expected = {}
        for rendition in renditions:
            paths = lineage.ancestor_paths(s, rendition.id)
            summaries = views.hop_summaries(s, [e for p in paths for e in p.edges])
            expected[rendition.id] = [([s.get(Rendition, i).text for i in p.rendition_ids],
                                       [summaries[e.id] for e in p.edges]) for p in paths]
    assert any(len(hops) >= 3 for paths in expected.values() for _, hops in paths)
    for rid, paths in expected.items():
        r = fx_api.client.get(f"/api/renditions/{rid}/lineage")
        assert r.status_code == 200
        body = r.json()
        assert Lineage.model_validate(body).model_dump(mode="json") == body
        assert [([x["text"] for x in p["renditions"]], [h["drift"] for h in p["hops"]]) for p in body["paths"]] == paths


def test_trace_answers_are_the_model(fx_api) -> None:
    """A match, a possible match through a gloss, one with other renditions under ``also``, and not found."""
    _analyse_and_annotate(fx_api.db)
    seen = set()
    for text, language in (("stand firmly by our Russian comrades", None), ("We reaffirm our support", None),
                           ("The weather in Paris is lovely today", None), ("our Russian comrades", "en")):
        r = fx_api.client.post("/api/trace", json={"text": text, "language": language})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        body = r.json()
        assert TraceResult.model_validate(body).model_dump(mode="json") == body
        seen.add(body["verdict"])
        seen |= {"also" for m in body["matches"] if m["also"]}
        seen |= {"detection" for _ in [body] if body["detection"]}
    assert {"match", "not found", "also", "detection"} <= seen
