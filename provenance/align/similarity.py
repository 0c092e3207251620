"""Character n-gram F-score (chrF), with sacrebleu's semantics but fast enough per hop.

sacrebleu's ``CHRF().sentence_score`` builds a Counter per order and loops in
Python over every n-gram (about 200 us for a 40-word pair); the bead aligner
scores several sentence groups per hop. Here each text is hashed once: every
character n-gram (whitespace removed, n = 1..6) becomes a 64-bit polynomial
hash tagged with its order, in numpy arrays that any run of sentences can be
sliced from. A group's *profile* is its sorted distinct hashes with counts, and
the clipped match count sum(min(count_hyp, count_ref)) per order is a
``searchsorted`` away. Scores equal sacrebleu's (tests compare them); a hash
collision is the only way to differ: 64-bit hashes for single profiles,
(61 - log2 sentences)-bit hashes in ``pairwise_chrf`` (about 1e-9 chance per
hop of a few thousand n-grams).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from typing import NamedTuple

import numpy as np

CHAR_ORDER = 6
BETA = 2.0

#: Names the metric and its parameters in sacrebleu's signature style, so a stored
#: score can be reproduced with ``sacrebleu.metrics.CHRF()`` (char_order=6, word_order=0, beta=2).
CHRF_SIGNATURE = "chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|impl:provenance.align.similarity/1"

_MULTIPLIER = np.uint64(1_000_003)
_ORDER_BITS = np.uint64(3)
_ORDER_TAGS = [np.uint64(n) for n in range(8)]
_ORDER_MASK = np.uint64(7)
_SENTINEL = 0x110001  # above every code point (+1)
_TAG_ROW = np.arange(1, 9, dtype=np.uint64)  # order n is tagged n in the hash's low bits
_EMPTY_HASHES = np.empty(0, np.uint64)
_EMPTY_COUNTS = np.empty(0, np.intp)


class Profile(NamedTuple):
    """The n-grams of one text or sentence group: counts per order, distinct hashes, their counts."""

    totals: tuple[int, ...]
    hashes: np.ndarray
    counts: np.ndarray


class NgramIndex:
    """All n-gram hashes of a sequence of pieces (sentences), so a run of pieces is profiled by slicing.

    sacrebleu removes whitespace before extracting n-grams, so the n-grams of
    " ".join(pieces[i:j]) are those of the whitespace-free concatenation, a
    contiguous run of this index.
    """

    __slots__ = ("_bounds", "_hashes")

    def __init__(self, pieces: Sequence[str], order: int = CHAR_ORDER) -> None:
        stripped = ["".join(p.split()) for p in pieces]
        self._bounds = [0, *accumulate(map(len, stripped))]
        values = np.frombuffer("".join(stripped).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        values += np.uint64(1)
        hashes = []
        rolling = values
        for n in range(1, order + 1):
            if n > 1:
                rolling = rolling[:-1] * _MULTIPLIER + values[n - 1 :]
            hashes.append((rolling << _ORDER_BITS) | _ORDER_TAGS[n])
        self._hashes = hashes

    def profile(self, first: int = 0, stop: int | None = None) -> Profile:
        """Profile of pieces ``first`` to ``stop - 1`` joined (all pieces by default)."""
        a = self._bounds[first]
        b = self._bounds[len(self._bounds) - 1 if stop is None else stop]
        parts = [h[a : max(a, b - n)] for n, h in enumerate(self._hashes)]
        totals = tuple(len(p) for p in parts)
        if not totals[0]:
            return Profile(totals, _EMPTY_HASHES, _EMPTY_COUNTS)
        flat = np.concatenate(parts)
        flat.sort()
        first_of_run = np.empty(len(flat), dtype=bool)
        first_of_run[0] = True
        np.not_equal(flat[1:], flat[:-1], out=first_of_run[1:])
        starts = np.flatnonzero(first_of_run)
        counts = np.empty(len(starts), dtype=np.intp)
        counts[:-1] = starts[1:] - starts[:-1]
        counts[-1] = len(flat) - starts[-1]
        return Profile(totals, flat[starts], counts)


def profile(text: str, order: int = CHAR_ORDER) -> Profile:
    """Profile of a whole text."""
    return NgramIndex((text,), order).profile()


def _matches(hyp: Profile, ref: Profile, order: int) -> np.ndarray:
    small, large = (hyp, ref) if len(hyp.hashes) <= len(ref.hashes) else (ref, hyp)
    if not len(small.hashes) or not len(large.hashes):
        return np.zeros(order + 1)
    where = np.searchsorted(large.hashes, small.hashes)
    where[where == len(large.hashes)] = 0
    hit = large.hashes[where] == small.hashes
    clipped = np.minimum(small.counts[hit], large.counts[where[hit]])
    return np.bincount((small.hashes[hit] & _ORDER_MASK).astype(np.intp), weights=clipped, minlength=order + 1)


def _f_score(hyp_totals: tuple[int, ...], ref_totals: tuple[int, ...], matches: np.ndarray, beta: float) -> float:
    """sacrebleu's ``CHRF._compute_f_score`` (effective-order averaging), scaled to [0, 1]."""
    factor = beta * beta
    avg_prec = avg_rec = 0.0
    effective = 0
    for n, (n_hyp, n_ref) in enumerate(zip(hyp_totals, ref_totals), start=1):
        if n_hyp > 0 and n_ref > 0:
            match = float(matches[n])
            avg_prec += match / n_hyp
            avg_rec += match / n_ref
            effective += 1
    if not effective:
        return 0.0
    avg_prec /= effective
    avg_rec /= effective
    if avg_prec + avg_rec == 0.0:
        return 0.0
    return (1 + factor) * avg_prec * avg_rec / (factor * avg_prec + avg_rec)


def chrf_profiles(hyp: Profile, ref: Profile, beta: float = BETA) -> float:
    """chrF of two profiles, hypothesis first: lets an aligner reuse each sentence's n-grams."""
    return _f_score(hyp.totals, ref.totals, _matches(hyp, ref, len(hyp.totals)), beta)


def chrf_both(a: Profile, b: Profile, beta: float = BETA) -> tuple[float, float]:
    """chrF(a as hypothesis, b as reference) and the reverse, from one intersection."""
    matches = _matches(a, b, len(a.totals))
    return _f_score(a.totals, b.totals, matches, beta), _f_score(b.totals, a.totals, matches, beta)


def chrf(a: str, b: str, *, beta: float = BETA) -> float:
    """chrF in [0, 1] of hypothesis ``a`` against reference ``b``: sacrebleu's ``CHRF().sentence_score(a, [b]) / 100``.

    With beta=2 recall weighs more than precision: a child that keeps all of the
    parent's wording and adds to it scores higher than one that drops wording.
    """
    return chrf_profiles(profile(a), profile(b), beta)


def _power_matrix(order: int) -> np.ndarray:
    """Column n-1 holds the weights that turn a window of ``order`` characters into its n-gram's hash."""
    out = np.zeros((order, order), dtype=np.uint64)
    for n in range(1, order + 1):
        weight = 1
        for k in range(n - 1, -1, -1):
            out[k, n - 1] = weight
            weight = weight * int(_MULTIPLIER) % (1 << 64)  # the same wrap-around as uint64 arithmetic
    return out


_POWERS = {CHAR_ORDER: _power_matrix(CHAR_ORDER)}


def _piece_ngrams(pieces: Sequence[str], order: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[list[int]]]:
    """Distinct (n-gram, piece) pairs sorted by n-gram hash, with counts; and n-gram totals per piece and order.

    Pieces are joined with a different sentinel after each (values above
    Unicode), so an n-gram that crosses a boundary is unique and never
    matches; totals come from the piece lengths, so such n-grams do not count
    either. Returns (hashes, pieces, counts, totals).
    """
    stripped = ["".join(p.split()) for p in pieces]
    lengths = [len(p) for p in stripped]
    totals = [[max(0, length - n + 1) for n in range(1, order + 1)] for length in lengths]
    if not any(lengths):
        return _EMPTY_HASHES, _EMPTY_COUNTS, _EMPTY_COUNTS, totals
    text = "\x00".join(stripped) + "\x00" * order
    joined = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    joined += np.uint64(1)
    ends = np.cumsum([length + 1 for length in lengths]) - 1
    joined[ends[:-1]] = np.arange(_SENTINEL, _SENTINEL + len(ends) - 1, dtype=np.uint64)
    size = len(joined) - order
    powers = _POWERS.get(order)
    if powers is None:
        powers = _POWERS[order] = _power_matrix(order)
    windows = np.ndarray(shape=(size, order), dtype=np.uint64, buffer=joined, strides=(8, 8))  # sliding, no copy
    # One sortable key per occurrence: hash in the high bits, then the order tag, then the piece number.
    shift = np.uint64(max(1, len(lengths).bit_length()))
    owner = np.repeat(np.arange(len(lengths), dtype=np.uint64), [length + 1 for length in lengths])[:size]
    keys = ((windows @ powers) << (_ORDER_BITS + shift)) | (_TAG_ROW[:order] << shift) | owner[:, None]
    keys = np.sort(keys, axis=None)
    new = np.empty(len(keys), dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts = np.empty(len(starts), dtype=np.intp)
    counts[:-1] = starts[1:] - starts[:-1]
    counts[-1] = len(keys) - starts[-1]
    distinct = keys[starts]
    return distinct >> shift, (distinct & ((np.uint64(1) << shift) - np.uint64(1))).astype(np.intp), counts, totals


def _f_score_lists(matches: list[float], hyp_totals: list[int], ref_totals: list[int], beta: float) -> float:
    factor = beta * beta
    avg_prec = avg_rec = 0.0
    effective = 0
    for match, n_hyp, n_ref in zip(matches, hyp_totals, ref_totals):
        if n_hyp > 0 and n_ref > 0:
            avg_prec += match / n_hyp
            avg_rec += match / n_ref
            effective += 1
    if not effective:
        return 0.0
    avg_prec /= effective
    avg_rec /= effective
    if avg_prec + avg_rec == 0.0:
        return 0.0
    return (1 + factor) * avg_prec * avg_rec / (factor * avg_prec + avg_rec)


_ADJACENT_LIMIT = 8


def _matches_adjacent(
    hashes: np.ndarray, owners: np.ndarray, counts: np.ndarray, n: int, m: int, order: int
) -> list[float]:
    """Clipped matches per (parent, child, order) cell, for a few sentences.

    Entries are sorted by (hash, piece), so the entries of one n-gram are
    adjacent with parents first: pairing each entry with the one d places on,
    for d = 1, 2, ... until no n-gram has that many entries, finds every
    parent-child pair without a binary search.
    """
    out = np.zeros(n * m * order)
    is_parent = owners < n
    for d in range(1, n + m):
        same = hashes[:-d] == hashes[d:]
        if not same.any():
            break
        pair = np.flatnonzero(same & is_parent[:-d] & ~is_parent[d:])
        if len(pair):
            clipped = np.minimum(counts[pair], counts[pair + d])
            cell = (owners[pair] * m + owners[pair + d] - n) * order + (hashes[pair] & _ORDER_MASK).astype(np.intp) - 1
            out += np.bincount(cell, weights=clipped, minlength=n * m * order)
    return out.tolist()


def _matches_joined(
    hashes: np.ndarray, owners: np.ndarray, counts: np.ndarray, n: int, m: int, order: int
) -> list[float]:
    """Clipped matches per (parent, child, order) cell by a sort-merge join, for many sentences."""
    from_parent = owners < n
    p_hash, p_owner, p_count = hashes[from_parent], owners[from_parent], counts[from_parent]
    from_child = ~from_parent
    c_hash, c_owner, c_count = hashes[from_child], owners[from_child] - n, counts[from_child]
    lo = np.searchsorted(c_hash, p_hash, side="left")
    hi = np.searchsorted(c_hash, p_hash, side="right")
    span = hi - lo
    total = int(span.sum())
    if not total:
        return [0.0] * (n * m * order)
    p_idx = np.repeat(np.arange(len(p_hash)), span)
    c_idx = np.arange(total) - np.repeat(np.cumsum(span) - span, span) + np.repeat(lo, span)
    clipped = np.minimum(p_count[p_idx], c_count[c_idx])
    cell = (p_owner[p_idx] * m + c_owner[c_idx]) * order + (p_hash[p_idx] & _ORDER_MASK).astype(np.intp) - 1
    return np.bincount(cell, weights=clipped, minlength=n * m * order).tolist()


def pairwise_chrf(
    parents: Sequence[str], children: Sequence[str], *, order: int = CHAR_ORDER, beta: float = BETA
) -> tuple[list[list[float]], list[list[float]]]:
    """chrF of every child piece against every parent piece, in one pass.

    Returns (forward, backward), both indexed [parent][child]: forward is the
    child as hypothesis (sacrebleu's ``sentence_score(child, [parent])``),
    backward the reverse. One join of all n-grams replaces n x m separate
    comparisons, which is what keeps the bead aligner within its time budget.
    """
    n, m = len(parents), len(children)
    if not n or not m:
        return [[0.0] * m for _ in range(n)], [[0.0] * m for _ in range(n)]
    hashes, owners, counts, totals = _piece_ngrams([*parents, *children], order)
    p_totals, c_totals = totals[:n], totals[n:]
    if n + m <= _ADJACENT_LIMIT:
        matches = _matches_adjacent(hashes, owners, counts, n, m, order)
    else:
        matches = _matches_joined(hashes, owners, counts, n, m, order)
    forward = [[0.0] * m for _ in range(n)]
    backward = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            cell_matches = matches[(i * m + j) * order : (i * m + j + 1) * order]
            forward[i][j] = _f_score_lists(cell_matches, c_totals[j], p_totals[i], beta)
            backward[i][j] = _f_score_lists(cell_matches, p_totals[i], c_totals[j], beta)
    return forward, backward
