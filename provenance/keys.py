"""API keys: stored only as SHA-256 hashes; the key itself is shown once, at creation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from provenance import audit
from provenance.errors import InvalidInput, NotFound
from provenance.models import ApiKey, utcnow
from provenance.vocabulary import ROLES

if TYPE_CHECKING:
    from provenance.writes import Write

ROLE_RANK = {"reader": 1, "editor": 2, "admin": 3}
KEY_PREFIX = "prov_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(w: Write, *, name: str, role: str) -> tuple[ApiKey, str]:
    """A new key and its secret; only the hash is stored."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role '{role}': use one of {', '.join(ROLES)}")
    if not name.strip():
        raise InvalidInput("a key needs a name saying who holds it")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name.strip(), role=role, key_hash=hash_key(secret), prefix=secret[:12])
    w.session.add(row)
    w.session.flush()
    w.record(action="key.create", entity_type="api_key", entity_id=row.id,
             state=audit.state_of(w.session, "api_key", row))
    return row, secret


def authenticate(session: Session, secret: str) -> ApiKey | None:
    """The live key for ``secret``, or None when it is unknown or revoked."""
    row = session.exec(select(ApiKey).where(ApiKey.key_hash == hash_key(secret))).first()
    if row is None or row.revoked_at is not None:
        return None
    return row


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.exec(select(ApiKey).order_by(col(ApiKey.created_at))).all())


def revoke_key(w: Write, *, ref: str) -> ApiKey:
    """Revoke by id or by the key's visible prefix."""
    session = w.session
    row = session.get(ApiKey, ref) or session.exec(select(ApiKey).where(ApiKey.prefix == ref)).first()
    if row is None:
        raise NotFound(f"no API key with id or prefix '{ref}'")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
        w.record(action="key.revoke", entity_type="api_key", entity_id=row.id,
                 state=audit.state_of(session, "api_key", row))
    return row


def allows(role: str, needed: str) -> bool:
    return ROLE_RANK.get(role, 0) >= ROLE_RANK[needed]


def describe(row: ApiKey) -> dict[str, str | None]:
    revoked: datetime | None = row.revoked_at
    return {"id": row.id, "name": row.name, "role": row.role, "prefix": row.prefix,
            "created_at": row.created_at.isoformat(), "revoked_at": revoked.isoformat() if revoked else None}
