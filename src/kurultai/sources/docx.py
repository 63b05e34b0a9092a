"""Word documents (.docx): paragraphs and table cells in reading order, then `clean()`.

A DOCX is a zip: its members' declared sizes are checked against `kurultai.limits` before python-docx
inflates anything, so a decompression bomb costs nothing (`zipfile` never inflates past a declared size).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from kurultai.clean import InputError, clean, one_line
from kurultai.limits import MAX_BYTES, MAX_UNPACKED, MAX_ZIP_MEMBERS, megabytes
from kurultai.models import Document

_MARKUP = (".xml", ".rels")


def _check_unpacked_size(data: bytes) -> None:
    """An InputError when the zip in `data` would unpack past the limits: its markup past `MAX_BYTES`, all
    its members past `MAX_UNPACKED`, or more than `MAX_ZIP_MEMBERS` members."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise InputError(f"broken DOCX: {one_line(exc)}") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputError(f"DOCX of {len(members)} parts (limit {MAX_ZIP_MEMBERS})")
    markup = sum(m.file_size for m in members if m.filename.lower().endswith(_MARKUP))
    if markup > MAX_BYTES:
        raise InputError(f"DOCX whose markup unpacks to {megabytes(markup)} (limit {megabytes(MAX_BYTES)}): "
                         "a decompression bomb?")
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED:
        raise InputError(f"DOCX that unpacks to {megabytes(total)} (limit {megabytes(MAX_UNPACKED)})")


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

    _check_unpacked_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
        seen: set[int] = set()
        lines = _blocks(document, seen)
        props = document.core_properties
        prop_title = (props.title or "").strip() or None
        created = props.created
    except Exception as exc:  # zipfile, lxml, python-docx and KeyError for missing parts
        raise InputError(f"broken DOCX: {one_line(exc)}") from None
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("no text in DOCX")
    cleaned = clean(text, source)
    created_day = created.date() if isinstance(created, dt.datetime) else None
    return Document(
        id=doc_id,
        source=source,
        title=cleaned.title or prop_title,
        published=published or cleaned.published or created_day,
        outlet=cleaned.outlet,
        outlet_by=cleaned.outlet_by,
        outlet_found=cleaned.outlet_found,
        text=cleaned.text,
    )
