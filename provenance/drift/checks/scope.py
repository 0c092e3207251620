"""Quantifiers: the claim made of a part, of most or of all of what is named ("most of the rest of the world").

"Most of the rest of the world is a jungle" quoted as "the rest of the world is a
jungle" makes the claim of all of it: the most common change real outlets made to
Borrell's words, and one a content-word diff never sees ("most" is a function word).
Only a part or a majority is compared: a universal ("all the means") dropped or
added says little on its own, but one put in place of "most of" widens the claim.
"""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import clause_words, finding, marker_tokens, marker_words, once, unmatched
from provenance.drift.context import HopContext, Marker, Side
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "scope/1"
#: Quantifier strengths (word lists): a part, most, all.
PART, MOST, ALL = 1, 2, 3
_HOW_MUCH = {PART: "a part", MOST: "most", ALL: "all"}


@register("scope", order=45)
def check_scope(ctx: HopContext) -> Iterable[Finding]:
    """Quantifiers are compared over the whole hop, where the words they bear on are said on both sides.

    Not by the excerpt rules of the other markers: "The greater part of the remaining world" opens the
    child's sentence before the words it shares ("world is a jungle"), yet it is the speaker's "most of";
    a quantifier whose noun phrase the other side never says went with it (an omission or an addition).
    """
    assert ctx.parent is not None and ctx.child is not None
    parent, child = ctx.parent, ctx.child
    p_words, c_words = _lemmas(parent), _lemmas(child)
    p = once(parent, [m for m in parent.markers if m.kind == "quantifier" and _said(parent, m, c_words)])
    c = once(child, [m for m in child.markers if m.kind == "quantifier" and _said(child, m, p_words)])
    left_p, left_c = unmatched(p, c)
    partial_c = [m for m in left_c if m.entry.strength < ALL]
    for a in left_p:
        if a.entry.strength == ALL:
            b = partial_c[0] if partial_c else None
            if b is None:
                continue  # "all the means" / "the means": said of everything either way
        else:
            b = next((m for m in left_c if m.entry.strength != a.entry.strength), None)
        pt = marker_tokens([a])
        ctx.claimed_p.update(pt)
        bv = next((x for x in ctx.beads if a.first in x.p), None)
        if b is None:
            yield finding(
                ctx, bv, category="omission", severity=severity_of("omission", qualifying=True), check=CHECK,
                parent_tokens=pt,
                explanation=f'Scope widened: the parent says it of {_HOW_MUCH[a.entry.strength]} '
                f'("{marker_words(parent, a)}"); the child drops that and says it of all.',
                details={"parent_quantifier": a.entry.name},
            )
            continue
        left_c.remove(b)
        if b in partial_c:
            partial_c.remove(b)
        ct = marker_tokens([b])
        ctx.claimed_c.update(ct)
        category = "intensification" if b.entry.strength > a.entry.strength else "softening"
        yield finding(
            ctx, bv, category=category, severity=severity_of(category), check=CHECK, parent_tokens=pt,
            child_tokens=ct,
            explanation=f'Scope {"widened" if category == "intensification" else "narrowed"}: the parent\'s '
            f'"{marker_words(parent, a)}" ({_HOW_MUCH[a.entry.strength]}) became "{marker_words(child, b)}" '
            f"({_HOW_MUCH[b.entry.strength]}).",
            details={"parent_quantifier": a.entry.name, "child_quantifier": b.entry.name},
        )
    for b in partial_c:
        ct = marker_tokens([b])
        ctx.claimed_c.update(ct)
        bv = next((x for x in ctx.beads if b.first in x.c), None)
        yield finding(
            ctx, bv, category="softening", severity=severity_of("softening"), check=CHECK, child_tokens=ct,
            explanation=f'Scope narrowed: the child says it of {_HOW_MUCH[b.entry.strength]} '
            f'("{marker_words(child, b)}") where the parent said it without limit.',
            details={"child_quantifier": b.entry.name},
        )


def _lemmas(side: Side) -> set[str]:
    return {t.lemma for t in side.toks if t.is_word and t.weight > 0}


def _said(side: Side, m: Marker, other: set[str]) -> bool:
    """Whether the other side says a word the quantifier bears on ("most of the *rest* of the *world*")."""
    return any(side.toks[i].weight > 0 and side.toks[i].lemma in other for i in clause_words(side.toks, m, 1, 6))
