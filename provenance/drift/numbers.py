"""Numbers read across locales: 1,500 / 1 500 / 1.500 / 1.500,5 / "three thousand" / 1만.

A written number can be read more than one way ("1.500" is fifteen hundred in
Berlin and one and a half in London), so each mention carries the set of values
it may stand for; two mentions agree when those sets meet. That keeps "1 500"
vs "1,500" vs "1.500" silent without guessing each outlet's locale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from provenance.drift.lexicon import Lexicon

_SEPARATORS = ",.\u00a0\u202f\u2009' "
_NUMBER = regex.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:(?P<sep>[,.\u00a0\u202f\u2009' ])\d{3})(?:(?P=sep)\d{3})*(?:(?!(?P=sep))[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?)"
)
_WORD = regex.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# The same words for a text whose only non-ASCII characters are these (neither letters nor
# digits in either engine): plain ``re`` over ASCII letters reads a quote-length text in half
# the time of the ``regex`` module's Unicode sets (which were 5 % of a hop's time).
_ASCII_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_BEYOND_ASCII_WORDS = re.compile(r"[^\x00-\x7f’‘“”«»„—–…\u00a0\u202f\u2009]")
# Words that are numbers only in some contexts ("one of them", "un accord"): never a number alone.
_AMBIGUOUS_ALONE = frozenset({"one", "un", "une", "uno", "una", "ein", "eine", "einen", "a", "an"})


@dataclass(slots=True, init=False, unsafe_hash=True)
class NumberMention:
    """A number found in a text. Not frozen: a hand-written ``__init__`` compiles, a frozen one cannot be written."""

    start: int
    end: int
    text: str
    values: frozenset[float]
    written_in_digits: bool

    def __init__(self, start: int, end: int, text: str, values: frozenset[float], written_in_digits: bool) -> None:
        self.start, self.end, self.text, self.values, self.written_in_digits = start, end, text, values, written_in_digits

    def agrees(self, other: NumberMention) -> bool:
        return any(abs(a - b) <= 1e-9 * max(1.0, abs(a)) for a in self.values for b in other.values)

    def describe(self) -> str:
        values = sorted(self.values)
        shown = " or ".join(_fmt(v) for v in values)
        return f'"{self.text}" ({shown})'


def _fmt(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,.3f}".rstrip("0").rstrip(".")


def _readings(text: str, sep: str | None) -> set[float]:
    """Every value a digit string may stand for, whatever the locale."""
    t = text
    if sep is None:
        if "," in t or "." in t:
            whole, _, frac = t.replace(",", ".").partition(".")
            out = {float(f"{whole}.{frac}")}
            if len(frac) == 3:  # "1.500" / "1,500": grouping or a decimal point
                out.add(float(whole + frac))
            return out
        return {float(t)}
    groups = t.split(sep)
    tail = ""
    last = groups[-1]
    if len(last) > 3:  # "1.500,5": the last group carries a decimal part
        tail = last[3:].lstrip(",.")
        groups[-1] = last[:3]
    grouped = float("".join(groups) + ("." + tail if tail else ""))
    out = {grouped}
    if sep in ",." and len(groups) == 2 and not tail:
        out.add(float(f"{groups[0]}.{groups[1]}"))
    return out


@lru_cache(maxsize=4096)
def _text2num(words: str, lang: str) -> float | None:
    try:
        from text_to_num import text2num
    except ImportError:  # pragma: no cover - optional: digits still work
        return None
    try:
        return float(text2num(words, lang))
    except (ValueError, TypeError, IndexError, KeyError):
        return None


def find_numbers(text: str, lex: Lexicon) -> list[NumberMention]:
    """Numbers in ``text`` (digits with locale separators and a scale word; words where text2num knows them)."""
    out: list[NumberMention] = []
    scales = lex.scale_words
    for m in _NUMBER.finditer(text):
        raw = m.group("num").strip()
        values = _readings(raw, m.group("sep") if m.group("sep") else None)
        end = m.end()
        # A scale word right after (or glued to, in Korean: 1만) multiplies it.
        w = _WORD.match(text, end) or (_WORD.match(text, end + 1) if text[end : end + 1].isspace() else None)
        if w:
            word = w.group().casefold()
            factor = scales.get(word)
            if factor is None and lex.prefix_match and word[:1] in scales:
                factor = scales[word[:1]]
                if factor:
                    out.append(NumberMention(m.start(), w.start() + 1, text[m.start() : w.start() + 1], frozenset(v * factor for v in values), True))
                    continue
            if factor:
                out.append(NumberMention(m.start(), w.end(), text[m.start() : w.end()], frozenset(v * factor for v in values), True))
                continue
        out.append(NumberMention(m.start(), end, text[m.start() : end], frozenset(values), True))
    if lex.text2num:
        out.extend(_number_words(text, lex.text2num, out))
    elif lex.number_words:
        out.extend(_listed_number_words(text, lex, out))
    out.sort(key=lambda n: n.start)
    return out


#: Per text2num language, the words seen so far that text2num reads alone as a number, and those it does not.
_NUMBER_WORDS: dict[str, tuple[set[str], set[str]]] = {}
_NUMBER_WORDS_LIMIT = 1 << 16


def word_runs(text: str) -> list[str]:
    """``_WORD.findall(text)``, through plain ``re`` when the text allows (see ``_ASCII_WORD``)."""
    if text.isascii() or _BEYOND_ASCII_WORDS.search(text) is None:
        return _ASCII_WORD.findall(text)
    return _WORD.findall(text)


def _has_number_word(text: str, lang: str) -> bool:
    """Whether any word of ``text`` is a number word: most texts have none, so this is the common exit."""
    words = set(word_runs(text))
    known = _NUMBER_WORDS.get(lang)
    if known is None or len(known[0]) + len(known[1]) > _NUMBER_WORDS_LIMIT:
        known = _NUMBER_WORDS[lang] = (set(), set())
    yes, no = known
    if not words.isdisjoint(yes):
        return True
    for word in words - no:
        if _text2num(word.casefold(), lang) is not None:
            yes.add(word)
            return True
        no.add(word)
    return False


def _number_words(text: str, lang: str, digits: list[NumberMention]) -> list[NumberMention]:
    """Runs of number words ("three thousand", "trois mille", "drei Millionen") read by text2num."""
    if not _has_number_word(text, lang):
        return []
    words = [(w.start(), w.end(), w.group()) for w in _WORD.finditer(text)]
    taken = [(d.start, d.end) for d in digits]
    out: list[NumberMention] = []
    i = 0
    while i < len(words):
        start, end, word = words[i]
        if _text2num(word.casefold(), lang) is None or any(a <= start < b for a, b in taken):
            i += 1
            continue
        j = i + 1
        best: tuple[int, float] | None = None
        # Longest run that text2num reads as one number.
        while j <= len(words) and j - i <= 8:
            phrase = " ".join(w for _, _, w in words[i:j]).casefold()
            value = _text2num(phrase, lang)
            if value is not None:
                best = (j, value)
            if j < len(words) and not text[words[j - 1][1] : words[j][0]].strip() in {"", "-"}:
                break
            j += 1
        if best is None:
            i += 1
            continue
        j, value = best
        if j - i == 1 and word.casefold() in _AMBIGUOUS_ALONE:
            i += 1
            continue
        out.append(NumberMention(start, words[j - 1][1], text[start : words[j - 1][1]], frozenset({value}), False))
        i = j
    return out


#: A word with its apostrophes (Ukrainian "п’ять", "дев'ять").
_APOSTROPHE_WORD = regex.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _listed_number_words(text: str, lex: Lexicon, digits: list[NumberMention]) -> list[NumberMention]:
    """Runs of the word list's number words, for languages text2num does not read ("в течение ста лет",
    "двести тысяч", "п'ять тисяч"): each word's value added to the run's, a scale word after them multiplying
    what came before it (двести тысяч = 200 x 1000)."""
    listed = lex.number_words
    words = [(w.start(), w.end(), w.group().casefold()) for w in _APOSTROPHE_WORD.finditer(text)]
    taken = [(d.start, d.end) for d in digits]
    out: list[NumberMention] = []
    i = 0
    while i < len(words):
        start, _, word = words[i]
        if word not in listed or any(a <= start < b for a, b in taken):
            i += 1
            continue
        total, group, j = 0.0, 0.0, i
        while j < len(words) and words[j][2] in listed and (j == i or text[words[j - 1][1]:words[j][0]].isspace()):
            value = listed[words[j][2]]
            if value >= 1000 and words[j][2] in lex.scale_words:
                total += (group or 1.0) * value
                group = 0.0
            else:
                group += value
            j += 1
        out.append(NumberMention(start, words[j - 1][1], text[start:words[j - 1][1]], frozenset({total + group}), False))
        i = j
    return out
