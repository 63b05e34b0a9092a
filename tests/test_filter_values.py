"""Filter values that name nothing are errors a user can act on (issue 13, item 8): the CLI says what is
wrong in one line, lists the valid ids and exits 2; the API and the pages answer 422 with the same; a
state's or an organisation's name in any language of the KB is taken for its id; `--help` lists the
topic and role ids; `search` and `export` take the same filter flags."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import typer.main
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import BACKENDS, new_store
from kurultai.api import create_app
from kurultai.cli import app as cli
from kurultai.filters import FilterError, resolve
from kurultai.models import DateRange, Document, Event, Extraction, Participant
from kurultai.store import SearchQuery

runner = CliRunner()


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    s = new_store(request.param, tmp_path_factory.mktemp("values"))
    plan = [(["KAZ", "KGZ"], ["CSTO"], ["trade"], "head_of_state", "in_person"),
            (["KGZ", "RUS"], [], ["security"], "foreign_minister", "video"),
            (["UZB", "KAZ"], ["SCO"], ["water", "trade"], "foreign_minister", "phone"),
            (["KGZ", "TJK"], [], ["borders"], "head_of_state", "in_person")]
    for i, (countries, orgs, topics, role, mode) in enumerate(plan):
        day = dt.date(2025, 1, 10) + dt.timedelta(days=30 * i)
        s.add(Extraction(document=Document(id=f"v{i}", text=f"Report {i} on talks between {' and '.join(countries)}. " * 3),
                         events=[Event(date=DateRange(start=day, end=day), countries=countries, organizations=orgs,
                                       topics=topics, mode=mode, participants=[
                                           Participant(name=f"Person {i}", name_en=f"Person {i}", role=role)])]))
    yield s
    s.close()


def ids(store, **kw) -> list[int]:
    return [e["id"] for e in store.search_dicts(resolve(SearchQuery(limit=None, **kw)))]


@pytest.mark.parametrize("name", ["Kyrgyzstan", "kyrgyzstan", "Кыргызстан", "Киргизия", "Қырғызстан", "kgz"])
def test_a_states_name_in_any_language_is_its_code(store, name):
    assert resolve(SearchQuery(country=name)).country == "KGZ"
    assert ids(store, country=name) == ids(store, country="KGZ") and len(ids(store, country="KGZ")) == 3


def test_an_organisation_by_its_name_or_abbreviation(store):
    for name in ("CSTO", "csto", "ОДКБ", "Организация Договора о коллективной безопасности"):
        assert resolve(SearchQuery(org=name)).org == "CSTO", name
    assert len(ids(store, org="ОДКБ")) == 1


@pytest.mark.parametrize(("field", "value", "listed"), [
    ("country", "Kyrgyzstn", "KGZ"), ("topic", "bogus", "trade"), ("role", "bogus", "head_of_state"),
    ("org", "bogus", "CSTO"), ("format", "C6", "C5+<ISO3>"), ("status", "bogus", "planned"),
    ("mode", "bogus", "in_person"), ("format", "C5+XYZ", "bilateral")])
def test_a_value_that_names_nothing_says_so_and_lists_the_ids(field, value, listed):
    with pytest.raises(FilterError) as exc:
        resolve(SearchQuery(**{field: value}))
    assert exc.value.param == field and repr(value) in str(exc.value) and listed in str(exc.value)


def test_ids_in_any_case_and_the_role_filter(store):
    q = resolve(SearchQuery(topic="TRADE", format="c5+rus", mode="Video", role="Head_Of_State", status="Held"))
    assert (q.topic, q.format, q.mode, q.role, q.status) == ("trade", "C5+RUS", "video", "head_of_state", "held")
    heads = ids(store, role="head_of_state")
    assert len(heads) == 2 and set(heads).isdisjoint(ids(store, role="foreign_minister"))
    q = SearchQuery(role="head_of_state", limit=50)
    assert store.page(q)[0] == 2 and store.count(q) == 2  # the in-memory index and SQL
    assert sum(s["total"] for s in store.timeline(q, by="all")["series"]) == 2
    assert store.timeline(q, by="all") == store.timeline(q, by="all", use_index=False)


def test_dates_in_order():
    with pytest.raises(FilterError, match="after"):
        resolve(SearchQuery(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 1, 1)))


# -- the command line ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def db(store):
    return store.url


@pytest.mark.parametrize("args", [["--country", "Kyrgyzstn"], ["--topic", "bogus"], ["--role", "bogus"],
                                  ["--from", "2025-03-01", "--to", "2025-01-01"], ["--from", "March"],
                                  ["--named-format", "C6"], ["--mode", "bogus"], ["--review", "bogus"]])
@pytest.mark.parametrize("command", [["search"], ["export", "-f", "csv", "-o", "OUT"]])
def test_cli_one_line_and_exit_2(db, tmp_path, command, args):
    command = [str(tmp_path / "x.csv") if c == "OUT" else c for c in command]
    r = runner.invoke(cli, [*command, *args, "--db", db])
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {args[0]}: "), r.stderr
    assert not (tmp_path / "x.csv").exists()


def test_cli_names_are_taken_and_export_has_the_filters_of_search(db, tmp_path):
    got = runner.invoke(cli, ["search", "--country", "Кыргызстан", "--mode", "in_person", "--json", "--db", db])
    assert got.exit_code == 0, got.output
    rows = json.loads(got.stdout)
    assert len(rows) == 2 and all("KGZ" in r["countries"] and r["mode"] == "in_person" for r in rows)
    out = tmp_path / "e.jsonl"
    got = runner.invoke(cli, ["export", "-f", "jsonl", "-o", str(out), "--country", "Kyrgyzstan", "--role",
                              "head_of_state", "--db", db])
    assert got.exit_code == 0, got.output
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(e["id"] for e in exported) == sorted(r["id"] for r in rows)
    commands = typer.main.get_command(cli).commands
    options = {name: {o for p in commands[name].params if getattr(p, "rich_help_panel", None) == "Filters" for o in p.opts}
               for name in ("search", "export")}
    assert options["search"] == options["export"] and {"--country", "--role", "--mode", "--topic"} <= options["search"]


@pytest.mark.parametrize("command", ["search", "export"])
def test_help_lists_topic_and_role_ids(command):
    r = runner.invoke(cli, [command, "--help"], terminal_width=200)
    assert r.exit_code == 0
    text = " ".join(r.stdout.split())
    for topic in ("security", "afghanistan", "international"):
        assert topic in text
    for role in ("head_of_state", "deputy_foreign_minister", "head_of_organization"):
        assert role in text


# -- the API and the pages --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store=store, token=""))


@pytest.mark.parametrize(("query", "listed"), [
    ("country=Kyrgyzstn", "KGZ"), ("topic=bogus", "trade"), ("role=bogus", "head_of_state"), ("org=bogus", "CSTO"),
    ("from=2025-03-01&to=2025-01-01", "after"), ("format=C6", "C5+<ISO3>")])
@pytest.mark.parametrize("path", ["/api/events", "/api/graph", "/api/timeline", "/api/places", "/api/export/csv"])
def test_api_422_says_what_is_wrong(client, path, query, listed):
    r = client.get(f"{path}?{query}")
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and listed in detail and detail.split(":")[0] == query.split("=")[0]


def test_api_and_pages_take_names(client):
    by_name = client.get("/api/events", params={"country": "Кыргызстан", "org": "ОДКБ"}).json()
    by_id = client.get("/api/events", params={"country": "KGZ", "org": "CSTO"}).json()
    assert by_name == by_id and by_id["total"] == 1
    assert client.get("/api/events", params={"role": "head_of_state"}).json()["total"] == 2
    assert client.get("/api/people", params={"country": "Kyrgyzstan"}).status_code == 200
    assert client.get("/api/people", params={"country": "Kyrgyzstn"}).status_code == 422
    assert client.get("/", params={"country": "Kyrgyzstan"}).status_code == 200
    assert client.get("/", params={"topic": "bogus"}).status_code == 422
