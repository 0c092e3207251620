"""Settings read from the environment once, then passed in (never a global)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///data/provenance.db"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Every setting the service and the CLI read; the README documents each one."""

    database_url: str = DEFAULT_DATABASE_URL
    pivot_language: str = "en"
    translator: str = "none"
    translator_key: str | None = None
    translator_url: str | None = None
    translator_timeout: float = 10.0
    public_read: bool = True
    cors_origins: tuple[str, ...] = field(default=())
    rate_limit_per_minute: int = 600
    read_cache_entries: int = 4096

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        cors = env.get("PROVENANCE_CORS_ORIGINS", "")
        return cls(
            database_url=env.get("PROVENANCE_DATABASE_URL") or DEFAULT_DATABASE_URL,
            pivot_language=env.get("PROVENANCE_PIVOT_LANGUAGE") or "en",
            translator=(env.get("PROVENANCE_TRANSLATOR") or "none").strip().lower(),
            translator_key=env.get("PROVENANCE_TRANSLATOR_KEY") or None,
            translator_url=env.get("PROVENANCE_TRANSLATOR_URL") or None,
            translator_timeout=float(env.get("PROVENANCE_TRANSLATOR_TIMEOUT") or 10.0),
            public_read=_bool(env.get("PROVENANCE_PUBLIC_READ"), True),
            cors_origins=tuple(o.strip() for o in cors.split(",") if o.strip()),
            rate_limit_per_minute=int(env.get("PROVENANCE_RATE_LIMIT_PER_MINUTE") or 600),
            read_cache_entries=int(env.get("PROVENANCE_READ_CACHE_ENTRIES") or 4096),
        )

    def sqlite_path(self) -> Path | None:
        """The file behind a SQLite URL, so callers can create its folder first."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix):])
        return None
