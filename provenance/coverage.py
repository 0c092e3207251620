"""How much of a pasted query a recorded text holds: trace's calibrated score.

A fuzzy ratio says how alike two strings look, and any two news sentences look
somewhat alike (0.45-0.60 for sentences that share nothing but their
grammar), so it cannot say "not found". This score counts what a journalist
would check by eye: the share of the query's content words, names and numbers
that the text holds, in the query's order. Function words ("the", "que",
"и") and modal verbs ("will") do not count, a word matches another form of itself (same first five
letters: "threatened" / "threatens"), and a number only itself.

One rule turns the score into a label, documented here and in the README:

- ``match`` at :data:`MATCH` or more: the text holds nearly every content word
  of the query, in order (a fragment of it, or the same words lightly edited);
- ``possible match`` from :data:`POSSIBLE` (two thirds of :data:`MATCH`):
  much of the query is there, as in a paraphrase or another translation;
- below, no label: the text is not shown as a result; nor is a text that
  holds a single content word of a longer query ("victory").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import LCSseq

from provenance.drift.lexicon import base_language, lexicon

MATCH = 0.75
POSSIBLE = round(MATCH * 2 / 3, 3)
#: The fewest content words of the query a result must hold.
MIN_HELD = 2
#: Letters two word forms must share at their start to count as one word ("victory" / "victorious" do not).
STEM = 5
_WORD = re.compile(r"\w+(?:['’]\w+)?", re.UNICODE)


@dataclass(frozen=True)
class Coverage:
    """What of the query a text holds: the score, and the query's content words found and missing."""

    score: float
    found: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def label(self) -> str | None:
        """:func:`label_of` the score, when the text holds at least :data:`MIN_HELD` of the query's content
        words (all of them when it has fewer): one shared word ("victory") is no evidence of a match."""
        if len(self.found) < min(MIN_HELD, len(self.found) + len(self.missing)):
            return None
        return label_of(self.score)


def label_of(score: float) -> str | None:
    if score >= MATCH:
        return "match"
    if score >= POSSIBLE:
        return "possible match"
    return None


def content_words(text: str, language: str | None) -> list[str]:
    """The words that carry the text's content, lower-cased, in order: not the language's function words.

    A query made only of function words ("we are") keeps all its words.
    """
    stop = _function_words(base_language(language) or "en")
    words = [w.replace("’", "'") for w in _WORD.findall(text.casefold())]
    kept = [w for w in words if w not in stop and (len(w) > 1 or w.isdigit())]
    return kept or words


@lru_cache(maxsize=64)
def _function_words(language: str) -> frozenset[str]:
    """The drift word lists' function words, and their one-word modal verbs ("will", "can", "muss")."""
    lex = lexicon(language)
    modals = {e.words[0] for entries in lex.entries.values() for e in entries if e.kind == "modal" and len(e.words) == 1}
    return lex.stopwords | modals


def _key(word: str) -> str:
    """What two forms of one word share: its first :data:`STEM` letters ("threatened", "threatens"); a
    shorter word is itself, and a number only itself (marked so no word's first letters equal it)."""
    if word.isdigit():
        return "#" + word
    return word[:STEM] if len(word) >= STEM else word


#: Recorded texts up to this long have their keys remembered (:func:`text_keys`).
CACHED_CHARS = 2_000


def _keys(text: str, language: str | None) -> tuple[str, ...]:
    return tuple(_key(w) for w in content_words(text, language))


@lru_cache(maxsize=8_192)
def text_keys(text: str, language: str | None) -> tuple[str, ...]:
    """A recorded text's content-word keys, remembered: a text is immutable once recorded, and the
    renditions of a quote that is in the news come back as candidates of trace after trace. Only texts of
    at most :data:`CACHED_CHARS` characters are kept (a few tens of megabytes at most)."""
    return _keys(text, language)


@dataclass(frozen=True)
class Query:
    """A query's content words in one language, and their keys, prepared once for many texts."""

    words: tuple[str, ...]
    keys: tuple[str, ...]

    @classmethod
    def of(cls, query: str, language: str | None) -> Query:
        words = content_words(query, language)
        return cls(tuple(words), tuple(_key(w) for w in words))

    def held_by(self, text: str, language: str | None) -> Coverage:
        """The share of the query's content words that ``text`` holds in order (longest common subsequence
        of their keys, rapidfuzz's, in C: a trace weighs dozens of candidate texts)."""
        if not self.words:
            return Coverage(0.0, (), ())
        keys = text_keys(text, language) if len(text) <= CACHED_CHARS else _keys(text, language)
        dropped = {op.src_pos for op in LCSseq.editops(self.keys, keys) if op.tag == "delete"}
        found = tuple(w for i, w in enumerate(self.words) if i not in dropped)
        missing = tuple(w for i, w in enumerate(self.words) if i in dropped)
        return Coverage(round(len(found) / len(self.words), 4), found, missing)


def coverage(query: str, text: str, language: str | None = None) -> Coverage:
    """The share of ``query``'s content words that ``text`` holds in order (longest common subsequence)."""
    return Query.of(query, language).held_by(text, language)
