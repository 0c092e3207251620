"""Align a rendition with its parent: sentences into beads, tokens into kept/changed runs.

Pure: texts in, an ``Alignment`` out. Which texts are compared (the
*comparison space*):

- both pivots given: the pivots (translations of both sides into one language);
  a blank pivot for a non-blank original counts as missing;
- same language (base subtag, ``en-GB`` = ``en``): the originals, which are then
  their own pivots (pivot spans equal original spans);
- otherwise: nothing to compare, so sentences are aligned by length
  (Gale & Church) on the originals, beads carry no token ops, pivot spans are
  ``None`` and the alignment says so in ``notes``.

Offsets, for the drift checks:

- ``Bead.parent_sentences`` / ``child_sentences`` index the sentences that were
  compared: ``Alignment.parent_pivot_sentences`` (equal to
  ``parent_sentences`` for a same-language hop), or ``parent_sentences`` for a
  length-based alignment. Each is covered exactly once, in order.
- ``Bead.parent_span`` / ``child_span`` always point into the ORIGINAL texts.
  Through pivots, pivot sentence i maps to original sentence i when both sides
  of a text have as many sentences; otherwise a pivot sentence maps to the
  original sentences that overlap its proportional position (its character
  range scaled by len(original)/len(pivot)), at least one sentence, so spans
  stay sentence-aligned and inside the text.
- An empty side (1-0, 0-1 beads; delete/insert ops) gets a zero-width span
  ``(k, k)`` at the place the material was removed or would go, never ``None``,
  so a page can still point there. ``None`` means "no comparison space".
- ``TokenOp`` pivot spans are token-precise. Original spans are token-precise
  for a same-language hop, and the enclosing bead's original span via pivots.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence

from provenance.align.segment import SEGMENTER_SIGNATURE, segment, segment_cached
from provenance.align.sentences import (
    LENGTH_SIGNATURE,
    SIMILARITY_SIGNATURE,
    align_by_length,
    align_by_similarity_scored,
)
from provenance.align.similarity import CHRF_SIGNATURE, chrf
from provenance.align.tokens import TOKENIZER_SIGNATURE, Token, ops_from_tokens, token_ops, tokenize, tokenize_cached
from provenance.align.types import Alignment, Bead, Sentence, Span, TokenOp

__all__ = [
    "ALIGN_SIGNATURE",
    "CHRF_SIGNATURE",
    "Alignment",
    "Bead",
    "Sentence",
    "TokenOp",
    "align",
    "align_with_text_chrf",
    "chrf",
    "coverage",
    "coverage_of_compared",
    "length_ratio",
    "same_language",
    "segment",
    "token_ops",
    "tokenize",
]

ALIGN_SIGNATURE = f"provenance.align/1|{SEGMENTER_SIGNATURE}|{TOKENIZER_SIGNATURE}|{CHRF_SIGNATURE}"
NO_COMPARISON_NOTE = "no comparison space: length-based alignment"


def _base(language: str | None) -> str:
    return (language or "").replace("_", "-").split("-")[0].lower()


def _usable(pivot: str | None, original: str) -> bool:
    return pivot is not None and (bool(pivot.strip()) or not original.strip())


def same_language(a: str | None, b: str | None) -> bool:
    """Whether two language tags share a base subtag (and are known)."""
    base = _base(a)
    return bool(base) and base not in {"und", "mul", "zxx"} and base == _base(b)


def _bead_spans(spans: list[Span | None], default: int) -> list[Span]:
    """Fill the empty side of 1-0 / 0-1 beads with a zero-width span: after the previous bead, else before the next."""
    out: list[Span] = []
    last_end: int | None = None
    for span in spans:
        if span is not None:
            last_end = span[1]
        out.append(span if span is not None else (-1, -1) if last_end is None else (last_end, last_end))
    following = default
    for k in range(len(out) - 1, -1, -1):
        if spans[k] is not None:
            following = out[k][0]
        elif out[k][0] == -1:
            out[k] = (following, following)
    return out


def _sentence_span(sentences: Sequence[Sentence], indices: Sequence[int]) -> Span | None:
    return (sentences[indices[0]].start, sentences[indices[-1]].end) if indices else None


def _pivot_to_original(pivot: Sequence[Sentence], pivot_len: int, original: Sequence[Sentence], original_len: int) -> list[tuple[int, int]]:
    """For each pivot sentence, the range [first, last] of original sentences it stands for."""
    if not original:
        return []
    if len(pivot) == len(original):
        return [(i, i) for i in range(len(pivot))]
    scale = original_len / max(1, pivot_len)
    out = []
    for s in pivot:
        lo, hi = s.start * scale, s.end * scale
        hits = [k for k, o in enumerate(original) if o.start < hi and o.end > lo]
        if not hits:  # between sentences: take the nearest one before
            before = [k for k, o in enumerate(original) if o.start <= lo]
            hits = [before[-1] if before else 0]
        out.append((hits[0], hits[-1]))
    return out


def _original_span(mapping: list[tuple[int, int]], indices: Sequence[int], original: Sequence[Sentence]) -> Span | None:
    if not indices or not original:
        return None
    first = min(mapping[i][0] for i in indices)
    last = max(mapping[i][1] for i in indices)
    return (original[first].start, original[last].end)


def _first_start(sentences: Sequence[Sentence]) -> int:
    return sentences[0].start if sentences else 0


def _tokens_in(tokens: Sequence[Token], starts: list[int], span: Span) -> Sequence[Token]:
    lo = bisect_left(starts, span[0])
    hi = bisect_left(starts, span[1])
    return tokens[lo:hi]


def _length_alignment(
    parent_text: str, child_text: str, parent_sents: Sequence[Sentence], child_sents: Sequence[Sentence]
) -> Alignment:
    raw = align_by_length(parent_sents, child_sents)
    p_spans = _bead_spans([_sentence_span(parent_sents, p) for p, _, _ in raw], _first_start(parent_sents))
    c_spans = _bead_spans([_sentence_span(child_sents, c) for _, c, _ in raw], _first_start(child_sents))
    beads = tuple(
        Bead(
            parent_sentences=p,
            child_sentences=c,
            parent_span=p_spans[k],
            child_span=c_spans[k],
            parent_pivot_span=None,
            child_pivot_span=None,
            score=score,
        )
        for k, (p, c, score) in enumerate(raw)
    )
    return Alignment(
        beads=beads,
        method="length-gale-church",
        parent_sentences=tuple(parent_sents),
        child_sentences=tuple(child_sents),
        notes=(NO_COMPARISON_NOTE,),
        signature=f"{ALIGN_SIGNATURE}|{LENGTH_SIGNATURE}",
    )


def align(
    parent_text: str,
    child_text: str,
    *,
    parent_language: str,
    child_language: str,
    parent_pivot: str | None = None,
    child_pivot: str | None = None,
) -> Alignment:
    """Align ``child_text`` (a rendition) with ``parent_text`` (what it was made from).

    See the module docstring for which texts are compared and what the spans mean.
    """
    return align_with_text_chrf(
        parent_text, child_text, parent_language=parent_language, child_language=child_language,
        parent_pivot=parent_pivot, child_pivot=child_pivot,
    )[0]


def _stripped(text: str) -> str:
    return "".join(text.split())


def align_with_text_chrf(
    parent_text: str,
    child_text: str,
    *,
    parent_language: str,
    child_language: str,
    parent_pivot: str | None = None,
    child_pivot: str | None = None,
) -> tuple[Alignment, tuple[str, str, float | None] | None]:
    """``align``, plus ``(parent compared, child compared, chrf(child, parent))``; ``None`` when nothing was compared.

    The bead aligner sorts every character n-gram of both compared texts once;
    the whole-text chrF falls out of that sort, so a caller that stores it as
    context need not compute it again. The score is ``None`` when the texts
    were scored in blocks (long articles).
    """
    parent_sents = segment_cached(parent_text, _base(parent_language))
    child_sents = segment_cached(child_text, _base(child_language))
    via_pivot = _usable(parent_pivot, parent_text) and _usable(child_pivot, child_text)
    if not via_pivot and not same_language(parent_language, child_language):
        return _length_alignment(parent_text, child_text, parent_sents, child_sents), None

    notes: list[str] = []
    if via_pivot:
        assert parent_pivot is not None and child_pivot is not None
        p_cmp, c_cmp = parent_pivot, child_pivot
        p_cmp_sents, c_cmp_sents = segment_cached(p_cmp, ""), segment_cached(c_cmp, "")
        p_map = _pivot_to_original(p_cmp_sents, len(p_cmp), parent_sents, len(parent_text))
        c_map = _pivot_to_original(c_cmp_sents, len(c_cmp), child_sents, len(child_text))
        if len(p_cmp_sents) != len(parent_sents) or len(c_cmp_sents) != len(child_sents):
            notes.append("pivot and original sentence counts differ: original spans mapped by position")
    else:
        p_cmp, c_cmp = parent_text, child_text
        p_cmp_sents, c_cmp_sents = parent_sents, child_sents

    raw, text_score = align_by_similarity_scored(p_cmp_sents, c_cmp_sents)
    # The sentences hold every non-space character of their text, so their n-grams are the text's.
    if text_score is not None and not (
        _stripped(p_cmp) == "".join(_stripped(s.text) for s in p_cmp_sents)
        and _stripped(c_cmp) == "".join(_stripped(s.text) for s in c_cmp_sents)
    ):
        text_score = None
    p_tokens = tokenize_cached(p_cmp)
    c_tokens = tokenize_cached(c_cmp)
    p_starts = [t.start for t in p_tokens]
    c_starts = [t.start for t in c_tokens]
    p_pivot_spans = _bead_spans([_sentence_span(p_cmp_sents, p) for p, _, _ in raw], _first_start(p_cmp_sents))
    c_pivot_spans = _bead_spans([_sentence_span(c_cmp_sents, c) for _, c, _ in raw], _first_start(c_cmp_sents))
    if via_pivot:
        p_spans = _bead_spans([_original_span(p_map, p, parent_sents) for p, _, _ in raw], _first_start(parent_sents))
        c_spans = _bead_spans([_original_span(c_map, c, child_sents) for _, c, _ in raw], _first_start(child_sents))
    else:
        p_spans, c_spans = p_pivot_spans, c_pivot_spans
    beads: list[Bead] = []
    for k, (p_idx, c_idx, score) in enumerate(raw):
        p_pivot_span, c_pivot_span = p_pivot_spans[k], c_pivot_spans[k]
        p_span, c_span = p_spans[k], c_spans[k]
        runs = ops_from_tokens(
            _tokens_in(p_tokens, p_starts, p_pivot_span) if p_idx else [],
            _tokens_in(c_tokens, c_starts, c_pivot_span) if c_idx else [],
            p_cmp,
            c_cmp,
            parent_default=p_pivot_span[0],
            child_default=c_pivot_span[0],
        )
        ops = []
        for tag, (p0, p1), (c0, c1) in runs:
            if via_pivot:
                ops.append(TokenOp(tag, p_cmp[p0:p1], c_cmp[c0:c1], p_span, c_span, (p0, p1), (c0, c1)))  # type: ignore[arg-type]
            else:
                ops.append(TokenOp(tag, p_cmp[p0:p1], c_cmp[c0:c1], (p0, p1), (c0, c1), (p0, p1), (c0, c1)))  # type: ignore[arg-type]
        beads.append(Bead(p_idx, c_idx, p_span, c_span, p_pivot_span, c_pivot_span, score, tuple(ops)))
    alignment = Alignment(
        beads=tuple(beads),
        method="similarity-dp",
        parent_sentences=tuple(parent_sents),
        child_sentences=tuple(child_sents),
        parent_pivot_sentences=tuple(p_cmp_sents),
        child_pivot_sentences=tuple(c_cmp_sents),
        notes=tuple(notes),
        signature=f"{ALIGN_SIGNATURE}|{SIMILARITY_SIGNATURE}",
    )
    return alignment, (p_cmp, c_cmp, text_score)


def coverage_of_compared(alignment: Alignment, parent_compared: str) -> float:
    """``coverage``, from the tokens of the parent text the aligner compared (already tokenised) instead of each op's text.

    ``parent_compared`` must be that text (``align_with_text_chrf`` returns it):
    op pivot spans index it and start and end on its token boundaries.
    """
    if alignment.method != "similarity-dp":
        return math.nan
    tokens = tokenize_cached(parent_compared)
    starts = [t.start for t in tokens]
    kept = total = 0
    for bead in alignment.beads:
        for op in bead.ops:
            if not op.parent_text:
                continue
            span = op.parent_pivot_span
            assert span is not None
            chars = sum(t.end - t.start for t in _tokens_in(tokens, starts, span) if t.is_word)
            total += chars
            if op.op == "equal":
                kept += chars
    return kept / total if total else math.nan


def coverage(alignment: Alignment) -> float:
    """Share of the parent's word characters kept (``equal``) in the child, in the comparison space.

    Punctuation is not content and is left out. ``nan`` for a length-based
    alignment (nothing was compared) and for a parent without words: no
    evidence either way, and ``nan`` fails every threshold test.
    """
    if alignment.method != "similarity-dp":
        return math.nan
    kept = total = 0
    for bead in alignment.beads:
        for op in bead.ops:
            if not op.parent_text:
                continue
            chars = sum(t.end - t.start for t in tokenize(op.parent_text) if t.is_word)
            total += chars
            if op.op == "equal":
                kept += chars
    return kept / total if total else math.nan


def length_ratio(alignment: Alignment) -> float:
    """Child characters per parent character (whitespace excluded), in the comparison space when there is one.

    For a length-based alignment this is the cross-language ratio of the
    originals, which is context rather than evidence. ``nan`` for an empty parent.
    """
    parent = alignment.parent_pivot_sentences or alignment.parent_sentences
    child = alignment.child_pivot_sentences or alignment.child_sentences
    p_chars = sum(len("".join(s.text.split())) for s in parent)
    c_chars = sum(len("".join(s.text.split())) for s in child)
    return c_chars / p_chars if p_chars else math.nan
