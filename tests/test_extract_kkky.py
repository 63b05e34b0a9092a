"""Kazakh and Kyrgyz rules from a fresh sample of real articles (issue 14), each on sentences written
for it (no article text)."""
import datetime as dt


def names(ev):
    return {p.name_en for p in ev.participants}


def test_ky_decision_to_be_adopted_is_no_reception(extract_text):
    r = extract_text("Кыргызстандын Өзбекстандагы элчисин дайындоо боюнча жакында чечим кабыл алынат. Бул тууралуу "
                     "министрликтин расмий өкүлү маалымдады.", dt.date(2024, 4, 2))
    assert r.events == []


def test_ky_reception_of_an_ambassador_still_a_reception(extract_text):
    r = extract_text("Бүгүн президент Садыр Жапаров Казакстандын Кыргызстандагы элчисин кабыл алды. Тараптар соода "
                     "маселелерин талкуулашты.", dt.date(2024, 4, 2))
    (ev,) = r.events
    assert ev.status == "held" and ev.countries == ["KAZ", "KGZ"]


def test_kk_invitation_accepted_is_no_reception(extract_text):
    r = extract_text("Қазақстан Президенті Қасым-Жомарт Тоқаев Әзірбайжан Президенті Ильхам Әлиевтің Бакуге ресми "
                     "сапармен келу туралы шақыруын қабылдады.", dt.date(2024, 5, 3))
    assert r.events == []


def test_ky_press_conference_after_talks_is_no_session(extract_text):
    r = extract_text("Бүгүн Бишкекте Кыргызстан менен Тажикстандын тышкы иштер министрлери сүйлөшүүлөрдү өткөрүштү. "
                     "Андан соң министрлер маалымат жыйынын өткөрүштү.", dt.date(2024, 6, 11))
    (ev,) = r.events
    assert ev.status == "held" and ev.countries == ["KGZ", "TJK"]
    text = r.document.text
    assert not any("жыйын" in text[a:b] for a, b in ev.evidence)


def test_kk_latin_lookalike_letter_inside_a_cyrillic_word(extract_text):
    # "Cыртқы" with a Latin C: the word is still read as Cyrillic (the role is found)
    r = extract_text("Бүгін Астанада Қазақстанның Cыртқы істер министрі Мұрат Нұртілеу Әзірбайжанның Cыртқы істер "
                     "министрі Джейхун Байрамовпен кездесті.", dt.date(2023, 6, 5))
    (ev,) = r.events
    assert ev.countries == ["AZE", "KAZ"]
    roles = {p.role for p in ev.participants}
    assert roles == {"foreign_minister"}
    text = r.document.text
    assert "Cыртқы" in text  # the document keeps the text as written


def test_kk_informal_meeting_of_cis_heads_of_state_is_the_summit(extract_text):
    r = extract_text("Қасым-Жомарт Тоқаев Санкт-Петербургте ТМД-ға мүше мемлекеттер басшыларының бейресми кездесуіне "
                     "қатысты. Іс-шараға сондай-ақ Ресей, Беларусь, Тәжікстан және Өзбекстан Президенттері қатысты.",
                     dt.date(2024, 12, 26))
    (ev,) = r.events
    assert ev.named_format == "CIS:SUMMIT" and ev.status == "held"
    assert {"BLR", "KAZ", "RUS", "TJK", "UZB"} <= set(ev.countries)


def test_ky_eurasian_economic_council_summit_without_supreme(extract_text):
    r = extract_text("Бүгүн Минск шаарында Евразия экономикалык кеңешинин саммити башталды. Ага ЕАЭБге мүчө "
                     "өлкөлөрдүн башчылары катышууда.", dt.date(2023, 5, 25))
    (ev,) = r.events
    assert ev.named_format == "EAEU:SEEC" and ev.status == "held"
