"""Markdown: a report an editor can paste, with the lineage as a Mermaid graph.

Claimed and reconstructed renditions are marked in the graph and in every
heading; machine findings are labelled machine-made with their analyzer and
basis; human notes and reviews are shown beside them.
"""

from __future__ import annotations

import html

from sqlmodel import Session, select

from provenance import lineage, review, views
from provenance.export import register
from provenance.models import HopAnalysis, Quote, Source
from provenance.vocabulary import STATUS_MEANING

BADGE = {"attested": "ATTESTED", "claimed": "⚠ CLAIMED (not located)", "reconstructed": "⚠ RECONSTRUCTED (our stand-in)"}


def _esc(text: str | None) -> str:
    """Text from a record as Markdown shows it literally: HTML is escaped, so a rendition holding
    ``<script>`` is shown as text by a renderer, never run or rendered."""
    return html.escape(text or "", quote=False)


def _cell(text: str | None) -> str:
    return _esc(text or "—").replace("|", "\\|").replace("\n", " ")


@register("markdown", "text/markdown", "md")  # the API adds "; charset=utf-8" to every text/* type
def render(session: Session, quote: Quote) -> str:
    renditions, edges = lineage.quote_graph(session, quote)
    by_id = {r.id: r for r in renditions}
    sources = {s.id: s.name for s in session.exec(select(Source)).all()}
    lines = [f"# {_esc(quote.speaker)}: {quote.slug}", ""]
    meta = [quote.speaker_role, quote.occasion, quote.place, quote.said_on.isoformat() if quote.said_on else None]
    lines += [" · ".join(_esc(m) for m in meta if m), ""]
    if quote.summary:
        lines += [_esc(quote.summary), ""]
    lines += ["## Lineage", "", "```mermaid", "graph LR"]
    for r in renditions:
        source = _esc(sources.get(r.source_id or "", "unknown source")).replace('"', "#quot;")
        label = f"{r.key}<br/>{r.language} · {source}<br/>{BADGE[r.status]}"
        shape = ("[", "]") if r.status == "attested" else ("[/", "/]")
        lines.append(f'  {_node(r.id)}{shape[0]}"{label}"{shape[1]}')
    for e in edges:
        worst = _worst(session, e.id)
        lines.append(f"  {_node(e.parent_id)} -->|{e.relation}{' · ' + worst if worst else ''}| {_node(e.child_id)}")
    lines += ["```", ""]
    lines += ["Statuses: " + "; ".join(f"**{s}**: {m}" for s, m in STATUS_MEANING.items()), ""]
    facts = views.rendition_sources(session, quote)
    lines += ["## Sources", "", "| Rendition | Status | Outlet | Address | Byline | Published | Retrieved | Note |",
              "|---|---|---|---|---|---|---|---|"]
    for r in renditions:
        s = facts[r.id]
        note = s["note"] or ""
        for c in s["claimed_by"]:
            note += (" " if note else "") + (f"Claimed by {c['key']} ({c['relation']}, link {c['link']})"
                                             + (f": “{c['evidence']}”" if c["evidence"] else "") + ".")
        lines.append(f"| {r.key} | {BADGE[r.status]} | {_cell(s['outlet'])} | {_cell(s['url'])} | {_cell(s['byline'])} "
                     f"| {_cell(s['published_at'])} | {_cell(s['retrieved_at'])} | {_cell(note)} |")
    lines += ["", "## Hops", ""]
    for e in edges:
        parent, child = by_id[e.parent_id], by_id[e.child_id]
        analysis = session.exec(select(HopAnalysis).where(HopAnalysis.derivation_id == e.id)).first()
        lines += [f"### {parent.key} → {child.key} ({e.relation})", ""]
        lines += [f"Translator: {e.translator_kind}{' — ' + _esc(e.translator_name) if e.translator_name else ''}; "
                  f"link {e.link_basis}; evidence: {_cell(e.evidence)}", ""]
        lines += [f"| {parent.key} ({parent.language}, {BADGE[parent.status]}) | {child.key} ({child.language}, {BADGE[child.status]}) |",
                  "|---|---|", f"| {_cell(parent.text)} | {_cell(child.text)} |", ""]
        findings = review.hop_findings(session, e)  # people's notes are shown whether or not a machine looked
        if analysis is None:
            lines += ["_Not analysed yet._", ""]
        else:
            scores = ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                               for k, v in analysis.scores.items())
            lines += [f"Machine analysis ({analysis.analyzer_version}; basis: {analysis.basis}): "
                      f"{scores or 'no scores'}", ""]
            if not findings:
                lines += ["No findings.", ""]
        for f in findings:
            who = (f"machine-made, {f['analyzer_version']}, basis {f['basis']}" if f["origin"] == "machine"
                   else f"note by {_esc(f['author'])}")
            spans = " → ".join(f"“{_esc(s['exact'])}”" for s in (f["parent_span"], f["child_span"]) if s)
            rv = (f" — **{f['review']['verdict']}** by {_esc(f['review']['reviewer'])}: "
                  f"{_esc(f['review']['comment'])}" if f["review"] else "")
            lines.append(f"- **{f['severity'].upper()}** `{f['category']}` {spans}: {_esc(f['explanation'])} "
                         f"_({who})_{rv}")
        lines.append("")
    return "\n".join(lines)


def _node(rendition_id: str) -> str:
    return "r" + rendition_id.replace("-", "")[:12]


def _worst(session: Session, derivation_id: str) -> str | None:
    from provenance.models import Derivation
    from provenance.views import hop_summary

    edge = session.get(Derivation, derivation_id)
    return hop_summary(session, edge)["worst_severity"] if edge else None
