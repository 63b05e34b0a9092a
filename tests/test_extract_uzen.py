"""Uzbek and English rules from the tune14 sample: forums and conferences are no encounters (what is
held beside them, or a forum of two states, is), gatherings of business people or the press are no
sessions, and a converb has the tense of the verb it leads to. Sentences written for the tests."""
import datetime as dt


def pairs(events):
    return sorted(tuple(e.countries) for e in events)


def test_conference_of_many_is_no_event_en(extract_text):
    r = extract_text("A high-level conference on transport links between Central and South Asia opened in Tashkent "
                     "on Thursday. The conference was attended by President of Uzbekistan Shavkat Mirziyoyev, the "
                     "Prime Minister of Pakistan and the President of Afghanistan.", dt.date(2021, 7, 15))
    assert r.events == []


def test_bilateral_meeting_beside_a_conference_is_one_en(extract_text):
    r = extract_text("A high-level conference on transport links between Central and South Asia opened in Tashkent "
                     "on Thursday. On the sidelines of the conference, Kazakh Foreign Minister Murat Nurtleu met "
                     "with Foreign Minister of Pakistan Ishaq Dar.", dt.date(2024, 7, 15))
    assert pairs(r.events) == [("KAZ", "PAK")]
    assert r.events[0].status == "held"


def test_forum_of_two_states_stays_an_event_en(extract_text):
    r = extract_text("The ministers discussed preparations for the Forum of Interregional Cooperation of Kazakhstan "
                     "and Russia slated for November 7 in Omsk.", dt.date(2019, 10, 9))
    assert pairs(r.events) == [("KAZ", "RUS")]
    assert r.events[0].status == "planned"


def test_business_forum_and_recorded_address_are_no_events_en(extract_text):
    r = extract_text("An Uzbekistan-Kyrgyzstan business forum is taking place in Tashkent today. "
                     "UN Secretary-General Antonio Guterres will address the participants of the gathering via video message.",
                     dt.date(2024, 7, 17))
    assert r.events == []


def test_business_forum_is_no_event_uz(extract_text):
    r = extract_text("Bugun Toshkent shahrida «Oʻzbekiston – Qirgʻiziston» biznes forumi boʻlib oʻtmoqda. "
                     "Unda ikki davlatning yuzdan ortiq kompaniyalari ishtirok etmoqda.", dt.date(2024, 7, 17))
    assert r.events == []


def test_business_meeting_on_the_eve_of_a_summit_uz(extract_text):
    r = extract_text("Samarqandda Shanxay hamkorlik tashkiloti sammiti arafasida aʼzo davlatlar ishbilarmonlarining "
                     "biznes uchrashuvi boʻlib oʻtdi.", dt.date(2022, 9, 14))
    assert all(e.named_format for e in r.events)


def test_international_conference_is_no_event_uz(extract_text):
    r = extract_text("Ташқи ишлар вазири бошчилигидаги делегация Женевада бўлиб ўтган сув ресурслари бўйича "
                     "халқаро конференцияда иштирок этди. Конференцияда 40 дан ортиқ давлат вакиллари қатнашди.",
                     dt.date(2023, 3, 22))
    assert r.events == []


def test_un_assembly_session_is_no_event_uz(extract_text):
    r = extract_text("Oʻzbekiston Prezidenti Shavkat Mirziyoyev sentabr oyida Nyu-Yorkda BMT Bosh Assambleyasining "
                     "navbatdagi sessiyasida nutq soʻzlaydi.", dt.date(2025, 9, 1))
    assert r.events == []


def test_converb_takes_the_tense_of_its_verb_uz(extract_text):
    r = extract_text("Сафар доирасида Президент Шавкат Мирзиёев Қозоғистон Президенти Қасим-Жомарт Тоқаев билан "
                     "учрашиб, музокаралар ўтказади.", dt.date(2025, 3, 1))
    (ev,) = r.events
    assert ev.status == "planned" and ev.countries == ["KAZ", "UZB"]


def test_converb_of_a_past_report_is_held_uz(extract_text):
    r = extract_text("Tashqi ishlar vaziri Baxtiyor Saidov Turkiya tashqi ishlar vaziri Hakan Fidan bilan uchrashib, "
                     "ikki tomonlama hamkorlik masalalarini muhokama qildi.", dt.date(2025, 3, 1))
    (ev,) = r.events
    assert ev.status == "held" and ev.countries == ["TUR", "UZB"]
