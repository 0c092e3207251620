"""The words of an article that say how a quotation reached it, and the chain of hands they claim.

Three reaches, as an editor reads a page:

- **the sentence**: "according to an AFP report based on a Russian translation of her remarks",
  "told Reuters", "selon l'AFP", "laut dpa", "передает ТАСС";
- **nearby**: a sentence before the quotation, in its paragraph or the one before, that names the
  speaker and a channel ("Peskov gave an interview to CNN. … “…”");
- **the whole article**: datelines and bylines ("SEOUL (Reuters) -", "MOSCOW, January 30. /TASS/.",
  "Com Lusa") and republication notes ("This article is originally published on lejdd.fr").

Photo credits and captions ("Photo: AFP", "Pool via REUTERS") say who took a
picture, not who carried words, and are left out.

The claimed chain is read from the evidence, nearest hop first: the outlet
the article republishes, the agency of its dateline, the channels its
sentences name in reading order (a translation right after the report
resting on it), and last the speaker, with the language the article implies
("North Korea's foreign minister" speaks Korean).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from provenance.intake import lexicon
from provenance.intake.text import NAME, Doc, given_name, role_compound


def _ordinary_capital(word: str) -> bool:
    """A function word capitalised at a sentence's start ("Aus", "Dans"): never a channel's name."""
    return word in lexicon.closed().function_words


#: A dateline or a byline naming the agency the text comes from.
_DATELINES = [
    # SEOUL (Reuters) -, MADRID, 3 Oct. (EFE).-
    re.compile(r"^[^\n]{0,80}?\((?P<src>[A-Z][\w .&/-]{1,40})\)\.?\s*[-—–]+", re.MULTILINE),
    re.compile(r"^[^\n]{0,80}?/(?P<src>[A-Za-zА-Яа-я]{2,12})/\.?", re.MULTILINE),  # MOSCOW, January 30. /TASS/.
    re.compile(r"^[^\n]{0,60}?\((?P<src>[A-Za-z][\w .&-]{1,40})\)\s*$", re.MULTILINE),  # Hamburg (ots)
    # Москва, 13 ноября – АиФ-Москва.
    re.compile(r"^[^\W\d][^\n,]{1,30},\s*\d{1,2}\s+\w+\s*[-—–]\s*(?P<src>[^\n.]{2,40})\.\s*$", re.MULTILINE),
    re.compile(r"^[^\n]{0,60}\((?P<src>[\w .&-]{2,30})\)\s*[-—–]{1,2}", re.MULTILINE),  # Tokyo, Oct. 11 (Jiji Press)--
    # a byline of the agency and the time alone on its line: "• AFP - 2. Juli 2022, 10:47 Uhr", "Reuters — 5 May 2023"
    re.compile(r"^[•·*\s]*(?P<src>[A-Z][\w.&-]{1,15}(?: [A-Z][\w.&-]{1,15})?)\s+[-—–|]\s+\d{1,2}\.?\s+[^\W\d]+\.?,?"
               r"\s+\d{4}[^\n]{0,20}$", re.MULTILINE),
]
#: A programme's title in marks joined by a hyphen to the channel named before it: ZDF-"Morgenmagazin".
_JOINED_TITLE = re.compile(r"-[„\"«“‚‹]([^„\"«»“”‚‘‹›\n]{1,60})[“”\"»‘›]")
#: A source in parentheses (perhaps in quotation marks) that closes a paragraph: "(Reuters)", "(«Интерфакс»)".
_CLOSING_CREDIT = re.compile(r"\(\s*[«“\"„]?(?P<src>[^()\n«»“”\"]{2,30}?)[»”\"“]?\s*\)\s*$")
#: The signature an embedded post keeps when the page is read as text: "— Name (@handle) date".
_SIGNATURE = re.compile(r"^[—–-]\s*(?P<name>[^\n(@]{2,60}?)\s*\(@\w{1,30}\)[^\n]{0,40}$", re.MULTILINE)
#: A web address, subdomains and all ("tgcom24.mediaset.it", "lejdd.fr").
_ADDRESS = r"(?:[\w-]+\.)+(?:fr|com|de|ru|es|it|pt|ua|org|net|co\.uk)"
_DOMAIN = re.compile(r"\b" + _ADDRESS + r"\b")
#: A web address alone at the very end of the text, after a sentence's end ("… piccolo”. tgcom24.mediaset.it").
_CLOSING_ADDRESS = re.compile(r"(?:^|(?<=[.!?…”»\"]))\s*(?<![\w.])(?P<src>" + _ADDRESS + r")\s*$", re.MULTILINE)
#: Where an evidence phrase ends: a clause's punctuation, a dash between spaces, a quotation mark.
_CLAUSE_BREAK = re.compile(r"[,.;:!?()\n]|\s[—–-]\s|[“”\"«»„]")
_WORD = re.compile(r"[\w’'-]+")
#: How many words after a setting ("told reporters") still tell where: "in Berlin on Wednesday".
SETTING_WORDS = 6
#: The kinds of source that carry words to an article (a channel), as against the speaker, a government or an
#: interpreter.
CHANNEL_KINDS = ("agency", "newspaper", "broadcaster", "social")


@dataclass
class Evidence:
    start: int
    end: int
    text: str
    reach: str  # "sentence", "nearby" or "article"
    hops: list[dict[str, str | None]] = field(default_factory=list)
    #: Whether the channel is named ("told Reuters"), or only described ("told an Iranian newspaper"): a
    #: description fits the quotation it stands beside, and is not carried to the speaker's other words.
    named: bool = True


def _kind(phrase: str, name: str) -> str:
    known = lexicon.source_named(name)
    if known is not None:
        return known[1].kind
    low = phrase.lower()
    for kind, words in lexicon.closed().kinds:
        if any(w in low for w in words):
            return kind
    return "other"


def _described(tail: str) -> dict[str, str | None] | None:
    """A channel the words after a cue describe without naming it ("an Iranian newspaper", "la télévision
    d'État"): a hop named by the description, from its first word that is no function word to its kind's
    word, within five words, with the language a place word in it implies ("Iranian")."""
    words = _WORD.findall(tail)[:5]
    function_words = lexicon.closed().function_words
    for k, w in enumerate(words):
        low = w.lower()
        for kind, kind_words in lexicon.closed().kinds:
            # the kind's word, or its stem with an ending ("газеты"), not a longer word it begins ("jornalistas")
            if kind in CHANNEL_KINDS and any(low == x or (len(x) > 3 and low.startswith(x) and len(low) - len(x) <= 2)
                                             for x in kind_words):
                first = next((i for i, x in enumerate(words[:k]) if x.lower() not in function_words), k)
                if first == k:
                    return None  # "la televisión": a kind, no channel of its own
                name = " ".join(words[first:k + 1])
                return {"source": name, "language": lexicon.language_named(name, kind="places"), "kind": kind}
    return None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,;:-—–\n\t":
        s += 1
    while e > s and text[e - 1] in " ,;:—–\n\t":
        e -= 1
    return s, e


class Finder:
    def __init__(self, doc: Doc, language: str):
        self.doc = doc
        self.language = language
        self.cues = lexicon.cues()
        self.article_wide = self._article_wide()
        self.paragraph_credits = self._paragraph_credits()
        self.signatures = self._signatures()

    # ------------------------------------------------------------ phrases

    def _credit(self, s: int, e: int) -> bool:
        """A photo credit or a caption: "Photo: AFP", "(Foto: dpa)", "Pool via REUTERS"."""
        line_s = self.doc.text.rfind("\n", 0, s) + 1
        line_e = self.doc.text.find("\n", e)
        line = self.doc.text[line_s:line_e if line_e >= 0 else len(self.doc.text)]
        head = self.doc.text[max(line_s, s - 25):s].lower()
        return bool(self.cues.patterns["credits"].search(head)) or (
            len(line) < 80 and bool(self.cues.patterns["credits"].search(line)) and ":" in line)

    def _article_wide(self) -> list[Evidence]:
        text = self.doc.text
        out: list[Evidence] = []
        for pattern in _DATELINES:
            for m in pattern.finditer(text):
                src = m.group("src").strip()
                if self._credit(m.start(), m.end()) or len(src.split()) > 4:
                    continue
                if any(e.start <= m.start() < e.end for e in out):
                    continue
                s, e = _trim(text, m.start(), m.end())
                # "(APA/dpa)": the agency whose copy it is, then the one it rests on
                names = [self._source_name(part.strip()) or part.strip() for part in src.split("/") if part.strip()]
                out.append(Evidence(s, e, text[s:e], "article", [self._hop(n, text[s:e], dateline=True) for n in names]))
        for m in self.cues.patterns["republication"].finditer(text):
            line_s = text.rfind("\n", 0, m.start()) + 1
            line_e = text.find("\n", m.end())
            line_e = len(text) if line_e < 0 else line_e
            if line_e - line_s > 200 or self._credit(m.start(), m.end()):
                continue
            if len(text[line_s:m.start()].split()) > 3 and len(text[line_s:line_e].split()) > 12:
                continue  # a credit opens its line, or is a short line ("… sources as much as possible" is not one)
            tail = text[m.end():line_e]
            names = self._names_in(tail) or ([tail.strip(" :.-").split("/")[0].strip()]
                                             if 0 < len(tail.strip(" :.-")) <= 40 else [])
            # "Com Lusa", "avec AFP": the credit names its source itself
            names = names or self._names_in(m.group())
            if not names:
                continue
            s, e = _trim(text, m.start() if m.start() > line_s + 40 else line_s, line_e)
            hops = [self._hop(n, text[s:e], republished=True) for n in names]
            out.append(Evidence(s, e, text[s:e], "article", hops))
        # a bare web address closing the page: the credit of an aggregator that copies a text ("… piccolo”.
        # tgcom24.mediaset.it")
        tail_at = max(0, len(text.rstrip()) - 80)
        closing = _CLOSING_ADDRESS.search(text.rstrip(), tail_at)
        if closing and not any(e.start <= closing.start("src") < e.end for e in out):
            s, e = closing.start("src"), closing.end("src")
            out.append(Evidence(s, e, text[s:e], "article", [self._hop(text[s:e], text[s:e], republished=True)]))
        out += self._interview_lines(out)
        return out

    def _paragraph_credits(self) -> dict[int, Evidence]:
        """A listed source in parentheses closing a paragraph ("… and peace of the world." (Reuters)",
        "… глумление … безобидная шутка». … («Интерфакс»)"): the wire the paragraph's words came through, as
        roundups credit each item, by paragraph index."""
        out: dict[int, Evidence] = {}
        text = self.doc.text
        for k, (ps, pe) in enumerate(self.doc.paragraphs):
            m = _CLOSING_CREDIT.search(text, ps, pe)
            if m is None or any(e.start <= m.start() < e.end for e in self.article_wide):
                continue
            name = self._source_name(m.group("src"))
            if name is None:
                continue
            s, e = m.start(), m.end()
            out[k] = Evidence(s, e, text[s:e].strip(), "nearby", [self._hop(name, text[s:e], dateline=True)])
        return out

    def _signatures(self) -> list[tuple[str, Evidence]]:
        """The signature line of a post an article embeds ("— Marine Le Pen (@MLP_officiel) 9 novembre 2016"):
        the poster's name, and evidence that their words came through that network, by who signed it."""
        out = []
        for m in _SIGNATURE.finditer(self.doc.text):
            s, e = m.start(), _trim(self.doc.text, m.start(), m.end())[1]  # the line as printed, dash and all
            network = "Twitter"  # the "(@handle) date" signature is the embed of a post on X, formerly Twitter
            out.append((m.group("name").strip(), Evidence(s, e, self.doc.text[s:e], "article",
                                                          [{"source": network, "language": None, "kind": "social"}])))
        return out

    def _interview_lines(self, found: list[Evidence]) -> list[Evidence]:
        """A short line that says the page is an interview ("Im Interview", "Interview von S. Braun und E. Roll",
        "ENTRETIEN"): the whole article is one person's answers, so it is evidence for every quotation."""
        out: list[Evidence] = []
        for ps, pe in self.doc.paragraphs:
            line = self.doc.text[ps:pe]
            if any(ps <= e.start < pe for e in found) or self._credit(ps, pe):
                continue
            names = self._names_in(line)
            interview = len(line.split()) <= 10 and bool(lexicon.interview_pattern().search(line))
            if not (interview or self._byline(line, names)):
                continue
            s, e = _trim(self.doc.text, ps, pe)
            if any(x.start == s for x in found + out):
                continue
            out.append(Evidence(s, e, self.doc.text[s:e], "article", [self._hop(n, line, dateline=True) for n in names]))
        return out

    @staticmethod
    def _byline(line: str, names: list[str]) -> bool:
        """A line that is only an outlet's name or address ("Reuters", "tgcom24.mediaset.it", "By AP"): the
        page's credit for where its text came from."""
        rest = line
        for n in names:
            rest = rest.replace(n, " ")
        kinds = [found[1].kind for n in names if (found := lexicon.source_named(n)) is not None]
        social = bool(kinds) and all(k == "social" for k in kinds)  # "Facebook Twitter": share buttons
        return bool(names) and not social and len(line.split()) <= 5 and not re.search(r"\w{2,}", re.sub(
            r"(?i)\b(by|von|par|por|di|de|da|via|source|quelle|fuente|fonte|источник|джерело)\b", " ", rest))

    def _names_in(self, phrase: str) -> list[str]:
        found: list[str] = []
        outlets: set[str] = set()
        for _, _, name, src in lexicon.source_mentions(phrase):
            if src.name not in outlets:  # "Reuters … REUTERS": one outlet, named as the page first names it
                outlets.add(src.name)
                found.append(name)
        domain = _DOMAIN.search(phrase)
        if domain and domain.group() not in found:
            found.insert(0, domain.group())
        return found

    def _source_name(self, raw: str) -> str | None:
        for _, _, name, _ in lexicon.source_mentions(raw):
            return name
        return None

    def _hop(self, name: str, phrase: str, *, dateline: bool = False, republished: bool = False) -> dict[str, str | None]:
        found = lexicon.source_named(name)
        known = found[1] if found else None
        language = self.language if dateline else (known.language if known else None)
        if republished and not dateline:
            language = (known.language if known else None) or _domain_language(name)
        return {"source": name, "language": language, "kind": _kind(phrase, name)}

    def _titles(self) -> str:
        """The masked text with short quotations given back: a name in marks is a title, and titles are outlets
        as often as not (« L'Observateur », «Известия», „Bild“); longer quotations stay blank."""
        if not hasattr(self, "_view"):
            chars = list(self.doc.masked)
            for p in self.doc.pairs:
                if p.depth == 0 and len(self.doc.text[p.open + 1:p.close].split()) <= 4:
                    chars[p.open + 1:p.close] = self.doc.text[p.open + 1:p.close]
            self._view = "".join(chars)
        return self._view

    def in_sentence(self, ss: int, se: int) -> list[Evidence]:
        """Evidence phrases in the sentence ``ss:se`` (outside its quotations)."""
        masked = self.doc.masked
        view = self._titles()
        out: list[Evidence] = []
        for m in self.cues.patterns["evidence_before_source"].finditer(masked, ss, se):
            if any(e.start <= m.start() < e.end for e in out) or self._credit(m.start(), m.end()):
                continue
            ev = self._phrase(m.start(), m.end(), se)
            if ev is not None:
                out.append(ev)
        out += self._inverted(ss, se, out)
        out += self._settings(ss, se, out)
        # "on CNN", "via Telegram", "в Telegram", "auf Twitter": a little word is evidence only before a listed outlet
        for m in self.cues.patterns["channel_prepositions"].finditer(masked, ss, se):
            if any(e.start <= m.start() < e.end for e in out) or self._credit(m.start(), m.end()):
                continue
            after = re.match(r"\s+(?:(?:the|his|her|its|their|la|le|les|l[’']|son|sa|ses|leur|der|die|das|dem|den|"
                             r"seinem|seiner|ihrem|ihrer|el|los|su|sus|il|lo|suo|o|a|os|as|seu|sua|своём|своем|своей|"
                             r"свой)\s+)?"
                             r"[«„“\"]?", view[m.end():se], re.IGNORECASE)
            at = m.end() + (after.end() if after else 0)
            found = lexicon.source_at(view, at, se)
            if found is None:
                continue
            _, name_end, name, _ = found
            close = re.match(r"[»“”\"]?", view[name_end:se])
            # a programme's title joined to its channel: im ZDF-"Morgenmagazin", in der SRF-«Samstagsrundschau»
            title = _JOINED_TITLE.match(self.doc.text, name_end, se)
            s, e = _trim(self.doc.text, m.start(), title.end() if title else name_end + (close.end() if close else 0))
            hop = self._hop(name, self.doc.text[s:e])
            if title:  # the programme on its channel, of the channel's kind and language
                hop["source"] = f"{name}-{title.group(1).strip()}"
            out.append(Evidence(s, e, self.doc.text[s:e], "sentence", [hop]))
        # a programme on a listed broadcaster says more than a phrase that overlaps it ("ospite a Otto e Mezzo")
        programmes = self._programmes(ss, se)
        out = [e for e in out if not any(p.start < e.end and e.start < p.end for p in programmes)] + programmes
        # "Reuters reported", "передает ТАСС" is above; "ТАСС сообщает", "der Zeitung zufolge": the outlet just before
        for m in self.cues.patterns["evidence_after_source"].finditer(masked, ss, se):
            if any(e.start <= m.start() <= e.end for e in out):
                continue
            named = [x for x in lexicon.source_mentions(view, max(ss, m.start() - 60), m.start())
                     if len(view[x[1]:m.start()].split()) <= 4 and not re.search(r"[.;!?]", view[x[1]:m.start()])]
            if not named:
                continue
            at, _, name, _ = named[-1]
            s, e = _trim(self.doc.text, at, m.end())
            out.append(Evidence(s, e, self.doc.text[s:e], "sentence", [self._hop(name, self.doc.text[s:e])]))
        return sorted(out, key=lambda ev: ev.start)

    def _phrase(self, start: int, cue_end: int, se: int) -> Evidence | None:
        """The evidence phrase of a cue at ``start:cue_end`` ("told", "according to"), to the next clause break of
        the sentence ending at ``se``, when it names a source or a kind of channel."""
        masked = self.doc.masked
        nxt = _CLAUSE_BREAK.search(masked, cue_end, se)
        end = nxt.start() if nxt else se
        rest = masked[cue_end:end].split()
        title = None
        if nxt and masked[nxt.start()] in "“\"«„" and (not rest or len(rest) <= 2 and lexicon.kind_word(rest[-1])):
            # the source is a name in marks, right after the cue or its kind: « L'Observateur », "в эфире
            # YouTube-канала «Соловьев Live»"
            close = re.search(r"[”\"»“]", self.doc.text[nxt.start() + 1:se])
            if close:
                end = nxt.start() + 2 + close.start()
                title = self.doc.text[nxt.start() + 1:end - 1].strip()
        words = masked[cue_end:end].split()
        if len(words) > 14:
            end = cue_end + len(" ".join(masked[cue_end:end].split()[:14])) + 1
        phrase = self.doc.text[start:end]
        hops = self._phrase_hops(phrase, cue_end - start)
        if title and title[:1].isupper() and not self._names_in(phrase) and 0 < len(title.split()) <= 6 \
                and title[-1:] not in ".!?…":
            # an outlet or a programme the lists lack, named in marks: the whole title, not its first capital
            # (words in marks that are a sentence, or begin in lower case, are someone's words, not a title)
            hops = [self._hop(title, phrase)] + [h for h in hops if h["kind"] == "interpreter"]
        if not hops:
            if not self._channel_kind(phrase[cue_end - start:]):
                return None  # "in a German newspaper interview" is evidence that names nobody; "in a statement" is not
            described = _described(phrase[cue_end - start:])
            s, e = _trim(self.doc.text, start, end)
            return Evidence(s, e, self.doc.text[s:e], "sentence", [described] if described else [], named=False)
        s, e = _trim(self.doc.text, start, end)
        return Evidence(s, e, self.doc.text[s:e], "sentence", hops)

    def _inverted(self, ss: int, se: int, found: list[Evidence]) -> list[Evidence]:
        """A cue verb with its subject between it and the channel ("sagte Habeck dem „Spiegel“", "sagte er der
        „Westdeutschen Allgemeinen Zeitung“": after a quotation German puts the subject behind the verb): read
        as the cue the verb and the channel make ("sagte dem"), the subject skipped."""
        masked, out = self.doc.masked, list[Evidence]()
        before_source = self.cues.patterns["evidence_before_source"]
        for m in self.cues.patterns["cue_verbs"].finditer(masked, ss, se):
            if any(e.start <= m.start() < e.end for e in [*found, *out]):
                continue
            verb = masked[m.start():m.end()]
            words = list(_WORD.finditer(masked, m.end(), min(se, m.end() + 80)))
            for k in range(1, min(4, len(words))):
                subject = [w.group() for w in words[:k]]
                if not (k == 1 and self.cues.has("pronouns", subject[0].lower())
                        or all(w[:1].isupper() for w in subject)) \
                        or re.search(r"[^\w\s’'-]", masked[m.end():words[k].start()]):
                    break  # not a subject, or punctuation: the sentence went on
                at = words[k].start()
                cue = before_source.match(f"{verb} {masked[at:se]}")
                if cue is not None and cue.end() > len(verb) + 1:  # the verb alone is no channel
                    ev = self._phrase(m.start(), at + cue.end() - len(verb) - 1, se)
                    if ev is not None:
                        out.append(ev)
                    break
        return out

    def _settings(self, ss: int, se: int, found: list[Evidence]) -> list[Evidence]:
        """Where the speaker said the words, with no outlet named ("told reporters in Berlin on Wednesday", "in a
        statement", "perante os jornalistas", "на брифинге"), to the clause's end: evidence of how the words came
        (to the press, in writing), which names no hop of the chain."""
        masked, out = self.doc.masked, []
        for m in self.cues.patterns["settings"].finditer(masked, ss, se):
            if any(e.start < m.end() and m.start() < e.end for e in found) or self._credit(m.start(), m.end()):
                continue
            nxt = _CLAUSE_BREAK.search(masked, m.end(), se)
            end = nxt.start() if nxt else se
            rest = masked[m.end():end].split()
            if len(rest) > SETTING_WORDS:
                end = m.end() + len(" ".join(rest[:SETTING_WORDS])) + 1
            s, e = _trim(self.doc.text, self._preposition_before(m.start(), ss), end)
            out.append(Evidence(s, e, self.doc.text[s:e], "sentence", []))
        return out

    def _preposition_before(self, at: int, ss: int) -> int:
        """Where a setting's phrase starts: the first preposition of the few words before a setting named by its
        noun alone ("in einer am Samstag veröffentlichten Videobotschaft"), else the setting itself."""
        lead = self.doc.masked[max(ss, at - 60):at]
        words = list(re.finditer(r"[\w’'-]+", lead))
        if re.search(r"[,.;:!?()“”\"«»„]", lead[words[-SETTING_WORDS].start():] if len(words) >= SETTING_WORDS else lead):
            return at
        prepositions = lexicon.closed().prepositions
        for w in words[-SETTING_WORDS + 1:]:  # the first: "in" of "in einer am Samstag veröffentlichten …"
            if w.group().lower() in prepositions:
                return at - len(lead) + w.start()
        return at

    def _programmes(self, ss: int, se: int) -> list[Evidence]:
        """A programme named in apposition with a listed broadcaster ("a Otto e Mezzo, trasmissione di La7",
        "à Quotidien, émission de TMC"): the channel is the programme on that broadcaster."""
        masked, view, text = self.doc.masked, self._titles(), self.doc.text
        out: list[Evidence] = []
        for m in self.cues.patterns["programmes"].finditer(masked, ss, se):
            after = re.match(r"\s+(?:di|de|du|della|del|dello|dell['’]|of|on|des|der|von|do|da|телеканала|каналу|"
                             r"телеканалу)\s+", view[m.end():se], re.IGNORECASE)
            if after is None:
                continue
            found = lexicon.source_at(view, m.end() + after.end(), se)
            window_at = max(ss, m.start() - 60)
            window = view[window_at:m.start()]
            comma = re.search(r",\s*$", window)
            preps = list(re.finditer(r"(?:^|[\s(])(?:a|à|au|in|on|im|bei|en|em|no|na|в|на|у)\s+", window,
                                     re.IGNORECASE))
            if found is None or comma is None or not preps:
                continue
            _, name_end, outlet, _ = found
            programme = window[preps[-1].end():comma.start()].strip("«»„“”\" ")
            if not programme or not programme[0].isupper() or len(programme.split()) > 6:
                continue
            start = window_at + preps[-1].start() + (1 if window[preps[-1].start()].isspace() else 0)
            s, e = _trim(text, start, name_end)
            hop = self._hop(outlet, text[s:e])
            hop["source"] = f"{programme} ({outlet})"
            out.append(Evidence(s, e, text[s:e], "sentence", [hop]))
        return out

    def _channel_kind(self, tail: str) -> bool:
        """Whether the first words after a cue name a kind of channel ("a German newspaper", "state television")."""
        low = " ".join(tail.lower().split()[:5])
        return any(re.search(rf"(?<!\w){re.escape(w)}", low) for kind, words in lexicon.closed().kinds
                   if kind in CHANNEL_KINDS for w in words if len(w) > 3)

    def _phrase_hops(self, phrase: str, cue_len: int = 0) -> list[dict[str, str | None]]:
        """The sources a phrase names, in order, with a translation it says one rests on. With no listed outlet,
        the first capitalised name within a few words after the cue ("told Izvestia", "selon Le Quotidien"),
        not a month, a place, a role or the cue's own capital."""
        hops: list[dict[str, str | None]] = []
        names = self._names_in(phrase)
        if not names:
            tail = phrase[cue_len:]
            for m in NAME.finditer(tail):
                cand = m.group(1)
                if len(tail[:m.start()].split()) > 4:
                    break
                # "the Russian Foreign Ministry Spokeswoman Maria Zakharova": the body, up to the person's role
                words = cand.split()
                k = next((i for i, w in enumerate(words) if i and (self.cues.has("roles", w) or given_name(
                    w, self.cues) or role_compound(w, self.cues))), len(words))
                cand = " ".join(words[:k])
                number = _CHANNEL_NUMBER.match(tail, m.end()) if k == len(words) else None
                if number:
                    cand += " " + number.group(1)  # "Radio 1", "France 2": a channel's number is its name's
                first = cand.split()[0].lower().strip(".’'")
                before = re.findall(r"[\w’'-]+", tail[:m.start()])[-1:]
                if before and len(cand) >= 2 and lexicon.kind_word(before[0]):
                    names.append(cand)  # "al settimanale Oggi": a title after its kind, whatever its word means
                    break
                if len(cand) < 2 or any(self.cues.has(k, first) for k in (
                        "roles", "not_names", "determiners", "speech_nouns", "cue_verbs", "channel_prepositions")) \
                        or lexicon.place_word(cand.split()[-1]) or _ordinary_capital(first) \
                        or any(given_name(w, self.cues) or role_compound(w, self.cues) for w in cand.split()):
                    continue  # a person is the speaker or the interviewer, not a channel
                names.append(cand)
                break
        for n in names:
            hops.append(self._hop(n, phrase))
        tr = self.cues.patterns["translation"].search(phrase)
        if tr:
            lang = lexicon.language_named(phrase, kind="adjectives")
            label = phrase[max(0, tr.start() - 30):tr.end()].split()[-2:]
            name = " ".join(label) if lang else "translation"
            adjective = re.search(r"(\w+)\s+(?:translation|traduction|Übersetzung|traducción|traduzione|tradução)",
                                  phrase, re.IGNORECASE)
            if adjective:
                name = f"{adjective.group(1)} {adjective.group(0).split()[-1]}"
            hops.append({"source": name, "language": lang, "kind": "interpreter"})
        return hops


#: A number of one or two digits closing a channel's name ("sur Radio 1", "à France 2"), not a date or an amount.
_CHANNEL_NUMBER = re.compile(r"[ \t\u00a0]+(\d{1,2})(?![\w.,:/%-]\w|\w)")


def _domain_language(name: str) -> str | None:
    m = re.search(r"\.(fr|de|ru|es|it|pt|ua)$", name)
    return {"ua": "uk"}.get(m.group(1), m.group(1)) if m else None


__all__ = ["Evidence", "Finder"]
