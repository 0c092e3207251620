"""The ``provenance`` command: a thin click shell over the domain.

Each command parses its arguments, calls one domain function and shapes the
output. Domain errors are printed as one line and exit with status 1; there is
never a traceback for a mistake a person can fix.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import datetime
import os
import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text
from rich.tree import Tree
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, select

from provenance import chain, lineage, migrate, views, writes
from provenance.export import EXPORTERS, export_quote
from provenance.db import database_errors, make_engine, read_session
from provenance.errors import InvalidInput, ProvenanceError, SettingsError
from provenance.languages import language_name
from provenance.models import Derivation, Quote, Rendition, Source
from provenance.schemas import chain_document_schema
from provenance.settings import Settings

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

STATUS_STYLE = {"attested": "bold green", "claimed": "bold yellow", "reconstructed": "bold magenta"}
SEVERITY_STYLE = {"minor": "yellow", "major": "bold dark_orange", "critical": "bold red"}


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine = None
        self._audit_key: bytes | None = None

    @property
    def engine(self):  # type: ignore[no-untyped-def]
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url, self.settings)
        return self._engine

    @property
    def audit_key(self) -> bytes:
        from provenance import audit

        if self._audit_key is None:
            self._audit_key = audit.signing_key(self.settings)
        return self._audit_key

    def write(self, fn: Callable[[writes.Write], Any], *, actor: str) -> Any:
        """``fn`` in one write of the domain's write path (retried on a deadlock)."""
        return writes.run(self.engine, fn, actor=actor, audit_key=self.audit_key)


def friendly_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a person can act on into one line on stderr and exit status 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with database_errors():
                return fn(*args, **kwargs)
        except ProvenanceError as exc:
            for line in exc.message.splitlines():
                err_console.print(f"[bold red]error:[/] {line}", soft_wrap=True)
            sys.exit(1)
        except (OperationalError, ProgrammingError) as exc:
            text = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
            if "no such table" in text or "does not exist" in text:
                ctx = click.get_current_context(silent=True)
                where = f" {_where(ctx.obj)}" if ctx is not None and isinstance(ctx.obj, Context) else ""
                text += (f" (the database{where} lacks tables this version needs: run `provenance db upgrade`"
                         + (", or set PROVENANCE_DATABASE_URL to the database you meant)" if where else ")"))
            err_console.print(f"[bold red]error:[/] database: {text}", soft_wrap=True)
            sys.exit(1)

    return wrapper


@click.group()
@click.option("--database-url", envvar="PROVENANCE_DATABASE_URL", default=None,
              help="Database URL (default: PROVENANCE_DATABASE_URL, else ./data/provenance.db when run from the "
                   "project's folder, else provenance.db in your user data folder).")
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Track a quote's chain of renditions back to its origin, and what changed at each hop."""
    env = dict(os.environ)
    if database_url:
        env["PROVENANCE_DATABASE_URL"] = database_url
    try:
        settings = Settings.from_env(env)
    except SettingsError as exc:
        for line in exc.problems:
            err_console.print(f"[bold red]error:[/] {line}", soft_wrap=True)
        sys.exit(1)
    ctx.obj = Context(settings)


# ---------------------------------------------------------------- db

@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.argument("revision", default="head")
@click.pass_obj
@friendly_errors
def db_upgrade(obj: Context, revision: str) -> None:
    """Apply the migrations (to the newest revision unless REVISION is given), then bring derived data up to date.

    Stored answers missing or built by another version of the code are built
    again, and a database from before signed audit heads gets its head signed
    (recording, once, the state of rows no event vouches for).
    """
    make_engine(obj.settings.database_url).dispose()  # creates the SQLite folder
    migrate.upgrade(obj.settings.database_url, revision)
    console.print(f"database {_where(obj)} at revision {migrate.current_revision(obj.engine)}")
    if inspect(obj.engine).has_table("audit_checkpoint"):  # not when REVISION is older than it
        _sign_audit_head(obj)
        _store_missing_answers(obj)


def _where(obj: Context) -> str:
    url = obj.engine.url
    return str(url.database) if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)


def _sign_audit_head(obj: Context) -> None:
    from provenance import audit
    from provenance.db import lock_writers, transaction

    with transaction(obj.engine) as session:
        lock_writers(session)  # a server writing meanwhile queues behind this
        recorded = audit.baseline(session, key=obj.audit_key, actor="cli:db-upgrade")
    if recorded:
        console.print(f"signed the audit log's head; recorded the state of {recorded} row(s) written before it")


def _progress_bar(*, transient: bool) -> Any:
    """A bar on stderr with a count and the time taken, so stdout stays for results."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=transient)


def _store_missing_answers(obj: Context) -> None:
    from provenance import answers

    progress = _progress_bar(transient=True)
    with progress:
        task = progress.add_task("storing graph and lineage answers", total=None)
        count = answers.rebuild_stale(obj.engine, progress=lambda done, total: progress.update(task, completed=done,
                                                                                              total=total))
    if count:
        console.print(f"stored the graph and lineage answers of {count} quote(s)")


@db.command("downgrade")
@click.argument("revision")
@click.pass_obj
@friendly_errors
def db_downgrade(obj: Context, revision: str) -> None:
    """Revert the migrations down to REVISION ('base' for an empty database)."""
    migrate.downgrade(obj.settings.database_url, revision)
    console.print(f"database at revision {migrate.current_revision(obj.engine)}")


# ---------------------------------------------------------------- documents

@main.command()
@click.option("--if-empty", is_flag=True, help="Load only when the database holds no quote yet.")
@click.option("--analyze", "analyze_", is_flag=True, help="Also analyse the hops of the quotes just loaded.")
@click.pass_obj
@friendly_errors
def seed(obj: Context, if_empty: bool, analyze_: bool) -> None:
    """Load the founding chain (Choe Son Hui and Sergei Lavrov, Moscow, 1 November 2024)."""
    doc = chain.founding_document()

    def load(w: writes.Write) -> list[Quote] | None:
        if if_empty and w.session.exec(select(Quote.id).limit(1)).first():
            return None
        return chain.import_document(w, doc, skip_existing=True)

    created = obj.write(load, actor="cli:seed")
    if created is None:
        console.print("database already holds quotes: founding chain not loaded")
        return
    if created and analyze_:
        _analyze(obj, [q.id for q in created], actor="cli:seed", transient=True)
    if created:
        console.print(f"loaded {len(created)} quotes: " + ", ".join(q.slug for q in created))
    else:
        console.print("founding chain already loaded")


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--update", is_flag=True, help="Apply an edited export to recorded quotes: new renditions, glosses and "
                                              "links, corrections, and changed texts as revisions; nothing removed.")
@click.pass_obj
@friendly_errors
def import_(obj: Context, files: tuple[str, ...], update: bool) -> None:
    """Import chain documents (YAML or JSON); all of them or nothing.

    A slug already recorded is refused, unless --update: then the document's differences are applied as new records
    and revisions (never overwriting words), and each change is printed."""
    docs = [(f, chain.load_file(f)) for f in files]  # every file is validated before anything is written
    total = sum(len(q.renditions) for _, doc in docs for q in doc.quotes)
    progress = _progress_bar(transient=False)
    with progress:
        task = progress.add_task("detecting languages", total=len(docs))
        detected = {}
        for _, doc in docs:  # before the write: the database is not locked while this runs
            detected.update(chain.detections(doc))
            progress.advance(task)
        task = progress.add_task("writing renditions", total=total)

        def write_all(w: writes.Write) -> list[Quote]:
            created = []
            for name, doc in docs:
                created += chain.import_document(w, doc, origin=name, detected=detected,
                                                 progress=lambda n: progress.advance(task, n))
            return created

        def update_all(w: writes.Write) -> list[str]:
            done = []
            for name, doc in docs:
                done += chain.update_document(w, doc, origin=name, detected=detected)
                progress.advance(task, sum(len(q.renditions) for q in doc.quotes))
            return done

        if update:
            changes = obj.write(update_all, actor="cli:import")
        else:
            created = obj.write(write_all, actor="cli:import")
    if update:
        for line in changes or ["nothing to change: the record already holds these documents"]:
            console.print(line)
        return
    for q in created:
        console.print(f"imported {q.slug}  ({q.id})")


@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--language", default=None, help="The article's language (detected when not given).")
@click.option("--outlet", default=None, help="Who published the article (an HTML page's site name otherwise).")
@click.option("--url", "page_url", default=None, help="The article's address, for a file saved from it.")
@click.option("--json", "as_json", is_flag=True, help="Print the extraction and the proposal as JSON.")
@click.option("--accept", "accept_", is_flag=True, help="Write the proposal, then analyse the new hops.")
@click.pass_obj
@friendly_errors
def intake(obj: Context, articles: tuple[str, ...], language: str | None, outlet: str | None,
           page_url: str | None, as_json: bool, accept_: bool) -> None:
    """Read articles (files or URLs): their quotes, speakers, evidence and claimed chains, and what to record.

    Writes nothing unless --accept is given.
    """
    from provenance import analysis, proposals, reading

    analyzer = analysis.Analyzer.from_settings(obj.settings)
    results = []
    progress = _progress_bar(transient=True)
    with progress:
        task = progress.add_task("reading articles", total=len(articles)) if len(articles) > 1 else None
        for ref in articles:
            if re.match(r"^https?://", ref):
                allowed = [ipaddress.ip_network(n) for n in obj.settings.intake_networks]
                article = reading.read_url(ref, language=language, allowed=allowed)
            else:
                try:
                    size = Path(ref).stat().st_size
                    if size > reading.MAX_ARTICLE_BYTES:  # refused before it is read into memory
                        raise InvalidInput(f"{ref}: the file is {size:,} bytes; intake reads at most "
                                           f"{reading.MAX_ARTICLE_BYTES:,} (save the article's text alone)")
                    raw = Path(ref).read_bytes()
                except OSError as exc:
                    raise InvalidInput(f"{ref}: cannot read the file: {exc.strerror}") from None
                article = reading.read_article(raw, origin=ref, url=page_url, language=language,
                                               html=True if ref.lower().endswith((".html", ".htm")) else None)
            article.outlet = outlet or article.outlet
            article.url = page_url or article.url
            with read_session(obj.engine) as session:
                results.append(proposals.propose(session, article, translator=analyzer.translator,
                                                 pivot_language=obj.settings.pivot_language))
            if task is not None:
                progress.advance(task)
    if as_json:
        click.echo(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2))
    else:
        for ref, result in zip(articles, results):
            console.print(intake_tree(ref, result))
    if accept_:
        for ref, result in zip(articles, results):
            parsed = proposals.parse_accept(result)
            done = obj.write(lambda w, p=parsed: _accepted(proposals.accept(
                w, p, pivot_language=obj.settings.pivot_language)), actor="cli:intake")
            if done["quotes"]:
                _analyze(obj, done["quotes"], actor="cli:intake", transient=True)
            (err_console if as_json else console).print(
                f"accepted {ref}: publication {done['publication']}; "
                + (", ".join(done["slugs"]) if done["slugs"] else "no quote to record"))


def _accepted(result: Any) -> dict[str, Any]:
    return {"publication": result.publication.id, "quotes": [q.id for q in result.quotes],
            "slugs": [q.slug for q in result.quotes]}


def intake_tree(ref: str, result: dict[str, Any]) -> Tree:
    """The extraction of one article as a tree: each quotation with its speaker, evidence, chain and proposal."""
    pub = result["publication"]
    head = Text.assemble((pub.get("title") or ref, "bold"), f"  ({pub.get('outlet') or 'outlet unknown'}, "
                         f"{pub['language']}, {pub['length']:,} characters)")
    tree = Tree(head)
    for i, q in enumerate(result["quotes"], 1):
        words = q["text"] if len(q["text"]) <= 90 else q["text"][:89] + "…"
        label = Text.assemble(f"{i}. ", (f"[{q['kind']}] ", "dim" if q["kind"] == "scare" else "cyan"),
                              f"“{words}”", ("  — " + q["speaker"], "bold") if q["speaker"] else ("  — no speaker", "red"))
        node = tree.add(label)
        for e in q["evidence"]:
            node.add(Text.assemble(("evidence: ", "dim"), e["text"]))
        if q["chain"]:
            node.add(Text.assemble(("chain: ", "dim"), " → ".join(
                f"{h['source']} ({', '.join(x for x in (h.get('language'), h['kind']) if x)})" for h in q["chain"])))
        p = q["proposal"]
        what = {"new": f"new quote {p.get('quote', '')}", "attach": f"new rendition '{p.get('rendition_key')}' of "
                f"{p.get('quote')}, parent '{p.get('parent')}' ({p.get('link')})",
                "recorded": f"already recorded: {p.get('quote')} / {p.get('rendition')}",
                "skip": f"skipped: {p.get('reason', '')}"}[p["action"]]
        node.add(Text.assemble(("proposal: ", "dim"), (what, "green" if p["action"] != "skip" else "dim")))
    return tree


#: The chain document (several quotes in one, read back by `import`) and every exporter of the API.
EXPORT_FORMATS = ("json", "yaml", *sorted(f for f in EXPORTERS if f != "json"))


@main.command()
@click.argument("quote_ids", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True,
              help="json or yaml: a chain document that `import` reads back; markdown: the report; prov-json, "
                   "tmx, csv: as the API exports them.")
@click.option("--output", "output", type=click.Path(file_okay=False), default=None,
              help="Write one file per quote (SLUG.EXT) into this folder instead of printing.")
@click.pass_obj
@friendly_errors
def export(obj: Context, quote_ids: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Print QUOTE_IDS (ids or slugs) in a format: the chain document by default, or a report or an exchange format."""
    with read_session(obj.engine) as session:
        quotes = [lineage.get_quote(session, ref) for ref in quote_ids]
        if fmt in ("json", "yaml") and output is None:
            click.echo(chain.dump_document(chain.export_document(session, quotes), fmt=fmt))
            return
        if output is None and len(quotes) > 1 and fmt != "markdown":
            raise click.UsageError(f"{fmt} holds one quote: export one at a time, or pass --output FOLDER")
        files = []
        for quote in quotes:
            if fmt in ("json", "yaml"):
                body, ext = chain.dump_document(chain.export_document(session, [quote]), fmt=fmt), fmt
            else:
                body, _, ext = export_quote(session, quote, fmt)
            files.append((quote.slug, ext, body))
    if output is None:
        click.echo("\n\n".join(body for _, _, body in files))
        return
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    for slug, ext, body in files:
        (folder / f"{slug}.{ext}").write_text(body, encoding="utf-8")
        console.print(f"wrote {folder / f'{slug}.{ext}'}")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the chain document."""
    click.echo(json.dumps(chain_document_schema(), indent=2, ensure_ascii=False))


# ---------------------------------------------------------------- show

def status_badge(status: str) -> Text:
    label = {"attested": "ATTESTED", "claimed": "CLAIMED · not located",
             "reconstructed": "RECONSTRUCTED · our stand-in"}[status]
    return Text(f"[{label}]", style=STATUS_STYLE[status])


def _node_label(r: Rendition, source: Source | None, edge: Derivation | None, worst: str | None = None) -> Text:
    label = Text()
    if edge is not None:
        label.append(f"{edge.relation}", style="cyan")
        label.append(f" ({edge.translator_kind}{': ' + edge.translator_name if edge.translator_name else ''}, "
                     f"{edge.link_basis})", style="dim")
        if worst:
            label.append(f" [{worst} drift]", style=SEVERITY_STYLE[worst])
        label.append(" → ", style="dim")
    label.append(r.key, style="bold")
    label.append(f"  {language_name(r.language)} [{r.language}]  ")
    label.append(source.name if source else "unknown source", style="italic")
    if r.published_at:
        label.append(f"  {r.published_at:%Y-%m-%d}", style="dim")
    label.append("  ")
    label.append_text(status_badge(r.status))
    if r.language_mismatch:
        label.append(f"  ⚠ text looks like {r.detected_language}", style="red")
    if r.text:
        snippet = r.text if len(r.text) <= 90 else r.text[:87] + "…"
        label.append(f"\n{snippet}", style="dim")
    return label


def lineage_tree(session: Session, quote: Quote) -> Tree:
    """The quote's graph as a terminal tree from its origins; a node with two parents appears under both."""
    renditions, edges = lineage.quote_graph(session, quote)
    sources = {s.id: s for s in session.exec(select(Source)).all()}
    by_id = {r.id: r for r in renditions}
    children: dict[str, list[Derivation]] = {}
    for e in edges:
        children.setdefault(e.parent_id, []).append(e)
    langs = sorted({r.language for r in renditions})
    root = Tree(Text.assemble((quote.slug, "bold"), f" — {quote.speaker}, {quote.said_on or 'date unknown'}; "
                              f"{len(renditions)} renditions in {len(langs)} languages ({', '.join(langs)})"))
    shown: set[str] = set()

    def grow(tree: Tree, r: Rendition, edge: Derivation | None) -> None:
        worst = views.hop_summary(session, edge)["worst_severity"] if edge is not None else None
        node = tree.add(_node_label(r, sources.get(r.source_id or ""), edge, worst))
        if r.id in shown:
            node.add(Text("(continues above)", style="dim"))
            return
        shown.add(r.id)
        for e in children.get(r.id, []):
            grow(node, by_id[e.child_id], e)

    for origin in lineage.origins(renditions, edges):
        grow(root, origin, None)
    return root


@main.command()
@click.argument("quote_id")
@click.pass_obj
@friendly_errors
def show(obj: Context, quote_id: str) -> None:
    """Print the lineage of QUOTE_ID (id or slug) as a tree."""
    with read_session(obj.engine) as session:
        quote = lineage.get_quote(session, quote_id)
        console.print(lineage_tree(session, quote))


@main.command("trace")
@click.argument("text")
@click.option("--language", default=None, help="BCP-47 language of TEXT (detected when absent).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50), help="At most this many quotes.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer instead of a tree.")
@click.pass_obj
@friendly_errors
def trace_(obj: Context, text: str, language: str | None, limit: int, as_json: bool) -> None:
    """Find the quotes whose renditions hold TEXT, each with its path back to the origin; or say not found."""
    from provenance import trace as trace_mod
    from provenance.analysis import Analyzer

    analyzer = Analyzer.from_settings(obj.settings)
    with read_session(obj.engine) as session:
        result = trace_mod.trace(session, text=text, language=language, limit=limit, translator=analyzer.translator,
                                 pivot_language=obj.settings.pivot_language)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console.print(trace_tree(text, result))


def trace_tree(text: str, result: dict[str, Any]) -> Tree:
    """A trace as a terminal tree: the verdict, then each quote found with its best rendition's path."""
    shown = text if len(text) <= 70 else text[:67] + "…"
    verdict = result["verdict"]
    root = Tree(Text.assemble(("Trace ", "bold"), f"«{shown}»: ",
                              (verdict.upper(), "bold green" if verdict == "match" else
                               "yellow" if verdict == "possible match" else "bold red")))
    if not result["matches"]:
        t = result["thresholds"]
        root.add(Text(f"no recorded rendition holds {t['possible_match']:.0%} or more of its content words in order",
                      style="dim"))
    for m in result["matches"]:
        q, r = m["quote"], m["rendition"]
        node = root.add(Text.assemble((f"[{m['label']}] ", "green" if m["label"] == "match" else "yellow"),
                                      (q["slug"], "bold"), f" — {q['speaker']}, holds {m['score']:.0%} of the words"
                                      + (f" (missing: {', '.join(m['matched']['missing'])})" if m["matched"]["missing"] else "")
                                      + f" · {m['method']}"))
        for path in m["lineage"]["paths"][:1]:
            branch = node
            for k, step in enumerate(path["renditions"]):
                label = Text()
                if k:
                    hop = path["hops"][k - 1]
                    label.append(f"{hop['relation']} → ", style="cyan")
                label.append(step["key"], style="bold" if step["id"] == r["id"] else "")
                label.append(f"  [{step['language']}]  ")
                label.append_text(status_badge(step["status"]))
                branch = branch.add(label)
        if m["also"]:
            node.add(Text("also: " + ", ".join(f"{a['rendition']['key']} ({a['label']}, {a['score']:.0%})"
                                                for a in m["also"]), style="dim"))
    return root


@main.command("list")
@click.pass_obj
@friendly_errors
def list_(obj: Context) -> None:
    """List the recorded quotes."""
    with read_session(obj.engine) as session:
        for q in session.exec(select(Quote).order_by(Quote.said_on, Quote.slug)).all():
            console.print(f"{q.slug}  {q.speaker}  {q.said_on or ''}  [{q.original_language}]")


# ---------------------------------------------------------------- analysis

def _finding_json(f: dict[str, Any], scores: dict[str, Any]) -> dict[str, Any]:
    def span(x: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if x is None else {"start": x["start"], "end": x["end"], "exact": x["exact"]}

    return {"id": f["id"], "category": f["category"], "severity": f["severity"], "parent_span": span(f["parent_span"]),
            "child_span": span(f["child_span"]), "explanation": f["explanation"], "basis": f["basis"],
            "basis_detail": f["basis_detail"], "origin": f["origin"], "analyzer_version": f["analyzer_version"],
            "confidence": f["confidence"], "author": f["author"], "review": f["review"], "details": f["details"],
            "scores": scores}


def _analyze(obj: Context, quote_ids: list[str], *, actor: str, transient: bool) -> list[str]:
    """Analyse every hop of these quotes with a progress bar, one write per quote; returns the hops' ids.

    One write per quote, not one for them all: on SQLite a write holds the
    database's write lock, and the service's writes wait for it.
    """
    from provenance import analysis

    analyzer = analysis.Analyzer.from_settings(obj.settings)
    with read_session(obj.engine) as session:
        total = sum(len(lineage.quote_graph(session, lineage.get_quote(session, q))[1]) for q in quote_ids)
    done: list[str] = []
    progress = _progress_bar(transient=transient)
    with progress:
        task = progress.add_task("analysing hops", total=total)
        for quote_id in quote_ids:
            with read_session(obj.engine) as session:  # translations first, holding no lock
                analyzer.prefetch(session, [quote_id])

            def run(w: writes.Write, quote_id: str = quote_id) -> list[str]:
                quote = lineage.get_quote(w.session, quote_id)
                return [r.derivation_id for r in analysis.analyze_quote(
                    w, quote, analyzer, on_hop=lambda _e: progress.advance(task))]
            done += obj.write(run, actor=actor)
    return done


def _hop_json(session: Session, edge: Derivation) -> dict[str, Any]:
    from provenance import review

    child = session.get(Rendition, edge.child_id)
    assert child is not None
    view = review.drift_view(session, child, edge.parent_id)
    quote = session.get(Quote, edge.quote_id)
    assert quote is not None
    return {"derivation_id": edge.id, "quote": {"id": quote.id, "slug": quote.slug},
            "parent": {"id": view["parent"]["id"], "key": view["parent"]["key"]},
            "child": {"id": child.id, "key": child.key}, "relation": edge.relation, "basis": view["basis"],
            "basis_detail": view["basis_detail"], "analyzer_version": view["analyzer_version"],
            "scores": view["scores"], "verdict": view["verdict"],
            "findings": [_finding_json(f, view["scores"]) for f in view["findings"]]}


@main.command()
@click.argument("quote_ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Analyse every quote.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable results instead of a table.")
@click.pass_obj
@friendly_errors
def analyze(obj: Context, quote_ids: tuple[str, ...], all_: bool, as_json: bool) -> None:
    """Align every hop of QUOTE_IDS (or --all) and flag drift; shows progress and a summary."""
    from rich.table import Table

    if not quote_ids and not all_:
        raise click.UsageError("name one or more quotes, or pass --all")
    with read_session(obj.engine) as session:
        ids = ([q.id for q in session.exec(select(Quote).order_by(Quote.slug)).all()] if all_
               else [lineage.get_quote(session, ref).id for ref in quote_ids])
    edges = _analyze(obj, ids, actor="cli:analyze", transient=as_json)
    with read_session(obj.engine) as session:
        hops = [_hop_json(session, session.get(Derivation, e)) for e in edges]
    if as_json:
        click.echo(json.dumps({"hops": hops}, ensure_ascii=False, indent=2))
        return
    table = Table(title="Drift by hop", show_lines=False)
    for col_name in ("quote", "hop", "basis", "chrF", "coverage", "minor", "major", "critical", "main findings"):
        table.add_column(col_name, overflow="fold")
    for h in hops:
        sev = {s: sum(1 for f in h["findings"] if f["severity"] == s) for s in ("minor", "major", "critical")}
        top = [f for f in h["findings"] if f["severity"] in ("major", "critical")][:3] or h["findings"][:2]
        summary = "; ".join(f"{f['category']}: {_short(f)}" for f in top)
        sc = h["scores"]
        table.add_row(h["quote"]["slug"], f"{h['parent']['key']} → {h['child']['key']}", h["basis"] or "-",
                      f"{sc['chrf']:.2f}" if isinstance(sc.get("chrf"), (int, float)) else "-",
                      f"{sc['coverage']:.2f}" if isinstance(sc.get("coverage"), (int, float)) else "-",
                      str(sev["minor"]), Text(str(sev["major"]), style=SEVERITY_STYLE["major"] if sev["major"] else ""),
                      Text(str(sev["critical"]), style=SEVERITY_STYLE["critical"] if sev["critical"] else ""), summary)
    console.print(table)
    console.print(Text("Findings are machine-made (analyzer " + (hops[0]["analyzer_version"] or "?") +
                       "): review them before relying on them.", style="dim") if hops else "no hops to analyse")


def _short(f: dict[str, Any]) -> str:
    """The changed words: from the comparison texts when the hop went through a pivot."""
    details = f.get("details") or {}
    p = (details.get("parent_pivot") or f["parent_span"] or {}).get("exact")
    c = (details.get("child_pivot") or f["child_span"] or {}).get("exact")
    if p and c:
        return f"“{p[:40]}” → “{c[:40]}”"
    return f"“{(p or c or '')[:60]}”"


def _highlight(text: str, spans: list[tuple[int, int, str]]) -> Text:
    """Text with spans styled and marked in words too ([-dropped-], {+added+}, [~changed~]), not by colour alone."""
    marks = {"delete": ("[-", "-]", "bold red strike"), "insert": ("{+", "+}", "bold green"),
             "replace": ("[~", "~]", "bold yellow")}
    out = Text()
    pos = 0
    for start, end, kind in sorted(spans):
        if start < pos:
            continue
        out.append(text[pos:start])
        left, right, style = marks[kind]
        out.append(left + text[start:end] + right, style=style)
        pos = end
    out.append(text[pos:])
    return out


def _side_spans(beads: list[dict[str, Any]], side: str, key: str) -> list[tuple[int, int, str]]:
    spans = []
    for b in beads:
        for op in b["ops"]:
            span = op.get(key)
            if op["op"] != "equal" and span:
                spans.append((span[0], span[1], op["op"]))
    return spans


@main.command()
@click.argument("rendition_id")
@click.option("--parent", "parent_id", default=None, help="Parent id or SLUG:KEY when the rendition has several.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable results.")
@click.pass_obj
@friendly_errors
def drift(obj: Context, rendition_id: str, parent_id: str | None, as_json: bool) -> None:
    """Show one hop side by side, changed spans highlighted, findings listed (analyses it if needed)."""
    from rich.table import Table

    from provenance import analysis, review

    def look(w: writes.Write) -> tuple[dict[str, Any], dict[str, Any]]:
        session = w.session
        child = lineage.get_rendition(session, rendition_id)
        edge = lineage.get_derivation(session, child_id=child.id,
                                      parent_id=lineage.get_rendition(session, parent_id).id if parent_id else None)
        view = review.drift_view(session, child, edge.parent_id)
        if not view["analyzed"]:
            analysis.Analyzer.from_settings(obj.settings).analyze(w, edge)
            view = review.drift_view(session, child, edge.parent_id)
        return view, _hop_json(session, edge)

    view, hop = obj.write(look, actor="cli:drift")
    if as_json:
        click.echo(json.dumps(hop, ensure_ascii=False, indent=2))
        return
    parent, child_v, al = view["parent"], view["child"], view["alignment"] or {"beads": []}
    console.print(Text.assemble(("hop ", "dim"), (f"{parent['key']} [{parent['language']}]", "bold"), " → ",
                                (f"{child_v['key']} [{child_v['language']}]", "bold"),
                                (f"  {view['derivation']['relation']}; basis: {view['basis']}", "dim")))
    console.print(Text(view["basis_detail"] or "", style="dim"))
    for who in (parent, child_v):
        if who["status"] != "attested":
            console.print(Text(f"{who['key']} is {who['status'].upper()}: {who['status_meaning']}", style=STATUS_STYLE[who["status"]]))
    table = Table(show_lines=True, expand=True)
    table.add_column(f"parent · {parent['key']}")
    table.add_column(f"child · {child_v['key']}")
    pivot = al.get("parent_pivot") is not None and al.get("child_pivot") is not None
    ptext, ctext = parent["text"] or "", child_v["text"] or ""
    if pivot:
        table.add_row(Text(ptext), Text(ctext))
        table.add_row(_highlight(al["parent_pivot"], _side_spans(al["beads"], "parent", "parent_pivot_span")),
                      _highlight(al["child_pivot"], _side_spans(al["beads"], "child", "child_pivot_span")))
        console.print(Text(f"second row: comparison texts in {al.get('pivot_language')} ({view['basis']})", style="dim"))
    else:
        table.add_row(_highlight(ptext, _side_spans(al["beads"], "parent", "parent_span")),
                      _highlight(ctext, _side_spans(al["beads"], "child", "child_span")))
    console.print(table)
    console.print(Text("[-dropped-]  {+added+}  [~changed~]", style="dim"))
    if not view["findings"]:
        console.print("no findings on this hop")
    for f in view["findings"]:
        label = "machine" if f["origin"] == "machine" else f"note by {f['author']}"
        line = Text.assemble((f"{f['severity'].upper():<8}", SEVERITY_STYLE[f["severity"]]), f" {f['category']:<22} ",
                             f["explanation"], (f"  [{label}; basis {f['basis']}]", "dim"))
        if f["review"]:
            line.append(f"  {f['review']['verdict']} by {f['review']['reviewer']}", style="italic")
        console.print(line)


@main.command("suggest-parents")
@click.argument("rendition_id")
@click.pass_obj
@friendly_errors
def suggest_parents(obj: Context, rendition_id: str) -> None:
    """Rank the other renditions of the quote as candidate parents of RENDITION_ID."""
    from provenance import analysis

    analyzer = analysis.Analyzer.from_settings(obj.settings)
    with read_session(obj.engine) as session:  # translations first, holding no lock
        analyzer.prefetch(session, [lineage.get_rendition(session, rendition_id).quote_id])
    ranked = obj.write(lambda w: analysis.suggest_parents(w, lineage.get_rendition(w.session, rendition_id), analyzer),
                       actor="cli:suggest-parents")  # a write: a live translation is kept in the cache
    if not ranked:
        console.print("no candidate parents with text in a comparison space")
    for i, c in enumerate(ranked, 1):
        mark = "  <- current parent" if c["current_parent"] else ""
        console.print(f"{i:>2}. {c['key']:<22} [{c['language']}] {c['status']:<13} shared wording {c['score']:.3f} "
                      f"similarity {c['similarity']:.3f}  (basis {c['basis']})  {c['id']}{mark}")
        if c["shared"]:
            console.print("      shares: " + ", ".join(f'"{w}"' for w in c["shared"]), markup=False)


@main.command()
@click.argument("rendition_id")
@click.option("--text", required=True, help="The translation into the pivot language.")
@click.option("--author", required=True, help="Who wrote it.")
@click.option("--language", default=None, help="Language of the gloss (default: the pivot language).")
@click.pass_obj
@friendly_errors
def gloss(obj: Context, rendition_id: str, text: str, author: str, language: str | None) -> None:
    """Add a human gloss (translation into the pivot language) to RENDITION_ID."""
    from provenance.languages import normalize_language

    lang = normalize_language(language or obj.settings.pivot_language)
    def add(w: writes.Write) -> tuple[Any, Any]:
        rendition = lineage.get_rendition(w.session, rendition_id)
        return rendition, lineage.add_gloss(w, rendition=rendition, language=lang, text=text, author=author)

    rendition, g = obj.write(add, actor="cli")
    console.print(f"gloss {g.id} added to {rendition.key} ({lang}, by {author})")


# ---------------------------------------------------------------- building and fixing a chain

RELATIONS = ("translation", "quotation", "republication", "excerpt", "paraphrase", "back_translation", "revision")
SOURCE_KINDS = ("speaker", "interpreter", "agency", "newspaper", "broadcaster", "government", "social", "other")


def _checked(model: Any, data: dict[str, Any]) -> Any:
    """``data`` validated by a schema of the chain document, its first problem as one line a person can act on."""
    from pydantic import ValidationError

    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"]) or "input"
        raise InvalidInput(f"{field}: {err['msg'].removeprefix('Value error, ')}",
                           field_errors=[{"field": field, "message": err["msg"]}]) from None


@main.command("add-quote")
@click.argument("slug")
@click.option("--speaker", required=True, help="Who said it.")
@click.option("--language", "original_language", required=True, help="BCP-47 language the words were said in.")
@click.option("--role", "speaker_role", default=None, help="The speaker's role (Foreign Minister of ...).")
@click.option("--said-on", default=None, help="YYYY-MM-DD.")
@click.option("--occasion", default=None)
@click.option("--place", default=None)
@click.option("--summary", default=None)
@click.pass_obj
@friendly_errors
def add_quote(obj: Context, slug: str, **fields: Any) -> None:
    """Record a new quote SLUG (then add its renditions with `add-rendition`)."""
    from provenance.schemas import QuoteDoc

    doc = _checked(QuoteDoc, {"slug": slug, **fields, "renditions": []})
    quote = obj.write(lambda w: lineage.add_quote(
        w, slug=doc.slug, speaker=doc.speaker, original_language=doc.original_language, speaker_role=doc.speaker_role,
        occasion=doc.occasion, place=doc.place, said_on=doc.said_on, summary=doc.summary), actor="cli")
    console.print(f"quote {quote.slug} recorded (id {quote.id})")


@main.command("add-rendition")
@click.argument("quote_id")
@click.option("--key", required=True, help="Short name, unique in the quote (afp-en).")
@click.option("--language", required=True, help="BCP-47 language of the text.")
@click.option("--status", type=click.Choice(["attested", "claimed", "reconstructed"]), default="attested",
              show_default=True)
@click.option("--text", default=None, help="The words as printed (or --text-file).")
@click.option("--text-file", type=click.File(encoding="utf-8"), default=None, help="Read the words from a file.")
@click.option("--source", default=None, help="The outlet or person it comes from.")
@click.option("--source-kind", type=click.Choice(SOURCE_KINDS), default=None)
@click.option("--url", default=None)
@click.option("--byline", default=None)
@click.option("--published", "published_at", default=None, help="ISO 8601 time (UTC when no zone).")
@click.option("--retrieved", "retrieved_at", default=None, help="ISO 8601 time (UTC when no zone).")
@click.option("--note", default=None, help="Why it has this status (claimed, reconstructed).")
@click.option("--parent", default=None, help="Key of the rendition it was made from.")
@click.option("--relation", type=click.Choice(RELATIONS), default="translation", show_default=True)
@click.option("--translator", "translator_kind", type=click.Choice(["human", "machine", "unknown"]), default="unknown",
              show_default=True)
@click.option("--translator-name", default=None)
@click.option("--evidence", default=None, help="The words that say where it came from.")
@click.option("--link", type=click.Choice(["stated", "inferred"]), default="stated", show_default=True)
@click.option("--same-text", is_flag=True, help="Record it even if the quote already holds the same words.")
@click.option("--analyze/--no-analyze", "analyze_", default=True, show_default=True,
              help="Analyse the new hop at once.")
@click.pass_obj
@friendly_errors
def add_rendition(obj: Context, quote_id: str, text_file: Any, parent: str | None, relation: str,
                  translator_kind: str, translator_name: str | None, evidence: str | None, link: str,
                  source_kind: str | None, same_text: bool, analyze_: bool, **fields: Any) -> None:
    """Add a rendition to QUOTE_ID, linked to its parent; a text the quote already holds is refused."""
    from provenance.schemas import RenditionDoc

    if text_file is not None:
        fields["text"] = text_file.read()
    links = [{"parent": parent, "relation": relation, "translator": {"kind": translator_kind, "name": translator_name},
              "evidence": evidence, "link": link}] if parent else []
    doc = _checked(RenditionDoc, {**fields, "derived_from": [{k: v for k, v in d.items() if v is not None}
                                                              for d in links]})

    def run(w: writes.Write) -> Rendition:
        quote = lineage.get_quote(w.session, quote_id)
        return chain.add_rendition_from_doc(w, quote=quote, doc=doc, source_kind=source_kind,
                                            allow_same_text=same_text)

    rendition = obj.write(run, actor="cli")
    console.print(f"rendition {rendition.key} added (id {rendition.id})")
    if parent and analyze_:  # the new hop only, its comparison texts fetched first, holding no lock
        from provenance import analysis

        analyzer = analysis.Analyzer.from_settings(obj.settings)
        with read_session(obj.engine) as session:
            analyzer.prefetch(session, [rendition.quote_id])
        (edge,) = obj.write(lambda w: analysis.analyze_rendition(w, lineage.get_rendition(w.session, rendition.id),
                                                                 analyzer), actor="cli:add-rendition")
        with read_session(obj.engine) as session:
            verdict = _hop_json(session, session.get(Derivation, edge.id))["verdict"]
        console.print(f"{parent} → {rendition.key}: {verdict or 'not analysed'}")


@main.command()
@click.argument("child_id")
@click.argument("parent_id")
@click.option("--relation", type=click.Choice(RELATIONS), default="translation", show_default=True)
@click.option("--translator", "translator_kind", type=click.Choice(["human", "machine", "unknown"]), default="unknown",
              show_default=True)
@click.option("--translator-name", default=None)
@click.option("--evidence", default=None)
@click.option("--link", "link_basis", type=click.Choice(["stated", "inferred"]), default="stated", show_default=True)
@click.pass_obj
@friendly_errors
def link(obj: Context, child_id: str, parent_id: str, **fields: Any) -> None:
    """Record that CHILD_ID was made from PARENT_ID (ids or SLUG:KEY); a cycle is refused."""
    def run(w: writes.Write) -> Derivation:
        child = lineage.get_rendition(w.session, child_id)
        return lineage.add_derivation(w, child=child, parent=lineage.get_rendition(w.session, parent_id), **fields)

    edge = obj.write(run, actor="cli")
    console.print(f"linked: {parent_id} → {child_id} ({edge.relation}, derivation {edge.id})")


@main.command()
@click.argument("child_id")
@click.argument("parent_id")
@click.pass_obj
@friendly_errors
def unlink(obj: Context, child_id: str, parent_id: str) -> None:
    """Remove the link from PARENT_ID to CHILD_ID (kept, with a message, when people annotated it)."""
    def run(w: writes.Write) -> None:
        child = lineage.get_rendition(w.session, child_id)
        parent = lineage.get_rendition(w.session, parent_id)
        lineage.remove_derivation(w, edge=lineage.get_derivation(w.session, child_id=child.id, parent_id=parent.id))

    obj.write(run, actor="cli")
    console.print(f"unlinked: {parent_id} → {child_id}")


@main.command()
@click.argument("rendition_id")
@click.option("--source", default=None, help="The outlet or person it comes from ('' clears it).")
@click.option("--source-kind", type=click.Choice(SOURCE_KINDS), default="other", show_default=True)
@click.option("--url", default=None)
@click.option("--byline", default=None)
@click.option("--published", "published_at", default=None, help="ISO 8601 time (UTC when no zone).")
@click.option("--retrieved", "retrieved_at", default=None, help="ISO 8601 time (UTC when no zone).")
@click.option("--note", default=None)
@click.option("--clear", multiple=True, type=click.Choice(lineage.CORRECTABLE), help="Clear this field (repeatable).")
@click.pass_obj
@friendly_errors
def correct(obj: Context, rendition_id: str, source: str | None, source_kind: str, clear: tuple[str, ...],
            **fields: Any) -> None:
    """Correct where RENDITION_ID comes from; its text is immutable (add a `revision` rendition for that)."""
    from provenance.schemas import as_aware

    changes: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
    for name in ("published_at", "retrieved_at"):
        if name in changes:
            try:
                changes[name] = as_aware(datetime.fromisoformat(changes[name].replace("Z", "+00:00")))
            except ValueError:
                raise InvalidInput(f"{name}: '{changes[name]}' is not an ISO 8601 time (2024-11-01T14:00:00Z)",
                                   field_errors=[{"field": name, "message": "not a time"}]) from None
    changes.update({name: None for name in clear})
    if not changes and source is None:
        raise click.UsageError("nothing to correct: pass --url, --byline, --published, --retrieved, --note, --source "
                               "or --clear")

    def run(w: writes.Write) -> Rendition:
        rendition = lineage.get_rendition(w.session, rendition_id)
        return lineage.correct_rendition(w, rendition=rendition, changes=changes, source=source,
                                         source_kind=source_kind)

    rendition = obj.write(run, actor="cli")
    console.print(f"rendition {rendition.key} corrected: {', '.join([*changes, *(['source'] if source is not None else [])])}")


# ---------------------------------------------------------------- keys and audit

@main.group("keys")
def keys_group() -> None:
    """API keys (stored only as hashes)."""


@keys_group.command("create")
@click.option("--role", type=click.Choice(["reader", "editor", "admin"]), required=True)
@click.option("--name", required=True, help="Who holds the key.")
@click.pass_obj
@friendly_errors
def keys_create(obj: Context, role: str, name: str) -> None:
    """Create a key and print it once; only its hash is kept."""
    from provenance import keys

    row, secret = obj.write(lambda w: keys.create_key(w, name=name, role=role), actor="cli")
    err_console.print(f"created key {row.prefix}… ({row.id}) for {row.name}, role {row.role}; "
                      "it is shown once, store it now:")
    click.echo(secret)


@keys_group.command("list")
@click.pass_obj
@friendly_errors
def keys_list(obj: Context) -> None:
    """List keys (never the keys themselves)."""
    from provenance import keys

    with read_session(obj.engine) as session:
        for row in keys.list_keys(session):
            state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
            console.print(f"{row.id}  {row.prefix}…  {row.role:<6}  {state:<18}  {row.name}")


@keys_group.command("revoke")
@click.argument("key_id")
@click.pass_obj
@friendly_errors
def keys_revoke(obj: Context, key_id: str) -> None:
    """Revoke a key by its id or its visible prefix."""
    from provenance import keys

    row = obj.write(lambda w: keys.revoke_key(w, ref=key_id), actor="cli")
    console.print(f"revoked {row.prefix}… ({row.name})")


@main.group("audit")
def audit_group() -> None:
    """The hash-chained audit log."""


@audit_group.command("verify")
@click.option("--expect-head", default=None, metavar="COUNT:HASH",
              help="A head printed earlier by `provenance audit head` and kept elsewhere: the log must still hold it.")
@click.pass_obj
@friendly_errors
def audit_verify(obj: Context, expect_head: str | None) -> None:
    """Re-walk the audit chain, check its signed head and that every audited row matches its latest event.

    Exits 1, naming what does not match, when the log or the data was tampered with.
    """
    from provenance import audit

    expected = audit.Head.parse(expect_head) if expect_head else None
    progress = _progress_bar(transient=True)
    with progress, read_session(obj.engine) as session:
        task = progress.add_task("verifying", total=None)
        result = audit.verify(session, key=obj.audit_key, expect_head=expected,
                              progress=lambda stage, n: progress.update(task, description=f"verifying {stage}",
                                                                         completed=n))
    if result.ok:
        console.print(f"audit log intact: {result.events} events, head {result.head}; "
                      f"{result.records_checked} records match their latest event")
        return
    where = f" at event #{result.first_broken_seq} ({result.first_broken_id})" if result.first_broken_seq else ""
    err_console.print(f"[bold red]audit log broken[/]{where}: {result.reason}", soft_wrap=True)
    for line in result.problems[1:20]:
        err_console.print(f"  {line}", soft_wrap=True)
    if len(result.problems) > 20:
        err_console.print(f"  … and {len(result.problems) - 20} more", soft_wrap=True)
    sys.exit(1)


@audit_group.command("head")
@click.pass_obj
@friendly_errors
def audit_head(obj: Context) -> None:
    """Print the log's head (COUNT:HASH) to keep elsewhere; `audit verify --expect-head` checks it later."""
    from provenance import audit

    with read_session(obj.engine) as session:
        click.echo(str(audit.head(session)))


# ---------------------------------------------------------------- serve

@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.pass_obj
@friendly_errors
def serve(obj: Context, host: str, port: int, workers: int) -> None:
    """Start the HTTP service (API, docs and web page)."""
    import uvicorn

    obj.audit_key  # noqa: B018 - a missing audit key is said now, in one line, not at the first write
    os.environ["PROVENANCE_DATABASE_URL"] = obj.settings.database_url
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers)


if __name__ == "__main__":  # pragma: no cover
    main()
