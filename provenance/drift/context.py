"""What every check reads: the hop, its comparison texts as annotated tokens, and the beads.

Built once per hop so that each check is a cheap scan. Tokens carry a lemma, a
content weight (function words weigh nothing, so dropping "the" is not drift)
and the word-list markers they belong to. Inside each aligned bead the tokens
are diffed by lemma, and words that merely moved ("until victory day" / "until
the day of victory") are told apart from words that were really lost or added.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex
from rapidfuzz.distance import Levenshtein

from provenance import lemmas
from provenance.align.project import project
from provenance.align.tokens import is_digit_key, tokenize_cached
from provenance.align.types import Alignment, Bead
from provenance.intake.lexicon import cues, source_named  # the outlets list is intake's: one list, read one way
from provenance.intake.quotes import after_title_noun
from provenance.drift.lexicon import (Entry, Lexicon, all_editor_note_marks, all_editor_note_openers, base_language,
                                      lexicon, word_classes)
from provenance.drift.types import Hop, TextQuote

#: Languages simplemma can lemmatise (a subset is enough: others use the surface form).
_LEMMA_LANGS = frozenset({"en", "fr", "de", "es", "ru", "it", "pt", "nl", "uk", "pl"})
_ELISION = regex.compile(r"^(l|d|n|qu|j|m|t|s|c|jusqu|lorsqu|puisqu)['’](.+)$", regex.IGNORECASE)
_POSSESSIVE = regex.compile(r"['’]s$")
#: An editor's words in square brackets ("[you] must know", "without you [singular]"): a gloss's or a
#: writer's note, nobody's quoted word. Short (up to ``_SHORT_NOTE`` characters), so that a bracketed passage
#: of the speaker stays his, unless it says it is a note ("[literally: why do you not keep quiet?, ...]").
_BRACKETED = regex.compile(r"\[([^\[\]\n]{1,300})\]")
_SHORT_NOTE = 40


#: A short passage in parentheses: an editor's note when it ends with an editor's mark ("letteralmente
#: emmerder, ndr") or, in a text of another script, is only Latin letters ("화염과 분노(fire and fury)").
_PARENTHESISED = regex.compile(r"\(([^()\n]{1,80})\)")
_LATIN_ONLY = regex.compile(r"^[A-Za-z][A-Za-z '’\-]*$")
_LATIN_LETTER = regex.compile(r"[A-Za-z]")
_LETTER = regex.compile(r"\p{L}")


@lru_cache(maxsize=256)
def editor_notes(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of ``text`` that are an editor's notes, nobody's quoted words: short passages in square
    brackets ("[you] must know"), and passages in parentheses that an editor's mark ends ("(…, ndr)",
    "(NDLR)") or that give the original words in Latin letters inside a text of another script."""
    spans: list[tuple[int, int]] = []
    if "[" in text:
        openers = all_editor_note_openers()
        spans += [(m.start(), m.end()) for m in _BRACKETED.finditer(text)
                  if len(m.group(1)) <= _SHORT_NOTE or m.group(1).casefold().lstrip().startswith(openers)]
    if "(" in text:
        marks = all_editor_note_marks()
        letters = len(_LETTER.findall(text))
        other_script = letters > 0 and len(_LATIN_LETTER.findall(text)) < 0.5 * letters
        for m in _PARENTHESISED.finditer(text):
            inner = m.group(1).casefold().strip(" .,;:")
            marked = any(inner == mark or inner.endswith((" " + mark, "," + mark)) for mark in marks)
            if marked or (other_script and _LATIN_ONLY.match(m.group(1).strip())):
                spans.append((m.start(), m.end()))
    return tuple(sorted(spans))


def in_editor_note(text: str, at: int) -> bool:
    """Whether ``text[at]`` lies inside an editor's note (see :func:`editor_notes`)."""
    return any(a < at < b for a, b in editor_notes(text))
# Inside single quotation marks, a ’ or ' followed by a letter is an apostrophe (‘I’m not bluffing’).
_QUOTE_SPANS = regex.compile(
    r"“[^”“]*”|„[^“”„]*[“”]|«[^»]*»|\"[^\"]*\"|「[^」]*」|『[^』]*』|‹[^›]*›"
    r"|(?<!\w)‘(?:[^’‘]|’(?=\w))*’(?!\w)|(?<!\w)'(?:[^']|'(?=\w))+'(?!\w)"
    r"|(?<!\w)”[^”“]*”(?!\w)"  # ”…”, the Swedish and Finnish style, and a common slip elsewhere
    r"|(?<!\w)“[^”“\n]*\w[.,!?…]?“(?!\w)"  # “…“, the same slip the other way ("… per il ruolo di kapò“.)
)
#: The same with guillemets pointing inwards, »…« and ›…‹, as German and Danish print them.
_QUOTE_SPANS_INWARD = regex.compile(_QUOTE_SPANS.pattern.replace("«[^»]*»", "»[^«]*«").replace("‹[^›]*›", "›[^‹]*‹"))
#: Content weight of a word whose initial capital marks a name (not sentence start).
NAME_WEIGHT = 1.5
CONTEXT_CHARS = 32


@lru_cache(maxsize=200_000)
def lemma_of(word: str, language: str) -> str:
    if language not in _LEMMA_LANGS:
        return word
    word = _POSSESSIVE.sub("", word) if language == "en" else word
    if language == "en" and word.endswith(("n't", "n’t")):
        return word  # simplemma gives "wouldn't" the lemma "will": the word lists name each contraction
    return lemmas.lemmatize(word, language).casefold()


@lru_cache(maxsize=200_000)
def is_known_word(word: str, language: str) -> bool:
    return language in _LEMMA_LANGS and lemmas.is_known(word, language)


#: A dataclass's generated ``__init__`` is interpreted Python even in a compiled module (about
#: 0.5 us per call); a hop builds a hundred tokens, so Tok and Marker spell theirs out, which
#: mypyc compiles (about 30 ns).
@dataclass(slots=True, init=False)
class Tok:
    start: int
    end: int
    text: str
    key: str
    lemma: str
    is_word: bool
    stop: bool = False
    cap: bool = False  # starts with a capital letter
    initial: bool = False  # first word of its sentence
    name_like: bool = False
    quoted: bool = False
    number: bool = False
    # A tuple, not a list: most tokens carry no marker, and a list per token doubled the
    # objects each hop allocates for the garbage collector to track.
    markers: tuple[Entry, ...] = ()
    weight: float = 0.0

    def __init__(
        self, start: int, end: int, text: str, key: str, lemma: str, is_word: bool, stop: bool = False, cap: bool = False,
        initial: bool = False, name_like: bool = False, quoted: bool = False, number: bool = False,
        markers: tuple[Entry, ...] = (), weight: float = 0.0,
    ) -> None:
        self.start, self.end, self.text, self.key, self.lemma, self.is_word = start, end, text, key, lemma, is_word
        self.stop, self.cap, self.initial, self.name_like, self.quoted, self.number = stop, cap, initial, name_like, quoted, number
        self.markers, self.weight = markers, weight


def acronym(tok: Tok) -> bool:
    """A word in capitals of two letters or more: "US" is the country, not the pronoun "us"."""
    return len(tok.text) > 1 and tok.text.isupper()


@dataclass(slots=True, init=False)
class Marker:
    entry: Entry
    first: int  # token indices, inclusive
    last: int

    def __init__(self, entry: Entry, first: int, last: int) -> None:
        self.entry, self.first, self.last = entry, first, last

    @property
    def kind(self) -> str:
        return self.entry.kind


@dataclass(slots=True)
class Side:
    """One rendition as the checks see it: original text plus the comparison text, tokenised."""

    text: str
    language: str  # language of ``cmp``
    cmp: str
    via_pivot: bool
    lex: Lexicon
    toks: list[Tok]
    starts: list[int]
    markers: list[Marker]
    quote_spans: list[tuple[int, int]]
    speech: list[tuple[int, int]]  # the speaker's words: quotations, or all but a reporting frame; empty: all
    spoken: list[bool]  # per token: inside the speaker's words (``speaks`` of its start, computed once)
    # the writer's caution, not the speaker's: hedges in the narration ("Perhaps the 'barking' prompted ..."),
    # and its modals of possibility ("an anger that may have been 'facilitated'")
    writer_hedges: list[Marker]

    @property
    def marked(self) -> bool:
        """The comparison text has quotation marks (or speaks in the first person throughout)."""
        return bool(self.quote_spans)

    def speaks(self, start: int, end: int | None = None) -> bool:
        """Is ``cmp[start:end]`` the speaker's words? Inside quotation marks, or anywhere in a text without them.

        A text stored as the bare quoted words has no marks: all of it is speech,
        but for a reporting frame ("Putin said that ...").
        """
        if not self.speech:
            return True
        end = start + 1 if end is None else end
        return any(a < end and start < b for a, b in self.speech)

    def token_range(self, span: tuple[int, int] | None) -> range:
        if span is None:
            return range(0)
        lo = bisect_left(self.starts, span[0])
        hi = bisect_left(self.starts, span[1])
        return range(lo, hi)


@dataclass(slots=True, init=False)
class Region:
    """A maximal change inside a bead: parent tokens [p0, p1) became child tokens [c0, c1)."""

    p0: int
    p1: int
    c0: int
    c1: int
    lost_p: list[int]  # parent content tokens with no counterpart in the child bead
    lost_c: list[int]

    def __init__(self, p0: int, p1: int, c0: int, c1: int, lost_p: list[int], lost_c: list[int]) -> None:
        self.p0, self.p1, self.c0, self.c1, self.lost_p, self.lost_c = p0, p1, c0, c1, lost_p, lost_c

    def weight(self, side: Side, lost: list[int], skip: set[int]) -> float:
        return sum(side.toks[i].weight for i in lost if i not in skip)


@dataclass(slots=True, init=False)
class BeadView:
    bead: Bead
    p: range
    c: range
    pairs: list[tuple[int, int]]  # parent token -> child token kept (equal in the diff, or moved)
    regions: list[Region]

    def __init__(self, bead: Bead, p: range, c: range, pairs: list[tuple[int, int]], regions: list[Region]) -> None:
        self.bead, self.p, self.c, self.pairs, self.regions = bead, p, c, pairs, regions


def _guillemets(text: str) -> list[tuple[int, int]] | None:
    """Outermost «…» pairs, nested ones inside («Давайте розставимо крапки над «i». Ми не один народ»);
    None when they do not balance (then each « pairs with the next »)."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, -1
    for i, ch in enumerate(text):
        if ch == "«":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "»" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans if depth == 0 else None


#: Direct speech opened by a dash at the start of a paragraph, the Portuguese, Spanish, Russian and
#: Ukrainian convention ("— A guerra será longa — declarou o presidente."): it runs to the dash that
#: opens the narrator's words (a lower-case word follows, or a capital after the speech's closing
#: punctuation: "– Do you think he's a murderer? – George Stephanopoulos asked"), to a closing quotation
#: mark where a page mixes the conventions ("– Uh-huh,” Joe Biden replied"), or to the end of the paragraph.
_DIALOGUE = regex.compile(r"(?m)^[ \t]*[—–―][ \t\u00a0]*(?=\S)([^“«\n]+?)(?=[ \t\u00a0][—–―][ \t\u00a0]*\p{Ll}"
                          r"|(?<=[?!.,…])[ \t\u00a0][—–―][ \t\u00a0]*\p{Lu}|[”»]|[ \t]*$)")


#: A transcript's turn: a speaker's label at the start of a line, a colon, the words ("T. Erdoğan: Sayın Peres
#: benden yaşlısın.", "Moderatör: Peki Sayın Başbakan ..."). The label is one to four capitalised words, and a
#: text is read as a transcript only when two lines at least are turns: a headline's "Putin: …" is one line.
_TURN = regex.compile(r"(?m)^[ \t]*(?:\p{Lu}[\p{L}'’\-]*\.?[ \t]?){1,4}:[ \t]+(?=\S)(.+?)[ \t]*$")
MIN_TURNS = 2


@lru_cache(maxsize=8192)
def transcript_turns(text: str) -> tuple[tuple[int, int], ...]:
    """The words of each turn of a transcript (:data:`_TURN`), or none when ``text`` is no transcript.

    A transcript prints what each person said without quotation marks; the
    words of its turns are as quoted as words in marks, so a report that puts
    them in marks presents nothing new as verbatim. Its turns are not the
    quote's speech for the other checks: the moderator's turns are someone
    else's words, which an excerpt of the speaker's leaves out by design.
    """
    if ":" not in text:
        return ()
    turns = tuple((m.start(1), m.end(1)) for m in _TURN.finditer(text))
    return turns if len(turns) >= MIN_TURNS else ()


def _left_open(text: str, spans: list[tuple[int, int]], inward: bool) -> tuple[int, int] | None:
    """A quotation opened after the last one and never closed, as a page cut short leaves it or a long quote
    whose closing mark sits paragraphs later ("… wörtlich: \"Entschuldigung, bitte, nur eine Minute. …"): its
    words to the end of their paragraph are speech. Only a mark that opens (a straight double quote after
    a space or a line's start), after a colon that announces the quotation, with words after it: a mark
    left open elsewhere is a slip ("“Putin won’t win this war. Scholz stated that Ukraine would persevere.")."""
    after = spans[-1][1] if spans else 0
    openers = "„“" + ("»" if inward else "«")
    tail = text[after:]
    at = min((k for k in (tail.find(ch) for ch in openers) if k >= 0), default=-1)
    straight = regex.search(r'(?:^|(?<=[\s:(]))"(?=\w)', tail)
    if straight is not None and (at < 0 or straight.start() < at):
        at = straight.start()
    if at < 0 or any(ch in tail[at + 1:] for ch in "”»«\"“„") or not tail[:at].rstrip().endswith(":"):
        return None
    end = tail.find("\n", at)
    end = len(tail) if end < 0 else end
    if not regex.search(r"\w", tail[at + 1:end]):
        return None
    return (after + at, after + end + 1)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` inside quotation marks (without the marks), outermost quotations only;
    a dialogue dash's speech counts as one."""
    # »…« (German) when a » opens before any «: read the other way, »von den Lippen« abzulesen: »Ohne …«
    # would pair « abzulesen: » and leave both quotations as narration
    first_close, first_open = text.find("»"), text.find("«")
    inward = first_close >= 0 and (first_open < 0 or first_close < first_open)
    nested = _guillemets(text) if "«" in text and not inward else None
    outer = nested or []
    dashed = [(m.start(1) - 1, m.end(1) + 1) for m in _DIALOGUE.finditer(text)] if "—" in text or "–" in text or "―" in text else []
    outer = outer + dashed
    found = [(m.start(), m.end()) for m in (_QUOTE_SPANS_INWARD if inward else _QUOTE_SPANS).finditer(text)
             if not any(a <= m.start() < b for a, b in outer)]
    spans = sorted({*outer, *[(a, b) for a, b in found if nested is None or text[a] != "«"]})
    spans = [(a, b) for a, b in spans if not _outlet_in_marks(text[a + 1:b - 1]) and not _titled_name(text, a, b)]
    opening = _opened_before(text, spans[0][0] if spans else len(text), inward)
    if opening is not None:
        spans.insert(0, opening)
    left_open = _left_open(text, spans, inward)
    if left_open is not None:
        spans.append(left_open)
    return [(a + 1, b - 1) for a, b in spans if b - a > 2]


def _outlet_in_marks(inner: str) -> bool:
    """An outlet's name in quotation marks ("Об этом сообщает "Московский Комсомолец"", «ПолитРоссия»): a name,
    nobody's words; a text quoting nothing else is reported speech."""
    return len(inner) <= 40 and len(inner.split()) <= 4 and source_named(inner.strip(" .,")) is not None


def _titled_name(text: str, a: int, b: int) -> bool:
    """A name in marks right after the noun that announces it ("the winter sports festival "Minsk Ski Track"",
    "l'opération « Barkhane »"): an event's, a work's or a body's name, nobody's words. Intake's title nouns,
    one list read one way."""
    inner = text[a + 1:b - 1].strip()
    words = inner.split()
    if not words or len(words) > 4 or not inner[:1].isupper() or inner[-1:] in ".!?…,;:":
        return False
    return after_title_noun(text[max(0, a - 40):a].rstrip(), cues())


def _opened_before(text: str, before: int, inward: bool) -> tuple[int, int] | None:
    """A text copied from inside a quotation, whose opening mark stayed on the page ("Probíhají změny, jaké tu
    nebyly sto let. A my společně jsme jejich hybateli,“ řekl Si Ťin-pching"): a closing mark before any
    quotation opens, with words before it, closes a quotation that began before the text; (-1, its place + 1)
    in the spans' terms, so the words from the start are speech."""
    closers = "“”" if "„" in text else "”"
    closers += "«" if inward else "»"
    head = text[:before]
    at = min((k for k in (head.find(ch) for ch in closers) if k >= 0), default=-1)
    if at < 0 or any(ch in head[:at] for ch in "“„«»\"‘") or not regex.search(r"\w", head[:at]):
        return None
    return (-1, at + 1)


@lru_cache(maxsize=8192)
def has_quotation_marks(text: str) -> bool:
    """Does ``text`` put words inside quotation marks (not merely speak in the first person)?"""
    return bool(_quote_spans(text))


@lru_cache(maxsize=1 << 16)
def _word_facts(key: str, language: str) -> tuple[str, bool]:
    """(lemma, stop word?) of a word key in a base language: words recur across hops."""
    lemma = lemma_of(key, language)
    return lemma, lexicon(language).is_stop(key, lemma)


Annotated = tuple[list["Tok"], list["Marker"], list[tuple[int, int]], list[tuple[int, int]], list["Marker"]]


def _annotate(text: str, language: str, sentence_starts: set[int]) -> Annotated:
    """Tokens, word-list markers, quotation spans and speech spans (empty: all of the text is speech)."""
    lang = base_language(language)
    lex = lexicon(lang)
    elides = lang in {"fr", "it"}
    quotes = _quote_spans(text)
    n_quotes = len(quotes)
    q_i = 0
    prev_end_punct = True
    toks: list[Tok] = []
    append = toks.append
    for t in tokenize_cached(text):
        start, end, surface, key, is_word = t
        if not is_word:
            while q_i < n_quotes and quotes[q_i][1] <= start:
                q_i += 1
            quoted = q_i < n_quotes and quotes[q_i][0] <= start < quotes[q_i][1]
            if surface in ".!?。":
                prev_end_punct = True
            append(Tok(start, end, surface, key, key, False, False, False, False, False, quoted))
            continue
        m = _ELISION.match(key) if elides else None
        if m:  # l'armée: the article and the word are two tokens
            cut = start + len(m.group(1)) + 1
            article = m.group(1) + "'"
            rest = m.group(2)
            pieces: tuple[tuple[int, int, str, str, str, bool], ...] = ((start, cut, text[start:cut], article, article, lex.is_stop(article, article)), (cut, end, text[cut:end], rest, *_word_facts(rest, lang)))
        elif is_digit_key(key):
            # A number is its own lemma (simplemma leaves digits alone): asking would only fill the
            # word caches (lemma, stop word) with one-off numbers.
            pieces = ((start, end, surface, key, key, lex.is_stop(key, key)),)
        else:
            pieces = ((start, end, surface, key, *_word_facts(key, lang)),)
        for p_start, p_end, p_text, p_key, lemma, stop in pieces:
            while q_i < n_quotes and quotes[q_i][1] <= p_start:
                q_i += 1
            quoted = q_i < n_quotes and quotes[q_i][0] <= p_start < quotes[q_i][1]
            initial = prev_end_punct or p_start in sentence_starts
            prev_end_punct = False
            append(Tok(p_start, p_end, p_text, p_key, lemma, True, stop, p_text[0].isupper(), initial, False, quoted, p_key[0].isdigit()))
    marked = bool(quotes)
    if not quotes and any(t.is_word and t.key in lex.first_person and not acronym(t) for t in toks):
        # No quotation marks but the speaker's own first person: the whole text is the quote.
        quotes = [(0, len(text))]
        for tok in toks:
            tok.quoted = True
    markers = scan_markers(toks, lex)
    if quotes and marked:
        quotes = _without_insertions(text, toks, markers, quotes)
    editor = editor_notes(text)
    for tok in toks:
        if not tok.is_word or tok.stop or tok.number or tok.markers:
            continue
        if editor and any(a < tok.start < b for a, b in editor):
            continue  # weight 0: an editor's note adds or drops nothing the speaker said
        tok.name_like = _name_like(tok, lang)
        tok.weight = NAME_WEIGHT if tok.name_like and lang != "de" else 1.0
    speech = quotes
    writer_hedges: list[Marker] = []
    if marked:
        possible = {w for w, kind in lex.modal_kinds.items() if kind == "possibility"}
        writer_hedges = [m for m in markers if not toks[m.first].quoted and (m.kind == "hedge" or (
            m.kind == "modal" and m.entry.name in possible and not (toks[m.first].cap and not toks[m.first].initial)))]
        # (a modal with a capital inside a sentence is a name: "on 3 May")
        markers = _narration_muted(toks, markers)
    else:
        framed = _reporting_frame_muted(text, toks, markers, first_person=bool(quotes))
        if not quotes:
            speech = framed  # reported speech: the frame is the writer's, the text has no quotation
        elif framed:
            speech = quotes = framed  # the first person throughout, but for a headline's credit line
    return toks, markers, quotes, speech, writer_hedges


#: The narrator's words set between dashes inside a quotation: "La battaglia è qui - avrebbe dichiarato - ho …".
_INSERTION = regex.compile(r"\s[-–—]\s+(\S.{1,238}?)\s+[-–—](?=\s)")


def _without_insertions(text: str, toks: list[Tok], markers: list[Marker],
                        quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations with the narrator's insertions taken out ("“La battaglia è qui - avrebbe dichiarato secondo
    l'Associated Press - ho bisogno di munizioni”", the Italian, Spanish and Portuguese habit): a stretch
    between spaced dashes with a reporting verb in it is the writer's, so its words are narration (its
    "reportedly" no hedge of the speaker's) and the quotation is the two pieces around it."""
    reporting = [toks[m.first].start for m in markers if m.kind == "reporting"]
    out: list[tuple[int, int]] = []
    for a, b in quotes:
        cuts = [(m.start(), m.end()) for m in _INSERTION.finditer(text, a, b)
                if any(m.start(1) <= r < m.end(1) for r in reporting)]
        at = a
        for s, e in cuts:
            out.append((at, s))
            for tok in toks:
                if s <= tok.start < e:
                    tok.quoted = False
            at = e
        out.append((at, b))
    return [(a, b) for a, b in out if b > a]


#: How far from either end of its sentence a reporting verb may sit to frame it ("Putin said that ...").
FRAME_WORDS = 8


def reporting_beside_names(toks: list[Tok], markers: list[Marker]) -> list[tuple[Marker, int, int, list[int]]]:
    """Reporting verbs next to a name ("Choe said", "declared Kim"): a writer reporting someone's words.

    A verb of saying alone is not enough: a speaker's own words use them too
    ("we must acknowledge that ..."). Each comes with its first and last word
    positions among ``words``, the text's word tokens, returned beside it.
    """
    words = [i for i, t in enumerate(toks) if t.is_word]
    at = {i: k for k, i in enumerate(words)}
    out = []
    for m in markers:
        if m.kind != "reporting" or m.first not in at:
            continue
        k0, k1 = at[m.first], at[m.last]
        if any(toks[i].name_like for i in words[max(0, k0 - 2):k0] + words[k1 + 1:k1 + 3]):
            out.append((m, k0, k1, words))
    return out


def sentence_numbers(toks: list[Tok]) -> list[int]:
    """The sentence every token belongs to, counted from 1 at each sentence's first word."""
    out, n = [], 0
    for t in toks:
        n += t.is_word and t.initial
        out.append(n)
    return out


def _reporting_frame_muted(text: str, toks: list[Tok], markers: list[Marker], *,
                           first_person: bool = False) -> list[tuple[int, int]]:
    """Reported speech without quotation marks: the frame "Long ago Putin said that" is the writer's.

    A reporting verb next to a name, near the start of its sentence, frames what
    follows; near its end (", Putin said."), what precedes; so does a headline's
    credit line (:func:`_headline_credit`), the only frame of a text that speaks
    in the first person throughout (``first_person``). The frame's words weigh
    nothing, as narration around quotation marks does. Returns the speech spans:
    the text outside the frames (empty when there is no frame).
    """
    frames = _headline_credit(text, toks)
    for a, b in frames:
        for tok in toks:
            if a <= tok.start < b:
                tok.weight, tok.quoted = 0.0, False
    sentence = sentence_numbers(toks)
    for _, k0, k1, words in [] if first_person else reporting_beside_names(toks, markers):
        sent = sentence[words[k0]]
        members = [k for k, i in enumerate(words) if sentence[i] == sent]
        if k0 - members[0] <= FRAME_WORDS:
            frame = range(members[0], k1 + 1)
        elif members[-1] - k1 <= 3:
            frame = range(k0 - 2 if k0 >= 2 else 0, members[-1] + 1)
        elif _after_fronted_phrases(toks, words, k0, members[0]):  # the words reported follow the verb
            frame = range(members[0], k1 + 1)
        else:
            continue
        for k in frame:
            tok = toks[words[k]]
            if tok.weight > 0 and not tok.markers:
                tok.weight = 0.0
        frames.append((toks[words[frame[0]]].start, toks[words[frame[-1]]].end))
    if not frames:
        return []
    speech, at_ = [], 0
    for a, b in sorted(frames):
        if a > at_:
            speech.append((at_, a))
        at_ = max(at_, b)
    if at_ < len(text):
        speech.append((at_, len(text)))
    return speech or [(0, 0)]


def _after_fronted_phrases(toks: list[Tok], words: list[int], k0: int, first: int) -> bool:
    """The name before the reporting verb at ``words[k0]`` follows a comma, after phrases set off at the
    start of its sentence ("In 2005, in a speech to the federal assembly, Putin described ..."): the
    writer's time and place, however long, then who spoke."""
    def comma_before(k: int) -> bool:
        return any(not t.is_word and "," in t.text for t in toks[words[k - 1] + 1:words[k]])

    k = k0 - 1
    while k > first and toks[words[k]].name_like and toks[words[k - 1]].name_like and not comma_before(k):
        k -= 1  # the first word of the name ("Vladimir Putin"), not a place before a comma ("Moscow, Putin")
    return first < k and toks[words[k]].name_like and comma_before(k)


#: The most words a headline's credit line may have ("- Kim Jong Un", "Scholz:").
CREDIT_WORDS = 4
_CREDIT_DASH = regex.compile(r"\s[-–—]\s+(?=[^-–—]*$)")


def _headline_credit(text: str, toks: list[Tok]) -> list[tuple[int, int]]:
    """A speaker credited by name after a dash or before a colon ("The nuclear button is on my desk - Kim
    Jong Un", "Scholz: Wir erleben eine Zeitenwende"): the headline's way of saying who spoke. Only names
    (at most :data:`CREDIT_WORDS` words) count, so "Russia - a threat" stays speech."""
    out = []
    dash = _CREDIT_DASH.search(text)
    colon = text.find(":")
    for a, b in ((dash.start(), len(text)) if dash else (-1, -1), (0, colon + 1) if 0 < colon else (-1, -1)):
        if a < 0:
            continue
        words = [t for t in toks if t.is_word and a <= t.start < b]
        if 0 < len(words) <= CREDIT_WORDS and all(t.name_like or t.stop for t in words) and any(t.name_like for t in words):
            out.append((a, b))
    return out


#: Word-list kinds that still count in the narrator's words: how the writer reports the speech.
NARRATION_KINDS = frozenset({"reporting"})


def _narration_muted(toks: list[Tok], markers: list[Marker]) -> list[Marker]:
    """A text with quotation marks: only the words inside them are the speaker's.

    Real renditions wrap the quote in the writer's sentence ("Kim said in his
    address broadcast on state TV"); that narration differs from outlet to outlet
    and is not the quote. Its words weigh nothing (so its loss or gain is not an
    omission or addition) and its hedges, negations and modals are not the
    speaker's; only its reporting verbs still count (said -> claimed changes
    how the speaker is presented). Names and numbers in it are left out by the
    checks through :meth:`Side.speaks`.
    """
    for tok in toks:
        if not tok.quoted:
            tok.weight = 0.0
            if tok.markers:
                tok.markers = tuple(e for e in tok.markers if e.kind in NARRATION_KINDS)
    return [m for m in markers if m.kind in NARRATION_KINDS or toks[m.first].quoted]


#: A Roman numeral (XX, ХХ-го in Cyrillic letters, XIX): an ordinal, not a name.
_ROMAN = regex.compile(r"^[IVXLCDMХІ]+(?:-\w{1,3})?$")


#: A sound, not a word: "Mmm", "Mhmm", "Uh-huh", "Hmm", "Ahh" (a transcript's answer is nobody's name).
_VOCAL = regex.compile(r"^(?:m+h*m*(?:-?h+m+)*|h+m+|u+h+(?:-?h?u+h+)?|a+h+|o+h+|e+r+m+)$", regex.IGNORECASE)


def _name_like(tok: Tok, lang: str) -> bool:
    if not tok.cap or _ROMAN.match(tok.text) or (len(tok.text) <= 8 and tok.text[0] in "MHUAOEmhuaoe"
                                                  and _VOCAL.match(tok.text)):
        return False
    if lang == "de":  # every German noun has a capital: only words no dictionary knows are names
        return not is_known_word(tok.text, lang) and not is_known_word(tok.key, lang)
    if tok.initial:
        return lang in _LEMMA_LANGS and not is_known_word(tok.key, lang)
    return True


def scan_markers(toks: list[Tok], lex: Lexicon) -> list[Marker]:
    """Find word-list phrases; each token keeps every marker it is part of."""
    words = [i for i, t in enumerate(toks) if t.is_word]
    found: list[Marker] = []
    taken: dict[str, int] = {}  # kind -> last token index claimed (longest match first)
    first_words = lex.entries
    starts: list[tuple[int, int]] | enumerate[int] = enumerate(words)
    if not lex.prefix_match:
        # Most words start no phrase (lex.lookup would return nothing): drop them in one
        # comprehension rather than one loop iteration each.
        starts = [(w_pos, i) for w_pos, i in starts if toks[i].key in first_words or toks[i].lemma in first_words]
    for w_pos, i in starts:
        tok = toks[i]
        for entry in lex.lookup(tok.key, tok.lemma):
            if taken.get(entry.kind, -1) >= i:
                continue
            n = len(entry.words)
            if w_pos + n > len(words):
                continue
            ok = True
            for k in range(1, n):
                other = toks[words[w_pos + k]]
                if not lex.word_matches(entry.words[k], other.key, other.lemma):
                    ok = False
                    break
            if not ok or (n == 1 and not lex.word_matches(entry.words[0], tok.key, tok.lemma)):
                continue
            last = words[w_pos + n - 1]
            found.append(Marker(entry, i, last))
            taken[entry.kind] = last
    if lex.negation_infixes:
        seen = {m.first for m in found if m.kind == "negation"}
        for i in words:
            if i not in seen and any(infix in toks[i].key for infix in lex.negation_infixes):
                found.append(Marker(Entry((toks[i].key,), "negation", "negation"), i, i))
    # A word inside a longer hedge or booster ("there is no doubt", "is said to") belongs to that phrase only;
    # one inside an idiom ("as much as possible", "make it possible") to no list at all.
    phrases = [m for m in found if m.kind in {"booster", "hedge"} and m.last > m.first]
    idioms = [m for m in found if m.kind == "idiom"]
    kept: list[Marker] = []
    for m in found:
        if m.kind == "idiom" or any(p.first <= m.first <= p.last for p in idioms):
            continue
        if m.kind in {"negation", "reporting", "modal", "intensifier"} and m.first == m.last and any(
            p.first <= m.first <= p.last for p in phrases
        ):
            continue
        if m.kind == "negation" and m.first == m.last and _nominal(toks, m.first, lex):
            continue
        if m.kind == "reporting" and m.first == m.last and _ends_a_name(toks, m.first):
            continue
        kept.append(m)
    kept.sort(key=lambda m: (m.first, m.last))
    for m in kept:
        for i in range(m.first, m.last + 1):
            toks[i].markers += (m.entry,)
    return kept


def _ends_a_name(toks: list[Tok], i: int) -> bool:
    """A capitalised word after another, inside a sentence, with no capitalised word after it, ends a name:
    "the United States, the gentleman ..." says no "state" (a headline's "Joe Biden Calls Putin" keeps its verb)."""
    if not toks[i].cap or toks[i].initial:
        return False
    prev = next((t for t in reversed(toks[:i]) if t.is_word or t.text.strip()), None)
    nxt = next((t for t in toks[i + 1:] if t.is_word or t.text.strip()), None)
    return (prev is not None and prev.is_word and prev.cap and not prev.initial
            and not (nxt is not None and nxt.is_word and nxt.cap))


def _nominal(toks: list[Tok], i: int, lex: Lexicon) -> bool:
    """A negation word right after an article makes a noun of what follows ("os não vacinados", "les non
    vaccinés", "the non-aligned"): it names a group and denies nothing."""
    if not lex.determiners:
        return False
    k = i - 1
    while k >= 0 and not toks[k].is_word:
        if toks[k].text.strip():
            return False  # punctuation between them: another clause
        k -= 1
    return k >= 0 and toks[k].key in lex.determiners


def _similar(a: str, b: str) -> bool:
    """Same word up to inflection or derivation (east / eastern, Russia / Russian)."""
    if a == b:
        return True
    if len(a) >= 4 and len(b) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True
    return len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5]


def _bead_view(bead: Bead, parent: Side, child: Side) -> BeadView:
    p = parent.token_range(bead.parent_pivot_span) if bead.parent_sentences else range(0)
    c = child.token_range(bead.child_pivot_span) if bead.child_sentences else range(0)
    p_toks, c_toks = parent.toks, child.toks
    pw = [i for i in p if p_toks[i].is_word]
    cw = [j for j in c if c_toks[j].is_word]
    p_lemmas = [p_toks[i].lemma for i in pw]
    c_lemmas = [c_toks[j].lemma for j in cw]
    if p_lemmas == c_lemmas:  # the same words: every word kept, nothing changed
        return BeadView(bead, p, c, list(zip(pw, cw)), [])
    pairs: list[tuple[int, int]] = []
    changed: list[tuple[int, int, int, int]] = []
    ops = Levenshtein.opcodes(p_lemmas, c_lemmas)
    for op in ops:
        if op.tag == "equal":
            pairs.extend(zip(pw[op.src_start : op.src_end], cw[op.dest_start : op.dest_end]))
        else:
            changed.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    # Words that moved: a changed parent word whose lemma turns up among the changed child words.
    loose_p = [pw[k] for a, b, _, _ in changed for k in range(a, b)]
    loose_c = [cw[k] for _, _, a, b in changed for k in range(a, b)]
    free_c = [j for j in loose_c if child.toks[j].weight > 0 or child.toks[j].markers]
    moved_p: set[int] = set()
    moved_c: set[int] = set()
    for i in loose_p:
        tp = parent.toks[i]
        if tp.weight <= 0 and not tp.markers:
            continue
        for j in free_c:
            if j not in moved_c and _similar(tp.lemma, child.toks[j].lemma):
                moved_p.add(i)
                moved_c.add(j)
                pairs.append((i, j))
                break
    # Merge changes separated only by function words into one region.
    regions: list[Region] = []
    merged: list[list[int]] = []
    for a, b, x, y in changed:
        if merged:
            last = merged[-1]
            gap_p = pw[last[1] : a]
            if all(parent.toks[i].weight == 0 and not parent.toks[i].markers for i in gap_p):
                last[1], last[3] = b, y
                continue
        merged.append([a, b, x, y])
    for a, b, x, y in merged:
        p0 = pw[a] if a < len(pw) else (pw[-1] + 1 if pw else p.start)
        p1 = pw[b - 1] + 1 if b > a else p0
        c0 = cw[x] if x < len(cw) else (cw[-1] + 1 if cw else c.start)
        c1 = cw[y - 1] + 1 if y > x else c0
        lost_p = [i for i in pw[a:b] if i not in moved_p and parent.toks[i].weight > 0]
        lost_c = [j for j in cw[x:y] if j not in moved_c and child.toks[j].weight > 0]
        regions.append(Region(p0, p1, c0, c1, lost_p, lost_c))
    pairs.sort()
    return BeadView(bead, p, c, pairs, regions)


@dataclass(slots=True)
class HopContext:
    """Everything the checks share for one hop; ``claimed`` stops two checks reporting one change."""

    hop: Hop
    alignment: Alignment
    parent: Side | None  # None when there is no comparison space
    child: Side | None
    comparison: str  # "pivot", "original" or "none"
    beads: list[BeadView]
    swaps: list[tuple[BeadView, int, int]] = field(default_factory=list)  # words replaced in place
    moved: list[tuple[int, int]] = field(default_factory=list)  # parent -> child words said in another sentence
    claimed_p: set[int] = field(default_factory=set)
    claimed_c: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def via_pivot(self) -> bool:
        return self.comparison == "pivot"


@lru_cache(maxsize=256)  # small: tokens are many objects, and a chain needs only the latest renditions
def _annotated(text: str, language: str, sentence_starts: frozenset[int]) -> Annotated:
    """``_annotate`` memoised: in a chain every rendition is compared as a child, then as a parent.

    The checks only read tokens and markers (claims live on the ``HopContext``),
    so sides of different hops can share them.
    """
    return _annotate(text, language, set(sentence_starts))


def _spoken(toks: list[Tok], speech: list[tuple[int, int]]) -> list[bool]:
    if not speech:
        return [True] * len(toks)
    out, k = [], 0
    for t in toks:
        while k < len(speech) and speech[k][1] <= t.start:
            k += 1
        out.append(k < len(speech) and speech[k][0] <= t.start)
    return out


def make_side(text: str, language: str, cmp: str, cmp_language: str, via_pivot: bool, sentence_starts: set[int]) -> Side:
    toks, markers, quotes, speech, writer_hedges = _annotated(cmp, cmp_language, frozenset(sentence_starts))
    return Side(
        text=text,
        language=base_language(cmp_language),
        cmp=cmp,
        via_pivot=via_pivot,
        lex=lexicon(cmp_language),
        toks=toks,
        starts=[t.start for t in toks],
        markers=markers,
        quote_spans=quotes,
        speech=speech,
        spoken=_spoken(toks, speech),
        writer_hedges=writer_hedges,
    )


def build_context(hop: Hop, alignment: Alignment, comparison: str) -> HopContext:
    parent = child = None
    beads: list[BeadView] = []
    if comparison != "none":
        via = comparison == "pivot"
        p_cmp = hop.parent_pivot if via else hop.parent_text
        c_cmp = hop.child_pivot if via else hop.child_text
        p_lang = hop.pivot_language if via else hop.parent_language
        c_lang = hop.pivot_language if via else hop.child_language
        assert p_cmp is not None and c_cmp is not None
        p_starts = {s.start for s in (alignment.parent_pivot_sentences or alignment.parent_sentences)}
        c_starts = {s.start for s in (alignment.child_pivot_sentences or alignment.child_sentences)}
        parent = make_side(hop.parent_text, hop.parent_language, p_cmp, p_lang, via, p_starts)
        child = make_side(hop.child_text, hop.child_language, c_cmp, c_lang, via, c_starts)
        beads = [_bead_view(b, parent, child) for b in alignment.beads]
        moved = _found_elsewhere(beads, parent, child)
        swaps = [(bv, i, j) for bv in beads for i, j in _swaps_in(bv, parent, child)]
    else:
        moved, swaps = [], []
    return HopContext(hop, alignment, parent, child, comparison, beads, swaps, moved)


def _next_word(side: Side, i: int, step: int, lo: int, hi: int) -> int | None:
    """The next word from token ``i`` in direction ``step`` that carries meaning (skipping function words)."""
    k = i + step
    while lo <= k < hi:
        t = side.toks[k]
        if t.is_word and (t.weight > 0 or t.markers or t.number):
            return k
        if not t.is_word and t.text.strip() in ".!?;:":
            return None
        k += step
    return None


def _swaps_in(bv: BeadView, parent: Side, child: Side) -> list[tuple[int, int]]:
    """Words replaced in place: a lost parent word and a lost child word next to the same kept word.

    "the largest geopolitical catastrophe of the century" / "the greatest
    geopolitical tragedy of the 20th century": whatever the sentence order
    around them, "catastrophe" and "tragedy" both follow the kept
    "geopolitical", so one replaced the other. The pair leaves the omission and
    addition it would otherwise feed and is reported as a substitution.
    """
    lost_p = {i for r in bv.regions for i in r.lost_p}
    lost_c = {j for r in bv.regions for j in r.lost_c}
    if not lost_p or not lost_c:
        return []
    to_child = dict(bv.pairs)
    to_parent = {j: i for i, j in bv.pairs}
    out: list[tuple[int, int]] = []
    used_c: set[int] = set()
    for i in sorted(lost_p):
        for step in (-1, 1):
            k = _next_word(parent, i, step, bv.p.start, bv.p.stop)
            if k is None or k not in to_child:
                continue
            j = _next_word(child, to_child[k], -step, bv.c.start, bv.c.stop)
            if j is not None and j in lost_c and j not in used_c and to_parent.get(j) is None:
                out.append((i, j))
                used_c.add(j)
                break
    if out:
        taken_p, taken_c = {i for i, _ in out}, {j for _, j in out}
        for r in bv.regions:
            r.lost_p = [i for i in r.lost_p if i not in taken_p]
            r.lost_c = [j for j in r.lost_c if j not in taken_c]
    return out


def _found_elsewhere(beads: list[BeadView], parent: Side, child: Side) -> list[tuple[int, int]]:
    """Words a bead lost that the other side says in another sentence are kept, not lost.

    Two translations of one statement cut and order its sentences differently
    ("know that the nuclear button is always on my desk" / "The entire US is in
    range, and the nuclear button is always on my desk"), and the sentence
    aligner cannot always pair them; a content word is lost only when the
    other side's speech has no word of its stem anywhere. Returns the parent
    words so kept, each with a child word that says it.
    """
    def stems(side: Side) -> dict[str, int]:
        """Lemma (and its first five letters) -> the first speech token that says it."""
        out: dict[str, int] = {}
        for i, t in enumerate(side.toks):
            if t.weight > 0 and side.spoken[i]:
                out.setdefault(t.lemma, i)
                if len(t.lemma) >= 5:
                    out.setdefault(t.lemma[:5] + "\x00", i)
        return out

    p_stems, c_stems = stems(parent), stems(child)

    def said(tok: Tok, where: dict[str, int]) -> int | None:
        hit = where.get(tok.lemma)
        if hit is None and len(tok.lemma) >= 5:
            hit = where.get(tok.lemma[:5] + "\x00")
        return hit

    moved: list[tuple[int, int]] = []
    used: set[int] = set()
    for bv in beads:
        for r in bv.regions:
            keep_p = []
            for i in r.lost_p:
                j = said(parent.toks[i], c_stems)
                if j is None:
                    keep_p.append(i)
                elif j not in used:  # one pair per child word: "means" twice in the parent, once in the child
                    used.add(j)
                    moved.append((i, j))
            r.lost_p = keep_p
            r.lost_c = [j for j in r.lost_c if said(child.toks[j], p_stems) is None]
    return moved


# ---------------------------------------------------------------- spans


def _quote_parts(text: str, start: int, end: int) -> tuple[int, int, str, str, str]:
    """Start, end, exact, prefix and suffix of ``text[start:end]``, the offsets clamped into the text."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return start, end, text[start:end], text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def text_quote(text: str, start: int, end: int) -> TextQuote:
    """A W3C TextQuoteSelector (with position) for ``text[start:end]``."""
    return TextQuote(*_quote_parts(text, start, end))


def text_quote_dict(text: str, start: int, end: int) -> dict[str, Any]:
    """``text_quote(...).as_dict()`` without the frozen object, whose construction is the slow part (every pivot span)."""
    start, end, exact, prefix, suffix = _quote_parts(text, start, end)
    return {"start": start, "end": end, "exact": exact, "prefix": prefix, "suffix": suffix}


def side_spans(
    ctx: HopContext, side: str, first: int | None, last: int | None, bead: Bead | None, anchor: int | None = None
) -> tuple[TextQuote | None, dict[str, Any]]:
    """Span of tokens [first, last] of one side in the ORIGINAL text, plus the pivot span as details.

    Through a pivot the glosses say which words; the span is placed on the words
    of the original by :func:`provenance.align.project.project` (anchored on
    names, numbers and cognates, interpolated between them), and the details say
    how precisely (``<side>_original_precision``: word, estimated or sentence)
    beside the pivot span. ``anchor`` is used for an empty side (where the
    material was removed or would go).
    """
    s = ctx.parent if side == "parent" else ctx.child
    assert s is not None
    if first is None or last is None:
        pos = anchor if anchor is not None else 0
        cmp_start = cmp_end = pos
    else:
        cmp_start, cmp_end = s.toks[first].start, s.toks[last].end
    if not s.via_pivot:
        return text_quote(s.text, cmp_start, cmp_end), {}
    orig = (bead.parent_span if side == "parent" else bead.child_span) if bead is not None else None
    piv = (bead.parent_pivot_span if side == "parent" else bead.child_pivot_span) if bead is not None else None
    if orig is None and bead is None:  # a finding about the whole hop: the whole texts
        orig, piv = (0, len(s.text)), (0, len(s.cmp))
    details: dict[str, Any] = {f"{side}_pivot": text_quote_dict(s.cmp, cmp_start, cmp_end)}
    if orig is None or piv is None:
        return None, details
    language = ctx.hop.parent_language if side == "parent" else ctx.hop.child_language
    start, end, precision = project(s.cmp, piv, (cmp_start, cmp_end), s.text, orig,
                                    word_classes(s.language), word_classes(language))
    details[f"{side}_original_precision"] = precision
    details[f"{side}_sentence"] = {"start": orig[0], "end": orig[1]}
    return text_quote(s.text, start, end), details


def words_of(side: Side, indices: list[int] | range) -> str:
    """The comparison text from the first to the last of ``indices`` (as written, punctuation included)."""
    idx = list(indices)
    if not idx:
        return ""
    return side.cmp[side.toks[min(idx)].start : side.toks[max(idx)].end]
