"""modality_shift: will / would / could, must / may, and certainty markers ("no doubt") change strength."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import bead_markers, finding, marker_tokens, marker_words, unmatched
from provenance.drift.context import BeadView, HopContext, Marker, Side
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "modality/1"
#: "will" comes and goes with tense ("we stand" / "we will stand"), but also makes an ongoing fact a plan
#: ("we are driving this change" / "we will drive"): alone, it is reported as wording, for a reader to judge.
FUTURE_STRENGTH = 4
FUTURE_NOTE = (": a change of tense, or an ongoing fact made a plan (\"we are driving\" / \"we will drive\"); "
               "wording unless the meaning moved.")
_LEVEL = {1: "remote possibility", 2: "possibility", 3: "likelihood or ability", 4: "certainty (future)", 5: "necessity or certainty"}


def _describe(m: Marker, words: str) -> str:
    return f'"{words}" ({_LEVEL.get(m.entry.strength, "modal")})'


@register("modality_shift", order=45)
def check_modality(ctx: HopContext) -> Iterable[Finding]:
    assert ctx.parent is not None and ctx.child is not None
    parent, child = ctx.parent, ctx.child
    for bv in ctx.beads:
        # Certainty markers: "there is no doubt ... will" vs "... will likely".
        p, c = bead_markers(ctx, bv, {"booster"})
        left_p, left_c = unmatched(p, c)
        k = min(len(left_p), len(left_c))
        firm_p, firm_c = _firm_modals_kept(ctx, bv) if left_p[k:] or left_c[k:] else ([], [])
        for m in left_p[k:]:
            firm = _beside(m, firm_p)
            yield finding(
                ctx, bv, category="modality_shift", severity=severity_of("modality_shift", reworded=ctx.via_pivot or firm),
                check=CHECK, parent_tokens=marker_tokens([m]),
                explanation=f'Certainty lowered: the parent\'s "{marker_words(parent, m)}" is gone; the child no longer '
                "presents the claim as certain" + (FIRM_NOTE if firm else "."),
            )
        for m in left_c[k:]:
            firm = _beside(m, firm_c)
            yield finding(
                ctx, bv, category="modality_shift", severity=severity_of("modality_shift", reworded=ctx.via_pivot or firm),
                check=CHECK, child_tokens=marker_tokens([m]),
                explanation=f'Certainty raised: the child adds "{marker_words(child, m)}", absent from the parent'
                + (FIRM_NOTE if firm else "."),
            )
        # Modal verbs, paired in order of appearance.
        p, c = bead_markers(ctx, bv, {"modal"})
        p = [m for m in p if not _concessive(parent, m)]
        c = [m for m in c if not _concessive(child, m)]
        left_p, left_c = unmatched(p, c)
        for a, b in zip(left_p, left_c):
            if a.entry.strength == b.entry.strength or _backshift(ctx, a, b):
                continue
            direction = "weakened" if b.entry.strength < a.entry.strength else "strengthened"
            kinds = parent.lex.modal_kinds
            latitude = ctx.via_pivot and kinds.get(a.entry.name) is not None and \
                kinds.get(a.entry.name) == child.lex.modal_kinds.get(b.entry.name)
            yield finding(
                ctx, bv, category="modality_shift", severity=severity_of("modality_shift", reworded=latitude),
                check=CHECK, parent_tokens=marker_tokens([a]), child_tokens=marker_tokens([b]),
                explanation=f"Modality {direction}: the parent's {_describe(a, marker_words(parent, a))} became "
                f"{_describe(b, marker_words(child, b))}"
                + (f" (two {kinds[a.entry.name]} modals: how two translators may render one word)." if latitude
                   else "."),
                details={"parent_strength": a.entry.strength, "child_strength": b.entry.strength,
                         **({"translation_latitude": True} if latitude else {})},
            )
        k = min(len(left_p), len(left_c))
        for m in left_p[k:]:
            yield _alone(ctx, bv, m, dropped=True)
        for m in left_c[k:]:
            yield _alone(ctx, bv, m, dropped=False)


#: A certainty word beside a firm modal that both sides keep ("we will certainly use" / "we will use"): the claim
#: is asserted as firmly either way.
FIRM_NOTE = (', though both say "will" (or "must") beside it: the claim is asserted either way; wording unless '
             "the meaning moved.")


def _firm_modals_kept(ctx: HopContext, bv: BeadView) -> tuple[list[Marker], list[Marker]]:
    """Each side's modals of future or necessity ("will", "must") in this bead that the other side says too
    (:func:`bead_markers` gives those it does not)."""
    assert ctx.parent is not None and ctx.child is not None
    left_p, left_c = bead_markers(ctx, bv, {"modal"})
    return ([m for m in ctx.parent.markers if m.entry.kind == "modal" and m.first in bv.p and m not in left_p
             and m.entry.strength >= FUTURE_STRENGTH],
            [m for m in ctx.child.markers if m.entry.kind == "modal" and m.first in bv.c and m not in left_c
             and m.entry.strength >= FUTURE_STRENGTH])


def _beside(m: Marker, modals: list[Marker]) -> bool:
    """A certainty word at most two tokens from a modal: "will certainly use", "certainly will"."""
    return any(abs(o.first - m.first) <= 2 or abs(o.last - m.last) <= 2 for o in modals)


def _alone(ctx: HopContext, bv: BeadView, m: Marker, *, dropped: bool) -> Finding:
    """A modal one side has and the other has none of; "will" alone is wording (FUTURE_NOTE)."""
    assert ctx.parent is not None and ctx.child is not None
    future = m.entry.strength == FUTURE_STRENGTH
    side = ctx.parent if dropped else ctx.child
    said = _describe(m, marker_words(side, m))
    return finding(
        ctx, bv, category="modality_shift",
        severity=severity_of("modality_shift", reworded=ctx.via_pivot or future), check=CHECK,
        parent_tokens=marker_tokens([m]) if dropped else (), child_tokens=() if dropped else marker_tokens([m]),
        explanation=(f"Modality dropped: the parent's {said} is gone" if dropped
                     else f"Modality added: the child says {said} where the parent had none")
        + (FUTURE_NOTE if future else "."),
    )


def _backshift(ctx: HopContext, a: Marker, b: Marker) -> bool:
    """Direct speech turned into reported speech moves "will" to "would": grammar, not drift."""
    assert ctx.parent is not None and ctx.child is not None
    expected = ctx.parent.lex.backshift.get(a.entry.name)
    if expected is None or expected != b.entry.name:
        return False
    return ctx.parent.toks[a.first].quoted and not ctx.child.toks[b.first].quoted


def _concessive(side: Side, m: Marker) -> bool:
    """A modal in a concessive clause ("whatever it may be", "wherever they may go") concedes, it does not hedge."""
    words = side.lex.concessive
    if not words:
        return False
    seen = 0
    i = m.first - 1
    while i >= 0 and seen < 3:
        t = side.toks[i]
        if t.is_word:
            if t.key in words or t.lemma in words:
                return True
            seen += 1
        elif t.text.strip():
            return False
        i -= 1
    return False
