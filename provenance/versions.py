"""Versions of machine components derived from their files, so that machine output names what made it.

A finding or an intake proposal stores its component's version; a hand-kept number is
forgotten when a rule changes (intake's stayed "1" through dozens of rule changes), so
the version carries a digest of every file that decides the output.
"""

from __future__ import annotations

import hashlib
from importlib import resources


def source_digest(parts: tuple[tuple[str, str], ...]) -> str:
    """The first 12 hex digits of SHA-256 over the files of ``parts`` ((folder under provenance/, suffix)),
    names and bytes, in a fixed order."""
    digest = hashlib.sha256()
    root = resources.files("provenance")
    for folder, suffix in parts:
        here = root.joinpath(folder)
        for entry in sorted(here.iterdir(), key=lambda e: e.name) if here.is_dir() else ():
            if entry.name.endswith(suffix):
                digest.update(f"{folder}/{entry.name}\n".encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


__all__ = ["source_digest"]
