"""Per-language word lists (hedges, intensifiers, modality, ...) read once from data files.

The lists live in ``provenance/data/wordlists/{lang}.yaml`` so that a linguist can
extend them without touching code; this module turns them into lookup tables
keyed by a phrase's first word, which lets the marker scan stay one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from provenance.align.project import fold
from provenance.drift.wordlist_yaml import load_yaml

WORDLIST_DIR = Path(__file__).resolve().parent.parent / "data" / "wordlists"

#: Marker kinds a word list may define, in the order a phrase is claimed when two kinds share it.
MARKER_KINDS = ("booster", "hedge", "softener", "intensifier", "modal", "negation", "reporting", "interjection",
                "quantifier", "idiom")
_LIST_KEYS = {"boosters": "booster", "hedges": "hedge", "softeners": "softener", "intensifiers": "intensifier", "negation": "negation",
              "interjections": "interjection", "idioms": "idiom"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One word-list phrase: its words, its kind and, for graded kinds, strength and stance."""

    words: tuple[str, ...]
    kind: str
    name: str
    strength: int = 0
    stance: str = ""


@dataclass(slots=True)
class Lexicon:
    language: str
    stopwords: frozenset[str]
    entries: dict[str, list[Entry]]  # first word -> entries, longest first
    prefix_match: bool  # agglutinative scripts: an entry matches the start of a word
    negation_infixes: tuple[str, ...]
    backshift: dict[str, str]
    attribution_markers: dict[str, tuple[str, ...]]
    scale_words: dict[str, float]
    text2num: str | None
    number_words: dict[str, float] = field(default_factory=dict)  # where text2num does not read the language
    known_words: frozenset[str] = field(default_factory=frozenset)  # every word in any list
    first_person: frozenset[str] = field(default_factory=frozenset)
    speaker_roles: dict[str, str] = field(default_factory=dict)  # role word -> spokesperson / principal
    concessive: frozenset[str] = field(default_factory=frozenset)  # "whatever it may be": the modal is not epistemic
    title_words: frozenset[str] = field(default_factory=frozenset)  # capitalised in titles, never a name
    coordinators: frozenset[str] = field(default_factory=frozenset)  # join clauses of equal rank ("and", "but")
    subordinators: frozenset[str] = field(default_factory=frozenset)  # open a qualifying clause ("if", "unless")
    complementizers: frozenset[str] = field(default_factory=frozenset)  # join a clause to its governor ("that")
    months: frozenset[str] = field(default_factory=frozenset)  # a number beside one is a date's day
    ago_before: frozenset[str] = field(default_factory=frozenset)  # "hace 30 años": when, counted back
    ago_after: frozenset[str] = field(default_factory=frozenset)  # "30 years ago"
    modal_kinds: dict[str, str] = field(default_factory=dict)  # modal phrase -> necessity / possibility / future
    persons: dict[str, str] = field(default_factory=dict)  # personal pronoun -> first_singular, second, ...
    scales: dict[str, tuple[str, int]] = field(default_factory=dict)  # word -> (its scale, its grade from 1)
    scale_tops: dict[str, int] = field(default_factory=dict)  # scale -> its highest grade
    superlatives: frozenset[str] = field(default_factory=frozenset)  # "самой большой": the scale's top grade
    evaluative: frozenset[str] = field(default_factory=frozenset)  # praise and blame: "wise", "sacred", "criminal"
    time_phrases: frozenset[str] = field(default_factory=frozenset)  # "until now": a subordinator opening no clause
    determiners: frozenset[str] = field(default_factory=frozenset)  # "the non-vaccinated": a noun, not a negation
    negative_polarity: frozenset[str] = field(default_factory=frozenset)  # "ever": said only where something negates
    editor_note_marks: tuple[str, ...] = ()  # "(…, ndr)": an editor's note in parentheses
    editor_note_openers: tuple[str, ...] = ()  # "[literally: …]": an editor's note in square brackets

    def lookup(self, key: str, lemma: str) -> list[Entry]:
        """Entries whose first word is this token (surface or lemma; word start for prefix languages)."""
        if not self.prefix_match:
            found = self.entries.get(key)
            if lemma != key:
                other = self.entries.get(lemma)
                if other:
                    return (found or []) + other
            return found or []
        out: list[Entry] = []
        for n in range(len(key), 0, -1):
            out.extend(self.entries.get(key[:n], ()))
        return out

    def word_matches(self, entry_word: str, key: str, lemma: str) -> bool:
        if self.prefix_match:
            return key.startswith(entry_word)
        return entry_word == key or entry_word == lemma

    def is_stop(self, key: str, lemma: str) -> bool:
        if self.prefix_match:
            return key in self.stopwords
        return key in self.stopwords or lemma in self.stopwords


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(str(phrase).casefold().replace("’", "'").split())


def _build(data: dict[str, Any], language: str) -> Lexicon:
    entries: list[Entry] = []
    # A hedge's grade is its strength: 1 a possibility ("perhaps"), 2 a probability ("probably"), 0 unknown.
    grades = data.get("hedge_grades") or {}
    hedge_grade = {" ".join(_words(w)): g for g, key in ((1, "possibility"), (2, "probability")) for w in grades.get(key) or ()}
    for key, kind in _LIST_KEYS.items():
        for phrase in data.get(key) or ():
            words = _words(phrase)
            entries.append(Entry(words, kind, str(phrase).casefold(),
                                 strength=hedge_grade.get(" ".join(words), 0) if kind == "hedge" else 0))
    for phrase, strength in (data.get("modality") or {}).items():
        entries.append(Entry(_words(phrase), "modal", str(phrase).casefold(), strength=int(strength)))
    for phrase, strength in (data.get("quantifiers") or {}).items():
        entries.append(Entry(_words(phrase), "quantifier", str(phrase).casefold(), strength=int(strength)))
    for verb, info in (data.get("reporting_verbs") or {}).items():
        entries.append(
            Entry(_words(verb), "reporting", str(verb).casefold(), strength=int(info.get("strength", 1)), stance=str(info.get("stance", "neutral")))
        )
    index: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.words:
            index.setdefault(entry.words[0], []).append(entry)
    for bucket in index.values():
        bucket.sort(key=lambda e: (-len(e.words), MARKER_KINDS.index(e.kind)))
    markers = {k: tuple(" ".join(_words(p)) for p in v) for k, v in (data.get("attribution_markers") or {}).items()}
    return Lexicon(
        language=language,
        stopwords=frozenset(w.casefold() for w in data.get("stopwords") or ()),
        entries=index,
        prefix_match=data.get("match") == "prefix",
        negation_infixes=tuple(data.get("negation_infixes") or ()),
        backshift={str(k).casefold(): str(v).casefold() for k, v in (data.get("backshift") or {}).items()},
        attribution_markers=markers,
        scale_words={str(k).casefold(): float(v) for k, v in (data.get("scale_words") or {}).items()},
        text2num=data.get("text2num"),
        number_words={str(w).casefold(): float(v) for v, forms in (data.get("number_words") or {}).items()
                      for w in forms},
        known_words=frozenset(w for e in entries for w in e.words),
        first_person=frozenset(str(w).casefold() for w in data.get("first_person") or ()),
        concessive=frozenset(str(w).casefold() for w in data.get("concessive") or ()),
        title_words=frozenset(str(w).casefold() for w in data.get("title_words") or ()),
        coordinators=frozenset(str(w).casefold() for w in data.get("coordinators") or ()),
        subordinators=frozenset(str(w).casefold() for w in data.get("subordinators") or ()),
        complementizers=frozenset(str(w).casefold() for w in data.get("complementizers") or ()),
        months=frozenset(str(w).casefold() for w in data.get("months") or ()),
        ago_before=frozenset(str(w).casefold() for w in data.get("ago_before") or ()),
        ago_after=frozenset(str(w).casefold() for w in data.get("ago_after") or ()),
        modal_kinds={" ".join(_words(w)): str(kind) for kind, ws in (data.get("modal_kinds") or {}).items()
                     for w in ws or ()},
        speaker_roles={str(w).casefold(): str(cls) for cls, ws in (data.get("speaker_roles") or {}).items() for w in ws or ()},
        persons={str(w).casefold().replace("’", "'"): str(cls) for cls, ws in (data.get("persons") or {}).items()
                 for w in ws or ()},
        scales={str(w).casefold(): (str(name), grade) for name, grades in (data.get("scales") or {}).items()
                for grade, ws in enumerate(grades or (), start=1) for w in ws or ()},
        scale_tops={str(name): len(grades or ()) for name, grades in (data.get("scales") or {}).items()},
        superlatives=frozenset(str(w).casefold() for w in data.get("superlatives") or ()),
        evaluative=frozenset(str(w).casefold() for w in data.get("evaluative") or ()),
        time_phrases=frozenset(" ".join(_words(w)) for w in data.get("time_phrases") or ()),
        determiners=frozenset(str(w).casefold() for w in data.get("determiners") or ()),
        negative_polarity=frozenset(str(w).casefold() for w in data.get("negative_polarity") or ()),
        editor_note_marks=tuple(str(w).casefold() for w in data.get("editor_note_marks") or ()),
        editor_note_openers=tuple(str(w).casefold() for w in data.get("editor_note_openers") or ()),
    )


def base_language(language: str | None) -> str:
    return (language or "").replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=None)
def lexicon(language: str) -> Lexicon:
    """The word lists of ``language`` (base subtag); English lists when the language has none.

    Falling back to English is deliberate: comparison usually happens in English
    glosses, and an empty list would silently switch checks off.
    """
    base = base_language(language)
    path = WORDLIST_DIR / f"{base}.yaml"
    if not path.exists():
        path = WORDLIST_DIR / "en.yaml"
        base = "en"
    return _build(load_yaml(path) or {}, base)


#: Word-list kinds whose single words say the same thing in every language: a gloss's "perhaps" and the
#: original's "forse" are one word of one class, so they pin a gloss span onto the original's words.
_CLASS_KINDS = ("hedge", "negation")


@lru_cache(maxsize=None)
def word_classes(language: str) -> dict[str, str]:
    """Romanised, casefolded single word -> its class ("hedge", "negation", "modal:possibility"), from the word
    lists of ``language``: a small bilingual lexicon for placing spans found in a gloss on the original (see
    :mod:`provenance.align.project`). A word of two classes keeps the first. Personal pronouns are left out:
    languages that leave the subject unsaid give a gloss's "we" no word to pin (on the real dev set they moved
    more spans off the labelled words than onto them)."""
    lex = lexicon(language)
    out: dict[str, str] = {}
    for bucket in lex.entries.values():
        for e in bucket:
            if len(e.words) == 1 and e.kind in _CLASS_KINDS:
                out.setdefault(fold(e.words[0]), e.kind)
    for phrase, kind in lex.modal_kinds.items():
        if " " not in phrase:
            out.setdefault(fold(phrase), "modal:" + kind)
    return out


def available_languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in WORDLIST_DIR.glob("*.yaml") if p.stem != "entities"))


def all_editor_note_marks() -> tuple[str, ...]:
    """The marks of an editor's note in every language ("ndr", "NDLR", "Anm. d. Red."): a rendition quotes
    outlets of any language, and a gloss may keep the original's mark."""
    return _in_every_language("editor_note_marks")


def all_editor_note_openers() -> tuple[str, ...]:
    """The words that open an editor's note in square brackets, in every language ("literally", "sic")."""
    return _in_every_language("editor_note_openers")


@lru_cache(maxsize=None)
def _in_every_language(name: str) -> tuple[str, ...]:
    """One word-list field of every language, merged, longest first (so a longer phrase is tried first)."""
    words: set[str] = {w for lang in available_languages() for w in getattr(lexicon(lang), name)}
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def all_attribution_markers() -> dict[str, tuple[str, ...]]:
    """Evidence words of every language, by class: an attribution may be in any language."""
    merged: dict[str, list[str]] = {}
    for lang in available_languages():
        for cls, words in lexicon(lang).attribution_markers.items():
            merged.setdefault(cls, []).extend(words)
    return {cls: tuple(sorted(set(words), key=len, reverse=True)) for cls, words in merged.items()}
