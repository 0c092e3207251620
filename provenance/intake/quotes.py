"""Quotations of an article and their kind: ``full`` (a sentence or more of someone's words), ``partial`` (a
fragment inside the writer's own sentence) or ``scare`` (a term, a title or a name in marks: nobody's words).

The kind is read from the quotation and its sentence, the way an editor reads
it: a quotation nested in another is the speaker quoting, not a new speaker;
a few words in marks with no one said to say them, or repeated as a term, or
written as a title (each word capitalised, after "the programme", "the
documentary", "the newspaper"), are scare quotes; words ending in a full stop,
or standing as their own sentence, are a full quote.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from provenance.intake import lexicon
from provenance.intake.text import Doc, stem

_LETTER = re.compile(r"\w", re.UNICODE)
_SENTENCE_FINAL = ".!?…"


@dataclass
class Found:
    """One quotation: where its words are (without the marks), its kind, and its nesting."""

    start: int
    end: int
    open: int  # position of the opening mark
    close: int  # position of the closing mark
    depth: int
    kind: str = "full"

    def words(self, text: str) -> list[str]:
        return re.findall(r"\w+", text[self.start:self.end])


def find(doc: Doc) -> list[Found]:
    """Every quotation with words in it, its kind decided."""
    text = doc.text
    out: list[Found] = []
    for p in doc.pairs:
        s, e = p.open + 1, p.close
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if not _LETTER.search(text[s:e]):
            continue
        out.append(Found(s, e, p.open, p.close, p.depth))
    terms = Counter(_term(text, q) for q in out)
    for q in out:
        q.kind = kind_of(doc, q, repeated=terms[_term(text, q)] > 1)
    return out


def _term(text: str, q: Found) -> str:
    """A quotation's words as a term, to tell one written again ("кремлёвский список" … «кремлёвский список»), in
    another case too («кремлевский доклад» … «кремлевском докладе»)."""
    return " ".join(stem(w) for w in text[q.start:q.end].strip(".,;:!?… ").split())


def after_title_noun(lead: str, c: lexicon.Cues) -> bool:
    """Whether the words right before the marks are a noun that announces a title or a name ("the documentary",
    "законопроект", "so-called"): the title nouns of every language, as data."""
    tail = lead[-40:]
    hits = list(c.patterns["title_nouns"].finditer(tail))
    return bool(hits) and hits[-1].end() >= len(tail) - 1


def title_like_words(words: list[str]) -> bool:
    """Each word, or all but one, capitalised: a title or a name ("Face The Nation", "L’Observateur")."""
    return bool(words) and sum(1 for w in words if w[:1].isupper()) >= max(1, len(words) - 1)


@lru_cache(maxsize=1)
def _source_phrases() -> tuple[str, ...]:
    """The phrases that introduce a source ("according to", "d’après"), for one ``str.endswith`` test."""
    c = lexicon.cues()
    return tuple(p for p in c.words["attributions"] | c.words["evidence_before_source"] if len(p) > 3)


def _reported(before: str, c: lexicon.Cues) -> bool:
    """Whether the marks stand in the clause a cue verb reports ("dijo que Milei había aparecido bajo los efectos
    de “sustancias”", "добавил, что … РФ «покинет украинские территории»"): the verb, then its complementizer
    (after a comma or not), then no clause break up to the marks."""
    for m in c.patterns["cue_verbs"].finditer(before):
        after = before[m.end():]
        # Russian, Ukrainian and German set the complementizer off by a comma: "добавил, что", "sagte, dass"
        if c.patterns["complementizers"].match(after.lstrip(" ,")) and not re.search(r"[.;:!?]", after):
            return True
    return False


#: A heading that quotes someone: their name, then their words in marks, and nothing else on the line
#: ('Hofer "unendlich traurig"', 'Merkel „Wir schaffen das“').
_HEADING = re.compile(r"[ \t]*((?:[A-ZÀ-ÞА-ЯЁІЇЄҐ][\w’'.-]*[ \t]+){0,2}[A-ZÀ-ÞА-ЯЁІЇЄҐ][\w’'-]*)[ \t]*$")


def heading_speaker(doc: Doc, q: Found) -> str | None:
    """The name a heading line gives before its quotation ('Hofer "unendlich traurig"'), or None: the quotation
    must close its line, and only one to three capitalised words stand before it."""
    text = doc.text
    ls = text.rfind("\n", 0, q.open) + 1
    le = text.find("\n", q.close)
    le = len(text) if le < 0 else le
    if text[q.close + 1:le].strip(" .!?") or le - ls > 120:
        return None
    m = _HEADING.fullmatch(text, ls, q.open)
    if m is None:
        return None
    name = m.group(1)
    c = lexicon.cues()
    if any(c.has(k, w.lower()) for w in name.split() for k in ("not_names", "cue_verbs", "determiners")) \
            or lexicon.source_named(name) is not None:
        return None
    return name


def kind_of(doc: Doc, q: Found, *, repeated: bool) -> str:
    text = doc.text
    inner = text[q.start:q.end]
    words = q.words(text)
    if q.depth > 0:
        return "scare"  # the speaker quoting someone, or a term, inside the speaker's words
    if lexicon.source_named(inner.strip(" .,;:")) is not None:
        return "scare"  # an outlet's name in marks: „Welt am Sonntag“, «Известия»
    if heading_speaker(doc, q) is not None:
        return "full" if inner.rstrip("\"'”’»)")[-1:] in _SENTENCE_FINAL and len(words) >= 4 else "partial"
    sent_start, sent_end = doc.sentence_of(q.open)
    before = doc.masked[sent_start:q.open]
    after = doc.masked[q.close + 1:sent_end]
    c = lexicon.cues()
    # a cue verb near the marks: within a few words for a term ("criticized … for their “insufficient” response"),
    # anywhere in the sentence for longer words
    reach = 6 if len(words) <= 3 else 60
    near_before = " ".join(before.split()[-reach:])
    near_after = " ".join(after.split()[:reach])
    cue_beside = bool(c.patterns["cue_verbs"].search(near_before + " , " + near_after)
                      or c.patterns["reported_mood"].search(near_before + " , " + near_after)
                      or c.patterns["attributions"].search(near_before))
    cue_near = cue_beside or _reported(before, c)
    ends_sentence = inner.rstrip("\"'”’»)")[-1:] in _SENTENCE_FINAL
    starts_upper = inner[:1].isupper()
    own_sentence = not re.search(r"\w", before.replace(":", "")) or before.rstrip().endswith((":", "—", "–", "-"))
    if own_sentence and before.rstrip().endswith(("—", "–", "-")) and len(words) <= 3 and not starts_upper \
            and not ends_sentence:
        own_sentence = False  # "темы — «кремлёвского списка»": a dash before a lower-case term is an apposition
    # the words right before the marks
    lead = before.rstrip()
    prev_word = re.findall(r"[\w’'-]+", lead)[-1:] or [""]
    titled = after_title_noun(lead, c)
    if len(words) <= 5 and not ends_sentence:
        title_like = title_like_words(words)
        # a name given as a source or an owner's title: D’après "L’Observateur", CBS’s “Face The Nation”, and in
        # the languages that capitalise a title's first word alone, "in un’intervista a “Che tempo che fa”"
        source_named = bool(re.search(r"[’']s$", lead)) or lead.lower().endswith(_source_phrases())
        if titled or (source_named and (title_like_words(words) or starts_upper)):
            return "scare"
        if re.search(r"\w-$", before) and starts_upper:
            return "scare"  # a title joined to its channel by a hyphen: im ZDF-"Morgenmagazin", SRF-«Samstagsrundschau»
        if title_like_words(words) and len(words) >= 2 and any(lexicon.kind_word(w) for w in words):
            return "scare"  # an outlet's name: der "Westdeutschen Allgemeinen Zeitung", "The Korea Herald"
        if title_like and not own_sentence and not cue_near and prev_word[0][:1].islower():
            return "scare"
        if title_like and len(words) >= 2 and not cue_near and not own_sentence:
            return "scare"
        if repeated and len(words) <= 3 and not cue_beside:
            return "scare"  # a term the article repeats ("«кремлевский доклад»"), even in a reported clause
        if not cue_near and not own_sentence and len(words) <= 3:
            return "scare"
    if not ends_sentence and titled and title_like_words(words[:1]):
        return "scare"  # a long title after its noun: законопроект «О противостоянии противникам Америки …»
    if own_sentence and (starts_upper or ends_sentence) and len(words) >= 2:
        return "full"
    if ends_sentence and len(words) >= 4 and (starts_upper or before.rstrip().endswith((",", ":", "that", "que",
                                                                                         "dass", "что"))):
        return "full"
    if ends_sentence and len(words) >= 6:
        return "full"
    return "partial"


__all__ = ["Found", "after_title_noun", "find", "heading_speaker", "kind_of"]
