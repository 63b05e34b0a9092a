"""HTML pages: trafilatura finds the article (text, title, date, site name), `clean()` reads its dateline."""

from __future__ import annotations

import datetime as dt
import re

from kurultai.clean import InputError, clean, decode, drop_controls, reads_well
from kurultai.models import Document

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9._\-]{2,40})["']""")
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
               "article", "header", "footer", "pre", "table", "ul", "ol", "dd", "dt", "figcaption")
# only dates from the page's metadata and URL: a "© 2024" in the footer is not a publication date
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def declared_charset(data: bytes, header: str | None = None) -> str | None:
    """The charset of a Content-Type header, else of the page's <meta> or XML declaration."""
    if header:
        m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:\-]+)", header, re.I)
        if m:
            return m.group(1)
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii") if m else None


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Valid UTF-8 is taken as such; otherwise the declared charset if the page reads well in it (a page
    can lie), else `decode`'s guess."""
    if data.startswith(b"\xef\xbb\xbf") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        declared = declared_charset(data, charset)
        if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
            try:
                text = data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                if text.strip() and reads_well(text):
                    return drop_controls(text)
    return decode(data)


def _fallback_text(markup: str) -> str:
    """Plain text of an HTML fragment, one line per block element, without scripts and styles."""
    import lxml.html

    try:
        root = lxml.html.fromstring(markup)
    except Exception:  # lxml raises several types on hopeless input
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    text = root.text_content()
    return "\n".join(ln.strip() for ln in text.splitlines() if ln.strip())


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment (a feed entry's content); plain text passes through."""
    if "<" not in markup:
        return markup.strip()
    import trafilatura

    text = ""
    try:
        text = trafilatura.extract(markup, include_comments=False, favor_recall=True) or ""
    except Exception:
        text = ""
    return text.strip() or _fallback_text(markup)


def _extract(text: str, url: str | None):
    import trafilatura

    for recall in (False, True):
        try:
            doc = trafilatura.bare_extraction(
                text, url=url, with_metadata=True, include_comments=False, include_tables=True,
                favor_recall=recall, date_extraction_params=_DATE_PARAMS)
        except Exception:  # trafilatura/lxml on broken markup: treat as "nothing found"
            doc = None
        if doc is not None and (doc.text or "").strip():
            return doc
    return None


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def read_html(data: bytes, doc_id: str, source: str | None = None, published: dt.date | None = None,
              *, charset: str | None = None) -> Document:
    """One article from an HTML page. `published` wins, then the page's metadata date, then the dateline.

    `charset` is the Content-Type header (or its charset) when the page came over HTTP.
    """
    try:
        markup = decode_html(data, charset)
    except InputError as exc:
        if str(exc) == "no text in file":  # markup without a single word
            raise InputError("no article text in HTML") from None
        raise
    return html_document(markup, doc_id, source, published)


def _outlet(cleaned, site: str | None) -> dict:
    """The outlet of a page and how it was found."""
    if cleaned.outlet or not site:
        return {"outlet": cleaned.outlet, "outlet_by": cleaned.outlet_by, "outlet_found": cleaned.outlet_found}
    return {"outlet": site, "outlet_by": "site", "outlet_found": site}


def html_document(markup: str, doc_id: str, source: str | None = None,
                  published: dt.date | None = None) -> Document:
    """`read_html` for markup already decoded."""
    url = source if source and source.startswith(("http://", "https://")) else None
    found = _extract(markup, url)
    if found is None:
        raise InputError("no article text in HTML")
    meta_title = " ".join((found.title or "").split()) or None
    lines = found.text.strip().split("\n")
    if meta_title and len(lines) > 1 and " ".join(lines[0].split()) == meta_title:
        lines = lines[1:]  # the headline repeated at the top of the body
    try:
        cleaned = clean("\n".join(lines), url)
    except InputError:
        raise InputError("no article text in HTML") from None
    return Document(
        id=doc_id,
        source=source,
        title=meta_title or cleaned.title,
        published=published or _iso_date(found.date) or cleaned.published,
        # the article's own mark, else the KB outlet of its host, else the page's site name
        **_outlet(cleaned, " ".join((found.sitename or "").split()) or None),
        text=cleaned.text,
    )
