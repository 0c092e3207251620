"""Stored graph and lineage answers follow every write, and equal what the live views build.

``provenance.answers`` rebuilds a quote's answers in the transaction of every
change to it. The danger is a stale answer, served fast and wrong: so after
each kind of write (import, rendition, derivation, analysis, re-analysis,
note, review, gloss), after a rollback and a savepoint, and between two
concurrent PostgreSQL writers, every stored answer must be byte-for-byte what
the live views build from the same rows, and every quote and rendition must
have one.
"""

from __future__ import annotations

import threading

import msgspec
import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from provenance import analysis, answers, audit, chain, lineage, reads, review, views
from provenance.db import transaction
from provenance.errors import Conflict
from provenance.models import Derivation, Finding, Quote, Rendition, StoredAnswer
from provenance.settings import Settings
from tests.conftest import _postgres_database

CHOE = "choe-2024-11-01-until-the-day-of-victory"


def _stored(engine) -> dict[tuple[str, str], bytes]:
    with Session(engine) as s:
        return {(a.kind, a.key): a.body for a in s.exec(select(StoredAnswer)).all()}


def _live(engine) -> dict[tuple[str, str], bytes]:
    out = {}
    with Session(engine) as s:
        quote_ids = list(s.exec(select(Quote.id)).all())
        rendition_ids = list(s.exec(select(Rendition.id)).all())
    with reads.Snapshot(engine) as db:
        for qid in quote_ids:
            out[("graph", qid)] = msgspec.json.encode(views.graph(db, lineage.quote_row(db, qid)))
        for rid in rendition_ids:
            out[("lineage", rid)] = msgspec.json.encode(views.lineage_view(db, rid))
    return out


def assert_fresh(engine) -> dict[tuple[str, str], bytes]:
    stored, live = _stored(engine), _live(engine)
    assert stored.keys() == live.keys()
    stale = [key for key in live if stored[key] != live[key]]
    assert not stale, f"stale stored answers: {stale}"
    return stored


def test_every_kind_of_write_keeps_the_answers_fresh(fx_seeded) -> None:
    engine = fx_seeded.engine
    before = assert_fresh(engine)
    assert sum(kind == "graph" for kind, _ in before) == 4 and sum(kind == "lineage" for kind, _ in before) >= 15

    analyzer = analysis.Analyzer.from_settings(Settings(database_url=fx_seeded.url))
    with transaction(engine) as s:
        analysis.analyze_quote(s, lineage.get_quote(s, CHOE), analyzer)
    analysed = assert_fresh(engine)
    assert analysed != before  # drift summaries now say analysed, with scores and counts

    with transaction(engine) as s:  # a person's note counts beside machine findings
        edge = s.exec(select(Derivation).where(Derivation.quote_id == lineage.get_quote(s, CHOE).id)).first()
        review.add_note(s, edge=edge, text="checked against the wire", category="omission", severity="critical",
                        author="desk editor")
    noted = assert_fresh(engine)
    assert noted != analysed

    with transaction(engine) as s:
        finding = s.exec(select(Finding).where(Finding.origin == "machine")).first()
        review.review_finding(s, finding_id=finding.id, verdict="dismissed", comment="a paraphrase", reviewer="editor")
    assert_fresh(engine)

    with transaction(engine) as s:  # a new rendition under the AFP text, and its link
        quote = lineage.get_quote(s, CHOE)
        parent = lineage.get_rendition(s, f"{CHOE}:afp-en")
        child = lineage.add_rendition(s, quote=quote, key="desk-en", language="en", status="attested",
                                      text="We reaffirm that we will always stand by our Russian comrades.")
        lineage.add_derivation(s, child=child, parent=parent, relation="quotation", evidence="desk copy")
        new_id = child.id
    linked = assert_fresh(engine)
    assert ("lineage", new_id) in linked and b"desk copy" in linked[("graph", choe_quote_id(engine))]

    with transaction(engine) as s:  # re-analysis replaces the machine findings of every hop, the new one included
        analysis.analyze_quote(s, lineage.get_quote(s, CHOE), analyzer)
    reanalysed = assert_fresh(engine)
    assert reanalysed[("lineage", new_id)] != linked[("lineage", new_id)]

    with transaction(engine) as s:
        lineage.add_gloss(s, rendition=lineage.get_rendition(s, f"{CHOE}:ko-remark"), language="en",
                          text="We will stand by our Russian comrades until the day of victory.", author="translator")
    assert_fresh(engine)


def choe_quote_id(engine) -> str:
    with Session(engine) as s:
        return lineage.get_quote(s, CHOE).id


def test_a_rolled_back_write_leaves_the_answers_as_they_were(fx_seeded) -> None:
    engine = fx_seeded.engine
    before = assert_fresh(engine)
    with pytest.raises(RuntimeError), transaction(engine) as s:
        quote = lineage.get_quote(s, CHOE)
        lineage.add_rendition(s, quote=quote, key="never", language="en", status="attested", text="Never recorded.")
        s.flush()
        raise RuntimeError("the request failed after the flush")
    assert assert_fresh(engine) == before


def test_a_rolled_back_savepoint_keeps_the_change_made_before_it(fx_seeded) -> None:
    engine = fx_seeded.engine
    with transaction(engine) as s:
        quote = lineage.get_quote(s, CHOE)
        kept = lineage.add_rendition(s, quote=quote, key="kept", language="en", status="attested", text="Kept.")
        s.flush()
        nested = s.begin_nested()
        lineage.add_rendition(s, quote=quote, key="undone", language="en", status="attested", text="Undone.")
        nested.rollback()
        kept_id = kept.id
    stored = assert_fresh(engine)
    assert ("lineage", kept_id) in stored


def test_a_failed_import_stores_nothing(fx_seeded) -> None:
    engine = fx_seeded.engine
    before = assert_fresh(engine)
    doc = chain.founding_document()
    fresh = doc.quotes[0].model_copy(update={"slug": "a-new-quote"})
    doc = doc.model_copy(update={"quotes": [fresh, doc.quotes[1]]})  # a new quote, then one already recorded
    with pytest.raises(Conflict), transaction(engine) as s:
        chain.import_document(s, doc, actor="test")  # refused, all of it
    assert assert_fresh(engine) == before


def test_missing_answers_are_built_live_then_stored_with_the_same_bytes(fx_seeded) -> None:
    engine = fx_seeded.engine
    expected = assert_fresh(engine)
    with engine.begin() as conn:  # a database from before the table: nothing stored
        conn.execute(text("DELETE FROM stored_answer"))
    with reads.Snapshot(engine) as db:
        for (kind, key), body in expected.items():
            got = answers.graph_json(db, key) if kind == "graph" else answers.lineage_json(db, key)
            assert got == body
        assert answers.graph_json(db, CHOE) == expected[("graph", choe_quote_id(engine))]  # by slug too
        assert answers.lineage_json(db, f"{CHOE}:afp-en") == answers.lineage_json(
            db, lineage.rendition_row(db, f"{CHOE}:afp-en").id)
    assert answers.store_missing(engine, batch=3) == 4
    assert assert_fresh(engine) == expected
    assert answers.store_missing(engine) == 0


def test_a_quote_past_the_size_bound_stores_part_of_its_lineages_and_reads_the_rest_live(fx_sqlite, monkeypatch) -> None:
    engine = fx_sqlite.engine
    with transaction(engine) as s:
        chain.import_document(s, chain.founding_document(), actor="test")
    full = assert_fresh(engine)
    qid = choe_quote_id(engine)
    keys = [key for (kind, key), body in full.items() if kind == "lineage" and msgspec.json.decode(body)["quote_id"] == qid]
    monkeypatch.setattr(answers, "MAX_STORED_BYTES_PER_QUOTE", len(full[("graph", qid)]))  # room for one lineage
    with transaction(engine) as s:
        answers.store(s, [qid])  # what the next write to the quote does
    stored = _stored(engine)
    stored_here = [key for key in keys if ("lineage", key) in stored]
    assert len(stored_here) == 1 and ("graph", qid) in stored
    live = _live(engine)
    assert all(stored[key] == live[key] for key in stored)
    with reads.Snapshot(engine) as db:
        for key in keys:
            assert answers.lineage_json(db, key) == live[("lineage", key)]


@pytest.fixture(name="fx_postgres")
def fixture_postgres():
    yield from _postgres_database()


@pytest.mark.postgres
def test_two_writers_on_one_quote_both_commit_and_both_are_in_its_answers(fx_postgres) -> None:
    """PostgreSQL writers overlap; the audit log queues them (``audit.record``).

    Without that, the second writer chains its audit event onto the same
    predecessor as the first and fails on the unique ``prev_hash``; and it
    would rebuild the quote's answers from rows without the first one's
    rendition.
    """
    engine = fx_postgres.engine
    with transaction(engine) as s:
        chain.import_document(s, chain.founding_document(), actor="test")
    first_recorded, release_first = threading.Event(), threading.Event()
    ids: dict[str, str] = {}
    errors: list[BaseException] = []

    def write(key: str, *, hold: bool) -> None:
        try:
            with transaction(engine) as s:
                quote = lineage.get_quote(s, CHOE)
                ids[key] = lineage.add_rendition(s, quote=quote, key=key, language="en", status="attested",
                                                 text=f"{key.title()} writer.").id  # records an audit event
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
        assert audit.verify(s).ok
    stored = assert_fresh(engine)
    graph = msgspec.json.decode(stored[("graph", choe_quote_id(engine))])
    assert {ids["first"], ids["second"]} <= {n["id"] for n in graph["nodes"]}
