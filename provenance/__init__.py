"""Quote provenance: the domain core (no web code).

Records each quote's chain of renditions as a graph, aligns every rendition
with its parent and flags drift. ``api`` builds on this package; this package
never imports ``api`` or litestar.
"""

__version__ = "0.1.0"
