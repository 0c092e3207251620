"""hedge_added / hedge_removed: a qualifier of certainty ("reportedly", "suspected", "aurait") appears or goes."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import bead_markers, finding, marker_tokens, marker_words, unmatched
from provenance.drift.context import BeadView, HopContext, Marker
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "hedges/2"


@register("hedge", order=40)
def check_hedges(ctx: HopContext) -> Iterable[Finding]:
    """One hedge swapped for another of its grade ("probably" / "likely") is not a change; only the count matters.

    Swapped for one of the other grade ("perhaps" / "probably"), the claim is made
    more or less likely: an intensification or a softening of the speaker's certainty.
    """
    assert ctx.parent is not None and ctx.child is not None
    for bv in ctx.beads:
        p, c = bead_markers(ctx, bv, {"hedge"})
        left_p, left_c = unmatched(p, c)
        k = min(len(left_p), len(left_c))
        for a, b in zip(left_p[:k], left_c[:k]):
            yield from _regraded(ctx, bv, a, b)
        for m in left_p[k:]:
            ctx.claimed_p.update(marker_tokens([m]))
            yield finding(
                ctx, bv, category="hedge_removed", severity=severity_of("hedge_removed"), check=CHECK, parent_tokens=marker_tokens([m]),
                explanation=f'Hedge dropped: the parent\'s "{marker_words(ctx.parent, m)}" is gone, so what was reported '
                "with caution reads as established fact.",
            )
        for m in left_c[k:]:
            ctx.claimed_c.update(marker_tokens([m]))
            yield finding(
                ctx, bv, category="hedge_added", severity=severity_of("hedge_added"), check=CHECK, child_tokens=marker_tokens([m]),
                explanation=f'Hedge added: the child says "{marker_words(ctx.child, m)}" where the parent made a firm statement.',
            )


def _regraded(ctx: HopContext, bv: BeadView, a: Marker, b: Marker) -> Iterable[Finding]:
    """A possibility made a probability ("perhaps facilitated" / "probably facilitated"), or the reverse."""
    assert ctx.parent is not None and ctx.child is not None
    if not a.entry.strength or not b.entry.strength or a.entry.strength == b.entry.strength:
        return
    category = "intensification" if b.entry.strength > a.entry.strength else "softening"
    pt, ct = marker_tokens([a]), marker_tokens([b])
    ctx.claimed_p.update(pt)
    ctx.claimed_c.update(ct)
    grade = {1: "a possibility", 2: "a probability"}
    yield finding(
        ctx, bv, category=category, severity=severity_of(category), check=CHECK, parent_tokens=pt, child_tokens=ct,
        explanation=f'Hedge regraded: the parent\'s "{marker_words(ctx.parent, a)}" ({grade[a.entry.strength]}) became '
        f'"{marker_words(ctx.child, b)}" ({grade[b.entry.strength]}): the child makes the claim '
        + ("more" if category == "intensification" else "less") + " likely.",
        details={"parent_hedge": a.entry.name, "child_hedge": b.entry.name},
    )
