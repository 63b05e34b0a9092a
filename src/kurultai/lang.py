"""Language identification for ru, kk, ky, uz (Latin and Cyrillic), tg, tk and en.

lingua knows Russian, Kazakh and English but has no Kyrgyz, Uzbek, Tajik or Turkmen (they come out as
Kazakh, Mongolian, Azerbaijani or Turkish), so it is restricted to {ru, kk, en} (134 MB, fast) and the
project adds its own evidence for the others: letters that only one language uses, and frequent
function words and suffixes. Letters alone do not separate Kyrgyz from Kazakh (a Kyrgyz sentence may
lack ң ө ү), hence the word cues.

- Tajik (Cyrillic) writes ӣ ӯ ҷ, which no other language of the set uses; ҳ қ ғ it shares with Uzbek
  and Kazakh, and its function words ("дар", "бо", "ки", "барои") set it apart from both.
- Turkmen (Latin) writes ý ň ä ž and "w" for v; Turkish writes ı and ğ, Azerbaijani ə: those two are
  told apart (`tr`, `az`) so that a Turkish article is not read as Turkmen, and yield no analysis.
- Kazakh in Latin letters (three alphabets: 2018 "Respýblıkasynyń", 2021 "Respublikasynyñ", 2017
  "Respy'blikasynyn'") shares ı with Turkish and ý, ä with Turkmen: its own letters (á ó ú ǵ ń ñ ū), its
  genitive endings (-nyń, -nyñ), its frequent words ("jáne", "jäne", "Qazaqstan") and words that write
  ı next to q or ý (Turkish writes neither, Turkmen no ı) or, in 2021 spelling, next to e ö ü (which
  Turkish vowel harmony keeps apart from ı) tell it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

SUPPORTED = ("ru", "kk", "ky", "uz", "tg", "tk", "en")

_WORDS = re.compile(r"[^\W\d_]+(?:[ʻʼ'‘’][^\W\d_]+)*")
_LATIN = re.compile(r"[a-zA-ZäöüýşçžňÄÖÜÝŞÇŽŇıİğĞəƏáóúǵńñūŋǧÁÓÚǴŃÑŪŊǦ]")
_CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")

# letters used by one language of the set only (lower case)
KK_LETTERS = set("әғқұһі")
UZ_CYR_LETTERS = set("ў")
TG_LETTERS = set("ӣӯҷ")
SHARED_H = set("ҳ")  # Uzbek Cyrillic and Tajik
TK_LETTERS = set("ýňäž")
TR_LETTERS = set("ığ")  # Turkish and Azerbaijani
AZ_LETTERS = set("ə")
KY_KK_SHARED = set("ңөү")
KK_LATIN_LETTERS = set("áóúǵńñūŋǧ")  # Kazakh Latin (2018: á ó ú ǵ ń; 2021: ñ ū, or ŋ ǧ)
KK_LATIN_MIXED = set("qýáóúǵńñūŋǧä")  # a word writing ı with one of these is Kazakh Latin (not Turkish)
# the 2021 alphabet writes і as ı, a front vowel: next to e ö ü in a word, which Turkish vowel harmony
# does not do (its ı goes with a o u)
KK_LATIN_FRONT = set("eöü")
# frequent words and endings (lower case); weights are per occurrence
KY_WORDS = {"менен": 3, "жана": 3, "үчүн": 3, "боюнча": 3, "болуп": 2, "тууралуу": 3, "ортосундагы": 3, "менин": 1,
            "бул": 1, "деп": 1, "кыргыз": 2, "кыргызстан": 1, "өттү": 3, "тарабынан": 2, "алдыда": 2, "жылы": 1,
            "кызматташтык": 3, "мамилелер": 2, "билдирди": 3, "талкуулашты": 3, "эки": 1, "өлкө": 2}
KK_WORDS = {"және": 3, "мен": 1, "үшін": 3, "бойынша": 3, "туралы": 3, "арасындағы": 3, "жылы": 1, "деп": 1,
            "қазақстан": 2, "сыртқы": 3, "істер": 3, "министрі": 2, "ынтымақтастық": 3, "кездесу": 3}
UZ_WORDS = {"va": 3, "bilan": 3, "uchun": 3, "boʻyicha": 3, "haqida": 3, "oʻzbekiston": 3, "vaziri": 3,
            "tashqi": 3, "ishlar": 2, "kuni": 2, "yil": 2, "hamkorlik": 3, "muhokama": 3, "ham": 1, "bu": 1,
            "ва": 3, "билан": 3, "учун": 3, "бўйича": 3, "ҳақида": 3, "ўзбекистон": 3, "вазири": 3, "ташқи": 3}
TG_WORDS = {"дар": 3, "бо": 3, "ва": 1, "ки": 3, "барои": 3, "аз": 2, "ба": 2, "ин": 2, "оид": 3, "доир": 3, "байни": 3,
            "миёни": 3, "кард": 3, "карданд": 3, "намуд": 3, "намуданд": 3, "шуд": 3, "гардид": 3, "мебошад": 3, "аст": 2,
            "ҷумҳурии": 3, "тоҷикистон": 3, "ҳамкорӣ": 3, "мулоқот": 3, "вазири": 3, "корҳои": 3, "хориҷии": 3, "кишвар": 3,
            "кишварҳои": 3, "президенти": 1, "инчунин": 3, "ҳамчунин": 3, "зимни": 3, "тарафҳо": 3, "ҷонибҳо": 3}
TK_WORDS = {"we": 3, "bilen": 3, "hem-de": 3, "hem": 1, "üçin": 3, "boýunça": 3, "barada": 3, "bu": 1, "bolan": 2,
            "türkmenistanyň": 3, "ýurtlaryň": 3, "ýurduň": 3, "hyzmatdaşlyk": 3, "hyzmatdaşlygy": 3, "daşary": 3,
            "işler": 2, "ministri": 1, "geçirildi": 3, "boldy": 3, "etdi": 3, "etdiler": 3, "şeýle": 3, "ýaly": 3,
            "ýylyň": 3, "bilelikde": 3, "gatnaşdy": 3, "prezidenti": 1, "döwlet": 3, "halkara": 3}
KK_LATIN_WORDS = {  # 2018 and 2021 spellings
    "jáne": 3, "úshin": 3, "boıynsha": 3, "týraly": 3, "arasyndaǵy": 3, "qazaqstan": 3, "qazaqstannyń": 3,
    "respýblıkasy": 3, "respýblıkasynyń": 3, "prezıdenti": 3, "prezıdent": 2, "toqaev": 3, "kezdesti": 3,
    "kezdesý": 3, "kezdesýde": 3, "syrtqy": 3, "mınıstri": 3, "mınıstrligi": 3, "memleket": 2, "basshysy": 3,
    "yntymaqtastyq": 3, "yntymaqtastyqty": 3, "ekijaqty": 3, "kelissózder": 3, "taraptar": 3, "talqylady": 3,
    "sondaı-aq": 3, "sonymen": 2, "birge": 3, "elimiz": 3, "aqorda": 3, "aqordada": 3, "jyly": 2, "jyldyń": 3,
    "aıtty": 3, "ótti": 3, "boldy": 1, "osy": 2, "qazaq": 3,
    "jäne": 3, "üşin": 3, "boiynşa": 3, "turaly": 2, "arasyndağy": 3, "qazaqstannyñ": 3, "respublikasynyñ": 3,
    "prezidentı": 3, "kezdestı": 3, "kezdesu": 3, "ıster": 3, "ministrı": 3, "ministrlıgı": 3, "basşysy": 3,
    "sondai-aq": 3, "bırge": 3, "ekı": 3, "elımız": 3, "öttı": 3, "aitty": 3, "ekıjaqty": 3, "kelıssözder": 3,
    "jaʻne": 3, "uʻshin": 3,
}
TR_WORDS = {"ve": 3, "ile": 3, "için": 3, "bir": 1, "olarak": 3, "bu": 1, "da": 1, "de": 1, "türkiye": 2, "cumhurbaşkanı": 3,
            "dışişleri": 3, "bakanı": 3, "görüştü": 3, "işbirliği": 3, "arasında": 3, "ülke": 2, "yılı": 2}
AZ_WORDS = {"və": 3, "ilə": 3, "üçün": 3, "bir": 1, "olaraq": 3, "azərbaycan": 3, "prezidenti": 1, "xarici": 3, "işlər": 3,
            "naziri": 3, "görüşüb": 3, "əməkdaşlıq": 3, "arasında": 2, "ölkə": 2, "ili": 1}
KY_SUFFIXES = ("нын", "дын", "тын", "нун", "дун", "тун", "ган", "гон", "дагы", "дагы", "ышты", "ишти", "ушту", "ңыз")
KK_LATIN_SUFFIXES = ("nyń", "niń", "dyń", "diń", "tyń", "tiń", "nyñ", "nıñ", "dyñ", "dıñ", "tyñ", "tıñ", "daǵy", "taǵy",
                     "dağy", "tağy", "ǵa", "ğa", "qa", "lyq", "dyq", "tyq")
KK_SUFFIXES = ("ның", "нің", "дың", "дің", "тың", "тің", "ғы", "ғы", "дағы", "дегі", "лар", "лер", "ған", "ген")
UZ_SUFFIXES = ("ning", "lar", "dagi", "ni", "ga", "dan", "moqda", "gan", "dilar", "ishdi")
TG_SUFFIXES = ("ҳои", "ҳо", "ӣ", "ии", "они", "анд", "ида", "шуда", "гардид", "ҳоро")
TK_SUFFIXES = ("nyň", "niň", "yň", "iň", "lary", "leri", "ler", "lar", "daky", "däki", "dyr", "dir", "ýar", "ýär", "dy", "di")


@dataclass(frozen=True)
class LangGuess:
    lang: str
    confidence: float


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.RUSSIAN, Language.KAZAKH, Language.ENGLISH).build()


# letter -> [(language, weight per occurrence)]: letters of ordinary words (not names), then of all text;
# a letter two languages share counts for both ("ҳ": Uzbek Cyrillic and Tajik)
def _letter_table(*rows: tuple[set[str], tuple[tuple[str, float], ...]]) -> dict[str, tuple[tuple[str, float], ...]]:
    table: dict[str, tuple[tuple[str, float], ...]] = {}
    for letters, weights in rows:
        for ch in letters:
            table.setdefault(ch, weights)  # the first row that lists a letter decides
    return table


_NAME_FREE_LETTERS = _letter_table((KK_LETTERS, (("kk", 1.0),)), (KY_KK_SHARED, (("ky", 0.4), ("kk", 0.2))))
_LETTERS = _letter_table(
    (UZ_CYR_LETTERS, (("uz", 3.0),)), (TG_LETTERS, (("tg", 3.0),)), (SHARED_H, (("uz", 2.5), ("tg", 1.5))),
    (KK_LATIN_LETTERS, (("kk", 3.0),)), (TK_LETTERS, (("tk", 2.0),)), (AZ_LETTERS, (("az", 4.0),)), (TR_LETTERS, (("tr", 1.5), ("az", 1.0))),
)
_WORD_CUES = (("ky", KY_WORDS), ("kk", KK_WORDS), ("uz", UZ_WORDS), ("tg", TG_WORDS), ("tk", TK_WORDS), ("tr", TR_WORDS),
              ("az", AZ_WORDS), ("kk", KK_LATIN_WORDS))
_EXTRA_CYRILLIC = KK_LETTERS | UZ_CYR_LETTERS | KY_KK_SHARED | TG_LETTERS | SHARED_H
_QUOTED = re.compile(r"«[^»]{0,120}»|\"[^\"]{0,120}\"|“[^”]{0,120}”")


def _kk_latin_word(w: str) -> bool:
    """A word only Kazakh Latin writes: with a letter of its own, or ı next to q ý ä (which Turkish does
    not write, Turkmen writes no ı) or next to e ö ü (Turkish vowel harmony keeps those apart from ı)."""
    if any(ch in KK_LATIN_LETTERS for ch in w):
        return True
    if "ı" not in w:
        return False
    if any(ch in KK_LATIN_MIXED for ch in w):
        return True
    # a front-vowel word (Kazakh і is front): not one with a back vowel, nor a known Turkish or
    # Azerbaijani word ("dışişleri", "yapılırken", "alınabilecek")
    return any(ch in KK_LATIN_FRONT for ch in w) and not any(ch in "aou" for ch in w) and w not in TR_WORDS and w not in AZ_WORDS


def _cue_scores(text: str) -> Counter[str]:
    low = text.lower()
    words = _WORDS.findall(low.replace("‘", "ʻ").replace("’", "ʻ").replace("'", "ʻ"))
    score: Counter[str] = Counter()
    # letters count in ordinary words only: names and quoted titles keep their own spelling in a Russian
    # text ("Маулен Әшімбаев", «Қазақстан темір жолы»)
    plain = " ".join(w for w in _WORDS.findall(_QUOTED.sub(" ", text)) if not w[:1].isupper()).lower()
    for ch in plain:
        for lang, weight in _NAME_FREE_LETTERS.get(ch, ()):
            score[lang] += weight
    for ch in low:
        for lang, weight in _LETTERS.get(ch, ()):
            score[lang] += weight
    if "oʻ" in low or "gʻ" in low or "o‘" in low or "g‘" in low:
        score["uz"] += 5
    for w in words:
        for lang, table in _WORD_CUES:
            score[lang] += table.get(w, 0)
        if len(w) > 5:
            if w.endswith(KY_SUFFIXES):
                score["ky"] += 0.7
            if w.endswith(KK_SUFFIXES):
                score["kk"] += 0.5
            if w.isascii() and w.endswith(UZ_SUFFIXES):
                score["uz"] += 0.7
            if w.endswith(TG_SUFFIXES):
                score["tg"] += 0.5
            if w.endswith(TK_SUFFIXES) and not w.isascii():
                score["tk"] += 0.7
            if w.endswith(KK_LATIN_SUFFIXES):
                score["kk"] += 0.7
        for part in w.split("ʻ"):
            if _kk_latin_word(part):
                # a Kazakh Latin word: its ı ğ ý ä are no evidence of Turkish, Azerbaijani or Turkmen
                for ch in part:
                    for lang, weight in _LETTERS.get(ch, ()):
                        score[lang] -= weight
                score["kk"] += 2.0
    return score


def detect(text: str) -> LangGuess:
    """The language of a text (an article or a paragraph)."""
    sample = text[:4000]
    latin = len(_LATIN.findall(sample))
    cyr = len(_CYRILLIC.findall(sample)) + sum(1 for ch in sample.lower() if ch in _EXTRA_CYRILLIC)
    if latin + cyr == 0:
        return LangGuess("und", 0.0)
    cues = _cue_scores(sample)
    n_words = max(1, len(_WORDS.findall(sample)))
    if latin > cyr:
        # Latin: English, Uzbek, Turkmen, Kazakh (or Turkish, Azerbaijani: read, not analysed)
        ranked = sorted(("uz", "tk", "kk", "tr", "az"), key=lambda k: -cues[k])
        best = ranked[0]
        density = cues[best] / n_words
        if density > 0.12:
            total = sum(cues[k] for k in ranked) or 1.0
            return LangGuess(best, min(1.0, cues[best] / total))
        return LangGuess("en", 0.9)
    # Cyrillic: Russian, Kazakh, Kyrgyz, Uzbek or Tajik
    turkic = cues["kk"] + cues["ky"] + cues["uz"] + cues["tg"]
    if turkic / n_words < 0.08:
        conf = _detector().compute_language_confidence_values(sample)
        top = conf[0]
        name = top.language.iso_code_639_1.name.lower()
        if name == "ru" or turkic == 0:
            return LangGuess("ru", top.value if name == "ru" else 0.6)
    best = max(("kk", "ky", "uz", "tg"), key=lambda k: cues[k])
    total = sum(cues[k] for k in ("kk", "ky", "uz", "tg")) or 1.0
    return LangGuess(best, cues[best] / total)


def paragraphs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lang) for every paragraph: documents may mix languages."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if len(_WORDS.findall(m.group())) >= 3:
            out.append((m.start(), m.end(), detect(m.group()).lang))
    return out
