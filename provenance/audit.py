"""A hash-chained audit log with a signed head, and the check that the data still matches it.

Each event stores a hash of the state it recorded and the hash of the previous
event; its own hash covers both, so editing or deleting an event in the middle
breaks the chain at that event. Two things a chain alone cannot show are
covered too, after Certificate Transparency's signed tree heads (RFC 9162):

- **Truncation and rollback.** Every write signs the new head of the log
  (event count, last sequence number and hash) with a keyed hash (HMAC-SHA256)
  under a server secret, in ``audit_checkpoint``. Someone with access to the
  database but not to the secret can delete the newest events, or all of them,
  but cannot sign the shorter head: :func:`verify` compares the log with its
  signed head, and a write refuses to extend a log whose head no longer
  matches (it would otherwise bless the cut). A head saved elsewhere
  (``provenance audit head``) is checked with ``--expect-head``: the log must
  still contain it, which also catches a database rolled back whole to an
  older copy, signature and all.
- **Data edited behind the application's back.** Every audited record's
  current row must hash to the state its latest event recorded
  (:data:`ENTITIES` says, per kind of record, which actions record its state
  and how the state is read from its row, the one function used both when
  recording and when checking).

Events are written at the end of a write (``provenance.writes``), under the
writer lock, so the chain's order is the order in which writes committed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, insert, text
from sqlmodel import Session, SQLModel, col, select

from provenance.errors import InvalidInput, Unavailable
from provenance.models import (
    Anchor,
    ApiKey,
    AuditCheckpoint,
    AuditEvent,
    Derivation,
    Finding,
    Gloss,
    HopAnalysis,
    Publication,
    Quote,
    Rendition,
    Review,
    Source,
    TranslationCache,
    new_id,
    utcnow,
)
from provenance.settings import Settings

GENESIS = "0" * 64
_EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]
KEY_FILE_SUFFIX = ".audit-key"


# ---------------------------------------------------------------- the secret

def signing_key(settings: Settings) -> bytes:
    """The secret that signs the log's head: ``PROVENANCE_AUDIT_KEY``, or a key file beside a SQLite database.

    The file (``<database>.audit-key``, readable by its owner only) is created
    with a random key the first time; a PostgreSQL database has no file of its
    own, and every server writing to it must share one key, so there the
    setting is required.
    """
    if settings.audit_key:
        return settings.audit_key.encode("utf-8")
    path = settings.sqlite_path()
    if path is None:
        raise InvalidInput("set PROVENANCE_AUDIT_KEY: the secret that signs the audit log's head (every server "
                           "writing to this database must use the same one)")
    key_file = path.with_name(path.name + KEY_FILE_SUFFIX)
    try:
        return key_file.read_bytes().strip()
    except FileNotFoundError:
        pass
    key_file.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32).encode()
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return key_file.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:
        out.write(secret)
    return secret


# ---------------------------------------------------------------- states

def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_state(_session: Session, row: SQLModel) -> dict[str, Any]:
    """A row's columns as JSON values, times in UTC: what it reads back as from either database."""
    return {k: _plain(v) for k, v in row.model_dump().items()}


def analysis_state(session: Session, row: SQLModel) -> dict[str, Any]:
    """A hop's analysis and every machine finding on the hop: one analysis run writes them together."""
    assert isinstance(row, HopAnalysis)
    session.flush()
    findings = session.exec(select(Finding).where(Finding.derivation_id == row.derivation_id,
                                                  Finding.origin == "machine").order_by(col(Finding.id))).all()
    return {**row_state(session, row), "findings": [row_state(session, f) for f in findings]}


@dataclass(frozen=True)
class Audited:
    """A kind of record whose rows the audit log vouches for."""

    model: type[SQLModel]
    actions: tuple[str, ...]  # the actions whose event records the row's whole state
    state: Callable[[Session, Any], Any] = row_state
    where: Any = None  # which rows of the table are this kind (human notes among findings)
    deleted_by: tuple[str, ...] = ()  # actions after which the row must be gone


ENTITIES: dict[str, Audited] = {
    "quote": Audited(Quote, ("quote.create", "quote.update")),
    "source": Audited(Source, ("source.create", "source.update")),
    "rendition": Audited(Rendition, ("rendition.create", "rendition.update")),
    "derivation": Audited(Derivation, ("derivation.create", "derivation.update"), deleted_by=("derivation.delete",)),
    "gloss": Audited(Gloss, ("gloss.create",)),
    "publication": Audited(Publication, ("publication.create",)),
    "anchor": Audited(Anchor, ("anchor.create",)),
    "finding": Audited(Finding, ("note.create",), where=col(Finding.origin) == "human"),
    "review": Audited(Review, ("review.create",)),
    "hop_analysis": Audited(HopAnalysis, ("analysis.run",), state=analysis_state, deleted_by=("analysis.delete",)),
    "translation_cache": Audited(TranslationCache, ("translation.create",)),
    "api_key": Audited(ApiKey, ("key.create", "key.revoke")),
}
BASELINE = "audit.baseline"


def state_hash(state: Any) -> str:
    """A stable hash of a JSON-able snapshot of what was written."""
    blob = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def state_of(session: Session, entity_type: str, row: SQLModel) -> Any:
    """The state an event records for ``row``; :func:`verify` recomputes it from the row as stored."""
    return ENTITIES[entity_type].state(session, row)


# ---------------------------------------------------------------- appending

def _event_hash(*, event_id: str, actor: str, action: str, entity_type: str, entity_id: str,
                at: datetime, state: str, prev: str) -> str:
    parts = [event_id, actor, action, entity_type, entity_id, at.isoformat(timespec="microseconds"), state, prev]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Pending:
    """An event of a write that has not ended yet; it is chained when the write appends its events."""

    id: str
    actor: str
    action: str
    entity_type: str
    entity_id: str
    at: datetime
    state_hash: str


def pending(*, actor: str, action: str, entity_type: str, entity_id: str, state: Any) -> Pending:
    return Pending(new_id(), actor[:200], action, entity_type, entity_id, utcnow(), state_hash(state))


@dataclass(frozen=True)
class Head:
    """Where the log ends: how many events, the last one's sequence number and hash."""

    count: int
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"

    @classmethod
    def parse(cls, value: str) -> "Head":
        count, sep, digest = value.strip().partition(":")
        if not sep or not count.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise InvalidInput(f"'{value[:80]}' is not a head: write it as COUNT:HASH, as `provenance audit head` "
                               "prints it")
        return cls(int(count), 0, digest)


def _mac(key: bytes, head: Head) -> str:
    return hmac.new(key, f"{head.count}:{head.seq}:{head.hash}".encode(), hashlib.sha256).hexdigest()


def _last_event(session: Session) -> AuditEvent | None:
    # max() of the key, then one row by key: an index lookup each (a plan any database answers without a scan)
    newest = select(func.max(AuditEvent.seq)).scalar_subquery()
    return session.exec(select(AuditEvent).where(AuditEvent.seq == newest)).first()


def _checkpoint(session: Session) -> AuditCheckpoint | None:
    return session.get(AuditCheckpoint, 1)


def append(session: Session, events: list[Pending], *, key: bytes) -> Head:
    """Chain ``events`` after the newest event and sign the new head; the caller holds the writer lock.

    Refuses (503) to extend a log whose newest event is not the one its signed
    head names: a write would otherwise sign over events removed behind the
    application's back.
    """
    last = _last_event(session)
    point = _checkpoint(session)
    if last is not None or point is not None:
        _check_extendable(last, point, key)
    count = point.count if point is not None else 0
    prev = last.hash if last is not None else GENESIS
    rows = []
    for p in events:
        digest = _event_hash(event_id=p.id, actor=p.actor, action=p.action, entity_type=p.entity_type,
                             entity_id=p.entity_id, at=p.at, state=p.state_hash, prev=prev)
        rows.append({"id": p.id, "actor": p.actor, "action": p.action, "entity_type": p.entity_type,
                     "entity_id": p.entity_id, "at": p.at, "state_hash": p.state_hash, "prev_hash": prev,
                     "hash": digest})
        prev = digest
    if not rows:
        return Head(count, last.seq or 0 if last is not None else 0, prev)
    session.flush()
    session.execute(insert(_EVENTS), rows)  # one batched statement, however many events
    seq = session.execute(select(AuditEvent.seq).where(AuditEvent.hash == prev)).scalar_one()
    head = Head(count + len(rows), seq, prev)
    sign(session, head, key=key)
    return head


def _check_extendable(last: AuditEvent | None, point: AuditCheckpoint | None, key: bytes) -> None:
    stop = "writes are stopped until an administrator runs `provenance audit verify`"
    if point is None:
        raise Unavailable(f"the audit log has events but no signed head (a database from before signed heads: "
                          f"run `provenance db upgrade`; otherwise it was removed): {stop}", retry_after=300)
    head = Head(point.count, point.seq, point.hash)
    if not hmac.compare_digest(point.mac, _mac(key, head)):
        raise Unavailable(f"the audit log's signed head does not verify with this server's audit key (another "
                          f"PROVENANCE_AUDIT_KEY, or the head was edited): {stop}", retry_after=300)
    ends = (last.hash, last.seq) if last is not None else (GENESIS, 0)
    if ends != (point.hash, point.seq):
        raise Unavailable(f"the audit log no longer ends where its signed head says (event #{point.seq}): events "
                          f"were removed or added behind the application's back: {stop}", retry_after=300)


def sign(session: Session, head: Head, *, key: bytes) -> None:
    """Store ``head`` as the log's signed head."""
    point = _checkpoint(session) or AuditCheckpoint(id=1, count=0, seq=0, hash=GENESIS, mac="")
    point.count, point.seq, point.hash, point.at = head.count, head.seq, head.hash, utcnow()
    point.mac = _mac(key, head)
    session.add(point)
    session.flush()


def head(session: Session) -> Head:
    """The log's current head, as stored (not verified: :func:`verify` does that)."""
    point = _checkpoint(session)
    if point is not None:
        return Head(point.count, point.seq, point.hash)
    last = _last_event(session)
    count = session.execute(text("SELECT count(*) FROM audit_event")).scalar_one()
    return Head(count, last.seq or 0, last.hash) if last else Head(0, 0, GENESIS)


# ---------------------------------------------------------------- verifying

@dataclass
class Verification:
    ok: bool
    events: int
    first_broken_seq: int | None = None
    first_broken_id: str | None = None
    reason: str | None = None
    head: str | None = None
    records_checked: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "first_broken_seq": self.first_broken_seq,
                "first_broken_id": self.first_broken_id, "reason": self.reason, "head": self.head,
                "records_checked": self.records_checked, "problems": self.problems[:50]}


def verify(session: Session, *, key: bytes, expect_head: Head | None = None, batch: int = 1000,
           progress: Callable[[str, int], None] | None = None) -> Verification:
    """Re-walk the chain, check it against its signed head (and ``expect_head``), then every audited row.

    Reports the first broken event, and up to 50 rows that do not match their
    latest event. ``progress(stage, done)`` is called as it goes.
    """
    result = Verification(ok=True, events=0)
    chain_head = _walk(session, result, batch=batch, progress=progress)
    if not result.ok:
        return result
    result.head = str(chain_head)
    point = _checkpoint(session)
    if point is None:
        if chain_head.count:
            _broken(result, "the log has no signed head: it was removed, or the database is from before signed "
                            "heads (`provenance db upgrade` signs it)")
    elif not hmac.compare_digest(point.mac, _mac(key, Head(point.count, point.seq, point.hash))):
        _broken(result, "the signed head does not verify: it was edited, or this is not the audit key that signed it")
    elif (point.count, point.hash) != (chain_head.count, chain_head.hash):
        _broken(result, f"the log ends at event #{chain_head.seq} ({chain_head.count} events) but its signed head "
                        f"says {point.count} events ending at #{point.seq}: events were removed or added behind the "
                        "application's back")
    if expect_head is not None:
        found = session.exec(select(AuditEvent).where(AuditEvent.hash == expect_head.hash)).first()
        position = None
        if found is not None:
            position = session.execute(text("SELECT count(*) FROM audit_event WHERE seq <= :s"),
                                       {"s": found.seq}).scalar_one()
        if found is None or position != expect_head.count:
            _broken(result, f"the log does not contain the expected head {expect_head.count}:{expect_head.hash[:12]}…"
                            ": it was cut back or replaced by an older copy")
    if not result.ok:
        return result
    for entity_type in ENTITIES:
        _check_rows(session, result, entity_type, progress=progress)
    result.ok = not result.problems
    if result.problems and result.reason is None:
        result.reason = result.problems[0]
    return result


def _broken(result: Verification, reason: str) -> None:
    result.ok = False
    result.reason = result.reason or reason
    result.problems.append(reason)


def _walk(session: Session, result: Verification, *, batch: int,
          progress: Callable[[str, int], None] | None) -> Head:
    prev, last_seq = GENESIS, 0
    while True:
        rows = session.exec(select(AuditEvent).where(col(AuditEvent.seq) > last_seq)
                            .order_by(col(AuditEvent.seq)).limit(batch)).all()
        if not rows:
            return Head(result.events, last_seq, prev)
        for ev in rows:
            result.events += 1
            last_seq = ev.seq or last_seq
            if ev.prev_hash != prev:
                _first_broken(result, ev, "its previous-event hash does not match the event before it (an event "
                                          "was removed or reordered)")
                return Head(result.events, last_seq, prev)
            expected = _event_hash(event_id=ev.id, actor=ev.actor, action=ev.action, entity_type=ev.entity_type,
                                   entity_id=ev.entity_id, at=ev.at, state=ev.state_hash, prev=ev.prev_hash)
            if ev.hash != expected:
                _first_broken(result, ev, "its content no longer matches its hash (the row was edited)")
                return Head(result.events, last_seq, prev)
            prev = ev.hash
        if progress is not None:
            progress("events", result.events)


def _first_broken(result: Verification, ev: AuditEvent, reason: str) -> None:
    result.ok = False
    result.first_broken_seq, result.first_broken_id, result.reason = ev.seq, ev.id, reason
    result.problems.append(f"event #{ev.seq}: {reason}")


def _latest_states(session: Session, entity_type: str, actions: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """(entity id, latest action, its state hash) for every entity of the type, in id order."""
    names = ", ".join(f":a{i}" for i in range(len(actions)))
    params: dict[str, Any] = {f"a{i}": a for i, a in enumerate(actions)}
    params["t"] = entity_type
    rows = session.execute(text(
        "SELECT entity_id, action, state_hash FROM (SELECT entity_id, action, state_hash, row_number() OVER "
        "(PARTITION BY entity_id ORDER BY seq DESC) AS n FROM audit_event WHERE entity_type = :t AND action IN "
        f"({names})) latest WHERE n = 1 ORDER BY entity_id COLLATE {_binary(session)}"), params)
    for entity_id, action, digest in rows:
        yield entity_id, action, digest


def _binary(session: Session) -> str:
    """The collation that orders ids as Python does (code points), so two sorted streams can be merged."""
    return '"C"' if session.get_bind().dialect.name == "postgresql" else "BINARY"


def _check_rows(session: Session, result: Verification, entity_type: str, *,
                progress: Callable[[str, int], None] | None, batch: int = 1000) -> None:
    spec = ENTITIES[entity_type]
    actions = (*spec.actions, *spec.deleted_by, BASELINE)
    events = _latest_states(session, entity_type, actions)
    pending_event = next(events, None)
    model: Any = spec.model
    by_id = col(model.id).collate(_binary(session).strip('"'))
    last_id = ""
    while True:
        q = select(model).where(by_id > last_id)
        if spec.where is not None:
            q = q.where(spec.where)
        rows = session.exec(q.order_by(by_id).limit(batch)).all()
        for row in rows:
            while pending_event is not None and pending_event[0] < row.id:
                _missing_row(result, entity_type, pending_event, spec)
                pending_event = next(events, None)
            if pending_event is None or pending_event[0] != row.id:
                _problem(result, f"{entity_type} {row.id} has no audit event: it was written behind the "
                                 "application's back")
            else:
                if pending_event[1] in spec.deleted_by:
                    _problem(result, f"{entity_type} {row.id} was deleted ({pending_event[1]}) but is back")
                elif state_hash(spec.state(session, row)) != pending_event[2]:
                    _problem(result, f"{entity_type} {row.id} no longer matches the state its latest audit event "
                                     f"({pending_event[1]}) recorded: it was edited behind the application's back")
                pending_event = next(events, None)
            result.records_checked += 1
        if progress is not None:
            progress(entity_type, result.records_checked)
        if len(rows) < batch:
            break
        last_id = rows[-1].id
        session.expunge_all()
    while pending_event is not None:
        _missing_row(result, entity_type, pending_event, spec)
        pending_event = next(events, None)


def _missing_row(result: Verification, entity_type: str, event: tuple[str, str, str], spec: Audited) -> None:
    if event[1] not in spec.deleted_by:
        _problem(result, f"{entity_type} {event[0]} is in the audit log ({event[1]}) but its row is gone: it was "
                         "deleted behind the application's back")


def _problem(result: Verification, message: str) -> None:
    result.ok = False
    if len(result.problems) < 1000:
        result.problems.append(message)


# ---------------------------------------------------------------- an older database

def baseline(session: Session, *, key: bytes, actor: str) -> int:
    """Sign the head of a log that has none, recording the state of rows no current event vouches for.

    For a database written before signed heads and state checks (run by
    ``provenance db upgrade``, once: a log with a signed head is left alone).
    Refuses when the chain itself is broken. Returns how many rows it recorded.
    """
    if _checkpoint(session) is not None:
        return 0
    result = Verification(ok=True, events=0)
    walked = _walk(session, result, batch=1000, progress=None)
    if not result.ok:
        raise InvalidInput(f"the audit log is broken at event #{result.first_broken_seq}: {result.reason}; "
                           "it cannot be signed as it is")
    events: list[Pending] = []
    for entity_type, spec in ENTITIES.items():
        latest = {e[0]: e for e in _latest_states(session, entity_type, (*spec.actions, BASELINE))}
        q = select(spec.model)
        if spec.where is not None:
            q = q.where(spec.where)
        for row in session.exec(q).all():
            state = spec.state(session, row)
            known = latest.get(row.id)  # type: ignore[attr-defined]
            if known is None or known[2] != state_hash(state):
                events.append(pending(actor=actor, action=BASELINE, entity_type=entity_type,
                                      entity_id=row.id, state=state))  # type: ignore[attr-defined]
    sign(session, walked, key=key)  # the head of the chain as walked, then the rows it did not vouch for
    if events:
        append(session, events, key=key)
    return len(events)


def recent(session: Session, *, limit: int = 50, before_seq: int | None = None) -> list[AuditEvent]:
    q = select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(limit)
    if before_seq is not None:
        q = q.where(col(AuditEvent.seq) < before_seq)
    return list(session.exec(q).all())


__all__ = ["append", "pending", "verify", "recent", "head", "baseline", "signing_key", "state_of", "state_hash",
           "Verification", "Head", "ENTITIES", "utcnow"]
