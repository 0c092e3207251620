"""Per-request dependencies: one session and one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from sqlmodel import Session

from provenance.db import transaction
from provenance.settings import Settings


async def provide_session(state: State) -> AsyncIterator[Session]:
    """Commit when the handler returns, roll back when it raises: never a half-written record.

    An async generator although the session is synchronous: Litestar finishes a
    sync generator in a worker thread, a hand-off per request that cost more
    than a whole graph query; the handlers that use the session run on the event
    loop anyway.
    """
    with transaction(state.engine) as session:
        yield session


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_actor(request: Request[Any, Any, Any]) -> str:
    return getattr(request.state, "actor", None) or f"anonymous@{request.client.host if request.client else '?'}"


DEPENDENCIES = {
    "session": Provide(provide_session),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "actor": Provide(provide_actor, sync_to_thread=False),
}
