"""What the stages of extraction share: the drafts they build, the triggers and candidates they pass,
and the word lists of a language's lexicon they read (the extractor holds no word of any language)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kurultai.dates import DateMention
from kurultai.kb.lexicon import load_lexicon
from kurultai.models import Figure, Outcome

EVENT_TRIGGERS = {"meeting", "talks", "reception", "call", "video", "session", "summit", "forum"}
LEADING_ROLES = {"head_of_state", "head_of_government", "foreign_minister"}
MEETING_KINDS = {"meeting", "talks", "reception", "call"}
# a "forum" (forum, conference) is read as a session, but is an event only as a standing body's session
# or between two states (`Extractor._gathering`)
SESSION_KINDS = {"session", "summit", "forum"}
# between a region and its partner only punctuation, a coordinating word or a "states" word may stand
# ("Центральная Азия + Россия", "стран ЦА и Китая", "Орталық Азия мемлекеттері мен Ресей")
JOINERS = set("-–—+/«»\"“”")
CLAUSE_BREAK = re.compile(r"[.;!?\n]")
# bounds no article comes near (the dev corpus drafts at most 8 events per article, with at most 2
# figures and 4 outcomes each), so that a text of any length is read in linear time: a candidate is
# compared with the latest LOOKBACK drafted events only, and an event keeps at most MAX_ITEMS figures
# and as many outcomes
LOOKBACK = 100
MAX_ITEMS = 100
# the sentences after a visit is told in which an encounter of its two sides, with nobody named, is one
# of the visit ("During the talks, the partnership of A and B will be discussed")
VISIT_REACH = 6
# a dateline ("TASHKENT, 14 June — Sputnik.") opens the text: its place and day within these characters
DATELINE_REACH = 300


class Words:
    """The word lists of one language's lexicon the extractor compares with the text (lower case):
    the extractor holds no word of any language."""

    def __init__(self, lang: str):
        lex = load_lexicon(lang)
        self.lex = lex

        def words(key: str) -> tuple[str, ...]:
            return tuple(sorted({str(w).lower() for w in lex.get(key) or []}, key=len, reverse=True))

        self.coordinators = words("coordinators")
        self.state_words = words("state_words")
        self.place_prepositions = words("place_prepositions")
        self.year_prepositions = words("year_prepositions")
        self.clause_words = words("clause_words")
        self.articles = words("articles")
        self.not_reception = words("not_reception")
        self.domain_words = words("domain_words")

    def joins(self, gap: str, limit: int = 28) -> bool:
        """Only joiners between two names: punctuation, a coordinator, a 'states' word."""
        if len(gap) > limit:
            return False
        for w in gap.lower().split():
            w = w.strip("".join(JOINERS))
            if w and w not in self.coordinators and not w.startswith(self.state_words or ("\0",)):
                return False
        return True

    def domain_of(self, text: str, start: int, end: int) -> bool:
        """Whether the name at start..end is the domain of a title or a subject ("the UN Secretary-General's
        special representative for Central Asia", "консультации по Центральной Азии"): a domain word right
        before it, or right after it (a postposition)."""
        if self.lex.get("title_before_head"):  # (head-final: a postposition after the name)
            after = text[end:end + 24].lower()
            return any(re.match(rf"[-\s]+{re.escape(w)}(?![^\W\d_])", after) for w in self.domain_words)
        before = text[max(0, start - 24):start].lower()
        return any(re.search(rf"(?<![^\W\d_]){re.escape(w)}\s+$", before) for w in self.domain_words)

    @staticmethod
    def last_word(text: str, pos: int) -> str:
        m = re.search(r"([^\W\d_]+\.?)\s*$", text[max(0, pos - 12):pos])
        return m.group(1).lower() if m else ""

    @staticmethod
    def first_word(text: str) -> str:
        m = re.match(r"\s*([^\W\d_]+)", text)
        return m.group(1).lower() if m else ""


@cache
def words_of(lang: str) -> Words:
    return Words(lang)


@dataclass
class Trigger:
    start: int
    end: int
    kinds: set[str]
    verb: bool
    spans: list[tuple[int, int]]
    # where the coordinator before this session word starts, when it is the second of two sessions
    # coordinated ("in the SCO summit and in the meeting of the CSTO council"); -1 otherwise
    coordinated_at: int = -1


@dataclass
class Draft:
    """An event being built."""

    status: str
    sentence: int
    trigger_spans: list[tuple[int, int]]
    mode: str = "in_person"
    named_format: str | None = None
    date: DateMention | None = None
    location: tuple[str, tuple[int, int]] | None = None  # place id, span
    location_anaphoric: bool = False
    countries: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    organizations: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    people: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    topics: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    diplomatic: bool = False
    mode_spans: list[tuple[int, int]] = field(default_factory=list)
    # the other meetings of one run ("met the ministers of A, B and C on the sidelines"): what the
    # following sentences say of "the meetings" goes to each
    group: list[Draft] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)  # the trigger kinds that told of it (meeting, session...)
    # organisations coordinated with the named format ("the CIS and Eurasian intergovernmental councils"):
    # each holds its own session at the same level
    coordinated: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # held only for want of a tense: no verb, no tense word, no date told it ("the SCO summit" in a headline)
    untensed: bool = False

    def parties(self) -> set[str]:
        return set(self.countries) | set(self.organizations)


@dataclass
class VisitInfo:
    type: str
    visitor: str
    host: str
    city: str | None
    span: tuple[int, int]
    sentence: int
    person: str | None = None  # the visiting person's key
    date: DateMention | None = None


@dataclass
class Candidate:
    """A trigger with what its scope says: becomes an event, or names one already drafted."""

    draft: Draft
    assertive: bool
    new_people: set[str]
    format_anaphoric: bool = False
    people_countries: set[str] = field(default_factory=set)
    verb: bool = False
    in_visit: bool = False
    nameless_role: bool = False  # "the ministers": a role of nobody named, of no state named
    framed: bool = False  # "during the meeting", "at the start of the talks": a noun in a frame, no verb
    bilateral: bool = False  # "a bilateral meeting": a bilateral word right before the meeting word
    retrospective: bool = False  # "their recent call": a word next to the noun marks an earlier encounter
    # "the leaders of the two countries", "the two sides": the encounter's sides are told without a name
    two_sides: bool = False
    side_roles: set[str] = field(default_factory=set)  # the leading roles of nobody named ("the leaders")
    eve: bool = False  # "on the eve of the summit": a later encounter told beside the one being reported
    name_end: int = 0  # where the name of that later encounter ends ("... of the CIS foreign ministers' council")


def word_count(s: str) -> int:
    return len(re.findall(r"[^\W\d_]+", s))
