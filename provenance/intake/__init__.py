"""Intake: an article in; its quotations, their speakers, the evidence of how they came, and the claimed chain out.

Pure functions over the article's text (no session, no network): its
sentences and names (``text``), quotation marks (``marks``) and quotations
(``quotes``), who said them (``speakers``), and the evidence and the chain it
claims (``evidence``). Word lists are data files in ``provenance/data/intake``
(``lexicon`` reads them). Reading a page or a URL is ``provenance.reading``'s
business; what the database already holds, and what to propose and write,
``provenance.proposals``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from provenance.intake import lexicon
from provenance.intake.evidence import CHANNEL_KINDS, Evidence, Finder
from provenance.intake.quotes import find
from provenance.intake.speakers import Speakers
from provenance.intake.text import read, stem
from provenance.versions import source_digest

#: Names the machine output of intake: what made it, and which version (its rules and word lists' digest, so
#: that it changes whenever what intake proposes can change).
COMPONENT = "provenance.intake"
VERSION = "1+" + source_digest((("intake", ".py"), ("data/intake", ".yaml"), ("", "lemmas.py")))


@dataclass
class QuoteFound:
    text: str
    start: int
    end: int
    kind: str
    speaker: str | None
    evidence: list[Evidence] = field(default_factory=list)
    chain: list[dict[str, str | None]] = field(default_factory=list)
    speaker_language: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "kind": self.kind, "speaker": self.speaker,
                "evidence": [{"text": e.text, "start": e.start, "end": e.end} for e in self.evidence],
                "chain": [dict(h) for h in self.chain]}


def extract(text: str, *, language: str, title: str | None = None) -> list[QuoteFound]:
    """Every quotation of ``text`` (an article in ``language``) with its kind, speaker, evidence and chain.

    ``title``, the article's headline when it is not part of ``text``, names the person a body that only
    says "le chef de l'Etat" is about.
    """
    doc = read(text, language)
    found = find(doc)
    speakers = Speakers(doc, found, read(title, language) if title and title.strip() else None)
    finder = Finder(doc, language)
    by_sentence: dict[int, list[Evidence]] = {}
    for i, (ss, se) in enumerate(doc.sentences):
        ev = finder.in_sentence(ss, se)
        if ev:
            by_sentence[i] = ev
    interviews = Interviews(doc, by_sentence)
    out: list[QuoteFound] = []
    languages: dict[tuple[str, int], str | None] = {}  # per speaker and mention: the language they imply
    channels: dict[str, list[Evidence]] = {}  # per speaker: the channels their quotations came through
    occasions: dict[str, Evidence] = {}  # per speaker: the first setting named beside their words
    for q in found:
        attribution = speakers.attribute(q)
        speaker = attribution.speaker
        kind = q.kind
        if kind == "scare" and attribution.how == "the sentence after":
            kind = "partial"  # "Все страны НАТО хотят «надрать задницу» России. Об этом заявил Кулеба": his words
        if kind == "scare" and attribution.how not in ("cue",):
            speaker = None
        item = QuoteFound(text[q.start:q.end], q.start, q.end, kind, speaker)
        if kind != "scare":
            heading = doc.sentence_index(attribution.mention.start) \
                if attribution.how == "the heading above" and attribution.mention is not None else None
            item.evidence = [e for e in _evidence_for(doc, by_sentence, finder, q.open, speaker or "",
                                                      interviews, heading) if not _names_only(e, speaker)]
            if speaker:
                # one piece of evidence per channel: the first that names it (a long interview quoted in a
                # hundred quotations carries its channel once, not a hundred times)
                known = channels.setdefault(speaker, [])
                named = {(h["source"] or "").lower() for e in known for h in e.hops}
                for e in item.evidence:
                    hops = {(h["source"] or "").lower() for h in e.hops
                            if h["kind"] in CHANNEL_KINDS}
                    if e.reach != "article" and e.named and hops and not hops <= named:
                        known.append(e)
                        named |= hops
                setting = next((e for e in item.evidence if _setting(e)), None)
                if setting is not None:
                    occasions.setdefault(speaker, setting)
        if kind != "scare" and speaker:
            key = (speaker, attribution.mention.start if attribution.mention else -1)
            if key not in languages:
                languages[key] = _speaker_language(doc, speaker, attribution.mention)
            item.speaker_language = languages[key]
        out.append(item)
    for item in out:
        if item.kind == "scare":
            continue
        # the same speaker's other words came the same way (one interview, one programme), whether the article
        # names the channel before them or after ("Mondino advirtió que «…». Además, entrevistada en Todo
        # Noticias, …")
        for channel in channels.get(item.speaker or "", []):
            if all(e.start != channel.start for e in item.evidence):
                item.evidence.append(channel)
        # and so did their words after the occasion the article names once ("a-t-il indiqué aux journalistes",
        # "lors du compte-rendu du Conseil des ministres"), unless their own sentence names another
        occasion = occasions.get(item.speaker or "")
        if occasion is not None and occasion.start < item.start and not any(_setting(e) for e in item.evidence) \
                and doc.paragraph_index(item.start) - doc.paragraph_index(occasion.start) <= OCCASION_PARAGRAPHS:
            item.evidence.append(occasion)
        # the channels are claimed whether or not the speaker could be named
        item.chain = _chain(item.evidence, item.speaker, item.speaker_language)
    return out


def _setting(e: Evidence) -> bool:
    """Evidence that says where the words were said and names no hop ("told reporters", "in a statement")."""
    return e.reach == "sentence" and not e.hops


#: How many paragraphs after it the occasion named beside a speaker's words still goes with their words.
OCCASION_PARAGRAPHS = 1


class Interviews:
    """The sentences that name an interview and the channel it was given to (found once per article), and
    which of them name a given speaker (once per speaker)."""

    def __init__(self, doc: Any, by_sentence: dict[int, list[Evidence]]) -> None:
        self.doc = doc
        self.sentences: list[int] = []
        for j, (ss, se) in enumerate(doc.sentences):
            if not lexicon.interview_pattern().search(doc.text[ss:se]):
                continue
            if any(any(h["kind"] in CHANNEL_KINDS for h in ev.hops)
                   for ev in by_sentence.get(j, []) or _interview_with_outlet(doc, j)):
                self.sentences.append(j)
        self._naming: dict[str, list[int]] = {}

    def naming(self, surname: str) -> list[int]:
        """Those naming the speaker, or with a pronoun right after a sentence that names them ("…
        Зеленский заявил … Об этом он сообщил в интервью CNN.")."""
        if not surname:
            return []
        if surname not in self._naming:
            doc, pronouns = self.doc, lexicon.cues().words["pronouns"]
            found = []
            for j in self.sentences:
                here = doc.masked[slice(*doc.sentences[j])].lower()
                before = doc.masked[slice(*doc.sentences[j - 1])].lower() if j > 0 else ""
                pronoun = any(w in pronouns for w in re.findall(r"[\w’'-]+", here)[:3])
                if surname in here or (pronoun and surname in before):
                    found.append(j)
            self._naming[surname] = found
        return self._naming[surname]


def _evidence_for(doc: Any, by_sentence: dict[int, list[Evidence]], finder: Finder, at: int,
                  speaker: str, interviews: Interviews, heading: int | None = None) -> list[Evidence]:
    """The evidence of the quotation at ``at``: its sentence's, the sentences nearby that name its speaker,
    the heading it stands under (sentence index ``heading``: "CHANCELER ALEMÃO OLAF SCHOLZ, NO X"), the
    signature of a post its speaker signed, the source closing its paragraph, and the article's datelines
    and bylines."""
    si = doc.sentence_index(at)
    para = doc.paragraph_index(at)
    surname = stem(speaker.split()[-1]) if speaker else ""
    words = lexicon.cues().words
    picked: list[Evidence] = list(by_sentence.get(si, []))
    starts = {p.start for p in picked}

    def names_speaker(sentence: str) -> bool:
        # the speaker named, a subject pronoun among its first words ("He added", "Об этом он сообщил"), or words
        # that point back at what was just said, with no subject at all ("Lo rivela a Otto e Mezzo", "Lo dijo")
        return bool(surname) and surname in sentence or any(
            w in words["pronouns"] for w in re.findall(r"[\w’'-]+", sentence)[:3]) \
            or lexicon.cues().patterns["about_this"].match(sentence.lstrip()) is not None

    def take(j: int) -> None:
        """The evidence of another sentence: the whole sentence, as it reads ("Об этом он сообщил в интервью CNN.")."""
        evs = [ev for ev in by_sentence.get(j, []) if ev.named]  # a channel described fits its own quotation
        if not evs:
            evs = _interview_with_outlet(doc, j)
        if not evs:
            return
        ss, se = doc.sentences[j]
        s, e = ss, se
        while e > s and doc.text[e - 1].isspace():
            e -= 1
        if s not in starts:
            starts.add(s)
            picked.append(Evidence(s, e, doc.text[s:e], "nearby", [h for ev in evs for h in ev.hops]))

    for j in range(si - 1, -1, -1):
        ss, se = doc.sentences[j]
        if para - doc.paragraph_index(ss) > 1:
            break
        if names_speaker(doc.masked[ss:se].lower()):
            take(j)
    # the sentence after, when it says how ("Об этом он сообщил журналистам.")
    if si + 1 < len(doc.sentences):
        ss, se = doc.sentences[si + 1]
        if doc.paragraph_index(ss) - para <= 1 and names_speaker(doc.masked[ss:se].lower()) and \
                not re.search(r"[“”\"«»„]", doc.text[ss:se]):
            take(si + 1)
    # a channel named with the speaker anywhere in the article ("X gave an interview to CNN")
    for j in interviews.naming(surname):
        take(j)
    if heading is not None:
        take(heading)
    # the signature of a post the article embeds, signed by the speaker ("— Marine Le Pen (@MLP_officiel) …")
    for name, ev in finder.signatures:
        if surname and surname in stem(name.split()[-1]) and ev.start not in starts:
            starts.add(ev.start)
            picked.append(ev)
    credit = finder.paragraph_credits.get(para)  # "(Reuters)" closing the quotation's paragraph
    for ev in [*([credit] if credit else []), *finder.article_wide]:
        if ev.start not in starts:
            starts.add(ev.start)
            picked.append(ev)
    return picked


def _interview_with_outlet(doc: Any, j: int) -> list[Evidence]:
    """A sentence that names an interview and a listed outlet, however it is built ("Peskow hat dem
    amerikanischen Fernsehsender CNN ein Interview gegeben"): evidence naming that outlet."""
    ss, se = doc.sentences[j]
    sentence = doc.masked[ss:se]
    if not lexicon.interview_pattern().search(sentence):
        return []
    hops = []
    for _, _, name, src in lexicon.source_mentions(sentence):
        if src.kind in CHANNEL_KINDS:
            hops.append({"source": name, "language": src.language, "kind": src.kind})
    if not hops:
        # an outlet the lists lack, named as a title in marks: "un entretien exclusif avec «Jeune Afrique»"
        for p in doc.pairs:
            inner = doc.text[p.open + 1:p.close].strip()
            if ss <= p.open < se and p.depth == 0 and 0 < len(inner.split()) <= 4 and inner[:1].isupper() \
                    and not re.search(r"[.!?,;:]$", inner):
                hops.append({"source": inner, "language": None, "kind": "other"})
                break
    return [Evidence(ss, se, doc.text[ss:se], "nearby", hops[:2])] if hops else []


def _names_only(evidence: Evidence, speaker: str | None) -> bool:
    """Evidence that is only a cue verb and the speaker ("заявил Песков", read like "заявил ТАСС"): the words
    that name who spoke, not a channel the words came through. One that says more ("заявил Песков
    журналистам") stays."""
    if not speaker or not evidence.hops:
        return False
    names = {stem(w) for w in speaker.split()}
    if not all(stem((h["source"] or " ").split()[-1]) in names for h in evidence.hops):
        return False
    return len([w for w in re.findall(r"\w+", evidence.text) if stem(w) not in names]) <= 1


def _speaker_language(doc: Any, speaker: str, mention: Any) -> str | None:
    """The language a speaker's country or people implies, from the words before their fullest mention."""
    spots = [m.start for m in doc.mentions if m.text == speaker]
    if mention is not None:
        spots.append(mention.start)
    for at in spots:
        lead = doc.masked[max(0, at - 60):at]
        lead = re.split(r"[.;!?\n]", lead)[-1]
        lang = lexicon.language_named(lead, kind="places", last=True)
        if lang:
            return lang
    return None


def _chain(evidence: list[Evidence], speaker: str | None,
           speaker_language: str | None) -> list[dict[str, str | None]]:
    """Nearest hop first: the outlet republished, the dateline's agency, the channels in reading order, the speaker
    (when intake could name one)."""
    order = {"article": 0, "sentence": 1, "nearby": 1}
    hops: list[dict[str, str | None]] = []
    seen: set[str] = set()
    republished = [e for e in evidence if e.reach == "article" and not re.search(r"\(|/", e.text[:80])]
    first = {id(e) for e in republished}
    rest = [e for e in evidence if id(e) not in first]
    for ev in republished + sorted(rest, key=lambda e: (order[e.reach], e.start)):
        for h in ev.hops:
            known = lexicon.source_named(h["source"] or "")
            key = (known[1].name if known else h["source"] or "").lower()  # "AFP" and "Agence France-Presse" are one
            if key and key not in seen and key != (speaker or "").lower():
                seen.add(key)
                hops.append(h)
    if speaker:
        hops.append({"source": speaker, "language": speaker_language, "kind": "speaker"})
    return hops


__all__ = ["extract", "QuoteFound", "COMPONENT", "VERSION"]
