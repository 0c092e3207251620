"""Who said each quotation: cue verbs and the sentence around the marks, then the article's fuller mention.

In order, for one quotation:

1. an interview's label at the start of the paragraph ("Angela Merkel: …"), a name and not a sentence
   that ends in a colon;
2. a cue verb in the quotation's sentence, outside every quotation ("“…,” Lavrov said", "sagte Wulff",
   "Choe stated, “…”", "selon elle"), and the name, pronoun or role nearest to it; a participle after a
   comma (", calling him …") or with nobody beside it ("stating that …") takes the sentence's subject,
   as does a verb joined to the first by "and" ("… y ha afirmado que"); a listed outlet right before the
   verb ("KCNA said") speaks its own words; a verb with no subject at all ("«…» añadió", "Así pues, ha
   opinado que") takes the person the sentence before brings in, else the speaker before; a name inside
   what is said ("says Trump proved …") or after a preposition is no verb's subject; a role in apposition
   after a name is that name's; German "sei" is a cue only where no verb of saying is;
3. a sentence that ends in a colon before the marks, with a name in it;
4. the sentence right after, when it points back ("Об этом заявил …", "Lo ha detto …") or names the
   speaker with no verb ("Così la segretaria dem Elly Schlein");
5. the heading above, in a roundup that sets each speaker's name on a line of its own above their words;
6. for a few words quoted inside a sentence with no verb of saying, the person or role opening it;
7. otherwise the speaker of the quotation just before, when it is in the same paragraph or the one
   before (a statement quoted over several sentences), or the last person named before the marks.

A pronoun is the person who opens its own sentence, else whoever the sentence
before (quoting nothing) brings in, else the last speaker or the last person
named before it; a bare role in Russian or Ukrainian the speaker just before; a role ("the minister", "le président") the last person introduced
with it, the speaker it described before ("the spokesman"), or the person
opening the sentence before; a short name ("Choe", "Wulff") becomes the fullest
mention of the same person in the article ("Choe Son Hui").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

from anyascii import anyascii

from provenance.intake import lexicon
from provenance.intake.quotes import Found, heading_speaker
from provenance.intake.text import NAME, Doc, Mention, given_name, honorific_before, mentions_between, role_compound, stem

#: How many words away from a cue verb its speaker may stand.
WINDOW = 7
#: A cue in the form of a gerund or an adverbial participle ("calling", "asegurando", "dicendo", "заявив").
_GERUND = re.compile(r"(?:ing|ando|endo|iendo|indo|ив|ав|ев|ивши|авши|вшись)$", re.IGNORECASE)
_TOKEN = re.compile(r"[\w’'.-]+", re.UNICODE)


@dataclass
class Attribution:
    speaker: str | None
    mention: Mention | None  # where the name that decided it stands
    cue: tuple[int, int] | None  # the cue verb's offsets, when one decided it
    how: str


def _fold(s: str) -> str:
    return anyascii(unicodedata.normalize("NFKC", s)).lower().strip(".’'")


def _words(text: str) -> list[str]:
    return [_fold(stem(t)).removesuffix("'s") for t in text.split()]


class Fullest:
    """The fullest mention in the article that holds every word of a mention (Choe -> Choe Son Hui).

    Each distinct mention is looked up once, against the article's mentions
    folded once: the naive loop over every pair made a 50 KB article take
    seconds (every mention against every other, each folded again).
    """

    def __init__(self, doc: Doc) -> None:
        self.folded = [(m.text, _words(m.text)) for m in doc.mentions]
        self.known: dict[str, str] = {}

    def __call__(self, mention: Mention) -> str:
        found = self.known.get(mention.text)
        if found is None:
            want = _words(mention.text)
            best = mention.text
            for text, words in self.folded:
                if len(words) > len(best.split()) and all(w in words or _genitive_of(w, words) for w in want):
                    best = text
            found = self.known[mention.text] = re.sub(r"[’']s$", "", best)
        return found


def _genitive_of(word: str, words: list[str]) -> bool:
    """Whether ``word`` is one of ``words`` with the genitive's -s that German, Dutch and the Nordic languages
    write without an apostrophe ("so Habecks Einschätzung", "Merkels Sprecher"): the same person."""
    return len(word) > 4 and word.endswith("s") and word[:-1] in words


def _persons(doc: Doc) -> list[Mention]:
    """Mentions that can be people: not a known outlet, not a single word that is only a place, a month or a role
    ("Міністр розповів" opening a sentence is the minister named before, not a man called Міністр)."""
    c = lexicon.cues()
    capitalised = _capitalised_inside(doc)
    # a name the article once introduces as an outlet ("la radio sénégalaise Rfm") is an outlet wherever it stands
    outlets = {m.text for m in doc.mentions if _named_channel(doc, m, c)}
    return [m for m in doc.mentions if m.text not in outlets and lexicon.source_named(m.text) is None
            and not _affiliation(doc, m)
            and not _sentence_start_word(doc, m, capitalised) and not _in_credit(doc, m)
            and lexicon.source_named(re.split(r"[-‑]", m.text)[0]) is None  # "Telegram-channels" is an outlet
            and not m.common and not (len(m.text.split()) == 1 and (c.has("not_names", m.text) or c.has("roles", m.text)))]


def _affiliation(doc: Doc, m: Mention) -> bool:
    """A name in parentheses right after another ("Frank-Walter Steinmeier (SPD)", "Angela Merkel (CDU)"): the
    person's party or body, not someone who speaks."""
    before = doc.masked[max(0, m.start - 3):m.start]
    if not before.rstrip().endswith("("):
        return False
    at = doc.masked.rfind("(", 0, m.start)
    return bool(re.search(r"[^\W\d_]\s*$", doc.masked[max(0, at - 3):at])) and doc.masked[m.end:m.end + 1] == ")"


#: The kinds of source whose common nouns introduce an outlet's name ("la radio sénégalaise Rfm").
_OUTLET_KINDS = ("agency", "newspaper", "broadcaster")


@lru_cache(maxsize=1)
def _outlet_nouns() -> tuple[str, ...]:
    """The one-word nouns for an agency, a newspaper or a broadcaster, every language's (stems: "газет")."""
    return tuple(w for kind, words in lexicon.closed().kinds if kind in _OUTLET_KINDS for w in words if " " not in w)


def _apposition(doc: Doc, m: Mention, words: int) -> list[str]:
    """The first words set off by a comma right after a mention ("Oscar Puente, el ministro español"), lower-cased:
    where a role in apposition stands."""
    after = re.match(r"\s*,\s*((?:[\w’'-]+\s+){0,%d}[\w’'-]+)" % (words - 1), doc.masked[m.end:m.end + 60])
    return re.findall(r"[\w’'-]+", after.group(1).lower()) if after else []


def _named_channel(doc: Doc, m: Mention, c: lexicon.Cues) -> bool:
    """A name right after a word for an outlet, perhaps with an adjective or two between ("la radio sénégalaise
    Rfm", "the Russian newspaper Izvestia", "la cadena Rossiya-24"): an outlet the lists lack, not a person. A
    role or a verb between ("the newspaper's editor John Smith", "the news agency says Kim") hands the name back
    to a person, and so does a noun inside a name ("Korean Central News Agency")."""
    gap = doc.masked[max(0, m.start - 50):m.start]
    if re.search(r"[.,;:!?()\n]", gap[-25:]):
        gap = re.split(r"[.,;:!?()\n]", gap)[-1]
    lead = re.findall(r"[\w’'-]+", gap)[-4:]
    nouns = _outlet_nouns()
    for i in range(len(lead) - 1, max(-1, len(lead) - 4), -1):
        w = lead[i].lower()
        if any(w == n or (len(n) >= 5 and w.startswith(n)) for n in nouns):
            inside_name = i > 0 and lead[i - 1][:1].isupper() and lead[i - 1].lower() not in lexicon.closed().definite
            return not inside_name
        if lead[i][:1].isupper() or c.has("roles", w) or c.has("cue_verbs", w) or c.has("pronouns", w):
            return False
    return False


def _in_credit(doc: Doc, m: Mention) -> bool:
    """A name in a photo credit or a caption line ("© António Pedro Santos/Lusa", "Foto: …") took a picture."""
    line_s = doc.text.rfind("\n", 0, m.start) + 1
    line_e = doc.text.find("\n", m.end)
    line = doc.text[line_s:line_e if line_e >= 0 else len(doc.text)]
    return "©" in line or (len(line.split()) <= 12 and bool(lexicon.cues().patterns["credits"].match(line.strip())))


#: A dateline before a story's first words, in capitals up to its dash ("WASHINGTON (AP) — ", "LANSING, Mich. – "),
#: or naming its agency in brackets ("Berlin/Washington (APA/dpa) - ").
_DATELINE_AT = (r"\s*(?:[A-ZÀ-ÞА-ЯЁ]{2,}[^\n]{0,60}?\s|[A-ZÀ-ÞА-ЯЁ][^\n()]{0,60}?\([A-Z][\w .&/-]{1,40}\)\.?\s*)"
                 r"[–—-]{1,2}\s*")
_DATELINE = re.compile(_DATELINE_AT + "$")
#: The same at the start of a sentence, before its first words.
_DATELINE_OPENING = re.compile(_DATELINE_AT)


def _opens_sentence(doc: Doc, m: Mention) -> bool:
    """Whether nothing but marks and punctuation stands between a mention and the start of its sentence. A
    quotation before it counts as words ("“We will win,” Peskov said": Peskov is not the sentence's first word,
    though the quotation is blank in the masked text)."""
    ss, _ = doc.sentence_of(m.start)
    before = doc.text[ss:m.start]
    if _DATELINE.match(doc.masked[ss:m.start]):
        return True  # the story's first words: "WASHINGTON (AP) — Key members of Congress …"
    if doc.masked[ss:m.start].strip(" \t\n\"'“”«»„‚‘’—–-([") != "":
        return False
    if not re.search(r"\w", before):
        return True
    # only a quotation before it: the name opens a sentence when the quotation ended one ("… piccolo.” Sulle …")
    return before.rstrip(" \t\n\"'“”«»„‚‘’)")[-1:] in ".!?…:–—"


def _capitalised_inside(doc: Doc) -> list[tuple[Mention, set[str]]]:
    """Each mention the article capitalises inside a sentence, or that has several words, with its words' stems.
    A word after nothing but punctuation opens its sentence ("LANSING, Mich. – Fresh off …")."""
    return [(m, {stem(t) for t in m.text.split()}) for m in doc.mentions if " " in m.text or not _opens_sentence(doc, m)]


def _sentence_start_word(doc: Doc, m: Mention, capitalised: list[tuple[Mention, set[str]]]) -> bool:
    """A single capitalised word opening a sentence that the article never capitalises anywhere else ("Hatten",
    "Aus", "Luego"): every language capitalises a sentence's first word, so that word is no one's name unless it
    is a given name or the article also writes it capitalised mid-sentence, alone or in a fuller name
    (``capitalised``, from :func:`_capitalised_inside`)."""
    if " " in m.text or given_name(m.text, lexicon.cues()) or not _opens_sentence(doc, m):
        return False
    key = stem(m.text)
    return not any(key in stems for other, stems in capitalised if other is not m)


def _dative(name: str) -> bool:
    """A Cyrillic name whose every word ends in the dative's -у/-ю ("журналисту Пирсу Моргану", "Сергею Шойгу"):
    someone spoken to, never the subject of a cue verb, which is in the nominative. A single word is left
    alone ("Шойгу" is the same in every case)."""
    words = name.split()
    return len(words) >= 2 and all(re.search(r"[а-яёіїєґ][ую]$", w.lower()) for w in words)


def _after_preposition(masked: str, at: int) -> bool:
    """Whether the name at ``at`` follows a preposition, perhaps with an article ("at the United Nations"); not
    when the word between is the preposition's own object ("В связи с этим Зеленский призвал": "этим" is what
    "с" governs, and Zelensky is the subject)."""
    lead = [w.lower() for w in re.findall(r"[\w’'-]+", masked[max(0, at - 25):at])[-2:]]
    closed = lexicon.closed()
    if lead and lead[-1] in closed.prepositions:
        return True
    return len(lead) == 2 and lead[0] in closed.prepositions and (lead[1] in closed.definite or not lead[1].isalpha()
                                                                  or lead[1] in closed.function_words)


def _ordinary_words(text: str, c: lexicon.Cues) -> bool:
    """Whether every word of a capitalised run is an ordinary word of the lists (a cue, a role, a pronoun)."""
    return all(c.has("cue_verbs", w) or c.has("roles", w) or c.has("pronouns", w) or c.has("determiners", w)
               for w in (t.lower() for t in text.split()))


@lru_cache(maxsize=4096)
def _place(name: str) -> bool:
    """A place or a people, or several joined ("México y España"): a speaker only when nobody else is near."""
    parts = [p for p in re.split(r"\s+(?:and|y|e|et|und|и|і|та)\s+", name) if p]
    return all(lexicon.language_named(p, kind="places") is not None and len(p.split()) <= 2 for p in parts)


#: A French or Italian elided word before a pronoun or a role ("qu’il", "l’ambasciatore", "s’il").
_ELIDED = re.compile(r"^(?:qu|lorsqu|puisqu|quoiqu|l|d|s|j|n|m|t|c|dell|all|dall|sull|nell)['’]")


#: A bracketed name right after a quotation's closing mark: « … » (Mediapart), "…" (le Monde).
_BRACKETED_NAME = re.compile(r"[ \t\u00a0]*\(([^()\n]{2,40})\)")


class Speakers:
    """Attributes quotations in reading order, remembering the last speaker for continuations."""

    def __init__(self, doc: Doc, quotes: list[Found], title: Doc | None = None):
        self.doc = doc
        self.quotes = quotes
        self.cues = lexicon.cues()
        self.persons = _persons(doc)
        # the person the headline names ("Gilets jaunes: Macron appelle à l'ordre"), where the body only says
        # "le chef de l'Etat": a role with no one named before it in the body is most often theirs
        self.headline = next((m.text for m in _persons(title) if not _place(m.text)), None) if title else None
        self._starts = [m.start for m in self.persons]
        self._at = {m.start: m for m in reversed(self.persons)}  # the first person mention starting at each place
        self.fullest = Fullest(doc)
        self._person_cache: dict[int, bool] = {}
        self._roles_cache: dict[tuple[int, int], list[str]] = {}  # per mention: the words it is introduced with
        self._cue_cache: dict[tuple[int, int], list[tuple[int, float, int, int]]] = {}
        self.last: tuple[int, Attribution] | None = None  # (paragraph index, attribution)
        self._described_roles: dict[str, str] = {}  # role word -> the described speaker it named last
        if len(self._headings()) < 2:
            # a name alone on a line at the top, outside a roundup's headings, signs the article ("- Marina
            # Artusa. Madrid"); further down it signs a pulled quotation, and is its speaker
            self.persons = [m for m in self.persons if not (doc.paragraph_index(m.start) <= 3 and self._alone(m))]
            self._starts = [m.start for m in self.persons]
            self._at = {m.start: m for m in reversed(self.persons)}

    def _alone(self, m: Mention) -> bool:
        """Whether a mention is all its paragraph says, but for a dash, "By", "Por" or a place after a full stop."""
        ps, pe = self.doc.paragraphs[self.doc.paragraph_index(m.start)]
        line = self.doc.text[ps:pe].strip()
        before = line[:m.start - ps - (len(self.doc.text[ps:pe]) - len(self.doc.text[ps:pe].lstrip()))]
        after = self.doc.text[m.end:pe].strip()
        return len(before.split()) <= 1 and not re.search(r"\w{4,}", before) \
            and (not after or (after[0] in ".,;–—-" and len(after.split()) <= 3))

    def _persons_in(self, lo: int, hi: int) -> list[Mention]:
        """The person mentions inside ``lo:hi``."""
        return mentions_between(self.persons, self._starts, lo, hi)

    def _named_outright(self, lo: int, hi: int) -> list[Mention]:
        """The person mentions inside ``lo:hi`` that could be who spoke, in order: no possessive, no place, none
        governed by a preposition ("with Putin", "для Зеленского")."""
        return [m for m in self._persons_in(lo, hi) if not m.possessive and not _place(m.text)
                and not _after_preposition(self.doc.masked, m.start)]

    def attribute(self, q: Found) -> Attribution:
        a = self._attribute(q)
        if a.speaker is not None and q.depth == 0 and q.kind != "scare":
            self.last = (self.doc.paragraph_index(q.open), a)
            if a.mention is None:  # a speaker the article only describes: "the North's foreign ministry spokesman"
                for w in re.findall(r"[\w’'-]+", a.speaker.lower()):
                    if self.cues.has("roles", w):
                        self._described_roles[w] = a.speaker
        return a

    # ------------------------------------------------------------ the steps

    def _attribute(self, q: Found) -> Attribution:
        doc = self.doc
        para = doc.paragraph_index(q.open)
        ps, pe = doc.paragraphs[para]
        label = re.match(r"\s*([^\n:“”\"«»„]{2,60}?):\s", doc.text[ps:pe])
        if label and ps + label.end() <= q.open + 1 and not self.cues.patterns["cue_verbs"].search(label.group(1)) \
                and lexicon.source_named(label.group(1).strip()) is None:
            ments = [m for m in doc.mentions_in(ps, ps + label.end(1)) if m in self.persons
                     and not _after_preposition(doc.masked, m.start)]
            # a label is a name, perhaps with its title ("Lavrov:", "Minister Sergei Lavrov:"), not a sentence
            # that ends in a colon ("Die Welt blickt nach Helsinki:")
            rest = [w for w in re.findall(r"[\w’'-]+", label.group(1))
                    if not any(w in m.text for m in ments) and not w[:1].isupper() and not self.cues.has("roles", w)]
            if ments and len(rest) <= 1:
                m = next((m for m in ments if self._person_like(m)), ments[-1])
                return Attribution(self._name(m), m, None, "interview label")
        credited = self._credited_after(q)
        if credited is not None:
            return credited
        heading = heading_speaker(doc, q)
        if heading is not None:
            person = next((m for m in self.persons if m.text == heading), None)
            return Attribution(self._name(person) if person else heading, person, None, "heading")
        ss, se = doc.sentence_of(q.open)
        found = self._by_cue(q, ss, se) or self._inserted(q)
        if found is not None:
            return found
        before = doc.masked[ss:q.open]
        if before.rstrip().endswith(":"):
            ments = self._persons_in(ss, q.open)
            if ments:
                m = next((m for m in ments if self._person_like(m)), ments[0])
                return Attribution(self._name(m), m, None, "colon")
        told = self._told_after(q, ss)
        if told is not None:
            return told
        header = self._header(para)
        if header is not None:
            return Attribution(self._name(header), header, None, "the heading above")
        if q.kind == "partial":
            subject = self._subject_of_sentence(q, ss)
            if subject is not None:
                return subject
        if self.last is not None and para - self.last[0] <= 1:
            prev = self.last[1]
            return Attribution(prev.speaker, prev.mention, None, "continues the quotation before")
        lead_in = self._lead_in(q, ss)
        if lead_in is not None:
            return lead_in
        main = self._protagonist()
        if main is not None:
            return Attribution(self._name(main), main, None, "the article's main person")
        if self.headline is not None:
            return Attribution(self.headline, None, None, "the person the headline names")
        return Attribution(None, None, None, "no cue")

    def _credited_after(self, q: Found) -> Attribution | None:
        """A name in brackets right after the closing mark, as press reviews and roundups credit words
        ("Dans la presse : «Un coup d'envoi réussi» (Mediapart), «le Réveil de la rue» (Libération)"): whose
        they are. Not an agency's credit closing a paragraph ("(AFP)", evidence of how the article came), a
        photo's credit ("(AP Photo/Carlos Osorio)"), nor a note ("(sic)", "(NDLR)", "(traduction)")."""
        m = _BRACKETED_NAME.match(self.doc.text, q.close + 1)
        if m is None:
            return None
        inner = m.group(1).strip()
        words = re.findall(r"[\w’'-]+", inner)
        determiner = words[0].lower().rstrip("’'") in lexicon.closed().definite if words else False
        named = words[1:] if determiner else words
        if not named or len(named) > 4 or not named[0][:1].isupper() or any(ch.isdigit() or ch in "/@" for ch in inner) \
                or any(self.cues.has(k, w.lower()) for w in named for k in ("roles", "not_names", "cue_verbs",
                                                                           "speech_nouns", "translation", "credits")):
            return None
        known = lexicon.source_named(" ".join(named))
        if known is not None and known[1].kind == "agency":
            return None
        return Attribution(inner, None, None, "credited after")

    def _inserted(self, q: Found) -> Attribution | None:
        """The narrator's words set between dashes inside the marks, as Italian, Spanish and Portuguese write them
        ("“Dobbiamo prepararci – ha precisato il premier –. Ho visto …”"): their cue names the speaker."""
        inner = self.doc.text[q.start:q.end]
        for m in re.finditer(r"\s[–—-]\s*([^–—\n]{3,80}?)\s*[–—-](?=[\s.,;])", inner):
            insertion = m.group(1)
            if not self.cues.patterns["cue_verbs"].search(insertion):
                continue
            at = q.start + m.start(1)
            for n in NAME.finditer(insertion):
                mention = Mention(at + n.start(1), at + n.end(1), n.group(1))
                if not _ordinary_words(n.group(1), self.cues):
                    return Attribution(self._name(mention), None, None, "narrator's insertion")
            for w in re.finditer(r"[\w’'-]+", insertion):
                word = w.group().lower()
                if self.cues.has("roles", word) or self.cues.has("pronouns", word):
                    s = at + w.start()
                    resolved = self._antecedent(s, role=self.cues.has("roles", word))
                    if resolved is not None:
                        return Attribution(resolved[0], resolved[1], None, "narrator's insertion")
                    if self.cues.has("roles", word):
                        return Attribution(self._described(s, s + len(word)), None, None, "narrator's insertion")
        return None

    def _header(self, para: int) -> Mention | None:
        """The person a heading names above the quotations that follow it ("PRIMEIRO-MINISTRO CANADENSE JUSTIN
        TRUDEAU", "Дмитрий Медведев", "MINISTRO DA DEFESA ISRAELENSE YOAV GALLANT:"), as roundups of reactions
        and quotes of the week print them: a short paragraph that is no sentence, names a person and is
        followed by a paragraph opening with a quotation. Each paragraph up to the quotation's opens with one,
        and the article has two such headings at least."""
        if len(self._headings()) < 2:
            return None  # one name alone on a line is a byline, not a roundup's heading
        k = para - 1
        while k >= 0:
            if not self._opens_with_quote(k + 1):
                return None
            named = self._heading_person(k)
            if named is not None:
                return named
            k -= 1
        return None

    def _headings(self) -> list[int]:
        """The paragraphs that are headings naming a person above a paragraph opening with a quotation."""
        if not hasattr(self, "_heading_paras"):
            self._heading_paras = [k for k in range(len(self.doc.paragraphs) - 1)
                                   if self._opens_with_quote(k + 1) and self._heading_person(k) is not None]
        return self._heading_paras

    def _opens_with_quote(self, para: int) -> bool:
        ps, pe = self.doc.paragraphs[para]
        return any(o.depth == 0 and ps <= o.open <= ps + 1 and o.kind != "scare" for o in self.quotes)

    def _heading_person(self, para: int) -> Mention | None:
        """The person a heading paragraph names, or None when the paragraph is no heading."""
        ps, pe = self.doc.paragraphs[para]
        line = self.doc.text[ps:pe].strip()
        if not line or len(line.split()) > 12 or line[-1] in ".!?…»”\"" or "\n" in line \
                or any(ps <= o.open < pe for o in self.quotes):
            return None
        named = self._named_outright(ps, pe)
        return named[0] if named else None

    def _lead_in(self, q: Found, ss: int) -> Attribution | None:
        """A sentence just before the quotation's, with no quotation of its own, that says someone spoke ("Про це
        йдеться у повідомленні … Олексія Гончаренка в Telegram.", "Peskov gave an interview to CNN."): the
        person nearest its cue introduces the words that follow."""
        si = self.doc.sentence_index(ss)
        if si == 0:
            return None
        ps, pe = self.doc.sentences[si - 1]
        if self.doc.paragraph_index(q.open) - self.doc.paragraph_index(ps) > 1 \
                or any(ps <= o.open < pe and o.kind != "scare" for o in self.quotes):
            return None  # a sentence with words of its own quoted is no lead-in
        best = self._cue_person(ps, pe)
        if best is None:
            return None
        return Attribution(self._name(best), best, None, "the sentence before")

    def _told_after(self, q: Found, ss: int) -> Attribution | None:
        """The sentence right after the quotation's, in its paragraph, that says who said it ("Все страны НАТО
        хотят «надрать задницу» России. Об этом … заявил глава МИД Украины Дмитрий Кулеба", "… Lo ha ribadito
        Paolo Gentiloni a Otto e mezzo"): it opens by pointing back ("об этом", "lo ha"), or names the speaker
        with no verb ("Così la segretaria dem Elly Schlein")."""
        si = self.doc.sentence_index(ss)
        if si + 1 >= len(self.doc.sentences):
            return None
        ns, ne = self.doc.sentences[si + 1]
        verbless = self.cues.patterns["said_by"].match(self.doc.masked, ns)
        # it points back whatever it quotes after its opening ("Lo ha detto … Tajani, partecipando all'evento
        # “Sport Made in Italy”")
        if self.doc.paragraph_index(ns) != self.doc.paragraph_index(q.open) \
                or not (verbless or self.cues.patterns["about_this"].match(self.doc.masked, ns)):
            return None
        best = self._cue_person(ns, ne)
        if best is None and verbless:
            # "Così la segretaria dem Elly Schlein, ospite di Agorà su Rai3.": the first person it names
            best = next(iter(self._named_outright(ns, ne)), None)
        return Attribution(self._name(best), best, None, "the sentence after") if best is not None else None

    def _cue_person(self, ps: int, pe: int) -> Mention | None:
        """The person nearest a cue of the sentence ``ps:pe``: the cue's subject before it, or a name right after
        it ("сообщил Песков", "у повідомленні народного депутата … Олексія Гончаренка"), not the object further
        on ("preguntó si se reuniría con la primera ministra, Mirtha Vásquez")."""
        best: tuple[int, Mention] | None = None
        for _, _, cs, ce in self._cues_of(ps, pe):
            for m in self._persons_in(ps, pe):
                if m.possessive or _place(m.text) or (m.end > cs and m.start < ce):
                    continue
                before = m.end <= cs
                gap = self.doc.masked[m.end:cs] if before else self.doc.masked[ce:m.start]
                words = len(_TOKEN.findall(gap))
                # after the cue, a name comes at once, or after the role that opens the words after the cue ("Lo
                # ha detto il vicepremier e segretario della Lega, Matteo Salvini"), not after other words that
                # make the name an object ("preguntó si se reuniría con la primera ministra, Mirtha Vásquez")
                reach = WINDOW if before or any(self.cues.has("roles", w) for w in _TOKEN.findall(gap)[:2]) else 4
                if words <= reach and not re.search(r"[.;!?]", gap) \
                        and not (not before and _after_preposition(self.doc.masked, m.start)) \
                        and (best is None or words < best[0]):
                    best = (words, m)
        return best[1] if best is not None else None

    def _protagonist(self) -> Mention | None:
        """The person the article is about: the one its person-like mentions name most often (first named on a
        tie). A quotation with no cue, in a headline or a paragraph of its own, is most often theirs."""
        if not hasattr(self, "_main"):
            counts: dict[str, int] = {}
            first: dict[str, Mention] = {}
            for m in self.persons:
                if m.possessive or _place(m.text) or _after_preposition(self.doc.masked, m.start):
                    continue
                key = _fold(stem(self._name(m).split()[-1]))
                counts[key] = counts.get(key, 0) + 1 + (1 if self._person_like(m) else 0)
                first.setdefault(key, m)
            best = max(counts, key=lambda k: (counts[k], -first[k].start), default=None)
            self._main = first[best] if best is not None else None
        return self._main

    def _by_cue(self, q: Found, ss: int, se: int) -> Attribution | None:
        # the sentence's cues outside this quotation, the closest first; speech nouns only after every verb: "the
        # president's remarks" are often someone else's words that the subject of the sentence answers ("El
        # funcionario consideró que las declaraciones del mandatario …")
        spans = []
        for tier, extra, cs, ce in self._cues_of(ss, se):
            if q.open <= cs < q.close:
                continue
            dist = q.open - ce if ce <= q.open else cs - q.close
            spans.append((tier, dist + extra, cs, ce))
        spans.sort()
        place: Attribution | None = None
        for tier, _, cs, ce in spans:
            if _GERUND.search(self.doc.masked[cs:ce]) and self.doc.masked[max(ss, cs - 3):cs].rstrip().endswith(","):
                # ", calling him a …", ", asegurando que …", ", заявив, что …": the participle's subject is the
                # sentence's, not the object named right before it ("Netanyahu has congratulated Donald Trump,
                # calling him …")
                subject = self._opening_subject(cs)
                if subject is not None:
                    return Attribution(self._name(subject), subject, (cs, ce), "cue, the participle's subject")
            if tier == 0 and ce <= q.open:
                first = self._coordinated_subject(cs, ss)
                if first is not None:
                    return Attribution(self._name(first), first, (cs, ce), "cue, the subject it is joined to")
            who = self._near(cs, ce, ss, se, q)
            if who is None:
                agency = self._source_subject(cs, ss) if tier == 0 else None
                if agency is not None:  # "“…,” KCNA said in a separate report": the agency's own words
                    return Attribution(agency, None, (cs, ce), "cue, an outlet's own words")
                if tier == 0 and cs == spans[0][2] and (
                        (ce <= q.open and self._unsaid_subject(cs, ss))
                        or (cs > q.close and not re.search(r"\w", self.doc.masked[q.close + 1:cs])
                            and not re.search(r"\w", self.doc.masked[ce:se]))):
                    # "Así pues, ha opinado que «…»", "«…» añadió.": the subject left unsaid is the person the
                    # sentence before brings in, quoting nothing ("el presidente Rajoy se mostró sorprendido"),
                    # else the one speaking before
                    introduced = self._introduced(self.doc.sentence_index(ss))
                    if introduced is not None:
                        return Attribution(self._name(introduced), introduced, (cs, ce), "cue, the subject left unsaid")
                    if self.last is not None and self.doc.paragraph_index(q.open) - self.last[0] <= 1:
                        prev = self.last[1]
                        return Attribution(prev.speaker, prev.mention, (cs, ce), "cue, the subject left unsaid")
                continue
            if place is not None and (tier > 0 or self._owned(cs)):
                break  # "Choe’s comments come as …, which Moscow claims …": her comments are not the claim
            if who[1] is None or not _place(who[1].text):  # "U.S. officials" is a role, not a country
                return Attribution(who[0], who[1], (cs, ce), "cue")
            # "El ministro destacó que México y España sostiene que «…»": a country is a speaker only when no
            # other cue of the sentence names a person
            place = place or Attribution(who[0], who[1], (cs, ce), "cue")
        if place is not None:
            return place
        if spans:
            # a cue with nobody beside it ("stating that …"): the sentence's subject
            subj = self._subject(ss, min(q.open, spans[0][2]))
            if subj is not None:
                return Attribution(subj[0], subj[1], (spans[0][2], spans[0][3]), "cue, the sentence's subject")
        return None

    def _coordinated_subject(self, cs: int, ss: int) -> Mention | None:
        """The subject of a cue verb joined to its sentence's first verb ("El presidente …, Alfonso Fernández
        Mañueco, se ha mostrado de acuerdo con que … Pedro Sánchez …, y ha afirmado que"): the first person of
        the sentence, not the names of the clause between."""
        closed = lexicon.closed()
        lead = [w.lower() for w in re.findall(r"[\w’'-]+", self.doc.masked[ss:cs])]
        while lead and lead[-1] in closed.auxiliaries:
            lead.pop()
        if not lead or lead[-1] not in closed.coordinators or len(lead) < 3:
            return None
        return next((m for m in self._persons_in(ss, cs) if not m.possessive and self._person_like(m)
                     and not _after_preposition(self.doc.masked, m.start)), None)

    def _introduced(self, si: int, *, subject: bool = True) -> Mention | None:
        """The person the sentence before sentence ``si`` brings in, when it quotes nothing and sits in the same
        paragraph or the one before: its subject ("Kanzlerin Angela Merkel hatte sich … abgegrenzt"), whoever it
        says spoke ("le président sortant Emmanuel Macron a déclaré …") or, with ``subject``, its first person
        named outside a preposition's phrase ("Sin embargo en la rueda de prensa, el presidente Rajoy se mostró
        sorprendido")."""
        if si <= 0:
            return None
        ps, pe = self.doc.sentences[si - 1]
        at = self.doc.sentences[si][0]
        if self.doc.paragraph_index(at) - self.doc.paragraph_index(ps) > 1 \
                or any(ps <= o.open < pe and o.kind != "scare" for o in self.quotes):
            return None
        found = self._opening_subject(pe - 1) or self._cue_person(ps, pe)
        if found is None and subject:
            # not one a verb of saying before it asks or answers ("se le preguntó si se reuniría con la primera
            # ministra, Mirtha Vásquez")
            found = next((m for m in self._named_outright(ps, pe)
                          if not self.cues.patterns["cue_verbs"].search(self.doc.masked, ps, m.start)), None)
        return found if found is not None and self._person_like(found) else None

    def _described_before(self, si: int) -> tuple[str, Mention | None] | None:
        """Whom the sentence before sentence ``si`` says spoke by a description after its verb of saying ("…,
        sagte der Tessiner am Sonntagabend. „…“, sagte er."): the person that description stands for, as a role
        names the person named before. Indirect speech is speech: the pronoun after it is its speaker, not a
        person the reported words name ("… den russischen Präsidenten Wladimir Putin zu sanktionieren")."""
        if si <= 0:
            return None
        ps, pe = self.doc.sentences[si - 1]
        if self.doc.paragraph_index(self.doc.sentences[si][0]) - self.doc.paragraph_index(ps) > 1:
            return None
        definite = lexicon.closed().definite
        for _, _, cs, ce in sorted(self._cues_of(ps, pe), key=lambda c: -c[2]):
            after = re.match(r"\s+([\w’'-]+)\s+([\w’'-]+)", self.doc.masked[ce:pe])
            if after is None or after.group(1).lower() not in definite or not after.group(2)[:1].isupper() \
                    or any(m.start == ce + after.start(2) for m in self.persons):
                continue
            at = ce + after.start(2)
            return self._antecedent(at, role=True)
        return None

    def _unsaid_subject(self, cs: int, ss: int) -> bool:
        """Whether nothing before the cue in its sentence could be its subject ("Así pues, ha opinado que"): no
        name, pronoun or role, only connectives and auxiliaries, as languages that drop the subject write."""
        words = re.findall(r"[\w’'-]+", self.doc.masked[ss:cs])
        return len(words) <= 4 and not self._persons_in(ss, cs) and not any(
            self.cues.has("pronouns", w.lower()) or self.cues.has("roles", w.lower()) for w in words)

    def _source_subject(self, cs: int, ss: int) -> str | None:
        """A listed outlet right before a verb of saying, as its subject ("KCNA said", "TASS reported"): when the
        narration an agency writes is quoted, the agency is the speaker."""
        for s, e, name, _ in lexicon.source_mentions(self.doc.masked, max(ss, cs - 40), cs):
            before = re.findall(r"[\w’'-]+", self.doc.masked[max(ss, s - 20):s])[-1:]
            if self.doc.masked[e:cs].strip() == "" and not (before and before[0].lower() in lexicon.closed().prepositions):
                return name  # not "entrevistada en Todo Noticias, aclaró"
        return None

    def _owned(self, cs: int) -> bool:
        """Whether the cue word at ``cs`` follows a possessive ("Choe’s comments", "his remarks"): a noun, not a
        verb whose subject speaks."""
        before = self.doc.masked[max(0, cs - 40):cs].rstrip()
        last = re.findall(r"[\w’'-]+$", before)
        return bool(last) and (last[0].lower().endswith(("’s", "'s")) or last[0].lower() in lexicon.closed().possessives)

    def _cues_of(self, ss: int, se: int) -> list[tuple[int, float, int, int]]:
        """The cue verbs, attributions and speech nouns of a sentence, found once for all its quotations:
        (tier, distance added, start, end)."""
        key = (ss, se)
        if key not in self._cue_cache:
            masked = self.doc.masked
            found: list[tuple[int, float, int, int]] = []
            for kind, tier, extra in (("cue_verbs", 0, 0.0), ("attributions", 0, 0.5), ("speech_nouns", 1, 0.0),
                                      ("reported_mood", 1, 0.5)):
                for m in self.cues.patterns[kind].finditer(masked, ss, se):
                    if masked[m.start():m.end()].strip():
                        found.append((tier, extra, m.start(), m.end()))
            self._cue_cache[key] = found
        return self._cue_cache[key]

    def _near(self, cs: int, ce: int, ss: int, se: int, q: Found) -> tuple[str, Mention | None] | None:
        """The name, pronoun or role nearest the cue at ``cs:ce`` within WINDOW words, not across the quotation.

        Before a quotation, the cue's subject usually stands before it ("Choe stated, “…”"); after one,
        on either side ("“…,” Lavrov said", "said Wulff"). A possessive ("Russia’s") is nobody's subject,
        except of a speech noun ("Choe’s comments"); a place is a speaker only when nobody else is near.
        """
        doc = self.doc
        noun = self.cues.has("speech_nouns", doc.masked[cs:ce])
        verb = not noun and self.cues.patterns["attributions"].fullmatch(doc.masked, cs, ce) is None
        lo, hi = (ss, q.open) if ce <= q.open else (q.close + 1, se)
        cue_first = ce <= q.open
        best: tuple[float, str, Mention | None] | None = None

        def offer(score: float, name: str, m: Mention | None) -> None:
            nonlocal best
            if best is None or score < best[0]:
                best = (score, name, m)

        # relative clauses set off by commas before the cue: their names are not its subject, and their words
        # are no distance ("le chef de l'Etat, qui venait de … N'Djamena, a expliqué")
        asides = self._asides(lo, cs) if cs > lo else []

        def between(a: int, b: int) -> str:
            """The text from ``a`` to ``b`` without the asides in it."""
            parts, at = [], a
            for x, y in asides:
                if a <= x and y <= b:
                    parts.append(doc.masked[at:x])
                    at = y
            return "".join(parts) + doc.masked[at:b]

        if re.search(lexicon.INVERTED + "$", doc.masked[cs:ce], re.IGNORECASE):
            # "ajoute-t-il": the subject is the pronoun the verb carries
            resolved = self._antecedent(cs, role=False)
            if resolved is not None:
                offer(0, resolved[0], resolved[1])
        for m in self._persons_in(lo, hi):
            if m.end > cs and m.start < ce:
                continue
            if m.possessive and not noun:
                continue
            if any(x <= m.start < y for x, y in asides) or self._whose_role(m):
                continue
            gap = between(m.end, cs) if m.end <= cs else doc.masked[ce:m.start]
            words = len(_TOKEN.findall(gap))
            if words > WINDOW or re.search(r"[.;!?]", gap) or re.search(r"[“”\"«»„]", gap):
                continue
            if verb and cue_first and m.start >= ce and (self._in_complement(gap) or self._verb_after(m)):
                # "says the summit with Russian President Vladimir Putin was “…”", "says Trump proved …": what is
                # said, not who says it
                continue
            place, governed = _place(m.text), _after_preposition(doc.masked, m.start)
            if governed and (place or verb):
                continue  # "sur la base militaire de N'Djamena", "für Unterstützung": a verb's subject is no
                # preposition's object (an attribution's is: "according to Lavrov", "laut Baerbock")
            score = words + (3 if cue_first and m.start >= ce else 0) + (2.5 if place else 0) \
                + (6 if governed or _dative(m.text) else 0)
            offer(score, self._name(m), m)
        for word in re.finditer(r"[\w’'-]+", doc.masked[lo:hi]):
            w = word.group().lower().strip("-’'")  # "el ministro-": the dash is the narrator's, not the word's
            elided = _ELIDED.match(w)  # "qu’il a félicité": the pronoun after an elided "que" is the subject
            w = w[elided.end():] if elided else w
            pronoun, role = self.cues.has("pronouns", w), self.cues.has("roles", w)
            if not (pronoun or role):
                continue
            s, e = lo + word.start() + (elided.end() if elided else 0), lo + word.end()
            if e > cs and s < ce:
                continue
            nxt = bisect.bisect_left(self._starts, e)
            if role and nxt < len(self._starts) and not self._whose_role(self.persons[nxt]) and (
                    self._starts[nxt] <= e + 2 or (
                    len(_TOKEN.findall(upto := doc.masked[e:self._starts[nxt]])) <= 3
                    and not re.search(r"[.;!?“”\"«»„]", upto) and self._person_like(self.persons[nxt])
                    and not any(self.cues.has("complementizers", w) for w in _TOKEN.findall(upto)))):
                continue  # "spokesperson Maria Zakharova", "secretary of state, Cardinal Pietro Parolin": the name decides
            holder = self._in_apposition(s, w) if role else None
            if any(x <= s < y for x, y in asides):
                continue
            gap = between(e, cs) if e <= cs else doc.masked[ce:s]
            words = len(_TOKEN.findall(gap))
            if words > WINDOW or re.search(r"[.;!?]", gap):
                continue
            if pronoun and w in lexicon.closed().possessives and not noun:
                continue
            inverted = s >= ce and words == 0 and w not in lexicon.closed().object_pronouns  # "sagte er", "meinte er", "said he"
            score = words + (3 if cue_first and s >= ce and not inverted else 0) + 0.25
            if best is not None and score >= best[0]:
                continue
            if holder is not None:
                # "Lizzy Guyton, the governor’s communications director, said": the role is the name's before it
                offer(score, self._name(holder), holder)
                continue
            if role and not self._definite(s):
                if re.match(r"[а-яёіїєґ]", w) and self.last is not None and self.last[1].mention is not None \
                        and self.doc.paragraph_index(s) - self.last[0] <= 1:
                    # "— заявил представитель Кремля", "Накануне дипломат … заявила": a language without articles
                    # names the one speaking before by a role, as others write "the spokesman"
                    offer(score, self.last[1].speaker or "", self.last[1].mention)
                    continue
                offer(score, self._role_phrase(s, e), None)
                continue
            resolved = self._antecedent(s, role=role)
            if resolved is not None:
                offer(score, resolved[0], resolved[1])
            elif role:
                # "il premier" and nobody named before: the article's own description is the speaker
                offer(score + 0.5, self._described(s, e), None)
        return (best[1], best[2]) if best else None

    def _verb_after(self, m: Mention) -> bool:
        """Whether a name is followed by an ordinary lower-case word, a verb most often ("Trump proved"): the
        subject of a clause of its own, not an inverted subject ("said Putin.", "dijo Lula en …")."""
        nxt = re.match(r"\s+([\w’'-]+)", self.doc.masked[m.end:m.end + 40])
        if nxt is None or not nxt.group(1)[:1].islower():
            return False
        low, closed = nxt.group(1).lower(), lexicon.closed()
        return not (low in closed.function_words or low in closed.prepositions or low in closed.definite
                    or self.cues.has("roles", low) or self.cues.has("cue_verbs", low) or low in closed.coordinators
                    or low in closed.relatives)

    def _in_complement(self, gap: str) -> bool:
        """Whether the words between a cue and a name after it open what is said ("says the summit with …"): a
        complementizer or an ordinary lower-case word, not a role with its article ("said the minister Jean
        Dupont", "ha detto il presidente del Consiglio Mario Draghi")."""
        closed = lexicon.closed()
        for w in _TOKEN.findall(gap):
            low = w.lower().strip(".’'")
            if self.cues.has("complementizers", low):
                return True
            if w[:1].islower() and w.isalpha() and not (
                    self.cues.has("roles", low) or role_compound(low, self.cues) or low in closed.definite
                    or low in closed.prepositions or low in closed.function_words or self.cues.has("determiners", low)):
                return True
        return False

    def _asides(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Relative clauses and phrases of time or place set off by commas in ``lo:hi`` (", qui venait de …
        N'Djamena,", ", dans une déclaration solennelle place Beauvau à Paris,"), comma to comma."""
        closed = lexicon.closed()
        openers = closed.relatives | closed.circumstantials
        out = []
        for m in re.finditer(r",\s*([\w’'-]+)[^,;.!?]{0,150}?(?=,)", self.doc.masked[lo:hi]):
            if m.group(1).lower() in openers:
                out.append((lo + m.start(), lo + m.end() + 1))
        return out

    def _described(self, s: int, e: int) -> str:
        """A role as the article writes it, with its article: "il premier", "the minister" (inside marks too: the
        narrator's insertion)."""
        text = self.doc.text
        lead = re.findall(r"[\w’'-]+", text[max(0, s - 12):s])[-1:]
        # with the complement that says whose ("le chef de l'Etat", "il capo della diplomazia")
        whose = re.match(r"\s+(?:de|du|des|of|di|del|della|dello|der|do|da)\s+(?:l['’]|la\s+|le\s+|the\s+|el\s+)?"
                         r"[^\W\d_][\w-]*", text[e:e + 40])
        e = e + whose.end() if whose else e
        return " ".join([*lead, text[s:e]] if lead and lead[0].lower() in lexicon.closed().definite else [text[s:e]])

    def _definite(self, s: int) -> bool:
        """Whether the role word at ``s`` is "the minister" (someone named before), not "a representative".

        Russian and Ukrainian have no article: "Міністр розповів" is the minister named before when someone
        was introduced with that role ("Міністр закордонних справ України Дмитро Кулеба")."""
        # an elided article is a word of its own: "L’ancien secrétaire" is "l’" + "ancien" + the role
        lead = [w.rstrip("'’") for w in re.findall(r"\w+['’]|[\w.-]+", self.doc.masked[max(0, s - 30):s])[-2:]]
        definite = lexicon.closed().definite
        if any(w.lower() in definite for w in lead[-1:]) or (len(lead) == 2 and lead[0].lower() in definite):
            return True
        word = re.match(r"[\w’'-]+", self.doc.masked[s:])
        if word is None or not re.match(r"[а-яёіїєґ]", word.group(), re.IGNORECASE):
            return False
        key = word.group().lower()[:5]
        return any(any(w[:5] == key for w in self._roles_of(m)) for m in self.persons if m.end <= s)

    def _roles_of(self, m: Mention) -> list[str]:
        """The words a person is introduced with: before the name in its sentence, or in apposition after it
        ("Oscar Puente, el ministro español, …"), lower-cased; read once per mention."""
        key = (m.start, m.end)
        if key not in self._roles_cache:
            self._roles_cache[key] = self._read_roles(m)
        return self._roles_cache[key]

    def _read_roles(self, m: Mention) -> list[str]:
        lead = re.split(r"[.;!?]\s", self.doc.masked[max(0, m.start - 80):m.start])[-1]
        # the clause the name stands in: "Міністр розповів, що Лавров" does not make Lavrov a minister, while
        # "el ministro de Transportes, Movilidad y Agenda Urbana, José Luis Ábalos" (a comma right before the
        # name) keeps the whole lead
        parts = lead.split(",")
        lead = lead if not re.search(r"\w", parts[-1]) else parts[-1]
        return re.findall(r"[\w’'-]+", lead.lower())[-8:] + _apposition(self.doc, m, 4)

    def _role_phrase(self, s: int, e: int) -> str:
        """"U.S. officials", "North Korean representative": the role with the words that qualify it."""
        ss, _ = self.doc.sentence_of(s)
        lead = self.doc.masked[max(ss, s - 40):s]
        lead = re.split(r"[,;:!?()\n]\s|\b(?:a|an|un|une|ein|eine|einer|una|um|uma|the)\s", lead)[-1]
        words: list[str] = []
        for w in reversed(lead.split()[-3:]):  # the qualifying words right before the role, no further
            low = w.lower()
            if low in lexicon.closed().prepositions or low in lexicon.closed().definite \
                    or self.cues.has("speech_nouns", low) or self.cues.has("cue_verbs", low) or not re.search(r"\w", w):
                break  # nor the verb or the dash before it: "— заявил представитель" is "представитель"
            words.insert(0, w)
        role = " ".join([*words, self.doc.masked[s:e]]).strip()
        nxt = bisect.bisect_left(self._starts, e)
        if nxt < len(self._starts) and self._starts[nxt] <= e + 2 and self._whose_role(self.persons[nxt]):
            role += " " + self.persons[nxt].text  # "представитель Кремля": whose representative says who it is
        return role

    def _past_dateline(self, ss: int, end: int) -> int:
        """Where a sentence's own words begin: after the dateline opening a story ("Berlin/Washington (APA/dpa)
        - Der deutsche Außenminister …"), whose places are nobody."""
        dateline = _DATELINE_OPENING.match(self.doc.masked, ss, end)
        return dateline.end() if dateline else ss

    def _subject(self, ss: int, end: int) -> tuple[str, Mention | None] | None:
        ss = self._past_dateline(ss, end)
        for m in re.finditer(r"[\w’'-]+", self.doc.masked[ss:end]):
            w = m.group().lower()
            if self.cues.has("pronouns", w):
                return self._antecedent(ss + m.start(), role=False)
            mention = self._at.get(ss + m.start())
            if mention is not None and not _after_preposition(self.doc.masked, mention.start):
                return self._name(mention), mention  # not "für Unterstützung": a preposition's object
        return None

    def _antecedent(self, pos: int, *, role: bool) -> tuple[str, Mention | None] | None:
        """The person a pronoun or a role at ``pos`` stands for: a person its own sentence named before it ("German
        Chancellor Angela Merkel offered …, she told reporters"), the last speaker nearby, else the last person
        named."""
        if not role:
            subject = self._opening_subject(pos)
            if subject is not None:
                return self._name(subject), subject
            # "Kanzlerin Angela Merkel hatte sich … abgegrenzt. „…“, sagte sie": a person the sentence before
            # introduces, quoting nothing, is newer than the last speaker
            introduced = self._introduced(self.doc.sentence_index(pos), subject=False)
            if introduced is not None:
                return self._name(introduced), introduced
        if self.last is not None and self.doc.paragraph_index(pos) - self.last[0] <= 1 and not role \
                and not _place(self.last[1].speaker or ""):
            return self.last[1].speaker or "", self.last[1].mention
        if not role:
            described = self._described_before(self.doc.sentence_index(pos))
            if described is not None:
                return described
        before = [m for m in self.persons if m.end <= pos and not m.possessive and not _place(m.text)]
        likely = [m for m in before if self._person_like(m)]
        before = likely or before
        if role:
            # "the minister": the last person named after the same role word, else after any role word
            at = re.match(r"[\w’'-]+", self.doc.text[pos:])
            word = at.group().lower().strip("-’'") if at else ""  # "ministro-" in "-se justificó el ministro-"
            for m in reversed(before):
                if word in self._roles_of(m):
                    return self._name(m), m
            if word in self._described_roles:  # "the spokesman said", after "the North's foreign ministry spokesman"
                return self._described_roles[word], None
            # a role opening the sentence after one a person opens is that person ("Marine Le Pen a été l'une
            # des premières a réagir. La présidente du Front national a adressé …")
            si = self.doc.sentence_index(pos)
            if si > 0 and self.doc.masked[self.doc.sentences[si][0]:pos].strip().lower() in lexicon.closed().definite:
                previous = self._opening_subject(self.doc.sentences[si - 1][1] - 1)
                if previous is not None and self._person_like(previous):
                    return self._name(previous), previous
            # another role word for the same person ("la ministra de Relaciones Exteriores, Diana Mondino" …
            # "aseguró la canciller"): the person the article is about, when a role introduced them, else the
            # last person a role introduced
            main = self._protagonist()
            if main is not None and main.end <= pos and any(self.cues.has("roles", w) for w in self._roles_of(main)):
                return self._name(main), main
            for m in reversed(before):
                if any(self.cues.has("roles", w) for w in self._roles_of(m)):
                    return self._name(m), m
        if self.last is not None and self.doc.paragraph_index(pos) - self.last[0] <= 1 \
                and not _place(self.last[1].speaker or ""):
            return self.last[1].speaker or "", self.last[1].mention
        main = self._protagonist() if role else None
        if main is not None and main.end <= pos:
            # "the prime minister" with no one named beside a role word: the person the article is about
            return self._name(main), main
        if before:
            return self._name(before[-1]), before[-1]
        if self.headline is not None:
            return self.headline, None
        if main is not None and self._person_like(main):
            # "Le chef de l'Etat a également précisé …" opening an excerpt that names "M. Poutine" further on
            return self._name(main), main
        return None

    def _subject_of_sentence(self, q: Found, ss: int) -> Attribution | None:
        """A few words quoted inside a sentence with no verb of saying ("German Chancellor Angela Merkel has
        offered Trump “close cooperation”", "La présidente du Front national a adressé ses « félicitations »"):
        the person or the role that opens the sentence is the one whose words they are."""
        subject = self._opening_subject(q.open)
        if subject is not None:
            return Attribution(self._name(subject), subject, None, "the sentence's subject")
        lead = re.match(r"\s*([\w’'-]+)\s+([\w’'-]+)", self.doc.masked[ss:q.open])
        if lead and lead.group(1).lower() in lexicon.closed().definite and self.cues.has("roles", lead.group(2)):
            resolved = self._antecedent(ss + lead.start(2), role=True)
            if resolved is not None:
                return Attribution(resolved[0], resolved[1], None, "the sentence's subject")
        return None

    def _opening_subject(self, pos: int) -> Mention | None:
        """The person who opens the sentence at ``pos``, perhaps after their titles ("German Chancellor Angela
        Merkel offered …, she told reporters"): the subject a later pronoun of the sentence stands for."""
        ss = self._past_dateline(self.doc.sentence_of(pos)[0], pos)
        first = next((m for m in self._persons_in(ss, pos) if not self._titled(m)), None)
        if first is None or first.possessive or _place(first.text):
            return None
        lead = re.findall(r"[\w’'-]+", self.doc.masked[ss:first.start])
        closed = lexicon.closed()
        # titles only: roles, demonyms, articles, and capitalised words in a title of two words or more
        # ("Israeli Prime Minister"), not an ordinary word opening the sentence alone ("Concernant Ouattara")
        if len(lead) > 4 or not all(self.cues.has("roles", w) or role_compound(w, self.cues) or lexicon.place_word(w)
                                    or w.lower() in closed.definite or (len(lead) > 1 and w[:1].isupper())
                                    for w in lead):
            return None
        return first

    def _titled(self, m: Mention) -> bool:
        """Whether a role word follows a mention at once: part of a title ("Prime" in "Prime Minister"), not a
        person."""
        nxt = re.match(r"\s+([\w’'-]+)", self.doc.masked[m.end:m.end + 40])
        return nxt is not None and self.cues.has("roles", nxt.group(1))

    def _in_apposition(self, s: int, word: str) -> Mention | None:
        """The person whose name the role word at ``s`` stands in apposition to, set off by a comma ("Lizzy
        Guyton, the governor’s communications director,", "Bob Corker of Tennessee, chairman of …")."""
        k = bisect.bisect_left(self._starts, s) - 1
        if k < 0 or self.persons[k].end >= s or word not in _apposition(self.doc, self.persons[k], 5) \
                or len(_TOKEN.findall(self.doc.masked[self.persons[k].end:s])) > 4:
            return None
        # "of Tennessee": the apposition is the name's the place belongs to
        while k > 0 and _after_preposition(self.doc.masked, self.persons[k].start) \
                and len(_TOKEN.findall(self.doc.masked[self.persons[k - 1].end:self.persons[k].start])) <= 2:
            k -= 1
        holder = self.persons[k]
        if holder.possessive or _place(holder.text) or _after_preposition(self.doc.masked, holder.start):
            return None
        return holder

    def _whose_role(self, m: Mention) -> bool:
        """A seat of power right after a role word ("представитель Кремля", "spokesman of the White House"): whose
        role it is; the role's holder speaks."""
        if not lexicon.seat(m.text):
            return False
        lead = re.findall(r"[\w’'-]+", self.doc.masked[max(0, m.start - 30):m.start])[-3:]
        return any(self.cues.has("roles", w) or role_compound(w, self.cues) for w in lead)

    def _person_like(self, m: Mention) -> bool:
        """Whether a mention reads as a person: a given name in its fullest form, or a role word just before it;
        not after a preposition ("the minister of Energía y Minas"), not a place."""
        if id(m) not in self._person_cache:
            self._person_cache[id(m)] = self._reads_as_person(m)
        return self._person_cache[id(m)]

    def _reads_as_person(self, m: Mention) -> bool:
        if _after_preposition(self.doc.masked, m.start) or _place(m.text) or lexicon.seat(m.text):
            return False
        full = self._name(m)
        if any(given_name(w, self.cues) for w in full.split()[:-1]):
            return True
        before = self.doc.masked[max(0, m.start - 40):m.start].lower()
        if honorific_before(before):
            return True  # "M. Poutine", "Mr. Durov", "г-н Песков"
        lead = re.findall(r"[\w’'-]+", before)[-3:]
        lead += _apposition(self.doc, m, 3)  # or a role in apposition after it: "Oscar Puente, el ministro español"
        return any(self.cues.has("roles", w) for w in lead)

    def _name(self, m: Mention) -> str:
        return self.fullest(m)


__all__ = ["Speakers", "Attribution"]
