"""Stage 5, slots of the current event from the sentences that tell of it: topics, mode, figures,
outcomes (documents adopted or signed)."""

from __future__ import annotations

import re

from kurultai.analyze.base import Analysis, Mention, Sentence
from kurultai.extract.common import MAX_ITEMS, Draft, Words, words_of
from kurultai.kb import KB
from kurultai.kb.lexicon import load_lexicon
from kurultai.models import Figure, Outcome


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


class SlotStage:
    kb: KB

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
            if len(e.figures) < MAX_ITEMS and not any(f.value == fig.value and f.kind == fig.kind and f.indicator == fig.indicator
                                                      for f in e.figures):
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
        if title and len(e.outcomes) < MAX_ITEMS and not any(o.title == title for o in e.outcomes):
            e.outcomes.append(Outcome(type=otype, title=title, evidence=[(start, start + len(title))]))
