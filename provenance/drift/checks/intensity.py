"""intensification / softening: intensifiers and softeners added or dropped, reporting verbs of another strength."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import bead_markers, clause_words, finding, marker_tokens, marker_words, unmatched
from provenance.drift.context import HopContext, Marker, Side
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "intensity/1"


@register("intensity", order=50)
def check_intensity(ctx: HopContext) -> Iterable[Finding]:
    """An intensifier swapped for another ("firmly" / "resolutely") is not reported; one more or one fewer is."""
    assert ctx.parent is not None and ctx.child is not None
    parent, child = ctx.parent, ctx.child
    kept: tuple[set[int], set[int]] | None = None  # the words each side keeps, read once when first needed
    for bv in ctx.beads:
        for kind, up, down in (("intensifier", "intensification", "softening"), ("softener", "softening", "intensification")):
            p, c = bead_markers(ctx, bv, {kind})
            left_p, left_c = unmatched(p, c)
            k = min(len(left_p), len(left_c))
            # "very" gone with the word it strengthens ("very threatening") went with an omitted passage
            if len(left_p) > k or len(left_c) > k:
                if kept is None:
                    kept = ({i for b in ctx.beads for i, _ in b.pairs}, {j for b in ctx.beads for _, j in b.pairs})
                left_p = left_p[:k] + [m for m in left_p[k:] if _word_kept(parent, m, kept[0])]
                left_c = left_c[:k] + [m for m in left_c[k:] if _word_kept(child, m, kept[1])]
            for m in left_p[k:]:
                ctx.claimed_p.update(marker_tokens([m]))
                yield finding(
                    ctx, bv, category=down, severity=severity_of(down, reworded=ctx.via_pivot), check=CHECK, parent_tokens=marker_tokens([m]),
                    explanation=f'"{marker_words(parent, m)}" dropped: the child\'s wording is '
                    + ("weaker" if down == "softening" else "stronger")
                    + " than the parent's.",
                )
            for m in left_c[k:]:
                ctx.claimed_c.update(marker_tokens([m]))
                yield finding(
                    ctx, bv, category=up, severity=severity_of(up, reworded=ctx.via_pivot), check=CHECK, child_tokens=marker_tokens([m]),
                    explanation=f'"{marker_words(child, m)}" added: the child\'s wording is '
                    + ("stronger" if up == "intensification" else "weaker")
                    + " than the parent's.",
                )
        # Reporting and stance verbs, paired in order of appearance.
        p, c = bead_markers(ctx, bv, {"reporting"})
        left_p, left_c = unmatched(p, c)
        for a, b in zip(left_p, left_c):
            pw, cw = marker_words(parent, a), marker_words(child, b)
            pt, ct = marker_tokens([a]), marker_tokens([b])
            details = {
                "parent_verb": a.entry.name, "child_verb": b.entry.name,
                "parent_strength": a.entry.strength, "child_strength": b.entry.strength,
                "parent_stance": a.entry.stance, "child_stance": b.entry.stance,
            }
            if a.entry.strength != b.entry.strength:
                category = "intensification" if b.entry.strength > a.entry.strength else "softening"
                how = "strengthened" if category == "intensification" else "weakened"
                explanation = f'Reporting verb {how}: "{pw}" became "{cw}".'
            elif a.entry.stance != b.entry.stance:
                category = "substitution"
                explanation = (
                    f'Reporting verb changed stance: "{pw}" ({a.entry.stance}) became "{cw}" ({b.entry.stance}); '
                    "the child frames the speaker differently."
                )
            else:  # an equivalent verb (said / stated): explained, not a wording change
                ctx.claimed_p.update(pt)
                ctx.claimed_c.update(ct)
                continue
            ctx.claimed_p.update(pt)
            ctx.claimed_c.update(ct)
            # The writer's reporting verb ("Kim said" / "Kim claimed") is narration; the speaker's own
            # ("We repeat" / "We reaffirm") is part of the quote.
            narration = not (parent.spoken[a.first] and child.spoken[b.first])
            if narration:
                explanation += " (the writer's words, outside the quotation)"
                details["narration"] = True
            yield finding(ctx, bv, category=category, severity=severity_of(category, narration=narration), check=CHECK,
                          parent_tokens=pt, child_tokens=ct, explanation=explanation, details=details)


def _word_kept(side: Side, m: Marker, kept: set[int]) -> bool:
    """Whether the word an intensifier or softener bears on (the nearest word after it in its clause that
    is no function word, or before it) is kept by the other side; with none in reach, it counts as kept."""
    for step in (1, -1):
        for i in clause_words(side.toks, m, step, 3):
            if not side.toks[i].stop:
                return i in kept
    return True
