"""Tamper evidence: the audit log's chain, its signed head, and the rows it vouches for.

Every case edits the database behind the application's back, as someone with
access to the database but not to the server's audit key could, and checks
that ``audit.verify`` names what was done, and that a write refuses to sign
over a cut log.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from provenance import audit, lineage
from provenance.errors import Unavailable
from provenance.models import AuditEvent
from tests.conftest import TEST_AUDIT_KEY

KEY = TEST_AUDIT_KEY.encode()
CHOE = "choe-2024-11-01-until-the-day-of-victory"


def _verify(db, **kwargs) -> audit.Verification:
    with Session(db.engine) as s:
        return audit.verify(s, key=KEY, **kwargs)


def _sql(db, statement: str, **params) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(statement), params)


def _events(db) -> list[AuditEvent]:
    with Session(db.engine) as s:
        return list(s.exec(select(AuditEvent).order_by(AuditEvent.seq)).all())


def test_an_untouched_log_verifies_with_every_row(fx_seeded) -> None:
    result = _verify(fx_seeded)
    assert result.ok and result.events > 20 and not result.problems
    assert result.records_checked == len(_events(fx_seeded))  # every event created one audited row
    assert result.head == f"{result.events}:{_events(fx_seeded)[-1].hash}"


def test_an_edited_event_breaks_the_chain_at_that_event(fx_seeded) -> None:
    victim = _events(fx_seeded)[7]
    _sql(fx_seeded, "UPDATE audit_event SET actor = 'mallory' WHERE seq = :seq", seq=victim.seq)
    result = _verify(fx_seeded)
    assert not result.ok
    assert result.first_broken_seq == victim.seq and result.first_broken_id == victim.id
    assert "edited" in (result.reason or "")


def test_an_event_deleted_in_the_middle_is_caught(fx_seeded) -> None:
    seq = _events(fx_seeded)[3].seq
    _sql(fx_seeded, "DELETE FROM audit_event WHERE seq = :seq", seq=seq)
    result = _verify(fx_seeded)
    assert not result.ok and result.first_broken_seq == seq + 1 and "removed" in (result.reason or "")


def test_the_newest_events_cut_off_are_caught_and_writes_stop(fx_seeded) -> None:
    """The chain of what is left is whole; only the signed head shows the cut."""
    last = _events(fx_seeded)[-3].seq
    _sql(fx_seeded, "DELETE FROM audit_event WHERE seq > :seq", seq=last)
    result = _verify(fx_seeded)
    assert not result.ok and "removed" in (result.reason or "") and "signed head" in (result.reason or "")
    with pytest.raises(Unavailable, match="no longer ends where its signed head says"):
        with fx_seeded.write() as w:  # a write would otherwise sign over the cut
            lineage.add_gloss(w, rendition=lineage.get_rendition(w.session, f"{CHOE}:afp-en"), language="fr",
                              text="Nous répétons.", author="desk")
    assert len(_events(fx_seeded)) == result.events  # nothing was written


def test_every_event_deleted_is_caught(fx_seeded) -> None:
    _sql(fx_seeded, "DELETE FROM audit_event")
    result = _verify(fx_seeded)
    assert not result.ok and result.events == 0 and "signed head" in (result.reason or "")


def test_the_log_and_its_head_deleted_leave_rows_no_event_vouches_for(fx_seeded) -> None:
    _sql(fx_seeded, "DELETE FROM audit_event")
    _sql(fx_seeded, "DELETE FROM audit_checkpoint")
    result = _verify(fx_seeded)
    assert not result.ok
    assert any("has no audit event" in p for p in result.problems)


def test_a_forged_head_does_not_verify_without_the_key(fx_seeded) -> None:
    events = _events(fx_seeded)
    _sql(fx_seeded, "DELETE FROM audit_event WHERE seq = :seq", seq=events[-1].seq)
    _sql(fx_seeded, "UPDATE audit_checkpoint SET count = count - 1, seq = :seq, hash = :hash",
         seq=events[-2].seq, hash=events[-2].hash)  # what someone without the key can do
    result = _verify(fx_seeded)
    assert not result.ok and "signed head does not verify" in (result.reason or "")


def test_an_edited_data_row_is_caught_naming_it(fx_seeded) -> None:
    with Session(fx_seeded.engine) as s:
        r = lineage.get_rendition(s, f"{CHOE}:afp-en")
    _sql(fx_seeded, "UPDATE rendition SET url = 'https://example.org/forged' WHERE id = :id", id=r.id)
    _sql(fx_seeded, "UPDATE quote SET speaker = 'Someone else' WHERE slug = :slug", slug=CHOE)
    result = _verify(fx_seeded)
    assert not result.ok
    assert any(r.id in p and "edited behind" in p for p in result.problems)
    assert any(p.startswith("quote ") and "edited behind" in p for p in result.problems)


def test_a_deleted_and_an_inserted_data_row_are_caught(fx_seeded) -> None:
    with Session(fx_seeded.engine) as s:
        gloss = s.exec(text("SELECT id FROM gloss LIMIT 1")).scalar_one()
    _sql(fx_seeded, "DELETE FROM gloss WHERE id = :id", id=gloss)
    _sql(fx_seeded, "INSERT INTO source (id, name, kind) VALUES ('00000000-0000-0000-0000-00000000beef', "
                    "'Planted', 'other')")
    result = _verify(fx_seeded)
    assert not result.ok
    assert any(gloss in p and "row is gone" in p for p in result.problems)
    assert any("beef" in p and "no audit event" in p for p in result.problems)


def test_a_database_rolled_back_to_an_older_copy_fails_the_expected_head(fx_seeded) -> None:
    """An older copy verifies on its own (its head is signed); the head kept elsewhere tells."""
    with Session(fx_seeded.engine) as s:
        kept = audit.head(s)
        older = audit.Head(kept.count - 2, 0, _events(fx_seeded)[-3].hash)
    assert _verify(fx_seeded, expect_head=audit.Head.parse(str(kept))).ok
    assert _verify(fx_seeded, expect_head=older).ok  # the log still holds an older head: it grew since
    events = _events(fx_seeded)
    _sql(fx_seeded, "DELETE FROM audit_event WHERE seq > :seq", seq=events[-3].seq)
    with fx_seeded.engine.begin() as conn:  # signed with the key, as an older backup would be
        conn.execute(text("DELETE FROM audit_checkpoint"))
    with Session(fx_seeded.engine) as s:
        audit.sign(s, audit.Head(len(events) - 2, events[-3].seq, events[-3].hash), key=KEY)
        s.commit()
    result = _verify(fx_seeded, expect_head=kept)
    assert not result.ok and "cut back or replaced by an older copy" in (result.reason or "")


def test_a_head_that_is_not_one_is_refused() -> None:
    from provenance.errors import InvalidInput

    with pytest.raises(InvalidInput, match="COUNT:HASH"):
        audit.Head.parse("12:not-a-hash")


def test_with_no_head_writes_stop_and_a_broken_chain_is_not_signed(fx_seeded) -> None:
    """No signed head and events missing: no write signs over it, and ``baseline`` refuses to."""
    _sql(fx_seeded, "DELETE FROM audit_checkpoint")
    _sql(fx_seeded, "DELETE FROM audit_event WHERE action = 'gloss.create'")  # as if glosses had another action then
    with pytest.raises(Unavailable, match="no signed head"):
        with fx_seeded.write() as w:
            lineage.add_gloss(w, rendition=lineage.get_rendition(w.session, f"{CHOE}:afp-en"), language="fr",
                              text="Nous répétons.", author="desk")
    # the chain was broken by that delete: baseline refuses to sign a broken chain
    from provenance.errors import InvalidInput

    with Session(fx_seeded.engine) as s, pytest.raises(InvalidInput, match="broken"):
        audit.baseline(s, key=KEY, actor="test")


def test_baseline_signs_an_unsigned_whole_log(fx_seeded) -> None:
    _sql(fx_seeded, "DELETE FROM audit_checkpoint")
    with Session(fx_seeded.engine) as s:
        assert audit.baseline(s, key=KEY, actor="test") == 0  # every row already matches its event
        s.commit()
        assert audit.baseline(s, key=KEY, actor="test") == 0  # and it runs once
    assert _verify(fx_seeded).ok
