"""Readers: bytes in, `Document` out; `open_source` turns any reference into a stream of documents.

A reference is a file, a folder (walked recursively, in sorted order; annotations, metadata, images and
stylesheets beside the articles are left alone there), a
glob pattern, or an http(s) URL. Each format has its module (`txt`, `html`, `docx`, `pdf`, `jsonl`, `feed`); `url` fetches politely.
Errors never stop the stream: a bad item comes out as an `InputError` whose message starts with the
item's path or URL. Only regular files are read (a FIFO or a link to a device is an error), and no read
or unpacking goes past `kurultai.limits`. A feed entry that only links to its article comes out as a `Link` when the feed is
a local file; for a feed fetched over HTTP the linked pages are fetched too (at most 200 entries a feed).

Document ids: a file's stem; for files found in a folder or by a glob, the path relative to the folder
(or to the glob's fixed prefix) without its suffix and with "/" replaced by "__"; a URL for a URL. JSON
Lines and feeds give each article its own id (its `id`, its link, or a stable hash).
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from kurultai import limits
from kurultai.clean import InputError, one_line
from kurultai.limits import MAX_FEED_ENTRIES
from kurultai.models import Document
from kurultai.sources.docx import read_docx
from kurultai.sources.feed import iter_feed
from kurultai.sources.html import read_html
from kurultai.sources.jsonl import iter_jsonl
from kurultai.sources.link import Link
from kurultai.sources.pdf import read_pdf
from kurultai.sources.txt import read_txt

__all__ = ["DOCUMENT_SUFFIXES", "Link", "iter_feed", "iter_jsonl", "open_source", "read_docx", "read_document",
           "read_file_bytes", "read_html", "read_pdf", "read_txt", "sniff_kind"]

Item = Document | InputError | Link

_EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_MEDIA_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/x-ndjson": "jsonl", "application/jsonl": "jsonl", "application/x-jsonlines": "jsonl",
    "text/plain": "txt", "text/markdown": "txt",
}
_SINGLE = {"txt": read_txt, "html": read_html, "docx": read_docx, "pdf": read_pdf}
_GLOB_MAGIC = re.compile(r"[*?\[]")
_PROLOG = re.compile(rb"\s*(?:<\?[^>]*\?>|<!--.*?-->|<![A-Za-z][^>]*>)", re.S)


def _is_feed(head: bytes) -> bool:
    """The first element, after the XML declaration, comments and doctype, is <rss>, <feed> or <rdf:RDF>."""
    rest = head.lstrip(b"\xef\xbb\xbf")
    for _ in range(20):
        m = _PROLOG.match(rest)
        if not m:
            break
        rest = rest[m.end():]
    rest = rest.lstrip().lower()
    return rest.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def sniff_kind(data: bytes) -> str:
    """The format of bytes without a telling name: pdf, docx, feed, html, else txt."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") and b"word/document.xml" in data:
        return "docx"
    if _is_feed(head):
        return "feed"
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low[:1024]:
        return "html"
    return "txt"


def _strong_kind(data: bytes) -> str | None:
    kind = sniff_kind(data)
    return kind if kind in ("pdf", "docx", "feed") else None


def _kind_of_response(content_type: str, url: str, data: bytes) -> str:
    """Servers mislabel: unmistakable content first, then the media type, then the URL's suffix, then sniffing."""
    strong = _strong_kind(data)
    if strong:
        return strong
    media = content_type.split(";", 1)[0].strip().lower()
    by_ext = _EXTENSIONS.get(os.path.splitext(url.split("?", 1)[0].split("#", 1)[0])[1].lower())
    if media in _MEDIA_TYPES and media != "text/plain":
        return _MEDIA_TYPES[media]
    if "rss" in media or "atom" in media or media.endswith(("/xml", "+xml")):
        return "feed"
    return by_ext or sniff_kind(data)


def _read_one(kind: str, data: bytes, doc_id: str, source: str, published: dt.date | None, label: str,
              content_type: str | None = None) -> Item:
    try:
        if kind == "html":
            return read_html(data, doc_id, source, published, charset=content_type)
        return _SINGLE[kind](data, doc_id, source, published)
    except InputError as exc:
        return InputError(f"{label}: {exc}")
    except Exception as exc:  # a library failing on odd input must not stop the batch
        return InputError(f"{label}: unexpected {type(exc).__name__}: {one_line(exc)}")


def _iterate(items: Iterator[Item], label: str) -> Iterator[Item]:
    """A multi-document reader's items; a crash inside it ends that source with one error."""
    try:
        yield from items
    except Exception as exc:
        yield InputError(f"{label}: unexpected {type(exc).__name__}: {one_line(exc)}")


# -- files -------------------------------------------------------------------------------------------------
def _regular(path: Path) -> int:
    """The size of the regular file at `path` (a link followed); an InputError for anything else."""
    st = path.stat()  # a link to /dev/zero is a device, not a file
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file")  # a FIFO would block the batch forever, a device never end
    return st.st_size


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most `MAX_BYTES`, read with that bound (a file that grows past it
    while it is read is too large too); an InputError for a FIFO, a device, a folder or a file over the
    limit. OSError (no such file, permission denied) passes through."""
    limit = limits.MAX_BYTES
    size = _regular(path)
    data = b""
    if size <= limit:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    if size > limit or len(data) > limit:
        raise InputError(f"file too large ({limits.megabytes(max(size, len(data)))}, "
                         f"limit {limits.megabytes(limit)})")
    return data


_GZIPPED_JSONL = (".jsonl.gz", ".ndjson.gz")


def _read_file(path: Path, doc_id: str, published: dt.date | None) -> Iterator[Item]:
    label = str(path)
    kind = _EXTENSIONS.get(path.suffix.lower())
    try:
        if kind == "jsonl" or path.name.lower().endswith(_GZIPPED_JSONL):  # corpora: read line by line
            _regular(path)
            # a gzipped shard is inflated as it is read, each line within the same bound as a plain one
            # (a line that inflates past it is skipped in chunks); a corrupt stream ends the shard with one
            # error after the lines before it
            opener = gzip.open if kind != "jsonl" else Path.open
            with opener(path, "rb") as fh:
                yield from _iterate(iter_jsonl(fh, label, published), label)
            return
        data = read_file_bytes(path)
    except InputError as exc:
        yield InputError(f"{label}: {exc}")
        return
    except OSError as exc:
        yield InputError(f"{label}: {exc.strerror or one_line(exc)}")
        return
    kind = kind or sniff_kind(data)
    if kind == "feed":
        yield from _iterate(iter_feed(data, label, published), label)
    else:
        yield _read_one(kind, data, doc_id, label, published, label)


def read_document(path: Path, published: dt.date | None = None) -> Document:
    """One article from a file, read as `ingest` reads it (text in any encoding, HTML, DOCX, PDF, by
    suffix or content); an InputError for what is not one article (a JSON Lines file, a feed)."""
    kind = _EXTENSIONS.get(path.suffix.lower())
    data = read_file_bytes(path)
    kind = kind or sniff_kind(data)
    if kind in ("jsonl", "feed"):
        raise InputError(f"holds several articles ({'JSON Lines' if kind == 'jsonl' else 'a feed'}): "
                         "use `kurultai ingest`")
    item = _read_one(kind, data, path.stem, str(path), published, "")
    if isinstance(item, InputError):
        raise InputError(str(item).removeprefix(": "))
    return item


DOCUMENT_SUFFIXES = tuple(ext for ext, kind in _EXTENSIONS.items() if kind in _SINGLE)


def _file_id(path: Path, root: Path | None) -> str:
    if root is None:
        return path.stem
    return path.relative_to(root).with_suffix("").as_posix().replace("/", "__")


def _walk(root: Path) -> Iterator[Path]:
    """Files under `root`, recursively, in sorted order; hidden files and folders are skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


# Suffixes of files that sit beside articles in archives and corpora without being articles: annotations
# and metadata, the assets of saved pages, images, fonts. In a folder walk they are left alone (a file
# named on the command line is still read); any other suffix (.php, .aspx, .page...) is sniffed.
_NOT_ARTICLES = frozenset(
    [".json", ".yaml", ".yml", ".csv", ".tsv", ".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".bmp", ".tif", ".tiff", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".webm", ".pyc", ".db", ".sqlite", ".lock"])


def _article_like(path: Path) -> bool:
    return path.suffix.lower() not in _NOT_ARTICLES


def _glob_root(pattern: str) -> Path:
    """The fixed folder a glob pattern starts from: "corpus/2024/*/a*.txt" -> corpus/2024."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts[:-1]:
        if _GLOB_MAGIC.search(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _open_path(ref: str | Path, published: dt.date | None) -> Iterator[Item]:
    path = Path(ref)
    if path.is_dir():
        for file in _walk(path):
            if _article_like(file):
                yield from _read_file(file, _file_id(file, path), published)
        return
    if path.exists():
        yield from _read_file(path, path.stem, published)
        return
    pattern = str(ref)
    if _GLOB_MAGIC.search(pattern):
        root = _glob_root(pattern)
        matches = sorted(glob.glob(pattern, recursive=True))
        if not matches:
            yield InputError(f"{pattern}: no file matches")
            return
        seen: set[Path] = set()
        for m in matches:
            p = Path(m)
            files = [f for f in _walk(p) if _article_like(f)] if p.is_dir() else [p]
            for file in files:
                if file in seen:
                    continue
                seen.add(file)
                try:
                    doc_id = _file_id(file, root)
                except ValueError:  # outside the fixed prefix (a ".." in the pattern)
                    doc_id = file.stem
                yield from _read_file(file, doc_id, published)
        return
    yield InputError(f"{pattern}: no such file or folder")


# -- URLs --------------------------------------------------------------------------------------------------
def _open_url(url: str, published: dt.date | None, fetcher, max_feed_entries: int) -> Iterator[Item]:
    from kurultai.sources.url import Fetcher

    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        try:
            data, content_type, final_url = fetcher.fetch(url)
        except InputError as exc:
            yield InputError(f"{url}: {exc}")
            return
        kind = _kind_of_response(content_type, final_url, data)
        if kind == "feed":
            for item in _iterate(iter_feed(data, url, published, max_entries=max_feed_entries), url):
                yield _fetch_link(item, fetcher, published) if isinstance(item, Link) else item
        elif kind == "jsonl":
            yield from _iterate(iter_jsonl(data, url, published), url)
        else:
            yield _read_one(kind, data, url, final_url, published, url, content_type)
    finally:
        if own:
            fetcher.close()


def _fetch_link(link: Link, fetcher, published: dt.date | None) -> Item:
    """A feed entry's article page; the entry's title and date fill what the page lacks."""
    try:
        data, content_type, final_url = fetcher.fetch(link.url)
    except InputError as exc:
        return InputError(f"{link.url}: {exc}")
    kind = _kind_of_response(content_type, final_url, data)
    if kind in ("feed", "jsonl"):
        return InputError(f"{link.url}: the feed entry links to a {kind}, not to an article")
    item = _read_one(kind, data, link.url, final_url, link.published or published, link.url, content_type)
    if isinstance(item, Document) and link.title and not item.title:
        item.title = link.title
    return item


def open_source(ref: str | Path, published: dt.date | None = None, *, fetcher=None,
                max_feed_entries: int = MAX_FEED_ENTRIES) -> Iterator[Item]:
    """Documents (or errors, or feed links) from a file, folder, glob or URL; see the module docstring.

    `published` is the publication date known beside the text: it wins over a date read from a single
    article; in a JSON Lines file or a feed each article's own date wins over it. `fetcher` is a
    `kurultai.sources.url.Fetcher` to use for URLs (a default one is made otherwise).
    """
    if isinstance(ref, str) and ref.lower().startswith(("http://", "https://")):
        yield from _open_url(ref, published, fetcher, max_feed_entries)
    else:
        yield from _open_path(ref, published)
