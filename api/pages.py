"""The web page: server-rendered, readable without JavaScript; editor actions call the API."""

from __future__ import annotations

from typing import Annotated, Any, Optional

from dataclasses import dataclass

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, Parameter
from litestar.response import Template
from markupsafe import Markup, escape

from api import highlight as hl
from api.controllers.intake import propose_in_process
from api.db import Database
from api.layout import NODE_H, NODE_W, layout
from provenance import analysis, lineage, publications, review, trace, views
from provenance.errors import ProvenanceError
from provenance.languages import language_name
from provenance.settings import Settings
from provenance.vocabulary import STATUS_MEANING

SEVERITY_ORDER = {"minor": 1, "major": 2, "critical": 3}


def _common() -> dict[str, Any]:
    return {}


def template_globals(engine: Any) -> None:
    """Names every template (and macro) may use."""
    engine.engine.globals.update(language_name=language_name, status_meaning=STATUS_MEANING)


class PageController(Controller):
    include_in_schema = False
    opt = {"role": "reader"}

    @get("/", name="home")
    async def home(self, db: NamedDependency[Database], settings: NamedDependency[Settings],
                   q: Optional[str] = Parameter(default=None, max_length=20_000),
                   language: Optional[str] = Parameter(default=None, max_length=35)) -> Template:
        def search(snapshot: Any) -> tuple[dict[str, Any] | None, str | None]:
            try:
                analyzer = analysis.Analyzer.from_settings(settings)
                return trace.trace(snapshot, text=q or "", language=language or None, translator=analyzer.translator,
                                   pivot_language=settings.pivot_language), None
            except ProvenanceError as exc:
                return None, exc.message

        result, error = await db.search(search) if q and q.strip() else (None, None)
        quotes = await db.read(lambda session: views.list_quotes(session, limit=200)["items"])
        return Template("home.html.j2", context={**_common(), "quotes": quotes, "result": result, "error": error,
                                                 "q": q or "", "language": language or ""})

    @get("/quotes/{quote_id:str}", name="quote", raises=[NotFoundException])
    async def quote(self, db: NamedDependency[Database], quote_id: Annotated[str, Parameter(max_length=200)]) -> Template:
        def run(s: Any) -> tuple[dict[str, Any], dict[str, Any]]:
            quote = lineage.get_quote(s, quote_id)
            return views.graph(s, quote), views.rendition_sources(s, quote)

        graph, sources = await db.read(run)
        boxes, wires, width, height = layout(graph["nodes"], graph["edges"])
        keys = {n["id"]: n["key"] for n in graph["nodes"]}
        status = views.analysis_status([e["drift"] for e in graph["edges"]])
        return Template("quote.html.j2", context={**_common(), "graph": graph, "status": status, "sources": sources,
                                                    "boxes": boxes, "wires": wires,
                                                    "width": width, "height": height, "node_w": NODE_W,
                                                    "node_h": NODE_H, "keys": keys,
                                                    "languages": sorted({n["language"] for n in graph["nodes"]})})

    @get("/renditions/{rendition_id:str}/hop", name="hop", raises=[NotFoundException])
    async def hop(self, db: NamedDependency[Database], rendition_id: Annotated[str, Parameter(max_length=200)],
                  parent_id: Optional[str] = Parameter(default=None, max_length=200)) -> Template:
        def run(session: Any) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
            child = lineage.get_rendition(session, rendition_id)
            view = review.drift_view(session, child, parent_id)
            quote = lineage.get_quote(session, child.quote_id)
            return (view, views.quote_view(quote), publications.anchors_of(session, child.id),
                    views.rendition_sources(session, quote))

        view, quote, anchors, sources = await db.read(run)
        return Template("hop.html.j2", context={**_common(), "v": view, "quote": quote, "rows": hop_rows(view),
                                                  "anchors": anchors, "sources": sources})


@dataclass
class ArticleForm:
    """The "Add an article" form: pasted text or a URL, and what the editor knows of the article."""

    text: str = ""
    url: str = ""
    language: str = ""
    outlet: str = ""


class IntakePages(Controller):
    """"Add an article": paste an article or give its URL, see what intake found, fix it, accept it."""

    include_in_schema = False
    opt = {"role": "reader"}

    @get("/intake", name="intake")
    async def form(self) -> Template:
        return Template("intake.html.j2", context={"form": ArticleForm(), "error": None, "result": None})

    @post("/intake", name="intake-read", status_code=200, media_types=("application/x-www-form-urlencoded",))
    async def read(self, data: Annotated[ArticleForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
                   db: NamedDependency[Database], settings: NamedDependency[Settings]) -> Template:
        try:
            url = data.url.strip() or None
            text = data.text if data.text.strip() or not url else None
            result = await propose_in_process(settings, text=text, url=None if text else url,
                                              page_url=url if text else None, language=data.language.strip() or None,
                                              outlet=data.outlet.strip() or None)

            def run(session: Any) -> dict[str, list[str]]:
                parents: dict[str, list[str]] = {}
                for q in result["quotes"]:
                    slug = q["proposal"].get("quote")
                    if q["proposal"]["action"] in ("attach", "recorded") and slug and slug not in parents:
                        renditions, _ = lineage.quote_graph(session, lineage.get_quote(session, slug))
                        parents[slug] = [r.key for r in renditions]
                return parents

            parents = await db.read(run)
        except ProvenanceError as exc:
            return Template("intake.html.j2", context={"form": data, "error": exc.message, "result": None},
                            status_code=exc.status)
        return Template("intake.html.j2", context={"form": data, "error": None, "result": result,
                                                     "parents": parents, "article": article_html(result)})


def article_html(result: dict[str, Any]) -> Markup:
    """The article's text with each quotation marked (numbered, by kind) and its evidence and speaker underlined."""
    text = result["publication"]["text"]
    spans: list[tuple[int, int, str, int]] = []
    for i, q in enumerate(result["quotes"]):
        spans.append((q["start"], q["end"], "quote kind-" + q["kind"], i))
        for e in q["evidence"]:
            spans.append((e["start"], e["end"], "evidence", i))
        if q["speaker"]:
            at = _nearest(text, q["speaker"].split()[-1], q["start"])
            if at is not None:
                spans.append((at[0], at[1], "speaker", i))
    parts: list[str] = []
    pos = 0
    for start, end, kind, i in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos:
            continue  # nested or overlapping: shown in the list below
        parts.append(str(escape(text[pos:start])))
        tag = "mark" if kind.startswith("quote") else "u"
        label = f"quotation {i + 1}" if tag == "mark" else f"{kind} of quotation {i + 1}"
        parts.append(f'<{tag} class="{kind}" data-quote="{i}" title="{label}">'
                     + (f'<sup>{i + 1}</sup>' if tag == "mark" else "") + f"{escape(text[start:end])}</{tag}>")
        pos = end
    parts.append(str(escape(text[pos:])))
    return Markup("".join(parts))


def _nearest(text: str, word: str, at: int) -> tuple[int, int] | None:
    """The occurrence of ``word`` nearest to ``at``, as a whole word."""
    import re

    best = None
    for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text):
        if best is None or abs(m.start() - at) < abs(best[0] - at):
            best = (m.start(), m.end())
    return best


def hop_rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per aligned bead: both sides' original sentences, highlighted where the comparison allows."""
    al = view["alignment"] or {"beads": []}
    ptext, ctext = view["parent"]["text"] or "", view["child"]["text"] or ""
    ppivot, cpivot = al.get("parent_pivot"), al.get("child_pivot")
    rows = []
    for bead in al["beads"]:
        row: dict[str, Any] = {"kind": bead["kind"], "score": bead["score"]}
        for side, text, pivot in (("parent", ptext, ppivot), ("child", ctext, cpivot)):
            span = bead.get(f"{side}_span")
            pspan = bead.get(f"{side}_pivot_span")
            if pivot is None:  # compared in the original language: token spans point into the original
                spans = hl.spans_from_beads([bead], f"{side}_span")
                orig, comp = _segment(text, span, spans), None
            elif pivot == text:  # this side is in the pivot language: its pivot spans are original offsets
                spans = hl.spans_from_beads([bead], f"{side}_pivot_span")
                orig, comp = _segment(text, pspan or span, spans), None
            else:  # compared through glosses: the findings placed back on this original's words mark it
                orig = _segment(text, span, hl.spans_from_findings(view["findings"], side))
                comp = _segment(pivot, pspan, hl.spans_from_beads([bead], f"{side}_pivot_span"))
            row[side] = orig
            row[f"{side}_pivot"] = comp
        rows.append(row)
    return rows


def _segment(text: str, span: list[int] | None, spans: list[tuple[int, int, str]]) -> dict[str, Any] | None:
    if not span:
        return None
    start, end = span
    local = [(max(s, start) - start, min(e, end) - start, k) for s, e, k in spans if e > start and s < end]
    return {"start": start, "end": end, "html": hl.highlight(text[start:end], local)}
