"""Stored graph and lineage answers follow every write, and equal what the live views build.

``provenance.answers`` stores each quote's graph in pieces and each
rendition's lineage whole, and a write refreshes only what it changed. The
danger is a stale answer, served fast and wrong: so after each kind of write
(import, rendition, derivation, analysis, re-analysis, note, review, gloss),
after a rollback, and between two concurrent PostgreSQL writers, every stored
answer must be byte-for-byte what the live views build from the same rows,
and every quote and rendition must have one.
"""

from __future__ import annotations

import threading

import msgspec
import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from provenance import analysis, answers, audit, chain, lineage, reads, review, views
from provenance.errors import Conflict
from provenance.models import Derivation, Finding, Quote, Rendition, StoredAnswer
from tests.conftest import TEST_AUDIT_KEY, _postgres_database

CHOE = "choe-2024-11-01-until-the-day-of-victory"


def _answers(engine, *, live: bool) -> dict[tuple[str, str], bytes]:
    """Every quote's graph and every rendition's lineage, as served (stored when stored) or built live."""
    with Session(engine) as s:
        quote_ids = list(s.exec(select(Quote.id)).all())
        rendition_ids = list(s.exec(select(Rendition.id)).all())
    out = {}
    with reads.Snapshot(engine) as db:
        for qid in quote_ids:
            out[("graph", qid)] = (msgspec.json.encode(views.graph(db, lineage.quote_row(db, qid))) if live
                                   else answers.graph_json(db, qid))
        for rid in rendition_ids:
            out[("lineage", rid)] = (msgspec.json.encode(views.lineage_view(db, rid)) if live
                                     else answers.lineage_json(db, rid))
    return out


def _pieces(engine) -> dict[tuple[str, str], tuple[str, bytes]]:
    with Session(engine) as s:
        return {(a.kind, a.key): (a.version, bytes(a.body)) for a in s.exec(select(StoredAnswer)).all()}


def assert_fresh(engine) -> dict[tuple[str, str], bytes]:
    """Every answer is stored (a current piece for every quote, node, edge and lineage) and equals the live one."""
    pieces = _pieces(engine)
    with Session(engine) as s:
        quotes = set(s.exec(select(Quote.id)).all())
        renditions = set(s.exec(select(Rendition.id)).all())
        edges = set(s.exec(select(Derivation.id)).all())
    assert {k for (kind, k) in pieces if kind == "quote"} == quotes
    assert {k for (kind, k) in pieces if kind == "node"} == renditions
    assert {k for (kind, k) in pieces if kind == "edge"} == edges
    assert {k for (kind, k) in pieces if kind == "lineage"} == renditions
    assert {v for v, _ in pieces.values()} == {answers.VERSION}
    served, live = _answers(engine, live=False), _answers(engine, live=True)
    stale = [key for key in live if served[key] != live[key]]
    assert not stale, f"stale stored answers: {stale}"
    return served


def choe_quote_id(engine) -> str:
    with Session(engine) as s:
        return lineage.get_quote(s, CHOE).id


def test_every_kind_of_write_keeps_the_answers_fresh(fx_seeded) -> None:
    engine = fx_seeded.engine
    before = assert_fresh(engine)
    assert sum(kind == "graph" for kind, _ in before) == 4 and sum(kind == "lineage" for kind, _ in before) >= 15

    analyzer = analysis.Analyzer.from_settings(fx_seeded.settings)
    with fx_seeded.write() as w:
        analysis.analyze_quote(w, lineage.get_quote(w.session, CHOE), analyzer)
    analysed = assert_fresh(engine)
    assert analysed != before  # drift summaries now say analysed, with scores and counts

    with fx_seeded.write() as w:  # a person's note counts beside machine findings
        s = w.session
        edge = s.exec(select(Derivation).where(Derivation.quote_id == lineage.get_quote(s, CHOE).id)).first()
        review.add_note(w, edge=edge, text="checked against the wire", category="omission", severity="critical",
                        author="desk editor")
    noted = assert_fresh(engine)
    assert noted != analysed

    with fx_seeded.write() as w:
        finding = w.session.exec(select(Finding).where(Finding.origin == "machine")).first()
        review.review_finding(w, finding_id=finding.id, verdict="dismissed", comment="a paraphrase", reviewer="editor")
    assert_fresh(engine)

    with fx_seeded.write() as w:  # a new rendition under the AFP text, and its link
        s = w.session
        quote = lineage.get_quote(s, CHOE)
        parent = lineage.get_rendition(s, f"{CHOE}:afp-en")
        child = lineage.add_rendition(w, quote=quote, key="desk-en", language="en", status="attested",
                                      text="We reaffirm that we will always stand by our Russian comrades.")
        lineage.add_derivation(w, child=child, parent=parent, relation="quotation", evidence="desk copy")
        new_id = child.id
    linked = assert_fresh(engine)
    assert ("lineage", new_id) in linked and b"desk copy" in linked[("graph", choe_quote_id(engine))]

    with fx_seeded.write() as w:  # re-analysis replaces the machine findings of every hop, the new one included
        analysis.analyze_quote(w, lineage.get_quote(w.session, CHOE), analyzer)
    reanalysed = assert_fresh(engine)
    assert reanalysed[("lineage", new_id)] != linked[("lineage", new_id)]

    with fx_seeded.write() as w:  # a gloss shows in the lineages of its rendition and of those below it
        lineage.add_gloss(w, rendition=lineage.get_rendition(w.session, f"{CHOE}:ko-remark"), language="en",
                          text="We will stand by our Russian comrades until the day of victory.", author="translator")
    glossed = assert_fresh(engine)
    lineage_of_new = msgspec.json.decode(glossed[("lineage", new_id)])
    origin = lineage_of_new["paths"][0]["renditions"][0]
    assert origin["key"] == "ko-remark"
    assert any(g["author"] == "translator" for g in origin["glosses"])


def test_a_write_refreshes_only_what_it_changed(fx_seeded) -> None:
    """A new rendition under one parent: its node, its edge and its own lineage; nothing else is rewritten."""
    engine = fx_seeded.engine
    before = _pieces(engine)
    with fx_seeded.write() as w:
        s = w.session
        quote = lineage.get_quote(s, CHOE)
        child = lineage.add_rendition(w, quote=quote, key="leaf-en", language="en", status="attested",
                                      text="We will always stand by our Russian comrades.")
        lineage.add_derivation(w, child=child, parent=lineage.get_rendition(s, f"{CHOE}:lejdd-fr"),
                               relation="translation")
        edge_id = s.exec(select(Derivation.id).where(Derivation.child_id == child.id)).one()
        w.finish()
        assert answers.refresh(s, w.touched) == 3  # node, edge, lineage of the new rendition
    after = _pieces(engine)
    assert set(after) - set(before) == {("node", child.id), ("edge", edge_id), ("lineage", child.id)}
    assert all(after[k] == v for k, v in before.items())  # every other piece as it was
    assert_fresh(engine)


def test_a_rolled_back_write_leaves_the_answers_as_they_were(fx_seeded) -> None:
    engine = fx_seeded.engine
    before = assert_fresh(engine)
    with pytest.raises(RuntimeError), fx_seeded.write() as w:
        quote = lineage.get_quote(w.session, CHOE)
        lineage.add_rendition(w, quote=quote, key="never", language="en", status="attested", text="Never recorded.")
        w.finish()  # refreshed in the transaction, then rolled back with it
        raise RuntimeError("the request failed after the refresh")
    assert assert_fresh(engine) == before


def test_a_failed_import_stores_nothing(fx_seeded) -> None:
    engine = fx_seeded.engine
    before = assert_fresh(engine)
    doc = chain.founding_document()
    fresh = doc.quotes[0].model_copy(update={"slug": "a-new-quote"})
    doc = doc.model_copy(update={"quotes": [fresh, doc.quotes[1]]})  # a new quote, then one already recorded
    with pytest.raises(Conflict), fx_seeded.write() as w:
        chain.import_document(w, doc)  # refused, all of it
    assert assert_fresh(engine) == before


def test_missing_or_stale_answers_are_built_live_then_rebuilt_with_the_same_bytes(fx_seeded) -> None:
    engine = fx_seeded.engine
    expected = assert_fresh(engine)
    with engine.begin() as conn:  # a release that changed the views: every piece is of another version
        conn.execute(text("UPDATE stored_answer SET version = 'older'"))
    assert _answers(engine, live=False) == expected  # served live meanwhile, never the old pieces
    with reads.Snapshot(engine) as db:
        assert answers.graph_json(db, CHOE) == expected[("graph", choe_quote_id(engine))]  # by slug too
        assert answers.lineage_json(db, f"{CHOE}:afp-en") == answers.lineage_json(
            db, lineage.rendition_row(db, f"{CHOE}:afp-en").id)
    assert answers.rebuild_stale(engine, batch=3) == 4
    assert assert_fresh(engine) == expected
    with engine.begin() as conn:  # a database from before the pieces: nothing stored
        conn.execute(text("DELETE FROM stored_answer"))
    assert _answers(engine, live=False) == expected
    assert answers.rebuild_stale(engine) == 4
    assert answers.rebuild_stale(engine) == 0
    assert assert_fresh(engine) == expected


def test_a_write_to_a_quote_without_current_pieces_rebuilds_the_whole_quote(fx_seeded) -> None:
    """Otherwise a new current quote piece would vouch for node pieces that are missing."""
    engine = fx_seeded.engine
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM stored_answer"))
    with fx_seeded.write() as w:
        lineage.add_gloss(w, rendition=lineage.get_rendition(w.session, f"{CHOE}:afp-en"), language="fr",
                          text="Nous répétons.", author="desk")
    pieces = _pieces(engine)
    qid = choe_quote_id(engine)
    with Session(engine) as s:
        nodes = set(s.exec(select(Rendition.id).where(Rendition.quote_id == qid)).all())
    assert ("quote", qid) in pieces and {k for (kind, k) in pieces if kind == "node"} == nodes
    with reads.Snapshot(engine) as db:
        assert answers.graph_json(db, qid) == msgspec.json.encode(views.graph(db, lineage.quote_row(db, qid)))


def test_a_lineage_too_large_to_store_is_read_live(fx_seeded, monkeypatch) -> None:
    engine = fx_seeded.engine
    full = assert_fresh(engine)
    with Session(engine) as s:
        last = lineage.get_rendition(s, f"{CHOE}:republication-en").id
    monkeypatch.setattr(answers, "MAX_LINEAGE_BYTES", len(full[("lineage", last)]) - 1)
    with fx_seeded.write() as w:  # a gloss on the origin: every lineage of the quote is rebuilt
        lineage.add_gloss(w, rendition=lineage.get_rendition(w.session, f"{CHOE}:ko-remark"), language="en",
                          text="We shall stand firmly by our comrades.", author="desk")
    pieces = _pieces(engine)
    assert ("lineage", last) not in pieces  # the longest lineage is not stored...
    live = _answers(engine, live=True)
    assert _answers(engine, live=False) == live  # ...and is served live, like every other answer


@pytest.fixture(name="fx_postgres")
def fixture_postgres():
    yield from _postgres_database()


@pytest.mark.postgres
def test_two_writers_on_one_quote_both_commit_and_both_are_in_its_answers(fx_postgres) -> None:
    """PostgreSQL writers to one quote queue on the quote's row (``Write.lock_quote``).

    Without that, the second writer would build its answers from rows without
    the first one's rendition, and check its key against them.
    """
    engine = fx_postgres.engine
    with fx_postgres.write() as w:
        chain.import_document(w, chain.founding_document())
    first_recorded, release_first = threading.Event(), threading.Event()
    ids: dict[str, str] = {}
    errors: list[BaseException] = []

    def write(key: str, *, hold: bool) -> None:
        try:
            with fx_postgres.write() as w:
                quote = lineage.get_quote(w.session, CHOE)
                ids[key] = lineage.add_rendition(w, quote=quote, key=key, language="en", status="attested",
                                                 text=f"{key.title()} writer.").id
                if hold:
                    first_recorded.set()
                    assert release_first.wait(30)
        except BaseException as exc:  # reported below
            errors.append(exc)

    first = threading.Thread(target=write, args=("first",), kwargs={"hold": True})
    first.start()
    assert first_recorded.wait(30)
    second = threading.Thread(target=write, args=("second",), kwargs={"hold": False})
    second.start()
    second.join(timeout=1.0)
    assert second.is_alive(), "the second writer should wait for the first one to end"
    release_first.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert not errors, errors
    with Session(engine) as s:
        assert audit.verify(s, key=TEST_AUDIT_KEY.encode()).ok
        assert s.exec(select(func.count()).select_from(Rendition)).one() == 21
    stored = assert_fresh(engine)
    graph = msgspec.json.decode(stored[("graph", choe_quote_id(engine))])
    assert {ids["first"], ids["second"]} <= {n["id"] for n in graph["nodes"]}
