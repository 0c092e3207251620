"""Domain errors.

Every error a person can cause subclasses :class:`ProvenanceError` and carries a
message they can act on. The API maps each kind to one HTTP status (see
``api/errors.py``); the CLI prints the message on one line and exits non-zero.
"""

from __future__ import annotations

from typing import Any


class ProvenanceError(Exception):
    """Base of every error the domain raises on purpose."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str, *, field_errors: list[dict[str, Any]] | None = None, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or []
        self.context = context

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole (message, fields, context, the rest), so an error raised in a worker process
        reaches the service as it was raised."""
        return (_rebuild, (type(self), dict(self.__dict__)))


def _rebuild(kind: type[ProvenanceError], state: dict[str, Any]) -> ProvenanceError:
    error = kind.__new__(kind)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class InvalidInput(ProvenanceError):
    """Well-formed input whose values are wrong (unknown language code, bad field)."""

    status = 422
    title = "Invalid input"


class NotFound(ProvenanceError):
    status = 404
    title = "Not found"


class Conflict(ProvenanceError):
    status = 409
    title = "Conflict"


class LineageCycle(Conflict):
    """A derivation that would make a rendition descend from itself."""

    title = "Lineage cycle"


class ChainDocumentError(InvalidInput):
    """A chain document that cannot be imported; says where (file, quote, key, field)."""

    title = "Invalid chain document"


class PivotUnavailable(ProvenanceError):
    """No comparison text could be had for a rendition (no gloss, no cache, translator failed)."""

    status = 503
    title = "Pivot unavailable"


class TranslationFailed(PivotUnavailable):
    """The machine translation provider failed after its retries."""

    title = "Machine translation failed"


class SettingsError(ProvenanceError):
    """Environment variables with wrong values; the message has one line per wrong value."""

    title = "Invalid settings"

    def __init__(self, message: str, *, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class Unavailable(ProvenanceError):
    """The database cannot be used right now (unreachable, silent, read-only, or busy past its wait).

    ``retry_after`` is the number of seconds a client should wait before trying
    again; the API sends it as ``Retry-After``.
    """

    status = 503
    title = "Service unavailable"

    def __init__(self, message: str, *, retry_after: int = 5, **context: Any) -> None:
        super().__init__(message, **context)
        self.retry_after = retry_after


class Busy(Unavailable):
    """Another write held the lock this one needed for longer than the wait allowed."""

    title = "Database busy"
