"""Copies of one text: a content hash for exact copies, and MinHash signatures of word 3-shingles
(datasketch) in an LSH index (Jaccard >= 0.8) for copies and rewrites of one wire: a near-duplicate of a
stored article is linked to it (`documents.duplicate_of`), and the reports of two such articles count as
evidence of one event (`reports.compare`)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
from datasketch import MinHash, MinHashLSH

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


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    x, y = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.count_nonzero(x == y)) / len(x) if len(x) == len(y) and len(x) else 0.0
