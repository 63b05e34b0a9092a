"""Plain-text articles in any encoding."""

from __future__ import annotations

import datetime as dt

from kurultai.clean import clean, decode
from kurultai.models import Document


def read_txt(data: bytes, doc_id: str, source: str | None = None, published: dt.date | None = None) -> Document:
    """Decode, clean and wrap one article. `published` (known beside the text) wins over the dateline."""
    return document_of(decode(data), doc_id, source, published)


def document_of(text: str, doc_id: str, source: str | None, published: dt.date | None) -> Document:
    """Clean an article's text and wrap it; `published` (known beside the text) wins over the dateline."""
    cleaned = clean(text, source)
    return Document(
        id=doc_id,
        source=source,
        title=cleaned.title,
        published=published or cleaned.published,
        outlet=cleaned.outlet,
        outlet_by=cleaned.outlet_by,
        outlet_found=cleaned.outlet_found,
        text=cleaned.text,
    )
