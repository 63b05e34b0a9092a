"""Stage 4, status: the tense of the words around a trigger, background cues (the dates are read in
the candidate)."""

from __future__ import annotations

import re

from kurultai.analyze.base import Analysis, Mention
from kurultai.extract.common import Trigger, word_count
from kurultai.kb import KB


class StatusStage:
    kb: KB

    @staticmethod
    def _background(a: Analysis, scope: list[Mention], trig: Trigger) -> bool:
        """'Earlier, the ministers met in Astana': a background cue shortly before the trigger."""
        for m in scope:
            if m.kind == "cue" and m.id == "background" and m.end <= trig.start and word_count(a.doc.text[m.end:trig.start]) <= 10:
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
        pick = min(after, key=lambda m: m.start - trig.end) if after else max(occ, key=lambda m: m.end)
        kind = pick.id.split(":")[1]
        return {"past": "past", "future": "future", "past_participle": "participle", "reported": "reported"}.get(kind, kind)
