"""Lineage on real databases: adding, refusing cycles, ancestors and descendants."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlmodel import Session, func, select

from provenance import lineage
from tests.support.writing import writing
from provenance.errors import Conflict, InvalidInput, LineageCycle, NotFound
from provenance.models import AuditEvent, Derivation, Quote, Rendition
from provenance.writes import Write

CHOE = "choe-2024-11-01-until-the-day-of-victory"


def _quote(w: Write, slug: str = "q-test-one") -> Quote:
    return lineage.add_quote(w, slug=slug, speaker="Test Speaker", original_language="en")


def _chain(w: Write, quote: Quote, keys: list[str]) -> list[Rendition]:
    rs = [lineage.add_rendition(w, quote=quote, key=k, language="en", status="attested",
                                text=f"Text of {k} said by someone at a press conference today.") for k in keys]
    for parent, child in zip(rs, rs[1:]):
        lineage.add_derivation(w, child=child, parent=parent, relation="quotation")
    return rs


def test_founding_chain_has_five_renditions_in_four_languages(fx_seeded) -> None:
    with Session(fx_seeded.engine) as s:
        quote = lineage.get_quote(s, CHOE)
        renditions, edges = lineage.quote_graph(s, quote)
        assert len(renditions) == 5
        assert {r.language for r in renditions} == {"ko", "ru", "en", "fr"}
        assert len(edges) == 4
        statuses = {r.key: r.status for r in renditions}
        assert statuses["republication-en"] == "attested"
        assert all(v in ("claimed", "reconstructed") for k, v in statuses.items() if k != "republication-en")


def test_ancestor_paths_lead_back_to_the_korean_remark(fx_seeded) -> None:
    with Session(fx_seeded.engine) as s:
        last = lineage.get_rendition(s, f"{CHOE}:republication-en")
        paths = lineage.ancestor_paths(s, last.id)
        assert len(paths) == 1
        keys = [s.get(Rendition, rid).key for rid in paths[0].rendition_ids]
        assert keys == ["ko-remark", "ru-interpretation", "afp-en", "lejdd-fr", "republication-en"]
        assert [e.relation for e in paths[0].edges] == ["translation"] * 4
        origin = lineage.get_rendition(s, f"{CHOE}:ko-remark")
        assert lineage.descendant_ids(s, origin.id) == set(paths[0].rendition_ids[1:])
        assert lineage.ancestor_ids(s, origin.id) == set()


def test_diamond_gives_every_path(fx_db) -> None:
    with writing(fx_db) as w:
        s = w.session
        q = _quote(w)
        a, b, c, d = (lineage.add_rendition(w, quote=q, key=k, language="en", status="attested",
                                            text=f"{k} words for the record.") for k in "abcd")
        for child, parent in [(b, a), (c, a), (d, b), (d, c)]:
            lineage.add_derivation(w, child=child, parent=parent, relation="quotation")
        paths = lineage.ancestor_paths(s, d.id)
        assert sorted(p.rendition_ids for p in paths) == sorted([(a.id, b.id, d.id), (a.id, c.id, d.id)])


def test_cycle_is_refused_naming_both_renditions_and_nothing_is_written(fx_db) -> None:
    with writing(fx_db) as w:
        s = w.session
        q = _quote(w)
        a, b, c = _chain(w, q, ["alpha", "beta", "gamma"])
        ids = (a.id, c.id)
    with pytest.raises(LineageCycle) as err:
        with writing(fx_db) as w:
            s = w.session
            a, c = s.get(Rendition, ids[0]), s.get(Rendition, ids[1])
            lineage.add_derivation(w, child=a, parent=c, relation="quotation")
    assert "alpha" in err.value.message and "gamma" in err.value.message
    assert ids[0] in err.value.message and ids[1] in err.value.message
    with Session(fx_db.engine) as s:
        assert s.exec(select(func.count()).select_from(Derivation)).one() == 2


def test_self_link_and_cross_quote_link_are_refused(fx_db) -> None:
    with writing(fx_db) as w:
        q1, q2 = _quote(w, "q-one-x"), _quote(w, "q-two-x")
        (a,) = _chain(w, q1, ["a"])
        (b,) = _chain(w, q2, ["b"])
        with pytest.raises(LineageCycle):
            lineage.add_derivation(w, child=a, parent=a, relation="quotation")
        with pytest.raises(InvalidInput, match="different quotes"):
            lineage.add_derivation(w, child=a, parent=b, relation="quotation")


def test_database_refuses_a_self_edge_even_behind_the_application(fx_db) -> None:
    """The CHECK constraint refuses it; the write path reports it as bad input (422), never a 500."""
    with pytest.raises(InvalidInput, match="ck_derivation_not_self"):
        with writing(fx_db) as w:
            s = w.session
            q = _quote(w)
            (a,) = _chain(w, q, ["a"])
            s.add(Derivation(quote_id=q.id, child_id=a.id, parent_id=a.id, relation="quotation"))
            s.flush()


def test_lookup_by_id_slug_and_slug_key(fx_seeded) -> None:
    with Session(fx_seeded.engine) as s:
        q = lineage.get_quote(s, CHOE)
        assert lineage.get_quote(s, q.id).slug == CHOE
        r = lineage.get_rendition(s, f"{CHOE}:afp-en")
        assert lineage.get_rendition(s, r.id).key == "afp-en"
        with pytest.raises(NotFound, match="no quote"):
            lineage.get_quote(s, "no-such-quote")
        with pytest.raises(NotFound, match="SLUG:KEY"):
            lineage.get_rendition(s, f"{CHOE}:nope")


def test_every_write_is_in_the_audit_log(fx_seeded) -> None:
    with Session(fx_seeded.engine) as s:
        actions = s.exec(select(AuditEvent.action, func.count()).group_by(AuditEvent.action)).all()
        counts = dict(actions)
        assert counts["quote.create"] == 4
        assert counts["rendition.create"] == s.exec(select(func.count()).select_from(Rendition)).one()
        assert counts["derivation.create"] == s.exec(select(func.count()).select_from(Derivation)).one()


def test_ids_are_opaque_uuids(fx_seeded) -> None:
    import uuid

    with Session(fx_seeded.engine) as s:
        for r in s.exec(select(Rendition)).all():
            assert str(uuid.UUID(r.id)) == r.id


def test_text_hash_ignores_invisible_differences(fx_db) -> None:
    with writing(fx_db) as w:
        q = _quote(w)
        a = lineage.add_rendition(w, quote=q, key="a", language="en", status="attested", text="We  reaffirm\nit.")
        b = lineage.add_rendition(w, quote=q, key="b", language="en", status="attested", text="We reaffirm it. ")
        assert a.text_hash == b.text_hash and len(a.text_hash) == 64


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edges=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=15))
def test_no_sequence_of_inserts_creates_a_cycle(fx_sqlite, edges: list[tuple[int, int]]) -> None:
    """Property: whatever links are attempted, the stored graph stays acyclic."""
    import uuid

    with writing(fx_sqlite) as w:
        s = w.session
        q = _quote(w, f"q-prop-{uuid.uuid4().hex[:8]}")
        nodes = [lineage.add_rendition(w, quote=q, key=f"n{i}", language="en", status="claimed", text=None)
                 for i in range(6)]
        for child, parent in edges:
            try:
                lineage.add_derivation(w, child=nodes[child], parent=nodes[parent], relation="quotation")
            except (LineageCycle, Conflict):
                pass
        for n in nodes:
            assert n.id not in lineage.ancestor_ids(s, n.id)


def test_the_database_refuses_to_change_a_recorded_text(fx_seeded) -> None:
    """Immutability is enforced below the application too (trigger from revision 0002)."""
    from sqlalchemy import text as sql
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="immutable"):
        with fx_seeded.engine.begin() as conn:
            conn.execute(sql("UPDATE rendition SET text = 'We surrender.' WHERE key = 'afp-en'"))
    with fx_seeded.engine.begin() as conn:  # other columns may still change (e.g. a note)
        conn.execute(sql("UPDATE rendition SET note = 'checked' WHERE key = 'afp-en'"))
