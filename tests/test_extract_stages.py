"""Each stage of `kurultai.extract` on its own, over analyses of project-written sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from kurultai.analyze import get_analyser
from kurultai.extract import Extractor
from kurultai.extract.common import Draft, Trigger
from kurultai.kb import load_kb
from kurultai.models import Document


@pytest.fixture(scope="module")
def ex():
    return Extractor(load_kb())


def analyse(text: str, lang: str = "ru", published: dt.date | None = None):
    return get_analyser(lang).analyse(Document(id="t", lang=lang, text=text, published=published))


def only_sentence(a):
    s = a.sentences[0]
    return s, a.in_sentence(s)


def test_mentions_join_adjacent_trigger_words(ex):
    a = analyse("Министры провели переговоры на заседании Совета министров иностранных дел СНГ.")
    s, ms = only_sentence(a)
    trigs = ex._triggers(a, s, ms)
    assert len(trigs) == 1 and {"talks", "session"} <= trigs[0].kinds and trigs[0].verb


def test_mentions_a_reception_that_is_participation_is_none(ex):
    a = analyse("Министр Мурат Нуртлеу принял участие в форуме.")
    s, ms = only_sentence(a)
    assert all("reception" not in t.kinds for t in ex._triggers(a, s, ms))


def parties_of(ex, text: str) -> Draft:
    """The arguments stage alone over the first trigger of a one-sentence text."""
    a = analyse(text)
    s, ms = only_sentence(a)
    d = Draft(status="held", sentence=0, trigger_spans=[])
    ex._parties(a, ms, d, ex._triggers(a, s, ms)[0])
    return d


def test_arguments_region_and_partner_make_the_format(ex):
    d = parties_of(ex, "В Астане прошла встреча министров иностранных дел стран Центральной Азии и Японии.")
    assert d.named_format == "C5+JPN" and {"KAZ", "KGZ", "TJK", "TKM", "UZB", "JPN"} <= set(d.countries)


def test_arguments_content_organisations_are_not_parties(ex):
    d = parties_of(ex, "Министры провели переговоры и обсудили сотрудничество в рамках ООН и ОБСЕ.")
    assert d.organizations == {}


def test_status_tense_and_background(ex):
    a = analyse("Ранее министры встречались в Ташкенте.")
    s, ms = only_sentence(a)
    trig = ex._triggers(a, s, ms)[0]
    assert ex._background(a, a.in_sentence(s), trig)
    b = analyse("Переговоры состоятся в Бишкеке.")
    s2, ms2 = only_sentence(b)
    t2 = ex._triggers(b, s2, ms2)[0]
    occ = [m for m in ms2 if m.kind == "cue" and m.id.startswith("occ:")]
    assert ex._tense(t2, occ, b.doc.text) == "future"


def test_coreference_partial_mention_of_a_session_joins_it(ex):
    a = analyse("Саммит ШОС прошел в Астане с участием Казахстана, Китая и России.")
    big = Draft(status="held", sentence=0, trigger_spans=[], named_format="SCO:SUMMIT")
    big.countries = {"KAZ": [], "CHN": [], "RUS": []}
    small = Draft(status="held", sentence=1, trigger_spans=[])
    small.countries = {"RUS": []}
    assert ex._duplicate(a, small, big)
    other = Draft(status="planned", sentence=1, trigger_spans=[])
    other.countries = {"RUS": []}
    assert not ex._duplicate(a, other, big)


def test_slots_outcomes_and_figures(ex):
    a = analyse("По итогам переговоров подписано Соглашение о сотрудничестве в области энергетики. "
                "Товарооборот в 2024 году составил 2 млрд долларов.")
    d = Draft(status="held", sentence=0, trigger_spans=[])
    for s in a.sentences:
        ex._outcomes(a, s, d, False)
        ex._figures(a, s, d, None, None)
    assert [o.type for o in d.outcomes] == ["agreement"]
    assert [(f.indicator, f.value, f.unit, f.year) for f in d.figures] == [("trade_turnover", 2e9, "USD", 2024)]


def test_visit_reads_visitor_host_and_type(ex):
    a = analyse("Министр иностранных дел Казахстана Мурат Нуртлеу прибыл с официальным визитом в Бишкек.")
    s, ms = only_sentence(a)
    v = ex._visit(a, s, ms)
    assert v is not None and (v.type, v.visitor, v.host, v.city) == ("official", "KAZ", "KGZ", "Bishkek|KGZ")


def test_visit_announced_is_planned(ex):
    a = analyse("Президент Кыргызстана Садыр Жапаров посетит Венгрию с официальным визитом.", published=dt.date(2025, 1, 1))
    s, ms = only_sentence(a)
    v = ex._visit(a, s, ms)
    d = ex._announced_visit(a, s, v, [])
    assert d is not None and d.status == "planned" and set(d.countries) == {"HUN", "KGZ"}


def test_trigger_type_is_shared():
    assert Trigger(0, 1, {"meeting"}, False, [(0, 1)]).kinds == {"meeting"}
