"""Per-request dependencies: the database (queries run in worker threads), the settings, who acts."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide

from api.db import Database
from provenance.settings import Settings


def provide_db(state: State) -> Database:
    return state.db


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_actor(request: Request[Any, Any, Any]) -> str:
    return getattr(request.state, "actor", None) or f"anonymous@{request.client.host if request.client else '?'}"


DEPENDENCIES = {
    "db": Provide(provide_db, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "actor": Provide(provide_actor, sync_to_thread=False),
}
