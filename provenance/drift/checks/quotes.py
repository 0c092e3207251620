"""quote_boundary_change: a direct quote became a paraphrase or the reverse, or quoted words changed."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import finding
from provenance.drift.context import HopContext, effective_quote_spans, text_quote
from provenance.drift.registry import register
from provenance.drift.types import Finding

CHECK = "quotes/1"
#: Content words that must change status before a quote counts as turned into paraphrase (or back).
MIN_WORDS = 2


@register("quote_boundary_change", needs_comparison=False, order=60)
def check_quotes(ctx: HopContext) -> Iterable[Finding]:
    hop = ctx.hop
    orig_p = bool(effective_quote_spans(hop.parent_text, hop.parent_language))
    orig_c = bool(effective_quote_spans(hop.child_text, hop.child_language))
    if ctx.parent is None or ctx.child is None:
        yield from _originals(ctx)
        return
    cmp_p, cmp_c = bool(ctx.parent.quote_spans), bool(ctx.child.quote_spans)
    if (cmp_p, cmp_c) != (orig_p, orig_c):
        # The glosses dropped or added quotation marks: trust the originals' structure.
        yield from _originals(ctx)
        return
    for bv in ctx.beads:
        unquoted: list[tuple[int, int]] = []
        quoted: list[tuple[int, int]] = []
        for pi, ci in bv.pairs:
            tp, tc = ctx.parent.toks[pi], ctx.child.toks[ci]
            if tp.weight <= 0 and not tc.weight > 0:
                continue
            if tp.quoted and not tc.quoted:
                unquoted.append((pi, ci))
            elif tc.quoted and not tp.quoted:
                quoted.append((pi, ci))
        if len(unquoted) >= MIN_WORDS:
            _claim_explicitation(ctx, bv)
            yield finding(
                ctx, bv, category="quote_boundary_change", severity="major", check=CHECK,
                parent_tokens=[p for p, _ in unquoted], child_tokens=[c for _, c in unquoted],
                explanation="Direct quote turned into paraphrase: words the parent put inside quotation marks are "
                "outside them in the child, so they are no longer presented as the speaker's own.",
            )
        if len(quoted) >= MIN_WORDS:
            yield finding(
                ctx, bv, category="quote_boundary_change", severity="major", check=CHECK,
                parent_tokens=[p for p, _ in quoted], child_tokens=[c for _, c in quoted],
                explanation="Paraphrase presented as a quote: the child puts inside quotation marks words the parent "
                "did not quote, attributing them verbatim to the speaker.",
            )
        if not ctx.via_pivot:
            yield from _misquotes(ctx, bv)


def _claim_explicitation(ctx: HopContext, bv) -> None:  # type: ignore[no-untyped-def]
    """Reported speech names who "we" are ("We will ..." -> "North Korea would ..."): part of the quote change."""
    assert ctx.parent is not None and ctx.child is not None
    for r in bv.regions:
        p_words = [i for i in range(r.p0, r.p1) if ctx.parent.toks[i].is_word]
        if r.lost_c and all(ctx.parent.toks[i].weight == 0 for i in p_words) and all(ctx.child.toks[j].name_like for j in r.lost_c):
            ctx.claimed_c.update(r.lost_c)


def _misquotes(ctx: HopContext, bv) -> Iterable[Finding]:  # type: ignore[no-untyped-def]
    """Same language: the words inside quotation marks should be the same words."""
    assert ctx.parent is not None and ctx.child is not None
    for r in bv.regions:
        p_in = [i for i in range(r.p0, r.p1) if ctx.parent.toks[i].quoted]
        c_in = [j for j in range(r.c0, r.c1) if ctx.child.toks[j].quoted]
        lost_p = [i for i in r.lost_p if ctx.parent.toks[i].quoted]
        lost_c = [j for j in r.lost_c if ctx.child.toks[j].quoted]
        if (p_in and c_in) and (lost_p or lost_c):
            yield finding(
                ctx, bv, category="quote_boundary_change", severity="major", check=CHECK,
                parent_tokens=p_in, child_tokens=c_in,
                explanation="Quoted words changed: the child's quotation differs from the parent's, "
                "yet both are presented as the speaker's exact words.",
            )


def _originals(ctx: HopContext) -> Iterable[Finding]:
    """Without comparable glosses, compare only whether each original quotes anything."""
    hop = ctx.hop
    p = [s for s in effective_quote_spans(hop.parent_text, hop.parent_language)
         if len(hop.parent_text[s[0] : s[1]].split()) >= MIN_WORDS]
    c = [s for s in effective_quote_spans(hop.child_text, hop.child_language)
         if len(hop.child_text[s[0] : s[1]].split()) >= MIN_WORDS]
    note = " (originals compared: no comparison text for the words)"
    if p and not c:
        yield Finding(
            "quote_boundary_change", "major", text_quote(hop.parent_text, p[0][0], p[-1][1]), None,
            "Direct quote turned into paraphrase: the parent quotes the speaker, the child has no quotation marks." + note,
            0.5, CHECK, {"comparison": ctx.comparison, "method": "quotation marks in the originals"},
        )
    elif c and not p:
        yield Finding(
            "quote_boundary_change", "major", None, text_quote(hop.child_text, c[0][0], c[-1][1]),
            "Paraphrase presented as a quote: the child has quotation marks, the parent quotes nothing." + note,
            0.5, CHECK, {"comparison": ctx.comparison, "method": "quotation marks in the originals"},
        )
