"""The ids that API paths carry, declared once for every controller."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

#: Any id but "." and "..", which an HTTP client folds away as dot segments ("/api/quotes/./renditions" is sent
#: as "/api/quotes/renditions", another route); and no "/" inside one segment.
PATH_SEGMENT = r"^([^./][^/]*|\.[^./][^/]*|\.\.[^/]+)$"

QuoteId = Annotated[str, Parameter(description="quote id or slug", min_length=1, max_length=200, pattern=PATH_SEGMENT)]
RenditionId = Annotated[str, Parameter(description="rendition id, or SLUG:KEY", min_length=1, max_length=200,
                                       pattern=PATH_SEGMENT)]
FindingId = Annotated[str, Parameter(description="finding id", min_length=1, max_length=200, pattern=PATH_SEGMENT)]
