"""What intake proposes for an article, and what accepting it writes.

For each quotation intake found (``provenance.intake``), the proposal is one of:

- ``recorded``: the quote already holds these words (case, spacing and marks aside) from this article (its
  address or outlet, or any when the article names neither), or they were anchored in this very
  publication before: nothing new is written for them but their place in the article (an anchor);
- ``attach``: the words belong to a known quote (trace's match, through the full-text index and the
  fuzzy score, at or above :data:`MATCH`): a new rendition of that quote, linked to the claimed hop
  the quote already holds (``stated``), or to the best candidate parent by shared distinctive wording
  (``inferred``, dates respected), with the claimed hops it lacks in between as ``claimed`` renditions;
- ``new``: a new quote, its chain built from the claimed chain: the speaker's words (``claimed``), each
  hop the evidence names (``claimed``), and the article's rendition (``attested``);
- ``skip``: a scare quote, a quotation without a speaker, or a repeat of a quotation before it.

An editor may change a speaker and, in a quotation's ``editor``, drop it (``skip``), record it as a new
quote, or attach it to a known quote under a parent of their choice. Accepting plans again from those
choices inside the write, against the database as it is then, so
what is written never rests on a stale look; it writes the publication, the quotes, the renditions,
the links and the anchors in one transaction with their audit events, and analyses the new hops.
Nothing is written when anything is refused.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Literal, Optional

from anyascii import anyascii
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, col, select

from provenance import chain, intake, lineage, publications, trace
from provenance.drift.parents import Candidate, rank_parents
from provenance.intake.marks import pairs
from provenance.errors import InvalidInput
from provenance.languages import base_language, normalize_language
from provenance.models import Anchor, Publication, Quote, Rendition, Source
from provenance.reading import ArticleIn
from provenance.schemas import ChainDocument, SourceKind, no_control_characters
from provenance.settings import Settings
from provenance.texts import text_hash
from provenance.writes import Write

#: A quotation is taken for a known quote's words when trace scores the match at least this (0..1).
MATCH = 0.88
#: The most quotations one proposal holds: each is traced against the database.
MAX_QUOTATIONS = 1_000
#: Quotations shorter than this (words) are never matched to a known quote: "insufficient" is anyone's word.
MIN_MATCH_WORDS = 3


# ---------------------------------------------------------------- the editor's choices (validated input)

class _In(BaseModel):
    """A part of a proposal sent back: fields it does not know are ignored (it is intake's own output, which
    carries more), and no text may hold a control character."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)
    _plain_text = field_validator("*", mode="after")(no_control_characters)


class ChainHopIn(_In):
    source: str = Field(min_length=1, max_length=200)
    language: Optional[str] = Field(default=None, max_length=35)
    kind: SourceKind


class EvidenceIn(_In):
    text: str = Field(max_length=2000)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class EditorIn(_In):
    """What an editor decided against intake's proposal for one quotation (``quotes[i].editor``): drop it,
    record it as a new quote, or add it to a known quote (``quote``), perhaps under another parent
    (``parent``, a rendition key of that quote). Intake's own ``proposal`` is only shown: accepting plans
    again, so an answer from before another article was accepted is not written as it was."""

    action: Optional[Literal["new", "attach", "skip"]] = None
    quote: Optional[str] = Field(default=None, max_length=200, description="the known quote's slug")
    parent: Optional[str] = Field(default=None, max_length=80, description="the parent rendition's key")


class QuoteIn(_In):
    text: str = Field(min_length=1, max_length=20_000)
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    kind: Literal["full", "partial", "scare"]
    speaker: Optional[str] = Field(default=None, max_length=200)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50)
    chain: list[ChainHopIn] = Field(default_factory=list, max_length=20)
    editor: Optional[EditorIn] = None


class PublicationIn(_In):
    text: str = Field(min_length=1, max_length=100_000)
    language: str = Field(min_length=2, max_length=35)
    url: Optional[str] = Field(default=None, max_length=2000, pattern=r"^https?://\S+$")
    outlet: Optional[str] = Field(default=None, max_length=200)
    title: Optional[str] = Field(default=None, max_length=1000)
    author: Optional[str] = Field(default=None, max_length=300)
    published_on: Optional[date] = None
    retrieved_at: Optional[datetime] = None


class ProposalIn(_In):
    """A proposal as the editor sends it back to be accepted (``POST /api/intake/accept``)."""

    publication: PublicationIn
    quotes: list[QuoteIn] = Field(max_length=2000)


def parse_accept(data: Any) -> ProposalIn:
    """The editor's proposal, validated: fields, control characters, offsets that fit the article's text."""
    try:
        parsed = ProposalIn.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InvalidInput(f"the proposal is not valid at '{where}': {err['msg'].removeprefix('Value error, ')}",
                           field_errors=[{"field": ".".join(str(p) for p in e["loc"]),
                                          "message": e["msg"].removeprefix("Value error, ")}
                                         for e in exc.errors()[:20]]) from None
    text = parsed.publication.text
    for i, q in enumerate(parsed.quotes):
        for where, item in [(f"quotes[{i}]", q), *((f"quotes[{i}].evidence[{j}]", e) for j, e in enumerate(q.evidence))]:
            if item.end > len(text) or item.start >= item.end or text[item.start:item.end] != item.text:
                raise InvalidInput(f"{where}: the article's text at {item.start}-{item.end} is not its text; offsets "
                                   "are Python string indices into the publication's text",
                                   field_errors=[{"field": f"{where}.start", "message": "does not fit the text"}])
    return parsed


# ---------------------------------------------------------------- planning

@dataclass
class Hop:
    key: str
    source: str
    kind: str
    language: str
    assumed: bool  # no word of the article states the language
    evidence: str | None


@dataclass
class Plan:
    """What one quotation becomes: its action, the quote, and the renditions and links to write."""

    action: str
    reason: str = ""
    quote: Quote | None = None  # a known quote (attach, recorded)
    rendition: Rendition | None = None  # recorded: the rendition holding these words
    key: str | None = None  # the article's rendition's key
    parent: Rendition | None = None  # attach: the existing parent
    parent_basis: str = "inferred"
    parent_evidence: str | None = None
    hops: list[Hop] = field(default_factory=list)  # claimed hops to add, nearest first
    shared: list[str] = field(default_factory=list)
    score: float | None = None

    def view(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action}
        if self.reason:
            out["reason"] = self.reason
        if self.quote is not None:
            out["quote"] = self.quote.slug
        if self.rendition is not None:
            out["rendition"] = self.rendition.key
        if self.key:
            out["rendition_key"] = self.key
        if self.parent is not None:
            out["parent"] = self.parent.key
            out["link"] = self.parent_basis
            if self.shared:
                out["shared"] = self.shared[:8]
        if self.score is not None:
            out["match_score"] = self.score
        if self.hops:
            out["claimed"] = [{"key": h.key, "source": h.source, "kind": h.kind, "language": h.language,
                               "language_assumed": h.assumed} for h in self.hops]
        return out


def _slugify(value: str, limit: int = 40) -> str:
    s = anyascii(unicodedata.normalize("NFKC", value)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:limit].strip("-") or "x"


def _unique(key: str, taken: set[str]) -> str:
    out, n = key, 2
    while out in taken:
        out = f"{key}-{n}"
        n += 1
    taken.add(out)
    return out


def _evidence_for(hop: dict[str, Any], evidence: list[Any]) -> str | None:
    name = (hop.get("source") or "").lower()
    for e in evidence:
        t = e.text if hasattr(e, "text") else e["text"]
        low = t.lower()
        if name and name in low:
            return t
        if hop.get("kind") == "interpreter" and re.search(r"translat|tradu|übersetz|перев|interpret", low):
            return t
    return None


def _chain_of(q: Any) -> list[dict[str, Any]]:
    """A quotation's claimed chain as plain hops, whether intake found it (dicts) or an editor sent it back."""
    return [h if isinstance(h, dict) else h.model_dump() for h in q.chain]


def _hops(chain_: list[dict[str, Any]], evidence: list[Any], child_language: str, taken: set[str]) -> list[Hop]:
    """The claimed hops, nearest first, without the speaker; a hop whose language no word states takes
    the language of the hop below it (the text it reached), marked as assumed."""
    out: list[Hop] = []
    below = child_language
    for d in chain_:
        if d["kind"] == "speaker":
            continue
        lang = d.get("language") or below
        out.append(Hop(_unique(_slugify(d["source"]) + f"-{lang}", taken), d["source"], d["kind"], lang,
                       not d.get("language"), _evidence_for(d, evidence)))
        below = lang
    return out


def _speaker_hop(chain_: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((d for d in chain_ if d["kind"] == "speaker"), None)


class Planner:
    """Plans every quotation of one article against the database as ``session`` sees it."""

    def __init__(self, session: Session, *, language: str, outlet: str | None, published: date | None,
                 url: str | None = None, translator: Any = None, pivot_language: str = "en") -> None:
        self.session = session
        self.url = url
        self.anchored: dict[tuple[int, int], Rendition] = {}
        self.language = language
        self.outlet = outlet
        self.published = published
        self.translator = translator
        self.pivot_language = pivot_language
        self.seen_texts: dict[str, int] = {}

    def know_publication(self, text: str) -> Publication | None:
        """The publication already recorded (this text, address and outlet), and the renditions anchored in it."""
        pub = publications.find(self.session, text=text, url=self.url, outlet=self.outlet)
        if pub is not None:
            rows = self.session.exec(select(Anchor, Rendition).join(Rendition, col(Rendition.id) == Anchor.rendition_id)
                                     .where(Anchor.publication_id == pub.id)).all()
            self.anchored = {(a.start, a.end): r for a, r in rows}
        return pub

    def plan(self, i: int, q: Any, choice: EditorIn | None = None) -> Plan:
        text, kind, speaker = q.text, q.kind, q.speaker
        if choice is not None and choice.action == "skip":
            return Plan("skip", reason="dropped by the editor")
        if kind == "scare" and (choice is None or choice.action is None):
            return Plan("skip", reason="a scare quote: a term, a title or a name in marks, nobody's words")
        if not speaker:
            return Plan("skip", reason="no speaker found: give the speaker to record it")
        folded = " ".join(text.split()).strip(" .,;:!?…").lower()
        if folded in self.seen_texts:
            return Plan("skip", reason=f"the same words as quotation {self.seen_texts[folded] + 1}")
        self.seen_texts[folded] = i
        anchored = self.anchored.get((q.start, q.end))
        if anchored is not None:
            quote = self.session.get(Quote, anchored.quote_id)
            return Plan("recorded", quote=quote, rendition=anchored,
                        reason="already recorded from this article (same text, same place)")
        known, score = self._known(text, choice)
        if known is not None:
            return self._attach(q, known, score, choice)
        return self._new(q)

    # ------------------------------------------------------------ a known quote

    def _known(self, text: str, choice: EditorIn | None) -> tuple[Quote | None, float | None]:
        if choice is not None and choice.action == "new":
            return None, None
        if choice is not None and choice.quote:
            return lineage.get_quote(self.session, choice.quote), None
        if len(re.findall(r"\w+", text)) < MIN_MATCH_WORDS:
            return None, None
        found = trace.trace(self.session, text=text, language=self.language, limit=3, translator=self.translator,
                            pivot_language=self.pivot_language)
        for m in found["matches"]:
            if m["score"] >= MATCH:
                return lineage.get_quote(self.session, m["quote"]["id"]), m["score"]
        return None, None

    def _attach(self, q: Any, quote: Quote, score: float | None, choice: EditorIn | None) -> Plan:
        renditions, _ = lineage.quote_graph(self.session, quote)
        of = self._source_of(renditions)
        same = self._holding(q.text, renditions, of)
        if same is not None and (choice is None or not choice.parent):
            return Plan("recorded", quote=quote, rendition=same, score=score,
                        reason="the quote already holds these very words")
        by_key = {r.key: r for r in renditions}
        taken = set(by_key)
        plan = Plan("attach", quote=quote, score=score)
        plan.key = self._article_key(taken)
        sources = _first_by_source(renditions, of)
        upstream = [h for h in _chain_of(q) if h["kind"] != "speaker"]
        # the nearest claimed hop the quote already holds
        held_at = next((k for k, h in enumerate(upstream) if _norm(h["source"]) in sources), None)
        natural = self._natural(plan, q, renditions, sources, upstream, held_at, taken)
        if choice is not None and choice.parent and (natural.parent is None or choice.parent != natural.parent.key):
            parent = by_key.get(choice.parent)
            if parent is None:
                raise InvalidInput(f"quote '{quote.slug}' has no rendition '{choice.parent}' to be the parent "
                                   f"(its keys: {', '.join(sorted(by_key))})")
            # the editor names the parent: a direct link, which a person inferred (the source did not state it)
            return Plan("attach", quote=quote, score=score, key=plan.key, parent=parent, parent_basis="inferred",
                        parent_evidence="parent chosen by the editor at intake")
        return natural

    def _natural(self, plan: Plan, q: Any, renditions: list[Rendition], sources: dict[str, Rendition],
                 upstream: list[dict[str, Any]], held_at: int | None, taken: set[str]) -> Plan:
        """The link intake proposes itself: to the nearest claimed hop the quote holds, else to the best match."""
        if held_at is not None:
            plan.hops = _hops(upstream[:held_at], q.evidence, self.language, taken)
            plan.parent = sources[_norm(upstream[held_at]["source"])]
            plan.parent_basis = "stated"
            plan.parent_evidence = _evidence_for(upstream[held_at], q.evidence)
            return plan
        plan.hops = _hops(upstream, q.evidence, self.language, taken)
        ranked = self._rank(q.text, renditions)
        if ranked:
            plan.parent, plan.shared = ranked
        else:
            plan.parent = next((r for r in renditions if r.text), renditions[0] if renditions else None)
        plan.parent_basis = "inferred"
        return plan

    def _holding(self, words: str, renditions: list[Rendition], names: dict[str, str]) -> Rendition | None:
        """The attested rendition that already holds these words (case, spacing and marks aside), from this
        same article: one with its URL or its outlet, or any when the article says neither. Another outlet
        printing the same words is another witness, and is attached."""
        want = _fold_words(words)
        for r in renditions:
            if not r.text or r.status != "attested" or want not in _fold_words(r.text):
                continue
            if self.url is None and self.outlet is None:
                return r
            if (self.url and r.url == self.url) or (self.outlet and names.get(r.id) == _norm(self.outlet)):
                return r
        return None

    def _source_of(self, renditions: list[Rendition]) -> dict[str, str]:
        """Each rendition's source name, folded (rendition id -> name)."""
        ids = {r.source_id for r in renditions if r.source_id}
        names = {s.id: s.name for s in self.session.exec(select(Source).where(col(Source.id).in_(ids))).all()}
        return {r.id: _norm(names[r.source_id]) for r in renditions if r.source_id in names}


    def _rank(self, text: str, renditions: list[Rendition]) -> tuple[Rendition, list[str]] | None:
        """The candidate parent sharing the most distinctive wording, among renditions in the article's language."""
        published = _midnight(self.published)
        pool = {r.key: r for r in renditions if r.text and base_language(r.language) == self.language}
        if not pool:
            return None
        ranked = rank_parents(Candidate("__article__", text, self.language, published),
                              [Candidate(r.key, r.text or "", r.language, r.published_at) for r in pool.values()])
        if not ranked:
            return None
        return pool[ranked[0].key], list(ranked[0].shared)

    def _article_key(self, taken: set[str]) -> str:
        """The key of the article's rendition: its outlet and language ("lejdd-fr-en"), unique in the quote."""
        return _unique(_slugify(self.outlet or "article") + f"-{self.language}", taken)

    # ------------------------------------------------------------ a new quote

    def _new(self, q: Any) -> Plan:
        taken: set[str] = set()
        plan = Plan("new")
        plan.key = self._article_key(taken)
        plan.hops = _hops(_chain_of(q), q.evidence, self.language, taken)
        return plan


def _first_by_source(renditions: list[Rendition], of: dict[str, str]) -> dict[str, Rendition]:
    """The first rendition of each source, by the source's folded name (``of``: rendition id -> name)."""
    out: dict[str, Rendition] = {}
    for r in renditions:
        if r.id in of:
            out.setdefault(of[r.id], r)
    return out


def _midnight(day: date | None) -> datetime | None:
    """A publication date as the time a rendition's ``published_at`` holds: that day's start, UTC."""
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) if day else None


def _fold_words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def _norm(name: str) -> str:
    return " ".join(re.findall(r"\w+", anyascii(name).lower()))


# ---------------------------------------------------------------- the chain document of new quotes

@dataclass(frozen=True)
class Node:
    """A rendition of a claimed chain: its key, language and kind, and the evidence phrase that names it."""

    key: str
    language: str
    kind: str
    evidence: str | None = None


@dataclass(frozen=True)
class Link:
    child: str
    parent: str
    relation: str
    translator: str
    evidence: str | None


def claimed_links(nodes: list[Node], article_evidence: str | None) -> list[Link]:
    """The links of a claimed chain, ``nodes`` nearest first (the article's words, each hop, then the top: the
    speaker's words or a rendition the quote holds).

    A link's evidence is the phrase that names its parent (the article's own link, when no phrase names the
    first hop, all the article's evidence); a link into an interpreter's rendition was made by a person; a link
    between languages is a translation. The one place both new quotes and new renditions of known quotes get
    their links.
    """
    out = []
    for child, parent in zip(nodes, nodes[1:]):
        evidence = parent.evidence or (article_evidence if child is nodes[0] else None)
        relation = "translation" if base_language(parent.language) != base_language(child.language) else "quotation"
        out.append(Link(child.key, parent.key, relation, "human" if child.kind == "interpreter" else "unknown",
                        evidence))
    return out


def _article_evidence(q: Any) -> str | None:
    return "; ".join(e.text for e in q.evidence)[:2000] or None


def _hop_note(h: Hop, pub: Any) -> str:
    return (f"Claimed by the article ({pub.outlet or 'intake'}); no text located."
            + (" Its language is assumed from the text it reached." if h.assumed else ""))


def _quote_doc(q: Any, plan: Plan, pub: PublicationIn | ArticleIn, sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    speaker_hop = _speaker_hop(_chain_of(q)) or {"source": q.speaker, "language": None, "kind": "speaker"}
    if speaker_hop.get("source") != q.speaker:  # an editor named another speaker: intake's guess of the language goes
        speaker_hop = {"source": q.speaker, "language": None, "kind": "speaker"}
    nearest = plan.hops[-1].language if plan.hops else pub.language
    original = speaker_hop.get("language") or nearest
    speaker_key = "speaker-" + original
    assert plan.key is not None
    nodes = [Node(plan.key, pub.language, "article"), *(Node(h.key, h.language, h.kind, h.evidence) for h in plan.hops),
             Node(speaker_key, original, "speaker")]
    parents = {link.child: link for link in claimed_links(nodes, _article_evidence(q))}

    def derived_from(key: str) -> list[dict[str, Any]]:
        link = parents[key]
        out: dict[str, Any] = {"parent": link.parent, "relation": link.relation, "link": "stated",
                               "translator": {"kind": link.translator}}
        if link.evidence:
            out["evidence"] = link.evidence
        return [out]

    sources.setdefault(q.speaker, {"name": q.speaker, "kind": "speaker"})
    renditions: list[dict[str, Any]] = [
        {"key": speaker_key, "language": original, "status": "claimed", "source": q.speaker,
         "note": "The speaker's own words, claimed by the article; not located."
         + ("" if speaker_hop.get("language") else " Their language is assumed: no word of the article states it.")}]
    for h in reversed(plan.hops):  # the speaker's side first
        sources.setdefault(h.source, {"name": h.source, "kind": h.kind})
        renditions.append({"key": h.key, "language": h.language, "status": "claimed", "source": h.source,
                           "note": _hop_note(h, pub), "derived_from": derived_from(h.key)})
    article: dict[str, Any] = {"key": plan.key, "language": pub.language, "status": "attested", "text": q.text,
                               "derived_from": derived_from(plan.key)}
    if pub.outlet:
        sources.setdefault(pub.outlet, {"name": pub.outlet, "kind": "newspaper"})
        article["source"] = pub.outlet
    if pub.url:
        article["url"] = pub.url
    if pub.author:
        article["byline"] = pub.author[:300]
    if pub.published_on:
        article["published_at"] = _midnight(pub.published_on).isoformat()  # type: ignore[union-attr]
    renditions.append(article)
    doc: dict[str, Any] = {"speaker": q.speaker, "original_language": original, "renditions": renditions}
    doc["slug"] = chain.derive_slug(chain.QuoteDoc.model_validate({**doc, "renditions": []}), q.text)
    return doc


# ---------------------------------------------------------------- propose and accept

def propose(session: Session, article: ArticleIn, *, translator: Any = None, pivot_language: str = "en") -> dict[str, Any]:
    """The extraction of ``article`` and, for each quotation, what accepting would write. Writes nothing."""
    marked = len(pairs(article.text))  # counted before the work that grows with them
    if marked > MAX_QUOTATIONS:
        raise InvalidInput(f"the article holds {marked:,} quotations; intake proposes at most {MAX_QUOTATIONS:,} "
                           "at once (split the article)")
    found = intake.extract(article.text, language=article.language, title=article.title)
    if not found:
        raise InvalidInput("no quotation marks found in the article: there is nothing to propose (intake reads "
                           "the words people are quoted as saying, between quotation marks)")
    planner = Planner(session, language=article.language, outlet=article.outlet, published=article.published_on,
                      url=article.url, translator=translator, pivot_language=pivot_language)
    existing = planner.know_publication(article.text)
    publication = {**article.as_dict(), "text": article.text, "text_hash": text_hash(article.text),
                   "recorded": existing.id if existing else None}
    quotes = []
    machine = {"component": intake.COMPONENT, "version": intake.VERSION, "origin": "machine"}
    for i, q in enumerate(found):
        plan = planner.plan(i, q)
        item = q.as_dict()
        item["proposal"] = {**plan.view(), "selector": publications.selector(article.text, q.start, q.end), "machine": machine}
        if plan.action == "new":
            sources: dict[str, dict[str, Any]] = {}
            qd = _quote_doc(q, plan, article, sources)
            item["proposal"]["quote"] = qd["slug"]
            item["proposal"]["document"] = {"version": 1, "sources": list(sources.values()), "quotes": [qd]}
        quotes.append(item)
    return {"publication": publication, "quotes": quotes}


def propose_article(settings: Settings, *, text: str | None = None, html: str | None = None, url: str | None = None,
                    language: str | None = None, outlet: str | None = None,
                    page_url: str | None = None) -> dict[str, Any]:
    """Read an article (``text``, ``html`` or ``url``) and propose it, on an engine of its own.

    The API and the web page run this in a process of their own: reading a
    long article is up to a second of CPU, and in a thread of the server's
    process it would hold up every other request of the worker (the reason
    ``chain.import_parsed`` runs there too).
    """
    from provenance import analysis, reading
    from provenance.db import make_engine, read_session

    if url:
        allowed = [ipaddress.ip_network(n) for n in settings.intake_networks]
        article = reading.read_url(url, language=language, allowed=allowed)
    else:
        article = reading.read_article(text or html or "", origin="the article", url=page_url, language=language,
                                       html=True if html else None)
    article.outlet = outlet or article.outlet
    analyzer = analysis.Analyzer.from_settings(settings)
    engine = make_engine(settings.database_url, settings)
    try:
        with read_session(engine) as session:
            return propose(session, article, translator=analyzer.translator, pivot_language=settings.pivot_language)
    finally:
        engine.dispose()


@dataclass
class Accepted:
    publication: Publication
    quotes: list[Quote]
    renditions: list[Rendition]
    edges: list[Any]


def accept(w: Write, proposal: ProposalIn, *, pivot_language: str = "en") -> Accepted:
    """Write what the editor accepted, in the write ``w``: the publication, new quotes, new renditions of known
    quotes, claimed hops, links and anchors. Plans again inside the write (see the module's docstring)."""
    pub = proposal.publication
    language = base_language(normalize_language(pub.language))
    # planned again with cached translations only: on SQLite this write holds the database's write lock, and a
    # live machine translation per quotation would keep every other writer waiting
    planner = Planner(w.session, language=language, outlet=pub.outlet, published=pub.published_on,
                      url=pub.url, translator=None, pivot_language=pivot_language)
    # the publication first: a second writer of the same article waits here for the first to commit, and
    # then sees its anchors, so the article is recorded once
    publication = publications.record(w, text=pub.text, language=language, url=pub.url, outlet=pub.outlet,
                                      title=pub.title, author=pub.author, published_on=pub.published_on,
                                      retrieved_at=pub.retrieved_at)
    planner.know_publication(pub.text)
    quotes: list[Quote] = []
    renditions: list[Rendition] = []
    edges: list[Any] = []
    new_docs: list[tuple[QuoteIn, dict[str, Any], Plan]] = []
    sources: dict[str, dict[str, Any]] = {}
    pub_view = pub.model_copy(update={"language": language})
    for i, q in enumerate(proposal.quotes):
        plan = planner.plan(i, q, q.editor)
        if plan.action == "new":
            new_docs.append((q, _quote_doc(q, plan, pub_view, sources), plan))
        elif plan.action == "recorded":
            assert plan.rendition is not None and plan.quote is not None
            publications.add_anchor(w, rendition=plan.rendition, publication=publication, start=q.start, end=q.end)
            quotes.append(plan.quote)
            renditions.append(plan.rendition)
        elif plan.action == "attach" and plan.parent is not None:
            r, new_edges = _write_attach(w, plan, q, pub_view)
            publications.add_anchor(w, rendition=r, publication=publication, start=q.start, end=q.end)
            quotes.append(plan.quote)  # type: ignore[arg-type]
            renditions.append(r)
            edges += new_edges
    if new_docs:
        taken: set[str] = set()
        for _, d, _ in new_docs:
            base = d["slug"][:110].rstrip("-")
            taken |= set(w.session.exec(select(Quote.slug).where(col(Quote.slug).startswith(base))).all())
            d["slug"] = _unique(base, taken)
        doc = ChainDocument.model_validate({"version": 1, "sources": list(sources.values()),
                                            "quotes": [d for _, d, _ in new_docs]})
        chain.check_references(doc, origin="intake")
        created = chain.import_document(w, doc, origin="intake")
        for (q, d, plan), quote in zip(new_docs, created):
            r = w.session.exec(select(Rendition).where(Rendition.quote_id == quote.id,
                                                       Rendition.key == plan.key)).one()
            publications.add_anchor(w, rendition=r, publication=publication, start=q.start, end=q.end)
            quotes.append(quote)
            renditions.append(r)
            edges += lineage.quote_graph(w.session, quote)[1]
    unique = list({q.id: q for q in quotes}.values())
    return Accepted(publication, unique, renditions, edges)


def _write_attach(w: Write, plan: Plan, q: QuoteIn, pub: PublicationIn) -> tuple[Rendition, list[Any]]:
    """A new rendition of a known quote: the article's words, the claimed hops the quote lacks, and the links
    up to the parent it holds (see :func:`claimed_links`)."""
    quote = plan.quote
    assert quote is not None and plan.key is not None and plan.parent is not None
    source = lineage.get_or_create_source(w, name=pub.outlet, kind="newspaper") if pub.outlet else None
    published = _midnight(pub.published_on)
    article = lineage.add_rendition(w, quote=quote, key=plan.key, language=pub.language, status="attested",
                                    text=q.text, source=source, url=pub.url, byline=(pub.author or None),
                                    published_at=published, retrieved_at=pub.retrieved_at)
    records = {plan.key: article, plan.parent.key: plan.parent}
    for h in plan.hops:
        src = lineage.get_or_create_source(w, name=h.source, kind=h.kind)
        records[h.key] = lineage.add_rendition(w, quote=quote, key=h.key, language=h.language, status="claimed",
                                               text=None, source=src, note=_hop_note(h, pub))
    # the top: the rendition the quote holds, named by the article's evidence (stated) or chosen by wording
    why = plan.parent_evidence if plan.parent_basis == "stated" or plan.parent_evidence else (
        "inferred by intake: shares the wording " + ", ".join(f"'{s}'" for s in plan.shared[:5])
        if plan.shared else "inferred by intake: the best match among the quote's renditions")
    nodes = [Node(plan.key, pub.language, "article"), *(Node(h.key, h.language, h.kind, h.evidence) for h in plan.hops),
             Node(plan.parent.key, plan.parent.language, "held", why)]
    edges = []
    links = claimed_links(nodes, _article_evidence(q))
    for link in links:
        basis = plan.parent_basis if link.parent == plan.parent.key else "stated"
        edges.append(lineage.add_derivation(w, child=records[link.child], parent=records[link.parent],
                                            relation=link.relation, translator_kind=link.translator,
                                            evidence=link.evidence, link_basis=basis))
    return article, edges


__all__ = ["propose", "propose_article", "accept", "parse_accept", "ProposalIn", "MATCH", "Accepted"]
