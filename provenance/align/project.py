"""Spans found in a gloss, placed on the words of the original it glosses.

Across languages the checks compare editors' English glosses, so what they find
is a span of the gloss. A journalist reads the original, and a finding that
points at a whole sentence of it says little. An editor's gloss is literal and
keeps the structure, so the place of a word in the gloss sentence says roughly
where it sits in the original sentence; words both texts write alike pin that
down exactly:

- **anchors**: numbers, names and cognates, equal after romanising (anyascii)
  and casefolding ("Putin" / "Путин", "Zeitenwende", "nuclear" / "nucléaire" by a
  shared start of at least five letters), chosen in order (a longest increasing
  run), so a word repeated elsewhere cannot pull the map backwards;
- **by class**: a word of the gloss and a word of the original that the word
  lists put in one class (hedges "perhaps" / "forse", negations, modals of one
  kind), when the caller passes the classes: a small bilingual lexicon for the
  words the checks report most;
- **between anchors**, positions are interpolated word by word.

A span whose ends both lie within ``NEAR`` words of an anchor is placed at word
precision (``"word"``); otherwise it is ``"estimated"`` from its place in the
sentence; with no words to place it is ``"sentence"``. Offline and pure: no
dictionary is needed, though a larger one would add anchors.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache

from anyascii import anyascii

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
#: Shared leading letters that make two romanised words cognates (nuclear / nucléaire, Ukraine / Украина).
COGNATE_PREFIX = 5
#: A span end this many words from an anchor counts as placed at word precision.
NEAR = 2

Precision = str  # "word" | "estimated" | "sentence"


@lru_cache(maxsize=1 << 14)
def fold(word: str) -> str:
    """A word romanised and casefolded, the form in which gloss and original words are compared."""
    return anyascii(word).casefold()


@lru_cache(maxsize=4096)
def _words(text: str, start: int, end: int) -> tuple[tuple[int, int, str], ...]:
    """Words of ``text[start:end]``: offsets in ``text`` and the romanised, casefolded form.

    Memoised: every finding of a sentence asks for the same words.
    """
    return tuple((start + m.start(), start + m.end(), fold(m.group())) for m in _WORD.finditer(text[start:end]))


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of pairs increasing on both sides (pairs sorted by their first member)."""
    if not pairs:
        return []
    tails: list[int] = []  # index into pairs of the smallest tail of a run of each length
    prev = [-1] * len(pairs)
    for k, (_, o) in enumerate(pairs):
        lo, hi = 0, len(tails)  # the first run whose tail is not below o (strictly increasing)
        while lo < hi:
            mid = (lo + hi) // 2
            if pairs[tails[mid]][1] < o:
                lo = mid + 1
            else:
                hi = mid
        if lo > 0:
            prev[k] = tails[lo - 1]
        if lo == len(tails):
            tails.append(k)
        else:
            tails[lo] = k
    out: list[tuple[int, int]] = []
    k = tails[-1]
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    out.reverse()
    return out


def anchors(gloss_words: tuple[str, ...], original_words: tuple[str, ...],
            gloss_classes: Mapping[str, str] | None = None,
            original_classes: Mapping[str, str] | None = None) -> tuple[tuple[int, int], ...]:
    """Gloss word index -> original word index for words written alike, in order.

    Original words are indexed by their whole form and by their first
    ``COGNATE_PREFIX`` letters, so each gloss word looks up its candidates
    instead of comparing against every word of the sentence. With word classes
    (a small bilingual lexicon: "perhaps" and "forse" are both a hedge), a gloss
    word of a class is then pinned to the original word of that class nearest its
    place between the anchors already found.
    """
    found = _written_alike(gloss_words, original_words)
    if not gloss_classes or not original_classes:
        return found
    # every finding of a sentence asks again: remembered by the two sentences and the two (long-lived) tables
    key = (gloss_words, original_words, id(gloss_classes), id(original_classes))
    pinned = _BY_CLASS.get(key)
    if pinned is None:
        if len(_BY_CLASS) >= 4096:
            _BY_CLASS.clear()
        pinned = _BY_CLASS[key] = _by_class(found, gloss_words, original_words, gloss_classes, original_classes)
    return pinned


_BY_CLASS: dict[tuple[tuple[str, ...], tuple[str, ...], int, int], tuple[tuple[int, int], ...]] = {}


def _by_class(found: tuple[tuple[int, int], ...], gloss_words: tuple[str, ...], original_words: tuple[str, ...],
              gloss_classes: Mapping[str, str], original_classes: Mapping[str, str]) -> tuple[tuple[int, int], ...]:
    """``found`` plus gloss words pinned by class, each between its neighbouring anchors (so order is kept)."""
    classed = [(g, cls) for g, gw in enumerate(gloss_words) if (cls := gloss_classes.get(gw)) is not None]
    if not classed or not any(ow in original_classes for ow in original_words):
        return found
    taken_g = {g for g, _ in found}
    taken_o = {o for _, o in found}
    n_g, n_o = len(gloss_words), len(original_words)
    out = list(found)
    for g, cls in classed:
        if g in taken_g:
            continue
        lo = max((o for gg, o in out if gg < g), default=-1)
        hi = min((o for gg, o in out if gg > g), default=n_o)
        same = [o for o in range(lo + 1, hi) if o not in taken_o and original_classes.get(original_words[o]) == cls]
        if same:
            expected = g * n_o / max(1, n_g)
            o = min(same, key=lambda k: (abs(k - expected), k))
            out.append((g, o))
            out.sort()
            taken_o.add(o)
    return tuple(out)


@lru_cache(maxsize=4096)
def _written_alike(gloss_words: tuple[str, ...], original_words: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Anchors of words written alike after romanising: names, numbers, cognates, in order."""
    n_g, n_o = len(gloss_words), len(original_words)
    index: dict[str, list[int]] = {}
    for o, ow in enumerate(original_words):
        index.setdefault(ow, []).append(o)
        if len(ow) >= COGNATE_PREFIX and not ow.isdigit():
            index.setdefault("\x00" + ow[:COGNATE_PREFIX], []).append(o)
    pairs: list[tuple[int, int]] = []
    for g, gw in enumerate(gloss_words):
        found = list(index.get(gw, ())) if (len(gw) >= 2 or gw.isdigit()) else []
        if len(gw) >= COGNATE_PREFIX and not gw.isdigit():
            found += index.get("\x00" + gw[:COGNATE_PREFIX], ())
        if found:
            expected = g * n_o / max(1, n_g)
            pairs.append((g, min(found, key=lambda o: (abs(o - expected), o))))
    return tuple(_increasing(pairs))


def _interpolate(points: list[tuple[float, float]], x: float) -> float:
    """Piecewise-linear map through ``points`` (sorted, increasing in both)."""
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1] if x > points[-1][0] else points[0][1]


def project(gloss: str, gloss_sentence: tuple[int, int], span: tuple[int, int], original: str,
            original_sentence: tuple[int, int], gloss_classes: Mapping[str, str] | None = None,
            original_classes: Mapping[str, str] | None = None) -> tuple[int, int, Precision]:
    """Place ``gloss[span]`` (inside ``gloss_sentence``) on ``original`` (inside ``original_sentence``).

    Returns original character offsets and the precision of the placement. An
    empty span (where something was dropped or would go) is placed as an empty
    span at the matching point.
    """
    gw = _words(gloss, *gloss_sentence)
    ow = _words(original, *original_sentence)
    if not gw or not ow:
        return original_sentence[0], original_sentence[1], "sentence"
    a = anchors(tuple(w for _, _, w in gw), tuple(w for _, _, w in ow), gloss_classes, original_classes)
    n_g, n_o = len(gw), len(ow)
    points = [(-0.5, -0.5)] + [(float(g), float(o)) for g, o in a] + [(n_g - 0.5, n_o - 0.5)]
    starts = [s for s, _, _ in gw]
    first = bisect_right(starts, span[0] - 1)  # first gloss word starting at or after span start
    last = bisect_right(starts, max(span[0], span[1] - 1)) - 1  # last gloss word starting before span end
    if span[1] <= span[0] or last < first:
        x = first - 0.5
        o = _interpolate(points, x)
        k = min(n_o - 1, max(0, round(o + 0.5)))
        pos = ow[k][0] if o + 0.5 < n_o else ow[-1][1]
        return pos, pos, _precision(a, first, first)
    o_first = _interpolate(points, first - 0.5) + 0.5
    o_last = _interpolate(points, last + 0.5) - 0.5
    k0 = min(n_o - 1, max(0, round(o_first)))
    k1 = min(n_o - 1, max(k0, round(o_last)))
    # an anchor inside the span belongs in it
    inside = [o for g, o in a if first <= g <= last]
    if inside:
        k0, k1 = min(k0, min(inside)), max(k1, max(inside))
    return ow[k0][0], ow[k1][1], _precision(a, first, last)


def _precision(a: tuple[tuple[int, int], ...], first: int, last: int) -> Precision:
    def near(i: int) -> bool:
        return any(abs(g - i) <= NEAR for g, _ in a)

    return "word" if near(first) and near(last) else "estimated"
