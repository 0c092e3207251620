"""CSV: one row per finding (machine and human), for spreadsheets and newsroom tools."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session, select

from provenance import lineage, review
from provenance.export import register
from provenance.models import Quote, Rendition

COLUMNS = ["quote", "parent_key", "child_key", "relation", "origin", "category", "severity", "explanation",
           "parent_exact", "parent_start", "parent_end", "child_exact", "child_start", "child_end", "basis",
           "basis_detail", "analyzer_version", "confidence", "author", "review", "review_comment", "finding_id"]


#: A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...) runs when opened).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A value safe to open in a spreadsheet: text that would start a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@register("csv", "text/csv", "csv")  # the API adds "; charset=utf-8" to every text/* type
def render(session: Session, quote: Quote) -> str:
    _, edges = lineage.quote_graph(session, quote)
    keys = {r.id: r.key for r in session.exec(select(Rendition).where(Rendition.quote_id == quote.id)).all()}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for e in edges:
        for f in review.hop_findings(session, e):
            ps, cs, rv = f["parent_span"] or {}, f["child_span"] or {}, f["review"] or {}
            writer.writerow({k: cell(v) for k, v in {
                "quote": quote.slug, "parent_key": keys[e.parent_id], "child_key": keys[e.child_id],
                "relation": e.relation, "origin": f["origin"], "category": f["category"], "severity": f["severity"],
                "explanation": f["explanation"], "parent_exact": ps.get("exact", ""), "parent_start": ps.get("start", ""),
                "parent_end": ps.get("end", ""), "child_exact": cs.get("exact", ""), "child_start": cs.get("start", ""),
                "child_end": cs.get("end", ""), "basis": f["basis"], "basis_detail": f["basis_detail"] or "",
                "analyzer_version": f["analyzer_version"] or "", "confidence": f["confidence"] if f["confidence"] is not None else "",
                "author": f["author"] or "", "review": rv.get("verdict", ""), "review_comment": rv.get("comment", "") or "",
                "finding_id": f["id"]}.items()})
    return out.getvalue()
