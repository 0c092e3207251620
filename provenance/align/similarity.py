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
    """sacrebleu's ``CHRF._compute_f_score`` for a match array indexed by n-gram order (index 0 unused)."""
    return _f_score_lists(matches[1:len(hyp_totals) + 1].tolist(), list(hyp_totals), list(ref_totals), beta)


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


_TAG_COLUMN = _TAG_ROW[:, None]
_TAG_SHIFT = np.uint64(61)
_ORDER_COLUMN = np.arange(1, 9, dtype=np.intp)[:, None]
#: Above this many (pair, n-gram) cells the matches are joined entry by entry instead of in one dense table.
_DENSE_LIMIT = 1 << 20
#: Whole numbers below this add up exactly in float32.
_EXACT_FLOAT32 = 1 << 24


class _Entries(NamedTuple):
    """Distinct (n-gram, owner) pairs of a parent and a child text, sorted by n-gram hash then owner.

    Owners: parent pieces ``0..n-1``, then ``n`` for the parent's n-grams that
    cross a piece boundary, child pieces ``n+1..n+m``, ``n+m+1`` for the
    child's boundary-crossing n-grams, and ``n+m+2`` for windows that reach the
    separator between the texts or the padding after them (not n-grams of
    either text). A piece owns the n-grams inside it and each text all of its
    own, so one sort serves both the piece pairs and the whole texts.
    """

    hashes: np.ndarray  # the n-gram: its order in the top 3 bits (``_TAG_SHIFT``), then its hash; owner bits zero
    owners: np.ndarray
    counts: np.ndarray
    piece_totals: list[list[int]]  # per piece and order
    text_totals: tuple[list[int], list[int]]  # per order, the parent and the child text


def _entries(parents: Sequence[str], children: Sequence[str], order: int) -> _Entries:
    n, m = len(parents), len(children)
    stripped = ["".join(p.split()) for p in [*parents, *children]]
    lengths = [len(p) for p in stripped]
    totals = [[max(0, length - k + 1) for k in range(1, order + 1)] for length in lengths]
    p_len, c_len = sum(lengths[:n]), sum(lengths[n:])
    text_totals = ([max(0, p_len - k + 1) for k in range(1, order + 1)], [max(0, c_len - k + 1) for k in range(1, order + 1)])
    if not p_len and not c_len:
        return _Entries(_EMPTY_HASHES, _EMPTY_COUNTS, _EMPTY_COUNTS, totals, text_totals)
    size = p_len + 1 + c_len  # parent text, a separator, child text; then padding
    joined = "".join(stripped[:n]) + "\x00" + "".join(stripped[n:]) + "\x00" * order
    values = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    values += np.uint64(1)
    keys = np.empty((order, size), dtype=np.uint64)  # row k: the (k+1)-gram starting at each position
    keys[0] = values[:size]
    for k in range(1, order):
        np.multiply(keys[k - 1], _MULTIPLIER, out=keys[k])
        keys[k] += values[k : size + k]
    run_length = [*lengths[:n], 1, *lengths[n:]]
    # Array methods rather than numpy's module functions: np.repeat, np.full, np.cumsum and
    # np.flatnonzero are Python wrappers, and on arrays this small their call cost is the cost.
    ends = np.fromiter(accumulate(run_length), dtype=np.intp, count=n + m + 1).repeat(run_length)
    position = np.arange(size)
    room = ends - position  # characters from here to the end of the piece
    text_room = np.empty(size, dtype=np.intp)
    text_room.fill(size)
    text_room[:p_len] = p_len
    text_room -= position  # ... and to the end of the text
    text_room[p_len] = 0
    owner = np.arange(n + m + 1, dtype=np.uint64).repeat(run_length)  # the separator's n is masked below
    bridge = np.empty(size, dtype=np.uint64)
    bridge.fill(n + m + 1)
    bridge[: p_len + 1] = n
    junk = np.uint64(n + m + 2)
    shift = np.uint64((n + m + 2).bit_length())
    orders = _ORDER_COLUMN[:order]
    owners = np.where(room >= orders, owner, np.where(text_room >= orders, bridge, junk))
    # One sortable key per window: the order tag in the top bits (so each order's n-grams are
    # contiguous), then the hash, then the owner.
    keys <<= _ORDER_BITS + shift
    keys >>= _ORDER_BITS
    keys |= owners
    keys |= _TAG_COLUMN[:order] << _TAG_SHIFT
    # Row k holds only order-(k+1) keys, below every key of row k+1 (the tag is in the top
    # bits), so sorting each row sorts the whole: six short sorts beat one long one.
    keys.sort(axis=1)
    flat = keys.ravel()
    new = np.empty(len(flat), dtype=bool)
    new[0] = True
    np.not_equal(flat[1:], flat[:-1], out=new[1:])
    starts = new.nonzero()[0]
    counts = np.empty(len(starts), dtype=np.intp)
    counts[:-1] = starts[1:] - starts[:-1]
    counts[-1] = len(flat) - starts[-1]
    distinct = flat[starts]
    owner_mask = (np.uint64(1) << shift) - np.uint64(1)
    owners = (distinct & owner_mask).astype(np.intp)
    distinct &= ~owner_mask
    return _Entries(distinct, owners, counts, totals, text_totals)


def _dense_matches(e: _Entries, n: int, m: int, order: int) -> tuple[list[list[float]], list[float]]:
    """Clipped matches per order for every (parent piece, child piece) pair, row i*m+j, and for the whole texts.

    A table of counts (owner x distinct n-gram) turns both into a minimum and a
    product with the n-grams' one-hot orders: a fixed number of array
    operations however many pieces. Callers keep every count below 2**24
    (``_EXACT_FLOAT32``), so float32 sums are exact in any order of addition.
    """
    hashes = e.hashes
    first = np.empty(len(hashes), dtype=bool)
    first[0] = True
    np.not_equal(hashes[1:], hashes[:-1], out=first[1:])
    group = first.cumsum() - 1
    size = int(group[-1]) + 1
    table = np.zeros((n + m + 3, size), dtype=np.float32)
    table[e.owners, group] = e.counts
    per_order = np.zeros((size, order), dtype=np.float32)
    per_order[group, (hashes >> _TAG_SHIFT).astype(np.intp) - 1] = 1.0
    text = (np.minimum(table[: n + 1].sum(axis=0), table[n + 1 : n + m + 2].sum(axis=0)) @ per_order).tolist()
    if not n or not m:
        return [], text
    pieces = np.minimum(table[:n, None, :], table[None, n + 1 : n + m + 1, :]).reshape(n * m, size) @ per_order
    return pieces.tolist(), text


def _text_matches_sparse(e: _Entries, n: int, m: int, order: int) -> list[float]:
    """Whole-text clipped matches per order without a dense table (many pieces): sums per (n-gram, side)."""
    real = e.owners <= n + m + 1
    hashes, owners, counts = e.hashes[real], e.owners[real], e.counts[real]
    if not len(hashes):
        return [0.0] * order
    group = hashes | (owners > n).astype(np.uint64)  # (n-gram, side) in the free owner bits, still sorted
    new = np.empty(len(group), dtype=bool)
    new[0] = True
    np.not_equal(group[1:], group[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    sums = np.add.reduceat(counts, starts)
    heads = hashes[starts]
    both = np.flatnonzero(heads[1:] == heads[:-1])  # a parent run followed by a child run of the same n-gram
    clipped = np.minimum(sums[both], sums[both + 1])
    tags = (heads[both] >> _TAG_SHIFT).astype(np.intp)
    return np.bincount(tags, weights=clipped, minlength=order + 1)[1:].tolist()


def _f_score_lists(matches: list[float], hyp_totals: list[int], ref_totals: list[int], beta: float) -> float:
    """sacrebleu's ``CHRF._compute_f_score`` (effective-order averaging), scaled to [0, 1]."""
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
            cell = (owners[pair] * m + owners[pair + d] - n) * order + (hashes[pair] >> _TAG_SHIFT).astype(np.intp) - 1
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
    cell = (p_owner[p_idx] * m + c_owner[c_idx]) * order + (p_hash[p_idx] >> _TAG_SHIFT).astype(np.intp) - 1
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
    forward, backward, _ = pairwise_and_text_chrf(parents, children, order=order, beta=beta)
    return forward, backward


def pairwise_and_text_chrf(
    parents: Sequence[str], children: Sequence[str], *, order: int = CHAR_ORDER, beta: float = BETA
) -> tuple[list[list[float]], list[list[float]], float]:
    """``pairwise_chrf`` plus the chrF of the whole child text (the pieces joined) against the whole parent text.

    The whole-text score equals ``chrf(" ".join(children), " ".join(parents))``
    and comes from the same sort of n-grams, so a hop's context score costs
    almost nothing once its sentences are aligned.
    """
    n, m = len(parents), len(children)
    e = _entries(parents, children, order)
    if not len(e.hashes):
        zeros = [[0.0] * m for _ in range(n)]
        return zeros, [row[:] for row in zeros], 0.0
    p_totals, c_totals = e.piece_totals[:n], e.piece_totals[n:]
    if max(1, n * m) * len(e.hashes) <= _DENSE_LIMIT and e.text_totals[0][0] + e.text_totals[1][0] < _EXACT_FLOAT32:
        cells, text = _dense_matches(e, n, m, order)
    else:
        text = _text_matches_sparse(e, n, m, order)
        keep = e.owners < n + m + 1
        keep &= e.owners != n
        owners = e.owners[keep]
        owners -= owners > n  # child pieces numbered n..n+m-1
        hashes, counts = e.hashes[keep], e.counts[keep]
        if n + m <= _ADJACENT_LIMIT:
            flat = _matches_adjacent(hashes, owners, counts, n, m, order)
        else:
            flat = _matches_joined(hashes, owners, counts, n, m, order)
        cells = [flat[k * order : (k + 1) * order] for k in range(n * m)]
    text_score = _f_score_lists(text, e.text_totals[1], e.text_totals[0], beta)
    forward = [[0.0] * m for _ in range(n)]
    backward = [[0.0] * m for _ in range(n)]
    for i in range(n):
        p_total = p_totals[i]
        for j in range(m):
            cell = cells[i * m + j]
            forward[i][j] = _f_score_lists(cell, c_totals[j], p_total, beta)
            backward[i][j] = _f_score_lists(cell, p_total, c_totals[j], beta)
    return forward, backward, text_score
