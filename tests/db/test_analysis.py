"""The orchestrator on real databases: pivots, cache, failures, re-runs that keep human work."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import Session, func, select

from provenance import analysis, lineage, review, trace
from provenance.drift import parents
from tests.support.writing import writing
from provenance.models import Finding, Gloss, HopAnalysis, Rendition, Review, TranslationCache
from provenance.settings import Settings
from tests.support.libre_server import Reply, run_libre_server

CHOE = "choe-2024-11-01-until-the-day-of-victory"
DOUBT = "choe-2024-11-01-no-doubt-great-victory"


def _analyze_all(db, settings: Settings | None = None) -> None:
    analyzer = analysis.Analyzer.from_settings(settings or Settings(database_url=db.url))
    with writing(db) as w:
        s = w.session
        for q in ("choe-2024-11-01-until-the-day-of-victory", DOUBT, "lavrov-2024-11-01-very-close-contacts",
                  "lavrov-2024-11-01-principled-stance"):
            analysis.analyze_quote(w, lineage.get_quote(s, q), analyzer)


def _hop(s: Session, child_ref: str) -> dict:
    child = lineage.get_rendition(s, child_ref)
    return review.drift_view(s, child)


def _pivot_exacts(f: dict) -> tuple[str, str]:
    d = f["details"]
    p = (d.get("parent_pivot") or f["parent_span"] or {}).get("exact", "")
    c = (d.get("child_pivot") or f["child_span"] or {}).get("exact", "")
    return p, c


def test_founding_chain_shows_the_drift_we_know_is_there(fx_seeded) -> None:
    _analyze_all(fx_seeded)
    with Session(fx_seeded.engine) as s:
        # the praise for Putin's leadership and the "sacred struggle" are dropped by lejdd.fr
        hop = _hop(s, f"{DOUBT}:lejdd-fr")
        assert hop["basis"] == "gloss"
        omitted = " ".join(_pivot_exacts(f)[0] for f in hop["findings"]
                           if f["category"] == "omission" and f["severity"] in ("major", "critical"))
        assert "leadership" in omitted and "sacred" in omitted
        # "repeat" became "reaffirm" at the French hop
        hop = _hop(s, f"{CHOE}:lejdd-fr")
        verbs = [(_pivot_exacts(f)) for f in hop["findings"]
                 if f["category"] in ("substitution", "intensification")]
        assert any("repeat" in p.lower() and "reaffirm" in c.lower() for p, c in verbs)
        # the attribution to a Russian translation is lost on the way to lejdd.fr
        assert any(f["category"] == "attribution_change" for f in hop["findings"])
        # every machine finding says it is machine-made and what it rests on
        for f in hop["findings"]:
            assert f["origin"] == "machine" and f["analyzer_version"] and f["basis"] == "gloss"


def test_offline_hop_without_gloss_says_pivot_unavailable_and_goes_on(fx_seeded) -> None:
    with writing(fx_seeded) as w:
        s = w.session
        fr = lineage.get_rendition(s, f"{CHOE}:lejdd-fr")
        for g in s.exec(select(Gloss).where(Gloss.rendition_id == fr.id)).all():
            s.delete(g)
    _analyze_all(fx_seeded)
    with Session(fx_seeded.engine) as s:
        hop = _hop(s, f"{CHOE}:lejdd-fr")
        assert hop["basis"] == "none" and "pivot unavailable" in hop["basis_detail"]
        assert hop["alignment"]["method"] == "length-gale-church"
        # the other hops were analysed all the same
        assert s.exec(select(func.count()).select_from(HopAnalysis)).one() == 15


def test_live_translation_is_cached_labelled_and_reused(fx_seeded) -> None:
    with writing(fx_seeded) as w:
        s = w.session
        fr = lineage.get_rendition(s, f"{CHOE}:lejdd-fr")
        for g in s.exec(select(Gloss).where(Gloss.rendition_id == fr.id)).all():
            s.delete(g)
        fr_text = fr.text
    english = "\"We reaffirm that we will always stand firmly beside our Russian comrades until the day of victory,\" Choe declared."
    with run_libre_server({("fr", "en", fr_text): english}) as server:
        settings = Settings(database_url=fx_seeded.url, translator="libre", translator_url=server.url,
                            translator_key="test")
        _analyze_all(fx_seeded, settings)
        first = server.request_count
        assert first == 1  # only the one rendition without a gloss was sent
        with Session(fx_seeded.engine) as s:
            cached = s.exec(select(TranslationCache)).one()
            assert cached.output == english and cached.provider == "libre" and cached.signature.startswith("mt:libre")
            hop = _hop(s, f"{CHOE}:lejdd-fr")
            assert hop["basis"] == "live_mt" and "machine translation" in hop["basis_detail"]
        _analyze_all(fx_seeded, settings)  # second run: from the cache, no new request
        assert server.request_count == first
        with Session(fx_seeded.engine) as s:
            assert _hop(s, f"{CHOE}:lejdd-fr")["basis"] == "cache"
            # trace reaches the French text through its cached translation, found by the full-text index
            found = trace.trace(s, text="stand firmly beside our Russian comrades until the day of victory, Choe declared")
            held = [(x["rendition"]["key"], x["method"]) for m in found["matches"] for x in [m, *m["also"]]]
            assert ("lejdd-fr", "pivot (cached machine translation)") in held


def test_failing_translator_yields_pivot_unavailable_and_nothing_lost(fx_seeded) -> None:
    with writing(fx_seeded) as w:
        s = w.session
        fr = lineage.get_rendition(s, f"{CHOE}:lejdd-fr")
        for g in s.exec(select(Gloss).where(Gloss.rendition_id == fr.id)).all():
            s.delete(g)
    with run_libre_server() as server:
        server.always(Reply(status=500))
        settings = Settings(database_url=fx_seeded.url, translator="libre", translator_url=server.url,
                            translator_key="test")
        analyzer = analysis.Analyzer.from_settings(settings)
        analyzer = dataclasses.replace(analyzer)  # a fresh pivot memo
        with writing(fx_seeded) as w:
            s = w.session
            analysis.analyze_quote(w, lineage.get_quote(s, CHOE), analyzer)
        with Session(fx_seeded.engine) as s:
            hop = _hop(s, f"{CHOE}:lejdd-fr")
            assert hop["basis"] == "none" and "HTTP 500" in hop["basis_detail"]
            assert s.exec(select(func.count()).select_from(TranslationCache)).one() == 0
            assert _hop(s, f"{CHOE}:afp-en")["basis"] == "gloss"


def test_rerun_replaces_machine_findings_and_keeps_reviews_and_notes(fx_seeded) -> None:
    _analyze_all(fx_seeded)
    with writing(fx_seeded) as w:
        s = w.session
        hop = _hop(s, f"{DOUBT}:lejdd-fr")
        target = next(f for f in hop["findings"] if f["category"] == "omission")
        review.review_finding(w, finding_id=target["id"], verdict="confirmed", comment="checked against AFP",
                              reviewer="editor@desk")
        edge = lineage.get_derivation(s, child_id=hop["child"]["id"])
        review.add_note(w, edge=edge, text="lejdd.fr cut the praise for Putin", category="omission",
                        severity="major", author="editor@desk", child_span={"start": 0, "end": 4})
        machine_before = s.exec(select(func.count()).select_from(Finding).where(Finding.origin == "machine")).one()
    _analyze_all(fx_seeded)
    with Session(fx_seeded.engine) as s:
        hop = _hop(s, f"{DOUBT}:lejdd-fr")
        again = next(f for f in hop["findings"] if f["fingerprint"] == target["fingerprint"])
        assert again["id"] != target["id"]  # a new machine row...
        assert again["review"]["verdict"] == "confirmed"  # ...with the person's review still attached
        notes = [f for f in hop["findings"] if f["origin"] == "human"]
        assert len(notes) == 1 and notes[0]["author"] == "editor@desk" and notes[0]["child_span"]["exact"] == "Elle"
        assert s.exec(select(func.count()).select_from(Finding).where(Finding.origin == "machine")).one() == machine_before
        assert s.exec(select(func.count()).select_from(Review)).one() == 1


def test_wrong_parent_is_flagged_with_the_better_candidate(fx_seeded) -> None:
    """An English text that credits AFP but carries the wording only the lejdd.fr line used."""
    with writing(fx_seeded) as w:
        s = w.session
        quote = lineage.get_quote(s, DOUBT)
        afp = lineage.get_rendition(s, f"{DOUBT}:afp-en")
        copycat = lineage.add_rendition(w, quote=quote, key="blog-en", language="en", status="attested",
                                        text="There is no doubt the Russian army and people will achieve a great "
                                             "victory, Choe said.")
        lineage.add_derivation(w, child=copycat, parent=afp, relation="quotation", evidence="Choe told AFP")
    _analyze_all(fx_seeded)
    with Session(fx_seeded.engine) as s:
        hop = _hop(s, f"{DOUBT}:blog-en")
        (suspect,) = [f for f in hop["findings"] if f["category"] == "attribution_suspect"]
        assert suspect["details"]["better_candidate_key"] in ("lejdd-fr", "republication-en")
        assert suspect["details"]["stated_parent_key"] == "afp-en"
        d = suspect["details"]
        assert d["shared_variants"] and d["weight"] - d["weight_against"] >= parents.SUSPECT_MARGIN
        assert "afp-en" in suspect["explanation"] and d["better_candidate_key"] in suspect["explanation"]
        assert f'"{d["shared_variants"][0]}"' in suspect["explanation"]
        assert suspect["severity"] == "minor" and d["about"] == "link"  # a warning about the link, not drift
        ranked = analysis.suggest_parents(w, lineage.get_rendition(s, f"{DOUBT}:blog-en"),
                                          analysis.Analyzer.from_settings(Settings(database_url=fx_seeded.url)))
        assert ranked[0]["key"] == suspect["details"]["better_candidate_key"]
        assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
        assert "blog-en" not in [r["key"] for r in ranked]


def test_republication_credited_to_afp_alone_is_suspect_naming_the_french_rendition(fx_db) -> None:
    """The founding case: "We reaffirm" follows the French "Nous réaffirmons", not AFP's "We repeat".

    The founding chain, edited as a careless document would have it: the English
    republication credited to AFP's English dispatch alone.
    """
    import yaml

    from provenance import chain

    from importlib import resources

    raw = yaml.safe_load(resources.files("provenance.data").joinpath(chain.FOUNDING_CHAIN).read_text("utf-8"))
    quote = next(q for q in raw["quotes"] if q["slug"] == CHOE)
    rep = next(r for r in quote["renditions"] if r["key"] == "republication-en")
    rep["derived_from"] = [{"parent": "afp-en", "relation": "republication", "link": "stated",
                            "evidence": "according to an AFP report"}]
    with fx_db.write() as w:
        chain.import_document(w, chain.parse_document(yaml.safe_dump(raw, allow_unicode=True)))
    _analyze_all(fx_db)
    with Session(fx_db.engine) as s:
        hop = _hop(s, f"{CHOE}:republication-en")
        assert hop["parent"]["key"] == "afp-en"
        (suspect,) = [f for f in hop["findings"] if f["category"] == "attribution_suspect"]
        assert suspect["details"]["stated_parent_key"] == "afp-en"
        assert suspect["details"]["better_candidate_key"] == "lejdd-fr"
        assert "reaffirm" in suspect["details"]["shared_variants"] and '"reaffirm"' in suspect["explanation"]
        # a warning about the link, not drift: the verdict comes from "repeat" -> "reaffirm" alone
        assert suspect["severity"] == "minor" and suspect["details"]["about"] == "link"
        serious = {f["category"] for f in hop["findings"] if f["severity"] in ("major", "critical")}
        assert "intensification" in serious and "attribution_suspect" not in serious
        assert hop["verdict"] == "meaning changed"
    with fx_db.write() as w:
        ranked = analysis.suggest_parents(w, lineage.get_rendition(w.session, f"{CHOE}:republication-en"),
                                          analysis.Analyzer.from_settings(Settings(database_url=fx_db.url)))
    assert ranked[0]["key"] == "lejdd-fr" and "reaffirm" in ranked[0]["shared"]
    assert [r["current_parent"] for r in ranked if r["key"] == "afp-en"] == [True]


def test_no_attribution_suspect_on_the_founding_chain(fx_seeded) -> None:
    _analyze_all(fx_seeded)
    with Session(fx_seeded.engine) as s:
        assert s.exec(select(func.count()).select_from(Finding)
                      .where(Finding.category == "attribution_suspect")).one() == 0


def test_language_mismatch_is_a_finding(fx_seeded) -> None:
    with writing(fx_seeded) as w:
        s = w.session
        quote = lineage.get_quote(s, CHOE)
        afp = lineage.get_rendition(s, f"{CHOE}:afp-en")
        wrong = lineage.add_rendition(w, quote=quote, key="mislabelled", language="fr", status="attested",
                                      text="Мы всегда будем твёрдо стоять рядом с нашими российскими товарищами до дня победы.")
        assert wrong.language_mismatch
        lineage.add_derivation(w, child=wrong, parent=afp, relation="translation")
        edge = lineage.get_derivation(s, child_id=wrong.id)
        analysis.Analyzer.from_settings(Settings(database_url=fx_seeded.url)).analyze(w, edge)
        hop = _hop(s, wrong.id)
        assert any(f["category"] == "language_mismatch" and "ru" in f["explanation"] for f in hop["findings"])


def test_fingerprints_are_unique_within_a_hop(fx_seeded) -> None:
    _analyze_all(fx_seeded)
    with Session(fx_seeded.engine) as s:
        rows = s.exec(select(Finding.derivation_id, Finding.fingerprint).where(Finding.origin == "machine")).all()
        assert len(rows) > 10 and len(set(rows)) == len(rows)


def test_notes_and_reviews_travel_in_the_chain_document(fx_seeded, tmp_path) -> None:
    """Export, import into another database, analyse there: the review re-attaches, the note is back."""
    from provenance import chain, migrate
    from provenance.db import make_engine

    _analyze_all(fx_seeded)
    with writing(fx_seeded) as w:
        s = w.session
        hop = _hop(s, f"{DOUBT}:lejdd-fr")
        target = next(f for f in hop["findings"] if f["category"] == "omission")
        review.review_finding(w, finding_id=target["id"], verdict="confirmed", comment="checked", reviewer="ed")
        edge = lineage.get_derivation(s, child_id=hop["child"]["id"])
        review.add_note(w, edge=edge, text="praise cut", category="omission", severity="major", author="ed",
                        parent_span={"start": 17, "end": 49})
        doc = chain.export_document(s, [lineage.get_quote(s, DOUBT)])
    link = next(r for r in doc["quotes"][0]["renditions"] if r["key"] == "lejdd-fr")["derived_from"][0]
    assert link["notes"][0]["parent_span"]["exact"] == "that under the wise leadership o"
    assert link["reviews"][0]["verdict"] == "confirmed" and link["reviews"][0]["category"] == "omission"
    url = f"sqlite:///{tmp_path / 'other.db'}"
    migrate.upgrade(url)
    other = make_engine(url)
    with writing(other) as w:
        s = w.session
        chain.import_document(w, chain.parse_document(chain.dump_document(doc)))
        analysis.analyze_quote(w, lineage.get_quote(s, DOUBT), analysis.Analyzer.from_settings(Settings(database_url=url)))
    with Session(other) as s:
        hop = _hop(s, f"{DOUBT}:lejdd-fr")
        again = next(f for f in hop["findings"] if f["fingerprint"] == target["fingerprint"])
        assert again["review"]["verdict"] == "confirmed"
        assert any(f["origin"] == "human" and f["explanation"] == "praise cut" for f in hop["findings"])
        assert chain.export_document(s, [lineage.get_quote(s, DOUBT)]) == doc


def test_a_note_pointing_outside_the_text_is_refused_on_import(fx_db) -> None:
    from provenance import chain
    from provenance.errors import ChainDocumentError

    doc = ("quotes:\n  - slug: note-test-quote\n    speaker: X\n    original_language: en\n    renditions:\n"
           "      - {key: a, language: en, status: attested, text: 'We will win.'}\n"
           "      - key: b\n        language: en\n        status: attested\n        text: 'We shall win.'\n"
           "        derived_from:\n          - parent: a\n            notes:\n"
           "              - {text: t, author: me, child_span: {start: 3, end: 99}}\n")
    with pytest.raises(ChainDocumentError, match=r"rendition 'b', derived_from\[0\], notes\[0\].child_span"):
        with writing(fx_db) as w:
            s = w.session
            chain.import_document(w, chain.parse_document(doc))
    with Session(fx_db.engine) as s:
        assert s.exec(select(func.count()).select_from(Rendition)).one() == 0


def test_trace_through_a_gloss_finds_the_korean_words_on_either_database(fx_seeded) -> None:
    with Session(fx_seeded.engine) as s:
        found = trace.trace(s, text="not the slightest doubt that under the wise leadership of Comrade Putin")
        top = found["matches"][0]
        assert (top["rendition"]["key"], top["method"], top["label"]) == ("ko-remark", "pivot (human gloss)", "match")
        assert trace.pivot_candidates(s, "gloss", "weather lovely Paris", "en") == []


def test_trace_reads_the_same_through_a_session_and_a_snapshot_on_either_database(fx_seeded) -> None:
    """The API traces on a read-only snapshot, the CLI and the pages on a session: one answer."""
    import msgspec

    from provenance.reads import Snapshot

    queries = ["We reaffirm that we will always stand firmly by our Russian comrades",
               "not the slightest doubt that under the wise leadership of Comrade Putin", "The weather in Paris"]
    for text in queries:
        with Session(fx_seeded.engine) as s:
            through_session = trace.trace(s, text=text)
        with Snapshot(fx_seeded.engine) as snapshot:
            through_snapshot = trace.trace(snapshot, text=text)
            encoded = trace.trace(snapshot, text=text, encoded_lineage=True)
        assert through_snapshot == through_session
        # the stored lineage passed on as it is encodes to the same answer as the decoded one
        assert msgspec.json.decode(msgspec.json.encode(encoded)) == through_session
        if text.startswith("We reaffirm"):
            assert through_session["verdict"] == "match" and through_session["matches"][0]["lineage"]["paths"]
    assert through_session["verdict"] == "not found"


def test_trace_finds_words_recorded_after_a_trace_that_found_nothing_on_either_database(fx_seeded) -> None:
    """Document counts are remembered for a while, but never a word no rendition held: a rendition recorded
    since holds it."""
    words = "Quixotic zephyrs bamboozle flabbergasted ombudsmen near Kyzylorda"
    with Session(fx_seeded.engine) as s:
        assert trace.trace(s, text=words)["verdict"] == "not found"
        assert trace.trace(s, text="stand firmly by our Russian comrades")["verdict"] == "match"  # counts remembered
    with writing(fx_seeded) as w:
        quote = lineage.add_quote(w, slug="test-zephyrs", speaker="A. Tester", original_language="en")
        lineage.add_rendition(w, quote=quote, key="en", language="en", status="attested", text=words + ".")
    with Session(fx_seeded.engine) as s:
        found = trace.trace(s, text=words)
        assert found["verdict"] == "match" and found["matches"][0]["quote"]["slug"] == "test-zephyrs"
