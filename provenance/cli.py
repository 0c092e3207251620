"""The ``provenance`` command: a thin click shell over the domain.

Each command parses its arguments, calls one domain function and shapes the
output. Domain errors are printed as one line and exit with status 1; there is
never a traceback for a mistake a person can fix.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click
from rich.console import Console
from rich.text import Text
from rich.tree import Tree
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, select

from provenance import chain, lineage, migrate
from provenance.db import make_engine, transaction
from provenance.errors import ProvenanceError
from provenance.languages import language_name
from provenance.models import Derivation, Quote, Rendition, Source
from provenance.schemas import chain_document_schema
from provenance.settings import Settings

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

STATUS_STYLE = {"attested": "bold green", "claimed": "bold yellow", "reconstructed": "bold magenta"}


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine = None

    @property
    def engine(self):  # type: ignore[no-untyped-def]
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine


def friendly_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a person can act on into one line on stderr and exit status 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ProvenanceError as exc:
            err_console.print(f"[bold red]error:[/] {exc.message}", soft_wrap=True)
            sys.exit(1)
        except (OperationalError, ProgrammingError) as exc:
            text = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
            if "no such table" in text or "does not exist" in text:
                text += " (the database has no tables yet: run `provenance db upgrade`)"
            err_console.print(f"[bold red]error:[/] database: {text}", soft_wrap=True)
            sys.exit(1)

    return wrapper


@click.group()
@click.option("--database-url", envvar="PROVENANCE_DATABASE_URL", default=None,
              help="Database URL (default: PROVENANCE_DATABASE_URL or sqlite:///data/provenance.db).")
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Track a quote's chain of renditions back to its origin, and what changed at each hop."""
    settings = Settings.from_env()
    if database_url:
        settings = Settings(**{**settings.__dict__, "database_url": database_url})
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
    """Apply the migrations (to the newest revision unless REVISION is given)."""
    make_engine(obj.settings.database_url).dispose()  # creates the SQLite folder
    migrate.upgrade(obj.settings.database_url, revision)
    console.print(f"database at revision {migrate.current_revision(obj.engine)}")


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
@click.pass_obj
@friendly_errors
def seed(obj: Context, if_empty: bool) -> None:
    """Load the founding chain (Choe Son Hui and Sergei Lavrov, Moscow, 1 November 2024)."""
    doc = chain.founding_document()
    with transaction(obj.engine) as session:
        if if_empty and session.exec(select(Quote.id).limit(1)).first():
            console.print("database already holds quotes: founding chain not loaded")
            return
        created = chain.import_document(session, doc, actor="cli:seed", skip_existing=True)
    if created:
        console.print(f"loaded {len(created)} quotes: " + ", ".join(q.slug for q in created))
    else:
        console.print("founding chain already loaded")


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.pass_obj
@friendly_errors
def import_(obj: Context, files: tuple[str, ...]) -> None:
    """Import chain documents (YAML or JSON); all of them or nothing."""
    docs = [(f, chain.load_file(f)) for f in files]  # every file is validated before anything is written
    with transaction(obj.engine) as session:
        created = []
        for name, doc in docs:
            created += chain.import_document(session, doc, actor="cli:import", origin=name)
    for q in created:
        console.print(f"imported {q.slug}  ({q.id})")


@main.command()
@click.argument("quote_ids", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True)
@click.pass_obj
@friendly_errors
def export(obj: Context, quote_ids: tuple[str, ...], fmt: str) -> None:
    """Print QUOTE_IDS (ids or slugs) as a chain document that `import` reads back."""
    with Session(obj.engine) as session:
        quotes = [lineage.get_quote(session, ref) for ref in quote_ids]
        doc = chain.export_document(session, quotes)
    click.echo(chain.dump_document(doc, fmt=fmt))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the chain document."""
    click.echo(json.dumps(chain_document_schema(), indent=2, ensure_ascii=False))


# ---------------------------------------------------------------- show

def status_badge(status: str) -> Text:
    label = {"attested": "ATTESTED", "claimed": "CLAIMED · not located",
             "reconstructed": "RECONSTRUCTED · our stand-in"}[status]
    return Text(f"[{label}]", style=STATUS_STYLE[status])


def _node_label(r: Rendition, source: Source | None, edge: Derivation | None) -> Text:
    label = Text()
    if edge is not None:
        label.append(f"{edge.relation}", style="cyan")
        label.append(f" ({edge.translator_kind}{': ' + edge.translator_name if edge.translator_name else ''}, "
                     f"{edge.link_basis}) → ", style="dim")
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
        node = tree.add(_node_label(r, sources.get(r.source_id or ""), edge))
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
    with Session(obj.engine) as session:
        quote = lineage.get_quote(session, quote_id)
        console.print(lineage_tree(session, quote))


@main.command("list")
@click.pass_obj
@friendly_errors
def list_(obj: Context) -> None:
    """List the recorded quotes."""
    with Session(obj.engine) as session:
        for q in session.exec(select(Quote).order_by(Quote.said_on, Quote.slug)).all():
            console.print(f"{q.slug}  {q.speaker}  {q.said_on or ''}  [{q.original_language}]")


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

    with transaction(obj.engine) as session:
        row, secret = keys.create_key(session, name=name, role=role, actor="cli")
    err_console.print(f"created key {row.prefix}… ({row.id}) for {row.name}, role {row.role}; "
                      "it is shown once, store it now:")
    click.echo(secret)


@keys_group.command("list")
@click.pass_obj
@friendly_errors
def keys_list(obj: Context) -> None:
    """List keys (never the keys themselves)."""
    from provenance import keys

    with Session(obj.engine) as session:
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

    with transaction(obj.engine) as session:
        row = keys.revoke_key(session, ref=key_id, actor="cli")
    console.print(f"revoked {row.prefix}… ({row.name})")


@main.group("audit")
def audit_group() -> None:
    """The hash-chained audit log."""


@audit_group.command("verify")
@click.pass_obj
@friendly_errors
def audit_verify(obj: Context) -> None:
    """Re-walk the audit chain; exit 1 and name the first broken event if it was tampered with."""
    from provenance import audit

    with Session(obj.engine) as session:
        result = audit.verify(session)
    if result.ok:
        console.print(f"audit log intact: {result.events} events")
        return
    err_console.print(f"[bold red]audit log broken[/] at event #{result.first_broken_seq} ({result.first_broken_id}): "
                      f"{result.reason}")
    sys.exit(1)


# ---------------------------------------------------------------- serve

@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.pass_obj
def serve(obj: Context, host: str, port: int, workers: int) -> None:
    """Start the HTTP service (API, docs and web page)."""
    import os

    import uvicorn

    os.environ["PROVENANCE_DATABASE_URL"] = obj.settings.database_url
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers)


if __name__ == "__main__":  # pragma: no cover
    main()
