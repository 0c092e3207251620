"""API keys and roles as one guard.

Each route says the role it needs in ``opt["role"]`` (reading defaults to
``reader``). Reading is open when ``PROVENANCE_PUBLIC_READ`` is true; writing
needs ``editor``; the audit log and keys need ``admin``. 401 without a valid
key, 403 for a role too low.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from provenance import keys


async def role_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    # async, on the event loop, with the key looked up in a worker thread (api/db.py): anonymous reads never
    # leave the loop here, and a slow database never holds it
    needed = handler.opt.get("role", "reader")
    if needed == "public":
        return
    settings = connection.app.state.settings
    header = connection.headers.get("authorization", "")
    key_row = None
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise NotAuthorizedException("use the header `Authorization: Bearer <key>`")
        key_row = await connection.app.state.db.read(lambda session: keys.authenticate(session, secret.strip()))
        if key_row is None:
            raise NotAuthorizedException("the API key is unknown or revoked")
        connection.state.actor = f"key:{key_row.name} ({key_row.prefix})"
        connection.state.role = key_row.role
    if key_row is None:
        if needed == "reader" and settings.public_read:
            return
        raise NotAuthorizedException(f"this needs an API key with the role '{needed}': "
                                     "send `Authorization: Bearer <key>`")
    if not keys.allows(key_row.role, needed):
        raise PermissionDeniedException(f"this needs the role '{needed}'; your key has the role '{key_row.role}'")
