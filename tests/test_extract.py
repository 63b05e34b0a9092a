"""Extraction on the project's own samples and on short texts written for each rule."""
import datetime as dt

import pytest

from conftest import SAMPLES


def events_of(pipeline, name):
    return pipeline.run_path(SAMPLES / name).events


def people(ev):
    return {(p.name_en, p.role, p.country) for p in ev.participants}


def test_visit_with_two_meetings(pipeline):
    evs = events_of(pipeline, "ru_visit_two_meetings.txt")
    assert len(evs) == 2
    reception, talks = evs
    for ev in evs:
        assert (ev.status, ev.mode, ev.format) == ("held", "in_person", "bilateral")
        assert ev.countries == ["TJK", "UZB"]
        assert ev.visit and (ev.visit.type, ev.visit.visitor, ev.visit.host) == ("official", "UZB", "TJK")
        assert ev.location and ev.location.name == "Dushanbe"
        assert ev.date and ev.date.start == dt.date(2024, 3, 14)
    assert people(reception) == {("Bakhtiyor Saidov", "foreign_minister", "UZB"), ("Emomali Rahmon", "head_of_state", "TJK")}
    assert {"water", "energy", "transport"} <= set(reception.topics)
    assert ("Bakhtiyor Saidov", "foreign_minister", "UZB") in people(talks)
    assert {(f.indicator, f.kind, f.value, f.unit, f.year) for f in talks.figures} == {
        ("trade_turnover", "actual", 6e8, "USD", 2023), ("trade_turnover", "target", 2e9, "USD", None)}
    assert [o.type for o in talks.outcomes] == ["plan"]
    assert talks.outcomes[0].title.startswith("Программу сотрудничества")


def test_multilateral_ministerial_and_the_next_one(pipeline):
    evs = events_of(pipeline, "ru_ministerial_c5_japan.txt")
    held = [e for e in evs if e.status == "held"]
    planned = [e for e in evs if e.status == "planned"]
    assert len(held) == 1 and len(planned) == 1
    ev = held[0]
    assert (ev.named_format, ev.format) == ("C5+JPN", "multilateral")
    assert ev.countries == ["JPN", "KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert ev.location.name == "Tokyo" and ev.date.start == dt.date(2024, 11, 20)
    assert {"trade", "environment", "digital", "afghanistan", "education"} <= set(ev.topics)
    assert sorted(o.type for o in ev.outcomes) == ["joint_statement", "plan"]
    nxt = planned[0]
    assert nxt.named_format == "C5+JPN" and nxt.location.name == "Tashkent"
    assert (nxt.date.start, nxt.date.end, nxt.date.precision) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year")


def test_phone_call(pipeline):
    (ev,) = events_of(pipeline, "ru_phone_call.txt")
    assert (ev.mode, ev.format, ev.location, ev.visit) == ("phone", "bilateral", None, None)
    assert ev.countries == ["KAZ", "KGZ"]
    assert people(ev) == {("Sadyr Japarov", "head_of_state", "KGZ"), ("Kassym-Jomart Tokayev", "head_of_state", "KAZ")}
    assert ev.date.start == dt.date(2025, 2, 5)
    assert {"borders", "energy"} <= set(ev.topics)


def test_planned_council(pipeline):
    (ev,) = events_of(pipeline, "ru_planned_council.txt")
    assert (ev.status, ev.named_format, ev.format) == ("planned", "CIS:CFM", "multilateral")
    assert ev.organizations == ["CIS"]
    assert ev.date.start == dt.date(2025, 4, 11)
    assert ev.location.name == "Minsk" and ev.location.country == "BLR"
    assert ("Sergey Lavrov", "foreign_minister", "RUS") in people(ev)
    assert {"migration", "culture", "security"} <= set(ev.topics)


def test_non_diplomatic_item_yields_nothing(pipeline):
    assert events_of(pipeline, "ru_sports_not_diplomatic.txt") == []


def test_every_field_has_evidence_inside_the_text(pipeline):
    for path in sorted(SAMPLES.glob("*.txt")):
        result = pipeline.run_path(path)
        text = result.document.text
        for ev in result.events:
            spans = list(ev.evidence)
            assert spans, path.name
            for p in ev.participants:
                assert p.evidence
                spans += p.evidence
            for item in ([ev.date] if ev.date and ev.date.evidence else []) + ev.outcomes + ev.figures:
                assert item.evidence
                spans += item.evidence
            for a, b in spans:
                assert 0 <= a < b <= len(text)
            for o in ev.outcomes:
                a, b = o.evidence[0]
                assert text[a:b] == o.title


def test_referenced_meeting_in_the_past(extract_text):
    r = extract_text("Сегодня в Астане состоялась встреча министров иностранных дел Казахстана и Узбекистана. "
                     "Стороны напомнили об итогах встречи президентов Казахстана и Узбекистана, состоявшейся 15 марта 2018 года в Ташкенте.",
                     dt.date(2024, 5, 2))
    statuses = sorted(e.status for e in r.events)
    assert statuses == ["held", "referenced"]
    ref = next(e for e in r.events if e.status == "referenced")
    assert ref.date.start == dt.date(2018, 3, 15) and ref.location.name == "Tashkent"


def test_video_conference(extract_text):
    r = extract_text("Министры иностранных дел Казахстана и Китая провели переговоры в режиме видеоконференции. "
                     "Стороны обсудили вопросы транзита.", dt.date(2021, 2, 1))
    (ev,) = r.events
    assert ev.mode == "video" and ev.location is None


def test_a_visit_belongs_to_meetings_in_the_host_country(extract_text):
    text = ("ASTANA. Foreign Minister of Kazakhstan Murat Nurtleu met today with Russian Foreign Minister Sergey "
            "Lavrov, who arrived in Astana for an official visit.\n\nThe ministers discussed trade and the preparations "
            "for the forum of interregional cooperation of Kazakhstan and Russia, which will be held in Omsk on "
            "November 7, 2025.")
    evs = extract_text(text, dt.date(2025, 10, 9)).events
    held = [e for e in evs if e.status == "held"]
    planned = [e for e in evs if e.status == "planned"]
    assert len(held) == 1 and held[0].visit and (held[0].visit.visitor, held[0].visit.host) == ("RUS", "KAZ")
    assert held[0].location and held[0].location.name == "Astana"
    assert len(planned) == 1 and planned[0].location and planned[0].location.name == "Omsk"
    assert planned[0].visit is None  # held in Russia: not part of the visit to Kazakhstan


def test_one_event_per_counterpart_on_the_sidelines(extract_text):
    text = ("Астана, 5 мая 2025 года. Министр иностранных дел Казахстана Мурат Нуртлеу на полях заседания Совета "
            "министров иностранных дел ШОС встретился с министрами иностранных дел Индии Субраманьямом Джайшанкаром, "
            "Пакистана Исхаком Даром и Ирана Аббасом Аракчи. В ходе встреч обсуждены вопросы торговли и транспорта.")
    evs = extract_text(text).events
    bilateral = [e for e in evs if e.named_format is None]
    session = [e for e in evs if e.named_format == "SCO:CFM"]
    assert len(session) == 1 and "SCO" in session[0].organizations
    assert sorted(tuple(e.countries) for e in bilateral) == [("IND", "KAZ"), ("IRN", "KAZ"), ("KAZ", "PAK")]
    for e in bilateral:
        assert e.format == "bilateral" and "Murat Nurtleu" in {p.name_en for p in e.participants}
        assert len(e.participants) == 2 and {"trade", "transport"} <= set(e.topics)


def test_a_single_counterpart_on_the_sidelines_is_one_meeting(extract_text):
    text = ("Президент Казахстана Касым-Жомарт Токаев на полях саммита ШОС встретился с Президентом России "
            "Владимиром Путиным.")
    bilateral = [e for e in extract_text(text, dt.date(2025, 7, 4)).events if e.countries == ["KAZ", "RUS"]]
    assert len(bilateral) == 1


def test_background_meeting_is_referenced(extract_text):
    text = ("Министр иностранных дел Кыргызстана Жээнбек Кулубаев провел переговоры с министром иностранных дел "
            "Узбекистана Бахтиером Саидовым в Бишкеке. Ранее министры встречались в Ташкенте.")
    evs = extract_text(text, dt.date(2025, 2, 3)).events
    assert [e.status for e in evs] == ["held", "referenced"]


def test_organisations_named_as_content_are_not_parties(extract_text):
    text = ("Министр иностранных дел Казахстана Мурат Нуртлеу провел переговоры с министром иностранных дел "
            "Турции Хаканом Фиданом. Стороны обсудили взаимодействие в рамках ООН, ОБСЕ и СВМДА.")
    evs = extract_text(text, dt.date(2025, 2, 3)).events
    assert len(evs) == 1 and evs[0].organizations == [] and evs[0].countries == ["KAZ", "TUR"]


def test_turkic_verb_forms_outside_any_list(extract_text):
    # forms no lexicon lists: the suffix grammar reads them from the stems
    ky = "Кыргызстандын тышкы иштер министри Жээнбек Кулубаев Казакстандын элчиси менен жолугушушту."
    kk = "Қазақстанның Сыртқы істер министрі Мұрат Нұртлеу Қырғызстан елшісімен кездескен болатын."
    for text in (ky, kk):
        evs = extract_text(text, dt.date(2025, 2, 3)).events
        assert len(evs) == 1 and evs[0].countries == ["KAZ", "KGZ"], text


def test_credentials_of_several_ambassadors_are_one_event_each(extract_text):
    text = ("Президент Узбекистана Шавкат Мирзиёев принял верительные грамоты чрезвычайных и полномочных послов "
            "Германии, Китая и Пакистана.")
    evs = extract_text(text, dt.date(2025, 3, 4)).events
    assert sorted(tuple(e.countries) for e in evs) == [("CHN", "UZB"), ("DEU", "UZB"), ("PAK", "UZB")]
    assert all(e.format == "bilateral" and e.status == "held" for e in evs)


def test_one_body_told_twice_is_one_event(extract_text):
    text = ("Саммит Организации тюркских государств прошел в Самарканде. Узбекистан председательствовал на "
            "саммите Организации тюркских государств.")
    evs = extract_text(text, dt.date(2022, 11, 11)).events
    assert [e.named_format for e in evs] == ["OTS:SUMMIT"]


def test_a_run_of_credentials_listed_after_the_ceremony(extract_text):
    # the list of a run announced in the sentence before, its items split by semicolons, without a verb
    text = ("A ceremony took place in Astana, where President Kassym-Jomart Tokayev accepted credentials from the "
            "new ambassadors of three countries. The diplomats presenting their credentials included the Ambassador "
            "of Spain, Juan Perez; Ambassador of Estonia, Mart Kask; and Ambassador of Rwanda, Jean Habimana.")
    evs = extract_text(text, dt.date(2025, 3, 4)).events
    assert sorted(tuple(e.countries) for e in evs) == [("ESP", "KAZ"), ("EST", "KAZ"), ("KAZ", "RWA")]
    assert all(e.status == "held" and [p.name_en for p in e.participants][:1] == ["Kassym-Jomart Tokayev"] for e in evs)


def test_a_format_name_with_any_dash_and_lower_case_words(extract_text):
    text = ("Ўзбекистон Президенти Шавкат Мирзиёев Самарқанд шаҳрида бўлиб ўтган “Марказий Осиё—Европа иттифоқи” "
            "биринчи саммитида иштирок этди. Бу ҳақда Президент матбуот хизмати хабар берди.")
    evs = extract_text(text, dt.date(2025, 4, 4)).events
    assert [e.named_format for e in evs] == ["C5+EU"] and "EU" in evs[0].organizations


def test_the_new_ambassadors_of_several_states_are_received_one_by_one(extract_text):
    text = "Президент Казахстана Касым-Жомарт Токаев встретился с новыми послами Испании, Китая, Евросоюза и Израиля."
    evs = extract_text(text, dt.date(2025, 3, 4)).events
    assert sorted((tuple(e.countries), tuple(e.organizations)) for e in evs) == [
        (("CHN", "KAZ"), ()), (("ESP", "KAZ"), ()), (("ISR", "KAZ"), ()), (("KAZ",), ("EU",))]


def test_those_who_came_for_the_session_take_part_in_it(extract_text):
    text = ("Саммит ОДКБ пройдет 27 ноября в Бишкеке. Для участия в саммите президент Казахстана Касым-Жомарт Токаев "
            "и президент Таджикистана Эмомали Рахмон 26 ноября прибыли в Бишкек.")
    evs = extract_text(text, dt.date(2025, 11, 26)).events
    assert len(evs) == 1 and evs[0].named_format == "CSTO:SUMMIT" and evs[0].status == "planned"
    assert {"KAZ", "TJK", "KGZ"} <= set(evs[0].countries) and evs[0].date.start == dt.date(2025, 11, 27)


@pytest.mark.parametrize("text", [
    "The SCO summit was held today in Astana. The heads of state of Russia, China, India and Pakistan took part in it.",
    "Бүгін Астанада ШЫҰ саммиті өтеді. Іс-шараға Ресей, Қытай, Үндістан және Пәкістанның мемлекет басшылары қатысады.",
])
def test_the_states_whose_leaders_attend_a_session(extract_text, text):
    evs = extract_text(text, dt.date(2024, 7, 4)).events
    assert len(evs) == 1 and evs[0].named_format == "SCO:SUMMIT"
    assert {"RUS", "CHN", "IND", "PAK", "KAZ"} <= set(evs[0].countries), evs[0].countries


def test_the_ambassadors_of_an_announced_run_named_without_a_verb(extract_text):
    text = ("Президент Таджикистана Эмомали Рахмон принял верительные грамоты от трех новых послов. "
            "Среди них посол Японии Ито Кэн, посол Канады Джон Смит и посол Чили Хуан Перес.")
    evs = extract_text(text, dt.date(2025, 3, 4)).events
    assert sorted(tuple(e.countries) for e in evs) == [("CAN", "TJK"), ("CHL", "TJK"), ("JPN", "TJK")]


def test_a_session_named_without_tense_beside_the_coming_one_is_the_coming_one(extract_text):
    # "during the event the presidents are to take part in the narrow and extended sessions of the council"
    text = ("Ertaga, 14 oktyabr kuni Ostona shahrida MDH Davlat rahbarlari kengashining majlisi boʻlib oʻtadi. "
            "Tadbir davomida prezidentlar MDH Davlat rahbarlari kengashining tor doiradagi va kengaytirilgan majlislarida "
            "ishtirok etishi, hamkorlik masalalari boʻyicha fikr almashishi koʻzda tutilgan.")
    evs = extract_text(text, dt.date(2024, 10, 13)).events
    assert [(e.named_format, e.status) for e in evs] == [("CIS:SUMMIT", "planned")]


def test_without_a_publication_day_the_office_named_gives_the_state(extract_text):
    # Nazarbayev's latest KB term is not head of state; the text names that office: its state is his
    text = "Глава государства Нурсултан Назарбаев встретился с президентом Турции Абдуллой Гюлем."
    evs = extract_text(text, None).events
    assert [e.countries for e in evs] == [["KAZ", "TUR"]]


def test_a_meeting_word_that_reads_as_verb_and_frame_is_the_frame(extract_text):
    # Kazakh "кездесуде": "is meeting" or "at the meeting"; here the meeting just told
    text = ("Қазақстан сыртқы істер министрі Ерлан Ыдырысов бүгін Швейцария президенті Дидье Буркхальтермен кездесті. "
            "Кездесуде Ерлан Ыдырысов Қазақстанның Украинадағы дағдарысты бейбіт жолмен шешуді жақтайтынын айтты.")
    evs = extract_text(text, dt.date(2014, 6, 1)).events
    assert [e.countries for e in evs] == [["CHE", "KAZ"]]


def test_a_body_of_an_organisation_across_its_bracketed_abbreviation_and_an_ordinal(extract_text):
    text = ("8-9-noyabr kunlari Toshkent shahrida Oʻzbekiston Respublikasi Prezidenti Shavkat Mirziyoyev raisligida "
            "Iqtisodiy hamkorlik tashkilotining (IHT) oʻn oltinchi sammiti boʻlib oʻtadi.")
    evs = extract_text(text, dt.date(2023, 11, 5)).events
    assert [(e.named_format, e.status) for e in evs] == [("ECO:SUMMIT", "planned")]


def test_a_date_of_what_was_said_during_the_meeting_is_not_its_date(extract_text):
    text = ("Министр иностранных дел Казахстана Мурат Нуртлеу встретился с послом России Алексеем Бородавкиным. "
            "В ходе встречи подведены основные итоги российско-казахстанского сотрудничества в 2023 году.")
    evs = extract_text(text, dt.date(2024, 2, 9)).events
    assert len(evs) == 1 and evs[0].date.start == dt.date(2024, 2, 9)


def test_the_host_of_a_session_at_a_named_venue_takes_part_even_when_no_state_is_named(extract_text):
    # GUIDE: the countries of a multilateral meeting include the host state when the text names the venue
    text = "Очередное заседание Совета министров иностранных дел СНГ пройдёт в Ашхабаде 10 октября."
    evs = extract_text(text, dt.date(2025, 10, 1)).events
    assert [(e.named_format, e.status, e.countries, e.organizations) for e in evs] == [("CIS:CFM", "planned", ["TKM"], ["CIS"])]


@pytest.mark.parametrize("text", [
    "Президент Казахстана Касым-Жомарт Токаев примет участие в саммите ШОС в Душанбе. "
    "В рамках саммита Токаев также проведёт двустороннюю встречу с Председателем КНР Си Цзиньпином.",
    "Oʻzbekiston Prezidenti Shavkat Mirziyoyev 20 iyun kuni Dushanbeda boʻladigan ShHT sammitida ishtirok etadi. "
    "Sammit doirasida Oʻzbekiston Prezidenti Xitoy raisi bilan ikki tomonlama uchrashuv ham oʻtkazadi.",
])
def test_a_bilateral_meeting_within_a_summit_is_an_event_of_its_own(extract_text, text):
    # (the Chinese leader named by a role that holds the state's name: "Председатель КНР", "Xitoy raisi")
    evs = extract_text(text, dt.date(2025, 6, 15)).events
    assert [(e.named_format, e.status) for e in evs] == [("SCO:SUMMIT", "planned"), (None, "planned")]
    assert evs[1].countries == ["CHN", evs[0].participants[0].country]


def test_this_format_after_a_bilateral_meeting_on_the_sidelines_is_the_summit_format(extract_text):
    text = ("Oʻzbekiston Prezidenti Shavkat Mirziyoyev 20 iyun kuni Ostonada boʻladigan «Markaziy Osiyo – Xitoy» sammitida ishtirok etadi. "
            "Sammit doirasida Oʻzbekiston Prezidenti Xitoy raisi bilan ikki tomonlama uchrashuv ham oʻtkazadi. "
            "Bu formatdagi birinchi sammit 2023 yil may oyida Sian shahrida boʻlib oʻtgan.")
    evs = extract_text(text, dt.date(2025, 6, 15)).events
    assert [(e.named_format, e.status) for e in evs] == [("C5+CHN", "planned"), (None, "planned"), ("C5+CHN", "referenced")]


def test_talks_of_the_two_sides_of_a_visit_told_just_before_are_talks_of_that_visit(extract_text):
    # nobody is named at the talks; the visit of the sentence before gives the visitor
    text = ("Қырғызстан президенті Садыр Жапаров Қазақстанға мемлекеттік сапармен келетін болды. "
            "Келіссөздер барысында қазақ-қырғыз ынтымақтастығының болашағы талқыланады.")
    evs = extract_text(text, dt.date(2025, 3, 1)).events
    assert [(e.status, e.countries, [p.name_en for p in e.participants]) for e in evs] == [("planned", ["KAZ", "KGZ"], ["Sadyr Japarov"])]
    assert evs[0].visit and (evs[0].visit.visitor, evs[0].visit.host) == ("KGZ", "KAZ")


def test_a_session_named_as_upcoming_is_planned_whatever_the_tense_of_the_sentence(extract_text):
    text = ("Министр иностранных дел Казахстана Мурат Нуртлеу и министр иностранных дел Китая Ван И "
            "обсудили подготовку к предстоящему саммиту ШОС в Астане.")
    evs = extract_text(text, dt.date(2024, 6, 1)).events
    assert [(e.named_format, e.status) for e in evs] == [("SCO:SUMMIT", "planned")]


def test_a_dated_visit_named_as_planned_during_a_call_is_announced(extract_text):
    # the visitor is named by the office of a state; the call before is another encounter
    text = ("Қазақстан Президенті Қасым-Жомарт Тоқаев Қырғызстан Президенті Садыр Жапаровпен телефон арқылы сөйлесті. "
            "Мемлекет басшылары Қазақстан Президентінің биылғы күзге жоспарланған Бішкекке сапарын талқылады.")
    evs = extract_text(text, dt.date(2024, 6, 1)).events
    assert [(e.status, e.mode, e.countries) for e in evs] == [("held", "phone", ["KAZ", "KGZ"]), ("planned", "in_person", ["KAZ", "KGZ"])]
    assert [p.name_en for p in evs[1].participants] == ["Kassym-Jomart Tokayev"]
    assert evs[1].location and evs[1].location.name == "Bishkek"


@pytest.mark.parametrize("text", [
    "Kyrgyz Foreign Minister Jeenbek Kulubaev held talks with Turkish Foreign Minister Hakan Fidan in Ankara on Monday. "
    "The ministers reviewed the implementation of the agreements reached during their previous meeting.",
    "Министр иностранных дел Кыргызстана Жээнбек Кулубаев провёл переговоры с министром иностранных дел Турции Хаканом Фиданом. "
    "Министры обсудили выполнение договорённостей, достигнутых в ходе недавнего телефонного разговора.",
])
def test_an_encounter_marked_as_earlier_is_a_referenced_one_of_the_same_sides(extract_text, text):
    evs = extract_text(text, dt.date(2025, 3, 3)).events
    assert [(e.status, e.countries) for e in evs] == [("held", ["KGZ", "TUR"]), ("referenced", ["KGZ", "TUR"])]
    assert evs[0].mode == "in_person"


def test_talks_of_the_two_sides_of_a_visit_a_few_sentences_on(extract_text):
    text = ("President of Kazakhstan Kassym-Jomart Tokayev arrived in Tashkent on an official visit. "
            "The guard of honour lined up at the airport. The anthems were played. The leaders walked along the guard. "
            "A children's choir sang. Flowers were laid at the monument. "
            "During the talks in narrow format, Uzbek-Kazakh relations were discussed.")
    evs = extract_text(text, dt.date(2025, 3, 3)).events
    assert [(e.status, e.countries, [p.name_en for p in e.participants]) for e in evs] == [
        ("held", ["KAZ", "UZB"], ["Kassym-Jomart Tokayev"])]


@pytest.mark.parametrize(("text", "people"), [
    ("Oʻzbekiston Prezidenti Shavkat Mirziyoyev 11 iyun kuni rasmiy tashrif bilan Dushanbega yetib keldi. "
     "Aeroportda uni Tojikiston Prezidenti Emomali Rahmon kutib oldi. "
     "Ikki mamlakat yetakchilari qisqa uchrashuv oʻtkazib, shahar markaziga yoʻl oldilar.", ["Shavkat Mirziyoyev", "Emomali Rahmon"]),
    # (a glued "boʻliboʻtdi" is the past of "boʻlib oʻtdi"; the host's leader is not named before)
    ("Tojikiston Prezidenti Emomali Rahmon 2 iyun kuni rasmiy tashrif bilan Toshkentga yetib keldi. "
     "Yetakchilar oʻrtasida qisqa suhbat boʻliboʻtdi.", ["Emomali Rahmon"]),
])
def test_a_meeting_of_the_two_leaders_after_a_visit_is_told_is_the_visit_meeting(extract_text, text, people):
    evs = extract_text(text, dt.date(2021, 6, 11)).events
    assert [(e.status, e.countries, [p.name_en for p in e.participants]) for e in evs] == [("held", ["TJK", "UZB"], people)]


def test_the_hosts_leader_of_a_visit_meeting_is_one_in_office_with_the_visitor(extract_text):
    # an airport named after a former president names no host of the talks
    text = ("Президент Садыр Жапаров иш сапары менен Ташкентке келди. Учак Ислам Каримов атындагы аэропортко конду. "
            "Эки өлкөнүн мамлекет башчылары сүйлөшүүлөрдү жүргүзүштү.")
    evs = extract_text(text, dt.date(2023, 11, 9)).events
    assert [(e.countries, [p.name_en for p in e.participants]) for e in evs] == [(["KGZ", "UZB"], ["Sadyr Japarov"])]


def test_a_visit_word_inside_a_persons_name_is_no_visit(extract_text):
    # Kyrgyz "сапар" is a trip, and the first name of Sapar Isakov
    evs = extract_text("Сапар Исаков Өзбекстандын өкмөт башчысы Абдулла Арипов менен Бишкекте жолукту.", dt.date(2021, 6, 11)).events
    assert [(e.countries, e.visit) for e in evs] == [(["KGZ", "UZB"], None)]


def test_speakers_of_parliaments_are_known_and_an_upper_house_is_no_session(extract_text):
    text = "Сенат Төрағасы Мәулен Әшімбаев Мәскеуде Федерация Кеңесінің Төрағасы Валентина Матвиенкомен кездесті."
    evs = extract_text(text, dt.date(2023, 3, 25)).events
    assert [(e.named_format, e.countries, [p.name_en for p in e.participants]) for e in evs] == [
        (None, ["KAZ", "RUS"], ["Maulen Ashimbayev", "Valentina Matviyenko"])]


def test_bilateral_meetings_with_the_speakers_of_two_states_are_two_events(extract_text):
    text = ("Олий Мажлис Сенатының Төрайымы Танзила Нарбаева Женевада Әзербайжан парламентінің төрайымы Сахиба Гафаровамен "
            "және Армения парламентінің төрағасы Ален Симонянмен екіжақты кездесулер өткізді.")
    evs = extract_text(text, dt.date(2023, 3, 25)).events
    assert [e.countries for e in evs] == [["AZE", "UZB"], ["ARM", "UZB"]]


def test_a_session_of_a_standing_body_named_only_as_where_someone_spoke_is_held(extract_text):
    text = "Бүгін ТМД мемлекеттер басшылары кеңесінің отырысында Қасым-Жомарт Тоқаев сөз сөйлеп, ынтымақтастық туралы айтты."
    evs = extract_text(text, dt.date(2023, 10, 13)).events
    assert [(e.named_format, e.status, e.countries) for e in evs] == [("CIS:SUMMIT", "held", ["KAZ"])]


def test_a_session_word_of_an_institution_beside_an_organisation_names_no_session(extract_text):
    # "Halk Maslahaty" is the People's Council; no organ of the OTS is named
    text = ("Türkmen halkynyň Milli Lideri, Türkmenistanyň Halk Maslahatynyň Başlygy Gurbanguly Berdimuhamedow "
            "Türki Döwletleriň Guramasynyň bitewi ulag strategiýasyny döretmäge çagyrdy.")
    assert extract_text(text, dt.date(2023, 3, 14)).events == []


@pytest.mark.parametrize("text", [
    "Foreign Minister of Kyrgyzstan Jeenbek Kulubaev had a telephone conversation with Foreign Minister of Kuwait.",
    "This was stated by President of Turkmenistan Serdar Berdimuhamedov in a telephone conversation with President of Russia Vladimir Putin.",
])
def test_english_phone_conversations_had_or_framed(extract_text, text):
    evs = extract_text(text, dt.date(2025, 3, 3)).events
    assert [(e.status, e.mode) for e in evs] == [("held", "phone")] and len(evs[0].countries) == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("On the eve of the Fifth Consultative Meeting of the Heads of State of Central Asia, "
     "the Meeting of Foreign Ministers of Central Asian Countries was held in Dushanbe.", [("C5", "held"), ("C5", "planned")]),
    ("Министр иностранных дел России Сергей Лавров встретился с министром иностранных дел Казахстана Муратом Нуртлеу "
     "в Бишкеке (Киргизия) накануне заседания Совета министров иностранных дел ОДКБ.", [("", "held"), ("CSTO:CFM", "planned")]),
])
def test_the_session_on_whose_eve_a_meeting_is_held_is_still_to_come(extract_text, text, expected):
    evs = extract_text(text, dt.date(2023, 9, 13)).events
    assert sorted((e.named_format or "", e.status) for e in evs) == expected


@pytest.mark.parametrize(("text", "status"), [
    ("МОСКВА, 20 дек — Sputnik. Неформальная встреча глав государств СНГ 26 декабря в Санкт-Петербурге.", "planned"),
    ("МОСКВА, 20 дек — Sputnik. Президент России Владимир Путин провёл переговоры с президентом Казахстана "
     "Касым-Жомартом Токаевым 7 октября в Астане.", "referenced"),
])
def test_a_day_without_its_year_is_read_against_the_datelines_day(extract_text, text, status):
    # no year anywhere: the dates stay unresolved, their order with the dateline's day gives the status
    evs = extract_text(text, None).events
    assert [(e.status, e.date) for e in evs] == [(status, None)]


def test_the_preparations_for_a_session_make_it_a_coming_one(extract_text):
    text = "Tashqi ishlar vaziri Baxtiyor Saidov Qirgʻiziston tashqi ishlar vaziri bilan ShHT sammitiga tayyorgarlikni muhokama qildi."
    evs = extract_text(text, dt.date(2023, 5, 1)).events
    assert [(e.named_format, e.status) for e in evs] == [("SCO:SUMMIT", "planned")]


def test_conversations_told_again_as_calls_are_one_call_per_counterpart(extract_text):
    text = ("Shavkat Mirziyoyev Qozogʻiston va Qirgʻiziston prezidentlari bilan muloqot qildi. "
            "Oʻzbekiston prezidenti Shavkat Mirziyoyev 1 may kuni Qozogʻiston va Qirgʻiziston prezidentlari bilan telefon orqali muloqot qildi.")
    evs = extract_text(text, dt.date(2023, 5, 1)).events
    assert sorted((e.mode, tuple(e.countries)) for e in evs) == [("phone", ("KAZ", "UZB")), ("phone", ("KGZ", "UZB"))]


def test_a_call_in_which_a_summit_is_prepared_is_held(extract_text):
    text = ("Daşary işler ministri Raşid Meredow türk hyzmatdaşy Mewlýut Çawuşoglu bilen geçiren telefon arkaly söhbetdeşliginde "
            "Türki döwletleriň guramasynyň sammitine taýýarlyk meselelerine seretdi.")
    evs = extract_text(text, dt.date(2023, 5, 1)).events
    assert [(e.status, e.mode) for e in evs] == [("held", "phone")]


def test_talks_foreseen_by_the_programme_of_a_visit_are_planned(extract_text):
    text = ("Госсекретарь США Майк Помпео прибыл в Нур-Султан. "
            "Программой визита предусмотрены его переговоры с главой государства Касым-Жомартом Токаевым.")
    evs = extract_text(text, dt.date(2020, 2, 1)).events
    assert [(e.status, e.countries) for e in evs if e.status == "planned"] == [("planned", ["KAZ", "USA"])]


def test_the_main_events_of_an_announced_visit_are_its_talks(extract_text):
    text = ("Oʻzbekiston Prezidenti Shavkat Mirziyoyev davlat tashrifi bilan Hindistonga yetib keldi. "
            "Tashrif doirasidagi asosiy tadbirlar ertaga Nyu-Dehli shahrida boʻlib oʻtadi.")
    evs = extract_text(text, dt.date(2018, 9, 30)).events
    assert [(e.status, e.countries) for e in evs] == [("planned", ["IND", "UZB"])]
