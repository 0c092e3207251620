"""The analysis core compiled by mypyc (setup.py): the same results as the sources, and never stale."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from provenance import compiled

ROOT = Path(__file__).resolve().parents[2]

# Runs the dev and held-out sets with every provenance module loaded from its .py source, even
# where a compiled module sits beside it, and prints what the analysis returned.
_DIGEST = """
import hashlib, importlib.machinery, importlib.util, sys
from pathlib import Path

class SourcesFirst:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] != "provenance":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not spec.origin or spec.origin.endswith(".py"):
            return spec
        here = Path(spec.origin).parent
        package = spec.submodule_search_locations is not None
        source = here / ("__init__.py" if package else name.rsplit(".", 1)[-1] + ".py")
        return importlib.util.spec_from_file_location(name, source, submodule_search_locations=[str(here)] if package else None)

if sys.argv[1] == "sources":
    sys.meta_path.insert(0, SourcesFirst())
sys.path.insert(0, "bench")
import quality
import provenance.drift.context as context
from provenance.drift import analyze_hop
out = []
for name in ("devset.yaml", "heldout.yaml"):
    for case in quality.load_devset(Path("tests/data") / name):
        r = analyze_hop(case.hop)
        beads = [(b.parent_span, b.child_span, b.score, [(o.op, o.parent_pivot_span, o.child_pivot_span) for o in b.ops]) for b in r.alignment.beads]
        out.append(repr((r.findings, sorted(r.scores.items()), r.notes, beads)))
print(context.__file__)
print(len(out), hashlib.sha256("\\n".join(out).encode()).hexdigest())
"""


def _digest(mode: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _DIGEST, mode], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    where, digest = done.stdout.strip().splitlines()[-2:]
    return where, digest


def test_compiled_and_interpreted_analysis_give_the_same_findings_scores_and_beads() -> None:
    """mypyc checks types at run time and keeps floats native: a silent difference would show here."""
    where_sources, from_sources = _digest("sources")
    where_default, by_default = _digest("default")
    assert where_sources.endswith("context.py")
    if compiled.compiled_modules():
        assert not where_default.endswith(".py"), f"the compiled module was not used: {where_default}"
    count = int(from_sources.split()[0])
    assert count >= 80  # both labelled sets were analysed
    assert by_default == from_sources


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="a developer may install with PROVENANCE_COMPILE=0")
def test_in_ci_the_analysis_core_runs_compiled() -> None:
    modules = compiled.compiled_modules()
    for name in ("provenance.align.similarity", "provenance.align.tokens", "provenance.drift.context", "provenance.drift.checks.content"):
        assert name in modules
    assert "provenance.drift.wordlist_yaml" not in modules  # mypyc cannot compile its YAML loader subclass
    assert compiled.stale() == []


def _fake_package(tmp_path: Path, source: str) -> Path:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text(source)
    (package / ("mod" + EXTENSION_SUFFIXES[0])).write_bytes(b"")  # only its presence matters here
    (package / "plain.py").write_text("x = 1\n")
    digest = hashlib.sha256(source.encode()).hexdigest()
    (package / compiled.MANIFEST.name).write_text(json.dumps({"pkg/mod.py": digest}))
    return package


def test_a_compiled_module_built_from_its_current_source_is_not_stale(tmp_path: Path) -> None:
    package = _fake_package(tmp_path, "def f() -> int:\n    return 1\n")
    assert compiled.compiled_modules(package) == ["pkg.mod"]
    assert compiled.stale(package) == []
    compiled.check(package)


def test_a_source_changed_after_compiling_is_refused_with_the_way_out(tmp_path: Path) -> None:
    package = _fake_package(tmp_path, "def f() -> int:\n    return 1\n")
    (package / "mod.py").write_text("def f() -> int:\n    return 2\n")
    assert compiled.stale(package) == ["pkg/mod.py"]
    with pytest.raises(compiled.StaleCompiledModule, match=r"pkg/mod\.py changed since it was compiled; run `make install`"):
        compiled.check(package)


def test_a_compiled_module_missing_from_the_manifest_is_stale(tmp_path: Path) -> None:
    package = _fake_package(tmp_path, "def f() -> int:\n    return 1\n")
    (package / compiled.MANIFEST.name).unlink()
    assert compiled.stale(package) == ["pkg/mod.py"]
