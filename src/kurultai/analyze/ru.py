"""Russian: razdel sentences, natasha (slovnet) NER for people the KB does not know, pymorphy2 for
names and parts of speech, a suffix stemmer for KB and lexicon matching.

Natasha's own normalisation follows its tagger's case guess ("Садыром Жапаровым" stays inflected in one
article, non-Russian surnames stay inflected, titles are swallowed into names), so names are brought
to the nominative here by rules on the words themselves: pymorphy where it knows the word as a name,
else the endings of Russian declension applied to the surname and the first name.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from functools import lru_cache

from kurultai.analyze.base import Analyser, verb_cue_ids
from kurultai.kb import KB
from kurultai.kb.gazetteer import Entry, Match, Tok
from kurultai.kb.lexicon import load_lexicon
from kurultai.spans import pieces

_ENDINGS = sorted(
    ["ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ом", "ем", "ам", "ям", "ах", "ях",
     "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ых", "их", "ым", "им", "ов", "ев", "а",
     "я", "у", "ю", "е", "ы", "и", "о", "ь", "й"],
    key=len, reverse=True,
)


def _strip(word: str) -> str:
    for e in _ENDINGS:
        if word.endswith(e) and len(word) - len(e) >= 2:
            return word[: -len(e)]
    return word


# prepositions and conjunctions: words of no inflection, whose ending is no ending ("после" is not a
# form of "посол", "между" of "меж")
_UNINFLECTED = frozenset(["после", "перед", "передо", "около", "возле", "кроме", "среди", "вместо", "вокруг", "против",
                          "ради", "вдоль", "сквозь", "через", "между", "также", "тоже", "чтобы", "если", "когда",
                          "пока", "хотя", "будто", "словно", "либо", "ибо", "вне", "внутри", "позади", "впереди"])


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Strip one inflectional ending, keeping at least two letters ('кыргызстана' -> 'кыргызстан')."""
    return word if word in _UNINFLECTED else _strip(word)


_CONSONANT = "бвгджзклмнпрстфхцчшщ"
_DECLENSION = (  # nominative ending -> endings of the other cases (singular; surnames and adjectives too)
    ("ский", ("ского", "скому", "ским", "ском")), ("ская", ("ской", "скую")), ("ое", ("ого", "ому", "ым", "ом")),
    ("ый", ("ого", "ому", "ым", "ом")), ("ий", ("его", "ему", "им", "ем", "ого", "ому", "ом")),
    ("ая", ("ой", "ую")), ("яя", ("ей", "юю")), ("ов", ("ова", "ову", "овым", "ове")),
    ("ев", ("ева", "еву", "евым", "еве")), ("ин", ("ина", "ину", "иным", "ине")),
    ("ова", ("овой", "ову")), ("ева", ("евой", "еву")), ("ина", ("иной", "ину")),
    ("й", ("я", "ю", "ем", "е", "и")), ("а", ("ы", "и", "е", "у", "ой", "ою")), ("я", ("и", "ю", "е", "ей", "ею")),
    ("ь", ("я", "и", "ю", "е", "ем", "ью")), ("ие", ("ия", "ию", "ием", "ии")), ("ье", ("ья", "ью", "ьем", "ьи")),
)


@lru_cache(maxsize=200_000)
def name_keys(word: str) -> frozenset[str]:
    """The stems of every case form of a name word written in the nominative: a KB name is indexed
    under all of them, so 'Китай' meets 'Китая' / 'Китае', 'Казакбаев' meets 'Казакбаевым', and
    indeclinable names (Токио, Крутько) only meet themselves."""
    forms = {word}
    for nom, others in _DECLENSION:
        if word.endswith(nom) and len(word) > len(nom) + 1:
            forms |= {word[: len(word) - len(nom)] + o for o in others}
            break
    else:
        if word[-1:] in _CONSONANT and len(word) >= 3:
            forms |= {word + e for e in ("а", "у", "е", "ом", "ым", "ы", "и")}
    return frozenset(stem(f) for f in forms - _UNINFLECTED)


_ABBREV = re.compile(
    r"(?:\b(?:г|гг|им|ул|д|т|тыс|млн|млрд|трлн|долл|руб|коп|см|стр|вв|проф|акад|ген|англ|рус|каз|кырг|узб|"
    r"т\.\s?е|т\.\s?д|т\.\s?п|др|пр|ст|обл|р-н|пос|с)\.|\b[А-ЯЁA-Z]\.)\s*$"
)

_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # letters of Kazakh, Kyrgyz, Uzbek Cyrillic names written in Russian texts
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ў": "o", "ҳ": "h",
}


def transliterate(name: str) -> str:
    """A readable English spelling (BGN/PCGN-like) of a Cyrillic name: 'Андрей Крутько' -> 'Andrey Krutko'."""
    out = []
    for word in re.split(r"(\s+|-)", name):
        res = []
        for i, ch in enumerate(word):
            low = ch.lower()
            if low == "е" and (i == 0 or word[i - 1].lower() in "аеёиоуыэюяъь"):
                t = "ye"
            elif low == "ий" or (low == "и" and word[i + 1: i + 2].lower() == "й" and i + 2 == len(word)):
                t = "i"
            else:
                t = _TRANSLIT.get(low, ch)
            if ch.isupper() and t:
                t = t[0].upper() + t[1:]
            res.append(t)
        w = "".join(res)
        w = re.sub(r"iy$", "iy", w)
        out.append(w)
    return "".join(out)


# natasha's NER holds arrays of its whole input: 2 MB of text cost 1.4 GB at once. No article comes near
# this length (the dev corpus' longest is 8 KB), so an article is read whole as before
NER_PIECE = 50_000
# the words at a piece's edge are tagged with the text around them (else a capitalised word that opens a
# piece reads as a name): the tagger reads this much of the neighbouring pieces too
NER_CONTEXT = 1_000


class RussianAnalyser(Analyser):
    lang = "ru"

    def __init__(self, kb: KB):
        super().__init__(kb, load_lexicon("ru"), stem, name_keys)
        with warnings.catch_warnings():
            # pymorphy2 finds its dictionaries through pkg_resources (setuptools is pinned below 81 for
            # it); the deprecation notice it prints on every run tells the user nothing
            warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
            from natasha import NewsEmbedding, NewsNERTagger  # natasha first: it patches pymorphy2 for 3.11
            from pymorphy2 import MorphAnalyzer

            self._ner = NewsNERTagger(NewsEmbedding())
            self._morph = MorphAnalyzer()

        # verbs by their lemma (lexicon `verb_lemmas`), so every form of a listed verb is read
        self._lemma_cue = {str(w).lower(): str(cue) for cue, words in (self.lex.get("verb_lemmas") or {}).items()
                           for w in words or []}
        self._verb_reading = lru_cache(maxsize=100_000)(self._read_verb)

    def _read_verb(self, word: str) -> tuple[str, str] | None:
        """(cue, tense) of a form of a listed verb: pymorphy's most likely verbal reading."""
        for p in self._morph.parse(word)[:3]:
            pos = p.tag.POS
            if pos not in ("VERB", "PRTF", "PRTS", "GRND"):
                continue
            cue = self._lemma_cue.get(p.normal_form.replace("ё", "е"))
            if cue is None and pos in ("PRTF", "PRTS", "GRND"):
                # a participle's lemma is the participle itself in pymorphy: its verb is the infinitive
                inf = p.inflect({"INFN"})
                cue = self._lemma_cue.get(inf.word.replace("ё", "е")) if inf else None
            if cue is None:
                return None
            tag = p.tag
            if pos in ("PRTF", "PRTS"):
                tense = "participle" if "past" in tag else "present"
            elif pos == "GRND":
                tense = "converb"
            elif "futr" in tag:
                tense = "future"
            elif "pres" in tag:
                tense = "present"
            else:
                tense = "past"
            return cue, tense
        return None

    def verb_cues(self, toks: list[Tok]) -> list[Match]:
        if not self._lemma_cue:
            return []
        out: list[Match] = []
        for i, t in enumerate(toks):
            w = t.text.lower()
            if len(w) < 4 or not w.isalpha():
                continue
            got = self._verb_reading(w)
            if got is None:
                continue
            cue, tense = got
            for cue_id in verb_cue_ids(cue, tense):
                out.append(Match(t.start, t.end, i, i + 1, Entry("cue", cue_id, t.text)))
        return out

    # sentences: razdel, with its splits after abbreviations and initials repaired, and every line
    # (list items, captions) a sentence of its own
    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        from razdel import sentenize

        spans: list[tuple[int, int]] = []
        for line in re.finditer(r"[^\n]+", text):
            base = line.start()
            parts = [(base + s.start, base + s.stop) for s in sentenize(line.group())]
            merged: list[tuple[int, int]] = []
            for a, b in parts:
                if merged:
                    pa, pb = merged[-1]
                    nxt = text[a:b]
                    if _ABBREV.search(text[pa:pb]) or re.match(r"^[a-zа-яё\d(«\"]", nxt) or re.match(r"^(?:США|США\.)", nxt) \
                            or text[pb - 1] == ";":  # a semicolon separates the items of a list
                        merged[-1] = (pa, b)
                        continue
                merged.append((a, b))
            # a hard-wrapped line: a sentence without its end, and the next line going on in lower case
            if spans and merged and not re.search(r"[.!?:;»\"]\s*$", text[spans[-1][0]:spans[-1][1]]) \
                    and re.match(r"^[a-zа-яё]", text[merged[0][0]:merged[0][1]]):
                spans[-1] = (spans[-1][0], merged[0][1])
                merged = merged[1:]
            spans.extend(merged)
        return spans

    def extra_persons(self, text: str, toks: list[Tok], found: list[Match]) -> list[tuple[int, int, str]]:
        out = []
        for start, end in self._person_spans(text):
            surface = text[start:end]
            # keep titles out of names: drop leading lower-case or title words ("Президент Касым-Жомарт Токаев")
            words = list(re.finditer(r"\S+", surface))
            while words and self._is_title_word(words[0].group()):
                words.pop(0)
            if not words:
                continue
            start, end = start + words[0].start(), start + words[-1].end()
            surface = text[start:end]
            if not re.search(r"[А-ЯЁ]", surface[:1]):
                continue
            out.append((start, end, surface))
        return out

    def _person_spans(self, text: str) -> Iterator[tuple[int, int]]:
        """natasha's PER spans (start, end): the tagger reads a text of up to `NER_PIECE` characters
        whole, a longer one in pieces of whole lines, each with `NER_CONTEXT` characters around it."""
        last_end = 0
        for a, b in pieces(text, NER_PIECE):
            lo, hi = max(0, a - NER_CONTEXT), min(len(text), b + NER_CONTEXT)
            window = text[lo:hi]
            if not window.strip():
                continue
            for span in self._ner(window).spans:
                start, end = lo + span.start, lo + span.stop
                if span.type == "PER" and a <= start < b and start >= last_end:
                    yield start, end
                    last_end = end

    def _is_title_word(self, w: str) -> bool:
        if not w[:1].isupper():
            return True
        lemmas = {p.normal_form for p in self._morph.parse(w)[:2]}
        return bool(lemmas & {"президент", "министр", "премьер-министр", "посол", "глава", "генсек", "председатель", "господин", "госпожа", "г-н"})

    def nominative(self, surface: str, other_forms: list[str] | None = None) -> str:
        words = surface.split()
        if not words:
            return surface
        female = self._female(words, other_forms or [])
        return " ".join(self._nom_word(w, i == len(words) - 1, female) for i, w in enumerate(words))

    def _female(self, words: list[str], other_forms: list[str]) -> bool:
        """Gender from every form of the surname in the document, else the likeliest first-name parse."""
        surnames = [f.split()[-1].lower() for f in other_forms + [" ".join(words)] if f.split()]
        if any(re.search(r"(?:ов|ев|ин|ын|ский|цкий|овым|евым|иным|ским)$", f) for f in surnames):
            return False
        if any(re.search(r"(?:овой|евой|иной|ской|цкой)$", f) for f in surnames):
            return True
        if len(words) > 1:
            weight = {"masc": 0.0, "femn": 0.0}
            for p in self._morph.parse(words[0].split("-")[-1]):
                if "Name" in p.tag and p.tag.gender in weight:
                    weight[p.tag.gender] += p.score
            return weight["femn"] > weight["masc"]
        return False

    def _nom_word(self, word: str, is_last: bool, female: bool) -> str:
        if "-" in word:  # Касым-Жомарта: only the last part declines
            head, _, tail = word.rpartition("-")
            return head + "-" + self._nom_word(tail, is_last, female)
        if len(word) <= 2 or word.endswith("."):
            return word
        if is_last and not female and re.search(r"(?:ов|ев|ёв|ин|ын|ский|цкий)$", word.lower()):
            return word  # a masculine surname in the nominative (not the genitive plural of a first name)
        for p in self._morph.parse(word):
            if p.tag.number == "plur":
                continue
            if ("Name" in p.tag or "Surn" in p.tag or "Patr" in p.tag) and p.score >= 0.05:
                if (p.tag.gender == "femn") != female and p.tag.gender in ("masc", "femn"):
                    continue
                if p.tag.case == "nomn":
                    return word
                inflected = p.inflect({"nomn"})
                if inflected:
                    return _same_case(word, inflected.word)
                break
        low = word.lower()
        # non-declinable foreign endings (Крутько, Бочоришвили, Шевченко)
        if re.search(r"(?:о|и|у|ю|э|ых|их)$", low) and not re.search(r"(?:ову|еву|ину|ыну)$", low):
            return word
        rules_m = [("овым", "ов"), ("евым", "ев"), ("иным", "ин"), ("ыным", "ын"), ("ова", "ов"), ("ева", "ев"),
                   ("ину", "ин"), ("ову", "ов"), ("еву", "ев"), ("ове", "ов"), ("еве", "ев"), ("ине", "ин"),
                   ("ским", "ский"), ("ского", "ский"), ("скому", "ский"), ("ском", "ский"),
                   ("ием", "ий"), ("ия", "ий"), ("ию", "ий"), ("ем", "й"), ("ом", ""), ("ем", ""), ("ей", "й"),
                   ("я", "й"), ("ю", "й"), ("а", ""), ("у", ""), ("е", "")]
        rules_f = [("овой", "ова"), ("евой", "ева"), ("иной", "ина"), ("ской", "ская"), ("ой", "а"), ("ей", "я"),
                   ("у", "а"), ("ю", "я"), ("е", "а"), ("ы", "а"), ("и", "я")]
        for end, repl in rules_f if female else rules_m:
            if low.endswith(end) and len(low) - len(end) >= 2:
                stem_ = word[: len(word) - len(end)]
                if not female and repl == "" and not re.search(r"[бвгджзклмнпрстфхцчшщ]$", stem_.lower()):
                    continue
                return stem_ + repl
        return word

    def transliterate(self, name: str) -> str:
        return transliterate(name)

    def drop_date(self, text: str, start: int, end: int) -> bool:
        """'накануне Совета' is 'on the eve of the Council', not 'yesterday'."""
        if text[start:end].lower() != "накануне":
            return False
        m = _NEXT_WORD.match(text, end)
        if not m:
            return False
        parse = self._morph.parse(m.group(1))[0]
        return parse.tag.POS in {"NOUN", "ADJF", "PRTF", "NPRO"} and parse.tag.case in {"gent", None}


def _same_case(original: str, word: str) -> str:
    if original.isupper():
        return word.upper()
    if original[:1].isupper():
        return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))
    return word
