"""Rules from the fourth field-audit round (fresh unseen articles), each on sentences written for it."""
import datetime as dt


def pairs(events):
    return sorted(tuple(e.countries) for e in events)


def test_titled_run_of_counterparts_is_a_meeting_each(extract_text):
    r = extract_text("Министр иностранных дел России Сергей Лавров прибыл в Анкару. "
                     "В пятницу российский министр встретился с турецким коллегой Хаканом Фиданом, главой МИД "
                     "Азербайджана Джейхуном Байрамовым и министром иностранных дел Венгрии Петером Сийярто.",
                     dt.date(2025, 3, 1))
    meetings = [e for e in r.events if len(e.countries) == 2 and e.countries != ["RUS", "TUR"] or
                any(p.name_en == "Hakan Fidan" for p in e.participants)]
    assert pairs(meetings) == [("AZE", "RUS"), ("HUN", "RUS"), ("RUS", "TUR")]
    for e in meetings:
        assert "Sergey Lavrov" in {p.name_en for p in e.participants}
        assert e.format == "bilateral"


def test_run_after_a_pronoun_has_the_article_s_person(extract_text):
    r = extract_text("Глава МИД Казахстана Мурат Нуртлеу прибыл в Нью-Йорк. "
                     "Затем он провел переговоры с госсекретарем США Марко Рубио и главой МИД Турции Хаканом Фиданом.",
                     dt.date(2024, 9, 24))
    assert pairs(r.events) == [("KAZ", "TUR"), ("KAZ", "USA")]
    for e in r.events:
        assert "Murat Nurtleu" in {p.name_en for p in e.participants}


def test_joint_meeting_of_the_listed_stays_one(extract_text):
    r = extract_text("Сергей Лавров провел трехстороннюю встречу с главой МИД Турции Хаканом Фиданом и министром "
                     "иностранных дел Азербайджана Джейхуном Байрамовым.", dt.date(2024, 9, 24))
    assert pairs(r.events) == [("AZE", "RUS", "TUR")]


def test_separate_bilateral_talks_with_counterparts_of_states(extract_text):
    r = extract_text("India's foreign minister S Jaishankar held separate bilateral talks with his counterparts from "
                     "Tajikistan, Kyrgyzstan and Uzbekistan on the margins of a Shanghai Cooperation Organisation "
                     "meeting in Tashkent on Friday.", dt.date(2022, 7, 29))
    bilateral = [e for e in r.events if e.format == "bilateral"]
    assert pairs(bilateral) == [("IND", "KGZ"), ("IND", "TJK"), ("IND", "UZB")]


def test_those_attending_a_session_join_it(extract_text):
    r = extract_text("Очередная консультативная встреча глав государств Центральной Азии пройдет 9 августа в Астане. "
                     "В саммите примут участие президенты Азербайджана Ильхам Алиев, Кыргызстана Садыр Жапаров, "
                     "Таджикистана Эмомали Рахмон, а также генеральный секретарь ООН Антониу Гутерриш.", dt.date(2024, 8, 1))
    (ev,) = r.events
    assert ev.named_format == "C5" and ev.status == "planned"
    assert "AZE" in ev.countries
    assert {"Ilham Aliyev", "Sadyr Japarov", "Emomali Rahmon"} <= {p.name_en for p in ev.participants}


def test_those_attending_in_english(extract_text):
    r = extract_text("The consultative meeting of the heads of state of Central Asia will be held in Tashkent on 15 "
                     "November. The summit will be attended by the presidents of Azerbaijan Ilham Aliyev and "
                     "Kazakhstan Kassym-Jomart Tokayev, as well as UN Secretary-General Antonio Guterres.", dt.date(2025, 11, 1))
    (ev,) = r.events
    assert ev.named_format == "C5" and "AZE" in ev.countries


def test_a_summit_of_another_day_is_not_the_one_told(extract_text):
    r = extract_text("The consultative meeting of the heads of state of Central Asia will be held in Tashkent on 15 "
                     "November. A summit of the presidents of Azerbaijan, Turkey and Hungary will be held on 3 "
                     "December in Budapest.", dt.date(2025, 11, 1))
    assert len(r.events) == 2


def test_credentials_host_of_no_known_state_is_of_the_state_accredited_to(extract_text):
    r = extract_text("President Amadou Diallo on Monday received the letters of credence from three new envoys "
                     "accredited to Ghana.\nThe envoys who presented their credentials are:\n"
                     "– Mr. Pedro Alves, Ambassador of the Republic of Portugal.\n"
                     "– Mr. Juan Perez, Ambassador of the Republic of Chile.\n"
                     "– Mr. Ali Kaya, Ambassador of the Republic of Turkey.\n", dt.date(2025, 2, 3))
    assert pairs(r.events) == [("CHL", "GHA"), ("GHA", "PRT"), ("GHA", "TUR")]
    for e in r.events:
        assert ("Amadou Diallo", "head_of_state", "GHA") in {(p.name_en, p.role, p.country) for p in e.participants}


def test_credentials_run_announced_with_no_state(extract_text):
    r = extract_text("Садыр Жапаров сегодня принял верительные грамоты от послов, аккредитованных по совместительству. "
                     "Об этом сообщает пресс-служба. "
                     "Верительные грамоты вручили посол Италии Лука Бьянки и посол Бельгии Ян Пеетерс. "
                     "После этого послы вручили верительные грамоты Садыру Жапарову.", dt.date(2025, 10, 13))
    assert pairs(r.events) == [("BEL", "KGZ"), ("ITA", "KGZ")]
    for e in r.events:
        assert ("Sadyr Japarov", "head_of_state", "KGZ") in {(p.name_en, p.role, p.country) for p in e.participants}


def test_an_office_across_a_verb_is_no_title(ru):
    from kurultai.models import Document
    a = ru.analyse(Document(id="t", text="Послы вручили верительные грамоты Садыру Жапарову.", lang="ru"))
    (ref,) = [r for r in a.persons.values() if r.name_en == "Sadyr Japarov"]
    assert ref.role != "ambassador"


def test_russian_preposition_is_no_office(ru):
    from kurultai.models import Document
    a = ru.analyse(Document(id="t", text="После этого министр выступил.", lang="ru"))
    assert not [m for m in a.mentions if m.kind == "role" and a.doc.text[m.start:m.end] == "После"]


def test_kyrgyz_call_in_the_locative(extract_text):
    r = extract_text("Тышкы иштер министри Жээнбек Кулубаев Түркиянын тышкы иштер министри Хакан Фидан менен "
                     "телефондо сүйлөштү.", dt.date(2025, 6, 1))
    (ev,) = r.events
    assert ev.mode == "phone" and ev.countries == ["KGZ", "TUR"]


def test_kyrgyz_on_behalf_of_is_no_participant(extract_text):
    r = extract_text("Тышкы иштер министри Жээнбек Кулубаев Түркиянын тышкы иштер министри Хакан Фидан менен "
                     "телефондо сүйлөштү. Сүйлөшүүнүн жүрүшүндө Кулубаев президент Садыр Жапаровдун атынан "
                     "боордош Түркия элине тилектештигин билдирди.", dt.date(2025, 6, 1))
    (ev,) = r.events
    assert "Sadyr Japarov" not in {p.name_en for p in ev.participants}


def test_english_talked_over_phone(extract_text):
    r = extract_text("The presidents of Kazakhstan and Uzbekistan talked over phone on Tuesday.", dt.date(2025, 3, 18))
    (ev,) = r.events
    assert ev.mode == "phone" and ev.countries == ["KAZ", "UZB"]


def test_kyrgyz_central_asia_variants_and_partner_summit(extract_text):
    r = extract_text("Президент Садыр Жапаров Борбор Азия — Италия самитине катышуу үчүн Астанага барды.", dt.date(2025, 5, 30))
    assert [e.named_format for e in r.events] == ["C5+ITA"]
    r = extract_text("Президент Садыр Жапаров «Ортолук Азия + Япония» Диалогу боюнча саммитке катышат.", dt.date(2025, 12, 18))
    assert [e.named_format for e in r.events] == ["C5+JPN"]


def test_partner_joined_by_a_dash_wins_over_a_genitive_before(extract_text):
    r = extract_text("Токаев Азербайжандын Борбор Азия-Кытай саммитине катышуу идеясын колдоду. "
                     "Борбор Азия-Кытай саммити 6-ноябрда өтөт.", dt.date(2025, 10, 29))
    assert {e.named_format for e in r.events} == {"C5+CHN"}


def test_a_quoted_format_before_its_summit_word_names_it(extract_text):
    r = extract_text("Чолпон-Атада «Европа Биримдиги — Борбор Азия» саммити өтүп жатат. "
                     "Саммитке Борбор Азия өлкөлөрүнүн мамлекет башчылары катышууда.", dt.date(2023, 6, 2))
    (ev,) = r.events
    assert ev.named_format == "C5+EU" and ev.location and ev.location.name == "Cholpon-Ata"


def test_a_bilateral_meeting_at_a_conference_takes_no_attendance(extract_text):
    r = extract_text("16 июля президент Узбекистана Шавкат Мирзиёев принял министра иностранных дел Туркменистана "
                     "Рашида Мередова. Встреча прошла на полях международной конференции в Ташкенте. "
                     "В конце июня Шавкат Мирзиёев обсуждал организацию саммита с президентом Туркменистана "
                     "Сердаром Бердымухамедовым.", dt.date(2021, 7, 16))
    meredov = [e for e in r.events if "Rashid Meredov" in {p.name_en for p in e.participants}]
    assert meredov and all("Serdar Berdimuhamedov" not in {p.name_en for p in e.participants} for e in meredov)


def test_format_named_before_its_session_word_has_that_word_s_tense(extract_text):
    r = extract_text("Сапардын жүрүшүндө Садыр Жапаров «С5+1» форматындагы мамлекет башчыларынын жыйынына катышат.",
                     dt.date(2025, 11, 5))
    (ev,) = r.events
    assert (ev.named_format, ev.status) == ("C5+USA", "planned")


def test_kyrgyz_about_to_take_place_is_planned(extract_text):
    r = extract_text("C5+1 форматындагы жолугушуу Вашингтондо өткөнү жатат.", dt.date(2025, 10, 29))
    (ev,) = r.events
    assert (ev.named_format, ev.status) == ("C5+USA", "planned")


def test_a_kb_person_of_one_state_keeps_it_in_a_list_of_sides(extract_text):
    r = extract_text("Астанада Ресей мен Қытай ішкі істер министрлері Сергей Лавров пен Ван И кездесті.", dt.date(2024, 5, 20))
    (ev,) = r.events
    assert ev.countries == ["CHN", "RUS"]
    assert {(p.name_en, p.country) for p in ev.participants} >= {("Sergey Lavrov", "RUS"), ("Wang Yi", "CHN")}


def test_uzbek_ambassador_in_the_host_state_is_of_the_sending_state(extract_text):
    r = extract_text("Ўзбекистон ташқи ишлар вазири Бахтиёр Саидов Япония Республикасининг Ўзбекистондаги элчиси "
                     "Такеши Ямада билан учрашди.", dt.date(2024, 3, 1))
    (ev,) = r.events
    assert ev.countries == ["JPN", "UZB"]
    assert ("ambassador", "JPN") in {(p.role, p.country) for p in ev.participants}


def test_the_day_s_own_event_in_the_future_tense_is_held(extract_text):
    r = extract_text("Бугун Тошкентда Ўзбекистон ва Қозоғистон ташқи ишлар вазирлари учрашуви бўлиб ўтади.", dt.date(2024, 5, 2))
    (ev,) = r.events
    assert ev.status == "held" and ev.date.start == dt.date(2024, 5, 2)
    r = extract_text("Эртага Тошкентда Ўзбекистон ва Қозоғистон ташқи ишлар вазирлари учрашуви бўлиб ўтади.", dt.date(2024, 5, 2))
    (ev,) = r.events
    assert ev.status == "planned"


def test_a_session_told_after_a_visit_is_the_one_the_visitor_came_for(extract_text):
    r = extract_text("Ўзбекистон президенти Шавкат Мирзиёев амалий ташриф билан Россиянинг Санкт-Петербург шаҳрига борди. "
                     "Бугун Мустақил Давлатлар Ҳамдўстлигининг норасмий саммити бўлиб ўтади.", dt.date(2023, 12, 26))
    (ev,) = r.events
    assert ev.named_format == "CIS:SUMMIT" and {"RUS", "UZB"} <= set(ev.countries)
    assert "Shavkat Mirziyoyev" in {p.name_en for p in ev.participants}
