"""Stage 3, same-encounter coreference in the document: a candidate names a drafted event or is a new
one; partial mentions join their event; a run of meetings is one event per counterpart."""

from __future__ import annotations

import re

from kurultai.analyze.base import Analysis, Mention, Sentence
from kurultai.extract.common import (
    LOOKBACK,
    MAX_ITEMS,
    MEETING_KINDS,
    SESSION_KINDS,
    Candidate,
    Draft,
    words_of,
)
from kurultai.kb import C5, KB


class CorefStage:
    kb: KB
    _run_host: tuple[str | None, int] | None  # (Extractor.extract: who receives a run told in the next sentences)
    _run_mode: str | None  # (the mode of that run)
    _run_state: tuple  # (the status and day that run was announced with)

    def _same_as(self, cand: Candidate, drafts: list[Draft], current: Draft | None, a: Analysis | None = None) -> Draft | None:
        c = cand.draft
        recent = drafts[-LOOKBACK:]
        order = ([current] if current else []) + [x for x in reversed(recent) if x is not current]
        if current is not None and current.named_format and c.named_format is None and c.kinds & SESSION_KINDS and not c.kinds & MEETING_KINDS \
                and current.kinds & SESSION_KINDS and current.status == c.status and set(c.people) <= set(current.people) \
                and not (c.date and current.date and c.date.value_start != current.date.value_start):
            # "The summit brought together the heads of A, B, C": the session just told, with its members
            return current
        if current is not None and self._attendance(cand, current):
            # "The seventh consultative meeting will be held in Tashkent. The summit will be attended by the
            # presidents of A, B, C ...": a summit word without a name, right after a session was told, with
            # those who take part in it, is that session
            return current
        if cand.framed and current is not None and c.kinds and current.kinds and not c.kinds & current.kinds and not current.group:
            # "during the meeting" after a session was told: the latest encounter of that kind
            current = next((x for x in reversed(recent) if x.kinds & c.kinds and x.status == c.status), current)
        # (its tense may be the verb of what was said there: "during the call, next month's summit was discussed")
        if cand.framed and current is not None and (current.status == c.status or c.kinds <= current.kinds) \
                and set(c.people) <= set(current.people) \
                and not c.named_format and not (c.date and current.date and c.date.value_start != current.date.value_start):
            # "at the start of the meeting Lavrov spoke of the blast at the embassy in Kabul": a meeting
            # word framing what its own people said is the encounter being told, whatever else is named
            # (what they spoke of is no party of it)
            c.countries = {k: v for k, v in c.countries.items() if k in current.countries}
            c.organizations = {k: v for k, v in c.organizations.items() if k in current.organizations}
            return current
        if cand.framed and a is not None and current is not None and not c.named_format and not current.named_format \
                and len(current.parties()) == 2 and c.parties() <= current.parties() and current.status == c.status \
                and {a.persons[p].country for p in c.people} <= {a.persons[p].country for p in current.people} \
                and not (c.date and current.date and c.date.value_start != current.date.value_start):
            # "during the conversation the President conveyed his best wishes to President X": a framed
            # meeting word that names no new side, no other day, is the two sides' encounter told again;
            # the others of its sides it names are spoken of there, not newcomers to it
            c.people = {p: v for p, v in c.people.items() if p in current.people}
            return current
        for e in order:
            if e.status != c.status:
                continue
            if cand.bilateral and len(c.parties()) == 2 and (e.named_format or len(e.parties()) >= 3):
                continue  # "within the summit, the two presidents will also hold a bilateral meeting"
            if c.named_format and c.named_format == e.named_format and not (
                    c.date and e.date and c.date.value_start and e.date.value_start and c.date.value_start != e.date.value_start):
                return e  # the same standing body, told again with more of its members
            if c.named_format and e.named_format and c.named_format != e.named_format and not (
                    c.named_format == "C5" and e.named_format.startswith("C5+") and not c.people):
                continue  # (a bare mention of the region may be the C5+X meeting already known)
            if c.date and e.date and c.date.value_start and e.date.value_start and c.date.value_start != e.date.value_start:
                continue
            if a is not None and c.named_format and e.named_format is None and self._other_level(a, c.named_format, e):
                continue  # the ministers' council is not their meeting with a head of state
            multilateral = bool(e.named_format) or len(e.parties()) >= 3
            extra = c.parties() - e.parties()
            venue = self.kb.place_by_id(e.location[0]) if e.location else None
            if venue is not None and venue.country in extra and not c.people:
                extra.discard(venue.country)  # ("Russia hosts the next session" of the session told in Moscow)
            if e.named_format and ":" in e.named_format and not c.named_format and c.kinds & (SESSION_KINDS | MEETING_KINDS):
                # "the ministers of A, B and C took part in the meeting" after the CIS ministers' council was
                # told: member states of the organ's organisation are its members, not other sides
                org = e.named_format.split(":", 1)[0]
                extra -= set(self.kb.organizations[org].members) if org in self.kb.organizations else set()
            if not set(c.people) <= set(e.people):
                # "X took part in the session": a person joins a multilateral event; in a bilateral
                # one, a new person is a new meeting ("then he held talks with the FM")
                only_people = not c.named_format and not (extra - cand.people_countries) and not cand.verb
                # ("within the visit, X's meeting with Y is planned": two people of two states at a meeting
                # word are a meeting of their own, not newcomers to the session)
                only_people = only_people and not (c.kinds & MEETING_KINDS and not c.kinds & SESSION_KINDS
                                                   and e.kinds & SESSION_KINDS and len(cand.people_countries) == 2)
                if not (multilateral and only_people and e is current):
                    continue
                extra = set()  # the newcomer's own state is not a new party of the session
            if extra and (e.named_format is None or c.named_format is not None or extra - set(C5)):
                continue
            if c.mode != e.mode and c.mode != "in_person" and (e.mode != "in_person" or e.location is not None):
                continue  # an "online meeting" may be the meeting already known, if no venue was stated
            if "phone" in (c.mode, e.mode) and c.mode != e.mode and (c.kinds | e.kinds) & SESSION_KINDS:
                continue  # a phone call is never a session
            return e
        # a nameless mention ("the talks", "в ходе встречи") is the current encounter
        nameless = not cand.assertive or not (c.parties() or c.people or c.named_format)
        if nameless and current is not None and current.status == c.status:
            return current
        return None

    def _other_level(self, a: Analysis, named_format: str, e: Draft) -> bool:
        """Whether `e` has a leader or minister whose level meets in another organ of the organisation
        than `named_format` (a head of state is not at the foreign ministers' council)."""
        org, _, body = named_format.partition(":")
        bodies = self.kb.organizations[org].bodies if org in self.kb.organizations else {}
        return bool(body) and any(bodies.get(a.persons[p].role or "") not in (None, body) for p in e.people if p in a.persons)

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
        e.kinds |= c.kinds
        e.untensed = e.untensed and c.untensed
        if e.location is None and c.location is not None:
            e.location = c.location
        if e.date is None and c.date is not None:
            e.date = c.date
        if e.named_format is None and c.named_format:
            e.named_format = c.named_format

    def _dedupe(self, a: Analysis, drafts: list[Draft]) -> list[Draft]:
        """A mention of a session or summit with some of its members ("Putin said during the summit"),
        or an announced visit and the meeting it is for, is the event already drafted: one event per
        encounter. Meetings of two named people of two states stay their own (a meeting on the
        sidelines of a summit is not the summit)."""
        out: list[Draft] = []
        for d in drafts:
            at = next((k for k in range(max(0, len(out) - LOOKBACK), len(out))
                       if self._duplicate(a, d, out[k]) or self._duplicate(a, out[k], d)), None)
            if at is None:
                out.append(d)
                continue
            into = out[at]
            big, small = (into, d) if self._duplicate(a, d, into) else (d, into)
            self._absorb(big, small)
            if big is not into:
                out[at] = big
        return self._untensed_copies(out)

    @staticmethod
    def _untensed_copies(drafts: list[Draft]) -> list[Draft]:
        """A standing body's session named without any tense ("the SCO summit" in a headline, "within the
        summit") beside the same session told as coming, at no other place: the coming session."""
        planned: dict[str, list[Draft]] = {}
        for p in drafts:
            if p.status == "planned" and p.named_format and not p.group:
                planned.setdefault(p.named_format, []).append(p)
        out: list[Draft] = []
        for d in drafts:
            into = None
            if d.untensed and d.named_format and not d.group:
                into = next((p for p in planned.get(d.named_format, [])[:LOOKBACK]
                             if p is not d and not (p.location and d.location and p.location[0] != d.location[0])), None)
            if into is None:
                out.append(d)
            else:
                CorefStage._absorb(into, d)
        return out

    @staticmethod
    def _absorb(big: Draft, small: Draft) -> None:
        CorefStage._merge(big, small)
        for topic, spans in small.topics.items():
            big.topics.setdefault(topic, []).extend(spans)
        big.outcomes += [o for o in small.outcomes if all(o.title != x.title for x in big.outcomes)][:max(0, MAX_ITEMS - len(big.outcomes))]
        big.figures += [f for f in small.figures if f not in big.figures][:max(0, MAX_ITEMS - len(big.figures))]
        big.sentence = min(big.sentence, small.sentence)

    def _duplicate(self, a: Analysis, small: Draft, big: Draft) -> bool:
        """Whether `small` is a partial mention of the encounter `big`."""
        if small is big or small.status != big.status:
            return False
        if small.group or big.group:
            # the first meeting of a run told again by a second encounter word of its sentence ("in the
            # ceremony of presenting credentials ... the ambassadors ... presented their credentials")
            return bool(small.group and big.group) and small.sentence == big.sentence and small.parties() == big.parties() \
                and set(small.people) == set(big.people) and {frozenset(g.parties()) for g in small.group} == {
                    frozenset(g.parties()) for g in big.group}
        if small.date and big.date and small.date.value_start and big.date.value_start and small.date.value_start != big.date.value_start:
            return False
        if small.location and big.location and small.location[0] != big.location[0]:
            return False
        if small.named_format and small.named_format != big.named_format:
            return False
        if "phone" in (small.mode, big.mode) and small.mode != big.mode and (small.kinds | big.kinds) & SESSION_KINDS:
            return False  # a phone call about a session is not the session
        if small.kinds & MEETING_KINDS and not small.kinds & SESSION_KINDS and big.kinds & SESSION_KINDS and not small.named_format:
            return False  # talks or a reception beside a session are their own encounter
        if big.named_format and not small.named_format and len(small.parties()) >= 3 and small.kinds & SESSION_KINDS \
                and big.parties() <= small.parties() | set(big.named_format.split(":")[:1]):
            return True  # the session told once with its name, once with its members
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

    def _office_states(self, a: Analysis, r: Mention) -> list[str]:
        """The states of a nameless office, with all of a list before it in head-final languages
        ("Qozogʻiston va Qirgʻiziston prezidentlari": the presidents of Kazakhstan and Kyrgyzstan)."""
        out = list(self._role_countries(a, r))
        if not out or not words_of(a.lang).lex.get("title_before_head"):
            return out
        s = a.sentence_at(r.start)
        before = a.in_span(s.start, r.start, ["country", "org", "person", "role"])
        first = next((m for m in reversed(before) if m.kind == "country" and m.id == out[0]), None)
        while first is not None:
            k = before.index(first)
            prev = before[k - 1] if k else None
            if prev is None or prev.kind != "country" or not words_of(a.lang).joins(a.doc.text[prev.end:first.start]):
                break
            out.insert(0, prev.id)
            first = prev
        return out

    def _split_counterparts(self, a: Analysis, s: Sentence, d: Draft) -> list[Draft]:
        """'On the sidelines of the council X met the ministers of A, B and C', 'received the
        credentials of the ambassadors of A, B and C': a bilateral meeting of the first person named with
        each counterpart (GUIDE), beside the session itself when one is named. 'X received the
        credentials of five ambassadors. The credentials were presented by the ambassadors of A ..., B
        ...': the run told in the next sentences has the host of the first."""
        # a phone call is between two sides: "phone talks with Xi and Lukashenko" are two calls; each of
        # "the new ambassadors of A, B and C" is received on their own
        envoys = [m for m in a.in_sentence(s, ["role"]) if m.id == "ambassador" and not self._role_has_name(a, m)
                  and len(self._role_countries(a, m)) >= 2]
        titled = self._titled_run(a, s, d)
        # "X held a series of phone talks with the leaders of ... . The head of state talked with A, B and C":
        # the run announced in the sentence before goes on, in its mode
        run_mode = self._run_mode
        continued = bool(self._run_host and 0 < s.index - self._run_host[1] <= 2 and run_mode and not d.named_format
                         and len(d.people) >= 2)
        if not a.cues(s.start, s.end, "separate") and not (d.mode == "phone" and not d.named_format) and not envoys and not titled \
                and not continued:
            return [d]
        if continued and run_mode == "phone" and d.mode == "in_person":
            d.mode = "phone"
        if len(d.people) == 1 and "reception" in d.kinds and len(d.countries) == 1 and not d.organizations:
            ref = a.persons[next(iter(d.people))]
            if ref.country is None and ref.role not in (None, "ambassador", "head_of_organization"):
                # "President X received the letters of credence of five envoys accredited to Ghana": the one
                # receiving them, of no state known, is of the state they are accredited to
                ref.country = next(iter(d.countries))
        if len(d.people) <= 1 and d.named_format is None and not (set(d.countries) - {
                a.persons[p].country for p in d.people}):
            self._run_host = (next(iter(d.people), None), s.index)
            self._run_mode = d.mode
            self._run_state = (d.status, d.date)  # (a run announced for a day to come is received then)
            return []  # "X held a series of meetings with the ministers of the OIC states": the run told later
        people = sorted(d.people, key=lambda p: min(sp[0] for sp in d.people[p]) if d.people[p] else 10**9)
        host, at = self._run_host or (None, -9)
        sides = {a.persons[p].country for p in people} | (set(d.countries) if not people else set())
        injected = bool(host and s.index - at <= 2 and host not in people and len(sides) >= 2
                        and a.persons[host].country not in sides)
        if injected:
            people = [host, *people]
            d.people = {host: [], **d.people}
        # the one who holds the run: the first person, or a nameless office before them ("the President
        # of Uzbekistan received the credentials of the ambassadors of Hungary X, Iran Y ...")
        subject: str | None = people[0] if people else None
        if subject and a.persons[subject].role == "ambassador" and "reception" in d.kinds:
            # "The ambassadors of A X, B Y ... presented their credentials to Rahmon": credentials are
            # received by one who is no ambassador, wherever the sentence names them
            subject = next((p for p in people if a.persons[p].role not in (None, "ambassador")), subject)
            people = [subject, *[p for p in people if p != subject]]
        if titled:
            # the one who holds the run is no one of its list (named before it, or in the sentences before)
            subject = next(iter(self._run_holders(d, titled, people)), None)
        own = a.persons[subject].country if subject else None
        lead = [m for m in a.in_sentence(s, ["role", "person"])][:1]
        if lead and lead[0].kind == "role" and lead[0].id == "ambassador" and "reception" in d.kinds and not injected \
                and (subject is None or a.persons[subject].role == "ambassador"):
            # "The ambassadors of A, B and C presented their credentials at the residence": the envoys told
            # again, with no one receiving them, are no reception of their own
            return []
        if lead and lead[0].kind == "role" and not self._role_has_name(a, lead[0]) and not injected and not (titled and subject):
            isos = self._role_countries(a, lead[0])
            if isos and (subject is None or a.persons[subject].country != isos[0]):
                subject, own = None, isos[0]
        if own is None:
            return [d]
        # (after a titled list, whoever is named outside it and holds no run is no counterpart: "... and Z,"
        # the spokesman X said")
        outside = {p for p in people if titled and p not in titled and p != subject and d.people[p]}
        counterparts: list[tuple[str | None, str]] = [
            (p, a.persons[p].country) for p in people if p != subject and p not in outside
            and a.persons[p].country and a.persons[p].country != own]
        for p in people:
            org = a.persons[p].organization
            if p in titled and a.persons[p].country is None and org:
                # "... and the president of the ICRC, X": a head of an organisation is that organisation's side
                counterparts.append((p, org))
                d.organizations.setdefault(org, [])
        # (a call is split by the people on the line: a state named without one is what they discussed,
        # "support for the settlement of the crisis in Ukraine")
        calls_only = d.mode == "phone" and not envoys and not titled and not a.cues(s.start, s.end, "separate")
        offices = {iso for r in a.in_sentence(s, ["role"]) for iso in self._office_states(a, r)} if calls_only else set()
        if d.named_format is None and (not d.organizations or envoys or a.cues(s.start, s.end, "bilateral")):
            # a run without a session: states named without a person are counterparts too (and the
            # organisations whose envoys are received); on the phone, only those whose office is named
            # ("with the presidents of Kazakhstan and Kyrgyzstan")
            named = {iso for _, iso in counterparts} | {a.persons[p].country for p in outside}
            counterparts += [(None, iso) for iso in [*d.countries, *(d.organizations if envoys else [])]
                             if iso != own and iso not in named and (not calls_only or iso in offices)]
        if len({iso for _, iso in counterparts}) < 2 and not (
                a.cues(s.start, s.end, "separate") and len({p for p, _ in counterparts if p}) >= 2 and not d.named_format):
            # ("a series of meetings with the Senate chair X, the prime minister Y and the foreign minister
            # Z": named hosts of one state, each met on their own)
            return [d]
        meetings = []
        for p, iso in counterparts:
            m = Draft(status=d.status, sentence=d.sentence, trigger_spans=list(d.trigger_spans), mode=d.mode, date=d.date,
                      location=d.location, diplomatic=True)
            m.people = {x: d.people[x] for x in (subject, p) if x}
            if p is None:  # the state's delegation: the host's own people stay
                m.people.update({x: d.people[x] for x in people if a.persons[x].country == own})
            if iso in d.organizations:
                m.countries, m.organizations = {own: []}, {iso: d.organizations[iso]}
            else:
                m.countries = {own: [], iso: d.countries.get(iso, [])}
            meetings.append(m)
        meetings[0].group = meetings[1:]
        if d.named_format is None:
            return meetings
        # the session keeps its parties; of the people, only the one who holds the meetings
        d.people = {subject: d.people[subject]} if subject else {}
        return [d, *meetings]

    @staticmethod
    def _attendance(cand: Candidate, current: Draft) -> bool:
        """Whether a candidate is the list of those attending the session just told: a session word of no
        name, no kind of meeting of its own, the same status, no other day or place, and two people or
        three sides named."""
        c = cand.draft
        # (the region named among those attending is the format of the region already told)
        other_name = c.named_format and not (c.named_format == "C5" and (current.named_format or "").startswith("C5"))
        if other_name or not c.kinds & SESSION_KINDS or c.kinds & MEETING_KINDS or cand.bilateral or current.group:
            return False
        if not (current.named_format or current.organizations or len(current.parties()) >= 3) or current.status != c.status:
            return False  # (a bilateral meeting "on the sidelines of a conference" is no session to attend)
        if c.sentence - current.sentence > 3 or (c.date and current.date and c.date.value_start != current.date.value_start):
            return False
        if c.location and current.location and c.location[0] != current.location[0]:
            return False
        return len(c.people) >= 2 or len(c.parties()) >= 3

    @staticmethod
    def _run_holders(d: Draft, listed: set[str], people: list[str] | None = None) -> list[str]:
        """Who may hold a run of the people `listed`: someone else named before the list (or known from
        the sentences before, with no span of this one), in the order of `people`."""
        first = min((sp[0] for p in listed for sp in d.people.get(p, [])), default=0)
        return [p for p in (people if people is not None else list(d.people))
                if p not in listed and (not d.people[p] or min(sp[0] for sp in d.people[p]) < first)]

    def _titled_run(self, a: Analysis, s: Sentence, d: Draft) -> set[str]:
        """'X met the Turkish minister A, the foreign minister of Azerbaijan B and the president of C, D':
        people of two or more other states listed after the meeting word, each with a title of their own,
        are one meeting each (GUIDE: one event per counterpart). A meeting of them all is told as such: a
        format or a session, or a word for a joint meeting beside the meeting word. The people listed,
        or none."""
        if d.named_format or d.mode == "phone" or not d.kinds & MEETING_KINDS or d.kinds & SESSION_KINDS \
                or a.cues(s.start, s.end, "joint"):
            return set()
        starts = [st for st, _ in d.trigger_spans if s.start <= st < s.end]
        if not starts:
            return set()
        trig_end = next(e for st, e in d.trigger_spans if st == min(starts))
        listed = sorted((sp for p in d.people for sp in d.people[p] if trig_end <= sp[0] < s.end), key=lambda sp: sp[0])
        owner = {sp: p for p in d.people for sp in d.people[p]}
        states: list[str] = []
        prev = trig_end
        for sp in listed:
            ref = a.persons[owner[sp]]
            iso = ref.country or ref.organization
            if re.search(r"[«»\"“”]", a.doc.text[prev:sp[0]]):
                break  # ("... and Z,\" his spokesman said": the list is over)
            if not any(m.kind in ("role", "country") for m in a.in_span(prev, sp[0])):
                return set()  # (a name without its own title: "with A and B")
            if iso is not None:  # (a person of no side known is no meeting of the run)
                states.append(iso)
            prev = sp[1]
        before = {a.persons[p].country for p in d.people if all(sp[0] < trig_end for sp in d.people[p])} | {
            m.id for m in a.in_span(s.start, min(starts), ["country"])}
        if len(set(states)) >= 2 and len(set(states)) == len(states) and not before & set(states):
            out = {owner[sp] for sp in listed if sp[0] < prev}
            if "reception" in d.kinds:
                # "the credentials were presented to the President X by the ambassadors of A, Y, of B, Z
                # ...": the one receiving them, named among the envoys, holds the run
                receivers = {p for p in out if a.persons[p].role not in (None, "ambassador")}
                envoys = out - receivers
                if len(receivers) == 1 and sum(a.persons[p].role == "ambassador" for p in envoys) >= 2:
                    return envoys
            return out
        return set()
