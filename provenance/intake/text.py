"""An article's text as intake reads it: paragraphs, sentences that quotations do not split, and names.

Offsets everywhere are Python string indices into the text as read, so a
finding can be shown in place and checked against the page.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache


from provenance import lemmas
from provenance.intake import lexicon
from provenance.intake.marks import Pair, paragraph_breaks, pairs

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»“«)\]]*(?=\s+\S)|\n"
                           # a copy that lost the space (or the paragraph break) after a quotation's end:
                           # "eine bittere Nachricht".Putins Ziel"; not "U.S." or "Bild.de"
                           r"|(?<=[\"”»])[.!?…]+(?=[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ][a-zà-ÿа-яёїієґ])")
_WORD = re.compile(r"[\w’'\-.]+", re.UNICODE)
#: A capitalised word: a name's part (Choe, Sáenz, Лавров, O'Brien, al-Assad, Jean-Yves).
_CAP = r"(?:[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЇІЄҐ](?:\.|[\w’'\-]*)|[a-z]{1,3}-[A-ZÀ-Þ][\w-]*)"
#: Small words inside names (Sáenz de Santamaría, Ursula von der Leyen, Abu Bakr al Baghdadi).
_PARTICLE = r"(?:de|del|della|di|da|das|dos|do|du|la|le|van|von|der|den|ten|bin|ibn|al|el|y)"
#: Particles that join a name only after another particle ("Ursula von der Leyen", "van den Berg", "Sáenz de la
#: Torre"); alone between capitalised words they are articles ("Unterstützung der Ukraine", "Casa la Moneda").
_SECOND_PARTICLE = {"der": ("von", "van", "vom"), "den": ("von", "van"), "ten": ("van",), "la": ("de",),
                    "le": ("de",)}
#: A name does not run over a line break ("Passos Coelho\n\nLusa" is a name and a credit).
NAME = re.compile(rf"(?<![\w’'])({_CAP}(?:[ \t\u00a0]+(?:{_PARTICLE}[ \t\u00a0]+)*{_CAP})*)(?:[’']s)?(?![\w])")


@dataclass
class Mention:
    """A run of capitalised words outside quotations: a name, perhaps."""

    start: int
    end: int
    text: str
    possessive: bool = False  # "Choe’s": the owner of what follows, not the subject of a verb
    common: bool = False  # after a determiner ("dem Kanal Dozhd", "the Kremlin"): a thing or a body, not a person

    @property
    def tokens(self) -> list[str]:
        return [t.strip(".").lower() for t in self.text.split()]


@dataclass
class Doc:
    """The text with its quotations, sentences, paragraphs and names, computed once."""

    text: str
    pairs: list[Pair]
    sentences: list[tuple[int, int]] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    masked: str = ""  # the text with every quotation's words replaced by spaces (marks kept)
    _starts: tuple[list[int], list[int], list[int]] | None = None

    def starts(self) -> tuple[list[int], list[int], list[int]]:
        """Where each sentence, paragraph and mention starts, for bisection (computed once, after ``read``)."""
        if self._starts is None:
            self._starts = ([s for s, _ in self.sentences], [s for s, _ in self.paragraphs],
                            [m.start for m in self.mentions])
        return self._starts

    def sentence_of(self, pos: int) -> tuple[int, int]:
        return self.sentences[self.sentence_index(pos)]

    def sentence_index(self, pos: int) -> int:
        return max(bisect.bisect_right(self.starts()[0], pos) - 1, 0)

    def paragraph_index(self, pos: int) -> int:
        return max(bisect.bisect_right(self.starts()[1], pos) - 1, 0)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """The mentions inside ``start:end``."""
        return mentions_between(self.mentions, self.starts()[2], start, end)


def mentions_between(mentions: list[Mention], starts: list[int], start: int, end: int) -> list[Mention]:
    """The mentions inside ``start:end``; ``mentions`` are in reading order, ``starts`` their start offsets
    (found by bisection, not a scan)."""
    i = bisect.bisect_left(starts, start)
    out = []
    while i < len(mentions) and mentions[i].start < end:
        if mentions[i].end <= end:
            out.append(mentions[i])
        i += 1
    return out


def read(text: str, language: str | None = None) -> Doc:
    """The text's quotations, paragraphs, sentences and names; ``language`` (when given) tells a word that opens a
    sentence from a name."""
    doc = Doc(text, pairs(text))
    outer = [p for p in doc.pairs if p.depth == 0]
    chars = list(text)
    for p in outer:
        for k in range(p.open + 1, p.close):
            if chars[k] != "\n":
                chars[k] = " "
    doc.masked = "".join(chars)
    # paragraphs
    start = 0
    for b, nxt in sorted(paragraph_breaks(text).items()):
        if b > start:
            doc.paragraphs.append((start, b))
        start = nxt
    if start < len(text):
        doc.paragraphs.append((start, len(text)))
    if not doc.paragraphs:
        doc.paragraphs.append((0, len(text)))
    # sentences: ends found in the masked text, so a quotation's own full stops do not split its sentence,
    # except the one that ends the quotation and its sentence together (“… victory.” Lavrov, in turn, …)
    ends = {p.close for p in outer if text[p.close - 1:p.close] in (".", "!", "?", "…")
            and p.close + 2 < len(text) and text[p.close + 1] == " " and text[p.close + 2].isupper()}
    for ps, pe in doc.paragraphs:
        s = ps
        found = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(doc.masked, ps, pe)]
        found += [(c, c + 1) for c in ends if ps <= c < pe]
        for start, end in sorted(found):
            if _abbreviation(doc.masked, start):
                continue
            if end > s:
                doc.sentences.append((s, end))
            s = end
            while s < pe and text[s].isspace():
                s += 1
        if s < pe:
            doc.sentences.append((s, pe))
    if not doc.sentences:
        doc.sentences.append((0, len(text)))
    doc.sentences = [piece for sentence in doc.sentences for piece in _pieces(doc.masked, *sentence)]
    doc.mentions = names(doc.masked)
    if language:
        doc.mentions = _without_openers(doc, language)
        doc.mentions = _common_in(doc, language)
        doc.mentions = _nouns_in(doc, language)
    return doc


def _nouns_in(doc: Doc, language: str) -> list[Mention]:
    """In a language that capitalises its nouns, a lone capitalised word that the dictionary knows as an
    inflected form of another ("Entlastungen", "Aufgaben", "Gesprächen") is a common noun, unless it is a first
    name or the article also writes it in a fuller name. A word in its dictionary form may be a surname as well
    ("Bouillon", "Fischer", "Scholz"), and a genitive's -s is a name's as often as a noun's ("Merkels")."""
    if language not in lexicon.closed().noun_capitalising:
        return doc.mentions
    c = lexicon.cues()
    in_names = {w for m in doc.mentions if " " in m.text for w in m.text.split()}

    def inflected_noun(word: str) -> bool:
        lemma = lemmas.lemmatize(word, language)
        return lemma not in (word, word[:-1]) and lemmas.is_known(word, language)

    return [Mention(m.start, m.end, m.text, m.possessive, True)
            if " " not in m.text and not m.common and m.text not in in_names and not given_name(m.text, c)
            and inflected_noun(m.text) else m for m in doc.mentions]


def _common_in(doc: Doc, language: str) -> list[Mention]:
    """Mentions after a determiner, by the article's own language and at the name itself: Italian "la
    segretaria dem Elly Schlein" has no German "dem", and "del Consiglio Giorgia Meloni" is a person
    named after a body, not the body."""
    dets = lexicon.determiners(language)
    if dets is None:
        return doc.mentions
    c = lexicon.cues()
    out = []
    for m in doc.mentions:
        if m.common:
            if given_name(m.text.split()[0], c):
                common = False  # a body's name, then a person's: "del Consiglio Giorgia Meloni"
            else:  # from the start of the capitalised run the mention was cut from ("der Russischen Garde Solotow")
                at, common = m.start, False
                while (w := re.search(r"([^\W\d_][\w’'-]*)\s+$", doc.masked[max(0, at - 40):at])) and w.group(1)[0].isupper():
                    at -= len(w.group(0))
                    if w.group(1).lower() in dets:  # "Le Soleil", "The Kremlin"
                        common = True
                        break
                common = common or _after_determiner(doc.masked, at, c, dets)
            m = Mention(m.start, m.end, m.text, m.possessive, common)
        out.append(m)
    return out


def _without_openers(doc: Doc, language: str) -> list[Mention]:
    """Names without the ordinary word that opens their sentence ("Concernant Ouattara", "Según Rajoy"): every
    language capitalises a sentence's first word. The word goes when the language's dictionary knows it, it
    is not a first name, and the article never capitalises it inside a sentence."""
    c = lexicon.cues()
    starts = {s for s, _ in doc.sentences}
    inside = {w for m in doc.mentions if m.start not in starts for w in m.text.split()}
    out = []
    for m in doc.mentions:
        words = m.text.split()
        first = words[0]
        if (m.start in starts and len(words) > 1 and first not in inside and not given_name(first, c)
                and lemmas.is_known(first.lower(), language)):
            cut = m.text.index(words[1], len(first))
            m = Mention(m.start + cut, m.end, m.text[cut:], m.possessive, m.common)
        out.append(m)
    return out


#: The longest run of text read as one sentence. A page with no full stops (a list, a run of marks) would
#: otherwise be one sentence that every quotation in it searches whole: quadratic work.
MAX_SENTENCE = 2_000


def _pieces(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence, or an overlong one cut at spaces into pieces of at most MAX_SENTENCE characters."""
    out = []
    while end - start > MAX_SENTENCE:
        cut = masked.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _abbreviation(text: str, at: int) -> bool:
    """Whether the full stop at ``at`` ends an abbreviation or an initial (Mr. Lavrov, U.S. officials, S. Braun)."""
    if text[at] != ".":
        return False
    j = at
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "."):
        j -= 1
    word = text[j:at].lower()
    if word.isdigit() and len(word) <= 2:
        # an ordinal date ("am 12. Oktober", "18. Juli 2003"): the next word is a month
        nxt = re.match(r"\s+([\w]+)", text[at + 1:at + 30])
        return nxt is not None and lexicon.cues().has("not_names", nxt.group(1))
    return word in lexicon.closed().abbreviations or (len(word) == 1 and word.isalpha())


def names(masked: str) -> list[Mention]:
    """Runs of capitalised words outside quotations, split where an ordinary word, a role or a possessive stands
    inside the run: "North Korea’s Foreign Minister Choe Son Hui" is "North Korea’s" and "Choe Son Hui"."""
    out: list[Mention] = []
    c = lexicon.cues()
    lowered = set(w.lower() for w in re.findall(r"\b[a-zà-ÿа-яёїієґ][\w’'-]*", masked))
    for m in NAME.finditer(masked):
        run = m.group(0)
        segment: list[tuple[int, int]] = []
        prev = ""
        words = list(re.finditer(r"\S+", run))
        for k, t in enumerate(words):
            word = t.group()
            start, end = m.start(0) + t.start(), m.start(0) + t.end()
            # a role word right after a given name is a surname ("Ana Pastor", "Stephen King"), and so is a
            # capitalised particle with a name after it ("Marine Le Pen", "Jean-Yves Le Drian")
            named = bool(prev) and given_name(prev, c)
            surname = named and (c.has("roles", word.strip(".’'")) or (
                k + 1 < len(words) and re.fullmatch(_PARTICLE, word.lower()) is not None))
            lone_article = word in _SECOND_PARTICLE and prev.lower() not in _SECOND_PARTICLE[word]
            prev = word
            if lone_article or (
                    not surname and _ordinary(word, lowered if k == 0 else set(), c) and not re.fullmatch(_PARTICLE, word)):
                _emit(masked, segment, out)
                segment = []
                continue
            segment.append((start, end))
            if word.endswith(("’s", "'s")):
                _emit(masked, segment, out)
                segment = []
        _emit(masked, segment, out)
    # a title ending in an abbreviated honorific before the name ("Democratic Michigan Gov. Gretchen Whitmer"):
    # the run stops at the abbreviation's full stop, and what stands before it is nobody's name
    return [m for m in out if not (_honorific(m.text.split()[-1] + ".", c) and re.match(r"\.[ \t\u00a0]+[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ]",
                                                                           masked[m.end:m.end + 3]))]


def _after_determiner(masked: str, at: int, c: lexicon.Cues, determiners: frozenset[str] | None = None) -> bool:
    """Whether a run of capitalised words follows a determiner, perhaps with lower-case words between ("dem
    außerparlamentarischen Oppositionellen", "the Russian Foreign Ministry"): a common noun or a body.
    ``determiners``: the article's language's (by default every language's)."""
    lead = re.findall(r"[\w’'-]+|[^\w\s]", masked[max(0, at - 50):at])
    for k, w in enumerate(reversed(lead[-3:])):
        if w.lower() in determiners if determiners is not None else c.has("determiners", w):
            return True
        if c.has("roles", w) or role_compound(w, c):
            return False  # "le ministre Jean Dupont", "der Sprecher Dmitri Peskow": a role names a person next
        if not (w[:1].islower() and re.search(r"(?:en|er|es|em|e)$", w)):
            return False  # only adjectives stand between a determiner and its noun
    return False


def _emit(masked: str, segment: list[tuple[int, int]], out: list[Mention]) -> None:
    while segment and re.fullmatch(_PARTICLE, masked[segment[-1][0]:segment[-1][1]]):
        segment = segment[:-1]
    while segment and re.fullmatch(_PARTICLE, masked[segment[0][0]:segment[0][1]]):
        segment = segment[1:]
    if not segment:
        return
    common = _after_determiner(masked, segment[0][0], lexicon.cues())
    segment = _person_part(masked, segment)
    s, e = segment[0][0], segment[-1][1]
    text = masked[s:e]
    possessive = text.endswith(("’s", "'s"))
    if possessive:
        text = text[:-2]
    out.append(Mention(s, s + len(text), text, possessive, common))


def stem(word: str) -> str:
    """A word without its Cyrillic case ending (Путина, Путину -> Путин; Зеленского -> Зеленск), so the
    inflected mentions of one person match; other scripts are returned lower-cased as they are."""
    w = word.lower().strip(".’'")
    if re.search(r"[а-яёіїєґ]", w) and len(w) > 4:
        return re.sub(r"(ого|его|ому|ему|ими|ыми|ой|ей|ий|ый|ая|ую|ым|им|ом|ем|ою|ею|а|я|у|ю|е|ы|и|і)$", "", w)
    return w


def given_name(word: str, c: lexicon.Cues) -> bool:
    """Whether ``word`` is a common first name (Владимира counts as Владимир)."""
    w = word.lower().strip(".’'")
    return w in c.words["given_names"] or stem(w) in _given_stems()


@lru_cache(maxsize=1)
def _given_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in lexicon.cues().words["given_names"])


def _person_part(masked: str, segment: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The part of a run of capitalised words that names the person: without an honorific before it ("M.
    Poutine", "Herr Wulff", "г-н Песков"), without a place or an organisation before the given names
    ("Украины Владимир Зеленский", "Roskomnadzor Alexander Zharov", "Frankreichs Staatschef François Hollande")."""
    c = lexicon.cues()
    words = [masked[s:e] for s, e in segment]
    k = 0
    while k < len(words) - 1 and _honorific(words[k], c):
        k += 1
    words, segment = words[k:], segment[k:]
    if len(words) < 2:
        return segment
    # the given names that start the person's name: the last run of them with a surname after it
    given = [i for i in range(1, len(words) - 1) if given_name(words[i], c)]
    j = given[-1] if given else 0
    while j > 0 and given_name(words[j - 1], c):
        j -= 1
    if j > 0:
        return segment[j:]
    # no given name known: a place word or a role compound before the name goes
    k = 0
    while k < len(words) - 1 and (lexicon.place_word(words[k]) or role_compound(words[k], c)):
        k += 1
    return segment[k:]


def _honorific(word: str, c: lexicon.Cues) -> bool:
    w = word.lower()
    return w in c.words["honorifics"] or w.rstrip(".") in c.words["honorifics"]


def honorific_before(text: str) -> bool:
    """Whether ``text`` ends with an honorific ("… a déclaré M. ", "Mr. "): the name after it is a person's."""
    last = re.findall(r"[\w’'.-]+", text[-20:])
    return bool(last) and text[-1:].isspace() and _honorific(last[-1], lexicon.cues())


def role_compound(word: str, c: lexicon.Cues) -> bool:
    """A compound naming a role, German style: "Staatschef", "Außenamtssprechers", "Steuerexperte"."""
    w = word.lower().strip(".’'")
    return any(w.endswith(r) or w.endswith(r + "s") or w.endswith(r + "n") for r in c.words["role_suffixes"])


def _ordinary(word: str, lowered: set[str], c: lexicon.Cues) -> bool:
    w = word.strip(".’'").lower()
    if w.endswith(("’s", "'s")):
        w = w[:-2]
    return (w in lexicon.closed().function_words or c.has("roles", w) or c.has("cue_verbs", w) or c.has("pronouns", w)
            or c.has("attributions", w) or c.has("republication", w) or c.has("credits", w)
            or (role_compound(w, c) and not given_name(w, c))
            or (w in lowered and len(w) > 3 and not word.isupper()))


__all__ = ["Doc", "Mention", "read", "names", "NAME", "given_name", "role_compound", "stem"]
