"""Stage 1, encounter mentions: the triggers of a sentence (meeting, talks, reception, call, video
conference, session, summit words and verbs, bodies and formats), adjacent ones joined."""

from __future__ import annotations

import re

from kurultai.analyze.base import Analysis, Mention, Sentence
from kurultai.extract.common import EVENT_TRIGGERS, MEETING_KINDS, SESSION_KINDS, Trigger, Words, words_of
from kurultai.kb import KB


class MentionStage:
    kb: KB

    def _triggers(self, a: Analysis, s: Sentence, ms: list[Mention]) -> list[Trigger]:
        text = a.doc.text
        items = []
        # a session word inside an organisation's name is no session ("Turkic Council", "Council of Europe")
        org_spans = [(m.start, m.end) for m in ms if m.kind == "org"]
        for m in ms:
            if m.kind == "cue" and m.id.startswith(("trigger:", "verb:")):
                kind = m.id.split(":")[1]
                if kind not in EVENT_TRIGGERS:
                    continue
                if kind == "session" and any(a0 <= m.start and m.end <= b0 and (a0, b0) != (m.start, m.end) for a0, b0 in org_spans):
                    continue
                if kind == "reception" and self._not_reception(a, s, m):
                    continue
                items.append(Trigger(m.start, m.end, {kind}, m.id.startswith("verb:"), [m.span]))
            elif m.kind in ("body", "format"):
                items.append(Trigger(m.start, m.end, {"session"}, False, [m.span]))
        items.sort(key=lambda t: t.start)
        # "within the summit he will also hold a bilateral meeting with X": a bilateral word before a
        # meeting word tells an encounter of its own, not the session named just before
        bilateral = [m.start for m in ms if m.kind == "cue" and m.id == "bilateral"]
        merged: list[Trigger] = []
        for t in items:
            if merged:
                prev = merged[-1]
                gap = text[prev.end:t.start]
                apart = bool(prev.kinds & SESSION_KINDS) and bool(t.kinds & MEETING_KINDS) and any(prev.end <= b < t.start for b in bilateral)
                # "in the SCO summit and in the meeting of the CSTO council": two sessions coordinated
                joiner = next((prev.end + w.start() for w in re.finditer(r"[^\W\d_]+", gap)
                               if w.group().lower() in words_of(a.lang).coordinators), -1)
                coordinated = bool(prev.kinds & SESSION_KINDS) and bool(t.kinds & (SESSION_KINDS | {"meeting"})) and not prev.verb \
                    and not t.verb and joiner >= 0 and len(re.findall(r"\w+", gap)) <= 5
                if coordinated:
                    t.coordinated_at = joiner
                apart = apart or coordinated
                # ("talks on the eve of the summit", "on the eve of the summit in Tashkent they held talks":
                # two encounters, not one)
                eve = any(prev.end <= m.start and m.end <= t.start for m in a.cues(prev.end, t.start, "eve")) or (
                    not words_of(a.lang).lex.get("title_before_head") and t.verb != prev.verb and any(
                        len(re.findall(r"\w+", text[m.end:prev.start])) <= 3 for m in a.cues(s.start, prev.start, "eve")))
                if t.start <= prev.end or (not apart and not eve and not re.search(r"[,.;:!?«»\"]", gap) and len(re.findall(r"\w+", gap)) <= 4):
                    prev.end = max(prev.end, t.end)
                    prev.kinds |= t.kinds
                    prev.verb = prev.verb or t.verb
                    prev.spans.extend(t.spans)
                    continue
            merged.append(t)
        return merged

    def _not_reception(self, a: Analysis, s: Sentence, m: Mention) -> bool:
        """'принял' receives a person; 'принял участие' or 'приняли заявление' is something else, and so
        is a decision adopted in a language that puts the object before its verb ('чечим кабыл алынат')."""
        stops = words_of(a.lang).not_reception or ("\0",)
        after = Words.first_word(a.doc.text[m.end:s.end])
        before = Words.last_word(a.doc.text[s.start:m.start], m.start - s.start)
        if after and after.startswith(stops) or before and before.startswith(stops):
            return True
        if a.cues(s.start, s.end, "outcome:"):
            return True
        people = [x for x in a.in_sentence(s, ["person", "role"])]
        return not people
