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
#: The same marks for words a finding was placed on by estimate (between anchors), not matched word for word.
TAGS.update({f"{k}~": (tag, f"{cls} estimated", f"{word} (placed by estimate from the gloss)")
             for k, (tag, cls, word) in list(TAGS.items())})


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


#: How a finding is marked on an original it was placed on: dropped words, added words, changed words.
FINDING_MARK = {"omission": "delete", "addition": "insert"}


def spans_from_findings(findings: list[dict[str, Any]], side: str) -> list[tuple[int, int, str]]:
    """Marks for one original text from the findings of a hop compared through glosses.

    The alignment's word marks exist only in the comparison texts (the glosses);
    each finding's span was placed back on the original's words (``details``
    ``<side>_original_precision``: word, or estimated, marked as such). Those are marked; a span
    that could only be placed at sentence level, a dismissed finding and a link
    warning are not. Overlapping marks keep the first.
    """
    out: list[tuple[int, int, str]] = []
    for f in findings:
        span = f.get(f"{side}_span")
        details = f.get("details") or {}
        if not span or f["category"] == "attribution_suspect" or (f.get("review") or {}).get("verdict") == "dismissed":
            continue
        if details.get(f"{side}_original_precision", "word") == "sentence" or span["end"] <= span["start"]:
            continue
        kind = FINDING_MARK.get(f["category"], "replace")
        if (kind == "delete" and side == "child") or (kind == "insert" and side == "parent"):
            continue
        if details.get(f"{side}_original_precision") == "estimated":
            kind += "~"
        if not any(s < span["end"] and span["start"] < e for s, e, _ in out):
            out.append((span["start"], span["end"], kind))
    return out
