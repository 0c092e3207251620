"""Scales: a word put in place of a weaker or stronger one of the same scale ("will persevere" / "will prevail").

"Ukraine will endure" reported as "Ukraine will prevail" changes what the
speaker predicted, yet a content-word diff only sees one word swapped for
another (or, when the child reorders the clauses, one dropped and one added).
The word lists (``scales:``, per language) order the words of a scale by grade,
weakest first: endure < prevail, problem < crisis < catastrophe, facilitate <
cause. Two words of one scale at different grades, lost on each side of the
same bead, are an intensification or a softening; at the same grade they are
another word of the same force, a substitution for the content check to report.

Adjectives are looked up by their surface form before their lemma, since a
lemmatiser makes "greatest" of "great"; one after a superlative word ("самой
большой", "the most serious") takes its scale's strongest grade.
"""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import finding
from provenance.drift.context import BeadView, HopContext, Side, Tok
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "scales/1"


@register("scales", order=55)
def check_scales(ctx: HopContext) -> Iterable[Finding]:
    """Words replaced in place, words the diff kept as one, then the scale words each side lost in a bead,
    paired in text order."""
    assert ctx.parent is not None and ctx.child is not None
    parent, child = ctx.parent, ctx.child
    on_p, on_c = dict(_hits(parent, range(len(parent.toks)))), dict(_hits(child, range(len(child.toks))))
    if not on_p or not on_c:
        return  # one side says no word of any scale: nothing to compare (most hops)
    for bv, i, j in ctx.swaps:  # a word replaced in place
        a, b = on_p.get(i), on_c.get(j)
        if a and b and a[0] == b[0] and a[1] != b[1] and i not in ctx.claimed_p and j not in ctx.claimed_c:
            ctx.claimed_p.add(i)
            ctx.claimed_c.add(j)
            yield _finding(ctx, bv, i, j, a[0], a[1], b[1])
    for bv in ctx.beads:
        # kept as one word by the diff, whose lemma or first letters cannot tell "крупнейший" from "крупный"
        # nor "largest" from "large"
        for i, j in bv.pairs:
            a, b = on_p.get(i), on_c.get(j)
            if a and b and a[0] == b[0] and a[1] != b[1] and i not in ctx.claimed_p:
                ctx.claimed_p.add(i)
                ctx.claimed_c.add(j)
                yield _finding(ctx, bv, i, j, a[0], a[1], b[1])
        p_hits = [(i, on_p[i]) for i in sorted({i for r in bv.regions for i in r.lost_p} - ctx.claimed_p) if i in on_p]
        c_hits = [(j, on_c[j]) for j in sorted({j for r in bv.regions for j in r.lost_c} - ctx.claimed_c) if j in on_c]
        for i, (scale, grade) in p_hits:
            hit = next((k for k, (_, (s, g)) in enumerate(c_hits) if s == scale and g != grade), None)
            if hit is None:
                continue
            j, (_, child_grade) = c_hits.pop(hit)
            ctx.claimed_p.add(i)
            ctx.claimed_c.add(j)
            yield _finding(ctx, bv, i, j, scale, grade, child_grade)


def _hits(side: Side, indices: range) -> list[tuple[int, tuple[str, int]]]:
    """The words of ``indices`` on a scale, with their scale and grade."""
    scales = side.lex.scales
    if not scales:
        return []
    out = []
    toks, lex = side.toks, side.lex
    for i in indices:
        t = toks[i]
        if not t.is_word:
            continue
        hit = scales.get(t.key) or scales.get(t.lemma)
        if hit is not None:
            if i > 0 and hit[1] == 1 and _before(toks, i) in lex.superlatives:
                hit = (hit[0], lex.scale_tops[hit[0]])  # "самой большой", "the most serious": the strongest
            out.append((i, hit))
    return out


def _before(toks: list[Tok], i: int) -> str:
    """The word before token ``i`` (its key), or "" past punctuation."""
    k = i - 1
    while k >= 0 and not toks[k].is_word:
        if toks[k].text.strip():
            return ""
        k -= 1
    return toks[k].key if k >= 0 else ""


def _finding(ctx: HopContext, bv: BeadView, i: int, j: int, scale: str, grade: int, child_grade: int) -> Finding:
    assert ctx.parent is not None and ctx.child is not None
    category = "intensification" if child_grade > grade else "softening"
    narration = not (ctx.parent.spoken[i] and ctx.child.spoken[j])
    pw, cw = ctx.parent.toks[i].text, ctx.child.toks[j].text
    return finding(
        ctx, bv, category=category, severity=severity_of(category, reworded=ctx.via_pivot, narration=narration),
        check=CHECK, parent_tokens=[i], child_tokens=[j],
        explanation=f'"{pw}" became "{cw}", a {"stronger" if category == "intensification" else "weaker"} word of '
        f"the same scale ({scale.replace('_', ' ')})" + (": the writer's words, outside the quotation." if narration
                                                          else "."),
        details={"scale": scale, "parent_grade": grade, "child_grade": child_grade}
        | ({"narration": True} if narration else {}),
    )
