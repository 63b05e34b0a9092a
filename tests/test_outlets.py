"""The outlet of an article: its mark in the text (dateline and agency credits, closing credit lines,
"сообщает X"), found by `clean` from the KB's outlets file, else the URL's host; stored with how it was
found and shown with that provenance (API, event page, `kurultai show`), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import BACKENDS, SAMPLES, new_store
from kurultai.api import create_app
from kurultai.clean import clean
from kurultai.cli import app as cli
from kurultai.ingest import ingest
from kurultai.kb import KB, KBError, load_kb
from kurultai.sources import read_document, read_html

BODY_RU = ("Президент Кыргызской Республики Садыр Жапаров провел телефонный разговор с Президентом Республики "
           "Казахстан Касым-Жомартом Токаевым.\nГлавы государств обсудили вопросы пограничного сотрудничества.")
BODY_EN = ("Kazakh President Kassym-Jomart Tokayev held talks with Chinese Foreign Minister Wang Yi in Astana.\n"
           "They discussed trade, transport and investment between the two countries.")

CREDITS = [
    (f"Бишкек, 05.02.25. /Кабар/.\n{BODY_RU}", "Кабар", "Кабар"),
    (f"Бишкек, 05.02.25. /Кабар/. {BODY_RU}", "Кабар", "Кабар"),
    (f"АСТАНА, 3 апр — Sputnik. {BODY_RU}", "Sputnik", "Sputnik"),
    (f"NUR-SULTAN. KAZINFORM – {BODY_EN}", "Kazinform", "KAZINFORM"),
    (f"АСТАНА, 12 мая – Kazinform. {BODY_RU}", "Kazinform", "Kazinform"),
    (f"БИШКЕК (АКИpress) - {BODY_RU}", "АКИpress", "АКИpress"),
    (f"Toshkent, 5 mart /UzA/. {BODY_RU}", "UzA", "UzA"),
    (f"{BODY_RU}\nKun.uz", "Kun.uz", "Kun.uz"),
    (f"{BODY_RU.replace('.', ', сообщает Trend.', 1)}", "Trend", "Trend"),
    (f"МОСКВА, 15 октября. /ТАСС/. {BODY_RU}", "ТАСС", "ТАСС"),
    (f"ASTANA, Oct. 15 (Xinhua) -- {BODY_EN}", "Xinhua", "Xinhua"),
    (f"Toshkent, 15 oktabr (Dunyo). {BODY_RU}", "Dunyo", "Dunyo"),
    (f"ДУШАНБЕ, 15.10.2024 /НИАТ «Ховар»/. {BODY_RU}", "Ховар", "Ховар"),
    (f"{BODY_EN}\nTurkmenportal", "Turkmenportal", "Turkmenportal"),
]


@pytest.mark.parametrize(("raw", "outlet", "mark"), CREDITS)
def test_clean_finds_the_outlet_by_its_mark(raw, outlet, mark):
    c = clean(raw)
    assert (c.outlet, c.outlet_by, c.outlet_found) == (outlet, "mark", mark)
    assert mark not in c.text or outlet == "Trend"  # the dateline credit is no part of the article
    # the article follows; a dateline whose day has no year keeps place and day (the extraction reads it)
    assert re.match(r"(?:[^\n]{0,30}?\d{1,2}[^\n.]{0,6}\. )?(?:Президент|Kazakh|President)", c.text), c.text[:60]


def test_a_word_that_is_a_mark_elsewhere_is_no_credit():
    c = clean(f"The Trend of talks: {BODY_EN}")
    assert c.outlet is None and c.text.startswith("The Trend of talks")
    lead = "Sputnik — международное информационное агентство, его корреспонденты были на встрече сегодня."
    c = clean(f"{lead}\n{BODY_RU}")
    assert c.outlet is None and c.text.startswith(lead)
    # "сообщает X" names an outlet only when X is one (of the KB, or a site's name)
    assert clean(BODY_RU.replace(".", ", сообщает Министерство иностранных дел.", 1)).outlet is None
    assert clean(BODY_RU.replace(".", ", сообщает Egemen.kz.", 1)).outlet == "Egemen.kz"


def test_the_url_host_is_the_other_provenance():
    c = clean(BODY_RU, source="https://ru.sputnik.kg/20250205/talks.html")
    assert (c.outlet, c.outlet_by, c.outlet_found) == ("Sputnik", "host", "ru.sputnik.kg")
    assert clean(BODY_RU, source="https://www.kabar.kg/news/1").outlet == "Кабар"
    assert clean(BODY_RU, source="https://example.org/x").outlet is None
    # the article's own mark comes first
    c = clean(f"Бишкек, 05.02.25. /Кабар/. {BODY_RU}", source="https://ru.sputnik.kg/x")
    assert (c.outlet, c.outlet_by) == ("Кабар", "mark")


def test_html_pages_take_the_mark_then_the_host_then_the_site_name():
    page = ("<html><head><title>Talks</title><meta property='og:site_name' content='Some Site'></head><body><article>"
            f"<p>{BODY_EN.splitlines()[0]}</p><p>{BODY_EN.splitlines()[1]}</p></article></body></html>").encode()
    doc = read_html(page, "a", "https://www.kabar.kg/news/a.html")
    assert (doc.outlet, doc.outlet_by, doc.outlet_found) == ("Кабар", "host", "kabar.kg")
    doc = read_html(page, "a", "https://example.org/a.html")
    assert (doc.outlet, doc.outlet_by) == ("Some Site", "site")


def test_every_sample_names_its_outlet():
    found = {p.name: read_document(p) for p in sorted(SAMPLES.glob("*.txt"))}
    assert all(d.outlet and d.outlet_by == "mark" for d in found.values()), {k: d.outlet for k, d in found.items()}
    assert found["ru_phone_call.txt"].outlet == "Кабар"  # the README's example


def test_the_contract_json_keeps_its_fields(pipeline):
    ex = pipeline.run_bytes(f"Бишкек, 05.02.25. /Кабар/.\n{BODY_RU}".encode(), "k", None, None)
    assert ex.document.outlet_by == "mark"
    doc = ex.to_dict()["document"]
    assert doc["outlet"] == "Кабар" and "outlet_by" not in doc and "outlet_found" not in doc


def test_the_kb_checks_its_outlets(tmp_path):
    kb = load_kb()
    assert {"kabar", "kazinform", "sputnik", "akipress", "uza", "kunuz", "trend", "tass", "xinhua", "dunyo",
            "khovar", "turkmenportal"} <= set(kb.outlets.by_id)
    assert all(o.name and o.marks and o.hosts for o in kb.outlets.by_id.values())
    (tmp_path / "countries.yaml").write_text("- iso3: KGZ\n  names: {en: [Kyrgyzstan]}\n", encoding="utf-8")
    (tmp_path / "outlets.yaml").write_text("- id: x\n  name: X\n  country: ZZZ\n", encoding="utf-8")
    with pytest.raises(KBError, match="outlets.yaml entry 1"):
        KB(Path(tmp_path))


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("outlets")
    (folder / "kabar.txt").write_text(f"Бишкек, 05.02.25. /Кабар/.\n{BODY_RU}", encoding="utf-8")
    s = new_store(request.param, folder)
    report = ingest(s, [str(folder / "kabar.txt")])
    assert report.errors == 0
    from kurultai.models import Document, Extraction

    s.add(Extraction(document=Document(id="https://ru.sputnik.kg/x", source="https://ru.sputnik.kg/x", lang="en",
                                       text=BODY_EN, published=dt.date(2025, 2, 5), outlet="Sputnik", outlet_by="host",
                                       outlet_found="ru.sputnik.kg")))
    yield s
    s.close()


def test_documents_keep_their_outlet_and_its_provenance(store):
    client = TestClient(create_app(store=store, token=""))
    docs = [client.get(f"/api/documents/{i}").json() for i in (1, 2)]
    by_outlet = {d["outlet"]: d for d in docs}
    assert by_outlet["Кабар"]["outlet_by"] == "mark" and by_outlet["Кабар"]["outlet_found"] == "Кабар"
    assert by_outlet["Sputnik"]["outlet_by"] == "host" and by_outlet["Sputnik"]["host"] == "ru.sputnik.kg"
    event = client.get("/api/events").json()["items"][0]
    page = client.get(f"/events/{event['id']}").text
    assert "Кабар (mark “Кабар” in the text)" in page
    shown = CliRunner().invoke(cli, ["show", str(event["id"]), "--db", store.url])
    assert shown.exit_code == 0 and "outlet: Кабар (mark “Кабар” in the text)" in shown.output
