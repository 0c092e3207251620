"""Mark the changed spans of a text as HTML (<del>, <ins>, <mark>), escaping everything else.

Markers are drawn by CSS (::before/::after) so the element's text stays exactly
the original text: offsets a person selects in the page map back to it.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

TAGS = {"delete": ("del", "omitted", "dropped"), "insert": ("ins", "added", "added"),
        "replace": ("mark", "changed", "changed")}


def spans_from_beads(beads: list[dict[str, Any]], key: str) -> list[tuple[int, int, str]]:
    out = []
    for b in beads:
        for op in b.get("ops", []):
            span = op.get(key)
            if op["op"] != "equal" and span and span[1] > span[0]:
                out.append((span[0], span[1], op["op"]))
    return out


def highlight(text: str, spans: list[tuple[int, int, str]]) -> Markup:
    parts: list[str] = []
    pos = 0
    for start, end, kind in sorted(spans):
        if start < pos or end > len(text):
            continue
        parts.append(escape(text[pos:start]))
        tag, cls, word = TAGS[kind]
        parts.append(f'<{tag} class="{cls}" title="{word} at this hop">{escape(text[start:end])}</{tag}>')
        pos = end
    parts.append(escape(text[pos:]))
    return Markup("".join(parts))
