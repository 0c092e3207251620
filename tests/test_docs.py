"""The README documents every command and setting: a test fails when one is missing."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from provenance.cli import main
from provenance.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = "provenance") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix} {name}"
        out += _commands(cmd, full) if hasattr(cmd, "commands") else [full]
    return out


def test_every_cli_command_is_in_the_readme() -> None:
    missing = [c for c in _commands(main) if f"`{c}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    source = (Path(__file__).resolve().parents[1] / "provenance" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r'"(PROVENANCE_[A-Z_]+)"', source))
    assert len(variables) >= len(dataclasses.fields(Settings)) - 1
    assert sorted(v for v in variables if f"`{v}`" not in README) == []


def test_readme_shows_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_the_readme_chain_document_example_is_valid() -> None:
    from provenance import chain

    block = README.split("```yaml\n", 1)[1].split("```", 1)[0]
    doc = chain.parse_document(block, origin="README.md")
    (quote,) = doc.quotes
    link = quote.renditions[1].derived_from[0]
    assert link.notes and link.reviews and quote.renditions[1].glosses
