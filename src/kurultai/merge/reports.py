"""One document's account of one event (a *report*), and whether two reports are one real event.

Merging compares reports, never stored events: what a report says does not depend on what was stored
before it, so the clustering built from the comparisons (`merge.clusters`) is the same in any order of
ingestion. Everything compared is language-free — KB ids of states, organisations, formats and places,
English names of people — so a Kazakh and an English report of one meeting meet on the same keys.

When a report is placed in time:
- a stated date is the event's date (day, month or year; two day dates agree within a day);
- an undated report is placed by its publication date D and its status: held → D or the week before,
  referenced → before D, planned → D or later; with no publication date either, it could be any day;
- an undated report naming a person in an office (a foreign minister, a president) is also placed
  within that person's term of that office, as the KB knows it.

Two reports cannot be one event (a *conflict*, whatever else agrees) when they come from one document
(the extractor already told its events apart), when their times cannot meet (a dated event never joins
one of another date; a plan of a later date is not the meeting held today), when the mode, the named
format or the place differ, when one is planned and the other referenced, when one is a session of a
format or of three sides or more and the other a meeting of two (the bilateral held beside a summit is
its own event),
or, for meetings without a named format, when each names someone the other does not and they share
fewer than two people (two meetings the same day), or both are of two sides and the second side differs
(the minister met two ambassadors that day).

Otherwise their *score* adds the evidence: people named in both, the named format, shared parties, the
place, the same stated day (a month or a year is no evidence), the topics, and copies of one wire
(MinHash). A score counts only with an
anchor — a shared person, the named format or two shared parties — and above a threshold that is higher
when no stated date fixes the day: two undated reports must agree on two people, or on a format and its
parties; and two reports of which neither says when (no date, no publication date) join only as copies
of one text: the same people meet again, the same council sits every year.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import combinations

from kurultai.models import Event

SHORT_SPAN = 62  # days within which a report's possible days are indexed by month
TOLERANCE = 1  # days by which two stated dates of one event may differ (time zones, late reports)
HELD_LAG = 7  # days before its publication an undated held report may be about
TENURE_MARGIN = 30  # days around a KB term within which the office holder may still be named so
THRESHOLD_DATED = 1.5  # score needed to join when both reports state a date
THRESHOLD_UNDATED = 2.0  # score needed otherwise
PLAN_UNPROVEN = 0.5  # taken from the score of a planned and a held report not both dated
STATUS_RANK = {"held": 3, "referenced": 2, "planned": 1}


def person_key(name_en: str) -> str:
    """The key of a person across languages and transliterations: the surname in ASCII."""
    text = unicodedata.normalize("NFKD", name_en).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z]+", text)
    return words[-1] if words else ""


@dataclass(frozen=True)
class Report:
    """What comparing needs of one report; `key` orders reports the same way in every store."""

    key: str
    document: int
    status: str
    mode: str
    named_format: str | None
    location: str | None
    dated: bool
    lo: int | None  # the first and last day (ordinals) the event can be on; None: unbounded
    hi: int | None
    parties: frozenset[str]
    countries: frozenset[str]
    people: frozenset[str]
    topics: frozenset[str] = field(default_factory=frozenset)
    signature: bytes | None = None  # of the document (copies of one wire)
    placed: bool = True  # the text or its publication date says when (a KB term alone does not)

    def anchors(self) -> list[str]:
        """What a report must share with another to join it (every anchor of `compare` is one)."""
        out = [f"p:{p}" for p in sorted(self.people)]
        if self.named_format:
            out.append(f"f:{self.named_format}")
        out += [f"b:{a}|{b}" for a, b in combinations(sorted(self.parties), 2)]
        return out

    def months(self) -> list[str] | None:
        """The months (YYYY-MM) the report's days fall in, widened by the tolerance of a day; None when
        its days are not within a short span (undated, announced for later, cited as earlier)."""
        if self.lo is None or self.hi is None or self.hi - self.lo > SHORT_SPAN:
            return None
        first, last = dt.date.fromordinal(self.lo - TOLERANCE), dt.date.fromordinal(self.hi + TOLERANCE)
        out, m = [], (first.year, first.month)
        while m <= (last.year, last.month):
            out.append(f"{m[0]:04d}-{m[1]:02d}")
            m = (m[0] + (m[1] == 12), m[1] % 12 + 1)
        return out

    def keys(self) -> list[str]:
        """The keys a report is stored under: each anchor with each month of its days, or with "*" when
        its days are not within a short span, so that finding candidates reads only the reports of
        those months (and the open-ended ones), never every report of a person met for years."""
        months = self.months() or ["*"]
        return [f"{a}@{m}" for a in self.anchors() for m in months]

    def probes(self) -> tuple[list[str], list[str]]:
        """(keys, key prefixes) under which the stored reports that may join this one are found."""
        months = self.months()
        if months is None:
            return [], [f"{a}@" for a in self.anchors()]
        return [f"{a}@{m}" for a in self.anchors() for m in [*months, "*"]], []


def window(ev: Event, published: dt.date | None) -> tuple[bool, int | None, int | None]:
    """(dated, first day, last day) of the days `ev` can be on."""
    if ev.date:
        return True, ev.date.start.toordinal(), ev.date.end.toordinal()
    lo = hi = None
    if published is not None:
        day = published.toordinal()
        if ev.status == "held":
            lo, hi = day - HELD_LAG, day
        elif ev.status == "referenced":
            hi = day
        else:
            lo = day
    for start, end in tenures(ev):  # a foreign minister named as such met while in office
        if start is not None and (lo is None or start > lo) and (hi is None or start <= hi):
            lo = start
        if end is not None and (hi is None or end < hi) and (lo is None or end >= lo):
            hi = end
    return False, lo, hi


def tenures(ev: Event) -> list[tuple[int | None, int | None]]:
    """The KB's terms of the participants named in their office (the role given), as day ordinals, a
    little wider than the KB's dates (news names an office from the day of appointment)."""
    from kurultai.kb import load_kb

    kb = load_kb()
    out = []
    for p in ev.participants:
        if p.role == "other":
            continue
        term = kb.tenure(p.name_en, p.role, p.country)
        if term:
            start, end = term
            out.append((start.toordinal() - TENURE_MARGIN if start else None,
                        end.toordinal() + TENURE_MARGIN if end else None))
    return out


def report_of(ev: Event, key: str, document: int, published: dt.date | None, signature: bytes | None = None) -> Report:
    dated, lo, hi = window(ev, published)
    people = frozenset(k for k in (person_key(p.name_en) for p in ev.participants) if k)
    return Report(key=key, document=document, status=ev.status, mode=ev.mode, named_format=ev.named_format,
                  location=ev.location.name if ev.location else None, dated=dated, lo=lo, hi=hi,
                  parties=frozenset(ev.countries) | frozenset(ev.organizations), countries=frozenset(ev.countries),
                  people=people, topics=frozenset(ev.topics), signature=signature,
                  placed=dated or published is not None)


@dataclass(frozen=True)
class Comparison:
    conflict: str | None  # why the two cannot be one event
    score: float = 0.0  # the evidence that they are (0 unless it reaches the threshold)
    basis: tuple[str, ...] = ()

    @property
    def joins(self) -> bool:
        return self.conflict is None and self.score > 0


APART = Comparison(None)


def times_meet(a: Report, b: Report) -> bool:
    tol = TOLERANCE if a.dated and b.dated else 0
    return ((a.lo is None or b.hi is None or a.lo <= b.hi + tol)
            and (b.lo is None or a.hi is None or b.lo <= a.hi + tol))


def conflict(a: Report, b: Report) -> str | None:
    if a.document == b.document:
        return "one document"
    if a.mode != b.mode:
        return "mode"
    if a.named_format and b.named_format and a.named_format != b.named_format:
        return "named format"
    if a.location and b.location and a.location != b.location:
        return "place"
    if {a.status, b.status} == {"planned", "referenced"}:
        return "status"
    if not times_meet(a, b):
        return "date"
    if not (a.named_format and b.named_format):
        small, big = sorted((a, b), key=lambda r: (len(r.parties), bool(r.named_format)))
        if len(small.parties) <= 2 and not small.named_format and (len(big.parties) > 2 or big.named_format):
            return "session"  # a meeting of two sides is not the session it may be held beside
    if not (a.named_format or b.named_format):
        if (a.people - b.people and b.people - a.people and len(a.people & b.people) < 2):
            return "people"
        if len(a.parties) == 2 and len(b.parties) == 2 and a.parties != b.parties:
            return "sides"
    return None


def compare(a: Report, b: Report, copies: float = 0.0) -> Comparison:
    """Whether `a` and `b` are one event; `copies` is the similarity of their documents' texts."""
    why = conflict(a, b)
    if why:
        return Comparison(why)
    shared_people = a.people & b.people
    shared_parties = a.parties & b.parties
    same_format = bool(a.named_format and a.named_format == b.named_format)
    if not (shared_people or same_format or len(shared_parties) >= 2):
        return APART  # no anchor
    score, basis = 0.0, []
    if shared_people:
        score += min(3, len(shared_people))
        basis.append(f"people {len(shared_people)}")
    if same_format:
        score += 1.5
        basis.append("format")
    if a.parties and b.parties:
        overlap = len(shared_parties) / min(len(a.parties), len(b.parties))
        score += overlap
        if overlap:
            basis.append(f"parties {overlap:.2f}")
    if a.location and a.location == b.location:
        score += 0.5
        basis.append("place")
    both_dated = a.dated and b.dated
    if both_dated and _one_day(a) and _one_day(b):
        score += 1.0
        basis.append("date")
    if a.topics and b.topics:
        jac = len(a.topics & b.topics) / len(a.topics | b.topics)
        score += 0.3 * jac
    if copies >= 0.5:
        score += 2.0 * copies
        basis.append(f"copies {copies:.2f}")
    if "planned" in (a.status, b.status) and a.status != b.status and not both_dated:
        score -= PLAN_UNPROVEN  # a plan is the meeting held when their dates say so, or more agrees
        basis.append("plan undated")
    if not (a.placed or b.placed) and copies < 0.5:
        return APART  # neither says when: the same people meet again, the same council sits every year
    if score < (THRESHOLD_DATED if both_dated else THRESHOLD_UNDATED):
        return APART
    return Comparison(None, round(score, 3), tuple(basis))


def _one_day(r: Report) -> bool:
    """A stated date of a day (or two), not a month or a year."""
    return r.lo is not None and r.hi is not None and r.hi - r.lo <= 1


def confidence(score: float) -> float:
    """A join's score as a confidence in [0, 1] (the threshold is about 0.5, four signs agree at 0.9)."""
    if score == float("inf"):  # an analyst's decision
        return 1.0
    return round(score / (score + THRESHOLD_UNDATED), 3) if score > 0 else 0.0
