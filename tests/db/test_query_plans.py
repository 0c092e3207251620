"""A write costs what it changed: no statement of the write path scans a whole table.

Timing a write on a small database cannot show a statement that reads every
row of a table (a list of ``(kind, key)`` pairs made SQLite scan the stored
answers on every write, invisible at a thousand rows, minutes at a million).
So every statement that the usual writes and reads run is asked for its
query plan, and a full scan of a table that grows with the data fails.
"""

from __future__ import annotations

import re

from sqlalchemy import event

from provenance import analysis, answers, lineage, reads, review
from tests.support.writing import writing

CHOE = "choe-2024-11-01-until-the-day-of-victory"
#: Tables whose size grows with the data: a scan of one of them is a cost that grows with the database.
GROWING = {"quote", "rendition", "derivation", "gloss", "finding", "review", "hop_analysis", "stored_answer",
           "audit_event", "translation_cache", "source"}


def test_writes_and_reads_use_indexes_not_scans(fx_seeded) -> None:
    assert fx_seeded.kind in ("sqlite", "postgres")
    if fx_seeded.kind != "sqlite":
        return  # the plans are SQLite's; PostgreSQL's planner chooses scans on tiny tables by cost
    engine = fx_seeded.engine
    seen: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        if re.match(r"\s*(SELECT|UPDATE|DELETE|WITH)", statement, re.I) and "sqlite_master" not in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        with writing(fx_seeded) as w:
            quote = lineage.get_quote(w.session, CHOE)
            parent = lineage.get_rendition(w.session, f"{CHOE}:afp-en")
            child = lineage.add_rendition(w, quote=quote, key="plan-en", language="en", status="attested",
                                          text="We repeat that we will stand by our comrades.")
            edge = lineage.add_derivation(w, child=child, parent=parent, relation="quotation")
            lineage.add_gloss(w, rendition=child, language="fr", text="Nous répétons.", author="desk")
            review.add_note(w, edge=edge, text="checked", category="other", severity="minor", author="desk")
        with writing(fx_seeded) as w:
            analysis.Analyzer.from_settings(fx_seeded.settings).analyze(w, edge)
        with reads.Snapshot(engine) as db:
            answers.graph_json(db, CHOE)
            answers.lineage_json(db, f"{CHOE}:plan-en")
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert len(seen) > 20
    scans = []
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in seen:
            plan = cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters or ()).fetchall()
            for row in plan:
                detail = row[3]
                m = re.match(r"SCAN (\w+)", detail)
                if m and m.group(1) in GROWING and "COVERING INDEX" not in detail:
                    scans.append(f"{detail}: {statement[:160]}")
    finally:
        raw.close()
    assert not scans, "\n".join(scans)
