"""Exporters, looked up by format name in a registry; each lives in a module of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from provenance.errors import InvalidInput
from provenance.models import Quote


@dataclass(frozen=True)
class Exporter:
    name: str
    media_type: str
    extension: str
    render: Callable[[Session, Quote], str]


EXPORTERS: dict[str, Exporter] = {}


def register(name: str, media_type: str, extension: str) -> Callable[[Callable[[Session, Quote], str]], Callable[[Session, Quote], str]]:
    def deco(fn: Callable[[Session, Quote], str]) -> Callable[[Session, Quote], str]:
        EXPORTERS[name] = Exporter(name, media_type, extension, fn)
        return fn
    return deco


def export_quote(session: Session, quote: Quote, fmt: str) -> tuple[str, str, str]:
    """(body, media type, file extension) of ``quote`` in format ``fmt``."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise InvalidInput(f"unknown export format '{fmt}': use one of {', '.join(sorted(EXPORTERS))}")
    return exporter.render(session, quote), exporter.media_type, exporter.extension


from provenance.export import chain_json, csv_findings, markdown, prov_json, tmx  # noqa: E402,F401  (registration)
