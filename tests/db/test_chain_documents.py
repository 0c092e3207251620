"""Chain documents: all-or-nothing import with errors that say where, and round trips."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
import yaml
from sqlmodel import Session, func, select

from provenance import chain
from tests.support.writing import writing
from provenance.errors import ChainDocumentError, Conflict
from provenance.models import AuditEvent, Gloss, Quote, Rendition
from provenance.schemas import chain_document_schema

DOC = {
    "version": 1,
    "sources": [{"name": "Agency", "kind": "agency"}],
    "quotes": [{
        "slug": "speaker-test-quote",
        "speaker": "A Speaker",
        "original_language": "fr",
        "renditions": [
            {"key": "fr", "language": "fr", "status": "attested", "source": "Agency",
             "text": "Nous ne céderons jamais devant la menace, a déclaré le ministre."},
            {"key": "en", "language": "en", "status": "attested",
             "text": "We will never give in to the threat, the minister said.",
             "derived_from": [{"parent": "fr", "relation": "translation", "evidence": "translated by the agency"}]},
        ],
    }],
}


def _counts(engine) -> tuple[int, int, int]:
    with Session(engine) as s:
        return (s.exec(select(func.count()).select_from(Quote)).one(),
                s.exec(select(func.count()).select_from(Rendition)).one(),
                s.exec(select(func.count()).select_from(AuditEvent)).one())


def _import(engine, doc: dict, origin: str = "doc.yaml") -> None:
    parsed = chain.parse_document(yaml.safe_dump(doc, allow_unicode=True), origin=origin)
    with writing(engine) as w:
        chain.import_document(w, parsed, origin=origin)


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["quotes"][0]["renditions"][1]["derived_from"][0].update(parent="nope"),
     "doc.yaml: quote 'speaker-test-quote', rendition 'en', field 'derived_from[0].parent': no rendition with key 'nope'"),
    (lambda d: d["quotes"][0]["renditions"][0].update(derived_from=[{"parent": "en"}]),
     "the derivations form a cycle"),
    (lambda d: d["quotes"][0]["renditions"][1].update(language="xx"),
     "quote 'speaker-test-quote', rendition 'en', field 'language'"),
    (lambda d: d["quotes"][0]["renditions"][1].update(lang="en"),
     "rendition 'en', field 'lang': unknown field"),
    (lambda d: d["quotes"][0]["renditions"][1].update(status="rumoured"),
     "field 'status'"),
    (lambda d: d["quotes"][0]["renditions"][1].pop("text"),
     "a rendition with status 'attested' needs its text"),
    (lambda d: d["quotes"][0]["renditions"][0].update(source="Nobody"),
     "'Nobody' is not listed under 'sources'"),
    (lambda d: d["quotes"][0]["renditions"][1].update(key="fr"),
     "rendition key 'fr' is used twice"),
])
def test_bad_document_is_refused_with_where_and_what_and_writes_nothing(fx_db, mutate, expected) -> None:
    doc = copy.deepcopy(DOC)
    mutate(doc)
    before = _counts(fx_db.engine)
    with pytest.raises(ChainDocumentError) as err:
        _import(fx_db.engine, doc)
    assert expected in err.value.message
    assert _counts(fx_db.engine) == before


def test_failure_in_second_quote_rolls_back_the_first(fx_db) -> None:
    _import(fx_db.engine, DOC)
    second = copy.deepcopy(DOC)
    second["quotes"][0]["slug"] = "another-slug-here"
    dup = copy.deepcopy(DOC["quotes"][0])  # slug already taken in the database
    second["quotes"].append(dup)
    before = _counts(fx_db.engine)
    with pytest.raises(Conflict, match="already recorded"):
        _import(fx_db.engine, second)
    assert _counts(fx_db.engine) == before


def test_round_trip_of_the_founding_chain(fx_seeded, tmp_path) -> None:
    with Session(fx_seeded.engine) as s:
        quotes = s.exec(select(Quote).order_by(Quote.slug)).all()
        exported = chain.export_document(s, quotes)
    jsonschema.validate(exported, chain_document_schema())
    # import into a fresh database, export again: same document
    from provenance import migrate
    from provenance.db import make_engine

    url = f"sqlite:///{tmp_path / 'again.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with writing(engine) as w:
        s = w.session
        chain.import_document(w, chain.parse_document(json.dumps(exported)))
    with Session(engine) as s:
        again = chain.export_document(s, s.exec(select(Quote).order_by(Quote.slug)).all())
        assert s.exec(select(func.count()).select_from(Gloss)).one() > 0
    assert again == exported


def test_slug_is_derived_when_absent(fx_db) -> None:
    doc = copy.deepcopy(DOC)
    del doc["quotes"][0]["slug"]
    doc["quotes"][0]["said_on"] = "2024-11-01"
    _import(fx_db.engine, doc)
    with Session(fx_db.engine) as s:
        assert s.exec(select(Quote.slug)).one() == "a-speaker-2024-11-01-we-will-never-give-in"


def test_schema_accepts_the_founding_chain() -> None:
    from importlib import resources

    data = yaml.safe_load(resources.files("provenance.data").joinpath("founding_chain.yaml").read_text())
    jsonschema.validate(json.loads(json.dumps(data, default=str)), chain_document_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"quotes": [{"speaker": "x"}]}, chain_document_schema())


def test_malformed_yaml_says_where() -> None:
    with pytest.raises(ChainDocumentError, match=r"bad.yaml: not valid YAML or JSON at line 3, column 1"):
        chain.parse_document("quotes:\n  - [unclosed", origin="bad.yaml")
