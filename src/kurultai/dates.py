"""Dates in text: candidate spans found by the project's own rules, normalised against a base date.

Natasha's date rules misread "12.05.21" (1921), miss "29/06/2025" and lose the start of
"2-8 сентября 2018г."; dateparser over whole texts is noisy. So spans are found here with explicit
patterns built from each language's month names (lexicon data), their components are read directly,
and dateparser (DMY order, the publication date as base) only normalises a candidate the rules
recognise as a date but cannot read themselves.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kurultai.kb.lexicon import Lexicon
from kurultai.spans import Taken

WORD = r"[^\W\d_]"


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    value_start: dt.date | None  # None when it cannot be resolved (relative date, no base)
    value_end: dt.date | None
    precision: str  # day | month | year
    relative: bool = False
    has_year: bool = True
    offset: int | None = None  # a relative date's offset from the publication day (days; years for year words)
    # (month, day) of a day without its year that no publication date resolves ("14 июня"): the order of
    # two such days is still known
    month_day: tuple[int, int] | None = None
    # a day named by its weekday (0 = Monday): the last such day up to the publication day; an announced
    # event takes the next one (`forward`)
    weekday: int | None = None

    def forward(self, base: dt.date | None) -> DateMention:
        """The date of an announced event: a weekday is the next such day from the publication day ("will
        meet on Friday"), a month without its year that is over by then is next year's ("in March")."""
        if self.value_start is None or self.value_end is None:
            return self
        if self.weekday is not None and self.offset:
            d = self.value_start + dt.timedelta(days=7)
            return replace(self, value_start=d, value_end=d, offset=self.offset + 7)
        if not self.has_year and not self.relative and base and self.value_end < base:
            return replace(self, value_start=_shift_year(self.value_start, 1), value_end=_shift_year(self.value_end, 1))
        return self

    def backward(self, base: dt.date | None) -> DateMention:
        """The date of an encounter told as past: a day or month without its year that is still to come
        at the publication day is last year's ("met in November", published in February)."""
        if not self.has_year and not self.relative and base and self.value_start and self.value_end and self.value_start > base:
            return replace(self, value_start=_shift_year(self.value_start, -1), value_end=_shift_year(self.value_end, -1))
        return self

    @property
    def resolved(self) -> bool:
        return self.value_start is not None


def _shift_year(d: dt.date, by: int) -> dt.date:
    return _safe(d.year + by, d.month, d.day) or dt.date(d.year + by, d.month, 28)


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        return 2000 + n if n < 70 else 1900 + n
    return n


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


@lru_cache(maxsize=16)
def _patterns(lex: Lexicon) -> dict[str, re.Pattern[str]]:
    alts = []
    for stems in lex.months:
        alts.extend(stems)
    month = "(?P<month>" + "|".join(sorted((re.escape(s) for s in alts), key=len, reverse=True)) + rf"){WORD}*"
    month2 = month.replace("?P<month>", "?P<month2>")
    yw = "|".join(sorted((re.escape(w) for w in lex.year_words), key=len, reverse=True))
    yword = rf"(?:\s*(?:{yw})\b\.?)?" if yw else ""
    # a year word may stand before the year too (Tajik "октябри соли 2017", "12 майи соли 2020")
    ybefore = rf"(?:(?:{yw})\.?\s+)?" if yw else ""
    # an ordinal ending after the day stands alone before the month ("24-nji maýynda", "5-уми сентябр")
    ordinal = rf"(?:\s?-\s?{WORD}{{1,5}}(?=\s))?"  # (Tajik news also space it: "31 - уми август")
    day = rf"(?P<day>\d{{1,2}}){ordinal}(?:\s*(?:-|–|—|по|до)\s*(?P<day2>\d{{1,2}}))?"
    ysuffix = rf"[-–]?{WORD}*"  # Turkic "2020-жылы", "2021-жылдын"
    return {
        # 12.05.21, 29/06/2025, 12.05.2021
        "numeric": re.compile(r"(?<![\d.,/])(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4}|\d{2})(?![\d/]|\.\d)"),
        "iso": re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d-])"),
        # 2-8 сентября 2018г.; 15 Қазан, 2020; 12-майында; 4-dekabr; 2 апреля - 3 мая 2019 года
        "dmy": re.compile(
            rf"(?<![\w\d]){day}[-\s]*(?:{month})(?:\s*[-–—]\s*(?P<dayb>\d{{1,2}})[-\s]*(?:{month2}))?"
            rf"(?:,?\s*{ybefore}(?P<year>(?:19|20)\d{{2}}){ysuffix}{yword})?",
            re.IGNORECASE,
        ),
        # 2020 жылғы 15 қазанда; 2021-жылдын 12-майында; 2025-yil 4-dekabr; 2020-nji ýylyň 24-nji maýynda
        "ydm": re.compile(
            rf"(?<![\w\d])(?P<year>(?:19|20)\d{{2}})(?:[-\s]*{WORD}+){{0,2}}\s+(?P<day>\d{{1,2}}){ordinal}[-\s]*(?:{month})",
            re.IGNORECASE,
        ),
        # May 12, 2021
        "mdy": re.compile(rf"(?<![\w\d])(?:{month})\.?\s+(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:,?\s*(?P<year>(?:19|20)\d{{2}}))?", re.IGNORECASE),
        # в мае 2021 года; May 2021
        "my": re.compile(rf"(?<![\w\d])(?:{month})\s+{ybefore}(?P<year>(?:19|20)\d{{2}}){ysuffix}{yword}", re.IGNORECASE),
        # 2025-yil iyul oyida; 2024 жылғы қазан
        # (Turkmen "2022-nji ýylyň maýynda": the ordinal and the year word between)
        "ym": re.compile(rf"(?<![\w\d])(?P<year>(?:19|20)\d{{2}})(?:[-\s]*{WORD}+){{0,2}}\s+(?:{month})", re.IGNORECASE),
        # в 2018 году; 2018 жылы
        "y": re.compile(rf"(?<![\w\d.,/-])(?P<year>(?:19|20)\d{{2}})(?:{ysuffix})?\s*(?:{yw})\b\.?", re.IGNORECASE)
        if yw
        # a language without year words names a year after its preposition ("in 2018", "since 2019")
        else re.compile(rf"(?<![\w\d])(?:{'|'.join(re.escape(str(w)) for w in lex.get('year_prepositions') or [])})\s+"
                        r"(?P<year>(?:19|20)\d{2})(?![\w\d/-]|[.,]\d)", re.IGNORECASE)
        if lex.get("year_prepositions")
        else re.compile(r"(?!x)x"),
        # a month without its year, in the phrases the lexicon gives ("в марте", "наурыз айында", "mart oyida")
        "m": re.compile("|".join(rf"(?<![\w\d])(?:{re.escape(str(p)).replace(re.escape('{month}'), month.replace('?P<month>', '?:'))})(?![\w\d])"
                                 for p in lex.get("month_phrases") or []) or r"(?!x)x", re.IGNORECASE),
    }


MAX_MONTH_TAIL = 5  # a month stem takes an ending ("сентябр|я", "май|ында"), not the rest of a word


def _month_of(lex: Lexicon, word: str) -> int | None:
    """The month a word names: it starts with a month stem, is not longer than the stem plus an ending
    (unless it is a listed full form), and is not one of the language's look-alikes ("marta": twice)."""
    w = re.match(r"[^\W\d_]+", word.lower())
    w_ = w.group() if w else ""
    if w_ in {str(x).lower() for x in lex.get("not_months") or []}:
        return None
    best, best_len = None, 0
    for i, stems in enumerate(lex.months, start=1):
        low = [x.lower() for x in stems]
        for s in low:
            if not w_.startswith(s) or len(s) <= best_len or len(w_) - len(s) > MAX_MONTH_TAIL:
                continue
            # an abbreviation ("dec", "mar") is a month only alone or as its full form, not "decisions"
            if any(len(x) > len(s) and x.startswith(s) for x in low) and w_ != s and not any(w_.startswith(x) for x in low if len(x) > len(s)):
                continue
            best, best_len = i, len(s)
    return best


_LETTERS = re.compile(r"[^\W\d_]+")


def _word_at(text: str, pos: int) -> str:
    m = _LETTERS.match(text, pos)  # (not `text[pos:]`: a copy of the rest of the text per date)
    return m.group() if m else ""


def find_dates(text: str, lex: Lexicon, base: dt.date | None) -> list[DateMention]:
    """Every date expression in `text`, resolved against `base` (the publication date) where needed."""
    pats = _patterns(lex)
    found: list[DateMention] = []
    taken = Taken(len(text))

    def add(m: DateMention) -> None:
        if taken.free(m.start, m.end):
            found.append(m)
            taken.take(m.start, m.end)

    for m in pats["iso"].finditer(text):
        d = _safe(int(m["year"]), int(m["month"]), int(m["day"]))
        if d:
            add(DateMention(m.start(), m.end(), m.group(), d, d, "day"))
    for m in pats["numeric"].finditer(text):
        d = _safe(_year(m["year"]), int(m["month"]), int(m["day"]))
        if d:
            add(DateMention(m.start(), m.end(), m.group(), d, d, "day"))
    for m in pats["ydm"].finditer(text):
        mon = _month_of(lex, _word_at(text, m.start("month")))
        d = _safe(int(m["year"]), mon or 0, int(m["day"])) if mon else None
        if d:
            add(DateMention(m.start(), m.end(), m.group(), d, d, "day"))
    for m in pats["dmy"].finditer(text):
        mon = _month_of(lex, _word_at(text, m.start("month")))
        if not mon:
            continue
        mon2 = _month_of(lex, _word_at(text, m.start("month2"))) if m["month2"] else None
        has_year = bool(m["year"])
        year = int(m["year"]) if has_year else (base.year if base else None)
        if year is None:
            add(DateMention(m.start(), m.end(), m.group().rstrip(), None, None, "day", has_year=False,
                            month_day=(mon, int(m["day"])) if _safe(2000, mon, int(m["day"])) else None))
            continue
        start = _safe(year, mon, int(m["day"]))
        if m["dayb"] and mon2:
            end = _safe(year, mon2, int(m["dayb"]))
        elif m["day2"]:
            end = _safe(year, mon, int(m["day2"]))
        else:
            end = start
        if start and end and end >= start:
            add(DateMention(m.start(), m.end(), m.group().rstrip(), start, end, "day", has_year=has_year))
    for m in pats["mdy"].finditer(text):
        mon = _month_of(lex, _word_at(text, m.start("month")))
        if not mon:
            continue
        has_year = bool(m["year"])
        year = int(m["year"]) if has_year else (base.year if base else None)
        d = _safe(year, mon, int(m["day"])) if year else None
        if d or not has_year:
            add(DateMention(m.start(), m.end(), m.group(), d, d, "day", has_year=has_year,
                            month_day=(mon, int(m["day"])) if d is None and _safe(2000, mon, int(m["day"])) else None))
    for m in list(pats["my"].finditer(text)) + list(pats["ym"].finditer(text)):
        mon = _month_of(lex, _word_at(text, m.start("month")))
        if mon:
            y = int(m["year"])
            last = calendar.monthrange(y, mon)[1]
            add(DateMention(m.start(), m.end(), m.group().rstrip(), dt.date(y, mon, 1), dt.date(y, mon, last), "month"))
    for m in pats["y"].finditer(text):
        y = int(m["year"])
        add(DateMention(m.start(), m.end(), m.group().rstrip(), dt.date(y, 1, 1), dt.date(y, 12, 31), "year"))
    for m in pats["m"].finditer(text):
        # (the month word is the phrase's word that names a month)
        mon = next((x for x in (_month_of(lex, w.group()) for w in _LETTERS.finditer(m.group())) if x), None)
        if mon and base:
            last = calendar.monthrange(base.year, mon)[1]
            add(DateMention(m.start(), m.end(), m.group(), dt.date(base.year, mon, 1), dt.date(base.year, mon, last), "month",
                            has_year=False))
        elif mon:
            add(DateMention(m.start(), m.end(), m.group(), None, None, "month", has_year=False))
    # relative expressions
    for phrase, offset in lex.relative_years.items():
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE):
            if base:
                y = base.year + int(offset)
                add(DateMention(m.start(), m.end(), m.group(), dt.date(y, 1, 1), dt.date(y, 12, 31), "year", relative=True,
                                offset=int(offset)))
            else:
                add(DateMention(m.start(), m.end(), m.group(), None, None, "year", relative=True, offset=int(offset)))
    for phrase, offset in lex.relative_months.items():
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE):
            if base:
                y, mon = divmod(base.year * 12 + base.month - 1 + int(offset), 12)
                last = calendar.monthrange(y, mon + 1)[1]
                add(DateMention(m.start(), m.end(), m.group(), dt.date(y, mon + 1, 1), dt.date(y, mon + 1, last), "month",
                                relative=True, offset=int(offset)))
            else:
                add(DateMention(m.start(), m.end(), m.group(), None, None, "month", relative=True, offset=int(offset)))
    for i, phrases in enumerate(lex.weekdays):
        for phrase in phrases:
            tail = r"[^\W\d_]{0,4}" if phrase.endswith("*") else ""
            for m in re.finditer(rf"(?<!\w){re.escape(phrase.rstrip('*'))}{tail}(?!\w)", text, re.IGNORECASE):
                back = (base.weekday() - i) % 7 if base else None
                d = base - dt.timedelta(days=back) if base and back is not None else None
                # "on Friday, 12 May": the day beside it says it
                if not any(f.precision == "day" and not f.relative and (0 <= m.start() - f.end <= 15 or 0 <= f.start - m.end() <= 15)
                           for f in found):
                    add(DateMention(m.start(), m.end(), m.group(), d, d, "day", relative=True,
                                    offset=-back if back is not None else None, weekday=i))
    for word, offset in lex.relative_days.items():
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
            d = base + dt.timedelta(days=int(offset)) if base else None
            add(DateMention(m.start(), m.end(), m.group(), d, d, "day", relative=True, offset=int(offset)))
    found.sort(key=lambda x: x.start)
    return _with_relative_year(found, text, base)


def _with_relative_year(found: list[DateMention], text: str, base: dt.date | None) -> list[DateMention]:
    """A day or month without its year right beside a relative year ("в марте этого года", "биыл 3
    қарашада", "in March this year") is one date of that year."""
    out: list[DateMention] = []
    i = 0
    while i < len(found):
        m = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and re.fullmatch(r"[\s,]{0,3}", text[m.end:nxt.start]):
            pair = (m, nxt) if not m.has_year and not m.relative else (nxt, m)
            day, year = pair
            if not day.has_year and not day.relative and day.precision in ("day", "month") and year.relative and year.precision == "year":
                merged = DateMention(m.start, nxt.end, text[m.start:nxt.end], day.value_start, day.value_end, day.precision,
                                     has_year=True, month_day=day.month_day)
                if base is not None and day.value_start and day.value_end and year.offset is not None:
                    y = base.year + year.offset
                    merged = replace(merged, value_start=_safe(y, day.value_start.month, day.value_start.day) or day.value_start,
                                     value_end=_safe(y, day.value_end.month, day.value_end.day) or day.value_end)
                elif base is None:
                    merged = replace(merged, has_year=False)
                out.append(merged)
                i += 2
                continue
        out.append(m)
        i += 1
    return out


def normalise_with_dateparser(span: str, lang: str, base: dt.date | None) -> dt.date | None:
    """Fallback for a candidate span the rules found but could not read (e.g. 'the 12th of May 2021')."""
    import dateparser

    settings: dict = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if base:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    try:
        value = dateparser.parse(span, languages=[lang], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return value.date() if value else None


# -- dates as written ---------------------------------------------------------------------------------
# A stored date is a range (start, end) with its precision: "in 2025" is 2025-01-01 .. 2025-12-31 of
# precision year. Shown or exported, it is what was written ("2025", "March 2025"), never a day.
PRECISIONS = ("day", "month", "year")
PRECISION_RANK = {p: i for i, p in enumerate(PRECISIONS)}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def iso_as_written(day: dt.date | str, precision: str | None) -> str:
    """ISO 8601 at the date's precision: "2025", "2025-03" or "2025-03-12" (sorts like the dates)."""
    d = _as_date(day)
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def date_text(start: dt.date | str, end: dt.date | str | None, precision: str | None) -> str:
    """A date range as a reader says it: "2025-03-12", "2025-03-12 – 2025-03-14", "March 2025",
    "March – April 2025", "2025", "2025 – 2026"."""
    a = _as_date(start)
    b = _as_date(end) if end else a
    if precision == "year":
        return f"{a.year}" if b.year == a.year else f"{a.year} – {b.year}"
    if precision == "month":
        first = f"{MONTH_NAMES[a.month - 1]} {a.year}"
        if (b.year, b.month) == (a.year, a.month):
            return first
        if b.year == a.year:
            return f"{MONTH_NAMES[a.month - 1]} – {MONTH_NAMES[b.month - 1]} {a.year}"
        return f"{first} – {MONTH_NAMES[b.month - 1]} {b.year}"
    return a.isoformat() if b == a else f"{a.isoformat()} – {b.isoformat()}"


def as_written(start: dt.date | str, precision: str | None) -> str:
    """One date (a first or last meeting) as a reader says it: "2025-03-12", "March 2025", "2025"."""
    return date_text(start, None, precision)


def date_dict(start: dt.date, end: dt.date | None, precision: str | None) -> dict:
    """A stored event's date: its range, precision and the range as written ("2025", "March 2025")."""
    return {"start": start.isoformat(), "end": end.isoformat() if end else None, "precision": precision,
            "text": date_text(start, end, precision)}


def iso_text(value: str | None) -> str:
    """ISO 8601 at any precision ("2025", "2025-03", "2025-03-12") as a reader says it; "" for None."""
    if not value:
        return ""
    if len(value) == 4:
        return value
    if len(value) == 7:
        return f"{MONTH_NAMES[int(value[5:7]) - 1]} {value[:4]}"
    return value
