"""source -> cleaned document -> language -> analysis -> events, for one document at a time."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kurultai.analyze import get_analyser
from kurultai.extract import Extractor
from kurultai.kb import load_kb
from kurultai.lang import detect
from kurultai.models import Document, Extraction
from kurultai.sources import read_document, read_txt


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector paused (as it was before, after): the analysis of a text allocates
    millions of small objects and frees them by reference counting (it leaves no cycles), so the
    collector's walks over them and over the models only cost time, a quarter of it and more on a long
    text. (Of threads extracting at once, the one that found it on turns it on again as it leaves.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Pipeline:
    """Holds the KB, the analysers and the extractor: build it once per process."""

    def __init__(self) -> None:
        self.kb = load_kb()
        self.extractor = Extractor(self.kb)

    def run_document(self, doc: Document) -> Extraction:
        if doc.lang in ("", "und"):
            doc.lang = detect(doc.text).lang
        analyser = get_analyser(doc.lang)
        if analyser is None:
            return Extraction(document=doc, events=[])
        with cycle_collector_paused():
            analysis = analyser.analyse(doc)
            return Extraction(document=doc, events=self.extractor.extract(analysis))

    def run_bytes(self, data: bytes, doc_id: str, source: str | None = None, published: dt.date | None = None) -> Extraction:
        return self.run_document(read_txt(data, doc_id, source, published))

    def run_path(self, path: Path, published: dt.date | None = None) -> Extraction:
        """One article file (.txt, .html, .docx, .pdf), read as `ingest` reads it."""
        return self.run_document(read_document(path, published))
