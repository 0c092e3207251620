"""TMX 1.4: the aligned segments of each hop as translation units.

Each hop becomes one TU per aligned bead with two TUVs (parent and child), so
bilingual tools read every unit. Segments come from the stored alignment, with
their original texts (not the pivot); a hop that has not been analysed yet is
left out and named in a note.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from sqlmodel import Session, select

from provenance import __version__, lineage
from provenance.export import register
from provenance.models import HopAnalysis, Quote, Rendition


@register("tmx", "application/x-tmx+xml; charset=utf-8", "tmx")
def render(session: Session, quote: Quote) -> str:
    renditions, edges = lineage.quote_graph(session, quote)
    by_id = {r.id: r for r in renditions}
    src_lang = quote.original_language
    units: list[str] = []
    notes: list[str] = []
    for e in edges:
        parent, child = by_id[e.parent_id], by_id[e.child_id]
        analysis = session.exec(select(HopAnalysis).where(HopAnalysis.derivation_id == e.id)).first()
        if analysis is None or parent.text is None or child.text is None:
            notes.append(f"hop {parent.key} -> {child.key} not included: "
                         f"{'not analysed' if analysis is None else 'a side has no text'}")
            continue
        for i, bead in enumerate(analysis.alignment.get("beads", [])):
            ps, cs = bead.get("parent_span"), bead.get("child_span")
            if not ps or not cs:
                continue  # an omission or addition has no counterpart to pair
            units.append(_tu(f"{quote.slug}:{parent.key}>{child.key}:{i + 1}", e.relation, parent, child,
                             parent.text[ps[0]:ps[1]], child.text[cs[0]:cs[1]]))
    header = (f'<header creationtool="quote-provenance" creationtoolversion="{__version__}" datatype="plaintext" '
              f'segtype="sentence" adminlang="en" srclang={quoteattr(src_lang)} o-tmf="quote-provenance">'
              + "".join(f"<note>{escape(n)}</note>" for n in notes) + "</header>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n' + header + "\n<body>\n"
            + "\n".join(units) + "\n</body>\n</tmx>\n")


def _tu(tuid: str, relation: str, parent: Rendition, child: Rendition, ptext: str, ctext: str) -> str:
    def tuv(r: Rendition, text: str) -> str:
        return (f'<tuv xml:lang={quoteattr(r.language)}><prop type="x-rendition">{escape(r.key)}</prop>'
                f'<prop type="x-status">{r.status}</prop><seg>{escape(text)}</seg></tuv>')

    return (f"<tu tuid={quoteattr(tuid)}><prop type=\"x-relation\">{escape(relation)}</prop>"
            f"{tuv(parent, ptext)}{tuv(child, ctext)}</tu>")
