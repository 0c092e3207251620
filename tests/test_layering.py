"""The domain never loads the web layer."""

import subprocess
import sys


def test_importing_provenance_loads_neither_litestar_nor_api() -> None:
    code = ("import sys, provenance, provenance.cli, provenance.lineage, provenance.chain, provenance.analysis;"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('litestar', 'api'));"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
