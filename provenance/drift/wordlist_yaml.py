"""Reading word-list YAML files: YAML 1.1 reads "no", "on", "off" as booleans; in a word list they are words.

Kept apart from ``lexicon.py`` because the loader subclasses PyYAML's, which
mypyc cannot compile (``setup.py`` leaves this module interpreted); the lookups
in ``lexicon.py`` run on every word of every hop and are compiled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class _WordListLoader(yaml.SafeLoader):
    """A SafeLoader without the boolean resolver."""


_WordListLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_WordListLoader)  # noqa: S506 - a SafeLoader subclass
