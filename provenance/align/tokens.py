"""Tokens with offsets, comparison keys, and the token diff between two texts.

A token's *key* is what the diff compares: casefolded, NFKC, quotes and dashes
unified, numbers reduced to digits ("1,500", "1 500" and "1.500" all give
"1500"; "3,5" and "3.5" give "3.5"), and Korean particles stripped from an
eojeol so that 우리는 and 우리가 match. The token's *text* and offsets stay those
of the original, so every op can be highlighted where it was written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from provenance.align.matching import opcodes as diff_opcodes
from provenance.align.types import Span, TokenOp

TOKENIZER_SIGNATURE = "tokens|rules/1|difflib"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HIRAGANA = "\u3040-\u309f"
_KATAKANA = "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
# Order matters: grouped numbers before plain ones, single Han/hiragana characters
# (no spaces to split words on, and no dictionary here) before words; katakana
# runs (mostly loanwords and names) stay whole. Plain ``re`` is twice as fast as
# ``regex`` here, hence explicit script ranges instead of \p{Han}.
_TOKEN = re.compile(
    rf"""
    (?P<num>\d{{1,3}}(?:(?P<sep>[,.\u00a0\u202f\u2009' ])\d{{3}})(?:(?P=sep)\d{{3}})*(?!\d)(?:[.,]\d+)?
           |\d+(?:[.,]\d+)?)
    |(?P<cjk>[{_HAN}{_HIRAGANA}])
    |(?P<word>[{_KATAKANA}ー]+|[^\W_{_HAN}{_HIRAGANA}{_KATAKANA}]+(?:['’\-][^\W_{_HAN}{_HIRAGANA}{_KATAKANA}]+)*)
    |(?P<punct>[^\s\w]|_)
    """,
    re.VERBOSE,
)

_PUNCT_KEYS = str.maketrans(
    {
        "«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "‟": '"', "「": '"', "」": '"', "『": '"', "』": '"',
        "‹": "'", "›": "'", "‘": "'", "’": "'", "‚": "'",
        "–": "-", "—": "-", "‑": "-", "‒": "-", "―": "-",
        "…": "...", "。": ".", "！": "!", "？": "?", "，": ",", "、": ",", "：": ":", "；": ";",
    }
)

# Longest first, so 에서 is stripped before 서 could be considered.
_KOREAN_PARTICLES = tuple(
    sorted(
        "은 는 이 가 을 를 의 에 에서 에게 께 께서 와 과 도 로 으로 만 까지 부터 보다 처럼 하고 이나 나 이며 며 와의 과의 에서의 에는 에도 으로는 로는 들".split(),
        key=len,
        reverse=True,
    )
)


class Token(NamedTuple):
    start: int
    end: int
    text: str
    key: str
    is_word: bool  # False for punctuation: not counted as content


def _is_hangul_word(word: str) -> bool:
    return all("\uac00" <= ch <= "\ud7a3" for ch in word)


def _strip_particle(word: str) -> str:
    """Eojeol stem without a trailing particle, keeping at least two syllables of stem."""
    for particle in _KOREAN_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


@lru_cache(maxsize=1 << 12)
def _number_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    match = re.fullmatch(r"(\d{1,3})((?:[,.\u00a0\u202f\u2009' ]\d{3})+)(?:[.,](\d+))?", text)
    if match:
        digits = match.group(1) + re.sub(r"\D", "", match.group(2))
        return digits + ("." + match.group(3) if match.group(3) else "")
    return text.replace(",", ".")


@lru_cache(maxsize=1 << 16)
def _word_key(surface: str) -> str:
    """Comparison key of a word; cached because the same words recur across hops and languages."""
    key = unicodedata.normalize("NFKC", surface).casefold().replace("’", "'").replace("ё", "е")
    return _strip_particle(key) if _is_hangul_word(key) else key


@lru_cache(maxsize=1 << 12)
def _punct_key(surface: str) -> str:
    return unicodedata.normalize("NFKC", surface.translate(_PUNCT_KEYS))


def tokenize(text: str, *, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset`` (the text's position in a larger one)."""
    if offset == 0:
        return list(tokenize_cached(text))
    return [tuple.__new__(Token, (t[0] + offset, t[1] + offset, *t[2:])) for t in tokenize_cached(text)]


@lru_cache(maxsize=256)  # small: a chain reuses only its latest renditions, and each cached token or
# sentence object stays tracked by the garbage collector (4,096 texts made each full collection walk ~200,000)
def tokenize_cached(text: str) -> tuple[Token, ...]:
    """``tokenize`` memoised: in a chain every rendition is a child, then a parent."""
    offset = 0
    tokens: list[Token] = []
    append = tokens.append
    make = tuple.__new__  # NamedTuple's own constructor is a Python call; this is not
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        surface = match.group()
        kind = match.lastgroup
        if kind == "word" or kind == "cjk":
            append(make(Token, (start + offset, end + offset, surface, _word_key(surface), True)))
        elif kind == "punct":
            append(make(Token, (start + offset, end + offset, surface, _punct_key(surface), False)))
        else:  # a number (lastgroup may name its inner separator group)
            append(make(Token, (start + offset, end + offset, surface, _number_key(surface), True)))
    return tuple(tokens)


_ASCII_DIGITS = frozenset("0123456789")


def is_digit_key(key: str) -> bool:
    """Whether a token key is a number written in ASCII digits (what ``_number_key`` makes of "1,500").

    Such a key is its own lemma (simplemma leaves digits alone), and most are
    one-off: the drift checks keep them out of their per-word caches.
    """
    return key[:1] in _ASCII_DIGITS


def _anchor(tokens: Sequence[Token], index: int, default: int) -> int:
    """Zero-width position for an empty side: after the previous token, else before the next."""
    if index > 0:
        return tokens[index - 1].end
    if tokens:
        return tokens[0].start
    return default


def ops_from_tokens(
    parent_tokens: Sequence[Token],
    child_tokens: Sequence[Token],
    parent_text: str,
    child_text: str,
    *,
    parent_default: int = 0,
    child_default: int = 0,
) -> list[tuple[str, Span, Span]]:
    """Diff two token lists into (op, parent span, child span) runs, spans in the texts the tokens index.

    An empty side gets a zero-width span where the run was removed or would be
    inserted, so a page can still point at it.
    """
    parent_keys = [t.key for t in parent_tokens]
    child_keys = [t.key for t in child_tokens]
    if parent_keys == child_keys and parent_keys:  # what SequenceMatcher would say, without building it
        opcodes: Sequence[tuple[str, int, int, int, int]] = [("equal", 0, len(parent_keys), 0, len(child_keys))]
    else:
        opcodes = diff_opcodes(parent_keys, child_keys)  # difflib's SequenceMatcher, compiled
    runs: list[tuple[str, Span, Span]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if i2 > i1:
            p_span = (parent_tokens[i1].start, parent_tokens[i2 - 1].end)
        else:
            p_span = (pos := _anchor(parent_tokens, i1, parent_default), pos)
        if j2 > j1:
            c_span = (child_tokens[j1].start, child_tokens[j2 - 1].end)
        else:
            c_span = (pos := _anchor(child_tokens, j1, child_default), pos)
        runs.append((tag, p_span, c_span))
    return runs


def token_ops(
    parent: str,
    child: str,
    *,
    parent_language: str | None = None,
    child_language: str | None = None,
) -> list[TokenOp]:
    """Kept, deleted, inserted and replaced runs of tokens between two texts in one language.

    Offsets are into ``parent`` and ``child``; the pivot spans are set to the
    same values, as the texts compared are the texts given. The language
    arguments are accepted for symmetry with ``align``; tokenisation is
    script-driven and does not need them yet.
    """
    ops = []
    for tag, (p0, p1), (c0, c1) in ops_from_tokens(tokenize(parent), tokenize(child), parent, child):
        ops.append(TokenOp(tag, parent[p0:p1], child[c0:c1], (p0, p1), (c0, c1), (p0, p1), (c0, c1)))  # type: ignore[arg-type]
    return ops
