"""negation_flip: one side negates what the other asserts (critical)."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import (bead_markers, clause_words, finding, kept_in_child, marker_tokens,
                                             marker_words)
from provenance.drift.context import HopContext, Marker, Side
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "negation/2"


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
        lost = len(p) > len(c)  # the parent has a negation more (lost), or the child (added)
        more, fewer = (p, c) if lost else (c, p)
        side, claimed = (ctx.parent, ctx.claimed_p) if lost else (ctx.child, ctx.claimed_c)

        def paired(m: Marker, o: Marker) -> bool:
            return _same_place(ctx, bv, m, o) if lost else _same_place(ctx, bv, o, m)

        extra = more[len(fewer) :] if not fewer else [m for m in more if not any(paired(m, o) for o in fewer)] or more[len(fewer) :]
        kept = {pair[0 if lost else 1] for pair in bv.pairs}
        extra = [m for m in extra if _predicate_kept(side, m, kept)]
        if lost:
            extra = [m for m in extra if not _negated_in_narration(ctx, m)]
        other = ctx.child if lost else ctx.parent
        extra = [m for m in extra if not _negated_elsewhere(side, other, m) and not _affirmed_alike(side, other, m)]
        if lost and extra:
            extra = extra[len(_polarity_words(ctx.child, bv.c, {pair[1] for pair in bv.pairs})):]
        if not extra:
            continue
        words = ", ".join(f'"{marker_words(side, m)}"' for m in extra)
        tokens = marker_tokens(extra)
        yield finding(
            ctx, bv, category="negation_flip", severity=severity_of("negation_flip"), check=CHECK,
            parent_tokens=tokens if lost else (), child_tokens=() if lost else tokens,
            explanation=f"Negation lost: the parent's {words} is gone, so the child asserts what the parent denied."
            if lost else f"Negation added: the child's {words} turns the parent's statement into its opposite.",
        )
        claimed.update(tokens)


def _negated_in_narration(ctx: HopContext, m: Marker) -> bool:
    """Whether the child says the parent's negated words outside its quotation marks, negated ("He described
    Hamas not a terrorist organization, but “a liberation group …”"): indirect speech keeps the negation,
    which the writer's words carry (the checks read only the speaker's)."""
    assert ctx.parent is not None and ctx.child is not None
    parent, child = ctx.parent, ctx.child
    to_child = kept_in_child(ctx)
    predicate = [i for i in clause_words(parent.toks, m, 1, _REACH) if parent.toks[i].weight > 0][:2]
    for i in predicate:
        ci = to_child.get(i)
        if ci is None or child.toks[ci].quoted:
            continue
        for t in child.toks[max(0, ci - _REACH):ci]:
            if t.is_word and not t.quoted and any(e.kind == "negation" for e in child.lex.lookup(t.key, t.lemma)):
                return True
    return False


def _negated_elsewhere(side: Side, other: Side, m: Marker) -> bool:
    """Whether the other side says the negated words negated in another sentence ("You just don't throw a
    question" / "Do not just throw questions", which the sentence aligner paired with another sentence): the
    negation moved with its words; it was not lost or added."""
    predicate = _predicate_lemmas(side, m)
    return bool(predicate) and any(t.is_word and t.weight > 0 and t.lemma in predicate and _negated_at(other, k)
                                   for k, t in enumerate(other.toks))


def _affirmed_alike(side: Side, other: Side, m: Marker) -> bool:
    """Whether the words a negation bears on are also said without it on its own side, as often as the other
    side says them so: "Ми точно не один народ ... Були б одним народом, то ..." against a child quoting only
    "були б ... одним народом": the child's words are the parent's affirmed ones, and the negation went with
    the sentences the child left out."""
    predicate = _predicate_lemmas(side, m)
    if not predicate:
        return False
    affirmed_here, affirmed_there = _affirmed(side, predicate), _affirmed(other, predicate)
    return 0 < affirmed_there <= affirmed_here


def _predicate_lemmas(side: Side, m: Marker) -> set[str]:
    """The lemmas of the content words a negation bears on: those after it in its clause, within reach."""
    return {side.toks[i].lemma for i in clause_words(side.toks, m, 1, _REACH) if side.toks[i].weight > 0}


def _negated_at(side: Side, k: int) -> bool:
    """Whether a negation stands in the few words before token ``k``."""
    before = [u for u in side.toks[max(0, k - 2 * _REACH):k] if u.is_word][-_REACH:]
    return any(e.kind == "negation" for u in before for e in u.markers)


def _affirmed(side: Side, lemmas: set[str]) -> int:
    """How often a side says one of ``lemmas`` with no negation in the words just before it."""
    return sum(1 for k, t in enumerate(side.toks)
               if t.is_word and t.weight > 0 and t.lemma in lemmas and not _negated_at(side, k))


def _polarity_words(side: Side, indices: range, kept: set[int]) -> list[int]:
    """Words of the bead that only a negative or comparative clause says ("unlike anything the world has
    ever seen" for "like the world has never seen"), not kept from the other side: each stands for a
    negation said another way."""
    words = side.lex.negative_polarity
    return [i for i in indices if i not in kept and side.toks[i].key in words] if words else []


def _same_place(ctx: HopContext, bv, pm, cm) -> bool:  # type: ignore[no-untyped-def]
    return any(pi == pm.first and ci == cm.first for pi, ci in bv.pairs)


_REACH = 4


def _predicate_kept(side: Side, m: Marker, kept: set[int]) -> bool:
    """Whether the words a negation bears on are still there on the other side.

    "did not send" / "sent": the predicate is kept, the negation flipped. "but not at
    any price" added, "has not yet been confirmed" dropped, "do not rule out that we
    may" / "we will": the negated predicate went with it, which is an addition, an
    omission or a modality change, reported by those checks. The predicate is the
    nearest content words in the same clause, after the negation (or before it, for
    verb-final negation as in Korean); with none in reach, the flip stands. A verb of
    saying is a predicate too: "I cannot say whether it was provoked" dropped with its
    clause denies nothing the child asserts.
    """
    toks = side.toks
    cands: list[int] = [i for i in range(m.first, m.last + 1) if toks[i].weight > 0 and not _negation_only(toks[i])]
    for step in (1, -1):
        if cands:
            break
        for i in clause_words(toks, m, step, _REACH):
            if (toks[i].weight > 0 or _says(toks[i])) and not _negation_only(toks[i]):
                cands.append(i)
                if step < 0 or len(cands) >= 2:
                    break
    if not cands:
        return True
    return any(i in kept for i in cands)


def _says(tok) -> bool:  # type: ignore[no-untyped-def]
    return any(e.kind == "reporting" for e in tok.markers)


def _negation_only(tok) -> bool:  # type: ignore[no-untyped-def]
    return bool(tok.markers) and all(e.kind == "negation" for e in tok.markers)
