"""One write through the domain's write path, for tests: ``with writing(db) as w:``.

``db`` is a fixture database (``tests.conftest.Database``) or a bare engine,
whose audit log is then signed with the tests' key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from provenance import writes
from provenance.writes import Write


@contextmanager
def writing(db: Any, actor: str = "test") -> Iterator[Write]:
    from tests.conftest import TEST_AUDIT_KEY

    if hasattr(db, "write"):
        with db.write(actor=actor) as w:
            yield w
        return
    with writes.write(db, actor=actor, audit_key=TEST_AUDIT_KEY.encode()) as w:
        yield w
