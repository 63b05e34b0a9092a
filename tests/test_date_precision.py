"""Dates of month or year precision are shown as written ("2025", "March 2026") and never counted as a
day: on event cards and pages, in the timeline (a year of its own, not January), as the first and last
meeting of a place or a state, in `kurultai search` / `show` and in the exports, on SQLite and
PostgreSQL, from the in-memory index and from SQL alike."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import BACKENDS, new_store
from kurultai.api import create_app
from kurultai.cli import app as cli
from kurultai.dates import date_text, iso_as_written, iso_text
from kurultai.models import DateRange, Document, Event, Extraction, Location, Participant
from kurultai.store import SearchQuery

MOSCOW = Location(name="Moscow", country="RUS", lat=55.75, lon=37.62)
TASHKENT = Location(name="Tashkent", country="UZB", lat=41.26, lon=69.22)


def _event(start: dt.date, end: dt.date, precision: str, countries: list[str], place: Location, who: str) -> Event:
    return Event(status="planned", date=DateRange(start=start, end=end, precision=precision), countries=countries,
                 location=place, participants=[Participant(name=who, name_en=who, role="foreign_minister")])


def extractions() -> list[Extraction]:
    """A meeting "in 2025" (Kazakhstan, Russia, in Moscow), one "in March 2026" (Kazakhstan, Uzbekistan, in
    Tashkent) and one on a day of January 2025 in Moscow (Russia, Kyrgyzstan)."""
    return [
        Extraction(document=Document(id="year", text="A meeting planned in 2025 in Moscow."),
                   events=[_event(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year", ["KAZ", "RUS"], MOSCOW,
                                  "Murat Nurtleu")]),
        Extraction(document=Document(id="month", text="A visit to Tashkent planned in March 2026."),
                   events=[_event(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "month", ["KAZ", "UZB"], TASHKENT,
                                  "Bakhtiyor Saidov")]),
        Extraction(document=Document(id="day", text="Talks held in Moscow on 20 January 2025."),
                   events=[_event(dt.date(2025, 1, 20), dt.date(2025, 1, 20), "day", ["KGZ", "RUS"], MOSCOW,
                                  "Jeenbek Kulubaev")]),
    ]


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    s = new_store(request.param, tmp_path_factory.mktemp("prec"))
    for ex in extractions():
        s.add(ex)
    yield s
    s.close()


def test_as_written():
    assert date_text(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year") == "2025"
    assert date_text(dt.date(2025, 1, 1), dt.date(2026, 12, 31), "year") == "2025 – 2026"
    assert date_text(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "month") == "March 2026"
    assert date_text(dt.date(2026, 3, 1), dt.date(2026, 4, 30), "month") == "March – April 2026"
    assert date_text(dt.date(2025, 2, 5), dt.date(2025, 2, 5), "day") == "2025-02-05"
    assert date_text(dt.date(2025, 2, 5), dt.date(2025, 2, 7), "day") == "2025-02-05 – 2025-02-07"
    assert iso_as_written(dt.date(2025, 1, 1), "year") == "2025"
    assert iso_as_written(dt.date(2026, 3, 1), "month") == "2026-03"
    assert iso_text("2026-03") == "March 2026" and iso_text("2025") == "2025" and iso_text(None) == ""


def test_event_dicts_carry_the_date_as_written(store):
    by_doc = {}
    for e in store.search_dicts(SearchQuery(limit=None)):
        by_doc[e["date"]["precision"]] = e["date"]
    assert by_doc["year"]["text"] == "2025" and by_doc["month"]["text"] == "March 2026"
    assert by_doc["day"]["text"] == "2025-01-20"
    total, items = store.page(SearchQuery(limit=None))
    assert sorted(e["date"]["text"] for e in items) == ["2025", "2025-01-20", "March 2026"]


@pytest.mark.parametrize("use_index", [True, False])
def test_timeline_counts_a_year_in_its_year_not_in_january(store, use_index):
    t = store.timeline(SearchQuery(limit=None), by="all", use_index=use_index)
    assert t["months"] == ["2025-01", "2026-03"] and t["years"] == ["2025"]
    (series,) = t["series"]
    assert series["counts"] == [1, 1]  # January 2025 holds the day in January only
    assert series["year_counts"] == [1] and series["total"] == 3
    by_country = store.timeline(SearchQuery(limit=None), by="country", use_index=use_index)
    kaz = next(s for s in by_country["series"] if s["key"] == "KAZ")
    assert dict(zip(by_country["months"], kaz["counts"], strict=True)) == {"2025-01": 0, "2026-03": 1}
    assert kaz["year_counts"] == [1]
    assert store.timeline(SearchQuery(limit=None), by="format", use_index=use_index)["years"] == ["2025"]


@pytest.mark.parametrize("use_index", [True, False])
def test_first_and_last_keep_their_precision(store, use_index):
    countries = {c["iso3"]: c["last"] for c in store.countries(use_index=use_index)}
    assert countries == {"KAZ": "2026-03", "RUS": "2025-01-20", "UZB": "2026-03", "KGZ": "2025-01-20"}
    places = {p["name"]: (p["first"], p["last"], p["events"]) for p in store.places(SearchQuery(limit=None), use_index=use_index)}
    # Moscow: "2025" (a year) starts before 20 January 2025, and is shown as the year, not as its 1 January
    assert places == {"Moscow": ("2025", "2025-01-20", 2), "Tashkent": ("2026-03", "2026-03", 1)}
    only_year = store.places(SearchQuery(country="KAZ", limit=None), use_index=use_index)
    assert {p["name"]: p["last"] for p in only_year} == {"Moscow": "2025", "Tashkent": "2026-03"}


def test_pages_show_dates_as_written(store):
    client = TestClient(create_app(store=store, token=""))
    search = client.get("/").text
    assert "March 2026" in search and ">2025<" in search and "2025-01-01" not in search and "2026-03-01" not in search
    year_event = next(e for e in store.search_dicts(SearchQuery(limit=None)) if e["date"]["precision"] == "year")
    # what a reader sees (the edit form's data, in a script element, keeps the stored range)
    page = re.sub(r"<script.*?</script>", "", client.get(f"/events/{year_event['id']}").text, flags=re.S)
    assert "2025-01-01" not in page and "2025-12-31" not in page and "known to the year" in page
    countries = client.get("/countries").text
    assert "March 2026" in countries and "2026-03-01" not in countries
    places = client.get("/map").text
    assert "2025-01-01" not in places and "<td>2025</td>" in places
    assert client.get("/api/places").json()["items"][0]["first"] == "2025"


def test_cli_and_exports_show_the_precision(store, tmp_path):
    url = store.url if hasattr(store, "url") else None
    if url is None:
        pytest.skip("the store does not know its URL")
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "--db", url], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "March 2026" in out.output and "2025-01-01" not in out.output and "2026-03-01" not in out.output
    year_event = next(e for e in store.search_dicts(SearchQuery(limit=None)) if e["date"]["precision"] == "year")
    shown = runner.invoke(cli, ["show", str(year_event["id"]), "--db", url])
    assert shown.exit_code == 0, shown.output
    assert "date: 2025 (precision year)" in shown.output and "2025-01-01" not in shown.output
    as_json = json.loads(runner.invoke(cli, ["search", "--json", "--db", url]).output)
    assert {e["date"]["text"] for e in as_json} == {"2025", "March 2026", "2025-01-20"}
    target = tmp_path / "e.csv"
    done = runner.invoke(cli, ["export", "-f", "csv", "-o", str(target), "--db", url])
    assert done.exit_code == 0, done.output
    with open(target, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["date_precision"] for r in rows} == {"day", "month", "year"}
    assert {r["date"] for r in rows} == {"2025", "2026-03", "2025-01-20"}


@pytest.mark.parametrize("use_index", [True, False])
def test_a_day_range_holds_a_month_or_year_only_when_it_holds_all_of_it(store, use_index):
    def found(**kw) -> set[str]:
        q = SearchQuery(limit=None, **kw)
        if use_index:
            _, items = store.page(q)
        else:
            items = store.search_dicts(q)
        return {e["date"]["text"] for e in items}

    january = {"date_from": dt.date(2025, 1, 1), "date_to": dt.date(2025, 1, 31)}
    assert found(**january) == {"2025-01-20"}  # "2025" is no day of January
    assert found(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31)) == {"2025", "2025-01-20"}
    assert found(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 15)) == set()
    assert found(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31)) == {"March 2026"}
    assert store.count(SearchQuery(**january)) == 1
