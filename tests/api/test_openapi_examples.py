"""Every field and parameter of the OpenAPI document has an example, and every example is valid for it."""

from __future__ import annotations

import jsonschema
import pytest

from api.app import create_app
from provenance.settings import Settings


@pytest.fixture(name="fx_schema", scope="module")
def fixture_schema(tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("openapi") / "schema.db"
    return create_app(Settings(database_url=f"sqlite:///{db}")).openapi_schema.to_schema()


def _documented_elsewhere(prop: dict) -> bool:
    if "$ref" in prop or "$ref" in prop.get("items", {}):
        return True
    return any(_documented_elsewhere(p) for p in prop.get("oneOf", []) + prop.get("anyOf", []) if p.get("type") != "null")


def test_every_field_has_an_example_that_fits_it(fx_schema) -> None:
    missing, invalid, checked = [], [], 0
    for name, component in fx_schema["components"]["schemas"].items():
        for prop_name, prop in component.get("properties", {}).items():
            if _documented_elsewhere(prop):
                continue
            examples = prop.get("examples")
            if not examples:
                missing.append(f"{name}.{prop_name}")
                continue
            for example in examples:
                checked += 1
                try:
                    jsonschema.validate(example, prop, cls=jsonschema.Draft202012Validator)
                except jsonschema.ValidationError as exc:
                    invalid.append(f"{name}.{prop_name}: {example!r}: {exc.message}")
    assert not missing, f"fields without an example: {missing}"
    assert not invalid, "examples that do not fit their field:\n" + "\n".join(invalid)
    assert checked > 200


def test_every_parameter_has_an_example_from_the_founding_chain(fx_schema) -> None:
    missing = []
    for path, item in fx_schema["paths"].items():
        for method, operation in item.items():
            for p in operation.get("parameters", []) if isinstance(operation, dict) else []:
                examples = p.get("schema", {}).get("examples") or p.get("examples")
                if not examples:
                    missing.append(f"{method.upper()} {path} {p['name']}")
                else:
                    jsonschema.validate(examples[0], p["schema"], cls=jsonschema.Draft202012Validator)
    assert not missing, missing
    graph = fx_schema["paths"]["/api/quotes/{quote_id}/graph"]["get"]["parameters"]
    assert graph[0]["schema"]["examples"] == ["choe-2024-11-01-until-the-day-of-victory"]


def test_examples_answer_on_a_database_holding_the_founding_chain(fx_api) -> None:
    """The path examples are not decoration: pasted into Swagger UI they work against the seeded chain."""
    from api.examples import PARAMETERS

    assert fx_api.client.get(f"/api/quotes/{PARAMETERS['quote_id']}/graph").status_code == 200
    assert fx_api.client.get(f"/api/renditions/{PARAMETERS['rendition_id']}/lineage").status_code == 200
    r = fx_api.client.get(f"/api/renditions/{PARAMETERS['rendition_id']}/drift",
                          params={"parent_id": PARAMETERS["parent_id"]})
    assert r.status_code == 200, r.text
