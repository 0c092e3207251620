"""A read-through cache of serialized read responses, versioned by the audit log.

Every write appends an audit event (that is a rule of the domain), so the
newest audit sequence number is a version of the whole database: a cached
graph or lineage stays valid exactly until the next write, from this process
or any other (CLI, another worker). Checking the version is one primary-key
lookup, far cheaper than rebuilding the response. A change made behind the
application's back without an audit event is not seen; neither is anything
else about such a change, and `audit verify` exists for that.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from litestar import Response

from provenance import reads


class ReadCache:
    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
        self._lock = Lock()

    def response(self, db: reads.Source, key: tuple[str, ...], build: Callable[[], bytes]) -> Response[bytes]:
        """The JSON ``build()`` returns, from the cache while no write happened since it was built.

        ``build`` returns a view of :mod:`provenance.views` already encoded
        (``provenance.answers``), not run through the response model: that
        cost more than the queries behind it. That the views match the
        documented models is a test (``tests/api/test_read_models.py``), and
        schemathesis checks every answer against the OpenAPI schema.
        """
        if self.maxsize <= 0:  # switched off (PROVENANCE_READ_CACHE_ENTRIES=0): not even the version lookup
            return Response(build(), media_type="application/json")
        version = reads.fetch(db, "audit_version")[0].version
        full_key = (*key, str(version))
        with self._lock:
            body = self._items.get(full_key)
            if body is not None:
                self._items.move_to_end(full_key)
        if body is None:
            body = build()
            with self._lock:
                self._items[full_key] = body
                while len(self._items) > self.maxsize:
                    self._items.popitem(last=False)
        return Response(body, media_type="application/json")
