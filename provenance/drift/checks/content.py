"""omission, addition, substitution: content words lost, added or replaced inside an aligned bead.

Words that only moved are not reported; words explained by an earlier check
(a number, a name, a hedge, a reporting verb) are not reported twice. Severity
follows the content weight of the change (see ``provenance.drift.severity``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from provenance.drift.checks._common import excerpt_cut, finding, opens_qualifying_clause, stretch
from provenance.drift.context import BeadView, HopContext, Region, Side, words_of
from provenance.drift.registry import register
from provenance.drift.severity import MAJOR_CONTENT_WEIGHT, MAX_SUBSTITUTION_WEIGHT, severity_of
from provenance.drift.types import SEVERITY_RANK, Finding, Severity

CHECK = "content/1"


def _classify(ctx: HopContext, bv: BeadView, r: Region) -> tuple[str | None, list[int], list[int], float, float]:
    """A local swap of a few words is a substitution; a larger change is an omission and/or an addition.

    The pieces of a larger change are paired again by :func:`_replacements` when a
    passage of about the same weight stands in the same place; otherwise "X left
    out, Y added" keeps a dropped clause (praise for a leader) from hiding in a
    "replacement" by unrelated framing words that the aligner happened to pair with it.
    A few content words replaced by about as many function words ("in a vacuum" /
    "for nothing") are a substitution too, not an omission: something stands in their place.
    """
    assert ctx.parent is not None and ctx.child is not None
    lp = [i for i in r.lost_p if i not in ctx.claimed_p]
    lc = [j for j in r.lost_c if j not in ctx.claimed_c]
    wp = _weight(ctx.parent, lp)
    wc = _weight(ctx.child, lc)
    if wp <= 0 and wc <= 0:
        return None, lp, lc, wp, wc
    small = wp <= MAX_SUBSTITUTION_WEIGHT and wc <= MAX_SUBSTITUTION_WEIGHT
    if small and (wp <= 0 or wc <= 0):
        words_p, words_c = _in_place(ctx, bv, r)
        if words_p and words_c and len(words_c) <= len(words_p) + 1 and len(words_p) <= len(words_c) + 1:
            return "substitution", lp or words_p, lc or words_c, wp, wc
    if wc <= 0:
        return "omission", lp, lc, wp, wc
    if wp <= 0:
        return "addition", lp, lc, wp, wc
    if small:
        return "substitution", lp, lc, wp, wc
    return "omission+addition", lp, lc, wp, wc


def _in_place(ctx: HopContext, bv: BeadView, r: Region) -> tuple[list[int], list[int]]:
    """The words of a region on each side that nothing else accounts for: not kept, not swapped, not reported
    by another check, and not said on the other side of the region."""
    assert ctx.parent is not None and ctx.child is not None
    kept_p = {i for i, _ in bv.pairs} | {i for _, i, _ in ctx.swaps} | ctx.claimed_p
    kept_c = {j for _, j in bv.pairs} | {j for _, _, j in ctx.swaps} | ctx.claimed_c
    words_p = [i for i in range(r.p0, r.p1) if ctx.parent.toks[i].is_word and i not in kept_p]
    words_c = [j for j in range(r.c0, r.c1) if ctx.child.toks[j].is_word and j not in kept_c]
    lem_p = {ctx.parent.toks[i].lemma for i in words_p}
    lem_c = {ctx.child.toks[j].lemma for j in words_c}
    return ([i for i in words_p if ctx.parent.toks[i].lemma not in lem_c],
            [j for j in words_c if ctx.child.toks[j].lemma not in lem_p])


def _regions(ctx: HopContext, category: str) -> Iterable[tuple[BeadView, Region, list[int], list[int], float, float]]:
    for bv in ctx.beads:
        for r in bv.regions:
            cat, lp, lc, wp, wc = _classify(ctx, bv, r)
            if cat is not None and category in cat.split("+"):
                yield bv, r, lp, lc, wp, wc


def _run(ctx: HopContext, bv: BeadView, side: str, r: Region, lost: list[int]) -> list[int]:
    """The stretch of unmatched words around the lost ones, without punctuation at its ends."""
    s = ctx.parent if side == "parent" else ctx.child
    assert s is not None
    lo, hi = (r.p0, r.p1) if side == "parent" else (r.c0, r.c1)
    run = stretch(ctx, bv, side, lo, hi, lost)
    while run and not s.toks[run[0]].is_word:
        run.pop(0)
    while run and not s.toks[run[-1]].is_word:
        run.pop()
    return run or lost


def _framing(ctx: HopContext, side: str, lost: list[int]) -> bool:
    """Only the speaker's name outside the quotation ("..., Choe Son Hui declared"): framing, not content."""
    s = ctx.parent if side == "parent" else ctx.child
    assert s is not None
    return all(s.toks[i].name_like and not s.toks[i].quoted for i in lost)


def _content_words(ctx: HopContext, side: str, idx: list[int]) -> int:
    s = ctx.parent if side == "parent" else ctx.child
    assert s is not None
    return sum(1 for i in idx if s.toks[i].weight > 0)


def _evaluates(side: Side, tokens: list[int]) -> bool:
    """Whether the words praise or blame (the word lists' ``evaluative``): "wise", "sacred", "criminal"."""
    words = side.lex.evaluative
    return any(side.toks[i].key in words or side.toks[i].lemma in words for i in tokens)


def _reworded(w_lost: float, w_other: float) -> bool:
    """A short phrase replaced in place by one of about its weight ("result at the ballot box" /
    "outcome of the vote"): a rewording, reported but not major. A clause (or more) stays major."""
    return w_other > 0 and w_lost < MAJOR_CONTENT_WEIGHT + 1 and w_other >= w_lost - 1


def _one_sided(ctx: HopContext, category: str) -> Iterable[Finding]:
    """Omission (words only the parent has) and addition (words only the child has), one mirror of the other."""
    side, other_side = ("parent", "child") if category == "omission" else ("child", "parent")
    for bv, r, tokens, other_weight in _lost_pieces(ctx, category):
        yield _one_finding(ctx, bv, r, category, side, other_side, tokens, other_weight)


def _kept_lemmas(ctx: HopContext, side: str) -> frozenset[str]:
    """The lemmas of a side's content words that the other side keeps (paired in some bead)."""
    key = "kept-lemmas:" + side
    found = ctx.cache.get(key)
    if found is None:
        text: Side = getattr(ctx, side)
        at = 0 if side == "parent" else 1
        found = frozenset(text.toks[pair[at]].lemma for bv in ctx.beads for pair in bv.pairs
                          if text.toks[pair[at]].weight > 0)
        ctx.cache[key] = found
    return found


def _pieces(side: Side, lost: list[int]) -> list[list[int]]:
    """Lost words split where a kept content word or the end of a sentence stands between them.

    Words dropped here and there by a translator ("Above all", "acknowledged",
    "largest") are separate small changes, each reported on its own words; a
    clause dropped whole stays one piece.
    """
    lost_set = set(lost)
    out: list[list[int]] = []
    for i in sorted(lost):
        if out:
            prev = out[-1][-1]
            between = side.toks[prev + 1:i]
            if not any((t.is_word and t.weight > 0) or (not t.is_word and t.text.strip() in ".!?;")
                       for k, t in enumerate(between, prev + 1) if k not in lost_set):
                out[-1].append(i)
                continue
        out.append([i])
    return out


def _severity(ctx: HopContext, category: str, side: str, run: list[int], tokens: list[int], other_weight: float, *,
              whole: bool, excerpt: bool) -> Severity:
    """How serious leaving out (or adding) ``tokens`` is, by the rule of :mod:`provenance.drift.severity`."""
    text: Side = getattr(ctx, side)
    weight = _weight(text, tokens)
    # words the side says again where the other side keeps them (an article that reports the claim in its own
    # words and then quotes it) are no content lost or added: the severity weighs the others
    said = _kept_lemmas(ctx, side)
    new_weight = sum((text.toks[i].weight for i in tokens if text.toks[i].lemma not in said), 0.0)
    # a condition dropped with the whole sentence it opens qualifies nothing the other side kept
    qualifying = opens_qualifying_clause(text, run) and not whole
    # through glosses, a passage missing from one editor's gloss is as often a cut the outlet made between
    # sentences, or the glosses' own wording, as a clause the speaker lost: wording, unless it qualifies the
    # claim (a condition, an exception) or praises or blames ("under the wise leadership of Comrade Putin")
    pivot_passage = ctx.via_pivot and not qualifying and not _evaluates(text, run)
    return severity_of(category, weight=new_weight, narration=_framing(ctx, side, tokens), excerpt=excerpt,
                       reworded=_reworded(weight, other_weight) or pivot_passage, qualifying=qualifying)


def _one_finding(ctx: HopContext, bv: BeadView, r: Region, category: str, side: str, other_side: str,
                 tokens: list[int], other_weight: float) -> Finding:
    """One omission or addition: a piece of lost words, with the words around it that went with them."""
    text: Side = getattr(ctx, side)
    weight = _weight(text, tokens)
    run = _run(ctx, bv, side, r, tokens)
    words = words_of(text, run)
    n = _content_words(ctx, side, tokens)
    whole = not getattr(bv.bead, f"{other_side}_sentences")
    framing = _framing(ctx, side, tokens)
    excerpt = _excerpted(ctx, side, tokens)
    if excerpt and category == "omission":
        head = f'Excerpt: the child quotes part of the parent and leaves out "{words}"'
        tail = ""
    elif excerpt:
        head = f'Fuller excerpt: the child also quotes "{words}"'
        tail = ", which the parent does not have (from the statement itself or another rendition?)"
    elif category == "omission":
        head = ("Sentence dropped: " if whole else "Omitted: ") + f'the child leaves out "{words}"'
        tail = ""
    else:
        head = ("Sentence added: " if whole else "Added: ") + f'the child says "{words}"'
        tail = ", which is not in the parent"
    return finding(
        ctx, bv, category=category,
        severity=_severity(ctx, category, side, run, tokens, other_weight, whole=whole, excerpt=excerpt),
        check=CHECK, parent_tokens=run if side == "parent" else (), child_tokens=run if side == "child" else (),
        explanation=head + f' ({n} content word{"s" if n != 1 else ""}){tail}'
        + (", a name outside the quotation (framing)." if framing else "."),
        details={"content_weight": weight, **({"excerpt": True} if excerpt else {})},
    )


def _excerpted(ctx: HopContext, side: str, tokens: list[int]) -> bool:
    """Whether every one of ``tokens`` is left out (or added) by excerpting (:func:`excerpt_cut`)."""
    cut = excerpt_cut(ctx, side)
    return all(i in cut for i in tokens)


def _slot(pairs: list[tuple[int, int]], piece: list[int], end: int) -> tuple[int, int]:
    """The child tokens strictly between which a parent piece would sit: after the child word kept for the last
    parent word before it, before the one kept for the first parent word after it (the text's edges otherwise).
    Across beads, so a sentence the aligner left unpaired still has its place."""
    lo, hi = -1, end
    first, last = piece[0], piece[-1]
    for i, j in pairs:
        if i < first:
            lo = j
        elif i > last:
            hi = j
            break
    return lo, hi


def _lost_pieces(ctx: HopContext, category: str) -> list[tuple[BeadView, Region, list[int], float]]:
    """The pieces the omission (or addition) check reports, each with its bead, its region and the weight the
    other side lost there."""
    side: Side = ctx.parent if category == "omission" else ctx.child  # type: ignore[assignment]
    return [(bv, r, piece, wc if category == "omission" else wp) for bv, r, lp, lc, wp, wc in _regions(ctx, category)
            for piece in _pieces(side, lp if category == "omission" else lc)]


def _replacements(ctx: HopContext) -> Iterable[Finding]:
    """A piece the parent lost and a piece the child gained at the same place: one replaced the other.

    "did not happen in a vacuum" / "ne se sont pas produites pour rien", "Take them out" / "Schmeißt sie
    raus": reported as what they are, one passage in place of another, on the words of both sides, rather
    than as a passage left out (or an "excerpt") beside a passage added. The severity is the worse of the two
    that the omission and the addition would have had, so a dropped qualifying clause or a dropped praise
    stays as serious when something else stands in its place.
    """
    assert ctx.parent is not None and ctx.child is not None
    gained = _lost_pieces(ctx, "addition")
    if not gained:
        return
    lost = _lost_pieces(ctx, "omission")
    if not lost:
        return
    pairs = sorted(pair for bv in ctx.beads for pair in bv.pairs)
    used: set[int] = set()
    for bv, r, piece, _ in lost:
        lo, hi = _slot(pairs, piece, len(ctx.child.toks))
        spoken = ctx.parent.spoken[piece[0]]
        wp = _weight(ctx.parent, piece)
        at = next((n for n, (_, _, cp, _) in enumerate(gained) if n not in used and lo < cp[0] and cp[-1] < hi
                   and ctx.child.spoken[cp[0]] == spoken and _comparable(wp, _weight(ctx.child, cp))), None)
        if at is None:
            continue
        used.add(at)
        bc, rc, cpiece, _ = gained[at]
        wc = _weight(ctx.child, cpiece)
        pt, ct = _run(ctx, bv, "parent", r, piece), _run(ctx, bc, "child", rc, cpiece)
        severity = max(
            _severity(ctx, "omission", "parent", pt, piece, wc, whole=not bv.bead.child_sentences,
                      excerpt=_excerpted(ctx, "parent", piece)),
            _severity(ctx, "addition", "child", ct, cpiece, wp, whole=not bc.bead.parent_sentences,
                      excerpt=_excerpted(ctx, "child", cpiece)),
            key=SEVERITY_RANK.__getitem__)
        pw, cw = words_of(ctx.parent, pt), words_of(ctx.child, ct)
        # each side is placed through its own bead: the two passages can sit in sentences the aligner did not pair
        on_p = finding(ctx, bv, category="substitution", severity=severity, check=CHECK, parent_tokens=pt,
                       explanation=f'Passage replaced: the parent\'s "{pw}" became "{cw}" in the same place.',
                       details={"parent_weight": wp, "child_weight": wc})
        on_c = finding(ctx, bc, category="substitution", severity=severity, check=CHECK, child_tokens=ct,
                       explanation="")
        yield replace(on_p, child_span=on_c.child_span,
                      details={**on_p.details, **{k: v for k, v in on_c.details.items() if k.startswith("child_")}})
        ctx.claimed_p.update(piece)
        ctx.claimed_c.update(cpiece)


def _weight(side: Side, tokens: list[int]) -> float:
    """The content weight of ``tokens``: from 0.0, so an empty list weighs a float, as in the compiled build."""
    return sum((side.toks[i].weight for i in tokens), 0.0)


def _comparable(a: float, b: float) -> bool:
    """Passages of about one weight, at most twice the other's: a word for a word, a clause for a clause, not a
    clause for a word."""
    return min(a, b) > 0 and max(a, b) <= 2 * min(a, b)


@register("omission", order=85)
def check_omission(ctx: HopContext) -> Iterable[Finding]:
    return _one_sided(ctx, "omission")


@register("addition", order=90)
def check_addition(ctx: HopContext) -> Iterable[Finding]:
    return _one_sided(ctx, "addition")


@register("substitution", order=80)
def check_substitution(ctx: HopContext) -> Iterable[Finding]:
    assert ctx.parent is not None and ctx.child is not None
    for bv, i, j in ctx.swaps:
        if i in ctx.claimed_p or j in ctx.claimed_c:
            continue
        pw, cw = words_of(ctx.parent, [i]), words_of(ctx.child, [j])
        yield finding(
            ctx, bv, category="substitution", severity=severity_of("substitution"), check=CHECK,
            parent_tokens=[i], child_tokens=[j],
            explanation=f'Word replaced: the parent\'s "{pw}" became "{cw}" in the same place.',
            details={"parent_weight": ctx.parent.toks[i].weight, "child_weight": ctx.child.toks[j].weight},
        )
    for bv, r, lp, lc, wp, wc in _regions(ctx, "substitution"):
        pw, cw = words_of(ctx.parent, lp), words_of(ctx.child, lc)
        yield finding(
            ctx, bv, category="substitution", severity=severity_of("substitution"), check=CHECK,
            parent_tokens=lp, child_tokens=lc,
            explanation=f'Wording replaced: the parent\'s "{pw}" became "{cw}".',
            details={"parent_weight": wp, "child_weight": wc},
        )
    yield from _replacements(ctx)
