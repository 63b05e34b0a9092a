"""Kazakh written in Latin letters (2018 and 2021 alphabets): identified as Kazakh, read in Cyrillic by the
Kazakh analyser, its events the same as those of the Cyrillic text, their evidence on the Latin
characters. The sentences are the project's own."""

import datetime as dt

import pytest

from kurultai.analyze import get_analyser
from kurultai.analyze.latin import LatinReader
from kurultai.kb.lexicon import load_lexicon
from kurultai.lang import detect
from kurultai.models import Document
from kurultai.pipeline import Pipeline
from kurultai.spans import Rewrite

CYRILLIC = ("Қазақстан Президенті Қасым-Жомарт Тоқаев 12 наурызда Ақордада Қырғыз Республикасының Президенті "
            "Садыр Жапаровпен кездесті. Тараптар сауда-экономикалық ынтымақтастықты және су ресурстарын "
            "пайдалану мәселелерін талқылады.")
LATIN_2018 = ("Qazaqstan Prezıdenti Qasym-Jomart Toqaev 12 naýryzda Aqordada Qyrǵyz Respýblıkasynyń Prezıdenti "
              "Sadyr Japarovpen kezdesti. Taraptar saýda-ekonomıkalyq yntymaqtastyqty jáne sý resýrstaryn "
              "paıdalaný máselelerin talqylady.")
LATIN_2021 = ("Qazaqstan Prezidentı Qasym-Jomart Toqaev 12 nauryzda Aqordada Qyrğyz Respublikasynyñ Prezidentı "
              "Sadyr Japarovpen kezdestı. Taraptar sauda-ekonomikalyq yntymaqtastyqty jäne su resurstaryn "
              "paidalanu mäselelerın talqylady.")
# a second one, with a visit, a place and a topic
CYRILLIC_VISIT = ("Мемлекет басшысы Қасым-Жомарт Тоқаев Ташкентте Өзбекстан Президенті Шавкат Мирзиёевпен "
                  "келіссөздер жүргізді. Екі ел басшылары сауда-экономикалық ынтымақтастықты талқылады.")
LATIN_2018_VISIT = ("Memleket basshysy Qasym-Jomart Toqaev Tashkentte Ózbekstan Prezıdenti Shavkat Mırzııoevpen "
                    "kelissózder júrgizdi. Eki el basshylary saýda-ekonomıkalyq yntymaqtastyqty talqylady.")
LATIN_2021_VISIT = ("Memleket basşysy Qasym-Jomart Toqaev Taşkentte Özbekstan Prezidentı Şavkat Mirziioevpen "
                    "kelıssözder jürgızdı. Ekı el basşylary sauda-ekonomikalyq yntymaqtastyqty talqylady.")


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


def run(pipeline, text):
    return pipeline.run_document(Document(id="t", text=text, lang=detect(text).lang, published=dt.date(2024, 3, 12)))


def fields(event):
    """An event as the scorer compares it: every field but the evidence offsets."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("evidence", "id")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(event.model_dump(mode="json"))


def evidence(event):
    """Every evidence span of the event and of its parts, in order."""
    out = []

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "evidence":
                    out.extend(tuple(s) for s in v)
                else:
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(event.model_dump(mode="json"))
    return out


@pytest.mark.parametrize("text", [LATIN_2018, LATIN_2021, LATIN_2018_VISIT, LATIN_2021_VISIT,
                                  "Prezıdent Toqaev Reseı Prezıdenti Vladımır Pýtınmen telefon arqyly sóılesti.",
                                  "Qazaqstan Syrtqy ister mınıstri Túrkııa Respýblıkasynyń elshisin qabyldady.",
                                  "Qazaqstan Syrtqy ıster ministrı Türkiia Respublikasynyñ elşısın qabyldady."])
def test_kazakh_latin_is_kazakh(text):
    assert detect(text).lang == "kk"


@pytest.mark.parametrize("text, lang", [
    ("Cumhurbaşkanı Erdoğan, Kazakistan Cumhurbaşkanı Kasım Cömert Tokayev ile Ankara'da görüştü ve iki ülke "
     "arasındaki ilişkileri değerlendirdi.", "tr"),
    ("Dışişleri Bakanı, Türkmenistan'ın başkenti Aşkabat'ta mevkidaşıyla bir araya gelerek enerji alanındaki "
     "işbirliğini ele aldı.", "tr"),
    ("Türkmenistanyň Prezidenti Serdar Berdimuhamedow Gazagystanyň Daşary işler ministrini kabul etdi we "
     "ikitaraplaýyn gatnaşyklary ara alyp maslahatlaşdy.", "tk"),
    ("Azərbaycan Prezidenti İlham Əliyev Qazaxıstan Respublikasının xarici işlər nazirini qəbul edib.", "az"),
    ("Oʻzbekiston Prezidenti Shavkat Mirziyoyev Qozogʻiston Prezidenti bilan telefon orqali suhbatlashdi va "
     "hamkorlik masalalarini muhokama qildi.", "uz"),
])
def test_neighbours_are_not_kazakh(text, lang):
    assert detect(text).lang == lang


@pytest.mark.parametrize("cyrillic, latin", [(CYRILLIC, LATIN_2018), (CYRILLIC, LATIN_2021),
                                             (CYRILLIC_VISIT, LATIN_2018_VISIT), (CYRILLIC_VISIT, LATIN_2021_VISIT)])
def test_same_events_as_cyrillic(pipeline, cyrillic, latin):
    cyr, lat = run(pipeline, cyrillic), run(pipeline, latin)
    assert cyr.events, "the Cyrillic text gives an event"
    assert [fields(e) for e in lat.events] == [fields(e) for e in cyr.events]
    ev = lat.events[0]
    assert {p.name_en for p in ev.participants} >= {"Kassym-Jomart Tokayev"}
    # the evidence points at the Latin characters that were read: each span, read in Cyrillic, is the
    # Cyrillic text's span of the same evidence
    reader = LatinReader(load_lexicon("kk").get("latin_script"))
    abc = reader.alphabet(latin)
    for (a, b), (c, d) in zip(evidence(ev), evidence(cyr.events[0]), strict=True):
        assert reader.rewrite(latin[a:b], abc).text == cyrillic[c:d]
        # and it holds whole words of the original
        assert (a == 0 or not latin[a - 1].isalpha()) and (b == len(latin) or not latin[b].isalpha() or latin[b - 1] == "-")
    assert lat.document.text == latin


def test_outcome_title_as_written(pipeline):
    cyr = ("Мемлекет басшысы Қасым-Жомарт Тоқаев Бакуде Әзербайжан Президенті Ильхам Әлиевпен келіссөздер жүргізді. "
           "Кездесу қорытындысы бойынша тараптар көлік саласындағы ынтымақтастық туралы келісімге қол қойды.")
    lat = ("Memleket basshysy Qasym-Jomart Toqaev Bakýde Ázerbaıjan Prezıdenti Ilham Álıevpen kelissózder júrgizdi. "
           "Kezdesý qorytyndysy boıynsha taraptar kólik salasyndaǵy yntymaqtastyq týraly kelisimge qol qoıdy.")
    (c,), (e,) = run(pipeline, cyr).events, run(pipeline, lat).events
    assert (e.countries, e.location.name, e.topics) == (c.countries, c.location.name, c.topics) == (["AZE", "KAZ"], "Baku", ["transport"])
    # the title is the Latin text's own words, its evidence on them
    assert [(o.type, o.title) for o in e.outcomes] == [("agreement", "kólik salasyndaǵy yntymaqtastyq týraly kelisimge")]
    assert [lat[a:b] for o in e.outcomes for a, b in o.evidence] == [e.outcomes[0].title]


def test_person_evidence_on_the_latin_name(pipeline):
    ev = run(pipeline, LATIN_2018).events[0]
    spans = {p.name_en: [LATIN_2018[a:b] for a, b in p.evidence] for p in ev.participants}
    assert spans["Kassym-Jomart Tokayev"] == ["Prezıdenti", "Qasym-Jomart Toqaev"]
    assert spans["Sadyr Japarov"] == ["Prezıdenti", "Sadyr Japarovpen"]
    assert [LATIN_2018[a:b] for a, b in ev.date.evidence] == ["12 naýryzda"]


def test_reading_in_cyrillic():
    reader = get_analyser("kk")
    assert reader.rewrite(LATIN_2018).text == CYRILLIC
    assert reader.rewrite(LATIN_2021).text == CYRILLIC
    assert reader.rewrite(LATIN_2018_VISIT).text == CYRILLIC_VISIT
    assert reader.rewrite(LATIN_2021_VISIT).text == CYRILLIC_VISIT
    # the 2017 alphabet (apostrophes)
    assert reader.rewrite("Qazaqstan Prezi'denti Toqaev O'zbekstan bass'ysymen kezdesti ja'ne").text \
        == "Қазақстан Президенті Тоқаев Өзбекстан басшысымен кездесті және"
    # a capital I: и in a word with a back vowel, і otherwise; и after a vowel is й
    assert reader.rewrite("Iran Indııa Ishki Reseı Qytaı Ýkraına").text == "Иран Индия Ішкі Ресей Қытай Украина"
    # ŋ for ñ and ǧ for ğ; an accent written apart ("o" + U+0301), on a Cyrillic look-alike ("О́"), and a
    # Cyrillic і in a Latin word
    assert reader.rewrite("Toqaevtyŋ saparynyŋ baǧdarlamasy jäne elımızdıŋ").text == "Тоқаевтың сапарының бағдарламасы және еліміздің"
    assert reader.rewrite("О\u0301skemende o\u0301tken kezdesýde ákіmder jáne").text == "Өскеменде өткен кездесуде әкімдер және"
    # я and ё after a consonant are и + а, и + о; a word with a letter of no table (c, w, x) is left as written
    assert reader.rewrite("Azııa sııaqty materıaldyq radıo Mırzııoev jáne COVID-19 Microsoft").text \
        == "Азия сияқты материалдық радио Мирзиёев және COVID-19 Microsoft"
    # abai.kz's scheme (gh, ng, ә, ý for ү, ú for ұ, iy for и, no ı)
    assert reader.rewrite("Toqaev býgin Almaty qalasy júrtshylyghymen kezdesu ótkizdi jәne Preziydent mening aitty").text \
        == "Тоқаев бүгін Алматы қаласы жұртшылығымен кездесу өткізді және Президент менің айтты"
    # a Cyrillic text, with Latin names in it, is read as it is
    assert reader.rewrite(CYRILLIC + " «Air Astana»") is None
    # Turkmen, Uzbek and Kyrgyz are never rewritten
    assert all(get_analyser(lang).rewrite(LATIN_2018) is None for lang in ("tk", "uz", "ky"))


def test_rewrite_maps_back():
    rw = Rewrite("ashyq sh", [(1, 3, "ш"), (6, 8, "ш")])
    assert rw.text == "aшyq ш"
    assert rw.original_span(1, 2) == (1, 3)  # ш: both letters it was written from
    assert rw.original_span(0, 4) == (0, 5)
    assert rw.original_span(5, 6) == (6, 8)
    assert rw.original_span(6, 6) == (8, 8)
    assert rw.original_span(2, 4) == (3, 5)
    assert [rw.rewritten_offset(i) for i in range(9)] == [0, 1, 1, 2, 3, 4, 5, 5, 6]
    with pytest.raises(ValueError):
        Rewrite("abc", [(1, 2, "x"), (0, 1, "y")])



def test_explain_reads_latin_offsets(pipeline):
    """`eval --explain` finds the sentences of an event by its evidence offsets in the Latin text."""
    from kurultai.evaluate import _evidence_sentences

    # a text whose Cyrillic is much shorter than its Latin (sh, ch, ıa are one letter each)
    text = "Shyǵys shekarasyndaǵy shaǵyn shaharlarda shahmatshylar chempıonaty ótti. " * 16 + LATIN_2018_VISIT
    ex = run(pipeline, text)
    a = get_analyser("kk").analyse(Document(id="t", text=text, lang="kk"))
    event = ex.to_dict()["events"][0]
    event["participants"] = []  # its own evidence only
    said = [a.doc.text[s.start:s.end] for s in _evidence_sentences(a, event)]
    assert said == [CYRILLIC_VISIT[:CYRILLIC_VISIT.index(" Екі")], CYRILLIC_VISIT[CYRILLIC_VISIT.index("Екі"):]], said


def test_paragraph_set():
    """The lang_id paragraph set: its Kazakh Latin paragraphs are Kazakh, no Turkish, Azerbaijani or
    Turkmen one is."""
    import json
    from pathlib import Path

    rows = [json.loads(line) for line in (Path(__file__).parent / "data" / "lang_paragraphs.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    latin = [r for r in rows if r["lang"] == "kk" and r["script"].startswith("latn")]
    assert len(latin) >= 30 and {r["script"] for r in latin} == {"latn-2018", "latn-2021"}
    assert [r["text"][:40] for r in latin if detect(r["text"]).lang != "kk"] == []
    assert [r["text"][:40] for r in rows if r["lang"] in ("tr", "az", "tk") and detect(r["text"]).lang == "kk"] == []


def test_rewrite_map_against_every_character():
    """The segment map gives what a map of every character gives, on random rewrites."""
    import random

    rnd = random.Random(7)
    for _ in range(300):
        original = "".join(rnd.choice("abcdef ") for _ in range(rnd.randint(0, 30)))
        pieces, pos = [], 0
        while pos < len(original):
            pos += rnd.randint(0, 3)
            end = min(len(original), pos + rnd.randint(0, 3))
            if pos > len(original):
                break
            pieces.append((pos, end, "xyz"[: rnd.randint(0, 3)]))
            pos = end
        rw = Rewrite(original, pieces)
        starts, ends, text, at = [], [], "", 0  # every character of the new text: its piece's span
        for a, b, new in pieces + [(len(original), len(original), "")]:
            for k in range(at, a):
                starts.append(k)
                ends.append(k + 1)
            text += original[at:a]
            if len(new) == b - a:
                starts += range(a, b)
                ends += range(a + 1, b + 1)
            else:
                starts += [a] * len(new)
                ends += [b] * len(new)
            text += new
            at = b
        assert rw.text == text
        for i in range(len(text) + 1):
            for j in range(i, len(text) + 1):
                want = (len(original),) * 2 if i == len(text) else (starts[i], starts[i]) if i == j else (starts[i], ends[j - 1])
                assert rw.original_span(i, j) == want, (original, pieces, i, j)


def test_work_grows_linearly_with_a_latin_text(pipeline):
    from test_linear_time import LINEAR, growth

    texts = [LATIN_2018, LATIN_2021, LATIN_2018_VISIT, LATIN_2021_VISIT]

    def make(k: int) -> str:
        return "\n\n".join(texts[i % len(texts)] for i in range(k * len(texts)))

    assert growth(pipeline, make, "kk", 4) < LINEAR
