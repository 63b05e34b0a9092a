"""JSON Lines corpora: one article per line.

Keys: `text` (plain, cleaned like a .txt) or `html` (a page, read like a .html), and optionally `id`,
`url`, `title`, `published` (ISO date or datetime). Without `id` the id is a stable hash of the url, else
of the content. A bad line becomes an InputError naming its line number; the other lines still come out.
A file is read line by line, each line at most `kurultai.limits.MAX_BYTES` (a longer one is skipped unread).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import BinaryIO

from kurultai import limits
from kurultai.clean import InputError, clean, one_line
from kurultai.models import Document
from kurultai.sources.html import html_document


def parse_published(value) -> dt.date | None:
    """An ISO date or datetime string ("2024-03-15", "2024-03-15T09:30:00Z") to a date; None stays None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"published is not a string: {value!r}"[:120])
    s = value.strip()
    try:
        return dt.datetime.fromisoformat(s).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        raise ValueError(f"bad published date {s[:40]!r}") from None


def stable_id(url: str | None, content: str) -> str:
    key = url.strip() if url and url.strip() else content
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _article(obj, where: str, published: dt.date | None) -> Document:
    if not isinstance(obj, dict):
        raise InputError(f"not a JSON object but {type(obj).__name__}")
    text, html = obj.get("text"), obj.get("html")
    url = obj.get("url") or None
    if url is not None and not isinstance(url, str):
        raise InputError("url is not a string")
    content = text if isinstance(text, str) and text.strip() else html if isinstance(html, str) else None
    if content is None or not content.strip():
        raise InputError("no 'text' or 'html'")
    raw_id = obj.get("id")
    doc_id = str(raw_id) if raw_id not in (None, "") else stable_id(url, content)
    try:
        own_date = parse_published(obj.get("published"))
    except ValueError as exc:
        raise InputError(str(exc)) from None
    title = obj.get("title") if isinstance(obj.get("title"), str) and obj["title"].strip() else None
    source = url or where
    if content is text:
        cleaned = clean(text, url)
        doc = Document(id=doc_id, source=source, title=cleaned.title, published=cleaned.published,
                       outlet=cleaned.outlet, outlet_by=cleaned.outlet_by, outlet_found=cleaned.outlet_found,
                       text=cleaned.text)
    else:
        doc = html_document(content, doc_id, source)
    if title:
        doc.title = " ".join(title.split())
    # the line's own date wins, then the date given for the whole source, then the text's dateline
    doc.published = own_date or published or doc.published
    return doc


def _lines(fh: BinaryIO) -> Iterator[bytes | None]:
    """The lines of a file opened in binary mode; None for a line over the limit, skipped in chunks."""
    while line := fh.readline(limits.MAX_BYTES + 1):
        if len(line) <= limits.MAX_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while (rest := fh.readline(limits.MiB)) and not rest.endswith(b"\n"):
            pass
        yield None


def iter_jsonl(data: bytes | BinaryIO, source: str,
               published: dt.date | None = None) -> Iterator[Document | InputError]:
    """Every line's article, or an InputError "SOURCE: line N: reason" for a bad line. Blank lines are skipped.

    `data` is the file's bytes or, for large files, the file opened in binary mode.
    """
    lines = data.split(b"\n") if isinstance(data, bytes | bytearray) else _lines(data)
    content = False
    for n, raw in enumerate(lines, start=1):
        if raw is None:
            content = True
            yield InputError(f"{source}: line {n}: longer than {limits.megabytes(limits.MAX_BYTES)}")
            continue
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        content = True
        try:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError("not UTF-8") from None
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"bad JSON ({exc.msg} at column {exc.colno})") from None
            except RecursionError:  # "[[[[..." nested 100,000 deep: this line only
                raise InputError("JSON nested too deep") from None
            yield _article(obj, f"{source}:{n}", published)
        except InputError as exc:
            yield InputError(f"{source}: line {n}: {exc}")
        except (ValueError, TypeError) as exc:  # a Document field of the wrong type
            yield InputError(f"{source}: line {n}: {one_line(exc)}")
    if not content:
        yield InputError(f"{source}: empty JSON Lines file")
