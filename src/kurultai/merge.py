"""Merging: near-duplicate articles, and the same event reported by several documents in any language.

- Copies: MinHash signatures of word 3-shingles (datasketch) in an LSH index (Jaccard >= 0.8): a
  near-duplicate of a stored article is linked to it (`documents.duplicate_of`).
- Events: the structured key is enough across languages, because every analyser links names to the same
  KB ids: two events are the same encounter when their dates are within a day, their parties overlap
  (states and organisations, or people), and location, mode and named format do not contradict each
  other. An article ingested next week joins the event already stored. (A multilingual sentence embedding,
  measured in ../shared/notes, was not needed for this key.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from kurultai.models import Event

NUM_PERM = 64
SCHEME = "affine32"  # stored signatures are rebuilt with the scheme that made them (datasketch >= 2)
DUPLICATE_THRESHOLD = 0.8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def content_hash(text: str) -> str:
    norm = unicodedata.normalize("NFC", text)
    norm = re.sub(r"\s+", " ", norm).strip().lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def signature(text: str) -> MinHash:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
    mh = MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=7, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME)


class NearDuplicates:
    """LSH index of stored documents' signatures."""

    def __init__(self) -> None:
        self.lsh = MinHashLSH(threshold=DUPLICATE_THRESHOLD, num_perm=NUM_PERM)
        self.signatures: dict[int, MinHash] = {}

    def add(self, doc_id: int, mh: MinHash) -> None:
        if doc_id not in self.signatures:
            self.lsh.insert(str(doc_id), mh)
            self.signatures[doc_id] = mh

    def find(self, mh: MinHash) -> int | None:
        """The most similar stored document above the threshold; of equally similar ones the first stored
        (the index answers in no fixed order)."""
        best, best_sim = None, 0.0
        for key in sorted(self.lsh.query(mh), key=int):
            sim = mh.jaccard(self.signatures[int(key)])
            if sim >= DUPLICATE_THRESHOLD and sim > best_sim:
                best, best_sim = int(key), sim
        return best


@dataclass
class Candidate:
    """What merging needs to know of a stored event."""

    id: int
    status: str
    mode: str
    named_format: str | None
    date_start: dt.date | None
    location_name: str | None
    parties: set[str]
    people: set[str]
    document_ids: set[int]


def person_key(name_en: str) -> str:
    text = unicodedata.normalize("NFKD", name_en).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z]+", text)
    return words[-1] if words else ""


def same_event(ev: Event, c: Candidate, duplicate_of: int | None = None) -> float:
    """How surely `ev` (new) and stored `c` are one encounter: 0 when they cannot be, else a score."""
    parties = set(ev.countries) | set(ev.organizations)
    people = {person_key(p.name_en) for p in ev.participants}
    if ev.mode != c.mode:
        return 0.0
    if ev.named_format and c.named_format and ev.named_format != c.named_format:
        return 0.0
    if ev.location and c.location_name and ev.location.name != c.location_name:
        return 0.0
    statuses = {ev.status, c.status}
    if "planned" in statuses and "referenced" in statuses:
        return 0.0
    d = ev.date.start if ev.date else None
    if d and c.date_start:
        if abs((d - c.date_start).days) > 1:
            return 0.0
    elif not (duplicate_of is not None and duplicate_of in c.document_ids):
        return 0.0  # without dates, only copies of one article are merged
    overlap = len(parties & c.parties) / len(parties | c.parties) if parties | c.parties else 0.0
    shared_people = people & c.people
    if people and c.people and not (people <= c.people or c.people <= people):
        return 0.0  # different sets of people on the same day: two meetings (a report may name fewer)
    if overlap < 0.5 and not shared_people:
        return 0.0
    return overlap + 0.5 * len(shared_people) + (0.3 if ev.named_format and ev.named_format == c.named_format else 0.0)


STATUS_RANK = {"held": 3, "referenced": 2, "planned": 1}
