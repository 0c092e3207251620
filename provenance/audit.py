"""A hash-chained audit log, written inside the caller's transaction.

Each event stores a hash of the new state and the hash of the previous event;
its own hash covers both, so editing or deleting any row behind the
application's back breaks the chain at that row, and :func:`verify` names it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from provenance.models import AuditEvent, utcnow

GENESIS = "0" * 64


def state_hash(state: Any) -> str:
    """A stable hash of a JSON-able snapshot of what was written."""
    blob = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _event_hash(*, event_id: str, actor: str, action: str, entity_type: str, entity_id: str,
                at: datetime, state: str, prev: str) -> str:
    parts = [event_id, actor, action, entity_type, entity_id, at.isoformat(timespec="microseconds"), state, prev]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# PostgreSQL advisory lock key ("prov"), held by a writing transaction from its first audit event to its end.
_WRITER_LOCK = 0x70726F76


def record(session: Session, *, actor: str, action: str, entity_type: str, entity_id: str, state: Any) -> AuditEvent:
    """Append one event after the newest one; flushes so the next append sees it.

    On PostgreSQL two transactions could otherwise both read the same newest
    event and chain onto it; the second would then fail on the unique
    ``prev_hash`` (an unmapped error, a 500). Each writing transaction takes
    one lock before reading the newest event and keeps it until it ends, so
    writers queue instead, and the one that waited reads its predecessor's
    committed event (and rows: the stored answers it rebuilds see them too).
    SQLite has one writer at a time already.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITER_LOCK})
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    event = AuditEvent(actor=actor, action=action, entity_type=entity_type, entity_id=entity_id,
                       state_hash=state_hash(state), prev_hash=prev, hash="")
    event.hash = _event_hash(event_id=event.id, actor=actor, action=action, entity_type=entity_type,
                             entity_id=entity_id, at=event.at, state=event.state_hash, prev=prev)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    first_broken_seq: int | None = None
    first_broken_id: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "first_broken_seq": self.first_broken_seq,
                "first_broken_id": self.first_broken_id, "reason": self.reason}


def verify(session: Session, *, batch: int = 1000) -> Verification:
    """Re-walk the whole chain in order and report the first event that does not fit."""
    prev = GENESIS
    count = 0
    last_seq = 0
    while True:
        rows = session.exec(select(AuditEvent).where(col(AuditEvent.seq) > last_seq)
                            .order_by(col(AuditEvent.seq)).limit(batch)).all()
        if not rows:
            return Verification(ok=True, events=count)
        for ev in rows:
            count += 1
            last_seq = ev.seq or last_seq
            if ev.prev_hash != prev:
                return Verification(False, count, ev.seq, ev.id, "its previous-event hash does not match the event before it (an event was removed or reordered)")
            expected = _event_hash(event_id=ev.id, actor=ev.actor, action=ev.action, entity_type=ev.entity_type,
                                   entity_id=ev.entity_id, at=ev.at, state=ev.state_hash, prev=ev.prev_hash)
            if ev.hash != expected:
                return Verification(False, count, ev.seq, ev.id, "its content no longer matches its hash (the row was edited)")
            prev = ev.hash


def recent(session: Session, *, limit: int = 50, before_seq: int | None = None) -> list[AuditEvent]:
    q = select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(limit)
    if before_seq is not None:
        q = q.where(col(AuditEvent.seq) < before_seq)
    return list(session.exec(q).all())


__all__ = ["record", "verify", "recent", "Verification", "state_hash", "utcnow"]
