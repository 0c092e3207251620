"""The word lists intake reads, from ``provenance/data/intake``: cues per language, closed word classes, known
sources, language names.

Each list is data (a newsroom adds a cue verb or an outlet without touching
code). The lists of every language are merged and tried on every article: an
article quoting in several languages is common (a German page quoting "said"
from a wire copy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("en", "fr", "de", "es", "ru", "it", "pt", "uk")
_LISTS = ("cue_verbs", "attributions", "speech_nouns", "pronouns", "evidence_before_source", "evidence_after_source",
          "republication", "translation", "credits", "roles", "honorifics", "not_names", "given_names",
          "role_suffixes", "determiners", "channel_prepositions", "title_nouns", "interview", "complementizers",
          "programmes", "about_this", "said_by", "settings", "reported_mood")


def _read(name: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the lists load ten times faster
    return yaml.load(resources.files("provenance.data").joinpath("intake", name).read_text(encoding="utf-8"),
                     Loader=loader)


#: The subject pronoun a French incise puts after its verb ("ajoute-t-il", "a-t-elle", "poursuit-on").
INVERTED = r"(?:-t)?-(?:il|elle|ils|elles|on)"


def phrase_pattern(phrases: list[str], suffix: str = "") -> re.Pattern[str]:
    """One regex matching any of ``phrases`` as whole words, longest first, case-insensitively, each perhaps
    followed by ``suffix``.

    The phrases are compiled as a trie (shared beginnings written once: ``sa(?:id|ys|y)``), not as a flat
    alternation of thousands of words, which the regex engine would try one by one at every position of
    a text: that made a 100 KB article take seconds.
    """
    alts = {p.strip().lower() for p in phrases if p.strip()}
    body = _trie_regex(alts)
    return re.compile(rf"(?<![\w-])(?:{body}){f'(?:{suffix})?' if suffix else ''}(?![\w-])", re.IGNORECASE)


def _token(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch in "'’":
        return "['’]"
    return re.escape(ch)


def _trie_regex(phrases: set[str]) -> str:
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for ch in re.sub(r"\s+", " ", phrase):
            node = node.setdefault(_token(ch), {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [tok + build(child) for tok, child in sorted(node.items()) if tok]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # the longer phrase first: greedy, so "said" is tried before "sa" where both are listed
        return f"(?:{body})?" if "" in node else body

    return build(trie) or "(?!)"


@dataclass(frozen=True)
class Cues:
    """Every cue list of every language, merged, each as a set of lower-case phrases and a pattern."""

    words: dict[str, frozenset[str]]
    patterns: dict[str, re.Pattern[str]]

    def has(self, kind: str, word: str) -> bool:
        return word.lower() in self.words[kind]


@lru_cache(maxsize=1)
def cues() -> Cues:
    merged: dict[str, set[str]] = {k: set() for k in _LISTS}
    for lang in LANGUAGES:
        data = _read(f"{lang}.yaml") or {}
        for k in _LISTS:
            merged[k].update(str(w).lower() for w in data.get(k) or [])
    # a cue verb may carry its inverted subject ("explique-t-il"): one list of verbs serves both word orders
    return Cues({k: frozenset(v) for k, v in merged.items()},
                {k: phrase_pattern(sorted(v), INVERTED if k == "cue_verbs" else "") for k, v in merged.items()})


@lru_cache(maxsize=None)
def determiners(language: str) -> frozenset[str] | None:
    """The determiners of one language (None when intake has no list for it)."""
    if language not in LANGUAGES:
        return None
    data = _read(f"{language}.yaml") or {}
    return frozenset(str(w).lower() for w in data.get("determiners") or ())


@lru_cache(maxsize=1)
def interview_pattern() -> re.Pattern[str]:
    """The words that say words were given in an interview, found inside longer words too."""
    words = sorted(cues().words["interview"], key=len, reverse=True)
    return re.compile("|".join(re.escape(w).replace("'", "['’]?").replace("’", "['’]?") for w in words), re.IGNORECASE)


@dataclass(frozen=True)
class Closed:
    """The closed word classes of ``closed.yaml``, read in every language at once (see that file for the rule each
    serves)."""

    function_words: frozenset[str]
    abbreviations: frozenset[str]
    definite: frozenset[str]
    prepositions: frozenset[str]
    object_pronouns: frozenset[str]
    possessives: frozenset[str]
    relatives: frozenset[str]
    circumstantials: frozenset[str]
    coordinators: frozenset[str]
    auxiliaries: frozenset[str]
    seats: tuple[str, ...]  # word beginnings, matched against the lower-cased mention
    kinds: tuple[tuple[str, tuple[str, ...]], ...]  # in the order they are tried
    noun_capitalising: frozenset[str]  # language codes


@lru_cache(maxsize=1)
def closed() -> Closed:
    data = _read("closed.yaml")
    sets = {k: frozenset(str(w) for w in data[k]) for k in ("function_words", "abbreviations", "definite",
                                                            "prepositions", "object_pronouns", "possessives",
                                                            "relatives", "circumstantials", "coordinators",
                                                            "auxiliaries", "noun_capitalising")}
    return Closed(**sets, seats=tuple(str(w) for w in data["seats"]), kinds=tuple((k, tuple(str(w) for w in v)) for k, v in data["kinds"].items()))


@dataclass(frozen=True)
class KnownSource:
    name: str
    kind: str
    language: str | None


#: Case endings a Russian or Ukrainian outlet's name takes in running text («Известиям», «Коммерсанту»,
#: «Первому каналу», «Українській правді»): up to three letters after the word's stem.
_CYRILLIC_ENDING = r"[а-яёіїєґ]{0,3}"


def _name_regex(name: str) -> str:
    """A regex for one outlet's name: as written, and for a Cyrillic name, with each long word's case ending free."""
    if not re.search(r"[а-яёіїєґА-ЯЁІЇЄҐ]", name):
        return re.escape(name)
    parts = []
    for word in re.split(r"(\s+)", name):
        if word.isspace():
            parts.append(r"\s+")
            continue
        base = _cyrillic_stem(word)
        parts.append(re.escape(word[:len(base)]) + _CYRILLIC_ENDING if base and len(base) >= 4 and word.isalpha()
                     else re.escape(word))
    return "".join(parts)


def _cyrillic_stem(word: str) -> str:
    """A Cyrillic word without its case ending (the same rule as ``text.stem``, kept here so data needs no text)."""
    w = word.lower()
    if not re.search(r"[а-яёіїєґ]", w) or len(w) <= 4:
        return w
    return re.sub(r"(ого|его|ому|ему|ими|ыми|ій|ой|ей|ий|ый|ая|ую|ым|им|ом|ем|ою|ею|а|я|у|ю|е|ы|и|і|ь|ъ)$", "", w)


@lru_cache(maxsize=1)
def known_sources() -> tuple[dict[str, KnownSource], re.Pattern[str]]:
    """Every listed outlet by each of its names (case kept: "AP" is an agency, "ap" is not), and one pattern that
    also finds a Cyrillic name in any case («Известиям» is «Известия»)."""
    by_name: dict[str, KnownSource] = {}
    for item in _read("sources.yaml"):
        src = KnownSource(item["name"], item["kind"], item.get("language"))
        for n in [item["name"], *(item.get("aliases") or [])]:
            by_name.setdefault(str(n), src)
    # names written as they are, as a trie (a flat alternation of a thousand names is tried name by name at every
    # position); Cyrillic names, whose case endings vary, each as their own pattern after it
    plain = {n for n in by_name if not re.search(r"[а-яёіїєґА-ЯЁІЇЄҐ]", n)}
    declined = sorted((n for n in by_name if n not in plain), key=len, reverse=True)
    alternatives = [_trie_regex(plain)] + [_name_regex(n) for n in declined]
    # not inside a compound ("dpa-Foto"), but before a programme's title in marks (ZDF-"Morgenmagazin")
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?!\w)(?!-(?![„\"«»“‚‹]))")
    return by_name, pattern


@lru_cache(maxsize=1)
def _declined() -> list[tuple[re.Pattern[str], str]]:
    """Each Cyrillic name of a listed outlet with the pattern of its other cases."""
    by_name, _ = known_sources()
    return [(re.compile(_name_regex(n)), n) for n in by_name if re.search(r"[а-яёіїєґА-ЯЁІЇЄҐ]", n)]


@lru_cache(maxsize=4096)
def source_named(written: str) -> tuple[str, KnownSource] | None:
    """The listed outlet a name as written stands for, with the name to give it: as written when it is one of the
    outlet's names, else (an inflected Cyrillic or German form) the listed name it declines."""
    by_name, _ = known_sources()
    flat = " ".join(written.split())
    if flat in by_name:
        outlet = by_name[flat]
        return (outlet.name if _declined_form(flat, outlet.name) else flat), outlet
    if re.search(r"[а-яёіїєґА-ЯЁІЇЄҐ]", flat):
        for pattern, name in _declined():
            if pattern.fullmatch(flat):
                return name, by_name[name]
    return None


def _declined_form(written: str, name: str) -> bool:
    """Whether ``written`` is ``name`` declined as German declines it, word by word with an -n or -s added
    ("Süddeutschen Zeitung", "Westdeutschen Allgemeinen Zeitung", "Spiegels"): the listed name is given."""
    a, b = written.split(), name.split()
    return a != b and len(a) == len(b) and all(x == y or x in (y + "n", y + "s") for x, y in zip(a, b))


def source_at(text: str, at: int, end: int) -> tuple[int, int, str, KnownSource] | None:
    """The listed outlet whose name starts exactly at ``at`` (and ends by ``end``), as ``source_mentions`` gives it."""
    _, pattern = known_sources()
    m = pattern.match(text, at, end)
    found = source_named(m.group()) if m else None
    return (m.start(), m.end(), found[0], found[1]) if m and found else None


def source_mentions(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str, KnownSource]]:
    """Each listed outlet named in ``text[start:end]``: (start, end, its name to give, the outlet)."""
    _, pattern = known_sources()
    out = []
    for m in pattern.finditer(text, start, len(text) if end is None else end):
        found = source_named(m.group())
        if found is not None:
            out.append((m.start(), m.end(), found[0], found[1]))
    return out


@lru_cache(maxsize=1)
def language_words() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(word beginning, language) for language adjectives and for places and peoples, longest first."""
    adjectives, places = [], []
    for lang, item in _read("languages.yaml").items():
        adjectives += [(str(w).lower(), lang) for w in item.get("adjectives") or []]
        places += [(str(w).lower(), lang) for w in item.get("places") or []]
    key = lambda p: -len(p[0])  # noqa: E731
    return sorted(adjectives, key=key), sorted(places, key=key)


def kind_word(word: str) -> bool:
    """Whether a word names a kind of outlet ("settimanale", "Zeitung", "телеканал"): a title follows it, or it
    is part of one ("Westdeutsche Allgemeine Zeitung"), or ends a compound ("YouTube-канала")."""
    low = word.lower().rsplit("-", 1)[-1]
    return any(low == w or (len(w) >= 5 and low.startswith(w)) for _, words in closed().kinds for w in words)


def seat(text: str) -> bool:
    """Whether a mention names a seat of power ("Кремля", "the White House"): whose role a role word is."""
    words = text.lower().split()
    return any(" ".join(words[i:i + len(s.split())]).startswith(s) for s in closed().seats for i in range(len(words)))


def place_word(word: str) -> bool:
    """Whether one word names a place or a people (Украины, Russia's, Frankreichs): it begins like one."""
    _, places = language_words()
    w = word.lower().strip(".’'")
    return any(w.startswith(p) for p, _ in places if " " not in p)


@lru_cache(maxsize=8192)
def language_named(text: str, *, kind: str, last: bool = False) -> str | None:
    """The language a word of ``text`` names (``kind`` "adjectives" or "places"), the first one in the text
    (the last one with ``last``)."""
    adjectives, places = language_words()
    table = adjectives if kind == "adjectives" else places
    low = text.lower()
    best: tuple[int, str] | None = None
    for word, lang in table:
        for m in re.finditer(r"(?<!\w)" + re.escape(word), low):
            if best is None or (m.start() > best[0] if last else m.start() < best[0]):
                best = (m.start(), lang)
    return best[1] if best else None


__all__ = ["cues", "Cues", "closed", "Closed", "known_sources", "KnownSource", "source_named", "source_mentions", "language_named", "place_word", "phrase_pattern", "LANGUAGES"]
