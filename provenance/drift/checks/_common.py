"""Helpers the checks share: marker bags per bead, spans, and the wording of explanations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from provenance.drift.context import BeadView, HopContext, Marker, Side, side_spans, words_of
from provenance.drift.severity import CONFIDENCE_ORIGINAL, CONFIDENCE_PIVOT, MAJOR_CONTENT_WEIGHT
from provenance.drift.types import Finding, Severity

PIVOT_NOTE = " (compared through {lang} glosses)"


def confidence(ctx: HopContext, base: float | None = None) -> float:
    if base is not None:
        return round(base * (0.75 if ctx.via_pivot else 1.0), 3)
    return CONFIDENCE_PIVOT if ctx.via_pivot else CONFIDENCE_ORIGINAL


def via_note(ctx: HopContext) -> str:
    return PIVOT_NOTE.format(lang=ctx.hop.pivot_language) if ctx.via_pivot else ""


def bead_markers(ctx: HopContext, bv: BeadView, kinds: set[str]) -> tuple[list[Marker], list[Marker]]:
    """Markers of ``kinds`` in this bead, minus those inside a dropped or added clause (reported as such)."""
    assert ctx.parent is not None and ctx.child is not None
    key = "markers:" + ",".join(sorted(kinds))
    sides = ctx.cache.get(key)
    if sides is None:  # per hop and kinds: the markers outside big changes, in text order
        big_p, big_c = big_change_tokens(ctx)
        sides = (
            [m for m in ctx.parent.markers if m.entry.kind in kinds and m.first not in big_p],
            [m for m in ctx.child.markers if m.entry.kind in kinds and m.first not in big_c],
        )
        ctx.cache[key] = sides
    p_range, c_range = bv.p, bv.c
    return [m for m in sides[0] if m.first in p_range], [m for m in sides[1] if m.first in c_range]


def unmatched(
    p: list[Marker], c: list[Marker], same: Callable[[Marker, Marker], bool] = lambda a, b: a.entry.name == b.entry.name
) -> tuple[list[Marker], list[Marker]]:
    """Bag difference: markers of each side with no equal marker on the other."""
    left_c = list(c)
    left_p: list[Marker] = []
    for m in p:
        hit = next((k for k, o in enumerate(left_c) if same(m, o)), None)
        if hit is None:
            left_p.append(m)
        else:
            left_c.pop(hit)
    return left_p, left_c


def big_change_tokens(ctx: HopContext) -> tuple[set[int], set[int]]:
    """Tokens inside clauses dropped or added whole (content weight >= the major threshold)."""
    cached = ctx.cache.get("big_change")
    if cached is not None:
        return cached
    assert ctx.parent is not None and ctx.child is not None
    big_p: set[int] = set()
    big_c: set[int] = set()
    for bv in ctx.beads:
        for r in bv.regions:
            wp = sum(ctx.parent.toks[i].weight for i in r.lost_p)
            wc = sum(ctx.child.toks[j].weight for j in r.lost_c)
            if wp >= MAJOR_CONTENT_WEIGHT:
                big_p.update(stretch(ctx, bv, "parent", r.p0, r.p1, r.lost_p))
            if wc >= MAJOR_CONTENT_WEIGHT:
                big_c.update(stretch(ctx, bv, "child", r.c0, r.c1, r.lost_c))
    ctx.cache["big_change"] = (big_p, big_c)
    return big_p, big_c


_STRETCH_KINDS = frozenset({"intensifier", "softener"})


def stretch(ctx: HopContext, bv: BeadView, side: str, lo: int, hi: int, lost: list[int]) -> list[int]:
    """The unmatched words around the lost ones: "under the wise leadership of Comrade Putin", whole.

    It grows over function words and evaluative words ("wise"), and stops at
    punctuation and at markers that other checks report (a hedge, a negation,
    "no doubt"), so a dropped clause does not swallow them.
    """
    if not lost:
        return []
    s = ctx.parent if side == "parent" else ctx.child
    assert s is not None
    kept = {p for p, _ in bv.pairs} if side == "parent" else {c for _, c in bv.pairs}

    def grows(i: int) -> bool:
        t = s.toks[i]
        if i in kept or not t.is_word:
            return False
        return all(e.kind in _STRETCH_KINDS for e in t.markers)

    first, last = min(lost), max(lost)
    while first - 1 >= lo and grows(first - 1):
        first -= 1
    while last + 1 < hi and grows(last + 1):
        last += 1
    return list(range(first, last + 1))


def anchor_in(ctx: HopContext, bv: BeadView, side: str, index: int) -> int:
    """Where, on the other side, a token of ``side`` would sit: just after the last kept word before it."""
    assert ctx.parent is not None and ctx.child is not None
    other = ctx.child if side == "parent" else ctx.parent
    best: int | None = None
    for pi, ci in bv.pairs:
        mine, theirs = (pi, ci) if side == "parent" else (ci, pi)
        if mine < index:
            best = theirs
    if best is not None:
        return other.toks[best].end
    rng = bv.c if side == "parent" else bv.p
    if len(rng):
        return other.toks[rng.start].start
    span = bv.bead.child_pivot_span if side == "parent" else bv.bead.parent_pivot_span
    return span[0] if span else 0


def finding(
    ctx: HopContext,
    bv: BeadView | None,
    *,
    category: str,
    severity: Severity,
    check: str,
    explanation: str,
    parent_tokens: Iterable[int] = (),
    child_tokens: Iterable[int] = (),
    conf: float | None = None,
    details: dict[str, Any] | None = None,
) -> Finding:
    """A finding located by token indices on each side (an empty side is anchored where the change sits)."""
    p_idx = sorted(parent_tokens)
    c_idx = sorted(child_tokens)
    bead = bv.bead if bv is not None else None
    det: dict[str, Any] = {"comparison": ctx.comparison}
    if p_idx:
        p_span, p_det = side_spans(ctx, "parent", p_idx[0], p_idx[-1], bead)
    else:
        anchor = anchor_in(ctx, bv, "child", c_idx[0]) if bv is not None and c_idx else None
        p_span, p_det = side_spans(ctx, "parent", None, None, bead, anchor)
    if c_idx:
        c_span, c_det = side_spans(ctx, "child", c_idx[0], c_idx[-1], bead)
    else:
        anchor = anchor_in(ctx, bv, "parent", p_idx[0]) if bv is not None and p_idx else None
        c_span, c_det = side_spans(ctx, "child", None, None, bead, anchor)
    det.update(p_det)
    det.update(c_det)
    if details:
        det.update(details)
    return Finding(category, severity, p_span, c_span, explanation + via_note(ctx), conf if conf is not None else confidence(ctx), check, det)


def marker_words(side: Side, m: Marker) -> str:
    return words_of(side, range(m.first, m.last + 1))


def marker_tokens(ms: Iterable[Marker]) -> list[int]:
    return [i for m in ms for i in range(m.first, m.last + 1)]
