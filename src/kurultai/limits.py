"""What one input may cost, in one place: every reader, the CLI and the fetcher take their limits from here.

An input over a limit is one `InputError` line naming the limit; the batch goes on with the next input.
- `MAX_BYTES`: bytes read from one file, one fetched page or one JSON Lines line, and the markup (XML
  members) a zipped input (DOCX) may unpack to: unpacked markup costs what a plain file of that size does.
- `MAX_UNPACKED`: all members of a zipped input together (images included), as their headers declare
  them (`zipfile` never inflates a member past its declared size).
- `MAX_ZIP_MEMBERS`: members of a zipped input; a DOCX has a few dozen.
- `MAX_STREAM_BYTES`: what one compressed PDF stream may inflate to (pypdf's own limits, lowered).
- `MAX_PDF_PAGES`, `MAX_READ_SECONDS`: pages of a PDF, and the time its text extraction may take
  (checked between pages: a page's own work is bounded by `MAX_STREAM_BYTES`).
- `MAX_FEED_ENTRIES`: entries read from a feed fetched over HTTP (each may mean one more fetch).
- `MAX_ID_CHARS`: a document id (the store's `documents.doc_key`); `Document` shortens a longer one.
"""

from __future__ import annotations

MiB = 1024 * 1024

MAX_BYTES = 20 * MiB
MAX_UNPACKED = 100 * MiB
MAX_ZIP_MEMBERS = 2000
MAX_STREAM_BYTES = 20 * MiB
MAX_PDF_PAGES = 2000
MAX_READ_SECONDS = 60.0
MAX_FEED_ENTRIES = 200
MAX_ID_CHARS = 1024


def megabytes(n: int) -> str:
    """A size for an error message: "63 MB", "0.2 MB"."""
    mb = n / MiB
    return f"{mb:.0f} MB" if mb >= 1 else f"{mb:.1f} MB"
