"""Compiles the analysis core (``provenance/align`` and ``provenance/drift``) with mypyc.

Everything else about the package is in ``pyproject.toml``; this file exists
because extension modules can only be declared here. Analysing a hop is a few
hundred small Python calls per word (tokens, lemmas, markers, n-grams, diffs);
compiled, they run without the interpreter's per-call and per-attribute costs,
which is what ``bench/analysis.py`` needs to reach its 1,000 hops per second.

The modules stay plain, typed Python: ``PROVENANCE_COMPILE=0`` at install time
builds nothing and the same code runs interpreted, with the same results.
A compiled module that is older than its source would silently run the old
code, so the build records each source's hash (``provenance/_compiled.json``)
and ``provenance.compiled.check()`` refuses a stale one.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
# Subclasses PyYAML's loader, which mypyc cannot compile; it only reads word lists, once.
NOT_COMPILED = {"provenance/drift/wordlist_yaml.py"}
GROUP = "provenance_analysis"  # mypyc's shared library: provenance_analysis__mypyc.*.so beside the package


def compiled_sources() -> list[str]:
    paths = [*sorted(ROOT.glob("provenance/align/*.py")), *sorted(ROOT.glob("provenance/drift/*.py")),
             *sorted(ROOT.glob("provenance/drift/checks/*.py"))]
    return [p.relative_to(ROOT).as_posix() for p in paths if p.relative_to(ROOT).as_posix() not in NOT_COMPILED]


def remove_compiled() -> None:
    """Delete what an earlier editable install compiled in place, which Python would import before the sources."""
    for path in [*ROOT.glob("provenance/**/*.so"), *ROOT.glob("provenance/**/*.pyd"), *ROOT.glob(f"{GROUP}__mypyc*")]:
        path.unlink()
    (ROOT / "provenance" / "_compiled.json").unlink(missing_ok=True)


def ext_modules() -> list:
    if os.environ.get("PROVENANCE_COMPILE", "1") == "0":
        remove_compiled()
        return []
    from mypyc.build import mypycify

    sources = compiled_sources()
    manifest = {path: hashlib.sha256((ROOT / path).read_bytes()).hexdigest() for path in sources}
    (ROOT / "provenance" / "_compiled.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return mypycify(sources, opt_level="3", group_name=GROUP)


setup(ext_modules=ext_modules())
