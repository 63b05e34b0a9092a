"""Stage 6, visits: a visit is the property of the meetings held during it, and an announced visit a
planned encounter of the visitor with the host."""

from __future__ import annotations

import re
from collections.abc import Callable

from kurultai.analyze.base import Analysis, Mention, Sentence
from kurultai.extract.common import LOOKBACK, Candidate, Draft, VisitInfo, word_count, words_of
from kurultai.kb import KB


class VisitStage:
    kb: KB
    _role_countries: Callable[[Analysis, Mention], list[str]]  # (ArgumentStage)

    def _visits(self, a: Analysis, s: Sentence, ms: list[Mention]) -> list[VisitInfo]:
        """The visits a sentence tells: 'After the working visit to Russia he will fly on an official
        visit to Hungary' is two visits, each with its own type and host (a sentence with two types of
        visit). Visit words with no state or city between them ("arrived ... on an official visit") are
        one visit."""
        # (a visit word inside a person's name is a name: Kyrgyz "Сапар Исаков")
        names = [m for m in ms if m.kind == "person"]
        ms = [m for m in ms if not (m.kind == "cue" and m.id == "trigger:visit" and any(n.start <= m.start and m.end <= n.end for n in names))]
        cues = [m for m in ms if m.kind == "cue" and m.id == "trigger:visit"]
        if not cues:
            return []
        if len({m.id for m in ms if m.kind == "cue" and m.id.startswith("visit:")}) < 2:
            v = self._visit(a, s, ms)  # one visit, however many words tell it
            return [v] if v is not None else []
        groups: list[list[Mention]] = [[cues[0]]]
        for c in cues[1:]:
            between = [m for m in ms if m.kind in ("country", "place") and groups[-1][-1].end <= m.start < c.start]
            if between:
                groups.append([c])
            else:
                groups[-1].append(c)

        def dist(m: Mention, x: Mention) -> int:
            return max(0, x.start - m.end, m.start - x.end)

        out = []
        for k, g in enumerate(groups):
            # the host after the visit word (for the first visit, before it too), up to the next visit
            lo = s.start - 1 if k == 0 else g[0].start
            hi = groups[k + 1][0].start if k + 1 < len(groups) else s.end + 1
            # a type word goes with the visit word nearest to it ("с официальным визитом")
            types = [m for m in ms if m.kind == "cue" and m.id.startswith("visit:")
                     and min(cues, key=lambda x, m=m: dist(m, x)) in g]
            own = [m for m in ms if not (m.kind == "cue" and m.id == "trigger:visit" and m is not g[0])
                   and not (m.kind in ("country", "place") and not lo <= m.start < hi)
                   and not (m.kind == "cue" and m.id.startswith("visit:") and m not in types)]
            v = self._visit(a, s, own, g[0])
            if v is not None:
                out.append(v)
        return out

    def _visit(self, a: Analysis, s: Sentence, ms: list[Mention], cue: Mention | None = None) -> VisitInfo | None:
        cues = [cue] if cue is not None else [m for m in ms if m.kind == "cue" and m.id == "trigger:visit"]
        if not cues:
            return None
        vtype = "unspecified"
        for m in ms:
            if m.kind == "cue" and m.id.startswith("visit:"):
                vtype = m.id.split(":")[1]
        # the visitor: the person nearest before the visit word ("Лавров, прибывший с визитом"; "X посетил"),
        # else the first one after it ("визит ... стал вторым для Лаврова")
        people = [m for m in ms if m.kind == "person" and m.id in a.persons and a.persons[m.id].country]
        before = [m for m in people if m.end <= cues[0].start and not self._inviter(a, s, m, cues[0].start)]
        after = [m for m in people if m.start >= cues[0].end]
        pick = before[-1] if before else (after[0] if after else None)
        visitor = a.persons[pick.id].country if pick else None
        person = pick.id if pick else None
        if pick is None:
            # "Қазақстан Президентінің Бішкекке сапары": a role of a named state tells the visitor, and
            # the document's holder of that office is the person
            roles = [m for m in ms if m.kind == "role" and m.end <= cues[0].start and not a.is_named_role(m)]
            owners = self._role_countries(a, roles[-1]) if roles else []
            if len(owners) == 1:
                visitor = owners[0]
                holders = a.holders(roles[-1].id, visitor)
                person = holders[0].key if holders else None
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
            nxt = a.sentences[s.index + 1:s.index + 2]  # (a sentence's index is its place in the list)
            for m in a.in_sentence(nxt[0], ["place"]) if nxt else []:
                p = self.kb.place_by_id(m.id)
                if p and p.country == host and p.kind == "city":
                    city = m.id
                    break
        dates = [m.attrs["value"] for m in ms if m.kind == "date" and m.attrs["value"].resolved]
        return VisitInfo(vtype, visitor, host, city, cues[0].span, s.index, person, dates[0] if dates else None)

    def _visit_context(self, a: Analysis, cand: Candidate, v: VisitInfo) -> None:
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

    @staticmethod
    def _inviter(a: Analysis, s: Sentence, m: Mention, visit_at: int) -> bool:
        """Whether the person is one who invited ("at the invitation of X, Y and Z ... visited", head-final
        "X-yň çakylygy boýunça"): the host, not the visitor."""
        text = a.doc.text
        head_final = bool(words_of(a.lang).lex.get("title_before_head"))
        for c in a.cues(s.start, s.end, "invitation"):
            if head_final:
                if c.start >= m.end and word_count(text[m.end:c.start]) <= 1:
                    return True
            elif c.end <= m.start and m.end <= visit_at and not re.search(r"[.;!?]", text[c.end:m.start]):
                return True
        return False

    def _announced_visit(self, a: Analysis, s: Sentence, v: VisitInfo, drafts: list[Draft]) -> Draft | None:
        """'The President will pay an official visit to Hungary': an announced visit is a planned
        encounter of the visitor with the host (GUIDE), unless a meeting of this sentence already is it."""
        occ = a.cues(s.start, s.end, "occ:")
        future = any(m.id == "occ:future" for m in occ) and not any(m.id == "occ:past" for m in occ if m.start > v.span[0])
        # "discussed the visit planned for the autumn", "күзге жоспарланған Бішкекке сапары": the visit noun
        # itself is marked as still to come, whatever the tense of the sentence, and a time is told (an
        # undated "upcoming visit" the sides prepare is what they talked about, not an announcement)
        future = future or bool(a.in_sentence(s, ["date"])) and any(
            m.end <= v.span[0] and word_count(a.doc.text[m.end:v.span[0]]) <= 2 for m in a.cues(s.start, s.end, "prospective"))
        pub = a.doc.published
        if v.date and v.date.value_start and pub:
            # (a date that takes in the publication day, "this year", leaves it to the words)
            future = v.date.value_start > pub or future and (v.date.value_end or v.date.value_start) > pub
        if not future or v.person is None:
            return None
        if any({v.visitor, v.host} <= set(d.countries) and d.mode == "in_person" and (d.sentence == s.index or v.person in d.people)
               for d in drafts[-LOOKBACK:]):
            return None  # a meeting of this sentence, or the visit of someone whose meeting is told already (a call
            # of the same sides is another encounter)
        return self._visit_draft(v, "planned", s)

    def _background_visit(self, a: Analysis, s: Sentence, v: VisitInfo, drafts: list[Draft]) -> Draft | None:
        """'The parties noted the official visit of President Erdoğan to Astana in April 2015': a visit
        dated well before the report is an earlier encounter of the visitor with the host (referenced)."""
        if v.person is None or v.date is None or not v.date.resolved or v.date.relative or not v.date.has_year:
            return None
        pub = a.doc.published
        end = v.date.value_end or v.date.value_start
        if pub is not None and (end is None or (pub - end).days <= 7):
            return None
        if not any(d.diplomatic and d.status != "referenced" and {v.visitor, v.host} & set(d.countries) for d in drafts[-LOOKBACK:]):
            return None  # only a visit cited beside the report's own event, of one of its sides
        if any({v.visitor, v.host} <= set(d.countries) and v.person in d.people and d.date is not None
               and d.date.value_start == v.date.value_start for d in drafts[-LOOKBACK:]):
            return None
        return self._visit_draft(v, "referenced", s)

    def _visit_draft(self, v: VisitInfo, status: str, s: Sentence) -> Draft:
        """The encounter of the visitor with the host that a visit is, at the visit's city."""
        d = Draft(status=status, sentence=s.index, trigger_spans=[v.span], date=v.date, diplomatic=True)
        d.people = {v.person: []} if v.person else {}
        d.countries = {v.visitor: [], v.host: []}
        if v.city:
            place = self.kb.place_by_id(v.city)
            if place and place.country == v.host:
                d.location = (v.city, v.span)
        return d
