"""The read paths agree: the in-memory filter index (`store.facets`), SQL with the filters as IN lists,
SQL with them as correlated EXISTS read off the date index, and the joined count all give the same
events in the same order, for any combination of filters, sorts and pages; the per-event keys the graph
groups by follow every write; the index follows writes from another connection; migration 0002 fills
the keys of a store made before it."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from itertools import combinations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BACKENDS, new_store
from kurultai.models import DateRange, Document, Event, Extraction, Participant
from kurultai.store import Incoming, SearchQuery, Store, event_keys
from kurultai.store import facets as facets_mod
from kurultai.store.models import EventRow
from kurultai.store.queries import STATUSES
from kurultai.store.review import REVIEWS, review_states
from kurultai.store.review import STATES as STATES_OF_REVIEW

COUNTRIES = ["KAZ", "KGZ", "UZB", "TJK", "TKM", "RUS", "CHN", "TUR"]
TOPICS = ["trade", "security", "energy", "water", "transport"]
PEOPLE = ["Murat Nurtleu", "Jeenbek Kulubaev", "Bakhtiyor Saidov", "Sirojiddin Muhriddin", "Rashid Meredov",
          "Sergey Lavrov", "Wang Yi", "Hakan Fidan"]


def review_some(store: Store, seed: int = 5) -> None:
    """Reject, confirm and correct some events (every read path must agree on the review filter)."""
    rnd = random.Random(seed)
    ids = sorted(r["id"] for r in store.search_dicts(SearchQuery(limit=None)))
    for eid in rnd.sample(ids, len(ids) // 3):
        pick = rnd.random()
        if pick < 0.4:
            store.review(eid, "reject", "test", "not a meeting")
        elif pick < 0.7:
            store.review(eid, "confirm", "test")
        else:
            store.correct(eid, {"status": rnd.choice(STATUSES)}, "test")


def _dated(day: dt.date) -> DateRange:
    """A day, or (for some days, without drawing from the random sequence) its month or its year: every
    read path must place dates of each precision alike."""
    kind = ("year", "month", "day", "day", "day")[day.toordinal() % 5]
    if kind == "year":
        return DateRange(start=day.replace(month=1, day=1), end=day.replace(month=12, day=31), precision="year")
    if kind == "month":
        nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return DateRange(start=day.replace(day=1), end=nxt - dt.timedelta(days=1), precision="month")
    return DateRange(start=day, end=day)


def synthetic(n_docs: int, seed: int = 3) -> list[Extraction]:
    """Documents of two events each, with every filtered field varied; some undated, some on the same day."""
    rnd = random.Random(seed)
    out = []
    for d in range(n_docs):
        events = []
        for _ in range(2):
            countries = rnd.sample(COUNTRIES, rnd.choice((2, 2, 3, 5)))
            day = None if rnd.random() < 0.1 else dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randint(0, 60) * 7)
            people = rnd.sample(PEOPLE, rnd.randint(0, 3))
            events.append(Event(
                status=rnd.choice(("held", "held", "planned", "referenced")), mode=rnd.choice(("in_person", "video", "phone")),
                format="multilateral" if len(countries) > 2 else "bilateral",
                named_format=rnd.choice((None, None, "C5", "C5+RUS", "SCO:CFM")),
                date=_dated(day) if day else None, countries=countries,
                organizations=rnd.sample(["SCO", "CIS", "CSTO"], rnd.randint(0, 1)),
                participants=[Participant(name=p, name_en=p, role=rnd.choice(("foreign_minister", "head_of_state")))
                              for p in people],
                topics=rnd.sample(TOPICS, rnd.randint(1, 3))))
        text = f"Synthetic report number {d} ({seed}). " + " ".join(rnd.choice(("talks", "meeting", "visit")) for _ in range(30))
        out.append(Extraction(document=Document(id=f"s{d}", text=text), events=events))
    return out


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    s = new_store(request.param, tmp_path_factory.mktemp("q"))
    for ex in synthetic(120):
        s.add(ex)
    review_some(s)
    yield s
    s.close()


def sql_ids(store: Store, q: SearchQuery) -> list[int]:
    return [e.id for e in store.search(q)]


queries = st.builds(
    SearchQuery,
    country=st.sampled_from([None, None, *COUNTRIES, "BRA"]),
    org=st.sampled_from([None, None, None, "SCO", "CIS", "XYZ"]),
    topic=st.sampled_from([None, None, *TOPICS]),
    format=st.sampled_from([None, None, None, "C5", "bilateral", "multilateral", "SCO:CFM"]),
    status=st.sampled_from([None, None, "held", "planned", "referenced"]),
    mode=st.sampled_from([None, None, "in_person", "video", "phone"]),
    date_from=st.sampled_from([None, None, dt.date(2020, 3, 1), dt.date(2020, 6, 15)]),
    date_to=st.sampled_from([None, None, dt.date(2020, 5, 31), dt.date(2021, 1, 1)]),
    limit=st.integers(1, 40),
    offset=st.sampled_from([0, 0, 1, 7, 30]),
    sort=st.sampled_from(["-date", "date", "-id", "id"]),
    person=st.sampled_from([None, None, None, "lavrov", "Wang", "nobody"]),
    role=st.sampled_from([None, None, None, "head_of_state", "foreign_minister", "ambassador"]),
    text=st.sampled_from([None, None, None, "talks", "Synthetic", "absent"]),
    review=st.sampled_from([None, None, None, *REVIEWS]),
    include_rejected=st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=queries)
def test_every_read_path_gives_the_same_page(store, q):
    everything = sql_ids(store, SearchQuery(**{**q.__dict__, "limit": None, "offset": 0}))
    want = everything[q.offset:q.offset + q.limit]
    with store.Session() as s:
        states = set(s.scalars(sa.select(EventRow.review_state).where(EventRow.id.in_(everything or [0]))))
    assert states <= set(review_states(q) or STATES_OF_REVIEW)
    assert store.count(q) == len(everything)
    assert sql_ids(store, q) == want
    assert [e["id"] for e in store.search_dicts(q)] == want  # IN lists
    assert [e["id"] for e in store.search_dicts(q, total=max(1, len(everything)) * 10**6)] == want  # EXISTS, date index
    with store.Session() as s:
        index = store.facets.get(s)
        assert index is not None
        total, ids = index.page(s, q, store._sql_only(q))
    assert (total, ids) == (len(everything), want)
    total, items = store.page(q)
    assert total == len(everything) and [e["id"] for e in items] == want
    # the aggregates: index and SQL agree
    for nodes in ("country", "person"):
        assert store.graph(q, nodes=nodes, limit=q.limit) == store.graph(q, nodes=nodes, limit=q.limit, use_index=False)
    for by in ("country", "format", "all"):
        assert store.timeline(q, by=by) == store.timeline(q, by=by, use_index=False)
    fast, slow = store.places(q), store.places(q, use_index=False)
    assert [{**p, "lat": None, "lon": None} for p in fast] == [{**p, "lat": None, "lon": None} for p in slow]
    assert all(abs(a["lat"] - b["lat"]) < 1e-4 and abs(a["lon"] - b["lon"]) < 1e-4 for a, b in zip(fast, slow, strict=True))


def test_people_and_countries_agree(store):
    assert store.countries() == store.countries(use_index=False)
    for iso in [*COUNTRIES, "BRA"]:
        assert store.country(iso) == store.country(iso, use_index=False), iso
    for name in [*PEOPLE, "Nobody"]:
        assert store.person(name) == store.person(name, use_index=False), name
    for kw in ({}, {"name": "lavrov"}, {"name": "WANG"}, {"country": "kaz"}, {"name": "a", "country": "RUS"},
               {"limit": 2, "offset": 1}, {"name": "nobody"}):
        assert store.people(**kw) == store.people(**kw, use_index=False), kw
    everyone = store.people(limit=1000)
    assert {p["name_en"] for p in everyone} <= set(PEOPLE) and everyone
    lavrov = store.people(name="Lavrov")[0]
    assert lavrov["name_en"] == "Sergey Lavrov" and lavrov["events"] == store.count(
        SearchQuery(extra={"person_exact": "Sergey Lavrov"}))
    kaz = store.country("KAZ")
    partners = Counter()
    for e in store.search(SearchQuery(country="KAZ", limit=None)):
        partners.update({c.iso3 for c in e.countries} - {"KAZ"})
    assert {p["iso3"]: p["events"] for p in kaz["partners"]} == dict(partners)


def test_stats_from_the_index_equal_sql(store):
    """`stats` counts events from the in-memory index (a server asks after every write): the same
    numbers, in the same order, as SQL's."""
    with store.Session() as s:
        assert store.facets.get(s) is not None
    assert store.stats() == store.stats(use_index=False)
    assert list(store.stats()["top_countries"].items()) == list(store.stats(use_index=False)["top_countries"].items())
    assert store.stats()["events_by_review"].get("rejected")  # the fixture rejects some: not in "events"
    assert store.stats()["events"] == sum(store.stats()["events_by_status"].values())


def test_rejected_events_are_out_of_every_count_unless_asked(store):
    shown = SearchQuery(limit=None)
    everything = SearchQuery(limit=None, include_rejected=True)
    rejected = store.search_dicts(SearchQuery(review="rejected", limit=None))
    assert rejected and all(e["review"]["state"] == "rejected" for e in rejected)
    ids = {e["id"] for e in store.search_dicts(shown)}
    assert ids.isdisjoint(e["id"] for e in rejected)
    assert ids | {e["id"] for e in rejected} == {e["id"] for e in store.search_dicts(everything)}
    assert store.stats()["events"] == len(ids) == store.page(shown)[0]
    assert store.stats()["events_by_review"]["rejected"] == len(rejected)
    reviewed = {e["id"] for e in store.search_dicts(SearchQuery(review="reviewed", limit=None))}
    assert reviewed and all(store.event(i)[0].review_state in ("confirmed", "corrected") for i in reviewed)
    for iso in COUNTRIES:  # a state's count is that of its events shown
        want = sum(1 for e in store.search_dicts(shown) if iso in e["countries"])
        assert next((c["events"] for c in store.countries() if c["iso3"] == iso), 0) == want
        info = store.country(iso)
        assert (info["events"] if info else 0) == want
    lavrov = store.people(name="Lavrov")[0]
    assert lavrov["events"] == sum(1 for e in store.search_dicts(shown)
                                   if any(p["name_en"] == "Sergey Lavrov" for p in e["participants"]))
    timeline = store.timeline(SearchQuery(), by="all")
    assert sum(s["total"] for s in timeline["series"]) == sum(1 for e in store.search_dicts(shown) if e["date"])


def test_graph_counts_pairs_of_every_event(store):
    q = SearchQuery(topic="trade", limit=None)
    pairs: Counter = Counter()
    people: Counter = Counter()
    for e in store.search(q):
        for a, b in combinations(sorted({c.iso3 for c in e.countries}), 2):
            pairs[(a, b)] += 1
        for a, b in combinations(sorted({p.name_en for p in e.participants}), 2):
            people[(a, b)] += 1
    for use_index in (True, False):
        got = store.graph(q, limit=1000, use_index=use_index)
        assert {(x["source"], x["target"]): x["weight"] for x in got["edges"]} == dict(pairs)
        got = store.graph(q, nodes="person", limit=1000, use_index=use_index)
        assert {(x["source"], x["target"]): x["weight"] for x in got["edges"]} == dict(people)
        assert all(n["role"] in ("foreign_minister", "head_of_state") for n in got["nodes"])
        heavy = store.graph(q, limit=3, min_weight=2, use_index=use_index)["edges"]
        assert len(heavy) <= 3 and all(e["weight"] >= 2 for e in heavy)
        assert [e["weight"] for e in heavy] == sorted((w for w in pairs.values() if w >= 2), reverse=True)[:len(heavy)]


def test_timeline_counts_events_per_month(store):
    q = SearchQuery(country="KAZ", limit=None)
    per: Counter = Counter()
    for e in store.search(q):
        if e.date_start:  # a date known only by its year counts in its year, not in its January
            bucket = e.date_start.strftime("%Y" if e.date_precision == "year" else "%Y-%m")
            for c in {c.iso3 for c in e.countries}:
                per[(bucket, c)] += 1
    assert any(len(b) == 4 for b, _ in per) and any(len(b) == 7 for b, _ in per)
    for use_index in (True, False):
        got = store.timeline(q, use_index=use_index)
        assert {(m, s["key"]): n for s in got["series"] for m, n in zip(got["months"], s["counts"], strict=True)
                if n} | {(y, s["key"]): n for s in got["series"] for y, n in zip(got["years"], s["year_counts"], strict=True)
                         if n} == dict(per)


def test_keys_follow_merges(store):
    with store.Session() as s:
        for row in s.scalars(sa.select(EventRow)):
            assert (row.country_key, row.people_key) == event_keys(
                [c.iso3 for c in row.countries], [p.name_en for p in row.participants])


def test_index_follows_writes_from_another_connection(store):
    q = SearchQuery(country="KAZ", limit=500)
    before, _ = store.page(q)
    other = Store(store.url)  # another process would do the same
    day = dt.date(2031, 1, 1)
    other.add(Extraction(document=Document(id="late", text="A later synthetic report about Kazakhstan."),
                         events=[Event(date=DateRange(start=day, end=day), countries=["KAZ", "BRA"], topics=["trade"])]))
    other.close()
    with store.Session() as s:  # the index is brought to the new version by the next request
        index = store.facets.get(s)
        assert index is not None and index.version == facets_mod.store_version(s)
        assert index.page(s, q)[0] == before + 1
    total, items = store.page(q)
    assert total == before + 1 and items[0]["date"]["start"] == "2031-01-01"


def index_answers(store: Store, index, qs: list[SearchQuery]) -> list:
    """Everything the index answers, for each of `qs`, in a comparable form."""
    out = []
    with store.Session() as s:
        people = {n: {k: v for k, v in p.items() if k != "event_ids"} for n, p in index.people(s).items()}
        out += [people, index.countries(), *(index.met(s, name) for name in PEOPLE)]
        for q in qs:
            ids = store._sql_only(q)
            out += [index.page(s, q, ids), index.graph(s, q, ids, "country", 1, 100), index.graph(s, q, ids, "person", 1, 100),
                    index.timeline(s, q, ids, "country"), index.timeline(s, q, ids, "format"),
                    index.place_counts(s, q, ids), index.topic_counts(s, q, ids), index.facet_counts(s, q, ids)]
    return out


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 10**6), batches=st.lists(st.integers(1, 4), min_size=1, max_size=3),
       together=st.booleans())
def test_index_read_on_from_the_last_version_equals_a_rebuilt_one(tmp_path_factory, seed, batches, together):
    """Read on, never rebuilt, whether each document is its own transaction or a batch is one
    (`add_many`, as `ingest` writes), with errors recorded between (a version without a document), and
    when reports move between events (the people are made again from the rows of those concerned)."""
    s = new_store("sqlite", tmp_path_factory.mktemp("delta"))
    for ex in synthetic(15, seed=seed):
        s.add(ex)
    review_some(s, seed)  # the index carries the review states on: a later source joins a rejected event
    rnd = random.Random(seed)
    qs = [SearchQuery(country=rnd.choice(COUNTRIES), limit=20, sort=rnd.choice(["-date", "date", "id"])),
          SearchQuery(topic=rnd.choice(TOPICS), org="SCO", limit=30), SearchQuery(person="lavrov", limit=10),
          SearchQuery(limit=50, offset=3), SearchQuery(country="BRA", limit=5),
          SearchQuery(review="rejected", limit=50), SearchQuery(review="reviewed", include_rejected=True, limit=50)]
    with s.Session() as ses:
        first = s.facets.get(ses)
    index_answers(s, first, qs)  # masks, line-ups and people read at the first version, then carried on
    s.facets._build = lambda: pytest.fail("the index was rebuilt, not read on")
    n, merged = 15, 0
    for k in batches:  # later documents: new events, and events merged into (same days, same states)
        docs = synthetic(n + k, seed=seed)[n:] + synthetic(k, seed=seed)  # the first k again, other words
        for ex in docs:
            ex.document.text += f" later {n}"
        if together:
            merged += sum(r.events_merged for r in s.add_many([Incoming(ex) for ex in docs]))
        else:
            merged += sum(s.add(ex).events_merged for ex in docs)
        s.record_error(f"bad-{n}", "not stored: a test")
        n += k
        with s.Session() as ses:
            carried = s.facets.get(ses)
            assert carried.version == facets_mod.store_version(ses)
        rebuilt = facets_mod.FacetCache(s.Session)
        with s.Session() as ses:
            fresh = rebuilt.get(ses)
        assert carried is not fresh and carried.max_doc == fresh.max_doc
        assert index_answers(s, carried, qs) == index_answers(s, fresh, qs)
        assert carried._people is not None  # carried on, not left to be read whole again
    assert merged > 0
    s.close()


def test_index_read_on_when_reports_move_between_events(tmp_path):
    """A report that bridges two events makes them one (the other is deleted): the index reads that on
    and its people, graph and pages equal a rebuilt index's."""
    s = new_store("sqlite", tmp_path)
    day = _dated(dt.date(2030, 5, 5))

    def ex(key: str, countries: list[str], people: list[tuple[str, str]], topics: list[str]) -> Extraction:
        return Extraction(document=Document(id=key, text=f"A synthetic report {key} about {countries}."),
                          events=[Event(date=day, countries=countries, topics=topics,
                                        participants=[Participant(name=n, name_en=n, role="foreign_minister",
                                                                  country=c) for n, c in people])])
    s.add(ex("a", ["KAZ", "BRA"], [("Alpha Person", "KAZ")], ["trade"]))
    s.add(ex("b", ["KAZ", "BRA"], [("Beta Person", "BRA")], ["energy"]))
    qs = [SearchQuery(country="KAZ", limit=20), SearchQuery(person="Alpha", limit=20), SearchQuery(topic="energy", limit=5)]
    with s.Session() as ses:
        index_answers(s, s.facets.get(ses), qs)
    s.facets._build = lambda: pytest.fail("the index was rebuilt, not read on")
    s.add(ex("c", ["KAZ", "BRA"], [("Alpha Person", "KAZ"), ("Beta Person", "BRA")], ["trade", "energy"]))
    with s.Session() as ses:
        carried = s.facets.get(ses)
    with s.Session() as ses:
        fresh = facets_mod.FacetCache(s.Session).get(ses)
    assert index_answers(s, carried, qs) == index_answers(s, fresh, qs)
    s.close()


def test_a_review_rebuilds_the_index(store):
    """A review changes events without adding a document: readers rebuild rather than read on."""
    with store.Session() as ses:
        store.facets.get(ses)
    builds = []
    build = store.facets._build
    store.facets._build = lambda: builds.append(1) or build()
    eid = store.search_dicts(SearchQuery(country="KAZ", limit=1))[0]["id"]
    store.review(eid, "reject", "test", "not a meeting")
    assert store.page(SearchQuery(country="KAZ", limit=500))[1] and builds == [1]
    assert all(item["id"] != eid for item in store.page(SearchQuery(country="KAZ", limit=500))[1])


def test_migration_fills_keys_of_an_older_store(tmp_path):
    from conftest import old_store

    url = old_store(
        tmp_path / "old.db", "0001",
        "INSERT INTO events (id, status, mode, format, summary) VALUES (1, 'held', 'phone', 'bilateral', ''),"
        " (2, 'held', 'video', 'bilateral', '')",
        "INSERT INTO event_countries VALUES (1, 'UZB'), (1, 'KAZ'), (1, 'CHN')",
        "INSERT INTO participants (event_id, name, name_en, role) VALUES "
        "(1, 'Ван И', 'Wang Yi', 'foreign_minister'), (1, 'x', 'Bakhtiyor Saidov', 'foreign_minister'),"
        " (1, 'y', 'Wang Yi', 'foreign_minister')")
    s = Store(url)
    with s.Session() as ses:
        keys = dict(ses.execute(sa.select(EventRow.id, EventRow.country_key)).all())
        people = dict(ses.execute(sa.select(EventRow.id, EventRow.people_key)).all())
        assert facets_mod.store_version(ses) == 0
    assert keys == {1: "CHN,KAZ,UZB", 2: ""}
    assert people[1] == event_keys([], ["Wang Yi", "Bakhtiyor Saidov"])[1] and people[2] == ""
    assert s.graph(SearchQuery(limit=None))["edges"] == [
        {"source": "CHN", "target": "KAZ", "weight": 1}, {"source": "CHN", "target": "UZB", "weight": 1},
        {"source": "KAZ", "target": "UZB", "weight": 1}]
    s.close()
