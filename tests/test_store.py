"""The system of record, against SQLite and (when KURULTAI_TEST_PG_URL is set, as .ci/run does) PostgreSQL."""

import datetime as dt
import os

import pytest

from conftest import BACKENDS, PG_URL, SAMPLES, new_store
from kurultai.store import SearchQuery, Store


def test_ci_runs_postgres():
    if os.environ.get("CI") == "true":
        assert PG_URL, ".ci/run must start PostgreSQL and set KURULTAI_TEST_PG_URL"


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = new_store(request.param, tmp_path)
    yield s
    s.close()


def extraction(pipeline, text, published=None, doc_id="t", source=None):
    return pipeline.run_bytes(text.encode("utf-8"), doc_id, source, published)


def test_samples_twice_change_nothing(store, pipeline):
    for path in sorted(SAMPLES.glob("ru_*.txt")):
        assert store.add(pipeline.run_path(path)).status == "stored"
    first = store.stats()
    for path in sorted(SAMPLES.glob("ru_*.txt")):
        assert store.add(pipeline.run_path(path)).status == "exists"
    assert store.stats() == first
    assert first["events"] >= 5


def test_show_quotes_evidence_from_the_stored_text(store, pipeline):
    for path in sorted(SAMPLES.glob("ru_*.txt")):
        store.add(pipeline.run_path(path))
    for row in store.search(SearchQuery(limit=100)):
        event, docs, evidence, _, _ = store.event(row.id)
        texts = {d.id: d.text for d in docs}
        assert evidence
        for e in evidence:
            quote = texts[e.document_id][e.start:e.end]
            assert quote and quote == quote.strip()


RU = ("Астана, 3 марта 2025 года\nСегодня в Астане министр иностранных дел Казахстана Ермек Кошербаев провел переговоры "
      "с министром иностранных дел Кыргызстана Жээнбеком Кулубаевым. Стороны обсудили вопросы торговли и транзита.")
KK = ("Астана, 3 наурыз 2025 жыл\nБүгін Астанада Қазақстанның Сыртқы істер министрі Ермек Көшербаев Қырғызстанның "
      "Сыртқы істер министрі Жээнбек Кулубаевпен келіссөздер жүргізді. Тараптар сауда және транзит мәселелерін талқылады.")
OTHER = ("Ташкент, 3 марта 2025 года\nСегодня в Ташкенте министр иностранных дел Узбекистана Бахтиёр Саидов встретился "
         "с министром иностранных дел Туркменистана Рашидом Мередовым. Стороны обсудили вопросы энергетики.")


def test_same_event_in_two_languages_is_stored_once(store, pipeline):
    a = store.add(extraction(pipeline, RU, doc_id="ru"))
    b = store.add(extraction(pipeline, KK, doc_id="kk"))
    c = store.add(extraction(pipeline, OTHER, doc_id="other"))
    assert a.events_created == 1
    assert (b.events_created, b.events_merged) == (0, 1)
    assert c.events_created == 1  # an unrelated meeting on the same day stays apart
    rows = store.search(SearchQuery(date_from=dt.date(2025, 3, 3), date_to=dt.date(2025, 3, 3)))
    assert len(rows) == 2
    merged = next(r for r in rows if {c.iso3 for c in r.countries} == {"KAZ", "KGZ"})
    assert len(merged.sources) == 2
    assert {p.name_en for p in merged.participants} == {"Yermek Kosherbayev", "Zheenbek Kulubaev"}


LONG = RU + (" Министры отметили рост взаимной торговли и договорились ускорить строительство новых пунктов пропуска "
             "на общей границе. Особое внимание было уделено развитию транспортных коридоров и логистических центров. "
             "Стороны также обсудили подготовку к предстоящему заседанию межправительственной комиссии, которое "
             "пройдет в Бишкеке осенью. Кроме того, министры обменялись мнениями по актуальным вопросам региональной "
             "и международной повестки дня, включая сотрудничество в рамках ООН и СНГ.")


def test_near_duplicate_copy_is_linked_and_its_event_merged(store, pipeline):
    store.add(extraction(pipeline, LONG, doc_id="a"))
    copy = LONG.replace("Стороны обсудили", "Как сообщает пресс-служба, стороны обсудили") + "\nПоделиться"
    ex = extraction(pipeline, copy, doc_id="b")
    res = store.add(ex)
    assert res.status == "stored" and res.duplicate_of is not None
    assert res.events_created == 0 and res.events_merged == len(ex.events) >= 1


def test_later_article_joins_the_stored_event(store, pipeline):
    store.add(extraction(pipeline, RU, doc_id="day1"))
    later = ("Бишкек, 10 марта 2025 года\nНа прошлой неделе, 3 марта 2025 года, в Астане состоялись переговоры министров "
             "иностранных дел Кыргызстана и Казахстана Жээнбека Кулубаева и Ермека Кошербаева.")
    res = store.add(extraction(pipeline, later, doc_id="week-later"))
    assert res.events_merged == 1 and res.events_created == 0


def test_search_filters_and_full_text(store, pipeline):
    for path in sorted(SAMPLES.glob("ru_*.txt")):
        store.add(pipeline.run_path(path))
    assert {r.named_format for r in store.search(SearchQuery(format="C5+JPN"))} == {"C5+JPN"}
    assert all("TJK" in {c.iso3 for c in r.countries} for r in store.search(SearchQuery(country="TJK")))
    assert store.search(SearchQuery(text="Душанбе"))
    assert store.search(SearchQuery(person="Saidov", topic="trade"))
    assert not store.search(SearchQuery(text='"; DROP TABLE events; --'))
    assert store.stats()["events"] > 0  # the hostile query changed nothing


def test_errors_are_recorded(store):
    store.record_error("bad.bin", "bad.bin: binary file (NUL bytes), not text")
    assert store.stats()["ingest_errors"] == 1


def test_signatures_survive_a_restart(tmp_path, pipeline):
    """The LSH index is rebuilt from stored signatures when a store is opened again."""
    db = f"sqlite:///{tmp_path / 'r.db'}"
    first = Store(db)
    first.add(extraction(pipeline, LONG, doc_id="a"))
    first.close()
    again = Store(db)
    copy = LONG.replace("Стороны обсудили", "Как сообщает пресс-служба, стороны обсудили")
    res = again.add(extraction(pipeline, copy, doc_id="b"))
    assert res.status == "stored" and res.duplicate_of is not None
    again.close()


def test_readers_agree_on_both_backends(store, pipeline):
    """The aggregates behind the API (graph, timeline, places, people, countries) and the Core fast path
    of search give the same answers as the ORM rows, on SQLite and on PostgreSQL."""
    for path in sorted(SAMPLES.glob("*.txt")):
        store.add(pipeline.run_path(path))
    rows = store.search(SearchQuery(limit=None))
    dicts = store.search_dicts(SearchQuery(limit=None))
    assert [d["id"] for d in dicts] == [r.id for r in rows] and store.count(SearchQuery()) == len(rows)
    assert dicts[0]["countries"] == sorted(c.iso3 for c in rows[0].countries)
    assert [d["id"] for d in store.search_dicts(SearchQuery(sort="id", limit=3, offset=1))] == sorted(r.id for r in rows)[1:4]
    kaz = store.search_dicts(SearchQuery(country="KAZ", limit=None))
    assert kaz and all("KAZ" in d["countries"] for d in kaz)
    graph = store.graph(SearchQuery())
    pairs = {(e["source"], e["target"]): e["weight"] for e in graph["edges"]}
    for (a, b), w in pairs.items():
        assert a < b and w == sum(1 for d in dicts if a in d["countries"] and b in d["countries"])
    people = store.graph(SearchQuery(), nodes="person")
    assert people["nodes"] and people["edges"]
    timeline = store.timeline(SearchQuery(), by="all")
    # a date known only by its year is counted in its year, not in a month
    assert sum(timeline["series"][0]["counts"]) == sum(1 for d in dicts if d["date"] and d["date"]["precision"] != "year")
    assert sum(timeline["series"][0]["year_counts"]) == sum(1 for d in dicts if d["date"] and d["date"]["precision"] == "year")
    assert all(len(m) == 7 and m[4] == "-" for m in timeline["months"])
    fmt = store.timeline(SearchQuery(), by="format")
    assert {s["key"] for s in fmt["series"]} == {d["named_format"] or d["format"] for d in dicts if d["date"]}
    places = store.places(SearchQuery())
    assert sum(p["events"] for p in places) == sum(1 for d in dicts if d["location"] and d["location"]["lat"] is not None)
    top = store.people(limit=5)
    assert top and top[0]["events"] >= top[-1]["events"]
    assert store.person(top[0]["name_en"])["roles"]
    assert store.country("KAZ")["partners"] and store.country("XXX") is None
    assert {c["iso3"] for c in store.countries()} >= {"KAZ", "RUS"}
