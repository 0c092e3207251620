"""Helpers the checks share: marker bags per bead, spans, and the wording of explanations."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import Any

from provenance.drift.context import (
    BeadView, HopContext, Marker, Side, Tok, has_quotation_marks, sentence_numbers, side_spans, words_of,
)
from provenance.drift.names import NameMention, find_names, same_name
from provenance.drift.severity import CONFIDENCE_ORIGINAL, CONFIDENCE_PIVOT, MAJOR_CONTENT_WEIGHT
from provenance.drift.types import Finding, Severity

PIVOT_NOTE = " (compared through {lang} glosses)"


def confidence(ctx: HopContext, base: float | None = None) -> float:
    if base is not None:
        return round(base * (0.75 if ctx.via_pivot else 1.0), 3)
    return CONFIDENCE_PIVOT if ctx.via_pivot else CONFIDENCE_ORIGINAL


def via_note(ctx: HopContext) -> str:
    return PIVOT_NOTE.format(lang=ctx.hop.pivot_language) if ctx.via_pivot else ""


def bead_markers(ctx: HopContext, bv: BeadView, kinds: set[str]) -> tuple[list[Marker], list[Marker]]:
    """Markers of ``kinds`` in this bead, minus those inside a dropped or added clause (reported as such)."""
    assert ctx.parent is not None and ctx.child is not None
    key = "markers:" + ",".join(sorted(kinds))
    sides = ctx.cache.get(key)
    if sides is None:  # per hop and kinds: the markers outside big changes, in text order
        big_p, big_c = big_change_tokens(ctx)
        cut_p, cut_c = excerpt_cut(ctx, "parent"), excerpt_cut(ctx, "child")
        # Markers inside a clause dropped or added whole, or bearing on excerpted words, are reported
        # with those words. The kept ones are paired first, or a "no" in a sentence only the child
        # quotes would take the parent's and leave the child's kept "No saben" unmatched; a kept one
        # left over may still pair with one that went with its words ("Without you" quoted from a
        # poem that says it eight times).
        p_all = once(ctx.parent, [m for m in ctx.parent.markers if m.entry.kind in kinds])
        c_all = once(ctx.child, [m for m in ctx.child.markers if m.entry.kind in kinds])
        p_clause = _clauses(ctx.parent)
        c_hedged = any(m.kind in ("hedge", "modal") for m in (*ctx.child.markers, *ctx.child.writer_hedges))
        p_kept = [m for m in p_all if _hedge_clause(ctx.parent, p_clause, m)
                  or (m.first not in big_p and not _bears_on(ctx.parent, m, cut_p))]
        # a hedge that went with the words before it, its claim kept: reported, but as a rewording's
        # (minor), since the child rewrote the passage around it
        recovered = [m for m in p_all if m not in p_kept and not c_hedged
                     and _hedged_claim_kept(ctx.parent, m, big_p | cut_p)]
        ctx.cache[key + ":recovered"] = {m.first for m in recovered}
        p_kept += recovered
        c_kept = [m for m in c_all if m.first not in big_c and not _bears_on(ctx.child, m, cut_c)]
        # A marker the other side has in another sentence moved with its clause: sentences of two
        # translations are cut and ordered differently, so only what is unmatched in the whole hop counts.
        # A child's marker that went with its words sits in words the child added (a fuller excerpt, an added
        # clause): only the same phrase there is the parent's, moved; a hedge the child adds ("perhaps, we will
        # have something in common") says nothing of the parent's "most likely" it dropped elsewhere. A
        # parent's marker that went with its words bears on words the child cut or reworded, and one of its kind
        # in the child may render it ("does not exist in any other moment" / "has never existed").
        beads_of = ctx.cache.get("bead_of")
        if beads_of is None:
            beads_of = ctx.cache["bead_of"] = ({i: k for k, b in enumerate(ctx.beads) for i in b.p},
                                               {j: k for k, b in enumerate(ctx.beads) for j in b.c})
        p_bead, c_bead = beads_of

        to_child = kept_in_child(ctx)

        def apart(a: Marker, b: Marker) -> int:
            """0 for two markers in one bead: "not" said in the sentence the other side keeps pairs there; then,
            of two in one bead, the one nearer where the words after the parent's went ("would not protect" /
            "won't protect" before "would encourage" / "would actually encourage")."""
            bead = 0 if p_bead.get(a.first, -1) == c_bead.get(b.first, -2) else 1
            for k in range(1, 5):
                landed = to_child.get(a.last + k)
                if landed is not None:
                    return bead * 100_000 + min(abs(landed - k - b.last), 99_999)
            return bead * 100_000

        left_p, left_c = unmatched(p_kept, c_kept, near=apart)
        left_p = unmatched(left_p, [m for m in c_all if m not in c_kept], _same_phrase)[0]
        left_c = unmatched([m for m in p_all if m not in p_kept], left_c)[1]
        sides = (left_p, left_c)
        ctx.cache[key] = sides
    p_range, c_range = bv.p, bv.c
    return [m for m in sides[0] if m.first in p_range], [m for m in sides[1] if m.first in c_range]


def kept_in_child(ctx: HopContext) -> dict[int, int]:
    """Parent token -> the child token it was kept as, over every bead (read once per hop)."""
    found = ctx.cache.get("kept-in-child")
    if found is None:
        found = ctx.cache["kept-in-child"] = {pi: ci for bv in ctx.beads for pi, ci in bv.pairs}
    return found


def recovered_hedges(ctx: HopContext, kinds: set[str]) -> set[int]:
    """First tokens of the parent's hedges that :func:`bead_markers` took back from a cut passage because the
    child keeps their claim (reported as a rewording's)."""
    return ctx.cache.get("markers:" + ",".join(sorted(kinds)) + ":recovered", set())


def once(side: Side, markers: list[Marker]) -> list[Marker]:
    """Markers of a quotation the text repeats counted once: an article quotes "the jungle could invade the
    garden" in its lead and again in the passage it comes from; the second "could" adds nothing.

    A marker repeats when the same phrase is followed by the same three words (what comes before differs:
    the lead opens the quotation where the passage runs on), or stands between the same two content words
    ("like the world has never seen" and, said again, "the likes of which this world has never seen
    before"). A negation repeats whatever its word: a headline's "not seen for 100 years" and the body's
    "haven't seen for 100 years" say it once, as a translation saying "not" twice does."""
    if len(markers) < 2:
        return markers
    toks = side.toks
    words = [i for i, t in enumerate(toks) if t.is_word]
    at = {i: k for k, i in enumerate(words)}
    content = [i for i in words if toks[i].weight > 0]
    seen: set[tuple[str, ...]] = set()
    out = []
    for m in markers:
        k1 = at.get(m.last)
        keys = []
        if k1 is not None and k1 + 3 < len(words):
            keys.append((_repeat_key(m), *(toks[words[k]].lemma for k in (k1 + 1, k1 + 2, k1 + 3))))
        k = bisect_left(content, m.first)
        after = k + (k < len(content) and content[k] <= m.last)
        if 0 < k and after < len(content):
            keys.append((_repeat_key(m), "\x00", toks[content[k - 1]].lemma, toks[content[after]].lemma))
        if not keys:
            out.append(m)
            continue
        if not any(key in seen for key in keys):
            out.append(m)
        seen.update(keys)
    return out


def _repeat_key(m: Marker) -> str:
    """What a repeated marker must share: its phrase ("said" is not "warned"), or for a negation only that it
    negates (every negation word says "not")."""
    return m.entry.kind if m.entry.kind == "negation" else m.entry.name


def _hedge_clause(side: Side, clause: list[int], m: Marker) -> bool:
    """A hedge that is a clause of its own ("I may be wrong, but …", "if I am not mistaken,"): cut with its
    clause, the cut drops the caution itself, which is the hedge's own change and not an excerpt. ``clause``:
    the side's clause numbers (``_clauses``)."""
    if m.kind != "hedge" or m.last == m.first:
        return False
    n = clause[m.first]
    return not any(t.is_word and not t.stop and not (m.first <= i <= m.last) and clause[i] == n
                   for i, t in enumerate(side.toks))


def _hedged_claim_kept(side: Side, m: Marker, gone: set[int] | frozenset[int]) -> bool:
    """A hedge cut with the words before it whose claim the other side keeps: "... a brutal war. Perhaps
    NATO's barking induced him to react" -> "NATO's barking led him to invade" loses the run from "war"
    to "Perhaps" in one piece, yet the claim stays and only its caution went. The claim is the nearest
    content words after the hedge in its clause; kept when the first of them was not cut. (Used only when
    the other side hedges nothing, nor says "may": "facilitata forse da …" keeps one of two merged hedges.)"""
    if m.kind != "hedge":
        return False
    toks = side.toks
    for i in range(m.last + 1, min(len(toks), m.last + 12)):
        t = toks[i]
        if not t.is_word:
            if ends_clause(t) and t.text.strip()[:1] not in _QUOTE_MARKS:  # "Perhaps “NATO's barking” …"
                return False
        elif t.weight > 0:
            return i not in gone
    return False


_QUOTE_MARKS = frozenset("«»“”„\"")


def _bears_on(side: Side, m: Marker, cut: frozenset[int]) -> bool:
    """Whether the words a marker bears on were excerpted away: "puede" in "y qué niveles de abuso puede
    llegar a generar" cut from the quote goes with its verb, and says nothing about what was kept.

    The words it bears on are the nearest content words after it in its clause (before it, when
    none follow: verb-final clauses).
    """
    if not cut or m.kind == "reporting":  # a reporting verb bears on the whole quotation, not on a clause
        return False
    for step in (1, -1):
        for i in clause_words(side.toks, m, step, 4):
            if side.toks[i].weight > 0:
                return i in cut
    return False


#: Marker kinds whose members say one thing at one strength: "not" and "never" both negate, "puede" and
#: "pueden" (listed apart, one found by its surface and one by its lemma "poder") are one modal.
INTERCHANGEABLE_KINDS = frozenset({"negation", "hedge", "booster", "modal", "quantifier"})


def same_marker(a: Marker, b: Marker) -> bool:
    """The same word-list phrase, or two of an interchangeable kind at the same strength."""
    if a.entry.name == b.entry.name:
        return True
    return a.kind == b.kind and a.kind in INTERCHANGEABLE_KINDS and a.entry.strength == b.entry.strength


def _same_phrase(a: Marker, b: Marker) -> bool:
    return a.entry.name == b.entry.name


def unmatched(
    p: list[Marker], c: list[Marker], same: Callable[[Marker, Marker], bool] = same_marker,
    near: Callable[[Marker, Marker], int] | None = None,
) -> tuple[list[Marker], list[Marker]]:
    """Bag difference: markers of each side with no equal marker on the other.

    The same phrase pairs first, then ``same``'s looser equals: "should" must find the other side's "should"
    before an interchangeable "able to" takes it, or the "should" left over reads as added. ``near``, when
    given, pairs equal phrases nearest first over both bags (then in text order); without it, each marker
    takes the first equal phrase left.
    """
    left_c = list(c)
    left_p: list[Marker] = []
    if near is not None:
        # the nearest pairs first, over the whole bag: a parent's first "would" must not take the child's only
        # one when the parent's second sits where the child's does
        ranked = sorted((near(m, o), i, k) for i, m in enumerate(p) for k, o in enumerate(c)
                        if o.entry.name == m.entry.name)
        used_p: set[int] = set()
        used_c: set[int] = set()
        for _, i, k in ranked:
            if i not in used_p and k not in used_c:
                used_p.add(i)
                used_c.add(k)
        left_p = [m for i, m in enumerate(p) if i not in used_p]
        left_c = [o for k, o in enumerate(c) if k not in used_c]
    else:
        for m in p:  # in text order: the first equal phrase left
            hit = next((k for k, o in enumerate(left_c) if o.entry.name == m.entry.name), None)
            if hit is None:
                left_p.append(m)
            else:
                left_c.pop(hit)
    if same is _same_phrase:
        return left_p, left_c
    still: list[Marker] = []
    for m in left_p:
        hit = next((k for k, o in enumerate(left_c) if same(m, o)), None)
        if hit is None:
            still.append(m)
        else:
            left_c.pop(hit)
    return still, left_c


def big_change_tokens(ctx: HopContext) -> tuple[set[int], set[int]]:
    """Tokens inside clauses dropped or added whole (content weight >= the major threshold)."""
    cached = ctx.cache.get("big_change")
    if cached is not None:
        return cached
    assert ctx.parent is not None and ctx.child is not None
    big_p: set[int] = set(excerpt_cut(ctx, whole_clauses=True))
    big_c: set[int] = set(excerpt_cut(ctx, "child", whole_clauses=True))
    for bv in ctx.beads:
        for r in bv.regions:
            wp = sum(ctx.parent.toks[i].weight for i in r.lost_p)
            wc = sum(ctx.child.toks[j].weight for j in r.lost_c)
            if wp >= MAJOR_CONTENT_WEIGHT:
                big_p.update(stretch(ctx, bv, "parent", r.p0, r.p1, r.lost_p))
            if wc >= MAJOR_CONTENT_WEIGHT:
                big_c.update(stretch(ctx, bv, "child", r.c0, r.c1, r.lost_c))
    ctx.cache["big_change"] = (big_p, big_c)
    return big_p, big_c


#: Punctuation that ends a clause: a cut there leaves the kept clauses whole, and a negation's reach stops there.
CLAUSE_END_MARKS = frozenset(",;:.!?—–-()[]«»“”„\"")


def ends_clause(tok: Tok) -> bool:
    """A punctuation token that ends a clause."""
    text = tok.text.strip()
    return not tok.is_word and bool(text) and text[0] in CLAUSE_END_MARKS


def clause_words(toks: list[Tok], m: Marker, step: int, reach: int) -> list[int]:
    """The words beside a marker, going out one way (``step`` 1: after it; -1: before it), at most ``reach``
    of them and not past its clause's end: what a marker can bear on."""
    out: list[int] = []
    i = m.last + 1 if step > 0 else m.first - 1
    while 0 <= i < len(toks) and len(out) < reach:
        t = toks[i]
        if not t.is_word:
            if ends_clause(t):
                break
        else:
            out.append(i)
        i += step
    return out


_ELLIPSES = ("...", "…")  # also inside brackets: (…), […], [...]


def _kept_pairs(ctx: HopContext) -> list[tuple[int, int]]:
    """Parent token -> child token pairs of the speaker's words kept by the child, in parent order."""
    assert ctx.parent is not None and ctx.child is not None
    p, c = ctx.parent, ctx.child

    def speech(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return sorted((i, j) for i, j in pairs
                      if p.toks[i].weight > 0 and p.spoken[i] and c.spoken[j])

    # Words said in another sentence count only when no sentence pair keeps any: a headline that
    # quotes three words of a long statement.
    kept = speech([pc for bv in ctx.beads for pc in bv.pairs]) or speech(ctx.moved)
    return _nearest_occurrences(c, _nearest_occurrences(p, kept, 0), 1)


def _nearest_occurrences(mine: Side, pairs: list[tuple[int, int]], at: int) -> list[tuple[int, int]]:
    """Kept pairs whose word recurs on one side (``at``: 0 the parent, 1 the child), moved to the
    occurrence among the other kept words.

    The word diff pairs a repeated word with its first occurrence: "Russia" in "to
    protect Russia" kept by the child was paired with the "Russia" of an opening
    clause the child never quotes, and the excerpt then seemed to start there.
    Each such pair takes the occurrence nearest to the word kept beside it in the
    other side's order.
    """
    where: dict[str, list[int]] = {}
    for i, t in enumerate(mine.toks):
        if t.weight > 0 and mine.spoken[i]:
            where.setdefault(t.lemma, []).append(i)
    if all(len(where.get(mine.toks[pc[at]].lemma, ())) < 2 for pc in pairs):
        return pairs
    other = 1 - at
    by_other = sorted(pairs, key=lambda pc: pc[other])
    used = {pc[at] for pc in pairs}
    out = []
    for k, pc in enumerate(by_other):
        i = pc[at]
        alts = [a for a in where.get(mine.toks[i].lemma, ()) if a == i or a not in used]
        neighbours = [by_other[n][at] for n in (k - 1, k + 1) if 0 <= n < len(by_other)]
        if len(alts) > 1 and neighbours:
            best = min(alts, key=lambda a: (min(abs(a - n) for n in neighbours), a != i))
            if best != i:
                used.discard(i)
                used.add(best)
                i = best
        out.append((i, pc[other]) if at == 0 else (pc[other], i))
    return sorted(out)


#: A kept word that crosses at least this many other kept words moved into another clause.
MOVED_ACROSS = 3


def _core(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``pairs`` (sorted by the first index) without the ones at either end that moved far.

    A word the other side reused in another clause ("socialismo" in a sentence
    only the child quotes) is kept, but it does not show where the quoted stretch
    begins or ends. A pair at an end that crosses :data:`MOVED_ACROSS` or more of
    the other kept pairs is such a word; a local swap ("in Moscow ... hryvnias" /
    "hryvnia ... in Moscow") crosses one or two and stays.
    """
    lo, hi = 0, len(pairs)
    while hi - lo > 1 and sum(1 for _, j in pairs[lo + 1:hi] if j < pairs[lo][1]) >= MOVED_ACROSS:
        lo += 1
    while hi - lo > 1 and sum(1 for _, j in pairs[lo:hi - 1] if j > pairs[hi - 1][1]) >= MOVED_ACROSS:
        hi -= 1
    return pairs[lo:hi]


def _quote_of(side: Side, i: int) -> int:
    """Which quotation of ``side`` token ``i`` sits in (-1: none)."""
    start = side.toks[i].start
    return next((k for k, (a, b) in enumerate(side.quote_spans) if a <= start < b), -1)


def _name_word(t: Any) -> bool:
    return bool(t.name_like)


def side_names(ctx: HopContext, side: str) -> list[NameMention]:
    """The names in one side's comparison text (found once per hop: the entity check reads them too)."""
    key = f"names:{side}"
    found = ctx.cache.get(key)
    if found is None:
        s = ctx.parent if side == "parent" else ctx.child
        assert s is not None
        # a name inside an interjection ("For God's sake") calls on no one the claim is about
        found = ctx.cache[key] = [n for n in find_names(s.cmp, tokens=s.toks, is_name_word=_name_word)
                                  if not any(e.kind == "interjection" for i in s.token_range((n.start, n.end))
                                             for e in s.toks[i].markers)]
    return found


def _naming_sentences(ctx: HopContext, sentence: list[int], kept: set[int]) -> set[int]:
    """Sentences of the parent whose cut words name someone or something the child names nowhere."""
    assert ctx.parent is not None
    mine = ctx.parent
    theirs = side_names(ctx, "child")
    out: set[int] = set()
    for n in side_names(ctx, "parent"):
        if any(same_name(n, o) for o in theirs):
            continue
        out.update(sentence[i] for i in mine.token_range((n.start, n.end)) if i not in kept)
    return out


def _clauses(side: Side) -> list[int]:
    """Clause number of every token: clauses are separated by punctuation."""
    out, n = [], 0
    for t in side.toks:
        if ends_clause(t):
            n += 1
        out.append(n)
    return out


def excerpt_cut(ctx: HopContext, side: str = "parent", *, whole_clauses: bool = False) -> frozenset[int]:
    """Parent tokens the child leaves out by excerpting: the speaker's words before or after all it
    quotes, or in the middle where the child marks the cut with an ellipsis.

    Real outlets quote a fragment of a longer statement all the time ("the nuclear
    button is always on my desk" out of a paragraph, "the greatest geopolitical
    catastrophe" inside the writer's sentence); the rest being absent is not a
    change to the words quoted, so the omission is reported as an excerpt. A cut
    of a splice with no ellipsis is not an excerpt, nor is a cut inside a sentence
    that keeps other words of it ("Under the wise leadership of Comrade Putin,
    the army will win" -> "The army will win" drops the object of praise),
    unless the child openly quotes a fragment inside its own sentence (it has
    quotation marks and narration), whose narration says the rest in its own
    words, and the cut names no one the child leaves unnamed (the Soviet Union
    cut from "the collapse of the Soviet Union was the greatest catastrophe" is
    named in the narration as the USSR; Comrade Putin cut from the praise is
    named nowhere).

    ``whole_clauses`` keeps only the cut words whose clause lost every word: a
    negation, hedge or condition cut from a clause that keeps other words ("I do
    not think that X" -> "X") may govern what was kept, so the other checks
    still report it.

    ``side="child"`` is the mirror: clauses of the speaker's words the child
    quotes before or after all it shares with the parent, a fuller excerpt of
    the same statement (taken from the statement itself or another rendition),
    and the child's words where the parent's sentence has an ellipsis, or
    between two pieces the parent quotes apart when the child quotes them (or
    is a transcript in the speaker's first person).
    On either side, a quotation of its own that the other side does not quote
    at all ("... “maldito y cancerígeno” que “invita a la muerte”") is excerpted
    whole.
    """
    key = f"excerpt_cut:{side}:{whole_clauses}"
    cached = ctx.cache.get(key)
    if cached is None:
        _excerpt_cuts(ctx, side)
        cached = ctx.cache[key]
    return cached


def _excerpt_cuts(ctx: HopContext, side: str) -> None:
    """Both readings of :func:`excerpt_cut` for one side, in one pass, into the hop's cache."""
    assert ctx.parent is not None and ctx.child is not None
    mine, other = (ctx.parent, ctx.child) if side == "parent" else (ctx.child, ctx.parent)
    kept_pairs = ctx.cache.get("kept_pairs")
    if kept_pairs is None:
        kept_pairs = ctx.cache["kept_pairs"] = _kept_pairs(ctx)
    pairs = sorted(pc if side == "parent" else (pc[1], pc[0]) for pc in kept_pairs)
    cut: set[int] = set()
    whole: set[int] = set()
    if pairs:
        clause = _clauses(mine)
        kept_clauses = {clause[i] for i, _ in pairs}
        sentence = sentence_numbers(mine.toks)
        kept = {p for p, _ in pairs}
        # A sentence is quoted when a fair share of its words is kept, not when one common word is.
        share: dict[int, list[int]] = {}
        for i, t in enumerate(mine.toks):
            if t.weight > 0:
                share.setdefault(sentence[i], [0, 0])[i in kept] += 1
        kept_sentences = {n for n, (lost, got) in share.items() if got >= 3 or got * 3 >= lost + got}
        pairs = [pc for pc in pairs if sentence[pc[0]] in kept_sentences] or pairs
        # The child quotes inside its own sentence: quotation marks, or a reporting frame (a text that
        # only speaks in the first person throughout is all speech, and no fragment).
        fragment = other is ctx.child and bool(other.speech) and (
            has_quotation_marks(other.cmp) or other.speech != [(0, len(other.cmp))])
        quote = [_quote_of(mine, i) for i in range(len(mine.toks))] if mine.quote_spans else None
        kept_quotes = {quote[i] for i in kept} if quote is not None else set()
        naming = _naming_sentences(ctx, sentence, kept) if fragment else set()
        # the child's own quotation, or a text in the speaker's first person throughout (a transcript)
        speaks_as_quoted = has_quotation_marks(mine.cmp) or mine.quote_spans == [(0, len(mine.cmp))]
        core = _core(pairs)
        first, last = core[0][0], core[-1][0]
        order = [i for i, _ in pairs]
        edges = _edge_clauses(mine, sentence, first, last, cuts=side == "parent",
                              whole=(fragment and sentence[first] not in naming, fragment and sentence[last] not in naming))
        for i, t in enumerate(mine.toks):
            if not t.is_word or i in kept or not mine.spoken[i]:
                continue
            if quote is not None and quote[i] >= 0 and quote[i] not in kept_quotes:
                cut.add(i)  # a quotation of its own that the other side does not quote at all
                whole.add(i)
                continue
            if i < first or i > last:
                if sentence[i] not in kept_sentences or i in edges:
                    cut.add(i)
                    if clause[i] not in kept_clauses:
                        whole.add(i)
                continue
            if side == "parent" and sentence[i] in kept_sentences and i not in edges:
                continue
            # The child's words where the parent's sentence has an ellipsis are the speaker's, a fuller excerpt:
            # "The rest of the world… is not exactly a garden" cut "– and you know it very well, Federica –".
            at = bisect_left(order, i)  # i is not kept: pairs[at] is the first kept pair after it
            before = pairs[at - 1] if at > 0 else None
            after = pairs[at] if at < len(pairs) else None
            if before is not None and after is not None:
                # An ellipsis marks the cut, and so does closing the quotation and opening another
                # ("..., he said. '...'"): the writer presents two pieces, not one sentence.
                gap = other.cmp[other.toks[before[1]].end:other.toks[after[1]].start]
                if (any(e in gap for e in _ELLIPSES) and (side == "parent" or _one_sentence(gap))) or (
                        (side == "parent" or (t.quoted and speaks_as_quoted))
                        and _quote_of(other, before[1]) != _quote_of(other, after[1])):
                    cut.add(i)
                    if clause[i] not in kept_clauses:
                        whole.add(i)
    ctx.cache[f"excerpt_cut:{side}:False"] = frozenset(cut)
    ctx.cache[f"excerpt_cut:{side}:True"] = frozenset(whole)


def _one_sentence(gap: str) -> bool:
    """No sentence ends in ``gap`` but at an ellipsis: the parent's "world… is" marks a cut in one sentence,
    "world… is not a garden. Most of the" is two sentences apart."""
    for e in _ELLIPSES:
        gap = gap.replace(e, " ")
    return not any(ch in gap for ch in ".!?")


#: Markers that make a cut clause more than an excerpt: what it negates, hedges or praises went with it.
_TELLING_KINDS = frozenset({"negation", "hedge", "intensifier", "softener"})


def _edge_clauses(side: Side, sentence: list[int], first: int, last: int, *, cuts: bool,
                  whole: tuple[bool, bool]) -> set[int]:
    """Words of the first and last kept sentences, before or after all that is kept, left out by excerpting.

    A long sentence is often quoted from one of its clauses on ("To those who ...,
    I want to remind you that our country also has various means of destruction,
    and ... more modern than those of Nato countries and | when the territorial
    integrity of our country is threatened, ... we will use all the means"): the
    clauses cut before or after the kept ones are excerpted, whatever they name.
    They end at a boundary: clause punctuation, or a coordinator that opens a
    clause (one followed by a subordinator or the speaker's first person: "and
    when", "and we"). Where ``whole`` says so (before, after: the child openly
    quotes a fragment inside its own sentence, and that sentence's cut names no
    one the child leaves unnamed), the whole stretch before or after the kept
    words is excerpted: the child's own sentence says the rest.

    Otherwise, not an excerpt: a cut opened by a subordinator or a complementizer
    ("If attacked, | we will strike" drops the condition; "we will strike, |
    unless ..." the exception), or a cut prefix that ends in one ("I do not
    believe that | ..."), since those govern what was kept; nor, on the parent's side (``cuts``), a cut phrase joined to the
    kept clause without a coordinator that carries a negation, a hedge or an
    evaluative word ("Under the wise leadership of Comrade Putin, | the army will
    win" drops the object of praise). A cut without a boundary ("victory | in
    their sacred struggle") qualifies the words kept and is no edge clause.
    """
    toks, lex = side.toks, side.lex
    words = [k for k, t in enumerate(toks) if t.is_word]
    links = lex.subordinators | lex.complementizers

    def boundary(k: int) -> bool:
        t = toks[k]
        if not t.is_word:
            return ends_clause(t)
        if t.key not in lex.coordinators:
            return False
        nxt = next((toks[j] for j in words if j > k), None)
        return nxt is not None and (nxt.key in links or nxt.key in lex.first_person)

    def excerpted(edge: list[int], opener: int, joint: int) -> bool:
        """``opener``: the cut's first word; ``joint``: its word next to the kept ones."""
        if toks[opener].key in links:
            return False
        if toks[joint].key in lex.coordinators:
            return True  # a clause of its own
        return toks[joint].key not in links and not (
            cuts and any(e.kind in _TELLING_KINDS for k in edge for e in toks[k].markers))

    out: set[int] = set()
    start = first
    while start > 0 and sentence[start - 1] == sentence[first]:
        start -= 1
    ends = [first - 1] if whole[0] else [k for k in range(first - 1, start - 1, -1) if boundary(k)]
    for b in ends:
        edge = [k for k in range(start, b + 1) if toks[k].is_word]
        if edge and (whole[0] or excerpted(edge, edge[0], edge[-1])):
            out.update(edge)
            break
    end = last
    while end + 1 < len(toks) and sentence[end + 1] == sentence[last]:
        end += 1
    begins = [last + 1] if whole[1] else [k for k in range(last + 1, end + 1) if boundary(k)]
    for b in begins:
        edge = [k for k in range(b, end + 1) if toks[k].is_word]
        opener = next((k for k in edge if toks[k].key not in lex.coordinators), None)
        if edge and (whole[1] or excerpted(edge, edge[0] if opener is None else opener, edge[0])):
            out.update(edge)
            break
    return out


_STRETCH_KINDS = frozenset({"intensifier", "softener"})


def stretch(ctx: HopContext, bv: BeadView, side: str, lo: int, hi: int, lost: list[int]) -> list[int]:
    """The unmatched words around the lost ones: "under the wise leadership of Comrade Putin", whole.

    It grows over function words and evaluative words ("wise"), and stops at
    punctuation and at markers that other checks report (a hedge, a negation,
    "no doubt"), so a dropped clause does not swallow them.
    """
    if not lost:
        return []
    s = ctx.parent if side == "parent" else ctx.child
    assert s is not None
    kept = {p for p, _ in bv.pairs} if side == "parent" else {c for _, c in bv.pairs}

    def grows(i: int) -> bool:
        t = s.toks[i]
        if i in kept or not t.is_word:
            return False
        return all(e.kind in _STRETCH_KINDS for e in t.markers)

    first, last = min(lost), max(lost)
    while first - 1 >= lo and grows(first - 1):
        first -= 1
    while last + 1 < hi and grows(last + 1):
        last += 1
    return list(range(first, last + 1))


def anchor_in(ctx: HopContext, bv: BeadView, side: str, index: int) -> int:
    """Where, on the other side, a token of ``side`` would sit: just after the last kept word before it."""
    assert ctx.parent is not None and ctx.child is not None
    other = ctx.child if side == "parent" else ctx.parent
    best: int | None = None
    for pi, ci in bv.pairs:
        mine, theirs = (pi, ci) if side == "parent" else (ci, pi)
        if mine < index:
            best = theirs
    if best is not None:
        return other.toks[best].end
    rng = bv.c if side == "parent" else bv.p
    if len(rng):
        return other.toks[rng.start].start
    span = bv.bead.child_pivot_span if side == "parent" else bv.bead.parent_pivot_span
    return span[0] if span else 0


def finding(
    ctx: HopContext,
    bv: BeadView | None,
    *,
    category: str,
    severity: Severity,
    check: str,
    explanation: str,
    parent_tokens: Iterable[int] = (),
    child_tokens: Iterable[int] = (),
    conf: float | None = None,
    details: dict[str, Any] | None = None,
) -> Finding:
    """A finding located by token indices on each side (an empty side is anchored where the change sits)."""
    p_idx = sorted(parent_tokens)
    c_idx = sorted(child_tokens)
    bead = bv.bead if bv is not None else None
    det: dict[str, Any] = {"comparison": ctx.comparison}
    if p_idx:
        p_span, p_det = side_spans(ctx, "parent", p_idx[0], p_idx[-1], bead)
    else:
        anchor = anchor_in(ctx, bv, "child", c_idx[0]) if bv is not None and c_idx else None
        p_span, p_det = side_spans(ctx, "parent", None, None, bead, anchor)
    if c_idx:
        c_span, c_det = side_spans(ctx, "child", c_idx[0], c_idx[-1], bead)
    else:
        anchor = anchor_in(ctx, bv, "parent", p_idx[0]) if bv is not None and p_idx else None
        c_span, c_det = side_spans(ctx, "child", None, None, bead, anchor)
    det.update(p_det)
    det.update(c_det)
    if details:
        det.update(details)
    return Finding(category, severity, p_span, c_span, explanation + via_note(ctx), conf if conf is not None else confidence(ctx), check, det)


def marker_words(side: Side, m: Marker) -> str:
    return words_of(side, range(m.first, m.last + 1))


def marker_tokens(ms: Iterable[Marker]) -> list[int]:
    return [i for m in ms for i in range(m.first, m.last + 1)]


def opens_qualifying_clause(side: Side, run: list[int]) -> bool:
    """Do these words open with a subordinator ("if they attack", "and unless ..."): a condition,
    concession, exception or cause, which changes what the rest of the statement says?"""
    lex = side.lex
    words = [i for i in run if side.toks[i].is_word and side.toks[i].key not in lex.coordinators]
    if not words or side.toks[words[0]].key not in lex.subordinators:
        return False
    # "until now", "since then": a time, not a clause
    return " ".join(side.toks[i].key for i in words[:2]) not in lex.time_phrases
