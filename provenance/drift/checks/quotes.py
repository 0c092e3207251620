"""quote_boundary_change: a direct quote became a paraphrase or the reverse, or quoted words changed."""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import finding
from provenance.drift.context import (
    HopContext, Side, has_quotation_marks, in_editor_note, reporting_beside_names, transcript_turns,
)
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "quotes/1"
#: Content words that must change status before a quote counts as turned into paraphrase (or back):
#: a writer's sentence around a partial quote often repeats a word or two of it ("the nuclear button").
MIN_WORDS = 3


@register("quote_boundary_change", order=60)
def check_quotes(ctx: HopContext) -> Iterable[Finding]:
    """Quotation marks in the originals say what each text presents as the speaker's words.

    A rendition stored as the bare quoted words has no marks and is not a
    paraphrase. A text without marks is reported speech only when it says so
    with a reporting verb ("Choe said North Korea would ..."): then a quote on
    the other side became a paraphrase, or the reverse.
    """
    hop = ctx.hop
    assert ctx.parent is not None and ctx.child is not None  # registered as needing a comparison text
    # a transcript's turns are as quoted as words in marks (:func:`transcript_turns`)
    p_marks = has_quotation_marks(hop.parent_text) or bool(transcript_turns(hop.parent_text))
    c_marks = has_quotation_marks(hop.child_text) or bool(transcript_turns(hop.child_text))
    if p_marks != c_marks:
        yield from _reported_speech(ctx, p_marks)
        return
    if not (p_marks and ctx.parent.marked and ctx.child.marked):
        return  # no marks on either side, or glosses that dropped them
    # the words each side quotes somewhere: an article that says a claim in its own words and then quotes it
    # ("Erdogan said Hamas is not a terrorist organisation … “Hamas is not a terrorist organisation, …”") gives
    # the aligner two places for the other side's quotation; quoted in either, the words were quoted
    p_runs, c_runs = _quoted_runs(ctx.parent), _quoted_runs(ctx.child)
    p_shared, c_shared = _in_runs(ctx.parent, c_runs), _in_runs(ctx.child, p_runs)
    p_quoted, c_quoted = _quoted(ctx.parent), _quoted(ctx.child)
    for bv in ctx.beads:
        unquoted: list[tuple[int, int]] = []
        quoted: list[tuple[int, int]] = []
        for pi, ci in bv.pairs:
            tp, tc = ctx.parent.toks[pi], ctx.child.toks[ci]
            if tp.weight <= 0 and not tc.weight > 0:
                continue
            if in_editor_note(ctx.parent.cmp, tp.start) or in_editor_note(ctx.child.cmp, tc.start):
                continue  # a gloss's note ("[literally: why do you not keep quiet?]") is nobody's words
            if p_quoted[pi] and not c_quoted[ci] and pi not in p_shared:
                unquoted.append((pi, ci))
            elif c_quoted[ci] and not p_quoted[pi] and ci not in c_shared:
                quoted.append((pi, ci))
        if len(unquoted) >= MIN_WORDS:
            _claim_explicitation(ctx, bv)
            yield finding(
                ctx, bv, category="quote_boundary_change",
                severity=severity_of("quote_boundary_change", reworded=True), check=CHECK,
                parent_tokens=[p for p, _ in unquoted], child_tokens=[c for _, c in unquoted],
                explanation="Direct quote turned into paraphrase: words the parent put inside quotation marks are "
                "outside them in the child, so they are no longer presented as the speaker's own.",
            )
        if len(quoted) >= MIN_WORDS:
            yield finding(
                ctx, bv, category="quote_boundary_change", severity=severity_of("quote_boundary_change"), check=CHECK,
                parent_tokens=[p for p, _ in quoted], child_tokens=[c for _, c in quoted],
                explanation="Paraphrase presented as a quote: the child puts inside quotation marks words the parent "
                "did not quote, attributing them verbatim to the speaker.",
            )
        if not ctx.via_pivot:
            yield from _misquotes(ctx, bv)


def _quoted(side: Side) -> list[bool]:
    """Each token: inside quotation marks, or in a transcript's turn (:func:`transcript_turns`)."""
    turns = transcript_turns(side.cmp)
    return [t.quoted or any(a <= t.start < b for a, b in turns) for t in side.toks]


#: Content words in a row that make a quoted run the other side may quote elsewhere.
RUN = 3


def _quoted_windows(side: Side) -> list[list[int]]:
    """Every RUN content words in a row (their token indices) that a side puts inside quotation marks."""
    content = [k for k, t in enumerate(side.toks) if t.is_word and t.weight > 0]
    return [content[s:s + RUN] for s in range(len(content) - RUN + 1)
            if all(side.toks[k].quoted for k in content[s:s + RUN])]


def _quoted_runs(side: Side) -> frozenset[tuple[str, ...]]:
    """The lemmas of each of a side's quoted runs (:func:`_quoted_windows`)."""
    return frozenset(tuple(side.toks[k].lemma for k in window) for window in _quoted_windows(side))


def _in_runs(side: Side, runs: frozenset[tuple[str, ...]]) -> set[int]:
    """The quoted content words of ``side`` in a run that ``runs`` (the other side's quotations) holds: the
    other side quoted these words too, wherever the aligner paired them."""
    return {k for window in _quoted_windows(side) if tuple(side.toks[k].lemma for k in window) in runs
            for k in window}


def _reporting(side: Side) -> list[int]:
    """The tokens of the reporting verbs that report someone's words (:func:`reporting_beside_names`)."""
    return [i for m, *_ in reporting_beside_names(side.toks, side.markers) for i in range(m.first, m.last + 1)]


def _reported_speech(ctx: HopContext, parent_quotes: bool) -> Iterable[Finding]:
    """One side quotes, the other has no marks: a paraphrase only when it reports ("X said that ...")."""
    assert ctx.parent is not None and ctx.child is not None
    quoting, reporting = (ctx.parent, ctx.child) if parent_quotes else (ctx.child, ctx.parent)
    verbs = _reporting(reporting)
    quoted = [i for i, t in enumerate(quoting.toks) if t.quoted and t.weight > 0]
    if not verbs or len(quoted) < MIN_WORDS:
        return
    if parent_quotes:
        explanation = ("Direct quote turned into paraphrase: the parent quotes the speaker, the child reports the "
                       "words without quotation marks.")
        p_tok, c_tok = quoted, verbs
    else:
        explanation = ("Paraphrase presented as a quote: the parent reports the words without quotation marks, the "
                       "child puts them inside quotation marks as the speaker's own.")
        p_tok, c_tok = verbs, quoted
    # Reported speech that keeps the words' meaning is a way of writing (the other checks report a change
    # of meaning); words put in quotation marks that the parent only reported are presented as verbatim.
    yield finding(ctx, None, category="quote_boundary_change",
                  severity=severity_of("quote_boundary_change", reworded=parent_quotes),
                  check=CHECK, parent_tokens=p_tok, child_tokens=c_tok, explanation=explanation)


def _claim_explicitation(ctx: HopContext, bv) -> None:  # type: ignore[no-untyped-def]
    """Reported speech names who "we" are ("We will ..." -> "North Korea would ..."): part of the quote change."""
    assert ctx.parent is not None and ctx.child is not None
    for r in bv.regions:
        p_words = [i for i in range(r.p0, r.p1) if ctx.parent.toks[i].is_word]
        if r.lost_c and all(ctx.parent.toks[i].weight == 0 for i in p_words) and all(ctx.child.toks[j].name_like for j in r.lost_c):
            ctx.claimed_c.update(r.lost_c)


def _misquotes(ctx: HopContext, bv) -> Iterable[Finding]:  # type: ignore[no-untyped-def]
    """Same language: the words inside quotation marks should be the same words.

    Reported as wording: two outlets quoting one remark in their own translation
    differ this way; a change of meaning inside the quote is reported by the
    check for its kind (negation, modality, a number, a name, a dropped clause).
    """
    assert ctx.parent is not None and ctx.child is not None
    for r in bv.regions:
        p_in = [i for i in range(r.p0, r.p1) if ctx.parent.toks[i].quoted]
        c_in = [j for j in range(r.c0, r.c1) if ctx.child.toks[j].quoted]
        lost_p = [i for i in r.lost_p if ctx.parent.toks[i].quoted]
        lost_c = [j for j in r.lost_c if ctx.child.toks[j].quoted]
        if (p_in and c_in) and (lost_p or lost_c):
            yield finding(
                ctx, bv, category="quote_boundary_change",
                severity=severity_of("quote_boundary_change", reworded=True), check=CHECK,
                parent_tokens=p_in, child_tokens=c_in,
                explanation="Quoted words changed: the child's quotation differs from the parent's, "
                "yet both are presented as the speaker's exact words.",
            )
