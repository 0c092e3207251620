"""Trace: a pasted quote in, ranked matching renditions with their lineage out.

Candidates come from the database's full-text index (SQLite FTS5, PostgreSQL
``to_tsvector('simple')``) with the query's words OR-ed, so a truncated or
lightly edited quote still finds its rendition; a fuzzy re-rank (rapidfuzz)
then orders them. A query in another language than a rendition is compared
through the pivot: glosses and cached translations of renditions (found through
their own full-text index), and the query's own machine translation when a
translator is configured.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import msgspec
from rapidfuzz import fuzz

from provenance import answers, reads, views
from provenance.coverage import CACHED_CHARS, MATCH, MIN_HELD, POSSIBLE, Coverage, Query
from provenance.errors import InvalidInput, PivotUnavailable
from provenance.langid import detect_language
from provenance.languages import base_language, normalize_language
from provenance.texts import normalize_text

CANDIDATES = 200
MIN_SCORE = 0.45
#: Characters of the shorter text that the fuzzy window search uses (see ``_folded_similarity``).
PARTIAL_CHARS = 300
#: A match through a gloss or a machine translation is weaker evidence than the
#: rendition's own words, so its score is discounted by this factor.
PIVOT_DISCOUNT = 0.95
#: bm25 ranks every rendition holding one of the words OR-ed together: at 1M
#: renditions, six words held by ~10k renditions each cost ~90 ms. The search for
#: neighbours stops adding words once their document counts would sum past this.
POSTINGS_BUDGET = 5_000
#: Document counts are remembered (see _document_frequencies): those at least COMMON_DF for DF_TTL seconds,
#: smaller ones for RARE_DF_TTL.
COMMON_DF = 1_000
DF_TTL = 600.0
RARE_DF_TTL = 60.0
_DF_CACHE: dict[tuple[str, str], tuple[float, int]] = {}
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Match:
    rendition_id: str
    score: float  # fuzzy: how alike the texts look, to find and order candidates
    method: str
    coverage: Coverage  # calibrated: what of the query the text holds, the score a person reads


def _terms(text: str) -> list[str]:
    words = [w.lower() for w in _WORD.findall(text) if len(w) > 1 or not w.isascii()]
    seen: dict[str, None] = {}
    for w in words:
        seen.setdefault(w, None)
    return list(seen)[:64]


def _document_frequencies(db: reads.Source, terms: list[str]) -> dict[str, int]:
    """How many renditions hold each term (SQLite), the costly counts remembered for a while.

    fts5vocab counts a term's documents by reading its whole posting list, so
    "the" or "в" costs a pass over half the corpus on every trace, and even a
    rare word's count was a tenth of a trace's time under load. Counts are kept
    per database, those of at least :data:`COMMON_DF` for :data:`DF_TTL`
    seconds, smaller ones for :data:`RARE_DF_TTL`: a few documents more or less
    never changes which of a query's words are rarest, and the search itself
    reads the live index. A word no rendition held is asked again each time: a
    rendition recorded since may hold it.
    """
    where = reads.database(db)
    now = time.monotonic()
    freq: dict[str, int] = {}
    missing = []
    for t in terms:
        hit = _DF_CACHE.get((where, t))
        if hit is not None and now - hit[0] < (DF_TTL if hit[1] >= COMMON_DF else RARE_DF_TTL):
            freq[t] = hit[1]
        else:
            missing.append(t)
    if missing:
        fresh = {row[0]: row[1] for row in reads.fetch_in(db, "fts_document_counts", missing, query=_COUNTS)}
        if len(_DF_CACHE) > 100_000:
            _DF_CACHE.clear()
        for t, n in fresh.items():
            if n > 0:
                _DF_CACHE[(where, t)] = (now, n)
        freq.update(fresh)
    return freq


_COUNTS = "SELECT term, doc FROM rendition_fts_vocab WHERE term IN ({ids})"
# rank and cut inside the full-text table, then join: joining first would look up every hit's row
_FTS_IDS = ("SELECT r.id FROM (SELECT rowid, bm25(rendition_fts) AS score FROM rendition_fts "
            "WHERE rendition_fts MATCH :m ORDER BY score LIMIT :n) f JOIN rendition r ON r.rowid = f.rowid ORDER BY f.score")
_TSQUERY_IDS = ("SELECT id FROM rendition WHERE to_tsvector('simple', coalesce(text, '')) @@ "
                "to_tsquery('simple', :q) LIMIT :n")


def _fts_ids(db: reads.Source, match: str, limit: int) -> list[str]:
    return [r[0] for r in reads.run(db, "trace_fts_ids", _FTS_IDS, {"m": match, "n": limit})]


def fulltext_candidates(db: reads.Source, query: str, *, limit: int = CANDIDATES, rare_terms: int = 6) -> list[str]:
    """Renditions sharing the query's words, best first, cheaply at any database size.

    SQLite searches by the query's rarest words (their document frequency comes
    from the FTS5 vocabulary table), so a common word never drags in half the
    corpus; a truncated or lightly edited quote still shares most of its rare
    words with its source. It looks for renditions holding all of them first
    (cheap: the rarest word's short list drives the intersection), then, if none
    does, all but one. Renditions holding any of the rare words follow as
    neighbours; ranking those costs a step per rendition holding a word, so only
    words whose counts sum to at most :data:`POSTINGS_BUDGET` are used (the
    rarest one when nothing else was found). PostgreSQL tries all words first,
    then any of them.
    """
    terms = _terms(query)
    if not terms:
        return []
    dialect = reads.dialect(db)
    if dialect == "sqlite":
        freq = _document_frequencies(db, terms)
        chosen = sorted((t for t in terms if freq.get(t)), key=lambda t: freq[t])[:rare_terms]
        if not chosen:
            return []
        quoted = ['"' + t.replace('"', '""') + '"' for t in chosen]
        found = _fts_ids(db, " AND ".join(quoted), limit)
        if not found and len(quoted) > 2:
            found = _fts_ids(db, " OR ".join("(" + " AND ".join(q for j, q in enumerate(quoted) if j != i) + ")"
                                                  for i in range(len(quoted))), limit)
        # when renditions hold every rare word, the neighbours only fill in the list: a smaller budget
        budget = POSTINGS_BUDGET // 5 if found else POSTINGS_BUDGET
        postings, rarest = 0, []
        for t, q in zip(chosen, quoted):
            if postings + freq[t] > budget:
                break
            rarest.append(q)
            postings += freq[t]
        if not found and not rarest:
            rarest = quoted[:1]  # nothing better: whatever shares the rarest word
        neighbours = limit // (10 if found else 4)
        if rarest and len(found) < neighbours:
            # a quarter of the list at most (a tenth beside renditions holding every rare word): each costs a
            # fuzzy comparison, and one that lacks some of the query's rare words seldom makes the top matches.
            # Beside as many renditions holding every rare word, bm25 would rank those first: the search would
            # give them again (measured: on none of 1,018 fragments of bench/trace.py did it add one)
            seen = set(found)
            found += [i for i in _fts_ids(db, " OR ".join(rarest), neighbours) if i not in seen]
        return found[:limit]
    if dialect == "postgresql":
        words = [w for w in (re.sub(r"[^\w]", "", t) for t in terms) if w]
        if not words:
            return []
        found: list[str] = []
        for op in (" & ", " | "):
            rows = reads.run(db, "trace_tsquery_ids", _TSQUERY_IDS, {"q": op.join(words), "n": limit})
            found += [r[0] for r in rows if r[0] not in found]
            if len(found) >= limit // 4:
                break
        return found[:limit]
    return []  # pragma: no cover - other databases are not supported


#: How many glosses or cached translations a trace reads through the pivot, best matching first.
PIVOT_CANDIDATES = 100
#: The pivot texts trace searches, by what they are: the statement that finds them through the full-text
#: index of revision 0006, for each database, as (rendition id, pivot text) rows.
_PIVOT_SQL = {
    ("gloss", "sqlite"): "SELECT g.rendition_id, g.text FROM (SELECT rowid, bm25(gloss_fts) AS score FROM gloss_fts "
                         "WHERE gloss_fts MATCH :m ORDER BY score LIMIT :n) f JOIN gloss g ON g.rowid = f.rowid "
                         "WHERE g.language = :lang",
    ("translation", "sqlite"): "SELECT r.id, c.output FROM (SELECT rowid, bm25(translation_fts) AS score FROM "
                               "translation_fts WHERE translation_fts MATCH :m ORDER BY score LIMIT :n) f "
                               "JOIN translation_cache c ON c.rowid = f.rowid JOIN rendition r ON r.text_hash = "
                               "c.source_hash WHERE c.target_language = :lang",
    ("gloss", "postgresql"): "SELECT rendition_id, text FROM gloss WHERE language = :lang AND "
                             "to_tsvector('simple', text) @@ to_tsquery('simple', :q) LIMIT :n",
    ("translation", "postgresql"): "SELECT r.id, c.output FROM translation_cache c JOIN rendition r ON "
                                   "r.text_hash = c.source_hash WHERE c.target_language = :lang AND "
                                   "to_tsvector('simple', c.output) @@ to_tsquery('simple', :q) LIMIT :n",
}


def pivot_candidates(db: reads.Source, kind: str, query: str, language: str) -> list[tuple[str, str]]:
    """Renditions whose gloss (``kind`` "gloss") or cached machine translation ("translation") in ``language``
    shares words with ``query``, through a full-text index: (rendition id, that pivot text)."""
    words = [w for w in (re.sub(r"[^\w]", "", t) for t in _terms(query)) if w][:16]
    dialect = reads.dialect(db)
    statement = _PIVOT_SQL.get((kind, dialect))
    if not words or statement is None:
        return []
    params = {"lang": language, "n": PIVOT_CANDIDATES}
    if dialect == "sqlite":
        params["m"] = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
    else:
        params["q"] = " | ".join(words)
    return [(row[0], row[1]) for row in reads.run(db, f"trace_pivot_{kind}", statement, params)]


_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def _fold(text: str) -> str:
    """Case, white space and typographic quotes do not make a different quote."""
    return normalize_text(text).lower().translate(_QUOTES)


@lru_cache(maxsize=8_192)
def _folded_cached(text: str) -> str:
    return _fold(text)


def _folded(text: str) -> str:
    """:func:`_fold` of a recorded text, remembered when it is as short as those whose keys coverage remembers
    (:data:`provenance.coverage.CACHED_CHARS`): texts are immutable once recorded, and a quote in the news is
    a candidate of trace after trace."""
    return _folded_cached(text) if len(text) <= CACHED_CHARS else _fold(text)


def similarity(query: str, text: str) -> float:
    """0..1: how well ``query`` matches ``text``, tolerant of truncation and light edits."""
    return _folded_similarity(_fold(query), _fold(text))


def _folded_similarity(a: str, b: str) -> float:
    """The best window of the longer text for the shorter one, blended with a whole-text token score.

    The window search uses at most the first :data:`PARTIAL_CHARS` characters
    of the shorter text: rapidfuzz's ``partial_ratio`` grows far faster than
    the lengths (two 6,000-character texts: 8 s; two of 20,000: 42 s), so a
    long pasted query would tie up the server. A quote's opening words place it
    in a longer text; ``token_set_ratio`` still weighs all of it.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    partial = fuzz.partial_ratio(short[:PARTIAL_CHARS], long_) / 100
    whole = fuzz.token_set_ratio(a, b) / 100
    return round(max(whole, 0.85 * partial + 0.15 * whole), 4)


def trace(db: reads.Source, *, text: str, language: str | None = None, limit: int = 5,
          translator: Any = None, pivot_language: str = "en", encoded_lineage: bool = False) -> dict[str, Any]:
    """The quotes whose renditions hold the pasted text, best first, one result per quote.

    Candidates are found and ordered by a fuzzy score; each is then given the
    calibrated score of :mod:`provenance.coverage` (the share of the query's
    content words it holds, in order) and its label, and those without a label
    are left out, so an unrelated sentence finds nothing ("verdict": "not
    found"). A quote appears once, with its best rendition; its other matching
    renditions are listed under ``also``.

    A rendition is weighed in its own language (its function words are not
    content), and a query that a recorded text holds nearly word for word is in
    that text's language: the match says so more surely than a guess from a few
    words, and spares the guess (``detection.method`` "matched rendition").
    Otherwise, when the caller does not state the language, it is detected.

    With ``encoded_lineage`` each lineage is the stored JSON as it is (``msgspec.Raw``), for a caller that
    only encodes the answer again (the API): a lineage is most of an answer's bytes.
    """
    if not text.strip():
        raise InvalidInput("paste the quote's text", field_errors=[{"field": "text", "message": "empty"}])
    scored: dict[str, Match] = {}
    prepared: dict[tuple[str, str | None], Query] = {}
    folded: dict[str, str] = {}

    def offer(rid: str, method: str, query: str, against: str, language: str | None) -> None:
        # the calibrated score first: with the text's keys remembered it is the cheaper of the two, and a
        # candidate without a label needs no fuzzy score
        if (query, language) not in prepared:
            prepared[query, language] = Query.of(query, language)
        held = prepared[query, language].held_by(against, language)
        if held.label is None:
            return
        if query not in folded:
            folded[query] = _fold(query)
        score = _folded_similarity(folded[query], _folded(against))
        if method.startswith("pivot"):
            score = round(score * PIVOT_DISCOUNT, 4)
        if score < MIN_SCORE:
            return
        old = scored.get(rid)
        if old is None or (held.score, score) > (old.coverage.score, old.score):
            scored[rid] = Match(rid, score, method, held)

    # what ranking and grouping need of every candidate, read with its text: (quote id, status) by id
    facts: dict[str, tuple[str, str]] = {}

    def candidates(ids: list[str]) -> list[Any]:
        rows = reads.fetch_in(db, "trace_candidates", ids) if ids else []
        facts.update((r.id, (r.quote_id, r.status)) for r in rows)
        return rows

    rows = candidates(fulltext_candidates(db, text))
    for r in rows:
        if r.text:
            offer(r.id, "full-text + fuzzy", text, r.text, r.language)
    lang, detection = _query_language(text, language, scored, {r.id: r.language for r in rows})
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
        for rid, gloss in pivot_candidates(db, "gloss", query_pivot, pivot_language):
            offer(rid, "pivot (human gloss)", query_pivot, gloss, pivot_language)
        for rid, output in pivot_candidates(db, "translation", query_pivot, pivot_language):
            offer(rid, "pivot (cached machine translation)", query_pivot, output, pivot_language)
        if query_pivot is not text:
            for r in candidates(fulltext_candidates(db, query_pivot)):
                if r.text:
                    offer(r.id, "pivot (machine translation of the query)", query_pivot, r.text, pivot_language)
    candidates([rid for rid in scored if rid not in facts])  # matched through a gloss or a cached translation
    status_rank = {"attested": 0, "claimed": 1, "reconstructed": 2}
    # the calibrated score first; ties go to the better-looking text, then to direct matches over pivot
    # ones, then to attested texts over our own reconstructions
    ranked = sorted(scored.values(), key=lambda m: (-m.coverage.score, -m.score, not m.method.startswith("full-text"),
                                                    status_rank[facts[m.rendition_id][1]]))
    by_quote: dict[str, list[Match]] = {}
    for m in ranked:
        by_quote.setdefault(facts[m.rendition_id][0], []).append(m)
    shown = list(by_quote.items())[:limit]
    quotes = {q.id: q for q in reads.fetch_in(db, "quotes_by_id", [q for q, _ in shown])} if shown else {}
    shown_views = views.rendition_views(db, [m.rendition_id for _, group in shown for m in group]) if shown else {}
    lineages = answers.lineages_json(db, [group[0].rendition_id for _, group in shown]) if shown else {}
    matches = []
    for quote_id, group in shown:
        best = group[0]
        matches.append({**_scores(best), "quote": views.quote_view(quotes[quote_id]),  # type: ignore[arg-type]
                        "rendition": shown_views[best.rendition_id],
                        "lineage": (msgspec.Raw(lineages[best.rendition_id]) if encoded_lineage
                                    else msgspec.json.decode(lineages[best.rendition_id])),
                        "also": [{**_scores(m), "rendition": shown_views[m.rendition_id]} for m in group[1:]]})
    verdict = matches[0]["label"] if matches else "not found"
    return {"query_language": lang, "detection": detection, "verdict": verdict,
            "thresholds": {"match": MATCH, "possible_match": POSSIBLE}, "matches": matches}


#: A recorded text holding at least this share of the query's content words, and looking this much like
#: it, is in the query's language (see :func:`trace`).
SAME_WORDS = 0.9


def _query_language(text: str, stated: str | None, scored: dict[str, Match],
                    languages: dict[str, str]) -> tuple[str | None, dict[str, Any] | None]:
    """The query's language and how it was found: stated by the caller (no detection), the language of a
    recorded text holding it nearly word for word, or detected (:func:`provenance.langid.detect_language`)."""
    if stated:
        return normalize_language(stated), None
    direct = [m for m in scored.values() if m.method.startswith("full-text") and m.coverage.score >= SAME_WORDS
              and m.score >= SAME_WORDS and len(m.coverage.found) >= MIN_HELD]
    if direct:
        best = max(direct, key=lambda m: (m.coverage.score, m.score))
        lang = languages[best.rendition_id]
        return lang, {"language": lang, "confidence": best.coverage.score, "method": "matched rendition",
                      "origin": "machine"}
    detection = detect_language(text)
    return detection.language, {"language": detection.language, "confidence": detection.confidence,
                                "method": detection.method, "origin": "machine"}


def _scores(m: Match) -> dict[str, Any]:
    """A result's scores and what of the query it holds: the calibrated score, its label, the fuzzy score."""
    return {"score": m.coverage.score, "label": m.coverage.label, "similarity": m.score, "method": m.method,
            "matched": {"words": list(m.coverage.found), "missing": list(m.coverage.missing)}}
