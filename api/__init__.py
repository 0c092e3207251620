"""The HTTP face of the provenance tracker (Litestar). Imports ``provenance``; never the reverse."""
