"""A short-lived cache of whole GET answers, for a server under many readers.

`ResponseCache` is an ASGI middleware: a GET answer of 200 (up to `max_body` bytes) is kept under its
host, path and query string together with the store version it was computed at (`Store.version()`,
raised by every write from any process), and is sent again, byte for byte, while the store has that
version. The first request that finds the version changed drops every entry, so a write is visible to
the next request in every worker. While one request computes an answer, the same requests that come
meanwhile wait for it instead of computing it again (after each write, 200 clients asking for the
front page cost one computation, not 200).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Entry:
    version: Hashable
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """Caches GET answers per store version; `skip` lists path prefixes never cached."""

    def __init__(self, app: ASGIApp, version: Callable[[], Hashable], max_bytes: int = 64 * 2**20,
                 max_body: int = 2 * 2**20, skip: tuple[str, ...] = ("/static/",)) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.max_body = max_body
        self.skip = skip
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0
        self.seen: Hashable = None
        self.pending: dict[tuple, asyncio.Future[Entry | None]] = {}
        self.hits = self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(self.skip):
            await self.app(scope, receive, send)
            return
        version = self.version()
        if version != self.seen:  # a write since the last request: every entry is stale
            self.entries.clear()
            self.size = 0
            self.seen = version
        headers = dict(scope["headers"])
        key = (version, headers.get(b"host", b""), scope.get("scheme", "http"), scope["path"], scope["query_string"])
        entry = self.entries.get(key)
        if entry is None and key in self.pending:
            entry = await asyncio.shield(self.pending[key])
        if entry is not None:
            self.hits += 1
            if key in self.entries:
                self.entries.move_to_end(key)
            await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        self.misses += 1
        future: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self.pending[key] = future
        start: Message = {}
        chunks: list[bytes] = []
        size = 0

        async def capture(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and size <= self.max_body:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
            await send(message)

        entry = None
        try:
            await self.app(scope, receive, capture)
            if start.get("status") == 200 and size <= self.max_body and not any(
                    k.lower() == b"set-cookie" for k, _ in start.get("headers", ())):
                entry = Entry(version, 200, list(start.get("headers", ())), b"".join(chunks))
                self._keep(key, entry)
        finally:
            del self.pending[key]
            future.set_result(entry)

    def _keep(self, key: tuple, entry: Entry) -> None:
        if key[0] != self.seen:  # a write came while this answer was computed: keep nothing
            return
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes and self.entries:
            _, old = self.entries.popitem(last=False)
            self.size -= len(old.body)
