"""The analysis every language produces, and the machinery the analysers share.

An `Analysis` holds sentences, gazetteer tokens and typed `Mention`s linked to the KB (countries,
organisations, places, the Central Asia region, bodies and formats, people with their roles, dates,
amounts of money) and to the language's lexicon (cues: triggers, tense, topics, outcomes...). The
extractor (`kurultai.extract`) reads only this, so it never depends on the language.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kurultai.analyze.morph import VerbGrammar
from kurultai.dates import find_dates
from kurultai.kb import KB, Person
from kurultai.kb.gazetteer import Entry, Gazetteer, Match, Tok, normalise, resolve, tokens
from kurultai.kb.lexicon import Lexicon
from kurultai.models import Document
from kurultai.spans import Rewrite, Taken, pieces

# gazetteer kinds that name things (resolved against each other, longest first)
NAME_KINDS = {"country", "country_adj", "org", "place", "person", "surname", "region", "region_adj", "body", "format"}
# a longer sentence (no article has one: the dev corpus' longest has 505 characters) is read in pieces cut
# after a space, so that a text without sentence ends (one huge line) is still read in linear time
MAX_SENTENCE = 3_000


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    kind: str  # country | org | place | region | body | format | person | role | date | money | cue
    id: str  # KB id, cue id ("topic:trade", "trigger:meeting"...), person key
    text: str
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class PersonRef:
    """One person of the document: every mention of them, their nominative name, role and country."""

    key: str
    name: str
    name_en: str
    role: str | None = None
    country: str | None = None
    organization: str | None = None
    kb: Person | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    role_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int


@dataclass
class Analysis:
    """What the extractor reads. `sentences` are in text order without overlaps and `mentions` in text
    order (by start, the longer first), as `Analyser.analyse` builds them, and neither they nor `persons`
    change once the analysis is built: the lookups below bisect offsets or read indexes built here, so
    that one costs what it returns, not the whole document (extraction stays linear in the text's length)."""

    doc: Document
    lang: str
    sentences: list[Sentence]
    mentions: list[Mention]
    persons: dict[str, PersonRef]
    # the text was read rewritten (Kazakh Latin in Cyrillic): `doc` holds the rewritten text, and this
    # maps its spans back onto the original's characters (the extractor's events point at those)
    rewrite: Rewrite | None = None
    _sentence_starts: list[int] = field(init=False, repr=False, compare=False)
    _mention_starts: list[int] = field(init=False, repr=False, compare=False)
    _named_roles: set[tuple[int, int]] = field(init=False, repr=False, compare=False)
    _holders: dict[tuple[str | None, str | None], list[PersonRef]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._sentence_starts = [s.start for s in self.sentences]
        self._mention_starts = [m.start for m in self.mentions]
        self._named_roles = {span for ref in self.persons.values() for span in ref.role_spans}
        self._holders = {}
        for ref in self.persons.values():
            self._holders.setdefault((ref.role, ref.country), []).append(ref)

    def sentence_at(self, offset: int) -> Sentence:
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return self.sentences[i]
        return self.sentences[-1]

    def in_span(self, start: int, end: int, kinds: Iterable[str] | None = None) -> list[Mention]:
        ks = set(kinds) if kinds is not None else None
        # a mention inside the span starts in [start, end] (a mention never ends before it starts)
        lo = bisect_left(self._mention_starts, start)
        hi = bisect_right(self._mention_starts, end, lo)
        return [m for m in self.mentions[lo:hi] if m.end <= end and (ks is None or m.kind in ks)]

    def in_sentence(self, s: Sentence, kinds: Iterable[str] | None = None) -> list[Mention]:
        return self.in_span(s.start, s.end, kinds)

    def cues(self, start: int, end: int, prefix: str) -> list[Mention]:
        return [m for m in self.in_span(start, end, ["cue"]) if m.id.startswith(prefix)]

    def is_named_role(self, m: Mention) -> bool:
        """Whether a role mention is the role of a person named with it ("министр ... Руслан Казакбаев")."""
        return m.span in self._named_roles

    def holders(self, role: str, country: str) -> list[PersonRef]:
        """The document's people with this role of this state, in the order of `persons`."""
        return self._holders.get((role, country), [])


def lexicon_entries(lex: Lexicon) -> list[Entry]:
    """Lexicon phrases as gazetteer entries of kind 'cue' with ids 'section:value'."""
    out: list[Entry] = []
    # in agglutinative languages a stemmed verb form may meet a noun ("жолугушту" / "жолугушуусу"):
    # their verb lists are matched as written (lower case), where the lexicon says so
    exact_verbs = bool(lex.get("verbs_as_written"))

    def add(cue_id: str, words: Iterable[Any], verbs: bool = False) -> None:
        for w in words or []:
            w = str(w)
            if verbs and exact_verbs and not w.endswith("*"):
                out.append(Entry("cue", cue_id, w.lower(), exact=True))
                continue
            out.append(Entry("cue", cue_id, w, prefix=w.endswith("*"), exact=w.isupper() and len(w) <= 5))

    for kind, words in (lex.get("triggers") or {}).items():
        add(f"trigger:{kind}", words)
    for kind, words in (lex.get("trigger_verbs") or {}).items():
        add(f"verb:{kind}", words, verbs=True)
    add("participants:anaphoric", lex.get("anaphoric_participants"))
    add("delegation", lex.get("delegation_words"))
    add("lead", lex.get("delegation_lead_cues"))
    add("eve", lex.get("eve_cues"))
    for tense, words in (lex.get("occurrence") or {}).items():
        add(f"occ:{tense}", words, verbs=True)
    add("place:anaphoric", lex.get("anaphoric_place"))
    add("format:anaphoric", lex.get("anaphoric_format"))
    add("format:instance", lex.get("instance_words"))
    for vt, words in (lex.get("visit_types") or {}).items():
        add(f"visit:{vt}", words)
    for role, words in (lex.get("roles") or {}).items():
        add(f"role:{role}", words)
    add("nonpart", lex.get("non_participant_cues"))
    add("background", lex.get("background_cues"))
    add("content", lex.get("content_cues"))
    add("content_after", lex.get("content_after_cues"))
    add("sidelines", lex.get("sidelines_cues"))
    add("chairmanship", lex.get("chairmanship_cues"))
    add("capital", lex.get("capital_words"))
    add("sidelines_after", lex.get("sidelines_after_cues"))
    add("about", lex.get("about_cues"))
    add("departure", lex.get("departure_cues"))
    add("invitation", lex.get("invitation_cues"))
    for w in lex.get("personal_pronouns") or []:  # short words: matched as written only
        out.append(Entry("cue", "pronoun", str(w).lower(), exact=True))
    add("separate", lex.get("separate_meetings_cues"))
    add("gathering", lex.get("gathering_words"))
    add("bilateral", lex.get("bilateral_cues"))
    add("joint", lex.get("joint_meeting_cues"))
    add("prospective", lex.get("prospective_cues"))
    add("retrospective", lex.get("retrospective_cues"))
    for topic, words in (lex.get("topics") or {}).items():
        add(f"topic:{topic}", words)
    add("topic_exc", lex.get("topic_exceptions"))
    add("trigger_exc", lex.get("trigger_exceptions"))
    # ("as we reported earlier": the report was earlier, not the encounter)
    add("background_exc", lex.get("background_exceptions"))
    for otype, words in (lex.get("outcome_heads") or {}).items():
        add(f"outcome:{otype}", words)
    add("adopt", lex.get("adoption_verbs"))
    for ind, words in (lex.get("figure_indicators") or {}).items():
        add(f"indicator:{ind}", words)
    add("target", lex.get("target_cues"))
    return out


# first letters compared across scripts and spellings ("Wiktor" / "Viktor" / "Виктор", "Қасым" / "Kassym")
# (vowels are one class: "Emomali" / "Imomali", "Ильхам" / "Ilham")
_INITIAL = str.maketrans({**{v: "a" for v in "aeiouyаеёиийоөуүұўыэюяәіӣӯ"},
                          **dict(zip("бвгғджзкқлмнңпрстфхһҳцчшщҷwqc", "bvggdjzkklmnnprstfhhhccssjvkk", strict=True))})


def _initial(word: str) -> str:
    return unicodedata.normalize("NFKD", word[:1].lower())[:1].translate(_INITIAL)


def _first_name_fits(person: Person, word: str) -> bool:
    """Whether `word` may be the first name (or its initial) of the KB person, in any of their names."""
    return _initial(word) in {_initial(n) for n in [*person.names.values(), *person.aliases] if n.strip()}


class Analyser:
    """Shared machinery; a language module gives its stemmer, sentence splitter and person finder."""

    lang = "xx"

    def __init__(self, kb: KB, lex: Lexicon, stem: Callable[[str], str],
                 name_keys: Callable[[str], frozenset[str]] | None = None, fold: Callable[[str], str] | None = None):
        self.kb = kb
        self.lex = lex
        self.stem = stem
        self.fold = fold or normalise
        self.gazetteer = Gazetteer(list(kb.entries()) + lexicon_entries(lex), stem, name_keys, fold)
        self.verbs = VerbGrammar(lex.get("verb_grammar"), lex.get("verb_stems"), self.fold)
        # "кездескен болатын", "uchrashgan edi" (had met): a past participle with one of these after it
        # tells of an earlier encounter, as background
        self._pluperfect = frozenset(self.fold(str(w).lower()) for w in lex.get("pluperfect_auxiliaries") or [])
        # the words before a host state ("посол Турции в Кыргызстане") and those that open a new clause
        self._host_preps = frozenset(str(w).lower() for w in lex.get("host_prepositions") or [])
        self._clause_breaks = frozenset(str(w).lower() for w in lex.get("clause_breaking_words") or [])
        # a preposition between an office and a name makes the name its object ("раиси Маҷлиси миллӣ бо Илҳом Алиев")
        self._role_breaks = frozenset(str(w).lower() for w in lex.get("role_breaking_words") or [])
        self._money = _money_pattern(lex)
        self._surnames: dict[str, list[Person]] | None = None
        self._text = ""  # the text being analysed
        # common words of the language that look like a KB surname ("Раиси", chairman of: Raisi)
        self._not_surnames = frozenset(self.fold(str(w)) for w in lex.get("not_surnames") or [])

    # -- hooks for the language modules ------------------------------------------------------
    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+(?:[.!?]+|\n|$)", text) if m.group().strip()]

    def extra_persons(self, text: str, toks: list[Tok], found: list[Match]) -> list[tuple[int, int, str]]:
        """(start, end, surface) of person names the gazetteer cannot know (NER), given the gazetteer's
        matches in the text (`Gazetteer.find_all`). None by default."""
        return []

    def nominative(self, surface: str, other_forms: list[str] | None = None) -> str:
        """The nominative of a name; `other_forms` are the distinct forms of the document's mentions of
        the surname."""
        return surface

    def transliterate(self, name: str) -> str:
        return name

    def drop_date(self, text: str, start: int, end: int) -> bool:
        return False

    def rewrite(self, text: str) -> Rewrite | None:
        """The text written as the analyser reads it (Kazakh Latin in Cyrillic), with the map back to the
        original's characters; None (the default) when it is read as it is."""
        return None

    # -- the analysis -------------------------------------------------------------------------
    def analyse(self, doc: Document) -> Analysis:
        rewrite = self.rewrite(doc.text)
        if rewrite is not None:
            doc = doc.model_copy(update={"text": rewrite.text})
        text = doc.text
        spans = [piece for a, b in self.split_sentences(text) for piece in pieces(text, MAX_SENTENCE, a, b)]
        sentences = [Sentence(i, a, b) for i, (a, b) in enumerate(spans)] or [Sentence(0, 0, len(text))]
        toks = tokens(text)
        found = self.gazetteer.find_all(text, toks)
        self._text = text  # (a converb's sentence is read on it)
        raw = found + self.verb_cues(toks)
        names = resolve([m for m in raw if m.entry.kind in NAME_KINDS] + [m for m in raw if m.entry.kind == "cue" and m.entry.id.startswith("role:")])
        groups: dict[str, list[Match]] = {}
        for m in raw:
            if m.entry.kind == "cue" and not m.entry.id.startswith("role:"):
                g = m.entry.id.split(":")[0]
                groups.setdefault({"verb": "trigger", "topic_exc": "topic", "trigger_exc": "trigger", "background_exc": "background"}.get(g, g), []).append(m)
        cues = []
        for g in groups.values():
            kept = resolve(g)
            kept_set = set(kept)
            spans: dict[tuple[int, int], set[str]] = {}  # the ids kept at each span
            for k in kept:
                spans.setdefault((k.start, k.end), set()).add(k.entry.id)
            # one word may carry two cues of a group ("водно-энергетического": water and energy)
            cues.extend(kept + [m for m in g if (m.start, m.end) in spans and m not in kept_set
                                and m.entry.id not in spans[(m.start, m.end)]])
        topics: list[Match] = []
        mentions: list[Mention] = []
        name_starts = {m.start for m in names}
        name_ends = {m.end for m in names} | {m.end for m in cues}
        # the state names of the text (also those inside a longer name), by start, for the roles that hold one
        state_names = sorted((x.start, x.end, x.entry.id) for x in raw if x.entry.kind in ("country", "country_adj"))
        state_starts = [x[0] for x in state_names]
        for m in names:
            if m.entry.kind == "surname" and (self._inside_other_name(text, m, name_starts)
                                              or self._other_first_name(text, m, name_ends)
                                              or self.fold(text[m.start:m.end]) in self._not_surnames):
                continue
            kind = {"country_adj": "country", "surname": "person", "region_adj": "region"}.get(m.entry.kind, m.entry.kind)
            if m.entry.kind == "cue":
                kind = "role"
            attrs: dict[str, Any] = {"adj": m.entry.kind.endswith("_adj"), "surname_only": m.entry.kind == "surname"}
            if kind == "role":
                # a role that names its state ("Председатель КНР", "Xitoy raisi"): that state's
                at = bisect_left(state_starts, m.start)
                attrs["country"] = next((state_names[i][2] for i in range(at, bisect_left(state_starts, m.end))
                                         if state_names[i][1] <= m.end), None)
            mid = m.entry.id[5:] if kind == "role" else m.entry.id
            mentions.append(Mention(m.start, m.end, kind, mid, text[m.start:m.end], attrs))
        for m in cues + topics:
            if m.entry.id in ("topic_exc", "trigger_exc", "background_exc"):
                continue
            mentions.append(Mention(m.start, m.end, "cue", m.entry.id, text[m.start:m.end]))
        # topic exceptions hide overlapping topic cues' other readings only (handled by resolve ordering)
        taken = Taken(len(text))
        for m in mentions:
            if m.kind in NAME_KINDS | {"person"}:
                taken.take(m.start, m.end)
        for d in find_dates(text, self.lex, doc.published):
            if self.drop_date(text, d.start, d.end):
                continue
            mentions.append(Mention(d.start, d.end, "date", "date", d.text, {"value": d}))
        for start, end, value, unit, elided in self._find_money(text):
            mentions.append(Mention(start, end, "money", unit or "?", text[start:end],
                                    {"value": value, "unit": unit, "elided": elided}))
        # people the KB does not know (NER), unless they overlap a KB mention
        for start, end, surface in self.extra_persons(text, toks, found):
            first = taken.first(start, end)  # where the first KB mention it overlaps begins
            if first > start:
                # "Азамат Жаманкулов Казакстандын ...": the name ends where a KB name begins
                cut = text[start:first].rstrip()
                if len(cut.split()) >= 2 and taken.free(start, start + len(cut)):
                    end, surface, first = start + len(cut), cut, -1
            if first != -1:
                continue
            mentions.append(Mention(start, end, "person", "", surface, {"ner": True}))
        mentions.extend(self._capitals(text, mentions))
        mentions.sort(key=lambda x: (x.start, -x.end))
        persons = self._persons(doc, mentions, sentences)
        return Analysis(doc, self.lang, sentences, mentions, persons, rewrite)

    def _capitals(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """'в столице Таджикистана', 'the Tajik capital', 'Tojikiston poytaxti': the capital of the state
        named right beside a capital word is a place (kb: places marked capital)."""
        words = [m for m in mentions if m.kind == "cue" and m.id == "capital"]
        if not words:
            return []
        out = []
        states = [m for m in mentions if m.kind == "country"]
        for w in words:
            for c in states:
                gap = text[w.end:c.start] if c.start >= w.end else text[c.end:w.start] if c.end <= w.start else None
                if gap is None or _words(gap) > 1 or re.search(r"[.,;:!?()«»\"]", gap):
                    continue
                city = self.kb.capital_of(c.id)
                if city is not None:
                    start, end = min(w.start, c.start), max(w.end, c.end)
                    out.append(Mention(start, end, "place", city.id, text[start:end], {}))
                    break
        return out

    @staticmethod
    def _inside_other_name(text: str, m: Match, name_starts: set[int]) -> bool:
        """A KB surname that is a part of another person's name: joined by a dash to the word before
        ("Франсуа—Филипп") or followed by a capitalised word the KB does not know ("Филипп Шампан")."""
        if re.search(r"[^\W\d_][—–-]$", text[max(0, m.start - 2):m.start]):
            return True
        nxt = re.match(r" ([^\W\d_]+)", text[m.end:m.end + 40])
        return bool(nxt) and nxt.group(1)[:1].isupper() and not nxt.group(1).isupper() and m.end + 1 not in name_starts

    def _other_first_name(self, text: str, m: Match, name_ends: set[int]) -> bool:
        """A KB surname right after capitalised words that are no name, role or title the text has, the
        first of which does not start like the KB person's first name ("Урс Шмид" is not Helga Schmid;
        "Rejep Tayyip Erdoğan" and "Qasim-Jomart Tokayev" are who they are)."""
        if m.start - 1 in name_ends or not text[m.start - 1:m.start].isspace():
            return False
        head = text[max(0, m.start - 60):m.start].split()
        run: list[str] = []
        for w in reversed(head[-3:]):
            if not re.fullmatch(r"[^\W\d_]+(?:[-‐–'’ʻ][^\W\d_]+)*", w) or not w[:1].isupper() or w.isupper():
                break
            run.insert(0, w)
        if not run:
            return False
        lead = text[:m.start].rstrip()[: -len(" ".join(run))].rstrip()
        if not lead or lead[-1] in ".!?:«\"(":
            return False  # the words open a sentence or a quote: they may be a title or any word
        person = self.kb.persons.get(m.entry.id)
        return person is not None and not any(_first_name_fits(person, w) for w in run)

    # -- verbs read through the suffix grammar -----------------------------------------------------
    def verb_cues(self, toks: list[Tok]) -> list[Match]:
        """Cues of verb forms (kb/data/lexicon: `verb_stems`, `verb_grammar`): a trigger verb's finite
        form is `verb:KIND` with its tense (`occ:...`), its verbal noun `trigger:KIND`; an occurrence
        verb gives its tense only; an adoption verb `adopt` (and `occ:future` when it is announced)."""
        if not self.verbs.enabled:
            return []
        out: list[Match] = []
        for i, t in enumerate(toks):
            if not t.text[:1].isalpha():
                continue
            p = self.verbs.parse(t.text)
            if p is None:
                continue
            if p.tense == "participle" and i + 1 < len(toks) and self.fold(toks[i + 1].text.lower()) in self._pluperfect:
                p = replace(p, tense="reported")
            if p.tense == "converb":
                p = replace(p, tense=self._converb_tense(toks, i))
            for before, cue in p.cues:
                n = len(before)
                # "кабыл ал-": the words before the verb stand right before it, as written or longer
                # ("muzokaralar olib bor-")
                if n and (i < n or not all(self.fold(x.text).startswith(w) for x, w in zip(toks[i - n:i], before, strict=True))):
                    continue
                for cue_id in verb_cue_ids(cue, p.tense):
                    out.append(Match(toks[i - n].start, t.end, i - n, i + 1, Entry("cue", cue_id, t.text)))
                break
        return out

    def _converb_tense(self, toks: list[Tok], i: int) -> str:
        """A converb has the tense of the finite verb it leads to in its sentence ("uchrashib, muzokaralar
        oʻtkazadi": will meet and hold talks); without a known one after it, it tells of what was done."""
        for j in range(i + 1, min(len(toks), i + 25)):
            if re.search(r"[.!?\n]", self._text[toks[j - 1].end:toks[j].start]):
                break
            q = self.verbs.parse(toks[j].text)
            if q is not None and q.tense in ("past", "present", "future"):
                return q.tense
        return "converb"

    # -- money --------------------------------------------------------------------------------
    def _find_money(self, text: str) -> list[tuple[int, int, float, str | None, bool]]:
        out = []
        mags = {str(k).lower(): float(v) for k, v in (self.lex.get("magnitudes") or {}).items()}
        for m in self._money.finditer(text):
            num = float(m["num"].replace(" ", "").replace(",", "."))
            mag = (m["mag"] or "").lower().rstrip(".")
            factor = mags.get(mag, 1.0)
            cur = m["cur"] or m["pre"]
            unit = self._currency(cur) if cur else None
            if unit is None and factor == 1.0:
                continue
            out.append((m.start(), m.end(), num * factor, unit, unit is None))
        return out

    def _currency(self, word: str) -> str | None:
        w = word.lower()
        for code, forms in (self.lex.get("currencies") or {}).items():
            for f in forms:
                f = str(f).lower()
                if (f.endswith("*") and w.startswith(f[:-1])) or w == f or w.rstrip(".") == f.rstrip("."):
                    return str(code)
        return None

    # -- people -------------------------------------------------------------------------------
    def _persons(self, doc: Document, mentions: list[Mention], sentences: list[Sentence]) -> dict[str, PersonRef]:
        persons: dict[str, PersonRef] = {}
        by_surname: dict[str, str] = {}
        day = doc.published
        forms: dict[str, dict[str, None]] = {}  # the distinct forms of each surname (by stem), in text order
        for x in mentions:
            if x.kind == "person" and x.text.split():
                forms.setdefault(self.stem(x.text.split()[-1].lower()), {})[x.text] = None
        # "Режеп Тайип Ердоғанмен": given names spelt otherwise than the KB's, right before a KB surname,
        # are that person's
        kb_at = {x.start: x.id for x in mentions if x.kind == "person" and x.id and x.id in self.kb.persons}
        role_before: dict[int, tuple[str, ...]] = {}  # a person mention's start -> the office right before it
        roles_by_end = {x.end: x.id for x in mentions if x.kind == "role"}
        for x in mentions:
            if x.kind == "person":
                at = x.start - 1 if doc.text[x.start - 1:x.start] in (" ", "\u00a0") else -1
                if at in roles_by_end:
                    role_before[x.start] = (roles_by_end[at],)
        for m in [x for x in mentions if x.kind == "person"]:
            if m.id == "" and len(m.text.split()) <= 2:
                nxt = kb_at.get(m.end + 1) if doc.text[m.end:m.end + 1] in (" ", "\u00a0") else None
                if nxt is not None and all(w[:1].isupper() for w in m.text.split()):
                    m.id = nxt
            kbp = self.kb.persons.get(m.id) if m.id else None
            if kbp is None and m.id == "":
                last = m.text.split()[-1].lower() if m.text.split() else ""
                surface = self.nominative(m.text, list(forms.get(self.stem(last), {})))
                words = surface.split()
                # a NER name whose surname is a KB person's: the KB person
                kbp = self._kb_by_surname(words[-1], day) if words else None
                if kbp is not None and len(words) >= 2 and not _first_name_fits(kbp, words[0]):
                    kbp = None  # "Урс Шмид" is not Helga Schmid
                if kbp is None:
                    key = self.stem(words[-1].lower()) if words else surface.lower()
                    if len(words) == 1 and key in by_surname:
                        m.id = by_surname[key]
                        persons[m.id].spans.append(m.span)
                        continue
                    m.id = "ner:" + key
                    ref = persons.get(m.id)
                    if ref is None:
                        ref = persons[m.id] = PersonRef(m.id, surface, self.transliterate(surface))
                    elif len(surface.split()) > len(ref.name.split()):
                        ref.name, ref.name_en = surface, self.transliterate(surface)
                    ref.spans.append(m.span)
                    by_surname[key] = m.id
                    continue
                m.id = kbp.id
            if kbp is None:
                continue
            if m.attrs.get("surname_only") and kbp.id not in persons:
                # a bare surname is linked only when it is unambiguous in the KB
                others = [p for p in self.kb.persons.values() if p.id != kbp.id and p.names.get("en", "").split()[-1:] == kbp.names.get("en", "").split()[-1:]]
                if others:
                    # "Президент Жапаров": the office right before the surname tells which of them
                    titled = next((x for x in role_before.get(m.start, ())), None)
                    fits = [p for p in [kbp, *others] if titled is not None and titled in p.roles()]
                    if len(fits) > 1 and day is not None:
                        # (both held that office once: the one holding it on the day)
                        fits = [p for p in fits if any(t.role == titled and (t.start is None or t.start <= day) and (t.end is None or day <= t.end)
                                                       for t in p.terms)]
                    if titled is None:
                        # the one of them the text names in full; else the one in the highest office on the
                        # day ("Жапаров и Мирзиёев провели переговоры": the President, not the head of the
                        # cabinet, whom the press names with his office or given name)
                        # (two namesakes of one state only: a dynasty's name is no surname to pick by office)
                        same_state = len(others) == 1 and len({t.country for p in [kbp, *others] for t in p.terms}) == 1
                        fits = [p for p in [kbp, *others] if p.id in persons] or (
                            self._highest_office([kbp, *others], day) if same_state else [])
                    if len(fits) != 1:
                        continue
                    kbp = fits[0]
                    m.id = kbp.id
            ref = persons.get(kbp.id)
            if ref is None:
                script = "cyrl" if re.search("[\u0400-\u04ff]", m.text) else "latn"  # the Cyrillic block
                ref = persons[kbp.id] = PersonRef(kbp.id, kbp.name_in(self.lang, script), kbp.name_en, kb=kbp)
            ref.spans.append(m.span)
            by_surname[self.stem(kbp.name_en.split()[-1].lower())] = kbp.id
        self._attach_roles(doc, mentions, persons)
        # what the text does not say of a KB person, the KB says: their post on the publication day (or
        # their latest one)
        for ref in persons.values():
            if ref.kb is None:
                continue
            term = ref.kb.term_at(day) if day is not None else None
            if term is None and ref.role:
                # no term on the publication day (or no day): the latest term of the office the text names
                # ("the head of state Nazarbayev")
                term = next((t for t in sorted(ref.kb.terms, key=lambda t: t.start or dt.date.min, reverse=True)
                             if t.role == ref.role), None)
            term = term or ref.kb.term_at(None)
            if term is None:
                continue
            if ref.role is None:
                ref.role = term.role
            if ref.role == term.role and term.country:
                # the office the text names is the one the KB knows they held: its state is theirs, whatever
                # state the words around happen to name ("the MFAs of Kyrgyzstan and Uzbekistan prepare
                # the visit of the head of state Sadyr Japarov")
                ref.country = term.country
            if ref.organization is None and ref.role == term.role:
                ref.organization = term.organization
            states = {x.country for x in ref.kb.terms}
            if len(states) == 1 and None not in states and ref.country not in (None, *states) and ref.role != "head_of_organization":
                # every office the KB knows them in is of one state: a state the words around name is
                # another side of a list ("Russia's and China's ministers Lavrov and Wang Yi")
                ref.country = next(iter(states))
        return persons

    @staticmethod
    def _highest_office(people: list[Person], day: dt.date | None) -> list[Person]:
        """Of several KB people, the one whose office on `day` (or latest) ranks highest, when one does."""
        rank = {"head_of_state": 0, "head_of_government": 1, "foreign_minister": 2}

        def level(p: Person) -> int:
            term = p.term_at(day) if day is not None else None
            if term is None and day is not None:
                return 9  # (not in office that day)
            roles = [term.role] if term is not None else [t.role for t in p.terms]
            return min((rank.get(r or "", 8) for r in roles), default=9)

        levels = sorted((level(p), i) for i, p in enumerate(people))
        if not levels or levels[0][0] >= 8 or (len(levels) > 1 and levels[1][0] == levels[0][0]):
            return []
        return [people[levels[0][1]]]

    def _kb_by_surname(self, surname: str, day: dt.date | None) -> Person | None:
        if self._surnames is None:
            # the KB's people by the stem of the last word of any of their names, built once
            self._surnames = {}
            for p in self.kb.persons.values():
                for n in list(p.names.values()) + p.aliases:
                    parts = n.split()
                    if parts:
                        found = self._surnames.setdefault(self.stem(parts[-1].lower()), [])
                        if p not in found:
                            found.append(p)
        hits = list(self._surnames.get(self.stem(surname.lower()), []))
        if len(hits) == 1:
            return hits[0]
        if day and hits:
            current = [p for p in hits if p.term_at(day)]
            if len(current) == 1:
                return current[0]
        return None

    def _attach_roles(self, doc: Document, mentions: list[Mention], persons: dict[str, PersonRef]) -> None:
        """'министр иностранных дел Кыргызстана Руслан Казакбаев': role and country from the words before
        the name (a role cue, then countries / organisations / genitive words, then the name)."""
        text = doc.text
        ordered = [m for m in mentions if m.kind in {"role", "person", "country", "org"}]
        starts = [m.start for m in ordered]
        # a verb or an encounter word between an office and a name: the office is no title of the name
        # ("the ambassadors handed their credentials to X")
        predicates = sorted(m.start for m in mentions if m.kind == "cue" and m.id.startswith(("verb:", "occ:", "trigger:")))
        listed: tuple[int, str, tuple[int, int]] | None = None  # the last "role country name": its end, role
        for i, m in enumerate(ordered):
            if m.kind != "person" or not m.id:
                continue
            ref = persons.get(m.id)
            if ref is None:
                continue
            role, country, org, rspan = None, None, None, None
            j = i - 1
            gap_end = m.start
            while j >= 0:
                prev = ordered[j]
                gap = text[prev.end:gap_end]
                if len(gap) > 40 or re.search(r"[.;!?\n«»\"]", gap) or _words(gap) > 3 or self._new_clause(gap) \
                        or any(w.lower() in self._role_breaks for w in re.findall(r"[^\W\d_]+", gap)):
                    break
                at = bisect_left(predicates, prev.end)
                if prev.kind == "role" and at < len(predicates) and predicates[at] < gap_end:
                    break
                if prev.kind == "role":
                    role, rspan = prev.id, prev.span
                    head = ordered[j - 1] if j else None
                    if head is not None and head.kind == "role" and head.id == "other" and not text[head.end:prev.start].strip() \
                            and not self.lex.get("title_before_head"):
                        # "помощник Президента Узбекистана X": the office of the one who serves another's
                        role, rspan = head.id, head.span
                    if country is None and org is None:
                        country, org = self._owner_before(text, ordered, j)
                    break
                if prev.kind == "country" and self._word_before(text, prev.start) in self._host_preps:
                    pass  # "посол Турции в Кыргызстане": the host state, not the role's own
                elif prev.kind == "country" and country is not None and "," in gap:
                    break  # ("... of Slovakia B, of the Vatican C": the item before is another's)
                elif prev.kind == "country":
                    country = prev.id  # the nearest to the role wins (walking back, the last seen)
                elif prev.kind == "org" and org is None:
                    org = prev.id
                elif prev.kind == "person":
                    break
                gap_end = prev.start
                j -= 1
            if role is None:
                # "X, министр иностранных дел Кыргызстана" (apposition after the name)
                k = bisect_left(starts, m.end)
                nxt = ordered[k:k + 3]
                # (not the title of the next name of a list: "A, премьер-министром B")
                titled_next = len(nxt) > 1 and nxt[1].kind in ("person", "country") and any(
                    o.kind == "person" and _words(text[nxt[0].end:o.start]) <= 3 for o in nxt[1:])
                if nxt and nxt[0].kind == "role" and re.fullmatch(r"\s*[,–—-]?\s*", text[m.end:nxt[0].start]) and not titled_next:
                    role, rspan = nxt[0].id, nxt[0].span
                    for o in nxt[1:]:
                        if o.kind == "country" and country is None and _words(text[nxt[0].end:o.start]) <= 3:
                            country = o.id
                        if o.kind == "org" and org is None and _words(text[nxt[0].end:o.start]) <= 3:
                            org = o.id
            from_list = False
            if role is None and country is not None and listed is not None:
                # "... the ministers of Turkey Hakan Fidan, of Malaysia Mohamad Hasan and of Iran ...": a
                # country + name continuing a list after a role takes that role
                prev_end, prev_role, prev_span = listed
                cm = next((ordered[k] for k in range(i - 1, -1, -1) if ordered[k].kind == "country"), None)
                if cm is not None and (self._continues_list(text[prev_end:cm.start])
                                       or self._skips_items(text, prev_end, cm.start, ordered)):
                    role, rspan = prev_role, prev_span
                    from_list = True
            if role and country and rspan and (from_list or m.start - rspan[1] < 120):
                listed = (m.end, role, rspan)
            elif role is None and country is None:
                listed = None
            if role and ref.role is None:
                ref.role = role
                ref.role_spans.append(rspan)  # type: ignore[arg-type]
                if role == "head_of_organization":
                    ref.organization = org
                if country:
                    ref.country = country
            elif role and rspan:
                ref.role_spans.append(rspan)
            if ref.country is None and country and role:
                ref.country = country
        self._paired_roles(text, ordered, persons)

    def _paired_roles(self, text: str, ordered: list[Mention], persons: dict[str, PersonRef]) -> None:
        """'Foreign Ministers of Kazakhstan and Turkey - Erlan Idrissov and Feridun Sinirlioğlu': a role
        followed by a list of states and a list of as many people gives each person the role and the
        state in the same place of its list."""
        i = 0
        while i < len(ordered):
            r = ordered[i]
            if r.kind != "role":
                i += 1
                continue
            j = i + 1
            states: list[Mention] = []
            while j < len(ordered) and ordered[j].kind == "country" and (
                    not states and _words(text[r.end:ordered[j].start]) <= 2 or states and self._continues_list(text[states[-1].end:ordered[j].start])):
                states.append(ordered[j])
                j += 1
            people: list[Mention] = []
            if len(states) >= 2 and j < len(ordered) and ordered[j].kind == "person" \
                    and re.fullmatch(r"\s*[-–—:,(]?\s*", text[states[-1].end:ordered[j].start]):
                while j < len(ordered) and ordered[j].kind == "person" and (
                        not people or self._continues_list(text[people[-1].end:ordered[j].start])):
                    people.append(ordered[j])
                    j += 1
            if len(states) >= 2 and len(people) == len(states):
                for st, pm in zip(states, people, strict=True):
                    ref = persons.get(pm.id)
                    if ref is None:
                        continue
                    ref.role, ref.country = r.id, st.id
                    if r.span not in ref.role_spans:
                        ref.role_spans.append(r.span)
                i = j
            else:
                i += 1


    @staticmethod
    def _word_before(text: str, pos: int) -> str:
        m = re.search(r"(?:^|\s)([^\W\d_]+)\s*$", text[max(0, pos - 8):pos])
        return m.group(1).lower() if m else ""

    def _new_clause(self, gap: str) -> bool:
        """', а', ', и', ', но' (lexicon: clause_breaking_words): a new clause between a role and a name."""
        m = re.search(r",\s*([^\W\d_]+)\s", gap)
        return bool(m) and m.group(1).lower() in self._clause_breaks

    def _skips_items(self, text: str, start: int, end: int, ordered: list[Mention]) -> bool:
        """'... of Lithuania A, of Slovakia B C, of the Vatican D': between two items of a list, one or two
        items of a state and a name no model read (capitalised words), each after a comma or a
        coordinating word."""
        states = [m for m in ordered if m.kind == "country" and start <= m.start and m.end <= end]
        if not 1 <= len(states) <= 2 or any(m.kind in ("person", "role") and start <= m.start < end for m in ordered):
            return False
        pos, rest = start, []
        for m in states:
            rest.append(text[pos:m.start])
            pos = m.end
        rest.append(text[pos:end])
        if not self._continues_list(rest[0]):
            return False
        for piece in rest[1:]:
            # the name after the state ("— Виктор Борецки,"), then the list goes on
            name, _, tail = re.sub(r"^\s*[-–—:]?\s*", "", piece).rpartition(",")
            words = re.findall(r"[^\W\d_]+", name)
            if not words or len(words) > 5 or not all(w[:1].isupper() for w in words) or not self._continues_list(tail):
                return False
        return True

    def _continues_list(self, gap: str) -> bool:
        """Only a comma or a coordinating word ("и", "and", "жана") between two items of a list."""
        words = [str(w).lower() for w in self.lex.get("coordinators") or []]
        rest = gap.strip().lower().lstrip(",").strip()
        return rest == "" or any(rest == w for w in words)

    def _owner_before(self, text: str, ordered: list[Mention], j: int) -> tuple[str | None, str | None]:
        """The state or organisation written before a role ('Қазақстанның Сыртқы істер министрі',
        "Russia's Foreign Minister", 'Россиянын Кыргызстандагы ... Элчиси'): of up to two adjacent ones,
        the one in the genitive, else the nearest."""
        genitive = tuple(str(x) for x in self.lex.get("genitive_suffixes") or [])
        cands: list[Mention] = []
        edge = ordered[j].start
        for k in (j - 1, j - 2):
            if k < 0 or ordered[k].kind not in ("country", "org"):
                break
            gap = text[ordered[k].end:edge]
            if re.search(r"[.;:!?«»\"]", gap) or _words(gap) > 4:
                break
            cands.append(ordered[k])
            edge = ordered[k].start
        # "Туркия Республикасининг Ўзбекистондаги Элчиси": a state in the locative of place is where the
        # office is held (the host), not whose office it is
        host = tuple(str(x) for x in self.lex.get("host_suffixes") or [])

        def word(c: Mention) -> str:  # the whole word the mention ends in, with its suffixes
            rest = re.match(r"\w*", text[c.end:])
            return (c.text + (rest.group() if rest else "")).lower().rstrip("ʻ'’")

        if host and len(cands) > 1:
            cands = [c for c in cands if not word(c).endswith(host)] or cands
        if not cands:
            return None, None
        pick = next((c for c in cands if genitive and c.text.lower().rstrip("ʻ'’").endswith(genitive)), cands[0])
        return (pick.id, None) if pick.kind == "country" else (None, pick.id)


TRIGGER_VERBS = {"meeting", "talks", "reception", "call", "video", "visit"}
# what a verb form says of the encounter, by the tense class of the suffix grammar
_TENSE_OCC = {"past": "occ:past", "present": "occ:past", "converb": "occ:past", "future": "occ:future"}


def verb_cue_ids(cue: str, tense: str) -> list[str]:
    """The cues a verb form gives: by its verb's lexicon key and the tense class of its ending."""
    if tense == "reported":  # "(it was reported) that he had met": a background encounter
        return ([f"verb:{cue}"] if cue in TRIGGER_VERBS else []) + (["occ:reported"] if cue in TRIGGER_VERBS | {"occurrence"} else [])
    if cue in TRIGGER_VERBS:
        if tense == "noun":
            return [f"trigger:{cue}"]
        return [f"verb:{cue}", _TENSE_OCC.get(tense, "occ:past")]
    if cue == "occurrence":
        if tense == "participle":
            return ["occ:past_participle"]
        return [_TENSE_OCC[tense]] if tense in _TENSE_OCC else []
    if cue == "adopt":
        if tense == "noun":
            return []
        return ["adopt"] + (["occ:future"] if tense == "future" else [])
    return []


def _words(s: str) -> int:
    return len(re.findall(r"[^\W\d_]+", s))


def _money_pattern(lex: Lexicon) -> re.Pattern[str]:
    mags = sorted((re.escape(str(k)) for k in (lex.get("magnitudes") or {})), key=len, reverse=True)
    curs: list[str] = []
    pres: list[str] = []
    for forms in (lex.get("currencies") or {}).values():
        for f in forms:
            f = str(f)
            if len(f) == 1 and not f.isalnum():
                pres.append(re.escape(f))
            elif f.endswith("*"):
                curs.append(re.escape(f[:-1]) + r"[^\W\d_]*")
            else:
                curs.append(re.escape(f) + (r"(?![^\W\d_])" if f[-1].isalnum() else ""))
    curs.sort(key=len, reverse=True)
    mag = "|".join(mags) or "(?!x)x"
    cur = "|".join(curs) or "(?!x)x"
    pre = "|".join(pres) or "(?!x)x"
    return re.compile(
        rf"(?:(?P<pre>{pre})\s*)?(?<![\d.,])(?P<num>\d{{1,3}}(?:[ \u00a0]\d{{3}})+|\d+(?:[.,]\d+)?)"
        rf"(?:\s*(?P<mag>(?:{mag})(?![^\W\d_])\.?))?(?:\s*(?P<cur>{cur}))?",
        re.IGNORECASE,
    )
