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

import bisect
import dataclasses
import datetime as dt
import hashlib
import itertools
import re

from pydantic import BaseModel

from kurultai.analyze.base import Analysis, Mention, PersonRef, Sentence
from kurultai.dates import DateMention
from kurultai.extract.arguments import ArgumentStage
from kurultai.extract.common import (
    CLAUSE_BREAK,
    DATELINE_REACH,
    LEADING_ROLES,
    LOOKBACK,
    MEETING_KINDS,
    SESSION_KINDS,
    VISIT_REACH,
    Candidate,
    Draft,
    Trigger,
    VisitInfo,
    Words,
    word_count,
    words_of,
)
from kurultai.extract.coreference import CorefStage
from kurultai.extract.mentions import MentionStage
from kurultai.extract.slots import SlotStage
from kurultai.extract.status import StatusStage
from kurultai.extract.visit import VisitStage
from kurultai.kb import KB
from kurultai.models import DateRange, Event, Location, Outcome, Participant, Visit
from kurultai.spans import Rewrite


def restore_spans(event: Event, rewrite: Rewrite) -> Event:
    """The event with every evidence span of it (and of its parts) mapped from the rewritten text onto the
    original's characters; an outcome's title, a piece of the text, is cut from the original again."""

    def walk(model: BaseModel) -> None:
        for name in type(model).model_fields:
            value = getattr(model, name)
            if name == "evidence":
                spans = [rewrite.original_span(a, b) for a, b in value]
                setattr(model, name, spans)
                if isinstance(model, Outcome) and spans:
                    model.title = rewrite.original[spans[0][0]:spans[0][1]]
            elif isinstance(value, BaseModel):
                walk(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, BaseModel):
                        walk(item)

    walk(event)
    return event


class Extractor(MentionStage, ArgumentStage, CorefStage, StatusStage, SlotStage, VisitStage):
    """The stages in order, sentence by sentence (see the module docstring); one per process."""

    def __init__(self, kb: KB):
        self.kb = kb

    def extract(self, a: Analysis) -> list[Event]:
        events = self._extract(a)
        if a.rewrite is not None:
            # the text was read rewritten (another script): the evidence goes back to the original characters
            events = [restore_spans(e, a.rewrite) for e in events]
        return events

    def _extract(self, a: Analysis) -> list[Event]:
        self._run_host: tuple[str | None, int] | None = None  # who receives a run told in the next sentences
        self._run_mode: str | None = None  # the mode of the run announced (a series of calls)
        self._run_state: tuple[str, DateMention | None] = ("held", None)  # the status and day the run was announced with
        drafts: list[Draft] = []
        current: Draft | None = None
        visits: list[VisitInfo] = []
        last_indicator: str | None = None
        last_unit: str | None = None
        pending_list_adoption = False
        unnamed: Candidate | None = None  # an encounter of two sides whose people the next sentence names
        named_only: list[Draft] = []  # sessions of a standing body only named, with someone taking part
        # the people of two or more states a sentence without an encounter word shows acting ("X and Y
        # discussed ..."), for a meeting the next sentence tells of without naming them
        actors: tuple[int, list[Mention]] | None = None
        for s in a.sentences:
            ms = a.in_sentence(s)
            told = self._visits(a, s, ms)
            visits.extend(told)
            triggers = self._triggers(a, s, ms)
            elsewhere = False  # the sentence tells of another encounter than the current one
            held_back: Candidate | None = None  # a meeting word of this sentence that a later verb may assert
            held_named = False  # held back is a format named right before a session word
            name_end = s.start  # the end of the name of a session told "on the eve of" before this trigger
            before: Candidate | None = None  # the candidate of the trigger before, in this sentence
            run_people: set[str] = set()  # the people of a run of meetings this sentence told
            for k, trig in enumerate(triggers):
                lo = max(s.start if k == 0 else triggers[k - 1].end, name_end)
                if trig.coordinated_at >= 0 and not words_of(a.lang).lex.get("title_before_head"):
                    lo = max(lo, trig.coordinated_at)  # (the name after the first session word is the first's)
                hi = triggers[k + 1].start if k + 1 < len(triggers) else s.end
                cand = self._candidate(a, s, trig, lo, hi, first=not drafts)
                if cand is not None and trig.coordinated_at >= 0 and before is not None and before.assertive and not cand.assertive \
                        and before.draft.named_format and cand.draft.named_format and cand.draft.named_format != before.draft.named_format:
                    # "X will take part in the SCO summit and in the meeting of the CSTO council": the second
                    # session is told by the same verb, with the same people, in the same tense
                    cand.assertive = True
                    cand.draft.status, cand.draft.untensed = before.draft.status, before.draft.untensed
                    for pid, spans in before.draft.people.items():
                        cand.draft.people.setdefault(pid, list(spans))
                        country = a.persons[pid].country
                        if country:
                            cand.draft.countries.setdefault(country, [])
                    cand.draft.date = cand.draft.date or before.draft.date
                    cand.draft.location = cand.draft.location or before.draft.location
                    cand.draft.diplomatic = True
                elif cand is not None and trig.coordinated_at >= 0 and before is not None and cand.assertive and not before.assertive \
                        and words_of(a.lang).lex.get("title_before_head") and before.draft.named_format and cand.draft.named_format \
                        and cand.draft.named_format != before.draft.named_format and before.draft in named_only:
                    # head-final "X ШЫҰ саммитіне және ҰҚШҰ ... отырысына қатысады": the verb after the second
                    # session tells the first too; the names after the coordinator are the second's
                    first = before.draft
                    for kind in (first.organizations, first.countries):
                        for key in [k for k, spans in kind.items() if spans and all(sp[0] >= trig.coordinated_at for sp in spans)]:
                            kind.pop(key)
                    first.status, first.untensed, first.date = cand.draft.status, cand.draft.untensed, first.date or cand.draft.date
                    first.diplomatic = True
                    for pid, spans in first.people.items():
                        cand.draft.people.setdefault(pid, list(spans))
                        if a.persons[pid].country:
                            cand.draft.countries.setdefault(a.persons[pid].country, [])
                    named_only.remove(first)
                    drafts.append(first)
                before = cand if cand is not None else before
                if cand is not None and cand.eve:
                    name_end = max(name_end, cand.name_end)
                if cand is not None and drafts and cand.draft.status == "referenced" and all(self._headline(a, d.sentence) for d in drafts) \
                        and any(d.status == "held" and d.parties() and d.parties() <= cand.draft.parties() for d in drafts):
                    # a headline tells the article's own event again: the report that follows it, with all
                    # the headline's sides, is still the first
                    cand = self._candidate(a, s, trig, lo, hi, first=True)
                if cand is not None and not cand.assertive and self._run_host and s.index - self._run_host[1] <= 2 \
                        and a.cues(s.start, s.end, "separate") and len(cand.draft.countries) >= 2:
                    # "X received the credentials of seven ambassadors. The diplomats presenting their
                    # credentials were the ambassadors of A, B ...": the run announced just before
                    cand.assertive = True
                if cand is None:
                    continue
                self._nameless_host(a, s, trig, cand)
                # "Japarov will take part in the meeting of the heads of state in the «C5+1» format": a format
                # named right before the session word is that session, in the tense the session word has
                named_before = k + 1 < len(triggers) and bool(triggers[k + 1].kinds & SESSION_KINDS) \
                    and bool(a.in_span(trig.start, trig.end, ["format"])) and word_count(a.doc.text[trig.end:triggers[k + 1].start]) <= 4
                if named_before and cand.assertive and not cand.draft.date:
                    cand.assertive = False
                if not cand.assertive and cand.draft.named_format and cand.draft.people and a.in_span(trig.start, trig.end, ["body", "format"]):
                    named_only.append(cand.draft)  # (the body or format named by its own words, not composed)
                if held_back is not None and cand.assertive and (cand.draft.status == held_back.draft.status or held_named) \
                        and (cand.draft.kinds & held_back.draft.kinds or cand.draft.kinds <= {"video", "call"}) \
                        and not (cand.draft.date and held_back.draft.date) and cand.draft.named_format in (None, held_back.draft.named_format) \
                        and set(cand.draft.people) <= set(held_back.draft.people) and cand.draft.parties() <= held_back.draft.parties():
                    # "X took part in the meeting of the ministers of ..., which was held by video link": the
                    # verb at the end of the sentence asserts the meeting word before it, with its people
                    self._merge(cand.draft, held_back.draft)
                    cand.new_people |= set(held_back.draft.people)
                    # ("«The EU–Central Asia» summit is under way": the format named before the word is its name)
                    cand.draft.diplomatic = cand.draft.diplomatic or held_back.draft.diplomatic
                held_back = cand if not cand.assertive and cand.draft.diplomatic and k + 1 < len(triggers) else None
                held_named = named_before and held_back is not None
                d0 = cand.draft
                if k > 0 and d0.people and (trig.verb or cand.assertive and not cand.framed) and trig.kinds & MEETING_KINDS and not d0.named_format:
                    # "Japarov, on the sidelines of the summit in Istanbul, met Mirziyoyev": the person who
                    # opens the sentence is the subject of its meeting verb
                    lead = [m for m in a.in_span(s.start, triggers[0].start) if m.kind == "person" and m.id in a.persons]
                    if lead and lead[0].id not in d0.people and not self._non_participant(a, lead[0]):
                        d0.people[lead[0].id] = [lead[0].span]
                        if a.persons[lead[0].id].country:
                            d0.countries.setdefault(a.persons[lead[0].id].country, [])
                if k > 0 and not d0.people and not d0.named_format and cand.assertive and not cand.eve:
                    # "X and Y initiated the decision of the council at an April 18 meeting": the second
                    # encounter word of a sentence has the sentence's subject when its own scope names nobody
                    self._parties(a, [m for m in a.in_span(s.start, triggers[0].start) if m.kind in ("person", "country", "role")],
                                  d0, trig)
                    d0.diplomatic = d0.diplomatic or bool(d0.people)
                titled = self._titled_run(a, s, d0) if cand.assertive else set()
                if titled and not self._run_holders(d0, titled):
                    self._run_holder(a, s, trig, d0, titled)
                pronoun = [m for m in a.in_span(lo, trig.start) if m.kind == "cue" and m.id == "pronoun"]
                if pronoun and not d0.people and visits and visits[-1].person and s.index - visits[-1].sentence <= 2:
                    # "He will take part in the sessions": the visitor the sentences before spoke of
                    self._visit_context(a, cand, visits[-1])
                if visits and visits[-1].sentence < s.index and (cand.in_visit or (
                        visits[-1].sentence == s.index - 1 and cand.draft.people
                        and all(a.persons[p].country == visits[-1].host for p in cand.draft.people)) or (
                        s.index - visits[-1].sentence <= VISIT_REACH and cand.assertive and not cand.draft.people
                        and not cand.draft.named_format and visits[-1].person is not None and (
                            set(cand.draft.countries) == {visits[-1].visitor, visits[-1].host} and not cand.nameless_role
                            or not cand.draft.parties() and cand.two_sides))):
                    # "in the course of the visit ..."; or, right after a visit is stated, a meeting with the
                    # hosts only ("Today he held talks with X"): the visitor is the other side
                    self._visit_context(a, cand, visits[-1])
                    if not cand.draft.people.keys() - {visits[-1].person}:
                        # "the two leaders met": the host's holder of the office named, told of in the
                        # sentences just before and in office with the visitor, takes part too
                        visitor = a.persons[visits[-1].person] if visits[-1].person else None
                        since = a.sentences[max(0, s.index - VISIT_REACH)].start
                        for rid in sorted(cand.side_roles):
                            for ref in a.holders(rid, visits[-1].host):
                                # (the spans are in text order: the first one from `since` on)
                                at = bisect.bisect_left(ref.spans, (since, -1))
                                if at < len(ref.spans) and ref.spans[at][0] < s.end and self._contemporaries(ref, visitor):
                                    cand.draft.people.setdefault(ref.key, [])
                                    break
                if visits and visits[-1].person and 0 < s.index - visits[-1].sentence <= VISIT_REACH and d0.named_format \
                        and trig.kinds & SESSION_KINDS and not d0.people and d0.status != "referenced" and not cand.eve \
                        and not (d0.location and visits[-1].city and d0.location[0] != visits[-1].city):
                    # "Mirziyoyev arrived in St Petersburg on a working visit. The informal CIS summit takes place
                    # today": a standing body's session told right after a visit, naming nobody, is the one the
                    # visitor came for, in the host state
                    d0.people[visits[-1].person] = []
                    d0.countries.setdefault(visits[-1].visitor, [])
                    d0.countries.setdefault(visits[-1].host, [])
                if current is not None and current.kinds & SESSION_KINDS and trig.kinds & SESSION_KINDS \
                        and (current.named_format or len(current.parties()) >= 3) \
                        and cand.draft.named_format in (None, current.named_format) and self._come_for(a, s, trig):
                    # "To take part in the summit, Tokayev, Rahmon and Lukashenko came to Bishkek on 26
                    # November": the session they came for is the one being told, with its date and status
                    # (the day they came is not its day; the city they came to is its venue)
                    cand.draft.date, cand.draft.status = None, current.status
                    self._merge(current, cand.draft)
                    continue
                if cand.eve and ":" in (cand.draft.named_format or "") and any(
                        x.status == "held" and x.named_format == cand.draft.named_format for x in drafts[-LOOKBACK:]):
                    # "on the eve of the SCO summit" when the article tells of that organ's session held (a
                    # format of the region meets at several levels: its heads of state after its ministers)
                    continue
                if actors is not None and actors[0] == s.index - 1 and k == 0 and word_count(a.doc.text[s.start:trig.start]) <= 1:
                    # (the meeting word opens the sentence: "The meeting took place ...", not "There a
                    # meeting with the public took place")
                    self._actors_of_meeting(a, cand, actors[1], a.sentences[actors[0]])
                if run_people and cand.draft.people and set(cand.draft.people) <= run_people and not cand.draft.named_format:
                    # "X held bilateral meetings with A, B and C, who came to attend the meeting of the
                    # council": a later encounter word of the sentence names no one of its own
                    continue
                target = self._same_as(cand, drafts, current, a)
                # "the first summit in this format": the format of the latest event that has one (a
                # bilateral meeting on its sidelines may be told in between)
                formatted = next((x for x in [*([current] if current else []), *reversed(drafts[-LOOKBACK:])] if x.named_format), None)
                if cand.format_anaphoric and formatted is not None and cand.draft.named_format is None:
                    cand.draft.named_format = formatted.named_format
                    for iso in formatted.countries:
                        cand.draft.countries.setdefault(iso, [])
                    for oid in formatted.organizations:
                        cand.draft.organizations.setdefault(oid, [])
                    cand.draft.diplomatic = True
                    target = self._same_as(cand, drafts, current, a)
                if titled and target is not None and not titled & set(target.people):
                    target = None  # (a run told after the session or meeting before is meetings of its own)
                if current is not None and target in (None, current) and cand.assertive and not cand.eve \
                        and all(a.persons[p].role == "head_of_organization" for p in cand.draft.people if p in a.persons) \
                        and not cand.draft.named_format and not (target is None and cand.draft.parties() - current.parties()) \
                        and self._other_organ(a, lo, hi, trig, cand, current):
                    # "On the eve of the summit the foreign ministers of the member states met", "yesterday's
                    # session of the council of foreign ministers of the Caspian states": a nameless meeting
                    # of another level than the session being told is that group's other organ
                    target = None
                if (target is None and cand.assertive and current is not None and cand.draft.status != current.status
                        and not cand.draft.parties() and not cand.draft.people and not cand.draft.named_format
                        and (cand.nameless_role or cand.draft.location or cand.retrospective)):
                    # "Earlier the ministers met in Tashkent", "they reviewed what was agreed in their recent
                    # call": an earlier or announced encounter of the same sides, named only by a role, a
                    # place or as earlier, has the parties of the event being told
                    for iso in current.countries:
                        cand.draft.countries.setdefault(iso, [])
                    if cand.nameless_role or cand.retrospective:
                        for pid in current.people:
                            cand.draft.people.setdefault(pid, [])
                    cand.draft.diplomatic = True
                if target is None and cand.assertive and not cand.draft.diplomatic and len(cand.draft.countries) >= 2 \
                        and cand.verb and not cand.draft.people:
                    # "Political consultations between the foreign ministries of A and B were held": sides
                    # without people yet; the next sentence may name those who led them
                    unnamed = cand
                if target is None and cand.assertive and "reception" in cand.draft.kinds and len(cand.draft.people) == 1 \
                        and not cand.draft.parties() and not cand.draft.named_format and a.cues(s.start, s.end, "separate") \
                        and a.persons[next(iter(cand.draft.people))].role not in (None, "ambassador"):
                    # "X received the credentials of ambassadors accredited in third states": the run told next
                    self._run_host = (next(iter(cand.draft.people)), s.index)
                    self._run_state = (cand.draft.status, cand.draft.date)
                if target is None and cand.assertive and cand.draft.diplomatic and (cand.draft.parties() or cand.draft.named_format):
                    if cand.draft.location_anaphoric and current and current.location:
                        cand.draft.location = current.location
                    split = self._split_counterparts(a, s, cand.draft)
                    split += self._coordinated_sessions(a, cand.draft) if len(split) == 1 and split[0] is cand.draft else []
                    drafts.extend(split)
                    target = next((x for x in split if x.group), split[0] if split else None)
                    if target is not None and target.group:
                        run_people |= {p for x in [target, *target.group] for p in x.people}
                elif target is not None and cand.assertive:
                    dm = cand.draft.date
                    if cand.framed and dm is not None and word_count(a.doc.text[min(dm.end, trig.end):max(dm.start, trig.start)]) > 3:
                        # "during the meeting the results of cooperation in 2023 were summed up": a date
                        # away from a framed meeting word dates what was said, not the meeting
                        cand.draft.date = None
                    was_phone = target.mode == "phone"
                    self._merge(target, cand.draft)
                    at = next((i for i in range(len(drafts) - 1, max(-1, len(drafts) - LOOKBACK - 1), -1) if drafts[i] is target), None)
                    told_apart = bool(cand.bilateral and a.cues(s.start, s.end, "separate")) and target.sentence < s.index
                    if (target.mode == "phone" and not was_phone or told_apart) and not target.named_format \
                            and len(target.parties()) >= 3 and not target.group and at is not None:
                        # "X talked with the presidents of A and B. ... X spoke with them by phone": the
                        # encounter told again as calls is one call per counterpart; "X received the prime
                        # ministers of A, B and C. X held bilateral meetings with ...": one meeting each
                        split = self._split_counterparts(a, s, target)
                        if split and split[0] is not target:
                            drafts[at:at + 1] = split
                            target = split[0]
                            run_people |= {p for x in split for p in x.people}
                if target is not None and target.status != "referenced" and cand.assertive and not cand.eve:
                    current = target
                elif target is not None and target is not current and not cand.eve:
                    elsewhere = True
            for visit in told:
                announced = self._announced_visit(a, s, visit, drafts)
                if announced is not None:
                    drafts.append(announced)
                    current = announced
                else:
                    earlier = self._background_visit(a, s, visit, drafts)
                    if earlier is not None:
                        drafts.append(earlier)
            if self._run_host and self._run_host[0] and 0 < s.index - self._run_host[1] <= 2:
                items = self._run_items(a, s, self._run_host[0], drafts) if not triggers else []
                drafts.extend(items)
                if items or triggers and not a.in_sentence(s, ["country"]) and a.cues(s.start, s.end, "separate"):
                    # "The envoys who presented their credentials are: – A, ambassador of B. – C, ...": each
                    # line of the list, and each sentence telling the run again, keeps it going
                    self._run_host = (self._run_host[0], s.index)
            if not triggers and unnamed is not None and unnamed.draft.sentence == s.index - 1:
                # "The delegations were led by R. Meredov and B. Saidov": the people of those sides
                named = [m for m in a.in_sentence(s, ["person"]) if m.id in a.persons and a.persons[m.id].country in unnamed.draft.countries
                         and a.persons[m.id].role and not self._non_participant(a, m)]
                if {a.persons[m.id].country for m in named} == set(unnamed.draft.countries):
                    for m in named:
                        unnamed.draft.people.setdefault(m.id, []).append(m.span)
                    unnamed.draft.diplomatic = True
                    drafts.append(unnamed.draft)
                    current = unnamed.draft
                unnamed = None
            if not triggers:
                acting_people = [m for m in a.in_sentence(s, ["person"]) if m.id in a.persons and a.persons[m.id].country
                                 and not self._non_participant(a, m)]
                actors = (s.index, acting_people) if len({a.persons[m.id].country for m in acting_people}) >= 2 \
                    and a.cues(s.start, s.end, "occ:past") else None
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
            if acting:
                # "A, B, C and D's heads of state and government will take part": the states of the list
                for r in a.in_sentence(s, ["role"]):
                    if r.id in LEADING_ROLES and not self._role_has_name(a, r):
                        for iso in self._role_owners(a, r):
                            current.countries.setdefault(iso, [])
            # "The Kazakh delegation was headed by X": the one who led a delegation takes part
            led = bool(a.cues(s.start, s.end, "delegation")) and bool(a.cues(s.start, s.end, "lead"))
            if (a.cues(s.start, s.end, "participants:anaphoric") or acting or led) and not triggers:
                for m in a.in_sentence(s, ["person"]):
                    if acting and not led and not a.cues(s.start, s.end, "participants:anaphoric") and a.persons.get(m.id) and \
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
        # "Tokayev, speaking at the session of the OTS summit, ...": a standing body's session that the text
        # names only as where someone took part, and tells nowhere else, is the report's own (held) event
        told = {d.named_format for d in drafts}
        for d in named_only:
            if d.named_format not in told and d.status == "held":
                d.untensed, d.diplomatic = True, True
                drafts.append(d)
                told.add(d.named_format)
        return self._finish(a, self._dedupe(a, drafts), visits)

    def _actors_of_meeting(self, a: Analysis, cand: Candidate, people: list[Mention], told: Sentence) -> None:
        """'X and Y discussed the state of cooperation. The meeting of the diplomats took place in Z': a
        meeting word that names nobody, right after a sentence showing the people of two states acting,
        is their meeting, and what they discussed its topics (the state of its venue, "in Z (Country)", is
        no side of it)."""
        d = cand.draft
        if not cand.assertive or cand.eve or not d.kinds & MEETING_KINDS or d.people or d.named_format or d.organizations:
            return
        place = self.kb.place_by_id(d.location[0]) if d.location else None
        if set(d.countries) - {place.country if place else None}:
            return
        d.countries = {}
        for m in people:
            d.people.setdefault(m.id, []).append(m.span)
            d.countries.setdefault(a.persons[m.id].country, [])  # type: ignore[arg-type]
        cand.new_people |= set(d.people)
        cand.people_countries |= set(d.countries)
        cand.verb = True  # (a meeting of two named sides of its own, not someone taking part in a session)
        d.diplomatic = True
        self._topics(a, told, d)

    def _run_holder(self, a: Analysis, s: Sentence, trig: Trigger, d: Draft, listed: set[str]) -> None:
        """'He then held meetings with A, B and C', 'the Russian minister met A, B and C': the one who holds
        a run named only by a pronoun or an office before the meeting word is the person the article told
        of first, of that office's state when it has one."""
        before = a.in_span(s.start, trig.start)
        offices = [m for m in before if m.kind == "role"]  # (no one of theirs is named: none is in the draft)
        if not offices and not any(m.kind == "cue" and m.id == "pronoun" for m in before):
            return
        states = {m.id for m in before if m.kind == "country"} | {m.attrs["country"] for m in offices if m.attrs.get("country")}
        theirs = {a.persons[p].country for p in listed}
        earlier = [r for r in a.persons.values() if r.spans and r.spans[0][0] < s.start and r.country
                   and r.country not in theirs and (not states or r.country in states)]
        if earlier:
            holder = min(earlier, key=lambda r: r.spans[0][0])
            d.people[holder.key] = []
            d.countries.setdefault(holder.country, [])  # type: ignore[arg-type]

    def _coordinated_sessions(self, a: Analysis, d: Draft) -> list[Draft]:
        """'He will take part in the meetings of the CIS and the Eurasian intergovernmental councils': the
        coordinated organisation holds its own session, at the level of the people taking part (kb:
        organisations' bodies)."""
        out = []
        for oid, spans in d.coordinated.items():
            bodies = self.kb.organizations[oid].bodies
            body = next((bodies[a.persons[p].role] for p in d.people if a.persons[p].role in bodies), None)
            own = d.named_format.split(":")[1] if d.named_format and ":" in d.named_format else None
            if body is None and own in bodies.values():
                body = own  # "the CIS and CSTO summits": the same organ of each
            if body is None:
                continue
            e = Draft(status=d.status, sentence=d.sentence, trigger_spans=list(d.trigger_spans), mode=d.mode,
                      named_format=f"{oid}:{body}", date=d.date, location=d.location, diplomatic=True, kinds=set(d.kinds))
            e.people = {p: list(v) for p, v in d.people.items()}
            e.countries = {c: list(v) for c, v in d.countries.items()}
            e.organizations = {oid: list(spans)}
            d.organizations.pop(oid, None)
            out.append(e)
        if out:
            d.group = out  # what the next sentences say of "the meetings" goes to each
        return out

    def _run_items(self, a: Analysis, s: Sentence, host: str, drafts: list[Draft]) -> list[Draft]:
        """'X received the credentials of twelve ambassadors. Among them the new ambassador of Japan, A,
        the ambassador of Korea, B ...': each ambassador of the list the run's host announced, in a
        sentence with no encounter word of its own, is one more reception of the run."""
        own = a.persons[host].country
        envoys = [m for m in a.in_sentence(s, ["role"]) if m.id == "ambassador"]
        if not envoys or own is None:
            return []
        done = {iso for d in drafts if host in d.people for iso in d.countries if iso != own}
        people = {a.persons[m.id].country: m for m in a.in_sentence(s, ["person"])
                  if m.id in a.persons and a.persons[m.id].role == "ambassador"}
        out: list[Draft] = []
        for r in envoys:
            for iso in self._role_owners(a, r) or self._role_countries(a, r):
                if iso == own or iso in done:
                    continue
                d = Draft(status=self._run_state[0], sentence=s.index, trigger_spans=[r.span], kinds={"reception"}, diplomatic=True,
                          date=self._run_state[1])
                d.people[host] = []
                if iso in people:
                    d.people[people[iso].id] = [people[iso].span]
                d.countries = {own: [], iso: [m.span for m in a.in_sentence(s, ["country"]) if m.id == iso][:1]}
                done.add(iso)
                out.append(d)
        return out

    @staticmethod
    def _come_for(a: Analysis, s: Sentence, trig: Trigger) -> bool:
        """A purpose cue right at a session word: the session someone comes to attend."""
        text = a.doc.text
        return any(word_count(text[min(m.end, trig.end):max(m.start, trig.start)]) <= 2
                   for m in a.cues(s.start, s.end, "occ:purpose"))

    @staticmethod
    def _days_after_dateline(a: Analysis, dv: DateMention | None) -> int | None:
        """How many days a day without its year falls after the dateline's ("TASHKENT, 14 June — ..."),
        the year unknown to both (the nearest reading: at most half a year either way); None when the
        text has a publication date, or no such dateline or day."""
        if a.doc.published is not None or dv is None or dv.month_day is None:
            return None
        text = a.doc.text
        head = a.in_span(0, min(len(text), DATELINE_REACH), ["place", "date"])
        for p, m in itertools.pairwise(head):
            if p.kind == "place" and m.kind == "date" and m.attrs["value"].month_day and re.fullmatch(r"[\s,.]{1,3}", text[p.end:m.start]):
                base, day = dt.date(2000, *m.attrs["value"].month_day), dt.date(2000, *dv.month_day)  # (a leap year)
                delta = (day - base).days
                return delta - 366 if delta > 183 else delta + 366 if delta < -183 else delta
        return None

    def _other_organ(self, a: Analysis, lo: int, hi: int, trig: Trigger, cand: Candidate, target: Draft) -> bool:
        """Whether a nameless meeting or session word is another organ of the group whose session
        `target` tells: its level (a body named at the word, or the one leading role of nobody named
        beside it) is not the level of `target` (its body, or a summit's heads of state). Fills the
        candidate with that organ and the group's sides."""
        levels = {"SUMMIT": "head_of_state", "HGC": "head_of_government", "CFM": "foreign_minister"}
        text = a.doc.text
        if target.named_format and ":" in target.named_format:
            org, body = target.named_format.split(":", 1)
            level = levels.get(body)
        elif "summit" in target.kinds and not target.named_format:
            org, level = None, "head_of_state"
        else:
            return False
        # (a body named inside the trigger's words, "the session of the Council of Foreign Ministers", or
        # right beside them)
        own = [m for m in a.in_span(lo, hi) if m.kind == "body" and m.id in levels
               and (trig.start <= m.start and m.end <= trig.end
                    or word_count(text[min(m.end, trig.start):max(m.start, trig.end)]) <= 1)]
        if own:
            theirs = levels[own[0].id]
        elif cand.side_roles and cand.nameless_role and trig.kinds & MEETING_KINDS and not trig.kinds & SESSION_KINDS:
            # (the one leading role of nobody named, or the one right at the word: "a meeting of the heads
            # of government will be held on the 18th, and an informal meeting of the heads of state on the 26th")
            at = [m for m in a.in_span(lo, hi) if m.kind == "role" and m.id in cand.side_roles
                  and word_count(text[min(m.end, trig.end):max(m.start, trig.start)]) <= 1]
            if len(cand.side_roles) == 1:
                theirs = next(iter(cand.side_roles))
            elif at:
                theirs = min(at, key=lambda m: abs(m.start - trig.end)).id
            else:
                return False
        else:
            return False
        if level is None or theirs == level:
            return False
        d = cand.draft
        if org is not None:
            bodies = self.kb.organizations[org].bodies if org in self.kb.organizations else {}
            if theirs not in bodies:
                return False
            d.named_format = f"{org}:{bodies[theirs]}"
            d.organizations.setdefault(org, [])
        for iso in target.countries:
            d.countries.setdefault(iso, [])
        for oid in target.organizations:
            d.organizations.setdefault(oid, [])
        d.diplomatic = True
        return True

    def _nameless_host(self, a: Analysis, s: Sentence, trig: Trigger, cand: Candidate) -> None:
        """"The Head of State received the Foreign Minister of Uzbekistan X at the Akorda": a leading office
        of nobody named and of no state named, before a reception word with one guest, is the host. Its
        state is the one a KB holder of that office named elsewhere in the document has, else the venue's
        (one receives at home); that holder, when the text names them, takes part."""
        d = cand.draft
        if "reception" not in trig.kinds or len(d.people) != 1 or len(d.parties()) > 1:
            return
        guest = a.persons[next(iter(d.people))]
        if guest.country is None:
            return
        office = [m for m in a.in_span(s.start, trig.start) if m.kind == "role" and m.id in LEADING_ROLES
                  # (the guest's state read after the word as the office's: "the Head of State received Uzbek ...")
                  and not self._role_has_name(a, m) and set(self._role_countries(a, m)) <= {guest.country}]
        if not office:
            return
        role = office[-1]
        named = {p.country for p in a.persons.values() if p.kb is not None and p.role == role.id and p.country not in (None, guest.country)}
        venue = self.kb.place_by_id(d.location[0]) if d.location else None
        if len(named) == 1:
            state = next(iter(named))
        elif not named and venue is not None and venue.country and venue.country != guest.country:
            state = venue.country
        else:
            return
        d.countries.setdefault(state, []).append(role.span)
        # (its holder takes part when the text names them; a name the text never gives is not put in it)
        known = [p for p in a.persons.values() if p.role == role.id and p.country == state]
        if len(known) == 1:
            d.people.setdefault(known[0].key, []).append(role.span)
        d.diplomatic = True

    @staticmethod
    def _chaired(a: Analysis, s: Sentence, trig: Trigger) -> bool:
        """'Uzbekistan's upcoming chairmanship of the OIC Council of Foreign Ministers', 'ТИВ Кенгашида
        Ўзбекистоннинг бўлажак раислиги': a body named as what a state chairs is no encounter (the chairmanship
        word before the body's name, or after it in head-final languages)."""
        if trig.verb or not trig.kinds & SESSION_KINDS or trig.kinds & MEETING_KINDS:
            return False
        text = a.doc.text
        head_final = bool(words_of(a.lang).lex.get("title_before_head"))
        for m in a.cues(s.start, s.end, "chairmanship"):
            gap = text[trig.end:m.start] if head_final else text[m.end:trig.start]
            lo, hi = (trig.end, m.start) if head_final else (m.end, trig.start)
            # (only the chairing state between: "the Chairman of the People's Council" after a summit word
            # is someone's title)
            between = [x for x in a.in_span(lo, hi) if x.kind not in ("country", "cue", "date", *(() if head_final else ("org",)))]
            if (m.start >= trig.end if head_final else m.end <= trig.start) and word_count(gap) <= (2 if head_final else 4) \
                    and not between and not CLAUSE_BREAK.search(gap) and "," not in gap:
                return True
        return False

    @staticmethod
    def _paired_sides(a: Analysis, scope: list[Mention], trig: Trigger) -> bool:
        """'the 13th session of the Turkmen-Tajik intergovernmental commission', 'Turkmen-Afghan political
        consultations': two states written as one hyphenated pair right at the encounter word are its
        two sides, whoever is named."""
        text = a.doc.text
        adjs = sorted((m for m in scope if m.kind == "country" and m.attrs.get("adj")), key=lambda m: m.start)
        for x, y in itertools.pairwise(adjs):
            if x.id != y.id and re.fullmatch(r"\s*[-–—]\s*", text[x.end:y.start]):
                gap = text[y.end:trig.start] if y.end <= trig.start else text[trig.end:x.start]
                if word_count(gap) <= 4 and not CLAUSE_BREAK.search(gap) and "," not in gap:
                    return True
        return False

    @staticmethod
    def _headline(a: Analysis, index: int) -> bool:
        """The first sentence is a headline when it is a line of its own without a final stop."""
        if index != 0 or not a.sentences:
            return False
        s = a.sentences[0]
        line = a.doc.text[s.start:s.end].rstrip()
        return not line.endswith((".", "!", "?")) and a.doc.text[s.end:s.end + 2].lstrip(" ").startswith("\n")

    def _candidate(self, a: Analysis, s: Sentence, trig: Trigger, lo: int, hi: int, first: bool) -> Candidate | None:
        text = a.doc.text
        scope = a.in_span(lo, hi)
        if self._chaired(a, s, trig):
            return None
        # "occ:none" phrases only hide look-alikes ("атап өтті": noted, not "took place")
        occ = [m for m in scope if m.kind == "cue" and m.id.startswith("occ:") and m.id != "occ:none"]
        dates = [m for m in scope if m.kind == "date"]
        tense = self._tense(trig, occ, text)
        articles = words_of(a.lang).articles

        def marked(cue: str) -> bool:
            # a word right before the noun or right after it (head-initial Tajik "мулоқоти қаблӣ",
            # postpositions: "саммит қарсаңында", "duşuşygyna görülýän taýýarlyk"); an article or one
            # word may stand between
            return not trig.verb and any(m.kind == "cue" and m.id == cue and len(
                [w for w in re.findall(r"[^\W\d_]+", text[min(m.end, trig.end):max(m.start, trig.start)]) if w.lower() not in articles]) <= 1
                for m in scope)

        # "the upcoming summit", "алдағы кездесу": the noun is marked as still to come; "their recent
        # call", "the previous summit": as an earlier one
        # (a call is not prepared: "they discussed by phone the preparations for the summit")
        prospective, retrospective = marked("prospective") and not trig.kinds & {"call", "video"}, marked("retrospective")
        if prospective:
            tense = "future"
        # a dated mention asserts the encounter: a full date in its scope, or any absolute date right at
        # the trigger ("at an April 18 meeting", "the session in Bishkek on April 14")
        only_frame = bool(occ) and all(m.id == "occ:frame" for m in occ) and not trig.verb
        assertive = trig.verb or bool(occ) or prospective or retrospective or any(
            not m.attrs["value"].relative and (m.attrs["value"].has_year or word_count(text[min(m.end, trig.end):max(m.start, trig.start)]) <= 4)
            for m in dates)
        d = Draft(status="held", sentence=s.index, trigger_spans=list(trig.spans), kinds=set(trig.kinds))
        # date: the date nearest the trigger in its scope, in the trigger's own clause when one is there
        # ("X said on Thursday that the meeting will be held on 18 December, and the summit on the
        # 26th": a comma and a clause word between tell another clause's time)
        clause_words = {str(w).lower() for w in words_of(a.lang).clause_words}

        def other_clause(m: Mention) -> bool:
            gap = text[min(m.end, trig.end):max(m.start, trig.start)]
            return any(x.group(1).lower() in clause_words for x in re.finditer(r",\s*([^\W\d_]+)", gap))

        # (a year told in another clause is the time of what that clause says: "met in Astana, where trade
        # grew by 10 percent in 2023")
        own_clause = [m for m in dates if not other_clause(m)] or [
            m for m in dates if m.attrs["value"].precision != "year" or not other_clause(m)]
        date_m = min(own_clause, key=lambda m: abs(m.start - trig.start), default=None)
        if date_m is not None:
            d.date = date_m.attrs["value"]
            if tense == "future" or prospective:
                d.date = d.date.forward(a.doc.published)  # "will meet on Friday": the next Friday
            elif tense in ("past", "reported") or retrospective:
                d.date = d.date.backward(a.doc.published)  # "met on 7 November", published in February
        # status
        pub = a.doc.published
        dv: DateMention | None = d.date
        departing = any(m.kind == "cue" and m.id == "departure" for m in scope) and any(
            m.kind == "cue" and m.id in ("occ:purpose", "trigger:session", "trigger:summit") for m in scope)
        # "came to Uzbekistan to take part in the next session of the CIS ministers' council, met X": the
        # session one comes to attend is still to come (when the sentence tells of a meeting held then)
        attending = bool(trig.kinds & SESSION_KINDS) and not trig.kinds & MEETING_KINDS and any(
            m.id == "occ:purpose" and word_count(text[min(m.end, trig.end):max(m.start, trig.start)]) <= 2 for m in occ) and (any(
                m.id in ("verb:meeting", "verb:talks", "verb:reception") and not trig.start <= m.start < trig.end
                for m in a.cues(s.start, s.end, "verb:")) or any(
                # ("the meeting of X, who came to attend the council's session, with Y was held")
                m.id in ("trigger:meeting", "trigger:talks") and any(
                    o.id == "occ:past" and word_count(text[m.end:o.start]) <= 1 for o in a.cues(m.end, s.end, "occ:"))
                for m in a.cues(trig.end, s.end, "trigger:")))
        # a day without its year against the dateline's ("TASHKENT, 14 June. ... on 23-24 June"), when no
        # publication date resolves either
        ahead = self._days_after_dateline(a, dv)
        # "Today the informal summit will take place": the day's own event, reported on its day, is held
        today = bool(dv and dv.relative and dv.offset == 0 and dv.precision == "day"
                     and word_count(text[min(dv.end, trig.end):max(dv.start, trig.start)]) <= 8)
        # ("Today, 14 December, the talks of the three leaders will be held"; "Today in Helsinki the delegation
        # led by X takes part in the meeting ..."): a "today" that opens the sentence, alone or with its day
        # beside it, dates the sentence's own encounter
        clause = {str(w).lower() for w in words_of(a.lang).clause_words}
        opening = [m for m in dates if m.attrs["value"].relative and m.attrs["value"].offset == 0 and m.attrs["value"].precision == "day"
                   and word_count(text[s.start:m.start]) <= 4 and m.start < trig.start
                   # (not "today X said that the meeting will take place": a clause between tells another time)
                   and not any(w.lower() in clause for w in re.findall(r"[^\W\d_]+", text[m.end:trig.start]))]
        today = today or bool(opening and dv and (dv is opening[0].attrs["value"] or (
            not dv.relative and not dv.has_year and dv.start >= opening[0].end and word_count(text[opening[0].end:dv.start]) == 0)))
        if tense == "future" and today and not departing and not attending:
            tense = None
        if tense == "future" or departing or attending or (dv and dv.value_start and pub and dv.value_start > pub) or (
                dv and dv.relative and (dv.offset or 0) > 0 and tense != "past") or (ahead is not None and ahead > 0 and tense != "past"):
            d.status = "planned"  # (a relative date says it even without a publication day: "opens tomorrow")
        elif tense == "reported" and not first or (dv and dv.relative and dv.precision == "month" and (dv.offset or 0) < 0) or (
            dv and dv.relative and dv.precision == "year" and (dv.offset or 0) < 0
                                                    and word_count(text[min(dv.end, trig.end):max(dv.start, trig.start)]) <= 3) or dv and dv.value_end and not dv.relative and (
            (pub and (pub - dv.value_end).days > 7) or (pub is None and not first)
        ) or (ahead is not None and ahead < -7 and tense != "future") or self._background(a, scope, trig):
            d.status = "referenced"
        if retrospective and d.status == "held":
            d.status = "referenced"
        d.untensed = d.status == "held" and tense is None and not trig.verb and d.date is None
        # mode
        def mode_cue(ids: tuple[str, ...]) -> bool:
            # a phone or video word far from a session word tells of another encounter ("during the phone
            # call, the preparations of next month's summit were discussed")
            return any(m.kind == "cue" and m.id in ids and (not trig.kinds & SESSION_KINDS or trig.kinds & MEETING_KINDS
                                                           or word_count(text[min(m.end, trig.end):max(m.start, trig.start)]) <= 6)
                       for m in scope)

        if "call" in trig.kinds or mode_cue(("trigger:call", "verb:call")):
            d.mode = "phone"
        elif "video" in trig.kinds or mode_cue(("trigger:video", "verb:video")):
            d.mode = "video"
        # parties
        eve = self._eve(a, lo, hi, trig)
        if eve is not None:
            # "X and Y met in Cholpon-Ata on the eve of the CSTO foreign ministers' council": the council
            # is another, later encounter (planned while nothing says it was held), named by its own words
            d.status, d.mode, d.untensed = "planned", "in_person", False
            # its own date follows its name ("накануне саммита, запланированного на 11 октября"); in a
            # head-final language what stands before the name is the sentence's, not the session's
            own = [m for m in dates if m.start >= trig.end and not m.attrs["value"].relative
                   and not words_of(a.lang).lex.get("title_before_head")]
            d.date = own[0].attrs["value"] if own else None
            scope = self._session_name(a, lo, hi, trig, eve)
            places = [m for m in a.in_sentence(s, ["place"])]
            if places:
                pm = min(places, key=lambda m: abs(m.start - trig.start))
                d.location = (pm.id, pm.span)
        self._parties(a, scope, d, trig)
        if not d.named_format and any(m.start < trig.end and trig.start < m.end for m in a.cues(s.start, s.end, "gathering")) \
                and not (a.cues(s.start, s.end, "delegation") and a.cues(s.start, s.end, "lead")):
            # "the forum of the creative intelligentsia of the CIS opened", "an international conference
            # and exhibition": a gathering open to the public, not an encounter of parties (GUIDE), unless
            # it is a standing format's own or a delegation led by someone takes part in it
            return None
        if only_frame and len(d.parties()) < 2 and not d.named_format and not any(
                m.kind == "date" and not m.attrs["value"].relative for m in dates):
            assertive = False  # a frame alone ("during the meeting") asserts an encounter of two named sides
        # place
        if d.mode == "in_person" and eve is None:
            # ("сообщает пресс-служба Акорды": the press service of a palace tells no venue)
            told_by = [m.end for m in scope if m.kind == "cue" and m.id == "nonpart"]
            places = [m for m in scope if m.kind == "place"
                      and not any(m.start - e >= 0 and word_count(text[e:m.start]) <= 1 for e in told_by)]
            if places:
                preps = words_of(a.lang).place_prepositions
                pm = min(places, key=lambda m: (Words.last_word(text, m.start) not in preps and not m.attrs.get("locative"),
                                                abs(m.start - trig.start)))
                d.location = (pm.id, pm.span)
            elif any(m.kind == "cue" and m.id == "place:anaphoric" for m in scope):
                d.location_anaphoric = True
        d.diplomatic = bool(d.people) or bool(d.named_format) or bool(d.organizations) or any(
            m.kind == "role" for m in scope
        ) or self._paired_sides(a, scope, trig)
        # "in this format"; "the first such meeting", "the previous summit" with nobody and no side of its own:
        # the format being told, at another time
        anaphoric = any(m.kind == "cue" and m.id == "format:anaphoric" for m in scope) or (
            (marked("format:instance") or retrospective) and not d.people and not d.parties() and not trig.verb)
        people_countries = {a.persons[p].country for p in d.people if a.persons[p].country}
        in_visit = any(m.kind == "cue" and m.id == "trigger:visit" for m in scope)
        nameless = any(m.kind == "role" and not self._role_has_name(a, m) and not self._role_countries(a, m) for m in scope)
        # (a word that reads both as a verb and as a frame, Kazakh "кездесуде": "is meeting" / "at the
        # meeting", is the frame)
        framed = any(m.id == "occ:frame" and word_count(text[min(m.end, trig.end):max(m.start, trig.start)]) <= 1
                     and (not trig.verb or trig.start <= m.start < trig.end) for m in occ)
        bilateral = bool(trig.kinds & MEETING_KINDS) and any(
            m.kind == "cue" and m.id == "bilateral" and m.start < trig.end and word_count(text[m.end:trig.start]) <= 1 for m in scope)
        side_roles = {m.id for m in scope if m.kind == "role" and m.id in LEADING_ROLES and not self._role_has_name(a, m)}
        if eve is not None:
            d.people = {}  # (who comes to the later session, the sentence does not say)
            d.diplomatic = bool(d.named_format or d.organizations)
            return Candidate(d, True, set(), False, set(), False, False, False, False, eve=True,
                             name_end=max([trig.end, *(m.end for m in scope)]))
        return Candidate(d, assertive, set(d.people), anaphoric, people_countries,  # type: ignore[arg-type]
                         trig.verb, in_visit, nameless, framed, bilateral, retrospective,
                         bool(side_roles) or any(m.kind == "cue" and m.id == "bilateral" for m in scope), side_roles)

    def _finish(self, a: Analysis, drafts: list[Draft], visits: list[VisitInfo]) -> list[Event]:
        events = []
        pub = a.doc.published
        # the visits by host and by their two sides, in the order told (sentence by sentence), so that an
        # event looks up its own, not every visit of the text
        by_host: dict[str, list[VisitInfo]] = {}
        by_sides: dict[frozenset[str], list[int]] = {}
        for i, v in enumerate(visits):
            by_host.setdefault(v.host, []).append(v)
            by_sides.setdefault(frozenset((v.visitor, v.host)), []).append(i)
        for n, d in enumerate(drafts):
            if self._gathering(d):
                continue
            if self._domestic(a, d):
                (own,) = d.countries
                told_before = itertools.takewhile(lambda v, d=d: v.sentence <= d.sentence, by_host.get(own, []))
                guest = next((v for v in told_before if v.visitor != own), None)
                if guest is None:
                    continue
                # "X arrives in Bishkek; he will meet the president and the foreign minister": the hosts'
                # side only, during a stated visit: the visitor is the other side
                d.countries.setdefault(guest.visitor, [])
                if guest.person:
                    d.people.setdefault(guest.person, [])
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
                # the visit of these two sides; its type from whichever sentence states it
                sides = set(d.countries)
                same = [visits[i] for i in sorted(i for pair, told in by_sides.items() if pair <= sides for i in told)]
                # (the visit of someone else of the same state, Lavrov's before Putin's, lends nothing)
                own = [v for v in same if v.person is None or v.person in d.people] or same[:1]
                visit = next((v for v in own if v.type != "unspecified"), own[0] if own else None)
                told = next((v for v in own if v.city and v.sentence <= d.sentence), None)
                if visit is not None and told is not None and (visit.city is None or visit.sentence > d.sentence):
                    # (and its city from a sentence that states it before the event)
                    visit = dataclasses.replace(visit, city=told.city, sentence=told.sentence)
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
            if location and location.country not in countries and d.named_format and ":" in d.named_format:
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

    @staticmethod
    def _contemporaries(p: PersonRef, q: PersonRef | None) -> bool:
        """Whether two people may have met in office: unless the KB's terms of both say they never
        overlapped (an airport named after a former president is not its host)."""
        if q is None or p.kb is None or q.kb is None or not p.kb.terms or not q.kb.terms:
            return True
        return any((x.start or dt.date.min) <= (y.end or dt.date.max) and (y.start or dt.date.min) <= (x.end or dt.date.max)
                   for x in p.kb.terms for y in q.kb.terms)

    @staticmethod
    def _gathering(d: Draft) -> bool:
        """Told only by forum words, of no standing format and not between two states alone: a conference
        or forum of many, which is no encounter (what is held on its sidelines is)."""
        return bool(d.kinds) and d.kinds <= {"forum"} and not d.named_format \
            and not (len(d.countries) == 2 and not d.organizations)

    @staticmethod
    def _domestic(a: Analysis, d: Draft) -> bool:
        """One state, no organisation, no standing format and only its own people: a domestic meeting, not
        a diplomatic encounter (GUIDE: an encounter between parties; inventing one is the worst error)."""
        if len(d.countries) != 1 or d.organizations or d.named_format:
            return False
        (own,) = d.countries
        return all(a.persons[p].country in (None, own) for p in d.people)

    def _participant(self, ref: PersonRef, spans: list[tuple[int, int]], day: dt.date | None) -> Participant:
        role, country = ref.role, ref.country
        if ref.kb is not None and not ref.role_spans and day is not None:
            # the text names no office: the one the KB knows they held on the event's day (a 2015 call of
            # Nazarbayev in an article without a publication date)
            held = ref.kb.term_at(day)
            if held is not None and held.covers(day):
                role, country = held.role, held.country or country
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
