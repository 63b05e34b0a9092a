"""Stage 2, arguments attached within the clause: parties (states, organisations, the region and its
partner, bodies and formats), people and the roles of nobody named."""

from __future__ import annotations

import re

from kurultai.analyze.base import Analysis, Mention
from kurultai.extract.common import CLAUSE_BREAK, Draft, Trigger, Words, word_count, words_of
from kurultai.kb import C5, KB
from kurultai.kb.gazetteer import APOSTROPHES

# a word, with the apostrophes inside it (Uzbek Latin letters)
_WORD = re.compile(rf"[^\W\d_]+(?:[{re.escape(APOSTROPHES)}][^\W\d_]+)*")
# the level of the people who meet in a generic organ (kb: organisations' bodies)
BODY_LEVEL = {"SUMMIT": "head_of_state", "HGC": "head_of_government", "CFM": "foreign_minister"}


class ArgumentStage:
    kb: KB

    def _parties(self, a: Analysis, scope: list[Mention], d: Draft, trig: Trigger) -> None:
        text = a.doc.text
        region = [m for m in scope if m.kind == "region"]
        countries = [m for m in scope if m.kind == "country"]
        orgs = [m for m in scope if m.kind == "org"]
        # named formats: fixed names, region + partner, body + organisation
        fixed = [m for m in scope if m.kind == "format"]
        if fixed:
            d.named_format = fixed[0].id
            own = fixed[0].id.split(":")[0]
            for o in orgs:
                gap = text[o.end:fixed[0].start] if o.end <= fixed[0].start else ""
                if o.id != own and o.id in self.kb.organizations and self.kb.organizations[o.id].bodies and gap.strip() \
                        and words_of(a.lang).joins(gap):
                    d.coordinated[o.id] = [o.span]
        # the region names the encounter's format only right at its trigger ("встреча глав МИД стран ЦА",
        # "Central Asia + Japan Dialogue"), not as a subject discussed ("security in Central Asia")
        def near(r: Mention, n: int) -> bool:
            gap = text[min(r.end, trig.end):max(r.start, trig.start)]
            return word_count(gap) <= n and not CLAUSE_BREAK.search(gap)

        roles = [m for m in scope if m.kind == "role"]

        def of_role(r: Mention) -> bool:  # "the foreign ministers of Central Asian countries", "глав МИД стран ЦА"
            return any(word_count(text[min(r.end, x.end):max(r.start, x.start)]) <= 3
                       and not CLAUSE_BREAK.search(text[min(r.end, x.end):max(r.start, x.start)]) for x in roles)

        head_final = bool(words_of(a.lang).lex.get("title_before_head"))

        def in_title(r: Mention) -> bool:
            # "the Secretary-General's special representative for Central Asia", "the Assistant
            # Secretary-General for Europe, Central Asia and the Americas": the region an envoy of an
            # organisation is appointed for is part of that person's title, no format of the encounter
            nxt = [x for x in roles if (x.start >= r.end if head_final else x.end <= r.start)]
            if not nxt:
                return False
            x = min(nxt, key=lambda x: abs(x.start - r.start))
            gap = text[r.end:x.start] if head_final else text[x.end:r.start]
            return x.id in ("other", "head_of_organization") and word_count(gap) <= 6 and not CLAUSE_BREAK.search(gap) \
                and not any(m.kind in ("person", "country", "org") for m in a.in_span(*((r.end, x.start) if head_final else (x.end, r.start))))

        # (nor the domain of a title or subject: "консультации по Центральной Азии")
        region = [r for r in region if (near(r, 12) or of_role(r)) and not in_title(r) and not words_of(a.lang).domain_of(text, r.start, r.end)]
        for r in region:
            joined = [(c, text[r.end:c.start] if c.start >= r.end else text[c.end:r.start]) for c in countries + orgs]
            joined = [(c, gap) for c, gap in joined if c.id not in C5 and words_of(a.lang).joins(gap)]
            # a partner joined by a dash or a plus first ("A's idea of the Central Asia–USA summit")
            joined.sort(key=lambda x: not re.search(r"[-–—+]", x[1]))
            for c, _ in joined[:1]:
                d.named_format = d.named_format or f"C5+{c.id}"
        bodies = [m for m in scope if m.kind == "body"]
        for b in bodies:
            for o in orgs:
                gap = text[b.end:o.start] if o.start >= b.end else text[o.end:b.start]
                # (an abbreviation in brackets and an ordinal stand between: "IHTning (IHT) oʻn oltinchi sammiti")
                gap = re.sub(r"\([^()]{0,40}\)", " ", gap)
                if len(_WORD.findall(gap)) <= 2 and not re.search(r"[.;!?]", gap):
                    body = self._organ(o.id, b.id)
                    if body:
                        d.named_format = d.named_format or f"{o.id}:{body}"
                        # "the CIS and CSTO summits": each organisation of the list holds its own
                        for o2 in orgs:
                            if o2.start > o.end and o2.id != o.id and self._organ(o2.id, b.id) == body \
                                    and words_of(a.lang).joins(text[o.end:o2.start]):
                                d.coordinated.setdefault(o2.id, [o2.span])
        # ("встреча министров иностранных дел государств ОТГ": a meeting word right next to the nameless
        # ministers of an organisation's states is the organ where they meet; not "встречи с министрами")
        w = words_of(a.lang)
        # (head-initial, an adjective of the meeting word may stand between: Tajik "мулоқоти солонаи вазирон", the
        # annual meeting of the ministers; never a preposition or a coordinator, "встречи с министрами")
        between_ok = 1 if w.lex.get("title_before_head") is False else 0
        linking = {str(x).lower() for x in [*(w.lex.get("coordinators") or []), *w.place_prepositions]}

        def adjacent(m: Mention) -> bool:
            between = _WORD.findall(text[min(m.end, trig.end):max(m.start, trig.start)])
            return m.start >= trig.end and len(between) <= between_ok and not any(x.lower() in linking for x in between) \
                and not re.search(r"[,.;:!?«»\"()]", text[trig.end:m.start]) \
                or not between and re.fullmatch(r"\s*", text[min(m.end, trig.end):max(m.start, trig.start)]) is not None

        # ("the talks of the CIS heads of state": the summit, told by its talks)
        meeting_of_level = bool(trig.kinds) and trig.kinds <= {"meeting", "talks"} and any(
            m.kind == "role" and not self._role_has_name(a, m) and adjacent(m) for m in scope)
        if d.named_format is None and (trig.kinds & {"session", "summit"} or meeting_of_level) \
                and not trig.kinds & {"reception", "call"} and (meeting_of_level or not trig.kinds & {"meeting", "talks"}):
            # "the SCO summit at the level of heads of government", "the CIS meeting of foreign ministers":
            # the organ of an organisation where people of that level meet (kb: organisations' bodies)
            for o in orgs:
                bodies = self.kb.organizations[o.id].bodies if o.id in self.kb.organizations else {}
                for r in (m for m in scope if m.kind == "role" and m.id in bodies):
                    if word_count(text[min(r.end, trig.end):max(r.start, trig.start)]) <= 4 and \
                            word_count(text[min(o.end, trig.end):max(o.start, trig.start)]) <= 8 and not self._role_has_name(a, r):
                        d.named_format = f"{o.id}:{bodies[r.id]}"
                        break
                if d.named_format:
                    break
        bare = [r for r in region if (near(r, 6) or of_role(r))
                and Words.last_word(text, r.start) not in words_of(a.lang).place_prepositions]
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
        content_after = [m.start for m in scope if m.kind == "cue" and m.id == "content_after"]
        listed_end = -1  # the end of the last organisation read as content: a list goes on after it
        # "on the sidelines of the UN General Assembly", "ШЫҰ саммиті кулуарында": the organisation of the
        # frame hosts what is held beside it, it takes no part (whatever of the sentence the scope holds)
        sent = a.sentences[d.sentence]
        frames = [m.end for m in a.cues(sent.start, sent.end, "sidelines") if m.id == "sidelines"]
        frames_after = [m.start for m in a.cues(sent.start, sent.end, "sidelines_after")]
        for o in orgs:
            if d.named_format and d.named_format.startswith(o.id + ":"):
                pass  # the organisation of the session itself
            elif any(e <= o.start and word_count(text[e:o.start]) <= 6 and not CLAUSE_BREAK.search(text[e:o.start]) for e in content) \
                    or (listed_end >= 0 and words_of(a.lang).joins(text[listed_end:o.start])):
                listed_end = o.end
                continue  # "cooperation within the UN, OSCE and CICA": what is discussed, not who takes part
            elif any(b >= o.end and word_count(text[o.end:b]) <= 2 and not CLAUSE_BREAK.search(text[o.end:b]) for b in content_after):
                continue  # "БҰҰ аясында" (within the UN)
            elif any(e <= o.start and word_count(text[e:o.start]) <= 8 and not CLAUSE_BREAK.search(text[e:o.start]) for e in frames) \
                    or any(b >= o.end and word_count(text[o.end:b]) <= 4 and not CLAUSE_BREAK.search(text[o.end:b]) for b in frames_after):
                continue
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
            if r.attrs.get("country"):
                d.countries.setdefault(r.attrs["country"], []).append(r.span)  # "Председатель КНР": China
            if self._role_has_name(a, r):
                continue
            for iso in self._role_countries(a, r):
                for ref in a.holders(r.id, iso):
                    d.people.setdefault(ref.key, []).append(r.span)
        for pid in d.people:
            ref = a.persons[pid]
            if ref.country and ref.role != "head_of_organization":
                d.countries.setdefault(ref.country, [])
            if ref.organization:
                d.organizations.setdefault(ref.organization, [])
        # "Putin informed Japarov of the settlement of the Ukrainian crisis": a state named only by its
        # adjective, with no person, office or delegation of its own, beside two sides that have their
        # people, qualifies what is discussed
        sides = {a.persons[pid].country for pid in d.people if a.persons[pid].country}
        if len(sides) >= 2:
            lead = [m for m in scope if m.kind in ("role", "person") or m.kind == "cue" and m.id == "delegation"]
            for iso in {c.id for c in countries if c.attrs.get("adj")} - {c.id for c in countries if not c.attrs.get("adj")} - sides:
                owns = any(c.id == iso and any(x.start - c.end >= 0 and word_count(text[c.end:x.start]) <= 2 for x in lead)
                           for c in countries)
                if not owns and not any(r.attrs.get("country") == iso for r in roles):
                    d.countries.pop(iso, None)

    def _organ(self, org: str, body: str) -> str | None:
        """The organ of `org` a body word names: an organisation whose organs the KB lists has only
        those ("the EAEU summit" is its Supreme Eurasian Economic Council, EAEU:SEEC)."""
        organs = self.kb.organizations[org].bodies if org in self.kb.organizations else {}
        if not organs or body in organs.values():
            return body
        return organs.get(BODY_LEVEL.get(body, ""))

    def _non_participant(self, a: Analysis, m: Mention) -> bool:
        text = a.doc.text
        s = a.sentence_at(m.start)
        for c in a.cues(s.start, m.start, "nonpart"):
            gap = text[c.end:m.start]
            # ("according to the press service of the head of state, to Rahmon ...": a comma ends its reach)
            if not re.search(r"[.;!?,]", gap) and len(re.findall(r"[^\W\d_]+", gap)) <= 6:
                return True
        # head-final "Путиннің сапары туралы" (about Putin's visit): the person is what is talked about
        if words_of(a.lang).lex.get("title_before_head") is False:
            # head-initial, the cue is a preposition: "дар бораи сафари сарвазир X" (about the PM X's
            # visit) talks of the person after it, in the same clause; a title that holds the cue
            # ("the special representative for Central Asia X") began before it
            ref = a.persons.get(m.id)
            for c in a.cues(s.start, m.start, "about"):
                gap = text[c.end:m.start]
                titled = ref is not None and any(r0 < c.start and r1 <= m.start and word_count(text[r1:m.start]) <= 8
                                                 for r0, r1 in ref.role_spans)
                if not re.search(r"[.;!?,]", gap) and word_count(gap) <= 10 and not titled:
                    return True
            return False
        for c in a.cues(m.end, s.end, "about"):
            gap = text[m.end:c.start]
            if not re.search(r"[.;!?,]", gap) and word_count(gap) <= 4:
                return True
        return False

    def _role_has_name(self, a: Analysis, r: Mention) -> bool:
        return a.is_named_role(r)

    def _role_owners(self, a: Analysis, r: Mention) -> list[str]:
        """The states of a list that owns a nameless role: "the heads of state of A, B and C", and in
        head-final languages "A, B және C-ның мемлекет басшылары" (a word or two of the role's own may stand
        between the list and the head matched)."""
        text = a.doc.text
        s = a.sentence_at(r.start)

        def joins(gap: str) -> bool:  # commas and coordinators; an item the KB does not know is passed over
            return words_of(a.lang).joins(" ".join(w for w in gap.replace(",", " ").split() if not w[:1].isupper()), 60)

        out: list[str] = []
        if words_of(a.lang).lex.get("title_before_head"):
            pos, first = r.start, True
            for m in reversed(a.in_span(s.start, r.start, ["country", "org", "person", "role"])):
                gap = text[m.end:pos]
                if m.kind != "country" or m.attrs.get("adj") or CLAUSE_BREAK.search(gap) or not (
                        joins(gap) or first and word_count(gap) <= 2 and not re.search(r"[.;:!?«»,]", gap)):
                    break
                out.insert(0, m.id)
                pos, first = m.start, False
            return out
        pos = r.end
        for m in a.in_span(r.end, s.end, ["country", "org", "person", "role", "region"]):
            gap = text[pos:m.start]
            if m.kind != "country" or m.attrs.get("adj") or not (joins(gap) or not out and word_count(gap) <= 2
                                                                 and not re.search(r"[.;:!?«»,]", gap)):
                break
            out.append(m.id)
            pos = m.end
        return out

    def _role_countries(self, a: Analysis, r: Mention) -> list[str]:
        """The countries a nameless role refers to: the country mentions right after it (coordinated),
        or a country adjective right before it ('российского МИД')."""
        text = a.doc.text
        s = a.sentence_at(r.start)
        out: list[str] = []
        if r.attrs.get("country"):
            return [r.attrs["country"]]  # the role names its state
        if words_of(a.lang).lex.get("title_before_head"):
            # head-final languages name the owner first ("Oʻzbekiston Respublikasi Prezidenti")
            prev = [m for m in a.in_span(s.start, r.start, ["country", "org", "person", "role"])][-1:]
            if prev and prev[0].kind == "country" and word_count(text[prev[0].end:r.start]) <= 1 \
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
