"""The chain document again: what ``import`` reads back."""

from sqlmodel import Session

from provenance import chain
from provenance.export import register
from provenance.models import Quote


@register("json", "application/json", "json")
def render(session: Session, quote: Quote) -> str:
    return chain.dump_document(chain.export_document(session, [quote]))
