"""negation_flip: one side negates what the other asserts (critical)."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import bead_markers, finding, marker_tokens, marker_words
from provenance.drift.context import HopContext
from provenance.drift.registry import register
from provenance.drift.types import Finding

CHECK = "negation/1"


@register("negation_flip", order=30)
def check_negation(ctx: HopContext) -> Iterable[Finding]:
    """Counts negations per bead: "did not send" vs "sent" differs by one; "not" vs "never" does not.

    Negations inside a clause that was dropped or added whole are left to the
    omission / addition checks.
    """
    assert ctx.parent is not None and ctx.child is not None
    for bv in ctx.beads:
        p, c = bead_markers(ctx, bv, {"negation"})
        if len(p) == len(c):
            continue
        if len(p) > len(c):
            extra = p[len(c) :] if not c else [m for m in p if not any(_same_place(ctx, bv, m, o) for o in c)] or p[len(c) :]
            words = ", ".join(f'"{marker_words(ctx.parent, m)}"' for m in extra)
            yield finding(
                ctx, bv, category="negation_flip", severity="critical", check=CHECK, parent_tokens=marker_tokens(extra),
                explanation=f"Negation lost: the parent's {words} is gone, so the child asserts what the parent denied.",
            )
            ctx.claimed_p.update(marker_tokens(extra))
        else:
            extra = c[len(p) :] if not p else [m for m in c if not any(_same_place(ctx, bv, o, m) for o in p)] or c[len(p) :]
            words = ", ".join(f'"{marker_words(ctx.child, m)}"' for m in extra)
            yield finding(
                ctx, bv, category="negation_flip", severity="critical", check=CHECK, child_tokens=marker_tokens(extra),
                explanation=f"Negation added: the child's {words} turns the parent's statement into its opposite.",
            )
            ctx.claimed_c.update(marker_tokens(extra))


def _same_place(ctx: HopContext, bv, pm, cm) -> bool:  # type: ignore[no-untyped-def]
    return any(pi == pm.first and ci == cm.first for pi, ci in bv.pairs)
