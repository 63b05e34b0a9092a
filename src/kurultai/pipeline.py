"""source -> cleaned document -> language -> analysis -> events, for one document at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kurultai.analyze import get_analyser
from kurultai.extract import Extractor
from kurultai.kb import load_kb
from kurultai.lang import detect
from kurultai.models import Document, Extraction
from kurultai.sources import read_file_bytes, read_txt


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
        analysis = analyser.analyse(doc)
        return Extraction(document=doc, events=self.extractor.extract(analysis))

    def run_bytes(self, data: bytes, doc_id: str, source: str | None = None, published: dt.date | None = None) -> Extraction:
        return self.run_document(read_txt(data, doc_id, source, published))

    def run_path(self, path: Path, published: dt.date | None = None) -> Extraction:
        return self.run_bytes(read_file_bytes(path), path.stem, str(path), published)
