"""Stage 4, status: the tense of the words around a trigger, background cues (the dates are read in
the candidate)."""

from __future__ import annotations

import re

from kurultai.analyze.base import Analysis, Mention
from kurultai.extract.common import CLAUSE_BREAK, Trigger, word_count, words_of
from kurultai.kb import KB


class StatusStage:
    kb: KB

    @staticmethod
    def _background(a: Analysis, scope: list[Mention], trig: Trigger) -> bool:
        """'Earlier, the ministers met in Astana': a background cue shortly before the trigger."""
        for m in scope:
            # (a cue may reach into the trigger's words: "had held" of "had held talks")
            if m.kind == "cue" and m.id == "background" and m.start < trig.start and word_count(a.doc.text[m.end:trig.start]) <= 10:
                return True
        return False

    @staticmethod
    def _tense(trig: Trigger, occ: list[Mention], text: str = "") -> str | None:
        # "came to take part in the session", "said during the meeting": the purpose or the frame asserts
        # the encounter, the main verb has the tense
        occ = [m for m in occ if m.id not in ("occ:purpose", "occ:frame")] or []
        if not occ:
            return None
        # a participle right before the noun ("прошедшая встреча", "boʻlib oʻtgan sammit") qualifies it
        for m in occ:
            if m.id == "occ:past_participle" and m.end <= trig.start and len(re.findall(r"\w+", text[m.end:trig.start])) <= 1:
                return "participle"
        after = [m for m in occ if m.start >= trig.end]
        # (of two readings of one verb form, "had met" wins over "met": "uchrashgan edi")
        pick = min(after, key=lambda m: (m.start - trig.end, m.id != "occ:reported")) if after \
            else max(occ, key=lambda m: (m.end, m.id == "occ:reported"))
        kind = pick.id.split(":")[1]
        return {"past": "past", "future": "future", "past_participle": "participle", "reported": "reported"}.get(kind, kind)

    @staticmethod
    def _eve(a: Analysis, lo: int, hi: int, trig: Trigger) -> Mention | None:
        """'накануне заседания СМИД', 'ШЫҰ саммиті қарсаңында' (on the eve of the session): an eve word
        right before the encounter word, or right after it in head-final languages, that is no date."""
        if trig.verb:
            return None
        text = a.doc.text
        head_final = bool(words_of(a.lang).lex.get("title_before_head"))
        dates = a.in_span(lo, hi, ["date"])
        for m in a.cues(lo, hi, "eve"):
            if any(d.start < m.end and m.start < d.end for d in dates):
                continue  # "накануне" read as the day before
            gap = text[trig.end:m.start] if head_final else text[m.end:trig.start]
            if (m.start >= trig.end if head_final else m.end <= trig.start) and word_count(gap) <= 3 \
                    and not CLAUSE_BREAK.search(gap) and "," not in gap:
                return m
        return None

    @staticmethod
    def _session_name(a: Analysis, lo: int, hi: int, trig: Trigger, eve: Mention) -> list[Mention]:
        """The mentions that name an encounter: those inside its words and the chain of names right after
        them (before them in head-final languages), and between the eve word and them: "накануне саммита
        ШОС", "заседания СМИД ОДКБ", "ШЫҰ СІМК отырысы қарсаңында"."""
        text = a.doc.text
        head_final = bool(words_of(a.lang).lex.get("title_before_head"))
        kinds = ("org", "body", "format", "region", "country", "place")
        own = a.in_span(trig.start, trig.end, kinds) if head_final else a.in_span(eve.end, trig.end, kinds)
        out: list[Mention] = []
        if head_final:
            pos = trig.start
            for m in reversed(a.in_span(lo, trig.start, [*kinds, "person", "role"])):
                gap = text[m.end:pos]
                # (the level of a head-final name: "Döwlet baştutanlarynyň Sammiti", the heads of state's summit)
                if m.kind not in (*kinds, "role") or word_count(gap) > 2 or CLAUSE_BREAK.search(gap) or "," in gap \
                        or m.kind == "role" and a.is_named_role(m):
                    break
                out.insert(0, m)
                pos = m.start
        else:
            pos = trig.end
            for m in a.in_span(trig.end, hi, [*kinds, "person", "role"]):
                gap = text[pos:m.start]
                if m.kind not in kinds or word_count(gap) > 2 or CLAUSE_BREAK.search(gap) or "," in gap:
                    break
                out.append(m)
                pos = m.end
        return own + out
