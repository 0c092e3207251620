"""The audit log is a hash chain: editing a row behind the application's back is caught."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, select

from provenance import audit
from provenance.models import AuditEvent


def test_chain_verifies_then_breaks_at_the_edited_row(fx_seeded) -> None:
    with Session(fx_seeded.engine) as s:
        result = audit.verify(s)
        assert result.ok and result.events > 20
        victim = s.exec(select(AuditEvent).order_by(AuditEvent.seq).offset(7).limit(1)).one()
        seq, event_id = victim.seq, victim.id
    with fx_seeded.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE seq = :seq"), {"seq": seq})
    with Session(fx_seeded.engine) as s:
        result = audit.verify(s)
        assert not result.ok
        assert result.first_broken_seq == seq and result.first_broken_id == event_id
        assert "edited" in (result.reason or "")


def test_deleted_row_is_caught(fx_seeded) -> None:
    with Session(fx_seeded.engine) as s:
        ev = s.exec(select(AuditEvent).order_by(AuditEvent.seq).offset(3).limit(1)).one()
        seq = ev.seq
    with fx_seeded.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq = :seq"), {"seq": seq})
    with Session(fx_seeded.engine) as s:
        result = audit.verify(s)
        assert not result.ok and result.first_broken_seq == seq + 1 and "removed" in (result.reason or "")
