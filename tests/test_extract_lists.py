"""Runs and lists of counterparts (field audit round 5, failure class 1): credentials presented by several
envoys are one reception each, with the envoy (name, ambassador, country) and the host; meetings with
several named counterparts on a summit's sidelines or told as "bilateral meetings" are one meeting each.
The sentences are written for these tests."""

from __future__ import annotations

import datetime as dt

DAY = dt.date(2025, 3, 14)


def _check_run(events, host_name: str, host_iso: str, envoys: dict[str, str | None], role: str = "ambassador") -> None:
    assert len(events) == len(envoys), [(e.countries, [p.name for p in e.participants]) for e in events]
    by_side = {next(c for c in e.countries if c != host_iso): e for e in events if host_iso in e.countries and len(e.countries) == 2}
    assert set(by_side) == set(envoys)
    for iso, name in envoys.items():
        e = by_side[iso]
        assert e.format == "bilateral" and e.status in ("held", "planned")
        people = {p.name: p for p in e.participants}
        assert host_name in people and people[host_name].country == host_iso
        if name is not None:
            assert name in people, (iso, list(people))
            assert people[name].role == role and people[name].country == iso


def test_ru_credentials_list_after_a_colon_with_the_host_named_before_it(extract_text):
    r = extract_text("Президент Таджикистана Эмомали Рахмон 13 марта в Душанбе принял верительные грамоты новых послов.\n"
                     "На церемонии вручения верительных грамот Президенту Республики Таджикистан Эмомали Рахмону "
                     "чрезвычайные и полномочные послы: Японии — Такаши Ямада, Королевства Швеция — Ларс Эрикссон, "
                     "Словацкой Республики — Мирослав Новак, Канады — Дэвид Браун вручили верительные грамоты.", DAY)
    _check_run(r.events, "Эмомали Рахмон", "TJK", {"JPN": None, "SWE": "Ларс Эрикссон", "SVK": "Мирослав Новак",
                                                   "CAN": "Дэвид Браун"})


def test_ru_a_name_no_model_reads_keeps_the_list_going(extract_text):
    # "Виктор" alone reads as a place: the next envoy of the list is still an ambassador of their own state
    r = extract_text("Президент Таджикистана Эмомали Рахмон принял верительные грамоты. Верительные грамоты Эмомали "
                     "Рахмону вручили чрезвычайные и полномочные послы: Литовской Республики — Навикас Эгидиюс, "
                     "Словацкой Республики — Виктор Борецки, Республики Бенин — Андре Окунлола-Биау, Республики "
                     "Колумбия — Эктор Аренас.", DAY)
    sides = {c for e in r.events for c in e.countries} - {"TJK"}
    assert sides == {"LTU", "SVK", "BEN", "COL"} and len(r.events) == 4
    benin = next(e for e in r.events if "BEN" in e.countries)
    envoy = [p for p in benin.participants if p.country == "BEN"]
    assert envoy and envoy[0].role == "ambassador"
    assert not any(p.country == "SVK" for e in r.events if "BEN" in e.countries or "COL" in e.countries for p in e.participants)


def test_ru_meetings_with_several_named_counterparts(extract_text):
    r = extract_text("Министр иностранных дел Кыргызстана Жээнбек Кулубаев на полях заседания СМИД СНГ в Минске "
                     "встретился с главой МИД Азербайджана Джейхуном Байрамовым, министром иностранных дел Армении "
                     "Араратом Мирзояном и министром иностранных дел Таджикистана Сироджиддином Мухриддином.", DAY)
    meetings = [e for e in r.events if e.format == "bilateral"]
    _check_run(meetings, "Жээнбек Кулубаев", "KGZ", {"AZE": "Джейхун Байрамов", "ARM": "Арарат Мирзоян",
                                                      "TJK": "Сироджиддин Мухриддин"}, role="foreign_minister")


def test_en_reception_of_several_then_bilateral_meetings_is_one_meeting_each(extract_text):
    r = extract_text("Kazakh President Kassym-Jomart Tokayev received the prime ministers of Kyrgyzstan, Tajikistan and "
                     "Uzbekistan in Astana on Tuesday. Tokayev held bilateral meetings with the Prime Minister of "
                     "Kyrgyzstan Adylbek Kasymaliev, the Prime Minister of Tajikistan Kokhir Rasulzoda and the Prime "
                     "Minister of Uzbekistan Abdulla Aripov, who arrived to attend the meeting of the council.", DAY)
    _check_run(r.events, "Kassym-Jomart Tokayev", "KAZ", {"KGZ": "Adylbek Kasymaliev", "TJK": "Kokhir Rasulzoda",
                                                          "UZB": "Abdulla Aripov"}, role="head_of_government")


def test_en_sidelines_talks_announced_in_a_quote(extract_text):
    r = extract_text("Uzbek President Shavkat Mirziyoyev will attend the SCO summit in Astana. \"On the sidelines of "
                     "the summit, he will hold talks with President Sadyr Japarov of Kyrgyzstan, President Emomali "
                     "Rahmon of Tajikistan and Prime Minister Shehbaz Sharif of Pakistan,\" spokesman Sherzod Asadov "
                     "said.", DAY)
    talks = [e for e in r.events if len(e.countries) == 2 and "KAZ" not in e.countries]
    sides = {next(c for c in e.countries if c != "UZB") for e in talks}
    assert sides == {"KGZ", "TJK", "PAK"} and all(e.status == "planned" for e in talks)
    assert all("Shavkat Mirziyoyev" in {p.name for p in e.participants} for e in talks)
    assert not any(p.name_en and "Asadov" in p.name_en for e in r.events for p in e.participants)


def test_en_envoys_told_again_without_the_host_add_no_event(extract_text):
    r = extract_text("The President of Kyrgyzstan Sadyr Japarov received credentials from the ambassadors of Japan, "
                     "Sweden and Canada. The ambassadors of Japan, Sweden and Canada presented their credentials at the "
                     "Yntymak Ordo residence.", DAY)
    _check_run(r.events, "Sadyr Japarov", "KGZ", {"JPN": None, "SWE": None, "CAN": None})


def test_kk_credentials_run_told_in_the_next_sentence(extract_text):
    r = extract_text("Мемлекет басшысы Қасым-Жомарт Тоқаев Ақордада шет мемлекеттердің елшілерінен сенім грамоталарын "
                     "қабылдады. Сенім грамоталарын Жапонияның елшісі Кэндзи Сато, Швецияның елшісі Ларс Эрикссон және "
                     "Канаданың елшісі Дэвид Браун тапсырды.", DAY)
    _check_run(r.events, "Қасым-Жомарт Тоқаев", "KAZ", {"JPN": "Кэндзи Сато", "SWE": "Ларс Эрикссон", "CAN": "Дэвид Браун"})


def test_ky_credentials_run_told_in_the_next_sentence(extract_text):
    r = extract_text("Президент Садыр Жапаров чет мамлекеттердин элчилеринен ишеним грамоталарын кабыл алды. Ишеним "
                     "грамоталарын Япониянын элчиси Кэндзи Сато, Швециянын элчиси Ларс Эрикссон жана Канаданын элчиси "
                     "Дэвид Браун тапшырышты.", DAY)
    _check_run(r.events, "Садыр Жапаров", "KGZ", {"JPN": "Кэндзи Сато", "SWE": "Ларс Эрикссон", "CAN": "Дэвид Браун"})


def test_uz_credentials_received_from_a_list_of_envoys(extract_text):
    r = extract_text("Prezident Shavkat Mirziyoyev Yaponiya elchisi Kenji Sato, Shvetsiya elchisi Lars Eriksson va "
                     "Kanada elchisi Devid Braundan ishonch yorliqlarini qabul qildi.", DAY)
    _check_run(r.events, "Shavkat Mirziyoyev", "UZB", {"JPN": "Kenji Sato", "SWE": "Lars Eriksson", "CAN": None})


def test_tg_credentials_presented_by_a_list_of_envoys(extract_text):
    r = extract_text("Президенти Тоҷикистон Эмомалӣ Раҳмон аз сафирони нав эътимоднома қабул кард. Ба Эмомалӣ Раҳмон "
                     "сафирони Ҷопон Такаши Ямада, Шветсия Ларс Эрикссон ва Канада Дэвид Браун эътимодномаҳои худро "
                     "тақдим карданд.", DAY)
    _check_run(r.events, "Эмомалӣ Раҳмон", "TJK", {"JPN": "Такаши Ямада", "SWE": None, "CAN": None})


def test_tk_credentials_run_told_in_the_next_sentence(extract_text):
    r = extract_text("Türkmenistanyň Prezidenti Serdar Berdimuhamedow täze bellenen ilçilerden ynanç hatlaryny kabul "
                     "etdi. Ynanç hatlaryny Ýaponiýanyň ilçisi Kenji Sato, Şwesiýanyň ilçisi Lars Eriksson we "
                     "Kanadanyň ilçisi Dewid Braun gowşurdylar.", DAY)
    _check_run(r.events, "Serdar Berdimuhamedow", "TKM", {"JPN": None, "SWE": "Lars Eriksson", "CAN": "Dewid Braun"})


def test_ru_envoys_listed_as_guests_at_a_reception_are_no_events(extract_text):
    r = extract_text("В Астане министерство иностранных дел Казахстана провело торжественный прием по случаю Дня "
                     "Независимости. На приеме присутствовали послы Германии, Франции, Японии и Турции, а также "
                     "представители деловых кругов и общественности столицы.", DAY)
    assert r.events == []
