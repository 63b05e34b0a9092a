"""RSS and Atom feeds (feedparser): one Document per entry with content, a `Link` per entry with only a link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from kurultai.clean import InputError, clean, one_line
from kurultai.models import Document
from kurultai.sources.html import html_to_text
from kurultai.sources.jsonl import stable_id
from kurultai.sources.link import Link


def _entry_date(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return dt.date(t.tm_year, t.tm_mon, t.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _entry_outlet(entry) -> str | None:
    """An aggregator's entry names its outlet (RSS <source>)."""
    src = entry.get("source")
    title = src.get("title") if isinstance(src, dict) else None
    if not isinstance(title, str):
        return None
    return " ".join(title.split()) or None


def _entry_content(entry) -> str:
    """The entry's full content (Atom <content>, RSS <content:encoded>), else its summary/description, as text."""
    parts = entry.get("content") or []
    for part in parts:
        value = (part.get("value") or "").strip()
        if value:
            return value if part.get("type") == "text/plain" else html_to_text(value)
    summary = (entry.get("summary") or "").strip()
    if not summary:
        return ""
    detail = entry.get("summary_detail") or {}
    return summary if detail.get("type") == "text/plain" else html_to_text(summary)


def iter_feed(data: bytes, source: str, published: dt.date | None = None,
              max_entries: int | None = None) -> Iterator[Document | InputError | Link]:
    """Entries in feed order. An entry's own date wins over `published`, which wins over a dateline.

    Errors are "SOURCE: entry N: reason"; a file that is no feed at all gives one "SOURCE: ..." error.
    """
    import feedparser

    try:
        parsed = feedparser.parse(data)  # bytes, never a string: a string could be taken for a URL or path
    except Exception as exc:
        yield InputError(f"{source}: broken feed: {one_line(exc)}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            yield InputError(f"{source}: broken feed: {one_line(parsed.get('bozo_exception'))}")
        elif not parsed.get("version"):
            yield InputError(f"{source}: not an RSS or Atom feed")
        return
    channel = parsed.get("feed") or {}
    outlet = " ".join((channel.get("title") or "").split()) or None
    for n, entry in enumerate(entries, start=1):
        if max_entries is not None and n > max_entries:
            yield InputError(f"{source}: {len(entries) - max_entries} entries after the first {max_entries} skipped")
            return
        try:
            yield _entry(entry, n, source, published, outlet)
        except InputError as exc:
            yield InputError(f"{source}: entry {n}: {exc}")
        except (ValueError, TypeError) as exc:
            yield InputError(f"{source}: entry {n}: {one_line(exc)}")


def _outlet(cleaned, named: str | None, channel: str | None) -> dict:
    """The outlet of an entry and how it was found."""
    if cleaned.outlet_by == "mark":
        return {"outlet": cleaned.outlet, "outlet_by": "mark", "outlet_found": cleaned.outlet_found}
    if named:
        return {"outlet": named, "outlet_by": "feed", "outlet_found": named}
    if cleaned.outlet:
        return {"outlet": cleaned.outlet, "outlet_by": cleaned.outlet_by, "outlet_found": cleaned.outlet_found}
    return {"outlet": channel, "outlet_by": "feed" if channel else None, "outlet_found": channel}


def _entry(entry, n: int, source: str, published: dt.date | None, outlet: str | None) -> Document | Link:
    link = (entry.get("link") or "").strip() or None
    title = " ".join((entry.get("title") or "").split()) or None
    own_date = _entry_date(entry)
    text = _entry_content(entry)
    cleaned = None
    if text.strip():
        try:
            cleaned = clean(text, link)
        except InputError:
            cleaned = None
    if cleaned is None:
        if link:
            return Link(url=link, title=title, published=own_date, source=source)
        raise InputError("no content and no link")
    guid = (entry.get("id") or "").strip() or None
    doc_id = link or guid or stable_id(None, cleaned.text)
    return Document(
        id=doc_id,
        source=link or f"{source}#{n}",
        title=title or cleaned.title,
        published=own_date or published or cleaned.published,
        # the article's own mark, else the aggregator's <source>, the article's host, the feed's title
        **_outlet(cleaned, _entry_outlet(entry), outlet),
        text=cleaned.text,
    )
