"""From bytes to a cleaned article: decoding, page chrome removal, title, dateline, date, outlet.

Rules are general, not lists of one site's strings:
- editor residue in square brackets ("[bookmark: _GoBack]", "[image: ...]"), invisible and control
  characters go (whatever reader the text came from: DOCX, PDF, HTML, a feed, JSON Lines);
- the header (lines before the first paragraph of prose) is page chrome: widgets, counters, menus;
  from it the title and the dateline (place, date, time, outlet) are read;
- the footer (short lines after the last paragraph of prose: "Комментарии", "Поделиться:", tags) goes;
- inside the body, lines without a word of prose (numbers, "currencyUSD", "weather icon+13") go.
A line is prose when it holds at least a few words and either ends like a sentence or is long.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charset_normalizer import from_bytes

from kurultai.dates import find_dates
from kurultai.kb.lexicon import load_lexicon
from kurultai.limits import MAX_BYTES, megabytes

if TYPE_CHECKING:
    from kurultai.kb.outlets import Outlet

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_C0 = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")  # a form feed (page break) is no sign of binary
_PAGE_BREAK = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def drop_controls(text: str) -> str:
    """`text` without C0 and C1 control characters: a NUL cannot be stored (PostgreSQL refuses it) and the
    others are invisible noise. Tab, newline and CR stay; a form feed or vertical tab (a page break) becomes
    a newline."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", text.translate(_PAGE_BREAK))


def one_line(value: object, limit: int = 200) -> str:
    """An exception or a message as one printable line of at most `limit` characters."""
    line = " ".join(drop_controls(str(value)).split())
    return (line or type(value).__name__)[:limit]


class InputError(ValueError):
    """Input that is not an article: binary, empty, undecodable, over a limit. The message is one printable
    line (whatever the file name or the library's message held), so it can be shown and stored as it is."""

    def __init__(self, message: object) -> None:
        super().__init__(" ".join(drop_controls(str(message)).split()))


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_EDITOR = re.compile(r"\[(?:bookmark|image|img|figure|caption|photo|video|embed|ad)\b[^\]\n]{0,200}\]", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")
_SENT_END = re.compile(r"[.!?…»\"”:;)]\s*$")
_MONTHS_ANY_LANG = ("ru", "kk", "ky", "uz", "tg", "tk", "en")


# -- decoding ----------------------------------------------------------------------------------------------
# Besides UTF-8, the encodings an article in our languages comes in: UTF-16 without a byte order mark, the
# Cyrillic code pages (Russian; kz1048 and ptcp154 for Kazakh and Kyrgyz, koi8-t for Tajik) and the Latin
# ones (English; cp1250 holds Turkmen's ň ş ý ž, cp1254 the ç ğ ş of Uzbek's 1993 Latin). Restricting
# charset-normalizer to them keeps koi8-r from being read as Shift-JIS or cp932.
ENCODINGS = ["utf_16_le", "utf_16_be", "cp1251", "kz1048", "ptcp154", "koi8_r", "koi8_u", "koi8_t",
             "mac_cyrillic", "cp866", "iso8859_5", "cp1252", "cp1250", "cp1254", "iso8859_9", "latin_1"]
# the letters of our languages (ru, kk, ky, tg, uz, tk, en), Cyrillic and Latin: a guessed decoding that
# yields others (Serbian Ђ Ќ Љ, Ukrainian ґ є ї, ð þ ò, CJK...) read the bytes in the wrong code page
_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіӣӯҳҷўҗ"
                     "abcdefghijklmnopqrstuvwxyzäçğıňöşüýžəáéóúǵńūñâîûëïôšč")
_LETTERS = _LETTERS | {c.upper() for c in _LETTERS} | {"İ"}
_PUNCTUATION = frozenset(" \t\r\n0123456789.,;:!?-‐‑‒–—―«»“”„\"'‘’‚ʻʼ`´()[]{}/\\|%‰№…•·*&+=<>#@$€£₽°§©®™×_~^′″\u00a0\ufffd")
_TOKEN = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]+")
_GLUED_LATIN = re.compile("[A-Za-z]\u00a0|\u00a0[A-Za-z]")  # no-break spaces are Cyrillic typography
_SIGN_ON_WORD = re.compile(r"(?<=[^\W\d_])[€£₽$%‰№§©®™×^~*#@|\\<>=+{}\[\]]|[€£₽$%‰№§©®™×^~*#@|\\<>=+{}](?=[^\W\d_])")
_NEVER_INITIAL = frozenset("ъьңЪЬҢ")
# the first character of a sentence after any opening quote, bracket or dash (or replaced bad bytes)
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+)\s*[«\"„“‘'(\[—–\-•*\ufffd]*\s?(\S)")
_NUL_SHARE = 100  # more than 1 NUL in this many bytes: binary
_CONTROL_SHARE = 50  # more than 1 other control character in this many characters: binary
_MARKS_PER_WORD = 30  # a reading with more than one mark in this many words (and one) is no reading
_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^<>]{0,2000}>|&#?\w{1,10};", re.S | re.I)
_REPLACED = re.compile("\ufffd+")
_SAMPLE = 1 << 16  # bytes of an input whose readings in the candidate encodings are compared
_UTF8_MANY_GOOD = 20  # UTF-8 with bad bytes is taken as such with this many good non-ASCII characters each
_UTF8_FEW_BAD = 3  # with fewer good ones, it is still a candidate with at most this many places of bad bytes


def _anomalies(text: str) -> int:
    """Marks of a wrong decoding, counted: characters outside our alphabets and common punctuation, words
    that switch from lower to upper case or mix scripts or start with a letter no word starts with, Latin
    letters touching a no-break space, signs glued to words, and sentences that start with a lower-case
    letter or a stray sign (a capital lost to the wrong code page). HTML markup (tags, scripts, styles,
    entities) is no text and is not judged."""
    text = _MARKUP.sub(" ", text)
    n = sum(1 for ch in text if ch not in _LETTERS and ch not in _PUNCTUATION)
    for word in _TOKEN.findall(text):
        if word[0] in _NEVER_INITIAL or any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False)):
            n += 1
        if _CYRILLIC.search(word):
            latin = len(_CYRILLIC.sub("", word))  # Latin and Cyrillic letters in one word: the fewer count
            n += min(latin, len(word) - latin)
    n += len(_GLUED_LATIN.findall(text)) + len(_SIGN_ON_WORD.findall(text))
    for m in _SENTENCE_START.finditer(text):
        ch = m.group(1)
        if not (ch.isupper() or ch.isdigit()):
            n += 1
    return n


def _few(marks: int, text: str) -> bool:
    return marks <= 1 + len(_TOKEN.findall(_MARKUP.sub(" ", text))) // _MARKS_PER_WORD


def reads_well(text: str) -> bool:
    """Whether text decoded in a declared charset shows few marks of a wrong decoding (its start is judged)."""
    sample = text[:_SAMPLE]
    return _few(_anomalies(sample), sample)


def _binary(text: str) -> str | None:
    """Why text is binary (NUL bytes, other C0 control characters), or None; bytes are given as latin-1."""
    sample = text[:_SAMPLE]
    nuls = sample.count("\x00")
    if nuls * _NUL_SHARE > len(sample) + _NUL_SHARE:
        return "binary file (NUL bytes), not text"
    if (len(_C0.findall(sample)) - nuls) * _CONTROL_SHARE > len(sample) + 2 * _CONTROL_SHARE:
        return "binary file (control characters), not text"
    return None


def _as_utf8(data: bytes) -> tuple[str, int, int]:
    """The bytes read as UTF-8 (bad bytes replaced by U+FFFD, a cut inside the last character dropped), the
    number of places with bad bytes and the number of good non-ASCII characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end == len(data) and exc.reason == "unexpected end of data":
            text = data[: exc.start].decode("utf-8")  # every byte before the cut was well-formed
        else:
            text = data.decode("utf-8", errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return text, len(_REPLACED.findall(text)), non_ascii - text.count("\ufffd")


def _reading(data: bytes, encoding: str, errors: str = "strict") -> str:
    """The start of `data` read in `encoding`, without a character cut at the end of the sample."""
    return codecs.getincrementaldecoder(encoding)(errors).decode(data[:_SAMPLE], final=False)


def _guess(data: bytes, damaged_utf8: str | None) -> str:
    """The reading with the fewest marks of a wrong decoding, judged on the first `_SAMPLE` bytes, among
    charset-normalizer's matches (our `ENCODINGS` only) and `damaged_utf8` (UTF-8 with a few bad bytes
    replaced, each a mark; it wins a tie). None reads well, or two different texts read equally well: an
    InputError rather than a guess."""
    ranked: list[tuple[int, int, str, str, int]] = []  # score, rank, encoding, sample's text, its marks
    if damaged_utf8 is not None:
        sample = _reading(data, "utf-8", "replace")
        marks = _anomalies(sample)
        ranked.append((marks + len(_REPLACED.findall(sample)), -1, "utf_8", sample, marks))
    matches = {}
    for rank, match in enumerate(from_bytes(data, cp_isolation=ENCODINGS)):
        sample = _reading(data, match.encoding)
        if not _binary(sample):
            marks = _anomalies(sample)
            ranked.append((marks, rank, match.encoding, sample, marks))
            matches[match.encoding] = match
    ranked.sort()
    if not ranked or not _few(ranked[0][4], ranked[0][3]):
        raise InputError(_binary(data[:_SAMPLE].decode("latin_1"))
                         or "not UTF-8, and no other encoding reads it as text in our languages")
    best = ranked[0]
    if best[2] == "utf_8":
        return damaged_utf8
    rival = next((r for r in ranked[1:] if r[3] != best[3]), None)
    if rival is not None and rival[0] == best[0]:
        raise InputError(f"not UTF-8, and the encoding is ambiguous ({best[2]} or {rival[2]})")
    return str(matches[best[2]])


def _read(data: bytes) -> str:
    """The text of `data`: UTF-16 with a BOM, UTF-8 that is surely UTF-8, else `_guess`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("undecodable UTF-16 text") from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    text, bad, good = _as_utf8(data)
    if _binary(text):  # full of NULs or control characters: UTF-16 without BOM, or binary
        return _guess(data, None)
    if bad == 0 or good >= bad * _UTF8_MANY_GOOD:
        return text
    maybe = good >= bad or bad <= _UTF8_FEW_BAD  # else the bytes are a code page's
    return _guess(data, text if maybe else None)


def decode(data: bytes) -> str:
    """Bytes to text without control characters, or an InputError: empty, too large, binary, or in an
    encoding that cannot be told (a wrong decoding would be stored as garbage).

    UTF-8 is taken as such, even cut inside its last character or with a few bad bytes among many good
    ones; UTF-16 with a BOM too. Anything else is read by `_guess`: charset-normalizer's match, among our
    `ENCODINGS` (UTF-16 without BOM included), with the fewest marks of a wrong decoding (`_anomalies`).
    Mostly-text input with a few stray NULs or control characters loses them.
    """
    if not data or not data.strip():
        raise InputError("empty file")
    if len(data) > MAX_BYTES:
        raise InputError(f"file too large ({megabytes(len(data))}, limit {megabytes(MAX_BYTES)})")
    text = _read(data)
    reason = _binary(text)
    if reason:
        raise InputError(reason)
    text = drop_controls(text)
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
    # how the outlet was found: "mark" (a dateline mark or agency credit in the text, `outlet_found` as
    # written) or "host" (the source URL's host, in `outlet_found`)
    outlet_by: str | None = None
    outlet_found: str | None = None


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
    text = _INVISIBLE.sub("", drop_controls(text)).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
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


# what closes an agency credit: the end of a mark in slashes or brackets, a full stop, a colon or a dash
_CREDIT_END = re.compile(r"[»”\"]?\s*[/)\]]?\s*(?:[.:,]|--|[–—-])?\s*")
_CREDIT_CLOSE = re.compile(r"[»”\"]?(?:\s*(?:[.:,/)\]]|--|[–—-])|\s*$)")
_SET_OFF = "/(«„“\"[–—-.,"
_SITE = re.compile(r"[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,6}")  # a site's name: egemen.kz, Kun.uz
MAX_DATELINE_WORDS = 6  # a dateline before a credit: the place, the country, the date


def _credit(line: str) -> tuple[str, str, int] | None:
    """An outlet's mark (`kb/data/outlets.yaml`) signing an article at the start of `line`, as a dateline
    credit ("Бишкек, 05.02.25. /Кабар/.", "АСТАНА, 3 апр — Sputnik.", "ASTANA, Oct. 15 (Xinhua) --",
    "NUR-SULTAN. KAZINFORM –"): the outlet's name, the mark as written, and where the credit ends.
    Before the mark stand at most a few words (place, date), and the mark is set off from them
    (a slash, a bracket, a quote, a dash or a full stop) or opens the line."""
    from kurultai.kb import load_kb

    for outlet, mark, start, end in load_kb().outlets.finditer(line[:160]):
        before = line[:start]
        if len(_WORD.findall(before)) > MAX_DATELINE_WORDS:
            return None
        if not before.strip():  # opening the line: an agency's capitals ("KAZINFORM –") or "Kun.uz:"
            set_off = mark.isupper() or line[end:end + 1] in ":/)"
        else:
            set_off = before.rstrip()[-1] in _SET_OFF
        if set_off and _CREDIT_CLOSE.match(line, end):
            return outlet.name, mark, _CREDIT_END.match(line, end).end()
    return None


def _known(found: str) -> Outlet | None:
    """The KB outlet a credit as written names ("KAZINFORM", "АМИТ «Ховар»"), or None."""
    from kurultai.kb import load_kb

    return load_kb().outlets.named(found) or (load_kb().outlets.find(found) or (None,))[0]


def _named(found: str) -> str:
    """An outlet written in a credit as the KB names it ("KAZINFORM" is Kazinform), else as written."""
    known = _known(found)
    return known.name if known else found


def clean(raw: str, source: str | None = None) -> Cleaned:
    """The article in `raw`: text without chrome, title, publication date, dateline place and outlet.
    The outlet is the one whose mark signs the text (a dateline or agency credit, or a closing credit
    line), else the one whose site `source` (a URL) is on."""
    cleaned = _clean(raw)
    if cleaned.outlet is None and source:
        from kurultai.kb import load_kb

        by_host = load_kb().outlets.by_host(source) if "://" in source else None
        if by_host:
            cleaned.outlet, cleaned.outlet_by, cleaned.outlet_found = by_host[0].name, "host", by_host[1]
    return cleaned


def _clean(raw: str) -> Cleaned:
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
    # a dateline line of the header may carry the credit ("Бишкек, 05.02.25. /Кабар/.")
    mark: str | None = None
    if dateline_idx is not None:
        found = _credit(lines[dateline_idx])
        if found:
            outlet, mark = found[0], found[1]
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
    credit = _credit(lead) if outlet is None else None
    dateline = bool(m and (m.group("outlet1") or m.group("outlet2") or m.group("outlet3") or m.group("rest")))
    if dateline:
        head = m.group(0)
        d, ok = _first_date(head)
        if ok and published is None:
            published = d
        written = (m.group("outlet1") or m.group("outlet2") or m.group("outlet3") or "").strip() or None
        if outlet is None and (credit or written):
            outlet, mark = (credit[0], credit[1]) if credit else (_named(written), written)
        place = m.group("place").strip()
        cut = max(m.end(), credit[2]) if credit else m.end()
        body[0] = lead[cut:].lstrip(" .–—-")
    elif credit:
        outlet, mark = credit[0], credit[1]
        d, ok = _first_date(lead[:credit[2]])
        if ok and published is None:
            published = d
        rest = lead[credit[2]:].lstrip(" .–—-")
        if rest and ok:
            body[0] = rest
        elif rest:
            # a dateline whose date is not read (a day without its year) keeps its place and day in the
            # text, without the mark: the extraction still reads that day against the events' dates
            head = lead[:credit[2]].replace(credit[1], "").rstrip(" .–—-/()«»\"[]")
            body[0] = f"{head}. {rest}" if head else rest
    if published is None and not dateline:
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
    if outlet is None:  # a closing credit line ("Kazinform", "Источник: Kun.uz") after the last paragraph
        for ln in lines[last + 1:]:
            if ln and len(_WORD.findall(ln)) <= 4:
                from kurultai.kb import load_kb

                found_end = load_kb().outlets.find(ln)
                if found_end:
                    outlet, mark = found_end[0].name, found_end[1]
                    break
    if outlet is None:  # "сообщает Trend", "передает Kun.uz": an outlet of the KB or a site's name, not any word
        m2 = _REPORTS.search(text)
        if m2:
            written = m2.group("outlet").rstrip(".")
            if _known(written) or _SITE.fullmatch(written):
                outlet, mark = _named(written), written
    return Cleaned(text, title, published, outlet, place, "mark" if outlet else None, mark if outlet else None)
