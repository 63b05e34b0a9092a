"""Language identification for ru, kk, ky, uz (Latin and Cyrillic) and en.

lingua knows Russian, Kazakh and English but has no Kyrgyz and no Uzbek (they come out as Kazakh,
Mongolian or Azerbaijani), so it is restricted to {ru, kk, en} (134 MB, fast) and the project adds
its own evidence for ky and uz: letters that only one language uses, and frequent function words and
suffixes. Letters alone do not separate Kyrgyz from Kazakh (a Kyrgyz sentence may lack ң ө ү), hence
the word cues.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

SUPPORTED = ("ru", "kk", "ky", "uz", "en")

_WORDS = re.compile(r"[^\W\d_]+(?:[ʻʼ'‘’][^\W\d_]+)*")
_LATIN = re.compile(r"[a-zA-Z]")
_CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")

# letters used by one language of the set only (lower case)
KK_LETTERS = set("әғқұһі")
UZ_CYR_LETTERS = set("ўҳ")
KY_KK_SHARED = set("ңөү")
# frequent words and endings (lower case); weights are per occurrence
KY_WORDS = {"менен": 3, "жана": 3, "үчүн": 3, "боюнча": 3, "болуп": 2, "тууралуу": 3, "ортосундагы": 3, "менин": 1,
            "бул": 1, "деп": 1, "кыргыз": 2, "кыргызстан": 1, "өттү": 3, "тарабынан": 2, "алдыда": 2, "жылы": 1,
            "кызматташтык": 3, "мамилелер": 2, "билдирди": 3, "талкуулашты": 3, "эки": 1, "өлкө": 2}
KK_WORDS = {"және": 3, "мен": 1, "үшін": 3, "бойынша": 3, "туралы": 3, "арасындағы": 3, "жылы": 1, "деп": 1,
            "қазақстан": 2, "сыртқы": 3, "істер": 3, "министрі": 2, "ынтымақтастық": 3, "кездесу": 3}
UZ_WORDS = {"va": 3, "bilan": 3, "uchun": 3, "boʻyicha": 3, "haqida": 3, "oʻzbekiston": 3, "vaziri": 3,
            "tashqi": 3, "ishlar": 2, "kuni": 2, "yil": 2, "hamkorlik": 3, "muhokama": 3, "ham": 1, "bu": 1,
            "ва": 3, "билан": 3, "учун": 3, "бўйича": 3, "ҳақида": 3, "ўзбекистон": 3, "вазири": 3, "ташқи": 3}
KY_SUFFIXES = ("нын", "дын", "тын", "нун", "дун", "тун", "ган", "гон", "дагы", "дагы", "ышты", "ишти", "ушту", "ңыз")
KK_SUFFIXES = ("ның", "нің", "дың", "дің", "тың", "тің", "ғы", "ғы", "дағы", "дегі", "лар", "лер", "ған", "ген")
UZ_SUFFIXES = ("ning", "lar", "dagi", "ni", "ga", "dan", "moqda", "gan", "dilar", "ishdi")


@dataclass(frozen=True)
class LangGuess:
    lang: str
    confidence: float


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.RUSSIAN, Language.KAZAKH, Language.ENGLISH).build()


_QUOTED = re.compile(r"«[^»]{0,120}»|\"[^\"]{0,120}\"|“[^”]{0,120}”")


def _cue_scores(text: str) -> Counter[str]:
    low = text.lower()
    words = _WORDS.findall(low.replace("‘", "ʻ").replace("’", "ʻ").replace("'", "ʻ"))
    score: Counter[str] = Counter()
    # letters count in ordinary words only: names and quoted titles keep their own spelling in a Russian
    # text ("Маулен Әшімбаев", «Қазақстан темір жолы»)
    plain = " ".join(w for w in _WORDS.findall(_QUOTED.sub(" ", text)) if not w[:1].isupper()).lower()
    for ch in plain:
        if ch in KK_LETTERS:
            score["kk"] += 1.0
        elif ch in KY_KK_SHARED:
            score["ky"] += 0.4
            score["kk"] += 0.2
    for ch in low:
        if ch in UZ_CYR_LETTERS:
            score["uz"] += 3.0
    if "oʻ" in low or "gʻ" in low or "o‘" in low or "g‘" in low:
        score["uz"] += 5
    for w in words:
        score["ky"] += KY_WORDS.get(w, 0)
        score["kk"] += KK_WORDS.get(w, 0)
        score["uz"] += UZ_WORDS.get(w, 0)
        if len(w) > 5:
            if w.endswith(KY_SUFFIXES):
                score["ky"] += 0.7
            if w.endswith(KK_SUFFIXES):
                score["kk"] += 0.5
            if w.isascii() and w.endswith(UZ_SUFFIXES):
                score["uz"] += 0.7
    return score


def detect(text: str) -> LangGuess:
    """The language of a text (an article or a paragraph)."""
    sample = text[:4000]
    latin = len(_LATIN.findall(sample))
    cyr = len(_CYRILLIC.findall(sample)) + sum(1 for ch in sample.lower() if ch in KK_LETTERS | UZ_CYR_LETTERS | KY_KK_SHARED)
    if latin + cyr == 0:
        return LangGuess("und", 0.0)
    cues = _cue_scores(sample)
    n_words = max(1, len(_WORDS.findall(sample)))
    if latin > cyr:
        uz = cues["uz"] / n_words
        if uz > 0.12:
            return LangGuess("uz", min(1.0, 0.5 + uz))
        return LangGuess("en", 0.9)
    # Cyrillic: Russian, Kazakh, Kyrgyz or Uzbek
    turkic = cues["kk"] + cues["ky"] + cues["uz"]
    if turkic / n_words < 0.08:
        conf = _detector().compute_language_confidence_values(sample)
        top = conf[0]
        name = top.language.iso_code_639_1.name.lower()
        if name == "ru" or turkic == 0:
            return LangGuess("ru", top.value if name == "ru" else 0.6)
    best = max(("kk", "ky", "uz"), key=lambda k: cues[k])
    total = sum(cues[k] for k in ("kk", "ky", "uz")) or 1.0
    return LangGuess(best, cues[best] / total)


def paragraphs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lang) for every paragraph: documents may mix languages."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if len(_WORDS.findall(m.group())) >= 3:
            out.append((m.start(), m.end(), detect(m.group()).lang))
    return out
