"""News outlets (`kb/data/outlets.yaml`): found in a text by the marks they sign with, or by a URL's host."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    country: str | None = None
    marks: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()


@dataclass
class Outlets:
    """The KB's outlets, with one pattern of all their marks (longest first, as whole words)."""

    by_id: dict[str, Outlet] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_mark: dict[str, Outlet] = {}
        self._by_host: dict[str, Outlet] = {}
        for o in self.by_id.values():
            for m in o.marks:
                self._by_mark.setdefault(m, o)
            for h in o.hosts:
                self._by_host.setdefault(h.lower(), o)
        marks = sorted(self._by_mark, key=len, reverse=True)
        # a mark stands alone: no letter or digit touches it (".uz" and "-Казахстан" are part of longer marks)
        self._pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(m) for m in marks) + r")(?![\w]|\.\w)") \
            if marks else None

    def finditer(self, text: str) -> Iterator[tuple[Outlet, str, int, int]]:
        """(outlet, mark as written, start, end) of every mark standing in `text`."""
        if self._pattern is None or not text:
            return
        for m in self._pattern.finditer(text):
            yield self._by_mark[m.group(0)], m.group(0), m.start(), m.end()

    def find(self, text: str) -> tuple[Outlet, str] | None:
        """The first outlet whose mark stands in `text`, with the mark as written, or None."""
        if self._pattern is None or not text:
            return None
        m = self._pattern.search(text)
        return (self._by_mark[m.group(0)], m.group(0)) if m else None

    def by_host(self, url_or_host: str | None) -> tuple[Outlet, str] | None:
        """The outlet whose site a URL (or host) is on, with the host, or None: a subdomain counts
        ("ru.sputnik.kz" is sputnik.kz's), and "www." is no part of a host."""
        if not url_or_host:
            return None
        host = url_or_host
        if "://" in url_or_host:
            try:
                host = urlsplit(url_or_host).hostname or ""
            except ValueError:
                return None
        host = host.lower().rstrip(".")
        host = host.removeprefix("www.")
        parts = host.split(".")
        for i in range(len(parts) - 1):
            o = self._by_host.get(".".join(parts[i:]))
            if o is not None:
                return o, host
        return None

    def named(self, name: str) -> Outlet | None:
        """The outlet of a name or mark as written, if it is one of the KB's."""
        return self._by_mark.get(name) or next((o for o in self.by_id.values() if o.name == name), None)
