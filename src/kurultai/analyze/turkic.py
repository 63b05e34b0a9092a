"""Kazakh, Kyrgyz and Uzbek: no offline NER or morphology model exists for them, so the KB, a general
model of the suffixes these languages glue onto words, capitalisation and role patterns carry them.

The suffix model: a word is reduced by stripping, from the end and at most three times, plural,
possessive and case endings of the language (Қазақстанның -> қазақстан, Азиядағы -> азия,
Кыргызстандын -> кыргызстан, Oʻzbekistonning -> oʻzbekiston, Tileuberdi'ning -> tileuberdi), keeping a
stem of at least three letters. KB names go through the same reduction, so a name in any case form
meets its KB entry without listing inflected forms.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache

from kurultai.analyze.base import Analyser
from kurultai.analyze.latin import LatinReader
from kurultai.analyze.ru import transliterate as ru_transliterate
from kurultai.kb import KB
from kurultai.kb.gazetteer import APOSTROPHES, Match, Tok, normalise
from kurultai.kb.lexicon import load_lexicon
from kurultai.spans import Rewrite

# endings per language, grouped (stripped longest first, up to three times)
SUFFIXES: dict[str, list[str]] = {
    "kk": [
        # case
        "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на", "не", "ды", "ді", "ты", "ті",
        "ны", "ні", "да", "де", "та", "те", "нда", "нде", "дан", "ден", "тан", "тен", "нан", "нен", "мен",
        "бен", "пен", "дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі", "ын", "ін",
        # possessive, plural
        "ы", "і", "сы", "сі", "лар", "лер", "дар", "дер", "тар", "тер", "ымыз", "іміз",
    ],
    "ky": [
        "нын", "нин", "нун", "нүн", "дын", "дин", "дун", "дүн", "тын", "тин", "тун", "түн", "га", "ге", "го",
        "гө", "ка", "ке", "ко", "кө", "на", "не", "но", "нө", "ды", "ди", "ду", "дү", "ты", "ти", "ту", "тү",
        "ны", "ни", "ну", "нү", "да", "де", "до", "дө", "та", "те", "то", "тө", "нда", "нде", "ндо", "ндө",
        "дан", "ден", "дон", "дөн", "тан", "тен", "тон", "төн", "нан", "нен", "нон", "нөн", "менен", "дагы",
        "деги", "догу", "дөгү", "тагы", "теги", "тогу", "төгү", "ндагы", "ндеги", "ын", "ин", "ун", "үн",
        "ы", "и", "у", "ү", "сы", "си", "су", "сү", "лар", "лер", "лор", "лөр", "дар", "дер", "дор", "дөр",
        "тар", "тер", "тор", "төр",
    ],
    "uz": [
        "ning", "ni", "ga", "ka", "qa", "da", "ta", "dan", "tan", "dagi", "tagi", "bilan", "lar", "i", "si",
        "imiz", "ingiz",
        "нинг", "ни", "га", "ка", "қа", "да", "та", "дан", "тан", "даги", "таги", "лар", "и", "си",
    ],
    # Turkmen: a vowel-final stem takes -nyň / -ny / -na, and its final -e/-a may turn into -ä before an
    # ending ("Türkiýe" -> "Türkiýäniň", dative "Türkiýä"): single vowels are endings too, so both meet
    # at "türkiý"
    "tk": [
        "nyň", "niň", "nuň", "nüň", "yň", "iň", "uň", "üň", "ny", "ni", "nu", "nü", "na", "ne", "a", "e", "ä",
        "da", "de", "nda", "nde", "ta", "te", "dan", "den", "ndan", "nden", "tan", "ten", "daky", "däki", "ndaky", "ndäki",
        "taky", "täki", "y", "i", "u", "ü", "sy", "si", "lar", "ler", "lary", "leri", "ymyz", "imiz", "yňyz", "iňiz",
    ],
}
# endings that only mark a case (a name keeps its possessive-looking final vowel: Тілеуберді)
CASE_ONLY: dict[str, list[str]] = {
    "kk": ["ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на", "не", "ны", "ні", "да", "де",
           "та", "те", "нда", "нде", "дан", "ден", "тан", "тен", "нан", "нен", "мен", "бен", "пен", "дағы", "дегі",
           "тағы", "тегі", "ндағы", "ндегі", "ды", "ді", "ты", "ті"],
    "ky": ["нын", "нин", "нун", "нүн", "дын", "дин", "дун", "дүн", "тын", "тин", "тун", "түн", "га", "ге", "го", "гө",
           "ка", "ке", "ко", "кө", "на", "не", "но", "нө", "ны", "ни", "ну", "нү", "да", "де", "до", "дө", "та", "те",
           "то", "тө", "дан", "ден", "дон", "дөн", "тан", "тен", "тон", "төн", "нан", "нен", "менен", "дагы", "деги",
           "ды", "ди", "ду", "дү", "ты", "ти", "ту", "тү"],
    "uz": ["ning", "ni", "ga", "ka", "qa", "da", "ta", "dan", "tan", "dagi", "нинг", "ни", "га", "ка", "қа", "да",
           "та", "дан", "тан", "даги"],
    "tk": ["nyň", "niň", "nuň", "nüň", "yň", "iň", "uň", "üň", "ny", "ni", "na", "ne", "da", "de", "nda", "nde", "dan",
           "den", "ndan", "nden", "daky", "däki", "a", "e"],
}


def folder(lang: str):
    """How a word is written for matching: Uzbek folds its two scripts and every apostrophe into one
    Latin key (alifbe: "Ўзбекистон", "O'zbekiston", "Oʻzbekiston" -> "özbekiston"), so one lexicon
    entry reads both scripts; the other languages only normalise case and apostrophes."""
    if lang != "uz":
        return normalise
    from alifbe import fold_search_key

    @lru_cache(maxsize=200_000)
    def fold(word: str) -> str:
        # not `normalise`: its ё -> е would turn "ёрлиқ" (yorliq) into "yerliq"; alifbe leaves the
        # Cyrillic э as it is ("этди" -> "эtdi"): it is the Latin e
        return fold_search_key(unicodedata.normalize("NFC", word).lower().replace("э", "e"))

    return fold


# languages whose one-letter endings (a vowel: possessive, dative) do not stack: one is stripped at most
# (Turkmen "Türkiye" is not "türk" + three endings)
ONE_LETTER_ONCE = {"tk"}


def make_stemmer(lang: str):
    endings = sorted({folder(lang)(e) for e in SUFFIXES[lang]}, key=len, reverse=True)
    fold = folder(lang) if lang == "uz" else None
    once = lang in ONE_LETTER_ONCE

    @lru_cache(maxsize=200_000)
    def stem(word: str) -> str:
        if fold is not None:
            word = fold(word)
        w = word.rstrip(APOSTROPHES + "ʻ")
        single = False
        for _ in range(3):
            for e in endings:
                if w.endswith(e) and len(w) - len(e) >= 3 and not (once and single and len(e) == 1):
                    single = single or len(e) == 1
                    w = w[: -len(e)].rstrip(APOSTROPHES + "ʻ")
                    break
            else:
                break
        return w

    return stem


def make_name_keys(lex, stem):
    """Every key a KB name word may meet in text, for languages whose greedy stems of case forms do not
    line up with the stem of the nominative (lexicon: `name_case_endings`, with `final_alternations`:
    Turkmen "Aşgabat" -> "Aşgabada", "Türkiýe" -> "Türkiýäniň", "Putin" -> "Putiniň" -> "put"). The
    case forms of the name are built and stemmed like any text word; None when the lexicon lists none."""
    endings = [str(e) for e in lex.get("name_case_endings") or []]
    if not endings:
        return None
    alternations = {str(k): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in (lex.get("final_alternations") or {}).items()}

    script = str(lex.get("script") or "").upper()

    @lru_cache(maxsize=50_000)
    def keys(word: str) -> frozenset[str]:
        if script and not unicodedata.name(word[0], "").startswith(script):
            return frozenset({stem(word)})  # a name in another script never stands in this language's text
        bases = {word} | {word[:-len(k)] + v for k, vs in alternations.items() if word.endswith(k) for v in vs}
        return frozenset(stem(b + e) for b in bases for e in [""] + endings)

    return keys


_UZ_LATIN_TRANSLIT = {"oʻ": "o", "gʻ": "g", "x": "kh", "q": "k", "ʻ": ""}
_TK_LATIN_TRANSLIT = {"ş": "sh", "ç": "ch", "ž": "zh", "ň": "n", "ä": "a", "ý": "y", "w": "v", "ö": "o", "ü": "u"}
_KK_EXTRA = {"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i"}


class TurkicAnalyser(Analyser):
    """Shared by kk, ky, uz: KB + suffix model + role patterns + capitalised names after roles."""

    def __init__(self, kb: KB, lang: str):
        self.lang = lang
        lex = load_lexicon(lang)
        stem = make_stemmer(lang)
        super().__init__(kb, lex, stem, make_name_keys(lex, stem), fold=folder(lang))
        self._case_only = sorted(CASE_ONLY.get(lang, []), key=len, reverse=True)
        self.genitive = tuple(str(s) for s in self.lex.get("genitive_suffixes") or [])
        # a language also written in Latin letters that its lexicon reads in Cyrillic (Kazakh)
        self._latin = LatinReader(self.lex.get("latin_script")) if self.lex.get("latin_script") else None

    def rewrite(self, text: str) -> Rewrite | None:
        latin = self._latin.rewrite(text) if self._latin is not None else None
        if latin is not None or self.lex.get("script") not in (None, "cyrillic"):
            return latin
        return _homoglyphs_in_cyrillic(text)

    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        return _split_sentences(text)

    def extra_persons(self, text: str, toks: list[Tok], found: list[Match]) -> list[tuple[int, int, str]]:
        return _names_after_roles(self, text, toks, found)

    def nominative(self, surface: str, other_forms: list[str] | None = None) -> str:
        words = surface.split()
        if not words:
            return surface
        last = words[-1].rstrip(APOSTROPHES + "ʻ")
        for sep in APOSTROPHES + "ʻ":
            if sep in last:  # Tileuberdi'ning
                last = last.split(sep)[0]
        low = last.lower()
        for e in self._case_only:
            # a stem of four letters at least; three before a long ending ("Гүлмен" -> "Гүл")
            if low.endswith(e) and len(low) - len(e) >= (3 if len(e) >= 3 else 4):
                last = last[: -len(e)]
                break
        return " ".join(words[:-1] + [last])

    def transliterate(self, name: str) -> str:
        if re.search(r"[A-Za-z]", name):
            out = name
            for a, b in (_TK_LATIN_TRANSLIT if self.lang == "tk" else _UZ_LATIN_TRANSLIT).items():
                out = out.replace(a, b).replace(a.upper(), b.capitalize() if b else b)
            return out
        return ru_transliterate("".join(_KK_EXTRA.get(ch.lower(), ch) if ch.lower() in _KK_EXTRA else ch for ch in name))


# Latin letters that look like Cyrillic ones: pages typed on two keyboards write "Cыртқы" with a Latin
# C, "мемлекетaралық" with a Latin a; inside a word of Cyrillic letters they are read as their twins
_LATIN_TWINS = str.maketrans("AaBCcEeHKMOoPpTXxyi", "АаВСсЕеНКМОоРрТХхуі")
_MIXED_WORD = re.compile(r"\w*[\u0400-\u04ff]\w*")
_TWIN_LETTERS = re.compile("[AaBCcEeHKMOoPpTXxyi]")


def _homoglyphs_in_cyrillic(text: str) -> Rewrite | None:
    """A Cyrillic text whose words hold Latin look-alike letters, read with their Cyrillic twins
    (letter for letter, so every span maps back onto the same characters); None when there are none."""
    pieces: list[tuple[int, int, str]] = []
    for m in _MIXED_WORD.finditer(text):
        word = m.group()
        if not _TWIN_LETTERS.search(word) or re.search(r"[^\W\d_]", word.translate(_LATIN_TWINS).encode("ascii", "ignore").decode()):
            continue  # no look-alike, or a Latin letter that has no Cyrillic twin: a word of two scripts
        for t in _TWIN_LETTERS.finditer(word):
            pieces.append((m.start() + t.start(), m.start() + t.end(), t.group().translate(_LATIN_TWINS)))
    return Rewrite(text, pieces) if pieces else None


def _split_sentences(text: str) -> list[tuple[int, int]]:
    from razdel import sentenize

    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        base = line.start()
        for s in sentenize(line.group()):
            # a part in lower case goes on the sentence before; so does one after a semicolon, which
            # separates the items of a list ("the Ambassador of Spain, L. Montes; Ambassador of ...")
            if spans and spans[-1][1] > base and (re.match(r"^[a-zа-яёәғқңөұүһіўҳ\d]", s.text)
                                                    or text[spans[-1][1] - 1] == ";"):
                spans[-1] = (spans[-1][0], base + s.stop)
            else:
                spans.append((base + s.start, base + s.stop))
    return spans


def _names_after_roles(an: Analyser, text: str, toks: list[Tok], found: list[Match],
                       skip_owner: bool = False) -> list[tuple[int, int, str]]:
    """People the KB does not know: one to three capitalised words right after a role phrase
    ('Тышкы иштер министри Чыңгыз Айдарбеков', 'Foreign Minister Mukhtar Tleuberdi'), or before it
    ('X, Foreign Minister of ...'). With `skip_owner` (languages that write the owner of a role after
    it), the names of states and organisations right after the role are passed over first. `found`: the
    gazetteer's matches in the text."""
    out = []
    roles = [m for m in found if m.entry.kind == "cue" and m.entry.id.startswith("role:")]
    owners = {m.start: m.end for m in found if m.entry.kind in ("country", "org", "region")} if skip_owner else {}
    starts = {t.start: i for i, t in enumerate(toks)}
    tok_starts = [t.start for t in toks]
    function = {str(w).lower() for w in an.lex.get("coordinators") or []} | {str(w).lower() for w in an.lex.get("place_prepositions") or []}
    institutions = {an.fold(str(w)) for w in an.lex.get("institution_words") or []}
    for r in roles:
        pos = r.end
        after_institution = False
        while True:
            nxt = _next_start(tok_starts, pos)
            if len(text[pos:nxt].strip()) > 0:
                break
            if nxt in owners:
                pos = owners[nxt]
                continue
            k = starts.get(nxt)
            # the institution of the role ("раиси Маҷлиси намояндагони Маҷлиси Олии ... Файзалӣ Идизода")
            if skip_owner and k is not None and (an.fold(toks[k].text) in institutions or (after_institution and not toks[k].cap)):
                after_institution = True
                pos = toks[k].end
                continue
            break
        i = starts.get(_next_start(tok_starts, pos))
        if i is None:
            continue
        j = i
        while j < len(toks) and j - i < 3 and toks[j].cap and toks[j].text.isalpha() | ("-" in toks[j].text) and not _is_function(toks[j].text) \
                and toks[j].text.lower() not in function and not (len(toks[j].text) > 1 and toks[j].text.isupper()) \
                and an.fold(toks[j].text) not in institutions:
            # (a word in capitals is a headline's, not a name's); parts of a name are joined by a space or
            # a dash ("Франсуа—Филипп Шампан")
            if j > i and text[toks[j - 1].end:toks[j].start] not in (" ", "\u00a0", "—", "–"):
                break
            j += 1
        if j - i >= 2:
            out.append((toks[i].start, toks[j - 1].end, text[toks[i].start:toks[j - 1].end]))
    return out


def _next_start(tok_starts: list[int], pos: int) -> int:
    """The start of the first token at or after `pos`, -1 if none (`tok_starts`: the tokens' starts)."""
    i = bisect_left(tok_starts, pos)
    return tok_starts[i] if i < len(tok_starts) else -1


def _is_function(word: str) -> bool:
    return word.lower() in {"the", "of", "and", "on", "in", "with", "va", "bilan", "мен", "менен", "жана", "және"}
