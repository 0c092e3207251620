"""Which analysis modules run compiled (mypyc, see ``setup.py``), and a refusal to run stale ones.

An editable install builds the compiled modules next to their sources, and
Python prefers them. After a source changes, its compiled module would go on
running the old code without a word: a test could pass against code that is no
longer in the file. The build records the hash of every source it compiled in
``_compiled.json``; ``check`` compares them with the sources on disk.
"""

from __future__ import annotations

import hashlib
import json
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
MANIFEST = PACKAGE / "_compiled.json"
REBUILD_HINT = (
    "run `make install` (or `.venv/bin/pip install -e .`) to compile again, "
    "or `PROVENANCE_COMPILE=0 .venv/bin/pip install -e .` to remove the compiled modules and run the sources"
)


class StaleCompiledModule(ImportError):
    """A compiled module was built from another version of its source."""


def _manifest(package: Path) -> dict[str, str]:
    try:
        return json.loads((package / MANIFEST.name).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def compiled_files(source: Path) -> list[Path]:
    """The extension modules built from ``source`` that Python would import instead of it."""
    return [p for suffix in EXTENSION_SUFFIXES if (p := source.with_name(source.stem + suffix)).exists()]


def compiled_modules(package: Path = PACKAGE) -> list[str]:
    """Dotted names of the modules that run compiled."""
    root = package.parent
    return sorted(
        ".".join(source.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for source in package.rglob("*.py")
        if compiled_files(source)
    )


def stale(package: Path = PACKAGE) -> list[str]:
    """Sources (paths relative to the project) whose compiled module does not match them."""
    manifest = _manifest(package)
    root = package.parent
    out = []
    for source in sorted(package.rglob("*.py")):
        if not compiled_files(source):
            continue
        rel = source.relative_to(root).as_posix()
        if manifest.get(rel) != hashlib.sha256(source.read_bytes()).hexdigest():
            out.append(rel)
    return out


def check(package: Path = PACKAGE) -> None:
    """Refuse to go on when a compiled module is older than its source."""
    changed = stale(package)
    if changed:
        raise StaleCompiledModule(
            f"{', '.join(changed)} changed since {'it was' if len(changed) == 1 else 'they were'} compiled; {REBUILD_HINT}"
        )
