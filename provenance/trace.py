"""Trace: a pasted quote in, ranked matching renditions with their lineage out.

Candidates come from the database's full-text index (SQLite FTS5, PostgreSQL
``to_tsvector('simple')``) with the query's words OR-ed, so a truncated or
lightly edited quote still finds its rendition; a fuzzy re-rank (rapidfuzz)
then orders them. A query in another language than a rendition is compared
through the pivot: glosses and cached translations of renditions, and the
query's own machine translation when a translator is configured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from provenance import views
from provenance.errors import InvalidInput, PivotUnavailable
from provenance.langid import detect_language
from provenance.languages import base_language, normalize_language
from provenance.models import Gloss, Quote, Rendition, TranslationCache
from provenance.texts import normalize_text

CANDIDATES = 200
MIN_SCORE = 0.45
#: A match through a gloss or a machine translation is weaker evidence than the
#: rendition's own words, so its score is discounted by this factor.
PIVOT_DISCOUNT = 0.95
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Match:
    rendition_id: str
    score: float
    method: str


def _terms(text: str) -> list[str]:
    words = [w.lower() for w in _WORD.findall(text) if len(w) > 1 or not w.isascii()]
    seen: dict[str, None] = {}
    for w in words:
        seen.setdefault(w, None)
    return list(seen)[:64]


def fulltext_candidates(session: Session, query: str, *, limit: int = CANDIDATES, rare_terms: int = 6) -> list[str]:
    """Renditions sharing the query's words, best first, cheaply at any database size.

    SQLite searches by the query's rarest words (their document frequency comes
    from the FTS5 vocabulary table), so a common word never drags in half the
    corpus; a truncated or lightly edited quote still shares most of its rare
    words with its source. PostgreSQL tries all words first, then any of them.
    """
    terms = _terms(query)
    if not terms:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        marks = ", ".join(f":t{i}" for i in range(len(terms)))
        freq = dict(session.execute(sql(f"SELECT term, doc FROM rendition_fts_vocab WHERE term IN ({marks})"),
                                    {f"t{i}": t for i, t in enumerate(terms)}).all())
        chosen = sorted((t for t in terms if freq.get(t)), key=lambda t: freq[t])[:rare_terms]
        if not chosen:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in chosen)
        rows = session.execute(sql("SELECT r.id FROM rendition_fts f JOIN rendition r ON r.rowid = f.rowid "
                                   "WHERE rendition_fts MATCH :m ORDER BY bm25(rendition_fts) LIMIT :n"),
                               {"m": match, "n": limit}).all()
        return [r[0] for r in rows]
    if dialect == "postgresql":
        words = [w for w in (re.sub(r"[^\w]", "", t) for t in terms) if w]
        if not words:
            return []
        found: list[str] = []
        for op in (" & ", " | "):
            rows = session.execute(sql("SELECT id FROM rendition WHERE to_tsvector('simple', coalesce(text, '')) @@ "
                                       "to_tsquery('simple', :q) LIMIT :n"), {"q": op.join(words), "n": limit}).all()
            found += [r[0] for r in rows if r[0] not in found]
            if len(found) >= limit // 4:
                break
        return found[:limit]
    return []  # pragma: no cover - other databases are not supported


_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def _fold(text: str) -> str:
    """Case, white space and typographic quotes do not make a different quote."""
    return normalize_text(text).lower().translate(_QUOTES)


def similarity(query: str, text: str) -> float:
    """0..1: how well ``query`` matches ``text``, tolerant of truncation and light edits."""
    a, b = _fold(query), _fold(text)
    partial = fuzz.partial_ratio(a, b) / 100 if len(a) <= len(b) else fuzz.partial_ratio(b, a) / 100
    whole = fuzz.token_set_ratio(a, b) / 100
    return round(max(whole, 0.85 * partial + 0.15 * whole), 4)


def trace(session: Session, *, text: str, language: str | None = None, limit: int = 5,
          translator: Any = None, pivot_language: str = "en") -> dict[str, Any]:
    if not text.strip():
        raise InvalidInput("paste the quote's text", field_errors=[{"field": "text", "message": "empty"}])
    detection = detect_language(text)
    lang = normalize_language(language) if language else detection.language
    scored: dict[str, Match] = {}

    def offer(rid: str, score: float, method: str) -> None:
        if method.startswith("pivot"):
            score = round(score * PIVOT_DISCOUNT, 4)
        if score >= MIN_SCORE and (rid not in scored or scored[rid].score < score):
            scored[rid] = Match(rid, score, method)

    ids = fulltext_candidates(session, text)
    if ids:
        for r in session.exec(select(Rendition).where(col(Rendition.id).in_(ids))).all():
            if r.text:
                offer(r.id, similarity(text, r.text), "full-text + fuzzy")
    # through the pivot: the query in the pivot language against glosses and cached translations
    query_pivot = None
    if lang and base_language(lang) == base_language(pivot_language):
        query_pivot = text
    elif translator is not None and lang:
        try:
            query_pivot = translator.translate(text, source=lang, target=pivot_language).text
        except PivotUnavailable:
            query_pivot = None
    if query_pivot:
        terms = _terms(query_pivot)
        if terms:
            for g in session.exec(select(Gloss).where(Gloss.language == pivot_language)).all():
                if any(t in g.text.lower() for t in terms):
                    offer(g.rendition_id, similarity(query_pivot, g.text), "pivot (human gloss)")
            for c in session.exec(select(TranslationCache).where(TranslationCache.target_language == pivot_language)).all():
                if any(t in c.output.lower() for t in terms):
                    for r in session.exec(select(Rendition).where(Rendition.text_hash == c.source_hash)).all():
                        offer(r.id, similarity(query_pivot, c.output), "pivot (cached machine translation)")
        if query_pivot is not text:
            for rid in fulltext_candidates(session, query_pivot):
                r = session.get(Rendition, rid)
                if r and r.text:
                    offer(r.id, similarity(query_pivot, r.text), "pivot (machine translation of the query)")
    renditions = {r.id: r for r in session.exec(select(Rendition).where(col(Rendition.id).in_(list(scored)))).all()}
    status_rank = {"attested": 0, "claimed": 1, "reconstructed": 2}
    # ties go to direct matches over pivot ones, then to attested texts over our own reconstructions
    ranked = sorted(scored.values(), key=lambda m: (-m.score, not m.method.startswith("full-text"),
                                                    status_rank[renditions[m.rendition_id].status]))[:limit]
    matches = []
    for m in ranked:
        r = renditions[m.rendition_id]
        quote = session.get(Quote, r.quote_id)
        assert quote is not None
        matches.append({"score": m.score, "method": m.method, "quote": views.quote_view(quote),
                        "rendition": views.rendition_detail(session, r), "lineage": views.lineage_view(session, r)})
    return {"query_language": lang, "detection": {"language": detection.language, "confidence": detection.confidence,
                                                  "method": detection.method, "origin": "machine"},
            "matches": matches}
