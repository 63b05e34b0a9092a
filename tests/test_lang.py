import pytest

from kurultai.lang import detect, paragraphs


@pytest.mark.parametrize("text, lang", [
    ("Министр иностранных дел Казахстана провел переговоры с российским коллегой в Москве.", "ru"),
    ("Қазақстанның Сыртқы істер министрі ресейлік әріптесімен келіссөздер жүргізді.", "kk"),
    ("Тышкы иштер министри Орусиянын элчиси менен жолугушуу өткөрдү жана кызматташтык тууралуу сүйлөштү.", "ky"),
    ("Oʻzbekiston tashqi ishlar vaziri Rossiya elchisi bilan uchrashdi va hamkorlikni muhokama qildi.", "uz"),
    ("Ўзбекистон ташқи ишлар вазири Россия элчиси билан учрашди.", "uz"),
    ("The foreign minister of Kazakhstan met his Russian counterpart in Moscow on Tuesday.", "en"),
    ("Вазири корҳои хориҷии Тоҷикистон бо сафири Чин дар Душанбе мулоқот кард.", "tg"),
    ("Türkmenistanyň Daşary işler ministri Hytaýyň ilçisi bilen duşuşdy we hyzmatdaşlygy ara alyp maslahatlaşdy.", "tk"),
    ("Dışişleri Bakanı Hakan Fidan, Türkmenistan Dışişleri Bakanı ile Ankara'da görüştü ve işbirliğini ele aldı.", "tr"),
    ("Azərbaycan Respublikasının xarici işlər naziri Türkmənistan səfiri ilə görüşüb və əməkdaşlığı müzakirə edib.", "az"),
])
def test_detect(text, lang):
    assert detect(text).lang == lang


def test_mixed_document_per_paragraph():
    text = ("Министр иностранных дел Кыргызстана встретился с послом Китая в Бишкеке.\n"
            "The sides discussed trade, transport and investment cooperation between the two countries.")
    assert [p[2] for p in paragraphs(text)] == ["ru", "en"]
