"""Merging: copies of one text, and the reports of one event in any language and any order."""

from kurultai.merge.clusters import Clustering, cluster, comparisons
from kurultai.merge.copies import (
    DUPLICATE_THRESHOLD,
    band_keys,
    content_hash,
    from_bytes,
    nearest,
    signature,
    similarity,
    to_bytes,
)
from kurultai.merge.reports import (
    STATUS_RANK,
    Comparison,
    Report,
    compare,
    confidence,
    person_key,
    report_of,
    window,
)

__all__ = [
    "DUPLICATE_THRESHOLD", "STATUS_RANK", "Clustering", "Comparison", "Report", "band_keys", "cluster",
    "compare", "comparisons", "confidence", "content_hash", "from_bytes", "nearest", "person_key", "report_of", "signature",
    "similarity", "to_bytes", "window",
]
