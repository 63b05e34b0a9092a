"""Copies of one text: a content hash for exact copies, and MinHash signatures of word 3-shingles
(datasketch) in an LSH index (Jaccard >= 0.8) for copies and rewrites of one wire: a near-duplicate of a
stored article is linked to it (`documents.duplicate_of`), and the reports of two such articles count as
evidence of one event (`reports.compare`)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

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


def _banding() -> tuple[int, int]:
    """The bands and rows per band datasketch's LSH chooses for DUPLICATE_THRESHOLD (false positives and
    negatives weighed alike)."""
    lsh = MinHashLSH(threshold=DUPLICATE_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


BANDS, ROWS = _banding()


def band_keys(sig: bytes) -> list[int]:
    """The LSH keys of a stored signature: one signed 64-bit hash of each band of ROWS values (and of the
    band's number), so two documents share a key where they agree on a whole band. The store indexes
    them (`document_bands`): near-duplicates are found by the database, not in memory."""
    values = np.frombuffer(sig, dtype=np.uint64)
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def nearest(sig: bytes, candidates: Iterable[tuple[int, bytes]]) -> int | None:
    """Of the (id, signature) candidates, the most similar at or above DUPLICATE_THRESHOLD; of equally
    similar ones the lowest id."""
    best, best_sim = None, 0.0
    for doc_id, other in sorted(candidates):
        sim = similarity(sig, other)
        if sim >= DUPLICATE_THRESHOLD and sim > best_sim:
            best, best_sim = doc_id, sim
    return best


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    x, y = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.count_nonzero(x == y)) / len(x) if len(x) == len(y) and len(x) else 0.0
