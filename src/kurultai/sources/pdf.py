"""PDF files: the text layer of every page (pypdf), hard-wrapped lines rejoined, then `clean()`.

What a PDF may cost is bounded by `kurultai.limits`: every compressed stream inflates to at most
`MAX_STREAM_BYTES` (pypdf's own limits, lowered for the reading), at most `MAX_PDF_PAGES` pages are read,
and text extraction stops after `MAX_READ_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import time

from kurultai import limits
from kurultai.clean import InputError, one_line
from kurultai.models import Document
from kurultai.sources.txt import document_of

_SENT_END = re.compile(r"[.!?…:;»\"”)]$")
_HYPHEN_BREAK = re.compile(r"[^\W\d_]-$")
_DATELINE_START = re.compile(r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ][A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲ\-]{2,}[,.]")  # "АСТАНА, 12 марта"
_STREAM_LIMITS = ("maximum_declared_stream_length", "array_based_stream_maximum_output_length",
                  "zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
                  "jbig2_maximum_output_length", "image_maximum_buffer_size")


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
    """One article from a PDF with a text layer. Encrypted (with a password), scanned, broken or over a
    limit -> InputError."""
    from pypdf import apply_configuration

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise InputError("broken PDF: no %PDF header")
    with apply_configuration(**dict.fromkeys(_STREAM_LIMITS, limits.MAX_STREAM_BYTES)):
        text = "\n\n".join(unwrap(t) for t in _page_texts(data) if t.strip())
    if not text.strip():
        raise InputError("no text layer in PDF (scanned or empty)")
    return document_of(text, doc_id, source, published)


def _page_texts(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

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
    except LimitReachedError as exc:
        raise InputError(f"PDF over a limit: {one_line(exc)}") from None
    except Exception as exc:  # pypdf raises PdfReadError, PdfStreamError, ValueError, KeyError...
        raise InputError(f"broken PDF: {one_line(exc)}") from None
    if n > limits.MAX_PDF_PAGES:
        raise InputError(f"PDF too long ({n} pages, limit {limits.MAX_PDF_PAGES})")
    deadline = time.monotonic() + limits.MAX_READ_SECONDS
    texts: list[str] = []
    for page in pages:
        if time.monotonic() > deadline:
            raise InputError(f"PDF text takes too long to read (over {limits.MAX_READ_SECONDS:.0f} s, "
                             f"{len(texts)} of {n} pages read)")
        try:
            texts.append(page.extract_text() or "")
        except LimitReachedError as exc:  # a decompression bomb: the whole file is suspect
            raise InputError(f"PDF over a limit: {one_line(exc)}") from None
        except Exception:  # one unreadable page does not lose the others
            texts.append("")
    return texts
