"""Exports open in their target tools: pandas/pyarrow (CSV, Parquet), networkx (GEXF), a GeoJSON reader's
expectations, and the PLOVER JSON Schema. The store is built from the project's own samples."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json

import jsonschema
import networkx as nx
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pycountry
import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from kurultai import export as ex
from kurultai.cli import app
from kurultai.store import SearchQuery, Store
from kurultai.store.models import EventRow, ParticipantRow
from kurultai.views import event_dict

ALL = SearchQuery(limit=None)
NOBODY = SearchQuery(country="ZZZ", limit=None)


@pytest.fixture(scope="module")
def store(tmp_path_factory, pipeline):
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('export') / 'k.db'}")
    for path in sorted(SAMPLES.glob("*.txt")):
        s.add(pipeline.run_path(path))
    yield s
    s.close()


@pytest.fixture(scope="module")
def events(store):
    return {r.id: event_dict(r) for r in store.search(SearchQuery(limit=None))}


@pytest.fixture(scope="module")
def validator():
    schema = ex.plover_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_samples_give_a_store_worth_exporting(events):
    assert len(events) >= 8
    assert any(e["visit"] for e in events.values()) and any(e["mode"] == "phone" for e in events.values())
    assert any(e["outcomes"] for e in events.values()) and any(e["status"] == "planned" for e in events.values())


# -- CSV and Parquet -------------------------------------------------------------------------------------
def test_csv_opens_in_pandas(store, events, tmp_path):
    out = tmp_path / "events.csv"
    counts = ex.write_export(store, "csv", ALL, out)
    df = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert list(df.columns) == [c for c, _ in ex.EVENT_COLUMNS]
    assert counts["events"] == len(df) == len(events)
    assert sorted(df["id"]) == sorted(events)
    assert out.read_bytes()[:3] != b"\xef\xbb\xbf" and b"\r\n" in out.read_bytes()  # no BOM, RFC 4180 line ends
    for row in df.itertuples():
        e = events[row.id]
        assert row.countries.split(";") == e["countries"]
        assert row.status == e["status"] and row.mode == e["mode"]
        assert row.n_sources == len(e["sources"])
        if e["date"]:
            assert row.date_start == e["date"]["start"]
        if e["location"]:
            assert row.location_name == e["location"]["name"] and row.lat == pytest.approx(e["location"]["lat"])
        else:
            assert pd.isna(row.lat)
    people = pd.read_csv(ex.participants_path(out), keep_default_na=False, na_values=[""])
    assert list(people.columns) == ["event_id", "name", "name_en", "role", "country"]
    assert counts["participants"] == len(people) == sum(len(e["participants"]) for e in events.values())
    assert set(people["event_id"]) <= set(events)
    lavrov = people[people["name_en"] == "Sergey Lavrov"]
    assert len(lavrov) >= 2 and set(lavrov["country"]) == {"RUS"} and set(lavrov["role"]) == {"foreign_minister"}


def test_one_adopted_document_told_by_many_sources_is_one_outcome(store, tmp_path):
    out = tmp_path / "events.csv"
    ex.write_export(store, "csv", SearchQuery(format="C5+RUS", limit=None), out)
    df = pd.read_csv(out, keep_default_na=False)
    (row,) = df.itertuples()
    assert row.mode == "video" and row.countries == "KAZ;KGZ;RUS;TJK;TKM;UZB"
    assert row.n_sources >= 4  # the same meeting in several languages, stored once
    assert row.n_outcomes == 1 and row.outcome_types == "joint_statement"


def test_distinct_outcomes():
    rows = [{"type": "joint_statement", "title": t, "document_id": d} for t, d in [("a", 1), ("b", 2), ("c", 3)]]
    rows += [{"type": "memorandum", "title": "m1", "document_id": 1}, {"type": "memorandum", "title": "m2", "document_id": 1},
             {"type": "memorandum", "title": "m1'", "document_id": 2}]
    got = ex.distinct_outcomes(rows)
    assert [o["type"] for o in got].count("joint_statement") == 1
    assert sorted(o["title"] for o in got if o["type"] == "memorandum") == ["m1", "m2"]


def test_parquet_opens_in_pyarrow_with_types(store, events, tmp_path):
    out = tmp_path / "events.parquet"
    counts = ex.write_export(store, "parquet", ALL, out)
    table = pq.read_table(out)
    assert table.schema.field("id").type == pa.int64()
    assert table.schema.field("date_start").type == pa.date32()
    assert table.schema.field("lat").type == pa.float64() and table.schema.field("n_outcomes").type == pa.int64()
    for col in ("countries", "organizations", "topics", "participants", "outcome_types", "outcome_titles", "source_urls"):
        assert table.schema.field(col).type == pa.list_(pa.string()), col
    assert table.schema.field("source_ids").type == pa.list_(pa.int64())
    assert table.num_rows == counts["events"] == len(events)
    df = table.to_pandas()
    for row in df.itertuples():
        e = events[row.id]
        # list columns are lists, not joined text
        assert list(row.countries) == e["countries"] and list(row.topics) == e["topics"]
        assert list(row.source_ids) == e["sources"]
        assert (row.date_start.isoformat() if row.date_start else None) == (e["date"]["start"] if e["date"] else None)
    people = pq.read_table(ex.participants_path(out))
    assert people.num_rows == counts["participants"] and people.schema.field("event_id").type == pa.int64()
    csv_df = pd.read_csv(io.BytesIO(ex.export_bytes(store, "csv", ALL)[0]), keep_default_na=False)
    assert sorted(csv_df["id"]) == sorted(df["id"])


def test_export_bytes_for_the_api(store, events):
    data, media, name = ex.export_bytes(store, "parquet", ALL, table="participants")
    assert media == "application/vnd.apache.parquet" and name == "kurultai-participants.parquet"
    assert pq.read_table(pa.BufferReader(data)).column_names == ["event_id", "name", "name_en", "role", "country"]
    data, media, name = ex.export_bytes(store, "csv", ALL)
    assert media.startswith("text/csv") and name == "kurultai-events.csv"
    assert len(pd.read_csv(io.BytesIO(data))) == len(events)
    data, media, name = ex.export_bytes(store, "gexf", ALL, nodes="person")
    assert name == "kurultai-network-person.gexf" and nx.read_gexf(io.BytesIO(data)).number_of_nodes() > 0
    for bad in ({"fmt": "xml"}, {"fmt": "csv", "table": "people"}, {"fmt": "gexf", "nodes": "org"}):
        with pytest.raises(ValueError):
            ex.export_bytes(store, bad.pop("fmt"), ALL, **bad)


def test_a_filter_reduces_the_rows(store, events, tmp_path):
    out = tmp_path / "tkm.csv"
    counts = ex.write_export(store, "csv", SearchQuery(country="TKM", limit=None), out)
    df = pd.read_csv(out, keep_default_na=False)
    assert 0 < len(df) == counts["events"] < len(events)
    assert all("TKM" in c.split(";") for c in df["countries"])
    assert len(df) == sum("TKM" in e["countries"] for e in events.values())
    assert len(pd.read_csv(ex.participants_path(out))) == sum(len(events[i]["participants"]) for i in df["id"])
    assert ex.write_export(store, "jsonl", SearchQuery(limit=3), tmp_path / "three.jsonl") == {"events": 3}


def test_formula_injection_is_neutralised(tmp_path, pipeline):
    s = Store(f"sqlite:///{tmp_path / 'f.db'}")
    s.add(pipeline.run_path(SAMPLES / "ru_visit_two_meetings.txt"))
    with s.Session() as session, session.begin():
        row = session.get(EventRow, 1)
        row.location_name, row.lon = "=HYPERLINK(\"http://x.invalid\",\"click\")", -70.25
        session.get(ParticipantRow, row.participants[0].id).name = "@SUM(1+1)"
    out = tmp_path / "f.csv"
    ex.write_export(s, "csv", ALL, out)
    df = pd.read_csv(out, keep_default_na=False)
    hit = df[df["id"] == 1].iloc[0]
    assert hit["location_name"] == "'=HYPERLINK(\"http://x.invalid\",\"click\")"
    assert hit["lon"] == -70.25  # a negative number is a number, not a formula
    people = pd.read_csv(ex.participants_path(out), keep_default_na=False)
    assert "'@SUM(1+1)" in set(people["name"])
    assert not any(str(v).startswith(ex.FORMULA_START) for v in df.astype(str).to_numpy().ravel() if not _number(v))
    assert pq.read_table(io.BytesIO(ex.export_bytes(s, "parquet", ALL)[0])).to_pandas()["lon"].min() == -70.25
    assert [ex.csv_cell(v) for v in ("-1", "+x", "\tx", "a=b", 3, -2.5, None)] == ["'-1", "'+x", "'\tx", "a=b", 3, -2.5, ""]
    s.close()


def _number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


# -- JSONL, GeoJSON, GEXF --------------------------------------------------------------------------------
def test_jsonl_is_one_event_per_line(store, events, tmp_path):
    out = tmp_path / "e.jsonl"
    assert ex.write_export(store, "jsonl", ALL, out) == {"events": len(events)}
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(events)
    for line in lines:
        d = json.loads(line)
        docs = d.pop("source_documents")  # each source's URL or path, outlet, publication and added day
        assert d == events[d["id"]]
        assert [doc["id"] for doc in docs] == d["sources"] and all(doc["outlet"] and doc["added"] for doc in docs)


def test_geojson_places(store, events, tmp_path):
    out = tmp_path / "p.geojson"
    counts = ex.write_export(store, "geojson", ALL, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == counts["places"] > 0
    places = {(p["name"], p["country"]): p for p in store.places(ALL)}
    assert len(places) == len(data["features"])
    for f in data["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = f["properties"]
        p = places[(props["name"], props["country"])]
        assert (lat, lon) == pytest.approx((p["lat"], p["lon"]), abs=1e-4)
        assert (props["events"], props["first"], props["last"]) == (p["events"], p["first"], p["last"])
        assert len(props["event_ids"]) == props["events"]
        for i in props["event_ids"]:
            assert events[i]["location"]["name"] == props["name"]
    astana = next(f for f in data["features"] if f["properties"]["name"] == "Astana")
    lon, lat = astana["geometry"]["coordinates"]
    assert 71 < lon < 72 and 51 < lat < 52  # [lon, lat] order, as GeoJSON wants


@pytest.mark.parametrize("nodes", ["country", "person"])
def test_gexf_opens_in_networkx(store, tmp_path, nodes):
    out = tmp_path / f"{nodes}.gexf"
    counts = ex.write_export(store, "gexf", ALL, out, nodes=nodes)
    g = nx.read_gexf(out)
    want = store.graph(ALL, nodes=nodes, limit=100_000)
    assert counts == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    assert set(g.nodes) == {n["id"] for n in want["nodes"]}
    assert {frozenset((u, v)): int(w) for u, v, w in g.edges(data="weight")} == \
        {frozenset((e["source"], e["target"])): e["weight"] for e in want["edges"]}
    for n in want["nodes"]:
        attrs = g.nodes[n["id"]]
        assert attrs["label"] == n["label"] and attrs["type"] == nodes and int(attrs["events"]) == n["events"]
    if nodes == "country":
        assert g.nodes["KAZ"]["label"] == "Kazakhstan" and g.edges["TJK", "UZB"]["weight"] >= 2
    else:
        assert g.nodes["Sergey Lavrov"]["country"] == "RUS"


# -- PLOVER ----------------------------------------------------------------------------------------------
def _plover(store, tmp_path, query=ALL):
    out = tmp_path / "p.jsonl"
    counts = ex.write_export(store, "plover", query, out)
    return counts, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_plover_records_validate(store, events, tmp_path, validator):
    counts, records = _plover(store, tmp_path)
    assert counts["records"] == len(records) > 0
    for r in records:
        errors = [e.message for e in validator.iter_errors(r)]
        assert not errors, (r["id"], errors)
        for actor in r["source"] + r.get("recipient", []):
            assert actor["code"] == "IGO" or pycountry.countries.get(alpha_3=actor["code"]), actor
    consult = [r for r in records if r["event"] == ["CONSULT"]]
    dated = [e for e in events.values() if e["date"]]
    assert len(consult) == counts["consult"] == len(dated) and counts["skipped"] == len(events) - len(dated)
    assert {r["kurultai"]["event_id"] for r in consult} == {e["id"] for e in dated}
    for r in consult:
        e = events[r["kurultai"]["event_id"]]
        assert r["date"] == e["date"]["start"] and r["kurultai"]["sources"] == e["sources"]
        codes = {a["code"] for a in r["source"] + r.get("recipient", [])}
        assert set(e["countries"]) <= codes
        if e["visit"]:
            assert "visit" in r["mode"]
            assert {a["code"] for a in r["recipient"]} == {e["visit"]["host"]}
            assert e["visit"]["visitor"] in {a["code"] for a in r["source"]}
        else:
            assert "recipient" not in r
        if e["mode"] in ("phone", "video"):
            assert "phone" in r["mode"] and "event_loc" not in r
        if e["status"] == "planned":
            assert "future" in r["context"]
    agree = [r for r in records if r["event"] == ["AGREE"]]
    assert len(agree) == counts["agree"] == sum(len(ex.distinct_outcomes(e["outcomes"])) for e in dated) > 0
    links = {r["link"] for r in consult}
    for r in agree:
        assert r["link"] in links and r["event_text"] and "mode" not in r
        assert r["kurultai"]["outcome_type"] in {o["type"] for o in events[r["kurultai"]["event_id"]]["outcomes"]}
    assert len({r["id"] for r in records}) == len(records)


def test_plover_schema_rejects_bad_records(store, tmp_path, validator):
    _, records = _plover(store, tmp_path)
    visit = next(r for r in records if "visit" in r.get("mode", []))
    agree = next(r for r in records if r["event"] == ["AGREE"])
    assert validator.is_valid(visit) and validator.is_valid(agree)

    def broken(record, change):
        bad = copy.deepcopy(record)
        change(bad)
        return bad

    bad_records = [
        broken(visit, lambda r: r.update(event=["MEET"])),                      # not a PLOVER category
        broken(visit, lambda r: r.pop("recipient")),                            # a visit needs its host
        broken(visit, lambda r: r.update(mode=["video"])),                      # not a CONSULT mode
        broken(visit, lambda r: r.pop("date")),                                 # date is required
        broken(visit, lambda r: r.update(date="14.03.2024")),
        broken(visit, lambda r: r["source"][0].update(code="Uzbekistan")),      # actors are 3-letter codes
        broken(visit, lambda r: r.update(context=["talks"])),
        broken(visit, lambda r: r.update(target=r["recipient"])),               # PLOVER says recipient
        broken(agree, lambda r: r.update(mode=["visit"])),                      # AGREE has no modes
        broken(agree, lambda r: r.update(quad_code=4)),
    ]
    for bad in bad_records:
        assert not validator.is_valid(bad), bad


def test_plover_planned_filter_and_dateless_events(store, tmp_path, validator):
    counts, records = _plover(store, tmp_path, SearchQuery(status="planned", limit=None))
    assert records and all("future" in r["context"] for r in records)
    e = {"id": 99, "status": "held", "mode": "in_person", "format": "bilateral", "named_format": None, "date": None,
         "location": None, "countries": ["KAZ", "KGZ"], "organizations": [], "participants": [], "visit": None,
         "topics": [], "outcomes": [], "figures": [], "sources": [1]}
    assert ex.plover_records(e) == []  # PLOVER requires a date
    e["date"] = {"start": "2025-01-01", "end": "2025-12-31", "precision": "year"}
    e["location"] = {"name": "Geneva", "country": "CHE", "lat": 46.2, "lon": 6.15}
    (r,) = ex.plover_records(e)
    assert validator.is_valid(r) and r["mode"] == ["third-party"] and r["enddate"] == "2025-12-31"


# -- empty results and the command line --------------------------------------------------------------------
def test_empty_result_still_writes_valid_files(store, tmp_path):
    for fmt in ex.FORMATS:
        out = tmp_path / f"empty{ex.SUFFIXES[fmt]}"
        counts = ex.write_export(store, fmt, NOBODY, out)
        assert out.exists() and not any(counts.values()), (fmt, counts)
    assert list(pd.read_csv(tmp_path / "empty.csv").columns) == [c for c, _ in ex.EVENT_COLUMNS]
    assert len(pd.read_csv(tmp_path / "empty.participants.csv")) == 0
    table = pq.read_table(tmp_path / "empty.parquet")
    assert table.num_rows == 0 and table.schema.field("date_start").type == pa.date32()
    assert json.loads((tmp_path / "empty.geojson").read_text()) == {"type": "FeatureCollection", "features": []}
    assert nx.read_gexf(tmp_path / "empty.gexf").number_of_nodes() == 0
    assert (tmp_path / "empty.jsonl").read_text() == (tmp_path / "empty.plover.jsonl").read_text() == ""
    assert not list(tmp_path.glob("*.part"))


def test_cli_export(store, events, tmp_path):
    runner = CliRunner()
    db = ["--db", store.url]
    out = tmp_path / "cli.csv"
    r = runner.invoke(app, ["export", "--format", "csv", "-o", str(out), "--country", "UZB", *db])
    assert r.exit_code == 0, r.output
    n = sum("UZB" in e["countries"] for e in events.values())
    assert str(ex.participants_path(out)) in r.output and f"events {n}" in r.output
    assert len(pd.read_csv(out)) == n and ex.participants_path(out).exists()
    r = runner.invoke(app, ["export", "-f", "plover", "-o", str(tmp_path / "p.jsonl"), "--status", "planned", *db])
    assert r.exit_code == 0, r.output
    assert all(json.loads(ln)["kurultai"]["status"] == "planned" for ln in (tmp_path / "p.jsonl").read_text().splitlines())
    r = runner.invoke(app, ["export", "-f", "gexf", "--nodes", "person", "-o", str(tmp_path / "p.gexf"), *db])
    assert r.exit_code == 0 and "Sergey Lavrov" in nx.read_gexf(tmp_path / "p.gexf")
    r = runner.invoke(app, ["export", "--format", "xml", "-o", str(tmp_path / "x.xml"), *db])
    assert r.exit_code == 2 and "xml" in r.output and "csv, jsonl, parquet" in r.output
    assert not (tmp_path / "x.xml").exists()
    r = runner.invoke(app, ["export", "--format", "csv", *db])
    assert r.exit_code == 2 and "--out" in r.output


# -- columns users join on (GDELT / ACLED style) and Gephi's timeline -------------------------------------
def test_join_columns(store, events, tmp_path):
    out = tmp_path / "join.csv"
    ex.write_export(store, "csv", ALL, out)
    df = pd.read_csv(out, keep_default_na=False, na_values=[""]).set_index("id")
    for eid, e in events.items():
        row = df.loc[eid]
        if len(e["countries"]) == 2:
            want = ((e["visit"]["visitor"], e["visit"]["host"]) if e["visit"] and e["visit"]["visitor"] in e["countries"]
                    and e["visit"]["host"] in e["countries"] else tuple(e["countries"]))
            assert (row.actor1, row.actor2) == want
            assert isinstance(row.actor1_name, str) and row.actor1_name != row.actor1
        else:
            assert pd.isna(row.actor1) and pd.isna(row.actor2)
        docs = [store.document(i) for i in e["sources"]]
        assert row.source_url == docs[0]["source"] and row.n_sources == len(docs)
        assert row.outlet == docs[0]["outlet"] and row.outlets.split(";")[0] == docs[0]["outlet"]
        assert row.date_added == dt.date.today().isoformat() or len(row.date_added) == 10
        assert row.date_precision == (e["date"]["precision"] if e["date"] else None) or pd.isna(row.date_precision)
    visit = next(eid for eid, e in events.items() if e["visit"] and len(e["countries"]) == 2)
    assert (df.loc[visit].actor1, df.loc[visit].actor2) == (events[visit]["visit"]["visitor"], events[visit]["visit"]["host"])
    astana = df[df.location_name == "Astana"].iloc[0]
    assert (astana.geo_precision, astana.admin1) == ("city", "Astana")
    assert set(df.outlet.dropna()) >= {"Kazinform", "Кабар", "ТАСС"}


def test_gexf_has_start_and_end_for_gephis_timeline(store, events, tmp_path):
    out = tmp_path / "dyn.gexf"
    ex.write_export(store, "gexf", ALL, out)
    assert 'mode="dynamic"' in out.read_text(encoding="utf-8") and 'timeformat="date"' in out.read_text(encoding="utf-8")
    g = nx.read_gexf(out)
    dated = [e for e in events.values() if e["date"]]
    for iso in ("KAZ", "UZB"):
        mine = [e for e in dated if iso in e["countries"]]
        assert g.nodes[iso]["start"] == min(e["date"]["start"] for e in mine)
        assert g.nodes[iso]["end"] == max(e["date"]["end"] or e["date"]["start"] for e in mine)
    both = [e for e in dated if {"TJK", "UZB"} <= set(e["countries"])]
    assert g.edges["TJK", "UZB"]["start"] == min(e["date"]["start"] for e in both)
