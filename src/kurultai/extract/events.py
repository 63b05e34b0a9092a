"""Language-neutral event extraction over an `Analysis`.

One event per encounter (see GUIDE.md). The text is read sentence by sentence, keeping a *current*
event that sentences without a new encounter talk about:
- a trigger (meeting, talks, reception, call, video conference, session, summit, a named format or an
  organisation's body) opens a *candidate* with the parties, people, date, place and tense found in its
  scope (the part of the sentence up to the next trigger);
- a candidate that asserts an encounter (a verb of occurrence or a meeting verb) and brings a party,
  person, format, date or status no event has yet becomes a new event; otherwise it is the same
  encounter mentioned again and selects that event as current;
- topics, outcomes, figures and the mode of the following sentences go to the current event;
- a visit is a property of the meetings held during it, never an event of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache

from kurultai.analyze.base import Analysis, Mention, PersonRef, Sentence
from kurultai.dates import DateMention
from kurultai.kb import C5, KB
from kurultai.kb.lexicon import load_lexicon
from kurultai.models import DateRange, Event, Figure, Location, Outcome, Participant, Visit

EVENT_TRIGGERS = {"meeting", "talks", "reception", "call", "video", "session", "summit"}
LEADING_ROLES = {"head_of_state", "head_of_government", "foreign_minister"}
# between a region and its partner only punctuation, a coordinating word or a "states" word may stand
# ("Центральная Азия + Россия", "стран ЦА и Китая", "Орталық Азия мемлекеттері мен Ресей")
JOINERS = set("-–—+/«»\"“”")
CLAUSE_BREAK = re.compile(r"[.;!?\n]")


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

    def joins(self, gap: str, limit: int = 28) -> bool:
        """Only joiners between two names: punctuation, a coordinator, a 'states' word."""
        if len(gap) > limit:
            return False
        for w in gap.lower().split():
            w = w.strip("".join(JOINERS))
            if w and w not in self.coordinators and not w.startswith(self.state_words or ("\0",)):
                return False
        return True

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


def _words(s: str) -> int:
    return len(re.findall(r"[^\W\d_]+", s))


def _strip_tail(rest: str, w: Words) -> str:
    """The title before the next document of a list: without the comma, coordinator or article that
    joins them ("Agreement on X, and the Memorandum")."""
    out = rest.rstrip()
    while True:
        parts = out.split()
        cut = next((n for n in (3, 2, 1) if len(parts) > n and " ".join(parts[-n:]).lower() in w.articles + w.coordinators), 0)
        if cut:
            out = out[: len(out) - len(" ".join(parts[-cut:]))].rstrip() if out.endswith(" ".join(parts[-cut:])) else " ".join(parts[:-cut])
            continue
        if out.endswith(","):
            out = out[:-1].rstrip()
            continue
        return out


class Extractor:
    def __init__(self, kb: KB):
        self.kb = kb

    # ------------------------------------------------------------------------------------------
    def extract(self, a: Analysis) -> list[Event]:
        self._run_host: tuple[str | None, int] | None = None  # who receives a run told in the next sentences
        drafts: list[Draft] = []
        current: Draft | None = None
        visits: list[VisitInfo] = []
        last_indicator: str | None = None
        last_unit: str | None = None
        pending_list_adoption = False
        for s in a.sentences:
            ms = a.in_sentence(s)
            visit = self._visit(a, s, ms)
            if visit:
                visits.append(visit)
            triggers = self._triggers(a, s, ms)
            elsewhere = False  # the sentence tells of another encounter than the current one
            for k, trig in enumerate(triggers):
                lo = s.start if k == 0 else triggers[k - 1].end
                hi = triggers[k + 1].start if k + 1 < len(triggers) else s.end
                cand = self._candidate(a, s, trig, lo, hi, first=not drafts)
                if cand is None:
                    continue
                if visits and visits[-1].sentence < s.index and (cand.in_visit or (
                        visits[-1].sentence == s.index - 1 and cand.draft.people
                        and all(a.persons[p].country == visits[-1].host for p in cand.draft.people))):
                    # "in the course of the visit ..."; or, right after a visit is stated, a meeting with the
                    # hosts only ("Today he held talks with X"): the visitor is the other side
                    self._visit_context(a, cand, visits[-1])
                target = self._same_as(cand, drafts, current)
                if cand.format_anaphoric and current is not None and current.named_format and cand.draft.named_format is None:
                    cand.draft.named_format = current.named_format
                    for iso in current.countries:
                        cand.draft.countries.setdefault(iso, [])
                    for oid in current.organizations:
                        cand.draft.organizations.setdefault(oid, [])
                    cand.draft.diplomatic = True
                    target = self._same_as(cand, drafts, current)
                if (target is None and cand.assertive and current is not None and cand.draft.status != current.status
                        and not cand.draft.parties() and not cand.draft.people and not cand.draft.named_format
                        and (cand.nameless_role or cand.draft.location)):
                    # "Earlier the ministers met in Tashkent": an earlier or announced encounter of the same
                    # sides, named only by a role or a place, has the parties of the event being told
                    for iso in current.countries:
                        cand.draft.countries.setdefault(iso, [])
                    if cand.nameless_role:
                        for pid in current.people:
                            cand.draft.people.setdefault(pid, [])
                    cand.draft.diplomatic = True
                if target is None and cand.assertive and cand.draft.diplomatic and (cand.draft.parties() or cand.draft.named_format):
                    if cand.draft.location_anaphoric and current and current.location:
                        cand.draft.location = current.location
                    split = self._split_counterparts(a, s, cand.draft)
                    drafts.extend(split)
                    target = next((x for x in split if x.group), split[0] if split else None)
                elif target is not None and cand.assertive:
                    self._merge(target, cand.draft)
                if target is not None and target.status != "referenced" and cand.assertive:
                    current = target
                elif target is not None and target is not current:
                    elsewhere = True
            if visit is not None:
                announced = self._announced_visit(a, s, visit, drafts)
                if announced is not None:
                    drafts.append(announced)
                    current = announced
            if current is None:
                continue
            # "Among them were X and Y": the people named take part in the current event; so do the
            # leaders and ministers a sentence about a session shows acting ("Tokayev, Putin and Xi
            # took part", "Mirziyoyev spoke at the summit"), when it tells of no other encounter
            session = bool(current.named_format) or len(current.parties()) >= 3
            acting = session and not triggers and any(m.id in ("occ:past", "occ:future") for m in a.cues(s.start, s.end, "occ:"))
            if session and not triggers and a.cues(s.start, s.end, "occ:purpose"):
                # "To take part in it, the prime ministers of China, Uzbekistan ... arrived": the states
                # that came for the session take part in it
                for m in a.in_sentence(s, ["country"]):
                    if not m.attrs.get("adj"):
                        current.countries.setdefault(m.id, []).append(m.span)
            if (a.cues(s.start, s.end, "participants:anaphoric") or acting) and not triggers:
                for m in a.in_sentence(s, ["person"]):
                    if acting and not a.cues(s.start, s.end, "participants:anaphoric") and a.persons.get(m.id) and \
                            a.persons[m.id].role not in LEADING_ROLES:
                        continue
                    if m.id in a.persons and not self._non_participant(a, m):
                        current.people.setdefault(m.id, []).append(m.span)
                        ref = a.persons[m.id]
                        if ref.country and ref.role != "head_of_organization":
                            current.countries.setdefault(ref.country, [])
            # what the sentence says about the current event
            if (current.status != "referenced" or s.index == current.sentence) and not elsewhere:
                for e in [current, *current.group]:
                    self._topics(a, s, e)
                    self._mode(a, s, e)
            ind, unit = self._figures(a, s, current, last_indicator, last_unit)
            last_indicator, last_unit = ind or last_indicator, unit or last_unit
            pending_list_adoption = self._outcomes(a, s, current, pending_list_adoption)
        return self._finish(a, self._dedupe(a, drafts), visits)

    # -- the same encounter told in several places ---------------------------------------------------
    def _dedupe(self, a: Analysis, drafts: list[Draft]) -> list[Draft]:
        """A mention of a session or summit with some of its members ("Putin said during the summit"),
        or an announced visit and the meeting it is for, is the event already drafted: one event per
        encounter. Meetings of two named people of two states stay their own (a meeting on the
        sidelines of a summit is not the summit)."""
        out: list[Draft] = []
        for d in drafts:
            into = next((e for e in out if self._duplicate(a, d, e) or self._duplicate(a, e, d)), None)
            if into is None:
                out.append(d)
                continue
            big, small = (into, d) if self._duplicate(a, d, into) else (d, into)
            self._merge(big, small)
            for topic, spans in small.topics.items():
                big.topics.setdefault(topic, []).extend(spans)
            big.outcomes += [o for o in small.outcomes if all(o.title != x.title for x in big.outcomes)]
            big.figures += [f for f in small.figures if f not in big.figures]
            big.sentence = min(big.sentence, small.sentence)
            if big is not into:
                out[out.index(into)] = big
        return out

    def _duplicate(self, a: Analysis, small: Draft, big: Draft) -> bool:
        """Whether `small` is a partial mention of the encounter `big`."""
        if small is big or small.status != big.status or small.group or big.group:
            return False
        if small.date and big.date and small.date.value_start and big.date.value_start and small.date.value_start != big.date.value_start:
            return False
        if small.location and big.location and small.location[0] != big.location[0]:
            return False
        if small.named_format and small.named_format != big.named_format:
            return False
        if not small.parties() <= big.parties() or not set(small.people) <= set(big.people) | {
                p for p in small.people if not a.persons[p].country or a.persons[p].country in big.parties()}:
            return False
        multilateral = bool(big.named_format) or len(big.parties()) >= 3
        if multilateral:
            # two named people of two states on their own: a meeting of theirs, not the session
            states = {a.persons[p].country for p in small.people if a.persons[p].country}
            return not (len(small.parties()) == 2 and len(states) == 2 and len(small.people) >= 2 and not small.named_format)
        # bilateral: the same two sides, and one side's people contain the other's
        return small.parties() == big.parties() and (set(small.people) <= set(big.people) or set(big.people) <= set(small.people)) \
            and small.mode == big.mode

    def _announced_visit(self, a: Analysis, s: Sentence, v: VisitInfo, drafts: list[Draft]) -> Draft | None:
        """'The President will pay an official visit to Hungary': an announced visit is a planned
        encounter of the visitor with the host (GUIDE), unless a meeting of this sentence already is it."""
        occ = a.cues(s.start, s.end, "occ:")
        future = any(m.id == "occ:future" for m in occ) and not any(m.id == "occ:past" for m in occ if m.start > v.span[0])
        pub = a.doc.published
        if v.date and v.date.value_start and pub:
            future = v.date.value_start > pub
        if not future or v.person is None:
            return None
        if any({v.visitor, v.host} <= set(d.countries) and (d.sentence == s.index or v.person in d.people) for d in drafts):
            return None  # a meeting of this sentence, or the visit of someone whose meeting is told already
        d = Draft(status="planned", sentence=s.index, trigger_spans=[v.span], date=v.date, diplomatic=True)
        d.people = {v.person: []}
        d.countries = {v.visitor: [], v.host: []}
        if v.city:
            place = self.kb.place_by_id(v.city)
            if place and place.country == v.host:
                d.location = (v.city, v.span)
        return d

    # -- one event per counterpart ---------------------------------------------------------------
    def _split_counterparts(self, a: Analysis, s: Sentence, d: Draft) -> list[Draft]:
        """'On the sidelines of the council X met the ministers of A, B and C', 'received the
        credentials of the ambassadors of A, B and C': a bilateral meeting of the first person named with
        each counterpart (GUIDE), beside the session itself when one is named. 'X received the
        credentials of five ambassadors. The credentials were presented by the ambassadors of A ..., B
        ...': the run told in the next sentences has the host of the first."""
        if not a.cues(s.start, s.end, "separate"):
            return [d]
        if len(d.people) <= 1 and d.named_format is None and not (set(d.countries) - {
                a.persons[p].country for p in d.people}):
            self._run_host = (next(iter(d.people), None), s.index)
            return []  # "X held a series of meetings with the ministers of the OIC states": the run told later
        people = sorted(d.people, key=lambda p: min(sp[0] for sp in d.people[p]) if d.people[p] else 10**9)
        host, at = self._run_host or (None, -9)
        if host and s.index - at <= 2 and host not in people and len({a.persons[p].country for p in people}) >= 2 \
                and a.persons[host].country not in {a.persons[p].country for p in people}:
            people = [host, *people]
            d.people = {host: [], **d.people}
        # the one who holds the run: the first person, or a nameless office before them ("the President
        # of Uzbekistan received the credentials of the ambassadors of Hungary X, Iran Y ...")
        subject: str | None = people[0] if people else None
        own = a.persons[subject].country if subject else None
        lead = [m for m in a.in_sentence(s, ["role", "person"])][:1]
        if lead and lead[0].kind == "role" and not self._role_has_name(a, lead[0]):
            isos = self._role_countries(a, lead[0])
            if isos and (subject is None or a.persons[subject].country != isos[0]):
                subject, own = None, isos[0]
        if own is None:
            return [d]
        counterparts: list[tuple[str | None, str]] = [
            (p, a.persons[p].country) for p in people if p != subject and a.persons[p].country and a.persons[p].country != own]
        if d.named_format is None and not d.organizations:
            # a run without a session: states named without a person are counterparts too
            named = {iso for _, iso in counterparts}
            counterparts += [(None, iso) for iso in d.countries if iso != own and iso not in named]
        if len({iso for _, iso in counterparts}) < 2:
            return [d]
        meetings = []
        for p, iso in counterparts:
            m = Draft(status=d.status, sentence=d.sentence, trigger_spans=list(d.trigger_spans), mode=d.mode, date=d.date,
                      location=d.location, diplomatic=True)
            m.people = {x: d.people[x] for x in (subject, p) if x}
            if p is None:  # the state's delegation: the host's own people stay
                m.people.update({x: d.people[x] for x in people if a.persons[x].country == own})
            m.countries = {own: [], iso: d.countries.get(iso, [])}
            meetings.append(m)
        meetings[0].group = meetings[1:]
        if d.named_format is None:
            return meetings
        # the session keeps its parties; of the people, only the one who holds the meetings
        d.people = {subject: d.people[subject]} if subject else {}
        return [d, *meetings]

    # -- triggers ------------------------------------------------------------------------------
    def _triggers(self, a: Analysis, s: Sentence, ms: list[Mention]) -> list[Trigger]:
        text = a.doc.text
        items = []
        for m in ms:
            if m.kind == "cue" and m.id.startswith(("trigger:", "verb:")):
                kind = m.id.split(":")[1]
                if kind not in EVENT_TRIGGERS:
                    continue
                if kind == "reception" and self._not_reception(a, s, m):
                    continue
                items.append(Trigger(m.start, m.end, {kind}, m.id.startswith("verb:"), [m.span]))
            elif m.kind in ("body", "format"):
                items.append(Trigger(m.start, m.end, {"session"}, False, [m.span]))
        items.sort(key=lambda t: t.start)
        merged: list[Trigger] = []
        for t in items:
            if merged:
                prev = merged[-1]
                gap = text[prev.end:t.start]
                if t.start <= prev.end or (not re.search(r"[,.;:!?«»\"]", gap) and len(re.findall(r"\w+", gap)) <= 4):
                    prev.end = max(prev.end, t.end)
                    prev.kinds |= t.kinds
                    prev.verb = prev.verb or t.verb
                    prev.spans.extend(t.spans)
                    continue
            merged.append(t)
        return merged

    def _not_reception(self, a: Analysis, s: Sentence, m: Mention) -> bool:
        """'принял' receives a person; 'принял участие' or 'приняли заявление' is something else."""
        after = Words.first_word(a.doc.text[m.end:s.end])
        if after and after.startswith(words_of(a.lang).not_reception or ("\0",)):
            return True
        if a.cues(s.start, s.end, "outcome:"):
            return True
        people = [x for x in a.in_sentence(s, ["person", "role"])]
        return not people

    # -- candidates ----------------------------------------------------------------------------
    @dataclass
    class Candidate:
        draft: Draft
        assertive: bool
        new_people: set[str]
        format_anaphoric: bool = False
        people_countries: set[str] = field(default_factory=set)
        verb: bool = False
        in_visit: bool = False
        nameless_role: bool = False  # "the ministers": a role of nobody named, of no state named

    def _candidate(self, a: Analysis, s: Sentence, trig: Trigger, lo: int, hi: int, first: bool) -> Extractor.Candidate | None:
        text = a.doc.text
        scope = a.in_span(lo, hi)
        # "occ:none" phrases only hide look-alikes ("атап өтті": noted, not "took place")
        occ = [m for m in scope if m.kind == "cue" and m.id.startswith("occ:") and m.id != "occ:none"]
        dates = [m for m in scope if m.kind == "date"]
        tense = self._tense(trig, occ, text)
        # a dated mention asserts the encounter: a full date in its scope, or any absolute date right at
        # the trigger ("at an April 18 meeting", "the session in Bishkek on April 14")
        assertive = trig.verb or bool(occ) or any(
            not m.attrs["value"].relative and (m.attrs["value"].has_year or _words(text[min(m.end, trig.end):max(m.start, trig.start)]) <= 4)
            for m in dates)
        d = Draft(status="held", sentence=s.index, trigger_spans=list(trig.spans))
        # date: the date nearest the trigger in its scope
        date_m = min(dates, key=lambda m: abs(m.start - trig.start), default=None)
        if date_m is not None:
            d.date = date_m.attrs["value"]
        # status
        pub = a.doc.published
        dv: DateMention | None = d.date
        if tense == "future" or (dv and dv.value_start and pub and dv.value_start > pub) or (
                dv and dv.relative and (dv.offset or 0) > 0 and tense != "past"):
            d.status = "planned"  # (a relative date says it even without a publication day: "opens tomorrow")
        elif tense == "reported" and not first or (dv and dv.relative and dv.precision == "year" and (dv.offset or 0) < 0
                                                    and _words(text[min(dv.end, trig.end):max(dv.start, trig.start)]) <= 3) or dv and dv.value_end and not dv.relative and (
            (pub and (pub - dv.value_end).days > 7) or (pub is None and not first)
        ) or self._background(a, scope, trig):
            d.status = "referenced"
        # mode
        if "call" in trig.kinds or any(m.kind == "cue" and m.id in ("trigger:call", "verb:call") for m in scope):
            d.mode = "phone"
        elif "video" in trig.kinds or any(m.kind == "cue" and m.id in ("trigger:video", "verb:video") for m in scope):
            d.mode = "video"
        # parties
        self._parties(a, scope, d, trig)
        # place
        if d.mode == "in_person":
            places = [m for m in scope if m.kind == "place"]
            if places:
                preps = words_of(a.lang).place_prepositions
                pm = min(places, key=lambda m: (Words.last_word(text, m.start) not in preps and not m.attrs.get("locative"),
                                                abs(m.start - trig.start)))
                d.location = (pm.id, pm.span)
            elif any(m.kind == "cue" and m.id == "place:anaphoric" for m in scope):
                d.location_anaphoric = True
        d.diplomatic = bool(d.people) or bool(d.named_format) or bool(d.organizations) or any(
            m.kind == "role" for m in scope
        )
        anaphoric = any(m.kind == "cue" and m.id == "format:anaphoric" for m in scope)
        people_countries = {a.persons[p].country for p in d.people if a.persons[p].country}
        in_visit = any(m.kind == "cue" and m.id == "trigger:visit" for m in scope)
        nameless = any(m.kind == "role" and not self._role_has_name(a, m) and not self._role_countries(a, m) for m in scope)
        return Extractor.Candidate(d, assertive, set(d.people), anaphoric, people_countries,  # type: ignore[arg-type]
                                   trig.verb, in_visit, nameless)

    @staticmethod
    def _background(a: Analysis, scope: list[Mention], trig: Trigger) -> bool:
        """'Earlier, the ministers met in Astana': a background cue shortly before the trigger."""
        for m in scope:
            if m.kind == "cue" and m.id == "background" and m.end <= trig.start and _words(a.doc.text[m.end:trig.start]) <= 10:
                return True
        return False

    @staticmethod
    def _tense(trig: Trigger, occ: list[Mention], text: str = "") -> str | None:
        # "came to take part in the session": the purpose asserts the encounter, the main verb has the tense
        occ = [m for m in occ if m.id != "occ:purpose"] or []
        if not occ:
            return None
        # a participle right before the noun ("прошедшая встреча", "boʻlib oʻtgan sammit") qualifies it
        for m in occ:
            if m.id == "occ:past_participle" and m.end <= trig.start and len(re.findall(r"\w+", text[m.end:trig.start])) <= 1:
                return "participle"
        after = [m for m in occ if m.start >= trig.end]
        pick = min(after, key=lambda m: m.start - trig.end) if after else max(occ, key=lambda m: m.end)
        kind = pick.id.split(":")[1]
        return {"past": "past", "future": "future", "past_participle": "participle", "reported": "reported"}.get(kind, kind)

    def _parties(self, a: Analysis, scope: list[Mention], d: Draft, trig: Trigger) -> None:
        text = a.doc.text
        region = [m for m in scope if m.kind == "region"]
        countries = [m for m in scope if m.kind == "country"]
        orgs = [m for m in scope if m.kind == "org"]
        # named formats: fixed names, region + partner, body + organisation
        fixed = [m for m in scope if m.kind == "format"]
        if fixed:
            d.named_format = fixed[0].id
        # the region names the encounter's format only right at its trigger ("встреча глав МИД стран ЦА",
        # "Central Asia + Japan Dialogue"), not as a subject discussed ("security in Central Asia")
        def near(r: Mention, n: int) -> bool:
            gap = text[min(r.end, trig.end):max(r.start, trig.start)]
            return _words(gap) <= n and not CLAUSE_BREAK.search(gap)

        region = [r for r in region if near(r, 12)]
        for r in region:
            for c in countries + orgs:
                gap = text[r.end:c.start] if c.start >= r.end else text[c.end:r.start]
                if c.id not in C5 and words_of(a.lang).joins(gap):
                    d.named_format = d.named_format or f"C5+{c.id}"
        bodies = [m for m in scope if m.kind == "body"]
        for b in bodies:
            for o in orgs:
                gap = text[b.end:o.start] if o.start >= b.end else text[o.end:b.start]
                if len(re.findall(r"[^\W\d_]+", gap)) <= 2 and not re.search(r"[.;!?]", gap):
                    d.named_format = d.named_format or f"{o.id}:{b.id}"
        if d.named_format is None and trig.kinds & {"session", "summit"} and not trig.kinds & {"reception", "talks", "call", "meeting"}:
            # "the SCO summit at the level of heads of government", "the CIS meeting of foreign ministers":
            # the organ of an organisation where people of that level meet (kb: organisations' bodies)
            for o in orgs:
                bodies = self.kb.organizations[o.id].bodies if o.id in self.kb.organizations else {}
                for r in (m for m in scope if m.kind == "role" and m.id in bodies):
                    if _words(text[min(r.end, trig.end):max(r.start, trig.start)]) <= 4 and \
                            _words(text[min(o.end, trig.end):max(o.start, trig.start)]) <= 8 and not self._role_has_name(a, r):
                        d.named_format = f"{o.id}:{bodies[r.id]}"
                        break
                if d.named_format:
                    break
        bare = [r for r in region if near(r, 6) and Words.last_word(text, r.start) not in words_of(a.lang).place_prepositions]
        if d.named_format is None and bare and not [c for c in countries if c.id not in C5 and not c.attrs.get("adj")]:
            d.named_format = "C5"
        if d.named_format and (d.named_format.startswith("C5") or region):
            for iso in C5:
                d.countries.setdefault(iso, [r.span for r in region])
            if d.named_format.startswith("C5+"):
                partner = d.named_format[3:]
                (d.organizations if partner in self.kb.organizations else d.countries).setdefault(partner, [])
        for c in countries:
            d.countries.setdefault(c.id, []).append(c.span)
        content = [m.end for m in scope if m.kind == "cue" and m.id == "content"]
        for o in orgs:
            if d.named_format and d.named_format.startswith(o.id + ":"):
                pass  # the organisation of the session itself
            elif any(e <= o.start and _words(text[e:o.start]) <= 6 and not CLAUSE_BREAK.search(text[e:o.start]) for e in content):
                continue  # "cooperation within the UN, OSCE and CICA": what is discussed, not who takes part
            d.organizations.setdefault(o.id, []).append(o.span)
        if d.named_format and ":" in d.named_format:
            d.organizations.setdefault(d.named_format.split(":")[0], [])
        # people: named in scope, not reporters or people on whose behalf someone speaks
        for m in scope:
            if m.kind != "person" or not m.id or m.id not in a.persons:
                continue
            if self._non_participant(a, m):
                continue
            d.people.setdefault(m.id, []).append(m.span)
        # role references without a name: "глава МИД РК", "глав внешнеполитических ведомств Кыргызстана и России"
        for r in [m for m in scope if m.kind == "role"]:
            if self._role_has_name(a, r):
                continue
            for iso in self._role_countries(a, r):
                for ref in a.persons.values():
                    if ref.role == r.id and ref.country == iso:
                        d.people.setdefault(ref.key, []).append(r.span)
        for pid in d.people:
            ref = a.persons[pid]
            if ref.country and ref.role != "head_of_organization":
                d.countries.setdefault(ref.country, [])
            if ref.organization:
                d.organizations.setdefault(ref.organization, [])

    def _non_participant(self, a: Analysis, m: Mention) -> bool:
        text = a.doc.text
        s = a.sentence_at(m.start)
        for c in a.cues(s.start, m.start, "nonpart"):
            gap = text[c.end:m.start]
            if not re.search(r"[.;!?]", gap) and len(re.findall(r"[^\W\d_]+", gap)) <= 6:
                return True
        return False

    def _role_has_name(self, a: Analysis, r: Mention) -> bool:
        return any(r.span in ref.role_spans for ref in a.persons.values())

    def _role_countries(self, a: Analysis, r: Mention) -> list[str]:
        """The countries a nameless role refers to: the country mentions right after it (coordinated),
        or a country adjective right before it ('российского МИД')."""
        text = a.doc.text
        s = a.sentence_at(r.start)
        out: list[str] = []
        if words_of(a.lang).lex.get("title_before_head"):
            # head-final languages name the owner first ("Oʻzbekiston Respublikasi Prezidenti")
            prev = [m for m in a.in_span(s.start, r.start, ["country", "org", "person", "role"])][-1:]
            if prev and prev[0].kind == "country" and _words(text[prev[0].end:r.start]) <= 1 \
                    and not CLAUSE_BREAK.search(text[prev[0].end:r.start]):
                return [prev[0].id]
        pos = r.end
        for m in a.in_span(r.end, s.end, ["country", "org", "person", "role", "region"]):
            gap = text[pos:m.start]
            if len(re.findall(r"[^\W\d_]+", gap)) > 2 or re.search(r"[.;:!?«»]", gap) or m.kind != "country":
                break
            out.append(m.id)
            pos = m.end
        if not out:
            before = [m for m in a.in_span(s.start, r.start, ["country"]) if m.attrs.get("adj") and r.start - m.end <= 2]
            out = [m.id for m in before[-1:]]
        return out

    # -- same encounter? -------------------------------------------------------------------------
    def _same_as(self, cand: Extractor.Candidate, drafts: list[Draft], current: Draft | None) -> Draft | None:
        c = cand.draft
        order = ([current] if current else []) + [x for x in reversed(drafts) if x is not current]
        for e in order:
            if e.status != c.status:
                continue
            if c.named_format and c.named_format == e.named_format and not (
                    c.date and e.date and c.date.value_start and e.date.value_start and c.date.value_start != e.date.value_start):
                return e  # the same standing body, told again with more of its members
            if c.named_format and e.named_format and c.named_format != e.named_format and not (
                    c.named_format == "C5" and e.named_format.startswith("C5+") and not c.people):
                continue  # (a bare mention of the region may be the C5+X meeting already known)
            if c.date and e.date and c.date.value_start and e.date.value_start and c.date.value_start != e.date.value_start:
                continue
            multilateral = bool(e.named_format) or len(e.parties()) >= 3
            extra = c.parties() - e.parties()
            if not set(c.people) <= set(e.people):
                # "X took part in the session": a person joins a multilateral event; in a bilateral
                # one, a new person is a new meeting ("then he held talks with the FM")
                only_people = not c.named_format and not (extra - cand.people_countries) and not cand.verb
                if not (multilateral and only_people and e is current):
                    continue
                extra = set()  # the newcomer's own state is not a new party of the session
            if extra and (e.named_format is None or c.named_format is not None or extra - set(C5)):
                continue
            if c.mode != e.mode and c.mode != "in_person" and (e.mode != "in_person" or e.location is not None):
                continue  # an "online meeting" may be the meeting already known, if no venue was stated
            return e
        # a nameless mention ("the talks", "в ходе встречи") is the current encounter
        nameless = not cand.assertive or not (c.parties() or c.people or c.named_format)
        if nameless and current is not None and current.status == c.status:
            return current
        return None

    @staticmethod
    def _merge(e: Draft, c: Draft) -> None:
        if e.mode == "in_person" and c.mode != "in_person":
            e.mode = c.mode
        for pid, spans in c.people.items():
            e.people.setdefault(pid, []).extend(spans)
        for iso, spans in c.countries.items():
            e.countries.setdefault(iso, []).extend(spans)
        for oid, spans in c.organizations.items():
            e.organizations.setdefault(oid, []).extend(spans)
        e.trigger_spans.extend(c.trigger_spans)
        if e.location is None and c.location is not None:
            e.location = c.location
        if e.date is None and c.date is not None:
            e.date = c.date
        if e.named_format is None and c.named_format:
            e.named_format = c.named_format

    def _visit_context(self, a: Analysis, cand: Extractor.Candidate, v: VisitInfo) -> None:
        """'В ходе визита ... переговоры с X': the visitor takes part, on the visit's day."""
        d = cand.draft
        if v.person and v.person not in d.people:
            d.people[v.person] = []
            cand.people_countries.add(v.visitor)
        d.countries.setdefault(v.visitor, [])
        d.countries.setdefault(v.host, [])
        if d.date is None and v.date is not None:
            d.date = v.date
            if a.doc.published and v.date.value_start and v.date.value_start > a.doc.published:
                d.status = "planned"
        d.diplomatic = True

    # -- visits --------------------------------------------------------------------------------
    def _visit(self, a: Analysis, s: Sentence, ms: list[Mention]) -> VisitInfo | None:
        cues = [m for m in ms if m.kind == "cue" and m.id == "trigger:visit"]
        if not cues:
            return None
        vtype = "unspecified"
        for m in ms:
            if m.kind == "cue" and m.id.startswith("visit:"):
                vtype = m.id.split(":")[1]
        # the visitor: the person nearest before the visit word ("Лавров, прибывший с визитом"; "X посетил"),
        # else the first one after it ("визит ... стал вторым для Лаврова")
        people = [m for m in ms if m.kind == "person" and m.id in a.persons and a.persons[m.id].country]
        before = [m for m in people if m.end <= cues[0].start]
        after = [m for m in people if m.start >= cues[0].end]
        pick = before[-1] if before else (after[0] if after else None)
        visitor = a.persons[pick.id].country if pick else None
        host, city = None, None
        after = [m for m in ms if m.start >= cues[0].start and m.kind in ("country", "place")]
        before = [m for m in ms if m.start < cues[0].start and m.kind in ("country", "place")]
        for m in after + before:
            iso = m.id if m.kind == "country" else self.kb.place_by_id(m.id).country if self.kb.place_by_id(m.id) else None
            if iso and iso != visitor:
                if visitor is None and m.kind == "country" and m.attrs.get("adj"):
                    visitor = iso
                    continue
                host = iso
                if m.kind == "place":
                    city = m.id
                break
        if not visitor or not host:
            return None
        if city is None:
            nxt = [x for x in a.sentences if x.index == s.index + 1]
            for m in a.in_sentence(nxt[0], ["place"]) if nxt else []:
                p = self.kb.place_by_id(m.id)
                if p and p.country == host and p.kind == "city":
                    city = m.id
                    break
        dates = [m.attrs["value"] for m in ms if m.kind == "date" and m.attrs["value"].resolved]
        return VisitInfo(vtype, visitor, host, city, cues[0].span, s.index, pick.id if pick else None,
                         dates[0] if dates else None)

    # -- sentence content for the current event -------------------------------------------------
    def _topics(self, a: Analysis, s: Sentence, e: Draft) -> None:
        for m in a.cues(s.start, s.end, "topic:"):
            e.topics.setdefault(m.id.split(":")[1], []).append(m.span)

    def _mode(self, a: Analysis, s: Sentence, e: Draft) -> None:
        for m in a.in_sentence(s, ["cue"]):
            if m.id in ("trigger:video", "verb:video") and e.mode == "in_person":
                e.mode = "video"
                e.mode_spans.append(m.span)
            elif m.id in ("trigger:call", "verb:call") and e.mode == "in_person":
                e.mode = "phone"
                e.mode_spans.append(m.span)

    def _figures(self, a: Analysis, s: Sentence, e: Draft, last_ind: str | None, last_unit: str | None) -> tuple[str | None, str | None]:
        text = a.doc.text
        money = a.in_sentence(s, ["money"])
        inds = a.cues(s.start, s.end, "indicator:")
        ind = inds[0].id.split(":")[1] if inds else None
        if not money:
            return ind, None
        unit_seen = None
        for m in money:
            unit = m.attrs["unit"] or unit_seen or last_unit
            if unit is None:
                continue
            unit_seen = unit
            # the clause of the amount: from the previous amount or clause break to the amount
            clause_start = max([x.end for x in money if x.end <= m.start] + [s.start])
            clause = text[clause_start:m.start]
            kind = "target" if any(t.start >= clause_start and t.end <= m.start for t in a.cues(s.start, s.end, "target")) else "actual"
            near_inds = [i for i in inds if i.end <= m.start] or inds
            indicator = near_inds[-1].id.split(":")[1] if near_inds else last_ind
            if indicator is None:
                continue
            # the year: in the amount's own sub-clause, before it ("в прошлом году он составил 4 млрд") or
            # right after it ("$4.3 billion last year, and ...")
            w = words_of(a.lang)
            sub = [x.end() for x in re.finditer(r",\s+([^\W\d_]+)\s|;|—|–", clause)
                   if x.group(1) is None or x.group(1).lower() in w.coordinators + w.clause_words]
            left = clause_start + (sub[-1] if sub else 0)
            tail = re.search(r"[,;.]|$", text[m.end:s.end])
            right = m.end + (tail.start() if tail else 0)
            year = None
            for dm in a.in_span(left, m.start, ["date"]) + a.in_span(m.end, right, ["date"]):
                v = dm.attrs["value"]
                if v.precision == "year" and v.value_start:
                    year = v.value_start.year
                    break
            if year is None:
                for ym in re.finditer(r"([^\W\d_]+)\s+((?:19|20)\d{2})\b", text[left:right]):
                    if ym.group(1).lower() in words_of(a.lang).year_prepositions:
                        year = int(ym.group(2))
                        break
            ev = [m.span] + [i.span for i in near_inds[-1:]]
            fig = Figure(indicator=indicator, value=float(m.attrs["value"]), unit=unit, kind=kind, year=year, evidence=ev)
            if not any(f.value == fig.value and f.kind == fig.kind and f.indicator == fig.indicator for f in e.figures):
                e.figures.append(fig)
        return ind, unit_seen

    def _outcomes(self, a: Analysis, s: Sentence, e: Draft, pending_list: bool) -> bool:
        """Documents adopted or signed: inline ('подписали Соглашение о ...') or as a list after
        'приняли:'. Returns whether the next lines are list items of an adoption."""
        text = a.doc.text
        line = text[s.start:s.end].strip()
        heads = a.cues(s.start, s.end, "outcome:")
        adopt = a.cues(s.start, s.end, "adopt")
        future = a.cues(s.start, s.end, "occ:future")
        if pending_list and re.match(r"^[-–—•*\d)(.]+\s*", line) and heads:
            self._add_outcome(a, s, heads[0], e, whole_item=True)
            return True
        if adopt and not future and e.status != "planned":
            if line.endswith(":") and not heads:
                return True
            for h in heads:
                self._add_outcome(a, s, h, e, whole_item=False)
        return False

    def _add_outcome(self, a: Analysis, s: Sentence, head: Mention, e: Draft, whole_item: bool) -> None:
        text = a.doc.text
        lex = load_lexicon(a.lang)
        if lex.get("title_before_head"):
            # head-final languages: the title runs from the clause start (after a comma or a word such
            # as "бойынша" / "yakunida") to the head noun
            stops = [str(w).lower() for w in lex.get("outcome_title_stops") or []]
            left = text[s.start:head.start]
            cut = 0
            for m in re.finditer(r"[,:;–—]\s*|[-•*]\s+|\S+\s*", left):
                word = m.group().strip().lower()
                if m.group().strip() in {",", ":", ";", "–", "—", "-", "•", "*"} or any(word.startswith(w) for w in stops):
                    cut = m.end()
            start = s.start + cut
            end = head.end
        elif whole_item:
            start = head.start
            end = s.end
        else:
            start = head.start
            # the title ends at the clause end or where the next document of a list begins
            nxt = [h.start for h in a.cues(head.end, s.end, "outcome:")]
            limit = nxt[0] if nxt else s.end
            rest = text[head.end:limit]
            w = words_of(a.lang)
            stop = re.search(r"[;.!?]\s|[;.!?]$", rest)
            for cm in re.finditer(r",\s+([^\W\d_]+)", rest):
                if cm.group(1).lower() in w.clause_words and (stop is None or cm.start() < stop.start()):
                    stop = cm
                    break
            end = head.end + (stop.start() if stop else len(rest))
            if not stop and nxt:
                end = head.end + len(_strip_tail(rest, w))
        title = text[start:end].strip().rstrip(";.,")
        otype = head.id.split(":")[1]
        if title and not any(o.title == title for o in e.outcomes):
            e.outcomes.append(Outcome(type=otype, title=title, evidence=[(start, start + len(title))]))

    # -- final events ---------------------------------------------------------------------------
    def _finish(self, a: Analysis, drafts: list[Draft], visits: list[VisitInfo]) -> list[Event]:
        events = []
        pub = a.doc.published
        for n, d in enumerate(drafts):
            date = None
            if d.date and d.date.value_start and d.date.value_end:
                date = DateRange(start=d.date.value_start, end=d.date.value_end, precision=d.date.precision,  # type: ignore[arg-type]
                                 evidence=[(d.date.start, d.date.end)])
            elif d.status == "held" and pub and not (d.date and not d.date.resolved):
                date = DateRange(start=pub, end=pub, precision="day", evidence=[])
            day = date.start if date else pub
            people = []
            for pid, spans in d.people.items():
                ref = a.persons[pid]
                people.append(self._participant(ref, spans, day))
            visit = None
            if d.status in ("held", "planned") and d.mode == "in_person":
                for v in visits:
                    if {v.visitor, v.host} <= set(d.countries):
                        visit = v
                        break
            location = None
            if d.mode == "in_person":
                pid = d.location[0] if d.location else None
                ev = [d.location[1]] if d.location else []
                if pid is None and visit and visit.city and visit.sentence <= d.sentence:
                    pid, ev = visit.city, []
                place = self.kb.place_by_id(pid) if pid else None
                if place:
                    location = Location(name=place.name_en, country=place.country, lat=place.lat, lon=place.lon, evidence=ev)
            if visit and location and location.country != visit.host:
                visit = None  # a meeting held elsewhere is not part of this visit (a forum planned abroad)
            countries = sorted(c for c in d.countries if len(c) == 3 and c.isupper())
            if location and countries and location.country not in countries and d.named_format and ":" in d.named_format:
                countries = sorted([*countries, location.country])  # GUIDE: the host of a session held at a named venue
            orgs = sorted(d.organizations)
            n_parties = len(set(countries) | set(orgs))
            fmt = "multilateral" if n_parties >= 3 or (d.named_format and (":" in d.named_format or d.named_format.startswith("C5"))) else "bilateral"
            evidence = sorted({*d.trigger_spans, *(sp for v in d.countries.values() for sp in v),
                               *(sp for v in d.organizations.values() for sp in v), *(sp for v in d.topics.values() for sp in v),
                               *d.mode_spans})
            ev_id = hashlib.sha1(f"{a.doc.id}|{n}|{d.trigger_spans[:1]}".encode()).hexdigest()[:12]
            events.append(Event(
                id=ev_id, status=d.status, mode=d.mode, format=fmt, named_format=d.named_format,  # type: ignore[arg-type]
                date=date, location=location, countries=countries, organizations=orgs, participants=people,
                visit=Visit(type=visit.type, visitor=visit.visitor, host=visit.host, evidence=[visit.span]) if visit else None,  # type: ignore[arg-type]
                topics=sorted(d.topics),  # type: ignore[arg-type]
                outcomes=d.outcomes if d.status != "planned" else [], figures=d.figures,
                evidence=evidence, confidence=self._confidence(d),
            ))
        return events

    def _participant(self, ref: PersonRef, spans: list[tuple[int, int]], day: dt.date | None) -> Participant:
        role, country = ref.role, ref.country
        if ref.kb is not None:
            term = ref.kb.term_at(day) or ref.kb.term_at(None)
            if term is not None:
                if role is None:
                    role = term.role
                if country is None or role == term.role:
                    country = country or term.country
        return Participant(name=ref.name, name_en=ref.name_en, role=role or "other",  # type: ignore[arg-type]
                           country=country, evidence=sorted(set(spans) | set(ref.role_spans)))

    @staticmethod
    def _confidence(d: Draft) -> float:
        score = 0.5
        if d.people:
            score += 0.2
        if d.named_format:
            score += 0.1
        if len(d.parties()) >= 2:
            score += 0.1
        if d.date:
            score += 0.05
        return round(min(score, 0.95), 2)
