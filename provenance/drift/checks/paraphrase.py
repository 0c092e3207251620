"""modality_shift in the writer's paraphrase: "Biden said Putin must not remain in power", then the exact quote.

Outlets often open with their own paraphrase of a remark and quote it exactly
further down. The quotation then matches its parent word for word, and the
writer's sentence, being narration, is not compared at all; yet it is what most
readers retain. "cannot remain in power" paraphrased as "must not remain in
power" turns an ability, or a wish, into an obligation.

A child sentence outside the quotation marks that reports someone's words (a
reporting verb beside a name) and shares at least :data:`SHARED` content words
with a sentence of the speaker's words in the parent is taken for a paraphrase
of it; a modal there that the speaker's sentence does not have at that strength
("must not" where the speaker said "cannot", a negation with no modal of its
own) is reported, as narration (minor: the writer's words, not the speaker's).
"""

from __future__ import annotations

from collections.abc import Iterable

from provenance.drift.checks._common import finding, marker_words
from provenance.drift.checks.modality import FUTURE_STRENGTH
from provenance.drift.context import HopContext, Marker, Tok, reporting_beside_names, scan_markers, sentence_numbers
from provenance.drift.registry import register
from provenance.drift.severity import severity_of
from provenance.drift.types import Finding

CHECK = "paraphrase/1"
#: Content words a paraphrase shares with the speaker's sentence it renders ("remain", "power").
SHARED = 2


def _copy(t: Tok) -> Tok:
    return Tok(t.start, t.end, t.text, t.key, t.lemma, t.is_word, t.stop, t.cap, t.initial, t.name_like, t.quoted,
               t.number)


def _modals(first: int, last: int, markers: list[Marker]) -> list[Marker]:
    return [m for m in markers if m.kind == "modal" and first <= m.first <= last and m.entry.strength != FUTURE_STRENGTH]


@register("paraphrase_modality", order=46)
def check_paraphrase(ctx: HopContext) -> Iterable[Finding]:
    assert ctx.parent is not None and ctx.child is not None
    parent, child = ctx.parent, ctx.child
    if not child.quote_spans or not any(not t.quoted for t in child.toks if t.is_word):
        return
    frames = reporting_beside_names(child.toks, child.markers)
    if not frames:
        return
    c_sent = sentence_numbers(child.toks)
    p_sent = sentence_numbers(parent.toks)
    p_words: dict[int, set[str]] = {}
    for i, t in enumerate(parent.toks):
        if t.is_word and not t.stop and parent.spoken[i]:
            p_words.setdefault(p_sent[i], set()).add(t.lemma)
    # the child's narration read again with its modals, on copies: the shared tokens keep theirs muted
    scanned: list[Marker] | None = None
    for marker, _, _, _ in frames:
        if child.toks[marker.first].quoted:
            continue  # the speaker's own "I said", not the writer reporting
        n = c_sent[marker.first]
        # the writer's words after the verb (quoted ones are the quotation checks' business)
        clause = [i for i in range(marker.last + 1, len(child.toks))
                  if c_sent[i] == n and child.toks[i].is_word and not child.toks[i].quoted]
        if not clause:
            continue
        lemmas = {child.toks[i].lemma for i in clause if not child.toks[i].stop}
        best = max(p_words, key=lambda s: len(p_words[s] & lemmas), default=None)
        if best is None or len(p_words[best] & lemmas) < SHARED:
            continue
        if scanned is None:
            scanned = scan_markers([_copy(t) for t in child.toks], child.lex)
        mine = [m for m in _modals(clause[0], clause[-1], scanned) if not child.toks[m.first].quoted]
        p_range = [i for i, s in enumerate(p_sent) if s == best]
        theirs = _modals(p_range[0], p_range[-1], parent.markers)
        if not mine or any(m.entry.strength == mine[0].entry.strength for m in theirs):
            continue
        b = mine[0]
        if b.first in ctx.claimed_c:
            continue
        ctx.claimed_c.update(range(b.first, b.last + 1))
        # the parent's modal, or its negation when it has none ("cannot"), else its sentence
        a = theirs[0] if theirs else next((m for m in parent.markers if m.kind == "negation"
                                           and p_range[0] <= m.first <= p_range[-1]), None)
        said = f'"{marker_words(parent, a)}"' if a is not None else "no such modal"
        yield finding(
            ctx, None, category="modality_shift", severity=severity_of("modality_shift", narration=True), check=CHECK,
            parent_tokens=range(a.first, a.last + 1) if a is not None else range(p_range[0], p_range[-1] + 1),
            child_tokens=range(b.first, b.last + 1),
            explanation=f'The writer\'s paraphrase says "{marker_words(child, b)}" where the speaker\'s sentence has '
            f"{said}: another modal strength, whatever the quotation itself says.",
            details={"narration": True, "child_strength": b.entry.strength,
                     **({"parent_strength": a.entry.strength} if a is not None and a.kind == "modal" else {})},
        )
