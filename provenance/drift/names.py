"""Names compared across scripts: Choe Son Hui, Чвэ Сон Хи, Цой Сон Хи and 최선희 are one person.

Two layers. An alias table in data (``wordlists/entities.yaml``) covers the names
that no transliteration brings together (Korean names in the Russian Kontsevich
system, exonyms such as Moscou / Moskau, North vs South Korea). Any other
capitalised name is romanised with anyascii, reduced to a rough phonetic key
(kh/h, ts/c, y/i, ...) and compared word by word with rapidfuzz, so Lavrov and
Lawrow agree while Lavrov and Shoigu do not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex
from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from provenance.align import tokenize
from provenance.align.tokens import is_digit_key
from provenance.drift.lexicon import WORDLIST_DIR
from provenance.drift.wordlist_yaml import load_yaml

_CYRILLIC_ENDINGS = "аяыийьое"
_CONNECTORS = frozenset({"de", "del", "la", "le", "du", "des", "von", "van", "der", "al", "bin", "da", "di", "y"})
_PHONETIC = [
    ("tsch", "c"), ("sch", "s"), ("tch", "c"), ("kh", "h"), ("zh", "z"), ("sh", "s"), ("ch", "c"), ("ts", "c"),
    ("tz", "c"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("y", "i"), ("j", "i"), ("q", "k"), ("x", "ks"), ("ou", "u"),
    ("ee", "i"), ("oe", "o"),
]
TOKEN_THRESHOLD = 75.0
_VOWELS = frozenset("aeiou")


@dataclass(slots=True, init=False, unsafe_hash=True)
class NameMention:
    """A name found in a text. Not frozen: a hand-written ``__init__`` compiles, a frozen one cannot be written."""

    start: int
    end: int
    text: str
    entity: str | None  # alias-table id when known
    kind: str  # person / place / organisation / name
    key: tuple[str, ...]  # phonetic key words, for names outside the table

    def __init__(self, start: int, end: int, text: str, entity: str | None, kind: str, key: tuple[str, ...]) -> None:
        self.start, self.end, self.text, self.entity, self.kind, self.key = start, end, text, entity, kind, key


@dataclass(slots=True)
class AliasTable:
    index: dict[str, list[tuple[tuple[str, ...], str, str, bool]]]  # first 2 letters -> (token keys, id, kind, exact case)
    stems: list[tuple[str, str, str]]  # (stem, id, kind), longest first
    stands_for: dict[str, str]  # metonym id -> the entity it stands for (moscow -> russia)
    qualifiers: frozenset[str] = frozenset()  # phonetic keys of "south", "new", ... (South Sudan is not Sudan)


def _stem(alias: str) -> str:
    """Cyrillic names decline (Лавров / Лаврова, Россия / России): match on the stem."""
    last_word = alias.split()[-1] if alias.split() else alias
    if regex.search(r"\p{Cyrillic}$", alias) and len(last_word) >= 5 and alias[-1] in _CYRILLIC_ENDINGS:
        return alias[:-1]
    return alias


@lru_cache(maxsize=1)
def alias_table() -> AliasTable:
    data = load_yaml(WORDLIST_DIR / "entities.yaml") or {}
    stems: list[tuple[str, str, str]] = []
    stands_for: dict[str, str] = {}
    index: dict[str, list[tuple[tuple[str, ...], str, str, bool]]] = {}
    for entity in data.get("entities") or ():
        ident, kind = str(entity["id"]), str(entity.get("kind", "name"))
        if entity.get("stands_for"):
            stands_for[ident] = str(entity["stands_for"])
        for alias in entity.get("aliases") or ():
            stem = _stem(str(alias))
            stems.append((stem, ident, kind))
            exact = stem.replace(".", "").isupper()  # US, UN, AFP: "us" is a pronoun
            keys = tuple(t.text if exact else t.key for t in tokenize(stem))
            if keys:
                index.setdefault(keys[0][:2], []).append((keys, ident, kind, exact))
    for bucket in index.values():
        bucket.sort(key=lambda e: -len(e[0]))
    stems.sort(key=lambda s: len(s[0]), reverse=True)
    qualifiers = frozenset(k for q in data.get("qualifiers") or () for k in phonetic_key(str(q)))
    return AliasTable(index=index, stems=stems, stands_for=stands_for, qualifiers=qualifiers)


def _first_word_candidates(table: AliasTable, key: str, text: str) -> tuple[tuple[tuple[str, ...], str, str, bool], ...]:
    """Aliases whose first word is this token (its text for exact-case aliases, else its key), in the table's order."""
    candidates = table.index.get(key[:2], [])
    if text[:2] != key[:2]:
        candidates = candidates + table.index.get(text[:2], [])
    out = []
    for entry in candidates:
        keys, _, _, exact = entry
        have, want = (text if exact else key), keys[0]
        if have == want or (len(keys) == 1 and not exact and len(want) >= 3 and have.startswith(want)):
            out.append(entry)
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _candidates(key: str, text: str) -> tuple[tuple[tuple[str, ...], str, str, bool], ...]:
    """``_first_word_candidates`` of the alias table, cached per word: most words start no alias."""
    return _first_word_candidates(alias_table(), key, text)


def _match_alias(toks: Sequence[Any], i: int, table: AliasTable) -> tuple[int, str, str] | None:
    """Longest alias starting at token ``i``: (index of its last token, id, kind). The last word may carry an ending."""
    tok = toks[i]
    if table is alias_table() and not is_digit_key(tok.key):  # a one-off number would only crowd the cache
        candidates = _candidates(tok.key, tok.text)
        if not candidates:
            return None
    else:
        candidates = _first_word_candidates(table, tok.key, tok.text)
    for keys, ident, kind, exact in candidates:
        n = len(keys)
        if i + n > len(toks):
            continue
        ok = True
        for k in range(1, n):
            want = keys[k]
            t = toks[i + k]
            have = t.text if exact else t.key
            if not (have == want or (k == n - 1 and not exact and len(want) >= 3 and have.startswith(want))):
                ok = False
                break
        if ok:
            return i + n - 1, ident, kind
    return None


@lru_cache(maxsize=50_000)
def phonetic_key(name: str) -> tuple[str, ...]:
    """A rough cross-script key: romanised, lower case, common digraphs folded, doubled letters single."""
    words = []
    for raw in regex.split(r"[\s\-‐'’]+", anyascii(name).casefold()):
        w = regex.sub(r"[^a-z]", "", raw)
        if not w or w in _CONNECTORS:
            continue
        for a, b in _PHONETIC:
            w = w.replace(a, b)
        w = regex.sub(r"(.)\1+", r"\1", w)
        words.append(w)
    return tuple(words)


def same_name(a: NameMention, b: NameMention) -> bool:
    """Whether two mentions name the same entity (alias id, or every word of the shorter name fuzzily found)."""
    if a.entity or b.entity:
        if a.entity and b.entity:
            metonym = alias_table().stands_for
            return a.entity == b.entity or metonym.get(a.entity, a.entity) == metonym.get(b.entity, b.entity)
        known, other = (a, b) if a.entity else (b, a)
        # A known entity written in a form the table lacks: compare to its aliases' keys.
        return any(_keys_match(key, other.key) for key in _alias_keys(known.entity))
    return _keys_match(a.key, b.key, strict=_latin(a.text) and _latin(b.text))


@lru_cache(maxsize=4096)
def _latin(text: str) -> bool:
    """Whether a name is written in Latin letters only (no transliteration between the two spellings)."""
    return not regex.search(r"[^\p{Latin}\P{L}]", text)


def _close_spelling(w: str, v: str) -> bool:
    """Two Latin spellings of one name word, after phonetic folding.

    Spelling variants differ by one letter (Zelenskiy / Zelenskyy fold to one key;
    Putin / Putins) or only in their vowels (Mohammed / Muhammad). Lookalike names
    differ by more: Slovakia / Slovenia (consonants), Niger / Nigeria (a syllable).
    """
    if w == v:
        return True
    if Levenshtein.distance(w, v, score_cutoff=1) <= 1:
        return len(w) >= 4 and len(v) >= 4
    if len(w) != len(v):
        return False
    return all(a == b or (a in _VOWELS and b in _VOWELS) for a, b in zip(w, v))


@lru_cache(maxsize=4096)
def _alias_keys(entity: str) -> tuple[tuple[str, ...], ...]:
    """Phonetic keys of an entity's aliases (stems), longest first as in the table."""
    return tuple(phonetic_key(stem) for stem, ident, _ in alias_table().stems if ident == entity)


def _keys_match(x: tuple[str, ...], y: tuple[str, ...], *, strict: bool = False) -> bool:
    """Every word of the shorter key found in the longer one, which adds no qualifier (South Sudan is not Sudan).

    ``strict``: both names are in Latin letters, so only spelling variants agree
    (fuzzy and prefix matches serve transliteration and case endings across scripts).
    """
    if not x or not y:
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    used: set[int] = set()
    for w in short:
        if strict:
            hit = next((k for k, v in enumerate(long_) if k not in used and _close_spelling(w, v)), None)
        else:
            hit = next(
                (k for k, v in enumerate(long_) if k not in used and (fuzz.ratio(w, v) >= TOKEN_THRESHOLD or (len(w) >= 4 and v.startswith(w)) or (len(v) >= 4 and w.startswith(v)))),
                None,
            )
        if hit is None:
            return False
        used.add(hit)
    if len(long_) > len(short):
        qualifiers = alias_table().qualifiers
        if any(v in qualifiers for k, v in enumerate(long_) if k not in used):
            return False
    return True




def find_names(
    text: str, *, tokens: Sequence[Any] | None = None, is_name_word: Callable[[Any], bool] | None = None
) -> list[NameMention]:
    """Names in ``text``: alias-table entries in any script, then runs of capitalised words.

    ``tokens`` (from ``provenance.align.tokenize`` or the drift context) saves a
    second tokenisation; ``is_name_word(token)`` decides whether a capitalised word
    outside the table is a name (sentence-initial words and German nouns are often not).
    """
    table = alias_table()
    toks = tokens if tokens is not None else tokenize(text)
    out: list[NameMention] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if not tok.is_word:
            i += 1
            continue
        hit = _match_alias(toks, i, table)
        if hit is not None:
            last, ident, kind = hit
            surface = text[tok.start : toks[last].end]
            out.append(NameMention(tok.start, toks[last].end, surface, ident, kind, phonetic_key(surface)))
            i = last + 1
            continue
        if tok.text[:1].isupper() and (is_name_word is None or is_name_word(tok)):
            j = i
            k = i + 1
            while k < n:
                t = toks[k]
                if t.is_word and t.text[:1].isupper() and _match_alias(toks, k, table) is None and (is_name_word is None or is_name_word(t)):
                    j = k
                    k += 1
                elif t.is_word and t.key in _CONNECTORS and k + 1 < n and toks[k + 1].text[:1].isupper():
                    k += 1
                else:
                    break
            surface = text[tok.start : toks[j].end]
            out.append(NameMention(tok.start, toks[j].end, surface, None, "name", phonetic_key(surface)))
            i = j + 1
            continue
        i += 1
    return out
