"""Quote provenance: the domain core (no web code).

Records each quote's chain of renditions as a graph, aligns every rendition
with its parent and flags drift. ``api`` builds on this package; this package
never imports ``api`` or litestar.
"""

from provenance.compiled import check as _check_compiled

__version__ = "0.1.0"

_check_compiled()  # a compiled module older than its source would run code that is no longer in the file
