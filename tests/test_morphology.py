"""The Turkic suffix grammar: project-written paradigm tables, every form to its stem and tense class;
look-alikes that must not parse; Uzbek read through one folded lexicon in both scripts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kurultai.analyze import get_analyser

# (word, stem, tense class) as the grammar must read them
PARADIGMS = {
    "ky": [
        ("жолукту", "жолук", "past"), ("жолугушту", "жолугуш", "past"), ("жолугушушту", "жолугуш", "past"),
        ("жолугушат", "жолугуш", "future"), ("жолугушмакчы", "жолугуш", "future"), ("жолугушабыз", "жолугуш", "future"),
        ("жолугушкан", "жолугуш", "participle"), ("жолугушканы", "жолугуш", "reported"),
        ("жолугушуу", "жолугуш", "noun"), ("жолугушуусунда", "жолугуш", "noun"), ("жолугушуулардын", "жолугуш", "noun"),
        ("жолугушуп", "жолугуш", "converb"), ("жолугуп", "жолуг", "converb"), ("жолукканда", "жолук", "participle"), ("сүйлөштү", "сүйлөш", "past"), ("сүйлөшүүлөрдү", "сүйлөш", "noun"),
        ("өттү", "өт", "past"), ("өтөт", "өт", "future"), ("өткөн", "өт", "participle"), ("өтүүдө", "өт", "present"),
        ("өткөрүлдү", "өткөр", "past"), ("өткөрүлөт", "өткөр", "future"), ("өткөрүштү", "өткөр", "past"),
        ("катышат", "катыш", "future"), ("катышты", "катыш", "past"), ("талкууланды", "талкуула", "past"),
        ("талкууланат", "талкуула", "future"), ("коюлду", "кою", "past"),
    ],
    "kk": [
        ("кездесті", "кездес", "past"), ("кездеседі", "кездес", "future"), ("кездеспек", "кездес", "future"),
        ("кездескен", "кездес", "participle"), ("кездесу", "кездес", "noun"), ("кездесуі", "кездес", "noun"),
        ("кездесіп", "кездес", "converb"), ("өтті", "өт", "past"), ("өтеді", "өт", "future"), ("өткен", "өт", "participle"),
        ("өтуде", "өт", "present"), ("өткізілді", "өткіз", "past"), ("өткізіледі", "өткіз", "future"),
        ("қабылдады", "қабылда", "past"), ("қатысады", "қатыс", "future"), ("қатысты", "қатыс", "past"),
        ("талқыланды", "талқыла", "past"), ("қойылды", "қой", "past"),
    ],
    "uz": [
        ("uchrashdi", "uçraş", "past"), ("uchrashishdi", "uçraş", "past"), ("uchrashadi", "uçraş", "future"),
        ("uchrashmoqchi", "uçraş", "future"), ("uchrashgan", "uçraş", "participle"), ("учрашгани", "uçraş", "reported"), ("uchrashuv", "uçraş", "noun"),
        ("uchrashuvda", "uçraş", "noun"), ("uchrashib", "uçraş", "converb"), ("учрашди", "uçraş", "past"),
        ("учрашув", "uçraş", "noun"), ("o‘tdi", "öt", "past"), ("o'tkazildi", "ötkaz", "past"), ("oʻtkazilmoqda", "ötkaz", "present"),
        ("ўтказилади", "ötkaz", "future"), ("imzolandi", "imzola", "past"), ("имзоланди", "imzola", "past"),
    ],
    "tk": [
        ("duşuşdy", "duşuş", "past"), ("duşuşdylar", "duşuş", "past"), ("duşuşar", "duşuş", "future"),
        ("duşuşyp", "duşuş", "converb"), ("duşuşan", "duşuş", "participle"), ("duşuşyk", "duşuş", "noun"),
        ("duşuşygy", "duşuş", "noun"), ("duşuşygyň", "duşuş", "noun"), ("geçirildi", "geçir", "past"),
        ("geçiriler", "geçir", "future"), ("geçiriljek", "geçir", "future"), ("geçirilýär", "geçir", "present"),
        ("geçirilen", "geçir", "participle"), ("geçirilendigini", "geçir", "reported"), ("gatnaşdylar", "gatnaş", "past"),
        ("gatnaşjak", "gatnaş", "future"), ("maslahatlaşdylar", "maslahatlaş", "past"), ("tassyklandy", "tassykla", "past"),
    ],
}
# words that begin like a verb stem but are no form of it
LOOKALIKES = {
    "ky": ["өтө", "өтүнүч", "жолдун", "кабыл", "ачык", "башка"],
    "kk": ["өте", "өтініш", "ашық", "басқа", "қойма"],
    "uz": ["oʻta", "oʻtkir", "boshqa", "uchun"],
    "tk": ["söhbetdeşler", "geçelge", "başga", "bolar", "geçelgesi"],
}


@pytest.mark.parametrize("lang", sorted(PARADIGMS))
def test_paradigm_table(lang):
    verbs = get_analyser(lang).verbs
    wrong = []
    for word, stem, tense in PARADIGMS[lang]:
        p = verbs.parse(word)
        if p is None or (p.stem, p.tense) != (stem, tense):
            wrong.append((word, p and (p.stem, p.tense)))
    assert not wrong, wrong


@pytest.mark.parametrize("lang", sorted(LOOKALIKES))
def test_lookalikes_do_not_parse(lang):
    verbs = get_analyser(lang).verbs
    assert [w for w in LOOKALIKES[lang] if verbs.parse(w)] == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="абвгдежзийклмнопрстуфхцчшыэюяөүңәғқұһі", min_size=1, max_size=14))
def test_any_parse_is_a_listed_stem_and_a_full_word(word):
    for lang in ("ky", "kk"):
        verbs = get_analyser(lang).verbs
        p = verbs.parse(word)
        if p is not None:
            assert p.stem in verbs.stems and word.startswith(p.stem) and len(word) > len(p.stem)


def test_uzbek_scripts_and_apostrophes_read_alike(pipeline):
    texts = [
        "Oʻzbekiston tashqi ishlar vaziri Baxtiyor Saidov Qirgʻiziston tashqi ishlar vaziri Jeenbek Kulubayev bilan uchrashdi.",
        "O'zbekiston tashqi ishlar vaziri Baxtiyor Saidov Qirg'iziston tashqi ishlar vaziri Jeenbek Kulubayev bilan uchrashdi.",
        "O‘zbekiston tashqi ishlar vaziri Baxtiyor Saidov Qirg‘iziston tashqi ishlar vaziri Jeenbek Kulubayev bilan uchrashdi.",
        "Ўзбекистон ташқи ишлар вазири Бахтиёр Саидов Қирғизистон ташқи ишлар вазири Жээнбек Кулубаев билан учрашди.",
    ]
    seen = []
    for t in texts:
        ex = pipeline.run_bytes(t.encode(), "uz")
        assert ex.document.lang == "uz"
        assert len(ex.events) == 1, t
        e = ex.events[0]
        seen.append((e.status, tuple(e.countries), tuple(sorted(p.name_en for p in e.participants))))
    assert len(set(seen)) == 1 and seen[0][1] == ("KGZ", "UZB")


# Tajik: the suffix model of the Tajik analyser (plural, ezafe, object marker), every form to one stem
TAJIK_FORMS = [
    ("вазир", ["вазири", "вазирон", "вазирони", "вазиронро"]),
    ("кор", ["корҳо", "корҳои"]),
    ("кишвар", ["кишварҳо", "кишварҳои", "кишварро"]),
    ("мулоқот", ["мулоқоти", "мулоқотҳо", "мулоқотҳои"]),
    ("хориҷ", ["хориҷӣ", "хориҷии"]),
    ("сафир", ["сафири", "сафирон", "сафирони"]),
]


@pytest.mark.parametrize("base, forms", TAJIK_FORMS)
def test_tajik_forms_meet_their_stem(base, forms):
    stem = get_analyser("tg").stem
    assert {stem(f) for f in forms} == {stem(base)}, [(f, stem(f)) for f in forms]


def test_tajik_and_turkmen_names_in_any_form_meet_the_kb():
    """"Тоҷикистонро", "Türkiýäniň", "Berdimuhamedowyň": a case form finds its KB entry."""
    import datetime as dt

    from kurultai.models import Document

    for lang, text, iso in [("tg", "Сафири Чин бо вазири корҳои хориҷии Тоҷикистонро мулоқот кард.", "TJK"),
                            ("tk", "Türkiýäniň ilçisi Aşgabatda duşuşdy.", "TUR"),
                            ("tk", "Gazagystanyň Daşary işler ministri geldi.", "KAZ")]:
        a = get_analyser(lang).analyse(Document(id="t", text=text, lang=lang, published=dt.date(2024, 1, 1)))
        assert iso in {m.id for m in a.mentions if m.kind == "country"}, (lang, text)


@pytest.mark.parametrize("lang, text, body", [
    ("kk", "Астанада ШЫҰ саммиті өтті.", "SUMMIT"),  # possessive -і after the stem the greedy stemmer cuts ("самми")
    ("kk", "Мемлекет басшылары кеңесінің отырысы өтті.", "SUMMIT"),
    ("ky", "Бишкекте ШКУ саммити өттү.", "SUMMIT"),
])
def test_kazakh_and_kyrgyz_names_with_a_possessive_meet_the_kb(lang, text, body):
    import datetime as dt

    from kurultai.models import Document

    a = get_analyser(lang).analyse(Document(id="t", text=text, lang=lang, published=dt.date(2024, 1, 1)))
    assert body in {m.id for m in a.mentions if m.kind == "body"}, (lang, text)


@pytest.mark.parametrize("lang, surface, nominative", [
    ("kk", "Абдулла Гүлмен", "Абдулла Гүл"), ("kk", "Владимир Путинмен", "Владимир Путин"),
    ("ky", "Садыр Жапаровдун", "Садыр Жапаров"),
])
def test_turkic_names_to_nominative(lang, surface, nominative):
    assert get_analyser(lang).nominative(surface) == nominative
