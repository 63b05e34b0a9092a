"""Writers take turns: every write transaction begins by raising the store version."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from kurultai.store.models import StoreVersion


def lock_for_writing(s: Session) -> None:
    """Begin a write transaction by raising the store version. Its row lock (PostgreSQL) or the write
    lock the update takes before anything is read (SQLite) is held until commit: writers take turns."""
    s.execute(update(StoreVersion).where(StoreVersion.id == 1).values(version=StoreVersion.version + 1))
