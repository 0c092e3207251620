"""schemathesis against our own OpenAPI schema: no 5xx, every response conforms (editor key supplied)."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES
from hypothesis import HealthCheck, settings

from api.app import create_app
from provenance import chain, keys, migrate, writes
from provenance.db import make_engine
from provenance.settings import Settings

_DIR = Path(__import__("tempfile").mkdtemp(prefix="schemathesis-"))
_URL = f"sqlite:///{_DIR / 'p.db'}"
SETTINGS = Settings(database_url=_URL, rate_limit_per_minute=1_000_000, audit_key="schemathesis")
migrate.upgrade(_URL)
with writes.write(make_engine(_URL), actor="schemathesis", audit_key=b"schemathesis") as _w:
    chain.import_document(_w, chain.founding_document())
    _, EDITOR_KEY = keys.create_key(_w, name="schemathesis", role="editor")

APP = create_app(SETTINGS)
#: A body over 1 MiB is refused with 413 (documented); schemathesis does not count 413 as a
#: rejection of invalid data unless told.
CONFIG = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
    "expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413"]}}})
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", APP, config=CONFIG)


#: allow_header_conformance: litestar#4169, the automatic OPTIONS reply lists one method when GET and
#: POST share a path (fixed only in Litestar 3). positive_data_acceptance: some schema-valid requests
#: are refused on purpose by rules a schema cannot state (an unknown cursor, a blank text, a cycle,
#: a chain document that is not a mapping); they get a documented 4xx problem, never a 5xx.
EXCLUDED = [schemathesis.checks.allow_header_conformance, schemathesis.checks.positive_data_acceptance]


@schema.parametrize()
# derandomize: the same cases on every run, so CI does not pass or fail by chance; raise max_examples
# locally to explore further.
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms(case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {EDITOR_KEY}"}, excluded_checks=EXCLUDED)
