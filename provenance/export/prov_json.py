"""W3C PROV-JSON: renditions as entities, sources and translators as agents, hops as activities.

The standard's own vocabulary is used as is: a quotation is ``wasQuotedFrom``, a
revision ``wasRevisionOf``, the origin of a translation ``hadPrimarySource``;
every derivation also records the activity (translating, quoting…) that made it.
Reconstructed and claimed renditions carry their status so no consumer mistakes
them for attested text.
"""

from __future__ import annotations

from prov.constants import PROV
from prov.model import ProvDocument
from sqlmodel import Session, select

from provenance import lineage, views
from provenance.export import register
from provenance.models import Quote, Source

NS = "https://quote-provenance.example/ns#"


@register("prov-json", "application/json", "prov.json")
def render(session: Session, quote: Quote) -> str:
    return build(session, quote).serialize(indent=2, ensure_ascii=False)


def build(session: Session, quote: Quote) -> ProvDocument:
    doc = ProvDocument()
    doc.add_namespace("qp", NS)
    doc.add_namespace("rendition", f"{NS}rendition/")
    doc.add_namespace("agent", f"{NS}agent/")
    doc.add_namespace("hop", f"{NS}hop/")
    renditions, edges = lineage.quote_graph(session, quote)
    sources = {s.id: s for s in session.exec(select(Source)).all()}
    by_id = {r.id: r for r in renditions}
    entities = {}
    for r in renditions:
        attrs = {"prov:label": r.text or f"{r.key} (no text located)", "qp:key": r.key, "qp:language": r.language,
                 "qp:status": r.status, "qp:quote": quote.slug}
        if r.text_hash:
            attrs["qp:sha256"] = r.text_hash
        if r.url:
            attrs["prov:location"] = r.url
        ent = doc.entity(f"rendition:{r.id}", attrs)
        entities[r.id] = ent
        src = sources.get(r.source_id or "")
        if src is not None:
            agent = doc.agent(f"agent:{src.id}", {"prov:label": src.name, "qp:kind": src.kind,
                                                  "prov:type": PROV["Organization"] if src.kind in (
                                                      "agency", "newspaper", "broadcaster", "government")
                                                  else PROV["Person"]})
            doc.wasAttributedTo(ent, agent)
    origin_ids = {r.id for r in lineage.origins(renditions, edges)}
    for e in edges:
        child, parent = entities[e.child_id], entities[e.parent_id]
        summary = views.hop_summary(session, e)
        activity = doc.activity(f"hop:{e.id}", other_attributes={
            "prov:type": f"qp:{e.relation}", "qp:link": e.link_basis,
            "qp:evidence": e.evidence or "", "qp:worstDrift": summary["worst_severity"] or "none"})
        doc.used(activity, parent)
        doc.wasGeneratedBy(child, activity)
        if e.translator_name or e.translator_kind != "unknown":
            translator = doc.agent(f"agent:translator-{e.id}", {
                "prov:label": e.translator_name or f"unnamed {e.translator_kind} translator",
                "qp:translatorKind": e.translator_kind,
                "prov:type": PROV["SoftwareAgent"] if e.translator_kind == "machine" else PROV["Person"]})
            doc.wasAssociatedWith(activity, translator)
        attrs = {"qp:relation": e.relation}
        if e.relation == "quotation":
            doc.wasQuotedFrom(child, parent, activity=activity, other_attributes=attrs)
        elif e.relation == "revision":
            doc.wasRevisionOf(child, parent, activity=activity, other_attributes=attrs)
        else:
            doc.wasDerivedFrom(child, parent, activity=activity, other_attributes=attrs)
        if e.parent_id in origin_ids and e.relation in ("translation", "quotation", "paraphrase", "excerpt"):
            doc.hadPrimarySource(child, parent)
    _ = by_id
    return doc
