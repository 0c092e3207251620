"""hedge_added / hedge_removed: a qualifier of certainty ("reportedly", "suspected", "aurait") appears or goes."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import (bead_markers, finding, marker_tokens, marker_words, recovered_hedges,
                                             unmatched)
from provenance.drift.context import BeadView, HopContext, Marker, Side, sentence_numbers
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
        recovered = recovered_hedges(ctx, {"hedge"})
        for m in left_p[k:]:
            claim, kept = _claim_kept(ctx, m, same_voice=True)
            if claim and len(kept) < min(_CUT_WITH, len(claim)):
                # cut with its claim ("I think a good collaboration can be developed" left out of an excerpt):
                # part of what the excerpt omits; a claim kept even in part without its caution ("скорее всего,
                # ходили бы гривни, а над Думой развивался бы флаг" -> the flag alone) reads as established fact
                continue
            ctx.claimed_p.update(marker_tokens([m]))
            if m.first in recovered:  # the words before it went too: the child rewrote the passage
                yield finding(
                    ctx, bv, category="hedge_removed", severity=severity_of("hedge_removed", reworded=True),
                    check=CHECK, parent_tokens=marker_tokens([m]),
                    explanation=f'Hedge dropped with the words before it: the parent\'s "{marker_words(ctx.parent, m)}" '
                    "is gone from the rewritten passage, whose claim the child keeps without the caution.",
                    details={"rewritten": True},
                )
                continue
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
    yield from _writer_hedges_dropped(ctx)


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


#: How many content words after a writer's hedge it bears on, and how many of them the child must keep.
_CLAIM_WORDS = 8
_CLAIM_KEPT = 3
#: A speaker's hedge is cut with its claim when the child keeps fewer than this many of the claim's words.
_CUT_WITH = 2


def _writer_hedges_dropped(ctx: HopContext) -> Iterable[Finding]:
    """The writer's hedge on the speaker's claim, gone where the child keeps the claim.

    "Perhaps the 'barking of NATO at Russia's door' prompted the head of the
    Kremlin to react badly" is the interviewer's cautious account of what the Pope
    thinks; "NATO barking at Russia's door, which he said caused the Kremlin to
    react badly" keeps the claim and drops the caution. Narration is the writer's
    (its hedges are not the speaker's and its wording is free), so this is
    reported as narration, minor, and only where the child keeps the words the
    hedge bears on and hedges none of them itself.
    """
    assert ctx.parent is not None and ctx.child is not None
    parent, child = ctx.parent, ctx.child
    if not parent.writer_hedges:
        return
    c_sent = sentence_numbers(child.toks)
    c_hedged = {c_sent[m.first] for m in (*child.markers, *child.writer_hedges)
                if m.kind == "hedge" or m in child.writer_hedges}
    for m in parent.writer_hedges:
        if m.first in ctx.claimed_p or m.kind != "hedge":
            continue
        claim, kept = _claim_kept(ctx, m)
        if not claim or _too_little(claim, kept):
            continue
        where = {c_sent[j] for hits in kept for j in hits}
        if where & c_hedged:
            continue
        tokens = marker_tokens([m])
        ctx.claimed_p.update(tokens)
        bv = next((b for b in ctx.beads if m.first in b.p), None)
        yield finding(
            ctx, bv, category="hedge_removed", severity=severity_of("hedge_removed", narration=True), check=CHECK,
            parent_tokens=tokens,
            explanation=f'The writer\'s hedge dropped: the parent reports the claim with "{marker_words(parent, m)}"; '
            "the child keeps the claim and drops the caution.",
            details={"narration": True},
        )


def _claim_kept(ctx: HopContext, m: Marker, *, same_voice: bool = False) -> tuple[list[int], list[list[int]]]:
    """The content words the parent's hedge ``m`` bears on, and, for each the child keeps (by lemma or by its
    first five letters), the child's tokens holding it. With ``same_voice``, only words quoted as the hedge is
    (or, for a hedge in narration, not quoted): a speaker's hedge bears on the speaker's words, not on the "ha
    detto il presidente del Consiglio" after them."""
    assert ctx.parent is not None and ctx.child is not None
    parent, child = ctx.parent, ctx.child
    if "hedges:child-words" not in ctx.cache:
        c_words: dict[str, list[int]] = {}
        for j, t in enumerate(child.toks):
            if t.is_word and not t.stop:
                c_words.setdefault(t.lemma, []).append(j)
                if len(t.lemma) >= 5:
                    c_words.setdefault(t.lemma[:5] + "\x00", []).append(j)
        ctx.cache["hedges:child-words"] = c_words
        ctx.cache["hedges:parent-sentences"] = sentence_numbers(parent.toks)
    c_words, p_sent = ctx.cache["hedges:child-words"], ctx.cache["hedges:parent-sentences"]
    claim = _claim(parent, p_sent, m)
    if same_voice:
        claim = [i for i in claim if parent.toks[i].quoted == parent.toks[m.first].quoted]
    return claim, [hits for i in claim if (hits := c_words.get(parent.toks[i].lemma)
                                           or c_words.get(parent.toks[i].lemma[:5] + "\x00"))]


def _too_little(claim: list[int], kept: list[list[int]]) -> bool:
    """Whether the child keeps too little of a hedge's claim to be stating it: less than half of it, or fewer
    than :data:`_CLAIM_KEPT` of its words."""
    return len(kept) < min(_CLAIM_KEPT, len(claim)) or len(kept) * 2 < len(claim)


def _claim(side: Side, sentence: list[int], m: Marker) -> list[int]:
    """The content words a hedge bears on: those after it in its sentence (before it, when none follow)."""
    toks, n = side.toks, sentence[m.first]
    after = [i for i in range(m.last + 1, len(toks)) if sentence[i] == n and toks[i].is_word and not toks[i].stop
             and not toks[i].markers]
    if after:
        return after[:_CLAIM_WORDS]
    before = [i for i in range(m.first) if sentence[i] == n and toks[i].is_word and not toks[i].stop
              and not toks[i].markers]
    return before[-_CLAIM_WORDS:]
