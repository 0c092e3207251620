"""hedge_added / hedge_removed: a qualifier of certainty ("reportedly", "suspected", "aurait") appears or goes."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import bead_markers, finding, marker_tokens, marker_words, unmatched
from provenance.drift.context import HopContext
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "hedges/1"


@register("hedge", order=40)
def check_hedges(ctx: HopContext) -> Iterable[Finding]:
    """One hedge swapped for another ("probably" / "likely") is not a change; only the count matters."""
    assert ctx.parent is not None and ctx.child is not None
    for bv in ctx.beads:
        p, c = bead_markers(ctx, bv, {"hedge"})
        left_p, left_c = unmatched(p, c)
        k = min(len(left_p), len(left_c))
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
