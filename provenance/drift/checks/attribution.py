"""attribution_change: the evidence for who said what, and through whom, was dropped or altered.

Compares ``hop.parent_attribution`` (how the parent sourced the quote, e.g. "according
to an AFP report based on a Russian translation") with ``hop.child_attribution``
(how the child credits it). Evidence words are recognised in every language the
word lists cover (traduction, перевод, 번역 ...), and sources by the alias table.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from provenance.drift.context import text_quote
from provenance.drift.context import HopContext
from provenance.drift.lexicon import all_attribution_markers
from provenance.drift.names import NameMention, find_names, same_name
from provenance.drift.registry import register
from provenance.drift.types import Finding

CHECK = "attribution/1"
_CLASS_WORDS = {
    "translation": "that the words reached the source through a translation or an interpreter",
    "original_language": "which language the words were spoken in",
    "secondhand": "that the source was indirect",
}


@lru_cache(maxsize=1)
def _marker_patterns() -> dict[str, regex.Pattern[str]]:
    return {
        cls: regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(p) for p in phrases) + r")\w*")
        for cls, phrases in all_attribution_markers().items()
        if phrases
    }


@lru_cache(maxsize=4096)
def _find_markers(text: str) -> dict[str, tuple[int, int]]:
    """Evidence classes named in an attribution (cached: one outlet's wording recurs across hops)."""
    low = text.casefold()
    found: dict[str, tuple[int, int]] = {}
    for cls, pattern in _marker_patterns().items():
        m = pattern.search(low)
        if m:
            found[cls] = (m.start(), m.end())
    return found


@lru_cache(maxsize=4096)
def _sources(text: str) -> tuple[NameMention, ...]:
    return tuple(n for n in find_names(text) if n.entity and n.kind in {"organisation", "person"})


@register("attribution_change", needs_comparison=False, order=70)
def check_attribution(ctx: HopContext) -> Iterable[Finding]:
    hop = ctx.hop
    pa, ca = (hop.parent_attribution or "").strip(), (hop.child_attribution or "").strip()
    if not pa:
        return
    if not ca:
        yield _finding(
            "Attribution dropped: the parent carried evidence of where the words came from "
            f'("{pa}"); the child gives none.',
            {"parent_attribution": text_quote(pa, 0, len(pa)).as_dict()},
        )
        return
    p_marks, c_marks = _find_markers(pa), _find_markers(ca)
    for cls, why in _CLASS_WORDS.items():
        if cls in p_marks and cls not in c_marks:
            s, e = p_marks[cls]
            yield _finding(
                f'Attribution evidence dropped: the parent says "{pa[s:e]}" ({why}); the child\'s attribution '
                f'("{ca}") no longer says so.',
                {"parent_attribution": text_quote(pa, s, e).as_dict(), "child_attribution": text_quote(ca, 0, len(ca)).as_dict()},
            )
    p_src, c_src = _sources(pa), _sources(ca)
    lost = [n for n in p_src if not any(same_name(n, o) for o in c_src)]
    new = [n for n in c_src if not any(same_name(n, o) for o in p_src)]
    for a, b in zip([n for n in lost if n.kind == "organisation"], [n for n in new if n.kind == "organisation"]):
        yield _finding(
            f'Source changed: the parent credits "{a.text}", the child "{b.text}".',
            {
                "parent_attribution": text_quote(pa, a.start, a.end).as_dict(),
                "child_attribution": text_quote(ca, b.start, b.end).as_dict(),
            },
        )


def _finding(explanation: str, details: dict) -> Finding:
    return Finding("attribution_change", "major", None, None, explanation, 0.7, CHECK, details)
