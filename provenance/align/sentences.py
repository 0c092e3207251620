"""Sentence (bead) alignment: by similarity when the texts share a language, by length when not.

Both aligners return beads as (parent indices, child indices, score) in order,
covering every sentence of each side exactly once; ``align()`` turns them into
``Bead`` values with offsets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import regex

from provenance.align.similarity import NgramIndex, chrf_both, pairwise_and_text_chrf, pairwise_chrf
from provenance.align.types import Sentence

RawBead = tuple[tuple[int, ...], tuple[int, ...], float]

# (parent sentences, child sentences) a bead may take.
BEAD_SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))

#: Below this similarity a 1-1 pair costs more than dropping one sentence and adding the other.
SKIP_THRESHOLD = 0.3
#: Extra cost per character of a 2-1 or 1-2 bead, so merges are chosen only when they pay.
MERGE_PENALTY = 0.1
#: A sentence must be at least this contained (chrF) in the other side's sentence for a merge to be tried.
MERGE_RECALL = 0.35
#: Diagonal half-width of the DP band beyond the length difference (matters for long texts only).
BAND = 12

#: Orphans rejoined: a run of unpaired sentences on both sides becomes one bead when they share at least
#: this many distinct words (of four letters or more), and this share of the smaller side's words.
REJOIN_WORDS = 3
REJOIN_SHARE = 0.25

SIMILARITY_SIGNATURE = (
    f"similarity-dp|chrF2 symmetric|skip:{SKIP_THRESHOLD}|merge:{MERGE_PENALTY}|merge-recall:{MERGE_RECALL}|band:{BAND}"
    f"|rejoin:{REJOIN_WORDS}/{REJOIN_SHARE}"
)


def _weight(text: str) -> int:
    return len(text) - text.count(" ")


def align_by_similarity(parent: Sequence[Sentence], child: Sequence[Sentence]) -> list[RawBead]:
    """Minimum-cost beads (see ``align_by_similarity_scored``)."""
    return align_by_similarity_scored(parent, child)[0]


def align_by_similarity_scored(parent: Sequence[Sentence], child: Sequence[Sentence]) -> tuple[list[RawBead], float | None]:
    """Minimum-cost beads where a bead's cost is its unmatched share of characters.

    A 1-1 or merged bead costs (1 - s) x its characters, s being the mean of
    chrF in both directions (recall-weighted chrF alone would let a long
    sentence "match" a short one it contains); a skipped sentence costs
    (1 - SKIP_THRESHOLD) x its characters; a merge adds MERGE_PENALTY x its
    characters. The reported score of a bead is chrF with the child as
    hypothesis and the parent as reference.

    All 1-1 scores come from one ``pairwise_chrf`` call (blocks along the
    diagonal for long texts). A 2-1 (1-2) bead is
    scored exactly, from the joined sentences, only when each of its two
    sentences is at least MERGE_RECALL contained in the third (chrF towards
    the side that should contain it): merges are rare and scoring every
    candidate would double the cost of a hop.

    Also returns the chrF of all child sentences against all parent sentences
    (whitespace-free, so that of the texts they were cut from) when the
    pairwise scores came from one call, else ``None``.
    """
    n, m = len(parent), len(child)
    if n == 0 or m == 0:
        return [((i,), (), 0.0) for i in range(n)] + [((), (j,), 0.0) for j in range(m)], None
    band = BAND + abs(n - m)
    forward, backward, text_score = _banded_chrf(parent, child, band)
    if n == 1 and m == 1:
        return [((0,), (0,), forward[0][0])], text_score

    p_weight = [_weight(s.text) for s in parent]
    c_weight = [_weight(s.text) for s in child]
    indexes: dict[str, NgramIndex] = {}

    def merged(i0: int, i1: int, j0: int, j1: int) -> tuple[float, float] | None:
        """(symmetric, forward) chrF of a 2-1 or 1-2 bead, or None when pruned."""
        if i1 - i0 == 2:
            if forward[i0][j0] < MERGE_RECALL or forward[i0 + 1][j0] < MERGE_RECALL:
                return None
        elif backward[i0][j0] < MERGE_RECALL or backward[i0][j0 + 1] < MERGE_RECALL:
            return None
        if not indexes:
            indexes["p"] = NgramIndex([s.text for s in parent])
            indexes["c"] = NgramIndex([s.text for s in child])
        fwd, bwd = chrf_both(indexes["c"].profile(j0, j1), indexes["p"].profile(i0, i1))
        return (fwd + bwd) / 2, fwd

    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    skip = 1 - SKIP_THRESHOLD
    # The shapes of BEAD_SHAPES, unrolled in their order (ties keep the first); weights are whole
    # numbers, so sums of single weights equal the slice sums.
    for i in range(n + 1):
        lo, hi = _band_range(i, n, m, band)
        row = cost[i]
        up = cost[i - 1] if i >= 1 else None
        up2 = cost[i - 2] if i >= 2 else None
        pw = p_weight[i - 1] if i >= 1 else 0
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, None
            cw = c_weight[j - 1] if j >= 1 else 0
            if up is not None and j >= 1 and up[j - 1] != inf:  # 1-1
                score = forward[i - 1][j - 1]
                total = up[j - 1] + (1 - (score + backward[i - 1][j - 1]) / 2) * (pw + cw)
                if total < best:
                    best, arg = total, (i - 1, j - 1, score)
            if up is not None and up[j] != inf:  # 1-0
                total = up[j] + skip * pw
                if total < best:
                    best, arg = total, (i - 1, j, 0.0)
            if j >= 1 and row[j - 1] != inf:  # 0-1
                total = row[j - 1] + skip * cw
                if total < best:
                    best, arg = total, (i, j - 1, 0.0)
            if up2 is not None and j >= 1 and up2[j - 1] != inf:  # 2-1
                scored = merged(i - 2, i, j - 1, j)
                if scored is not None:
                    total = up2[j - 1] + (1 - scored[0] + MERGE_PENALTY) * (p_weight[i - 2] + pw + cw)
                    if total < best:
                        best, arg = total, (i - 2, j - 1, scored[1])
            if up is not None and j >= 2 and up[j - 2] != inf:  # 1-2
                scored = merged(i - 1, i, j - 2, j)
                if scored is not None:
                    total = up[j - 2] + (1 - scored[0] + MERGE_PENALTY) * (pw + c_weight[j - 2] + cw)
                    if total < best:
                        best, arg = total, (i - 1, j - 2, scored[1])
            row[j] = best
            back[i][j] = arg
    return rejoin_orphans(_trace(back, n, m), parent, child), text_score


_LONG_WORD = regex.compile(r"\w{4,}")


def _long_words(sentences: Sequence[Sentence], indices: Sequence[int]) -> set[str]:
    return {w.casefold() for k in indices for w in _LONG_WORD.findall(sentences[k].text)}


def rejoin_orphans(beads: list[RawBead], parent: Sequence[Sentence], child: Sequence[Sentence]) -> list[RawBead]:
    """A run of unpaired sentences on both sides that plainly say the same things becomes one bead.

    Independent translations cut a statement into sentences differently, and their
    glosses share words more than character n-grams: "[you] must know clearly that it
    is a reality, not a threat, that the nuclear button is always placed on the desk
    of my office" against "Kim warned that he has a nuclear button on his desk. 'The
    U.S. must realize this is not blackmail, but reality.'" scores too low for any
    1-1, 2-1 or 1-2 bead, so the DP drops the one and adds the two, and every word
    is then reported as a sentence dropped or added. Orphans that share several
    words (names, "nuclear", "button", "desk", "reality") are one passage said
    twice: comparing them word by word finds what changed inside it.
    """
    out: list[RawBead] = []
    k = 0
    while k < len(beads):
        end = k
        while end < len(beads) and not (beads[end][0] and beads[end][1]):
            end += 1
        run = beads[k:end]
        p_idx = tuple(i for b in run for i in b[0])
        c_idx = tuple(j for b in run for j in b[1])
        if p_idx and c_idx:
            p_words, c_words = _long_words(parent, p_idx), _long_words(child, c_idx)
            shared = len(p_words & c_words)
            if shared >= REJOIN_WORDS and shared >= REJOIN_SHARE * min(len(p_words), len(c_words)):
                fwd, _ = chrf_both(NgramIndex([child[j].text for j in c_idx]).profile(),
                                   NgramIndex([parent[i].text for i in p_idx]).profile())
                out.append((p_idx, c_idx, fwd))
                run = []
        out.extend(run)
        if end < len(beads):
            out.append(beads[end])
        k = end + 1
    return out


def _band_range(i: int, n: int, m: int, band: int) -> tuple[int, int]:
    """Child positions j (inclusive) the DP visits for parent position i."""
    centre = i * m / n
    return max(0, int(centre - band)), min(m, int(centre + band) + 1)


_BLOCK = 16


def _banded_chrf(
    parent: Sequence[Sentence], child: Sequence[Sentence], band: int
) -> tuple[list[list[float]], list[list[float]], float | None]:
    """chrF for the 1-1 pairs the DP can visit: one call for short texts, blocks along the diagonal for long ones.

    Pairs outside the band score 0 (the DP never reads them); for a long
    article this keeps the cost linear instead of quadratic. The third value
    is the whole-text chrF when one call covered everything, else ``None``.
    """
    n, m = len(parent), len(child)
    p_texts, c_texts = [s.text for s in parent], [s.text for s in child]
    if n * m <= 4 * _BLOCK * _BLOCK:
        return pairwise_and_text_chrf(p_texts, c_texts)
    forward = [[0.0] * m for _ in range(n)]
    backward = [[0.0] * m for _ in range(n)]
    for i0 in range(0, n, _BLOCK):
        i1 = min(n, i0 + _BLOCK)
        j0 = _band_range(i0, n, m, band + 1)[0]
        j1 = min(m, _band_range(i1, n, m, band + 1)[1] + 1)
        fwd, bwd = pairwise_chrf(p_texts[i0:i1], c_texts[j0:j1])
        for di, (f_row, b_row) in enumerate(zip(fwd, bwd)):
            forward[i0 + di][j0:j1] = f_row
            backward[i0 + di][j0:j1] = b_row
    return forward, backward, None


def _trace(back: list[list[tuple[int, int, float] | None]], n: int, m: int) -> list[RawBead]:
    beads: list[RawBead] = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None, "DP band left the end unreachable"
        pi, pj, score = step
        beads.append((tuple(range(pi, i)), tuple(range(pj, j)), score))
        i, j = pi, pj
    beads.reverse()
    return beads


# Gale & Church (1993): bead priors and the variance of the length ratio.
_GC_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2}
_GC_VARIANCE = 6.8

LENGTH_SIGNATURE = "length-gale-church|c:ratio of totals|s2:6.8|priors:GC1993"


def _two_tailed(delta: float) -> float:
    """P(|Z| >= |delta|) for a standard normal Z."""
    return math.erfc(abs(delta) / math.sqrt(2))


def align_by_length(parent: Sequence[Sentence], child: Sequence[Sentence]) -> list[RawBead]:
    """Gale & Church length alignment; the expected length ratio is taken from the two texts.

    Languages differ widely in characters per meaning (Korean needs about half
    the characters of English), so the ratio c is the ratio of the totals
    rather than GC's 1. A bead's score is the two-tailed probability of its
    length mismatch, a plausibility rather than a similarity.
    """
    n, m = len(parent), len(child)
    if n == 0 or m == 0:
        return [((i,), (), 0.0) for i in range(n)] + [((), (j,), 0.0) for j in range(m)]
    p_len = [max(1, _weight(s.text)) for s in parent]
    c_len = [max(1, _weight(s.text)) for s in child]
    ratio = sum(c_len) / sum(p_len)
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    band = BAND + abs(n - m)
    for i in range(n + 1):
        lo, hi = _band_range(i, n, m, band)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, None
            for (di, dj), prior in _GC_PRIORS.items():
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or cost[pi][pj] == inf:
                    continue
                lp, lc = sum(p_len[pi:i]), sum(c_len[pj:j])
                if lp and lc:
                    mean = (lp + lc / ratio) / 2
                    delta = (lc - lp * ratio) / math.sqrt(mean * _GC_VARIANCE)
                    match = _two_tailed(delta)
                else:
                    match = 1.0  # a lone sentence: only its prior speaks
                total = cost[pi][pj] - math.log(prior) - math.log(max(match, 1e-300))
                if total < best:
                    best, arg = total, (pi, pj, match if lp and lc else 0.0)
            cost[i][j] = best
            back[i][j] = arg
    return _trace(back, n, m)
