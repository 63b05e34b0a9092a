"""Writers take turns: every write transaction begins by raising the store version."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from kurultai.store.models import StoreVersion


def lock_for_writing(s: Session, *, rewrite: bool = False) -> None:
    """Begin a write transaction by raising the store version. Its row lock (PostgreSQL) or the write
    lock the update takes before anything is read (SQLite) is held until commit: writers take turns, and
    documents get their ids in the order their transactions commit. `rewrite`: this transaction changes
    stored events other than by adding documents (a review, a merge or split, `remerge`), so readers'
    indexes are rebuilt rather than read on from the documents added since (`facets.FacetCache`)."""
    values = {"version": StoreVersion.version + 1}
    if rewrite:
        values["rewrites"] = StoreVersion.rewrites + 1
    s.execute(update(StoreVersion).where(StoreVersion.id == 1).values(**values))
