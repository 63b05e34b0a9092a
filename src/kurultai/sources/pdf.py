"""PDF files: the text layer of every page (pypdf), hard-wrapped lines rejoined, then `clean()`."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

from kurultai.clean import InputError, clean
from kurultai.models import Document

_SENT_END = re.compile(r"[.!?…:;»\"”)]$")
_HYPHEN_BREAK = re.compile(r"[^\W\d_]-$")
_DATELINE_START = re.compile(r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ][A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ\-]{2,}[,.]")  # "АСТАНА, 12 марта"
_MAX_PAGES = 2000


def _one_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:200]


def unwrap(text: str) -> str:
    """Rejoin lines the PDF layout broke. A line without a sentence end continues on the next one when the
    next starts in lower case, or when the line runs (nearly) the full width of the page's longest line:
    a short line without a full stop is a heading and stays on its own, and so does a line before a dateline."""
    lines = [ln.strip() for ln in text.split("\n")]
    width = max((len(ln) for ln in lines), default=0)
    out: list[str] = []
    for line in lines:
        if not line:
            out.append("")
            continue
        if out and out[-1]:
            prev = out[-1]
            if _HYPHEN_BREAK.search(prev) and line[0].islower():
                out[-1] = prev[:-1] + line
                continue
            full = len(prev) >= max(30, 0.7 * width)
            if not _SENT_END.search(prev) and (line[0].islower() or full and not _DATELINE_START.match(line)):
                out[-1] = prev + " " + line
                continue
        out.append(line)
    return "\n".join(out)


def read_pdf(data: bytes, doc_id: str, source: str | None = None, published: dt.date | None = None) -> Document:
    """One article from a PDF with a text layer. Encrypted (with a password), scanned or broken -> InputError."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise InputError("broken PDF: no %PDF header")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:  # an empty user password only restricts permissions; the text can still be read
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise InputError("encrypted PDF (password needed)")
        pages = reader.pages
        n = len(pages)
    except InputError:
        raise
    except Exception as exc:  # pypdf raises PdfReadError, PdfStreamError, ValueError, KeyError...
        raise InputError(f"broken PDF: {_one_line(exc)}") from None
    if n > _MAX_PAGES:
        raise InputError(f"PDF too long ({n} pages, limit {_MAX_PAGES})")
    texts: list[str] = []
    for page in pages:
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # one unreadable page does not lose the others
            texts.append("")
    text = "\n\n".join(unwrap(t) for t in texts if t.strip())
    if not text.strip():
        raise InputError("no text layer in PDF (scanned or empty)")
    cleaned = clean(text)
    return Document(
        id=doc_id,
        source=source,
        title=cleaned.title,
        published=published or cleaned.published,
        outlet=cleaned.outlet,
        text=cleaned.text,
    )
