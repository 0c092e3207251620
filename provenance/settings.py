"""Settings read from the environment once, then passed in (never a global).

Each setting is one row of :data:`FIELDS`: its environment variable, how its
text is read, and its default. Every value is checked when the settings are
read, and all the wrong ones are reported together, one line each, so a
mistyped variable stops the service at start with a sentence a person can act
on instead of a traceback at the first request that needs it.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from provenance.errors import SettingsError

#: Where the embedded database lives when PROVENANCE_DATABASE_URL does not say (see :func:`default_database_url`).
APP_NAME = "quote-provenance"


def default_database_url(cwd: Path | None = None) -> str:
    """The project's ``./data/provenance.db`` when run from the project's folder (``make run`` does), else
    ``provenance.db`` in the user's data folder (platformdirs: ``~/.local/share/quote-provenance`` on Linux).

    A path relative to wherever the command happens to run would make a new,
    empty database in every folder; both of these are absolute and fixed.
    """
    project = Path(__file__).resolve().parent.parent
    here = (cwd or Path.cwd()).resolve()
    if here == project and (project / "pyproject.toml").exists():
        path = project / "data" / "provenance.db"
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME)) / "provenance.db"
    return f"sqlite:///{path}"


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("is not true or false (use true, false, 1, 0, yes, no, on or off)")


def _bounded(convert: Callable[[str], Any], low: float, high: float, *, noun: str,
             unit: str = "") -> Callable[[str], Any]:
    """A parser of a number between ``low`` and ``high``, saying which rule a wrong value breaks."""
    def parse(text: str) -> Any:
        try:
            value = convert(text.strip())
        except ValueError:
            raise ValueError(f"is not {noun}") from None
        if not low <= value <= high:
            shown = [f"{v:,}" if isinstance(v, int) else f"{v:g}" for v in (low, high)]
            raise ValueError(f"must be between {shown[0]} and {shown[1]}{unit}")
        return value
    return parse


def _whole(low: int, high: int) -> Callable[[str], int]:
    return _bounded(int, low, high, noun="a whole number")


def _seconds(low: float, high: float) -> Callable[[str], float]:
    return _bounded(float, low, high, noun="a number of seconds", unit=" seconds")


def _database_url(text: str) -> str:
    url = text.strip()
    if not url.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
        raise ValueError("must start with sqlite:// or postgresql+psycopg:// (PostgreSQL through psycopg 3)")
    return url


def _translator(text: str) -> str:
    from provenance.translate import provider_names  # the registry says which names exist

    name = text.strip().lower()
    if name not in provider_names():
        raise ValueError(f"is not a provider: use one of {', '.join(provider_names())}")
    return name


def _language(text: str) -> str:
    from provenance.errors import InvalidInput
    from provenance.languages import normalize_language

    try:
        return normalize_language(text.strip())
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


def _origins(text: str) -> tuple[str, ...]:
    origins = tuple(o.strip() for o in text.split(",") if o.strip())
    bad = [o for o in origins if not o.startswith(("http://", "https://")) and o != "*"]
    if bad:
        raise ValueError(f"lists {', '.join(bad)}: an origin looks like https://desk.example")
    return origins


def _networks(text: str) -> tuple[str, ...]:
    out = []
    for item in (i.strip() for i in text.split(",")):
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ValueError(f"'{item}' is not an IP address or network (such as 10.0.0.1 or 10.0.0.0/8)") from None
    return tuple(out)


def _store(text: str) -> str:
    value = text.strip()
    if value != "memory" and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("must be memory or a Redis URL such as redis://127.0.0.1:6379/0")
    return value


def _text(text: str) -> str:
    return text


@dataclass(frozen=True)
class Field:
    """One setting: its environment variable and how its value is read (a ValueError says what is wrong)."""

    env: str
    parse: Callable[[str], Any]


@dataclass(frozen=True)
class Settings:
    """Every setting the service and the CLI read; the README documents each one."""

    database_url: str = field(default_factory=default_database_url)
    pivot_language: str = "en"
    translator: str = "none"
    translator_key: str | None = None
    translator_url: str | None = None
    translator_timeout: float = 10.0
    public_read: bool = True
    cors_origins: tuple[str, ...] = field(default=())
    rate_limit_per_minute: int = 600
    rate_limit_store: str = "memory"
    trusted_proxies: tuple[str, ...] = field(default=())
    db_connect_timeout: float = 3.0
    db_statement_timeout: float = 30.0
    db_lock_timeout: float = 5.0
    audit_key: str | None = None
    intake_networks: tuple[str, ...] = field(default=())
    intake_deadline: float = 60.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        """Settings from ``env`` (default: the process environment); unset or empty variables keep the default.

        Raises :class:`SettingsError` naming every wrong value, one line each.
        """
        source = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        problems = []
        for name, spec in FIELDS.items():
            raw = source.get(spec.env)
            if raw is None or raw.strip() == "":
                continue
            try:
                values[name] = spec.parse(raw)
            except ValueError as exc:
                shown = raw if len(raw) <= 60 else raw[:57] + "..."
                problems.append(f"{spec.env}={shown!r} {exc}")
        if problems:
            raise SettingsError("\n".join(problems), problems=problems)
        return cls(**values)

    def with_values(self, **values: Any) -> "Settings":
        return replace(self, **values)

    def sqlite_path(self) -> Path | None:
        """The file behind a SQLite URL, so callers can create its folder first."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix):].split("?", 1)[0])
        return None


FIELDS: dict[str, Field] = {
    "database_url": Field("PROVENANCE_DATABASE_URL", _database_url),
    "pivot_language": Field("PROVENANCE_PIVOT_LANGUAGE", _language),
    "translator": Field("PROVENANCE_TRANSLATOR", _translator),
    "translator_key": Field("PROVENANCE_TRANSLATOR_KEY", _text),
    "translator_url": Field("PROVENANCE_TRANSLATOR_URL", _text),
    "translator_timeout": Field("PROVENANCE_TRANSLATOR_TIMEOUT", _seconds(0.1, 600)),
    "public_read": Field("PROVENANCE_PUBLIC_READ", _bool),
    "cors_origins": Field("PROVENANCE_CORS_ORIGINS", _origins),
    "rate_limit_per_minute": Field("PROVENANCE_RATE_LIMIT_PER_MINUTE", _whole(1, 10**9)),
    "rate_limit_store": Field("PROVENANCE_RATE_LIMIT_STORE", _store),
    "trusted_proxies": Field("PROVENANCE_TRUSTED_PROXIES", _networks),
    "db_connect_timeout": Field("PROVENANCE_DB_CONNECT_TIMEOUT", _seconds(1, 120)),
    "db_statement_timeout": Field("PROVENANCE_DB_STATEMENT_TIMEOUT", _seconds(1, 3600)),
    "db_lock_timeout": Field("PROVENANCE_DB_LOCK_TIMEOUT", _seconds(0.1, 600)),
    "audit_key": Field("PROVENANCE_AUDIT_KEY", _text),
    "intake_networks": Field("PROVENANCE_INTAKE_NETWORKS", _networks),
    "intake_deadline": Field("PROVENANCE_INTAKE_DEADLINE", _seconds(1, 3600)),
}
assert set(FIELDS) == {f.name for f in fields(Settings)}, "every setting has a row in FIELDS"
