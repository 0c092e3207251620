from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from litestar.testing import TestClient

from api.app import create_app
from provenance import keys
from tests.support.writing import writing


@dataclass
class Api:
    client: TestClient
    db: object
    editor: dict[str, str]
    admin: dict[str, str]
    reader: dict[str, str]


def make_keys(engine) -> dict[str, dict[str, str]]:
    out = {}
    with writing(engine) as w:
        for role in ("reader", "editor", "admin"):
            _, secret = keys.create_key(w, name=f"test {role}", role=role)
            out[role] = {"Authorization": f"Bearer {secret}"}
    return out


@pytest.fixture(name="fx_api")
def fixture_api(fx_seeded) -> Iterator[Api]:
    settings = fx_seeded.settings
    with TestClient(app=create_app(settings)) as client:
        k = make_keys(fx_seeded)
        yield Api(client, fx_seeded, k["editor"], k["admin"], k["reader"])
