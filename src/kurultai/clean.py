"""From bytes to a cleaned article: decoding, page chrome removal, title, dateline, date, outlet.

Rules are general, not lists of one site's strings:
- editor residue in square brackets ("[bookmark: _GoBack]", "[image: ...]") and invisible characters go;
- the header (lines before the first paragraph of prose) is page chrome: widgets, counters, menus;
  from it the title and the dateline (place, date, time, outlet) are read;
- the footer (short lines after the last paragraph of prose: "Комментарии", "Поделиться:", tags) goes;
- inside the body, lines without a word of prose (numbers, "currencyUSD", "weather icon+13") go.
A line is prose when it holds at least a few words and either ends like a sentence or is long.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from kurultai.dates import find_dates
from kurultai.kb.lexicon import load_lexicon


class InputError(ValueError):
    """Input that is not an article: binary, empty, undecodable. The message is one line."""


MAX_BYTES = 20 * 1024 * 1024

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_EDITOR = re.compile(r"\[(?:bookmark|image|img|figure|caption|photo|video|embed|ad)\b[^\]\n]{0,200}\]", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")
_SENT_END = re.compile(r"[.!?…»\"”:;)]\s*$")
_MONTHS_ANY_LANG = ("ru", "kk", "ky", "uz", "tg", "tk", "en")


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM) first, else charset-normalizer's best guess."""
    if not data or not data.strip():
        raise InputError("empty file")
    if len(data) > MAX_BYTES:
        raise InputError(f"file too large ({len(data) // (1024 * 1024)} MB, limit {MAX_BYTES // (1024 * 1024)} MB)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("undecodable UTF-16 text") from exc
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 100 + 1:
        raise InputError("binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise InputError("binary or undecodable file: no text encoding fits") from None
        text = str(best)
    ctrl = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if ctrl > len(text[:65536]) // 50 + 2:
        raise InputError("binary file (control characters), not text")
    if not _WORD.search(text):
        raise InputError("no text in file")
    return text


@dataclass
class Cleaned:
    text: str
    title: str | None
    published: dt.date | None
    outlet: str | None
    dateline_place: str | None


def _is_prose(line: str) -> bool:
    words = _WORD.findall(line)
    if len(words) < 4:
        return False
    return bool(_SENT_END.search(line)) or len(line) >= 80


def _is_textual(line: str) -> bool:
    """Has at least two real words, and letters outweigh digits and symbols."""
    words = _WORD.findall(line)
    letters = sum(len(w) for w in words)
    return len(words) >= 2 and letters >= 0.5 * len(line.strip())


def _strip_residue(text: str) -> str:
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _EDITOR.sub("", text)
    return text


# a dateline opening the first paragraph: "Бишкек, 12.05.21. /Кабар/." ; "NUR-SULTAN. KAZINFORM" ;
# "Toshkent, O‘zbekiston (UzDaily.uz) —" ; "АСТАНА, 12 мая – Kazinform." ; "МОСКВА, 3 апр — РИА Новости."
_DATELINE = re.compile(
    r"^(?P<place>[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ][\w‘’ʻ'\- ]{1,40}?)(?:,\s*[\w‘’ʻ' ]{2,30}?)?"
    r"(?P<rest>(?:[.,]\s*(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}\s+[^\W\d]{3,12}\.?(?:\s+\d{4})?)\.?)?"
    r"\s*(?:[./,]\s*)?(?:/(?P<outlet1>[^/\n]{2,40})/\.?|\((?P<outlet2>[^()\n]{2,40})\)|(?:\.\s+|\s+[–—-]\s+)(?P<outlet3>[A-ZА-ЯЁ][A-ZА-ЯЁ0-9\-]{2,30}(?:\s+[A-ZА-ЯЁ0-9\-]{2,})*)(?=[.\s]))"
    r"[\s.]*(?:[–—-]\s*)?)"
)
_REPORTS = re.compile(
    r"(?:сообщает|передает|передаёт|пишет|деп хабарлайды|деп жазады|хабарлайды|кабарлайт|reports|according to)\s+"
    r"(?:пресс-служба\s+|корреспондент\s+)?«?(?P<outlet>[A-ZА-ЯЁ][\w.\-]+(?:\s+\d+)?)»?",
)


def _first_date(line: str, base: dt.date | None = None) -> tuple[dt.date | None, bool]:
    """The first full date (with year) in a header line, and whether one was found."""
    if not re.search(r"\d{2}", line):
        return None, False  # a full date has its year in digits
    for lang in _MONTHS_ANY_LANG:
        try:
            lex = load_lexicon(lang)
        except ValueError:
            continue
        for d in find_dates(line, lex, base):
            if d.value_start and d.has_year and not d.relative and d.precision == "day":
                return d.value_start, True
    return None, False


def clean(raw: str) -> Cleaned:
    text = _strip_residue(raw)
    lines = [ln.strip() for ln in text.split("\n")]
    prose_idx = [i for i, ln in enumerate(lines) if _is_prose(ln)]
    if not prose_idx:
        body_lines = [ln for ln in lines if _is_textual(ln)]
        if not body_lines:
            raise InputError("no prose in file")
        return Cleaned("\n".join(body_lines), None, None, None, None)
    first, last = prose_idx[0], prose_idx[-1]
    published: dt.date | None = None
    outlet: str | None = None
    place: str | None = None
    title: str | None = None
    dateline_idx = None
    # a dateline is a short line with a full date, in the header or just after a prose-like title
    for i, ln in enumerate(lines[: first + 3]):
        if not ln or len(_WORD.findall(ln)) > 6:
            continue
        d, ok = _first_date(ln)
        if ok:
            published, dateline_idx = d, i
            break
    if dateline_idx is not None and dateline_idx >= first:
        following = [i for i in prose_idx if i > dateline_idx]
        if following:
            first = following[0]
    elif (not _SENT_END.search(lines[first]) and len(lines[first]) < 200 and len(prose_idx) > 1
          and not any(lines[:first])):
        # a first line without a sentence end, followed by prose, is the title
        title = lines[first]
        first = prose_idx[1]
    header = [ln for ln in lines[:first] if ln]
    if dateline_idx is not None:
        dateline_idx = header.index(lines[dateline_idx]) if lines[dateline_idx] in header else None
    textual = [(i, ln) for i, ln in enumerate(header) if _is_textual(ln) and len(_WORD.findall(ln)) >= 3]
    if textual and title is None:
        # the title is the textual header line nearest the dateline or the body: prefer the one right
        # before the dateline, else the last one before the body
        if dateline_idx is not None:
            before = [t for t in textual if t[0] < dateline_idx]
            after = [t for t in textual if t[0] > dateline_idx]
            pick = before[-1] if before else (after[0] if after else None)
        else:
            pick = textual[-1]
        if pick:
            title = pick[1]
    body = lines[first: last + 1]
    if title:
        body = [ln for ln in body if ln != title]
    # the first body line may open with a dateline
    lead = body[0]
    m = _DATELINE.match(lead)
    if m and (m.group("outlet1") or m.group("outlet2") or m.group("outlet3") or m.group("rest")):
        head = m.group(0)
        d, ok = _first_date(head)
        if ok and published is None:
            published = d
        outlet = (m.group("outlet1") or m.group("outlet2") or m.group("outlet3") or "").strip() or None
        place = m.group("place").strip()
        body[0] = lead[m.end():].lstrip(" .–—-")
    elif published is None:
        # "12 мая 2021 года" or "Бишкек, 12.05.21." alone at the start of the body
        d, ok = _first_date(lead[:40])
        if ok and re.match(r"^\W*[\w\s,]{0,25}?\d", lead):
            published = d
    # the title repeated as the first body line (common in scraped pages)
    kept = []
    for ln in body:
        if not ln:
            kept.append("")
            continue
        if _is_prose(ln) or _is_textual(ln):
            kept.append(ln)
    # the headline stays the first line of the text: it often names the encounter the body tells, and
    # a first line taken for a headline may be the start of a hard-wrapped sentence
    text = "\n".join(([title, ""] if title else []) + kept)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if outlet is None:
        m2 = _REPORTS.search(text)
        if m2:
            outlet = m2.group("outlet").rstrip(".")
    return Cleaned(text, title, published, outlet, place)
