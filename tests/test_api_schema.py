"""schemathesis against the API's own OpenAPI schema: generated requests, valid (positive) and malformed
(negative), for every operation, never get a 5xx. In-process over ASGI, on a store of the project's
samples. (schemathesis' pytest plugin does not load under pytest 9, so operations are driven directly.)"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from conftest import SAMPLES
from kurultai.api import create_app
from kurultai.ingest import ingest
from kurultai.sources.url import Fetcher
from kurultai.store import Store

TOKEN = "schemathesis-token"


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('schema') / 'k.db'}")
    ingest(store, [str(SAMPLES / "ru_visit_two_meetings.txt"), str(SAMPLES / "ru_ministerial_c5_japan.txt")])
    # no network here: URLs are fetched by a client whose every request fails at once
    offline = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(503)))
    app = create_app(store=store, token=TOKEN, fetcher_factory=lambda: Fetcher(retries=0, client=offline))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def operations(schema):
    ops = [result.ok() for result in schema.get_all_operations()]
    assert len(ops) >= 14, [f"{o.method} {o.path}" for o in ops]
    return ops


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors(schema, mode):
    checked = []
    for op in operations(schema):
        try:
            check(op, mode)
        except Unsatisfiable:  # an operation without parameters has no malformed form
            assert mode == GenerationMode.NEGATIVE and not op.path_parameters and not op.query, op.path
            continue
        checked.append(f"{op.method.upper()} {op.path}")
    assert "GET /api/events" in checked and "POST /api/documents" in checked
    assert {"PATCH /api/events/{event_id}", "POST /api/events/{event_id}/review", "POST /api/events/merge",
            "POST /api/events/{event_id}/split", "GET /api/events/{event_id}/history"} <= set(checked)


def check(op, mode) -> None:
    # POST /api/documents runs the whole pipeline: with the token, fewer examples keep the suite quick
    write = op.method.upper() in ("POST", "PATCH")

    @given(case=op.as_strategy(generation_mode=mode))
    @settings(max_examples=8 if write else 25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case):
        if write:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
        case.call_and_validate(checks=[not_a_server_error])

    run()
