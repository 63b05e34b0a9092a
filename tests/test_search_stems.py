"""Full-text search stems and crosses languages, on SQLite (FTS5) and PostgreSQL: "Ташкент" finds "в
Ташкенте", "Токаев" finds the English report of "Tokayev", "Tokay*" is a prefix; the KB names of every
linked entity are searched in every language; no query (operators, quotes, control characters) gives
an error; a store made before migration 0009 is searchable by stems after it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from conftest import BACKENDS, new_store, old_store
from kurultai.api import create_app
from kurultai.store import SearchQuery, Store
from kurultai.store.search import fts5_query, query_words

RU = ("Астана, 10 апреля 2025 года\n\nМинистр иностранных дел Казахстана Мурат Нуртлеу провел переговоры в Ташкенте "
      "с Министром иностранных дел Узбекистана Бахтиёром Саидовым. Стороны обсудили вопросы торговли.")
EN = ("ASTANA, April 9, 2025\n\nPresident of Kazakhstan Kassym-Jomart Tokayev today received Chinese Foreign Minister "
      "Wang Yi at the Akorda presidential residence in Astana. They discussed trade and transport.")


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory, pipeline):
    s = new_store(request.param, tmp_path_factory.mktemp("fts"))
    for name, text in (("ru_tashkent", RU), ("en_tokayev", EN)):
        ex = pipeline.run_bytes(text.encode("utf-8"), name, None, None)
        assert ex.events, name
        s.add(ex)
    yield s
    s.close()


def _docs(store: Store, q: str) -> set[str]:
    """The document keys of the events `q` finds."""
    found = set()
    for e in store.search_dicts(SearchQuery(text=q, limit=None)):
        found |= {store.document(d)["key"] for d in e["sources"]}
    return found


def test_a_word_finds_its_inflected_forms(store):
    assert "в Ташкенте" in RU and "Ташкент " not in RU
    assert _docs(store, "Ташкент") == {"ru_tashkent"}
    assert _docs(store, "Ташкенте") == {"ru_tashkent"}
    assert _docs(store, "переговор") == {"ru_tashkent"}  # "провел переговоры": the stem


def test_a_name_finds_the_event_in_every_language(store):
    assert "Токаев" not in EN
    assert _docs(store, "Токаев") == {"en_tokayev"}  # the KB's Russian name of the person it links
    assert _docs(store, "Тоқаев") == {"en_tokayev"}  # Kazakh
    assert _docs(store, "Tokayev") == {"en_tokayev"}
    assert _docs(store, "Нуртлеу Ташкент") == {"ru_tashkent"}  # every word must match
    assert _docs(store, "Nurtleu") == {"ru_tashkent"}
    assert _docs(store, "Toshkent") == {"ru_tashkent"}  # the place's Uzbek name
    assert _docs(store, "Tokayev Ташкент") == set()


def test_prefixes(store):
    assert _docs(store, "Tokay*") == {"en_tokayev"}
    assert _docs(store, "Ташк*") == {"ru_tashkent"}
    assert _docs(store, "Tok* Wang") == {"en_tokayev"}


@pytest.mark.parametrize("q", ['"', "*", "Tokay**", "NEAR(", "a OR", "AND", "^x", "x:y", "t:*", "'", "!", "&|",
                               "(Tokayev", "Tokayev)", "\x00", "Tok\x00ayev", "a\x1fb", "Kun.uz", "O‘zbekiston", "-x"])
def test_no_query_is_an_error(store, q):
    store.search_dicts(SearchQuery(text=q, limit=None))
    assert store.count(SearchQuery(text=q)) >= 0


def test_the_api_answers_every_query(store):
    client = TestClient(create_app(store=store, token=""))
    assert client.get("/api/events", params={"q": "Токаев"}).json()["total"] == 1
    assert client.get("/api/events", params={"q": "Tokay*"}).json()["total"] == 1
    for q in ['"', "NEAR(", "t:*", "Tokay**", "(", "&"]:
        assert client.get("/api/events", params={"q": q}).status_code == 200, q
        assert client.get("/", params={"q": q}).status_code == 200, q
    assert client.get("/api/events", params={"q": "a\x00b"}).status_code == 422


def test_query_words_are_data():
    assert query_words('Tok"ayev* a\x00b') == [("Tok", False), ("ayev", True), ("a", False), ("b", False)]
    q = fts5_query("Ташкенте Tokay*")
    assert q.startswith('("ташкенте" OR ') and '"ташкент"' in q and q.endswith('"Tokay"*')


def test_a_store_before_0009_is_searched_by_stems_after_it(tmp_path):
    url = old_store(tmp_path / "old.db", "0005",
                    "INSERT INTO documents (id, doc_key, content_hash, lang, text) VALUES "
                    "(1, 'ru', 'h1', 'ru', 'Министры встретились в Ташкенте и обсудили торговлю.')",
                    "INSERT INTO events (id, status, mode, format, summary, location_name, location_country) "
                    "VALUES (1, 'held', 'in_person', 'bilateral', '', 'Tashkent', 'UZB')",
                    "INSERT INTO event_countries (event_id, iso3) VALUES (1, 'KAZ'), (1, 'UZB')",
                    "INSERT INTO participants (id, event_id, name, name_en, role, country) "
                    "VALUES (1, 1, 'Kassym-Jomart Tokayev', 'Kassym-Jomart Tokayev', 'head_of_state', 'KAZ')",
                    "INSERT INTO event_documents (event_id, document_id) VALUES (1, 1)")
    store = Store(url)  # migrates
    try:
        with store.Session() as s:
            terms, outlet_by = s.execute(sa.text("SELECT terms, outlet_by FROM documents WHERE id = 1")).one()
        assert "ташкент" in terms.split() and outlet_by is None
        assert [e["id"] for e in store.search_dicts(SearchQuery(text="Ташкент", limit=None))] == [1]
        assert [e["id"] for e in store.search_dicts(SearchQuery(text="Токаев", limit=None))] == [1]
        assert [e["id"] for e in store.search_dicts(SearchQuery(text="Тошкент", limit=None))] == [1]
    finally:
        store.close()
