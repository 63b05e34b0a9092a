"""Tajik and Turkmen rules from a fresh sample of real articles (issue 14), each on sentences written
for it (no article text)."""
import datetime as dt


def names(ev):
    return {p.name_en for p in ev.participants}


def test_tg_phone_call_held_with_doir(extract_text):
    r = extract_text("Имрӯз Президенти Ҷумҳурии Тоҷикистон Эмомалӣ Раҳмон бо Президенти Ҷумҳурии Қазоқистон "
                     "Қосим-Жомарт Токаев суҳбати телефонӣ доир намуданд. Ҷонибҳо масъалаҳои ҳамкории иқтисодиро "
                     "баррасӣ карданд.", dt.date(2025, 3, 10))
    (ev,) = r.events
    assert ev.mode == "phone" and ev.status == "held"
    assert ev.countries == ["KAZ", "TJK"]


def test_tg_session_of_heads_of_kishvarho_is_the_summit(extract_text):
    r = extract_text("Пагоҳ дар шаҳри Душанбе ҷаласаи навбатии сарони кишварҳои узви Иттиҳоди Давлатҳои Мустақил "
                     "доир мегардад. Дар он масъалаҳои ҳамкории минтақавӣ баррасӣ хоҳанд шуд.", dt.date(2025, 10, 9))
    (ev,) = r.events
    assert ev.named_format == "CIS:SUMMIT" and ev.status == "planned"
    assert ev.location is not None and ev.location.name == "Dushanbe"


def test_tg_session_opened_ifititoh(extract_text):
    r = extract_text("Дар шаҳри Бишкек ҷаласаи сарони давлатҳои узви Созмони Аҳдномаи амнияти дастаҷамъӣ ифтитоҳ ёфт.",
                     dt.date(2025, 11, 27))
    (ev,) = r.events
    assert ev.named_format == "CSTO:SUMMIT" and ev.status == "held"


def test_tg_session_begun_and_chaired(extract_text):
    r = extract_text("Дар шаҳри Маскав ҷаласаи сарони давлатҳои узви Созмони Аҳдномаи амнияти дастаҷамъӣ ба кори худ "
                     "шурӯъ намуд. Ҷаласа таҳти раёсати Президенти Ҷумҳурии Тоҷикистон Эмомалӣ Раҳмон ҷараён дорад.",
                     dt.date(2025, 12, 1))
    (ev,) = r.events
    assert ev.named_format == "CSTO:SUMMIT" and ev.status == "held"
    assert "Emomali Rahmon" in names(ev)
    assert ev.location is not None and ev.location.name == "Moscow"


def test_tg_virtual_meeting_is_video(extract_text):
    r = extract_text("Дирӯз мулоқоти вазирони корҳои хориҷии Тоҷикистон, Ӯзбекистон ва Туркманистон дар шакли маҷозӣ "
                     "сурат гирифт.", dt.date(2025, 5, 2))
    (ev,) = r.events
    assert ev.mode == "video"
    assert ev.countries == ["TJK", "TKM", "UZB"]


def test_tg_cica_by_its_tajik_name(extract_text):
    r = extract_text("Ҳамоиши навбатии Машварати ҳамкорӣ ва тадбирҳои боварӣ дар Осиё 20 июн дар шаҳри Душанбе "
                     "баргузор мегардад.", dt.date(2025, 6, 1))
    (ev,) = r.events
    assert ev.named_format == "CICA:SUMMIT" and ev.status == "planned"


def test_tg_present_future_meeting_is_planned(extract_text):
    r = extract_text("Бино ба иттилои вазорат, президенти Эрон рӯзи 17 сентябр дар Душанбе бо президенти Ӯзбекистон "
                     "Шавкат Мирзиёев дидору гуфтушунид анҷом медиҳад.", dt.date(2025, 9, 14))
    (ev,) = r.events
    assert ev.status == "planned"
    assert ev.countries == ["IRN", "UZB"]


def test_tg_shura_of_a_parliament_is_no_session(extract_text):
    r = extract_text("23 феврал дар шаҳри Боку дар ҳошияи иҷлосияи Ассамблеяи парлумонии Осиё Раиси Маҷлиси "
                     "намояндагони Маҷлиси Олии Ҷумҳурии Тоҷикистон Маҳмадтоир Зокирзода бо муовини Раиси Маҷлиси "
                     "Шурои Давлати Қатар хонум Фотима Ал-Ҳошимӣ мулоқот намуд.", dt.date(2025, 2, 24))
    meetings = [e for e in r.events if e.format == "bilateral"]
    assert [e.countries for e in meetings] == [["QAT", "TJK"]]


def test_tg_person_before_about_preposition_takes_part(extract_text):
    r = extract_text("Муовини вазири корҳои хориҷии Федератсияи Русия Михаил Галузин ва сафири Тоҷикистон рӯзи "
                     "сешанбе дар бораи омодагии сафари сарвазири Русия Михаил Мишустин ба Душанбе сӯҳбат карданд.",
                     dt.date(2025, 1, 25))
    (ev,) = r.events
    assert "Mikhail Galuzin" in names(ev)
    assert "Mikhail Mishustin" not in names(ev)


def test_tg_name_after_bo_is_not_the_title_holder(extract_text):
    r = extract_text("Рустами Эмомалӣ, раиси Маҷлиси миллии кишвар бо Илҳом Алиев дар шаҳри Боку дидору гуфтугӯ кард.",
                     dt.date(2025, 4, 3))
    (ev,) = r.events
    aliyev = next(p for p in ev.participants if p.name_en == "Ilham Aliyev")
    assert aliyev.role == "head_of_state" and aliyev.country == "AZE"


def test_tk_foreign_ministers_on_the_eve_of_the_summit_are_its_cfm(extract_text):
    r = extract_text("Şu gün Bakuwda Türki Döwletleriň Guramasynyň nobatdaky Sammiti geçirilýär. Bu sammitiň "
                     "öňüsyrasynda gurama agza döwletleriň daşary işler ministrleriniň duşuşygy geçirildi.",
                     dt.date(2025, 10, 7))
    formats = sorted(e.named_format for e in r.events)
    assert formats == ["OTS:CFM", "OTS:SUMMIT"]
    assert all(e.status == "held" for e in r.events)


def test_tk_peoples_council_title_is_no_session(extract_text):
    r = extract_text("Şu gün Bakuwda Türki Döwletleriň Guramasynyň nobatdaky Sammiti geçirilýär. Bu sammitiň "
                     "öňüsyrasynda gurama agza döwletleriň daşary işler ministrleriniň duşuşygy geçirildi. "
                     "Türki Döwletleriň Guramasynyň Sammitine Türkmenistanyň Halk Maslahatynyň Başlygy Gurbanguly "
                     "Berdimuhamedow hem gatnaşýar.", dt.date(2025, 10, 7))
    summit = next(e for e in r.events if e.named_format == "OTS:SUMMIT")
    assert "Gurbanguly Berdimuhamedov" in names(summit)
    assert all("Gurbanguly Berdimuhamedov" not in names(e) for e in r.events if e is not summit)


def test_tk_call_telefonda_gurleshdi(extract_text):
    r = extract_text("Türkmenistanyň Prezidenti Serdar Berdimuhamedow 15-nji martda BMG-niň Baş sekretary Antoniu "
                     "Guterriş bilen telefonda gürleşdi.", dt.date(2025, 3, 16))
    (ev,) = r.events
    assert ev.mode == "phone" and ev.organizations == ["UN"]


def test_tk_ghani_is_no_ghana(extract_text):
    r = extract_text("Türkmenistanyň Prezidenti Gurbanguly Berdimuhamedowyň Owganystanyň Prezidenti Mohammad Aşraf "
                     "Gani bilen telefon arkaly söhbetdeşligi boldy.", dt.date(2020, 3, 24))
    (ev,) = r.events
    assert ev.countries == ["AFG", "TKM"]
    assert "Ashraf Ghani" in names(ev)


def test_tk_session_one_came_to_attend_beside_a_held_meeting(extract_text):
    r = extract_text("Düýn Türkmenistanyň daşary işler ministri Raşid Meredowyň Ykdysady Hyzmatdaşlyk Guramasynyň "
                     "Ministrler Geňeşiniň mejlisine gatnaşmak üçin Aşgabada gelen Eýranyň daşary işler ministri "
                     "bilen duşuşygy geçirildi.", dt.date(2025, 11, 27))
    statuses = sorted(e.status for e in r.events)
    assert statuses == ["held", "planned"]
    held = next(e for e in r.events if e.status == "held")
    assert held.countries == ["IRN", "TKM"]
    assert "Rashid Meredov" in names(held)


def test_tk_within_taking_part_asserts_the_council(extract_text):
    r = extract_text("Yslam Hyzmatdaşlyk Guramasynyň daşary işler ministrleriniň Geňeşiniň mejlisine gatnaşmagynyň "
                     "çäklerinde Türkmenistanyň daşary işler ministri Raşid Meredow Guramanyň Baş sekretary bilen "
                     "duşuşdy.", dt.date(2025, 3, 23))
    council = next(e for e in r.events if e.named_format == "OIC:CFM")
    assert council.status == "held"


def test_tk_summit_one_set_off_to_attend_is_planned_and_a_meeting_apart(extract_text):
    r = extract_text("Şu gün Türkmenistanyň Prezidenti Serdar Berdimuhamedow Türki Döwletleriň Guramasynyň Sammitine "
                     "gatnaşmak üçin Azerbaýjan Respublikasyna iş sapary bilen ugrady. Saparyň çäklerinde Serdar "
                     "Berdimuhamedowyň Azerbaýjanyň Prezidenti Ilham Aliýew bilen duşuşygy meýilleşdirilýär.",
                     dt.date(2025, 10, 6))
    summit = next(e for e in r.events if e.named_format == "OTS:SUMMIT")
    assert summit.status == "planned"
    meeting = next(e for e in r.events if e is not summit)
    assert meeting.status == "planned" and meeting.countries == ["AZE", "TKM"]
    assert "Ilham Aliyev" not in names(summit)


def test_tg_annual_meeting_of_the_ministers_of_an_organisation_is_its_council(extract_text):
    r = extract_text("Рӯзи 12 май вазири корҳои хориҷии Тоҷикистон Сироҷиддин Муҳриддин дар мулоқоти солонаи вазирони "
                     "корҳои хориҷии Созмони ҳамкории исломӣ иштирок ва суханронӣ намуд.", dt.date(2025, 5, 13))
    (ev,) = r.events
    assert ev.named_format == "OIC:CFM" and ev.status == "held"
    assert "Sirojiddin Muhriddin" in names(ev)


def test_tg_those_in_the_work_of_this_session_join_it(extract_text):
    r = extract_text("Дар шаҳри Остона ҷаласаи сарони давлатҳои узви Созмони Аҳдномаи амнияти дастаҷамъӣ ифтитоҳ ёфт. "
                     "Дар кори ин ҷаласа раисҷумҳурон Эмомалӣ Раҳмон, Владимир Путин ва Александр Лукашенко ширкат "
                     "меварзанд.", dt.date(2025, 11, 27))
    (ev,) = r.events
    assert ev.named_format == "CSTO:SUMMIT"
    assert {"Emomali Rahmon", "Vladimir Putin", "Alexander Lukashenko"} <= names(ev)


def test_tg_talks_of_the_heads_of_an_organisation_are_its_summit(extract_text):
    r = extract_text("Сироҷиддин Муҳриддин: «Музокироти сарони кишварҳои ИДМ муваффақона баргузор шуд»\n\n"
                     "Музокироти сарони кишварҳои Иттиҳоди Давлатҳои Мустақил муваффақона баргузор шуд, — гуфт вазири "
                     "корҳои хориҷии Тоҷикистон Сироҷиддин Муҳриддин баъд аз ҷаласаи Шӯрои сарони давлатҳои ИДМ, ки "
                     "дар шаҳри Душанбе баргузор шуд.", dt.date(2025, 10, 10))
    (ev,) = r.events
    assert ev.named_format == "CIS:SUMMIT" and ev.status == "held"


def test_tk_ministers_of_member_states_join_the_council(extract_text):
    r = extract_text("Düýn Duşenbe şäherinde Garaşsyz Döwletleriň Arkalaşygynyň Daşary işler ministrleriniň Geňeşiniň "
                     "nobatdaky mejlisi geçirildi. Duşuşyga Gazagystanyň Daşary işler ministri M.Nurtleu, Russiýanyň "
                     "Daşary işler ministri S.Lawrow, Özbegistanyň Daşary işler ministri B.Saidow, GDA-nyň Baş sekretary "
                     "S.Lebedew gatnaşdylar.", dt.date(2025, 10, 9))
    (ev,) = r.events
    assert ev.named_format == "CIS:CFM"
    assert {"KAZ", "RUS", "UZB"} <= set(ev.countries)


def test_tk_as_reported_earlier_is_no_background(extract_text):
    r = extract_text("Şu gün Aşgabat şäherinde Merkezi Aziýanyň döwlet Baştutanlarynyň nobatdaky konsultatiw duşuşygy "
                     "başlandy. Ozal habar berşimiz ýaly, Aşgabat sammitine Täjigistanyň Prezidenti Emomali Rahmon, "
                     "Gazagystanyň Prezidenti Kasym-Žomart Tokaýew we Özbegistanyň Prezidenti Şawkat Mirziýoýew "
                     "gatnaşýar.", dt.date(2025, 8, 6))
    (ev,) = r.events
    assert ev.named_format == "C5" and ev.status == "held"
    assert {"Emomali Rahmon", "Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"} <= names(ev)


def test_tg_as_reported_earlier_is_no_background(extract_text):
    r = extract_text("Тавре қаблан хабар дода будем, имрӯз дар шаҳри Душанбе ҷаласаи Шӯрои сарони давлатҳои Иттиҳоди "
                     "Давлатҳои Мустақил баргузор гардид.", dt.date(2025, 10, 10))
    (ev,) = r.events
    assert ev.named_format == "CIS:SUMMIT" and ev.status == "held"


def test_tg_today_opening_the_sentence_dates_its_session(extract_text):
    r = extract_text("Имрӯз дар шаҳри Вена ҳайати Тоҷикистон таҳти сарварии муовини вазири корҳои хориҷӣ дар мулоқоти "
                     "вазирони корҳои хориҷии кишварҳои узви Созмони амният ва ҳамкории Аврупо иштирок мекунад.",
                     dt.date(2025, 12, 4))
    (ev,) = r.events
    assert ev.status == "held" and ev.organizations == ["OSCE"]


def test_tk_today_with_its_day_dates_the_talks(extract_text):
    r = extract_text("Awazada Türkmenistanyň, Azerbaýjanyň we Türkiýäniň döwlet Baştutanlarynyň sammiti geçirilýär. "
                     "Şu gün, 14-nji dekabrda üç döwletiň Baştutanlarynyň — Serdar Berdimuhamedowyň, Ilham Aliýewiň "
                     "hem-de Rejep Taýyp Ärdoganyň arasynda gepleşikler geçiriler.", dt.date(2025, 12, 14))
    (ev,) = r.events
    assert ev.status == "held"
    assert {"Serdar Berdimuhamedov", "Ilham Aliyev", "Recep Tayyip Erdoğan"} <= names(ev)


def test_tk_credentials_announced_for_a_day_to_come_are_planned(extract_text):
    r = extract_text("Russiýanyň Prezidenti Wladimir Putin 20-nji dekabrda täze bellenen ilçileriň ynanç hatlaryny "
                     "kabul eder. Täze bellenen ilçileriň hatarynda Türkmenistanyň hem ilçisi bar.", dt.date(2025, 12, 15))
    (ev,) = r.events
    assert ev.status == "planned" and ev.countries == ["RUS", "TKM"]
    assert ev.date is not None and ev.date.start == dt.date(2025, 12, 20)


def test_tg_month_and_year_with_the_year_word(extract_text):
    r = extract_text("Нишасти навбатии сарони давлатҳои узви Иттиҳоди Давлатҳои Мустақил дар октябри соли 2026 дар "
                     "шаҳри Маскав баргузор хоҳад шуд.", dt.date(2026, 3, 1))
    (ev,) = r.events
    assert ev.status == "planned" and ev.date is not None
    assert (ev.date.start, ev.date.end, ev.date.precision) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31), "month")


def test_tk_year_then_month(extract_text):
    r = extract_text("Taraplar 2026-njy ýylyň iýunynda Aşgabatda geçiriljek Merkezi Aziýa döwletleriniň Baştutanlarynyň "
                     "Konsultatiw duşuşygyna taýýarlyk meselelerini ara alyp maslahatlaşdylar.", dt.date(2026, 2, 1))
    planned = [e for e in r.events if e.named_format == "C5"]
    assert planned and planned[0].date is not None and planned[0].date.precision == "month"
    assert planned[0].date.start == dt.date(2026, 6, 1)


def test_tg_the_inviter_is_no_visitor(extract_text):
    r = extract_text("Президенти Эрон бо даъвати Президенти Тоҷикистон Эмомалӣ Раҳмон 16 сентябр бо сафари расмӣ ба "
                     "Душанбе меояд. Дар ҷараёни сафар музокироти роҳбарони ду давлат дар назар аст.", dt.date(2025, 9, 14))
    visits = [e.visit for e in r.events if e.visit]
    assert visits and all((v.visitor, v.host) == ("IRN", "TJK") for v in visits)


def test_tk_the_inviter_is_no_visitor(extract_text):
    r = extract_text("Türkmenistanyň Prezidenti Serdar Berdimuhamedow Özbegistanyň Prezidenti Şawkat Mirziýoýewiň "
                     "çakylygy boýunça döwlet sapary bilen Daşkende bardy. Soňra iki ýurduň Prezidentleriniň arasynda "
                     "gepleşikler geçirildi.", dt.date(2025, 5, 10))
    visits = [e.visit for e in r.events if e.visit]
    assert visits and all((v.visitor, v.host) == ("TKM", "UZB") for v in visits)


def test_tg_next_session_is_planned_and_its_host_is_its_venue(extract_text):
    r = extract_text("Остона мизбони нишасти ояндаи сарони Иттиҳоди Давлатҳои Мустақил\n\n"
                     "Нишасти ояндаи сарони кишварҳои узв дар октябри соли 2027 ба мизбонии Остона баргузор хоҳад шуд. "
                     "Котиби иҷроияи Иттиҳоди Давлатҳои Мустақил аз мизбонии Қазоқистон дар иҷлоси ояндаи сарони ин "
                     "кишварҳо хабар дод.", dt.date(2026, 10, 1))
    (ev,) = r.events
    assert ev.status == "planned" and ev.organizations == ["CIS"]
    assert ev.location is not None and ev.location.name == "Astana"



# ---- tk6: Turkmen restatements, gatherings, paired sides, envoys' titles; Tajik enclitic "and"

def test_tk_forum_of_the_public_is_no_event(extract_text):
    r = extract_text("Aşgabatda GDA ýurtlarynyň döredijilik we ylmy intelligensiýasynyň nobatdaky forumy öz işine başlady. "
                     "Forumyň işine Ermenistandan, Gazagystandan, Gyrgyzystandan we Russiýadan 200-den gowrak wekil gatnaşdy.",
                     dt.date(2025, 5, 15))
    assert r.events == []


def test_tk_conference_and_exhibition_is_no_event(extract_text):
    r = extract_text("Şu gün paýtagtymyzda Türkmenistanyň Söwda-senagat edarasy tarapyndan guralýan halkara sergi we ylmy maslahat "
                     "açyldy. Oňa Türkiýäniň, Hytaýyň we Eýranyň kompaniýalarynyň wekilleri gatnaşýarlar.", dt.date(2025, 11, 12))
    assert r.events == []


def test_tg_gathering_of_investors_is_no_event(extract_text):
    r = extract_text("Имрӯз дар шаҳри Душанбе ҳамоиши корофаринон ва сармоягузорони Тоҷикистон ва Чин баргузор гардид.",
                     dt.date(2025, 4, 2))
    assert r.events == []


def test_tg_conference_of_a_parliamentary_union_with_a_delegation_stays(extract_text):
    r = extract_text("Ҳайати парлумонии Тоҷикистон таҳти роҳбарии раиси Маҷлиси намояндагон Маҳмадтоир Зокирзода дар конфронси "
                     "навбатии Иттиҳодияи парлумонии Созмони ҳамкории исломӣ дар шаҳри Теҳрон ширкат варзид.", dt.date(2025, 2, 18))
    (ev,) = r.events
    assert "OIC" in ev.organizations and "TJK" in ev.countries


def test_tk_session_of_a_hyphenated_pair_is_bilateral(extract_text):
    r = extract_text("16-njy oktýabrda Aşgabatda türkmen-täjik hökümetara toparynyň nobatdaky mejlisi geçiriler. Mejlisde söwda "
                     "we ulag ulgamlaryndaky hyzmatdaşlyk ara alnyp maslahatlaşylar.", dt.date(2025, 10, 1))
    (ev,) = r.events
    assert ev.status == "planned" and ev.countries == ["TJK", "TKM"]
    assert ev.location is not None and ev.location.name == "Ashgabat"


def test_tk_region_in_an_envoys_title_is_no_format(extract_text):
    r = extract_text("Şu gün Türkmenistanyň Daşary işler ministri Raşid Meredow BMG-niň Baş sekretarynyň Merkezi Aziýa boýunça "
                     "ýörite wekili Kaha Imnadze bilen duşuşdy.", dt.date(2025, 2, 21))
    (ev,) = r.events
    assert ev.named_format is None and ev.countries == ["TKM"] and "UN" in ev.organizations
    assert {"Rashid Meredov", "Kakha Imnadze"} <= names(ev)


def test_tk_name_of_a_woman_in_the_accusative_is_no_state(extract_text):
    r = extract_text("Türkmenistanyň Prezidenti BMG-niň ýörite wekili Natalýa Germany kabul etdi.", dt.date(2019, 3, 1))
    (ev,) = r.events
    assert "DEU" not in ev.countries and "Natalia Gherman" in names(ev)


def test_tk_chair_of_the_mejlis_is_no_session(extract_text):
    r = extract_text("Türkmenistanyň Mejlisiniň Başlygy D.Gulmanowa bilen Russiýa Federasiýasynyň Federasiýa Geňeşiniň Başlygy "
                     "W.Matwiýenkonyň duşuşygy geçirildi.", dt.date(2024, 5, 26))
    (ev,) = r.events
    assert ev.named_format is None and ev.countries == ["RUS", "TKM"]
    assert {"Dunyagozel Gulmanova", "Valentina Matviyenko"} <= names(ev)


def test_tk_greetings_passed_during_the_talks_are_the_same_reception(extract_text):
    r = extract_text("Türkmenistanyň Prezidenti Gazagystanyň Daşary işler ministrini kabul etdi\n\n"
                     "Şu gün Türkmenistanyň Prezidenti Serdar Berdimuhamedow Gazagystan Respublikasynyň Daşary işler ministri "
                     "Murat Nurtleuwy kabul etdi.\n\n"
                     "Söhbetdeşligiň dowamynda döwlet Baştutanymyz Gazagystanyň Prezidenti Kasym-Žomart Tokaýewe iň gowy "
                     "arzuwlaryny beýan etdi. Duşuşykda taraplar söwda we ulag hyzmatdaşlygyny ara alyp maslahatlaşdylar.",
                     dt.date(2025, 3, 5))
    (ev,) = r.events
    assert ev.countries == ["KAZ", "TKM"] and "Kassym-Jomart Tokayev" not in names(ev)


def test_tk_views_exchanged_on_a_coming_summit_make_it_planned(extract_text):
    r = extract_text("Şu gün Türkmenistanyň Daşary işler ministri Raşid Meredow Gyrgyz Respublikasynyň Daşary işler ministri "
                     "Jeenbek Kulubaýew bilen duşuşdy. Duşuşygyň dowamynda taraplar Merkezi Aziýa döwletleriniň "
                     "Baştutanlarynyň konsultatiw duşuşygyna görülýän taýýarlyk barada pikir alyşdylar.", dt.date(2025, 8, 1))
    held = [e for e in r.events if e.status == "held"]
    planned = [e for e in r.events if e.status == "planned"]
    assert [e.countries for e in held] == [["KGZ", "TKM"]]
    assert [e.named_format for e in planned] == ["C5"]


def test_tg_enclitic_and_after_a_state(extract_text):
    r = extract_text("Дирӯз дар шаҳри Бишкек вазирони корҳои хориҷии Тоҷикистону Қирғизистон мулоқот карданд.", dt.date(2025, 6, 3))
    (ev,) = r.events
    assert ev.countries == ["KGZ", "TJK"]
