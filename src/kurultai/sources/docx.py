"""Word documents (.docx): paragraphs and table cells in reading order, then `clean()`."""

from __future__ import annotations

import datetime as dt
import io

from kurultai.clean import InputError, clean
from kurultai.models import Document


def _one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg[:200]


def _blocks(container, seen: set[int]) -> list[str]:
    """Paragraph texts of a document body or a table cell, tables cell by cell, in order."""
    from docx.table import Table

    out: list[str] = []
    for item in container.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell shows up once per spanned grid cell
                        continue
                    seen.add(id(cell._tc))
                    out.extend(_blocks(cell, seen))
        else:
            out.append(item.text)
    return out


def read_docx(data: bytes, doc_id: str, source: str | None = None, published: dt.date | None = None) -> Document:
    """One article from a .docx file. The core properties' title and creation date fill what the text lacks."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        seen: set[int] = set()
        lines = _blocks(document, seen)
        props = document.core_properties
        prop_title = (props.title or "").strip() or None
        created = props.created
    except Exception as exc:  # zipfile, lxml, python-docx and KeyError for missing parts
        raise InputError(f"broken DOCX: {_one_line(exc)}") from None
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("no text in DOCX")
    cleaned = clean(text)
    created_day = created.date() if isinstance(created, dt.datetime) else None
    return Document(
        id=doc_id,
        source=source,
        title=cleaned.title or prop_title,
        published=published or cleaned.published or created_day,
        outlet=cleaned.outlet,
        text=cleaned.text,
    )
