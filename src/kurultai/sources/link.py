"""A feed entry that only points to its article: the caller fetches `url`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    url: str
    title: str | None = None
    published: dt.date | None = None  # the entry's own date
    source: str | None = None  # the feed it came from
