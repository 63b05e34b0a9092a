"""ETags on reads: every GET answer of 200 (up to `max_body` bytes; not the static files, which have their
own) carries `ETag: W/"<hash of the body>"`, and a request whose `If-None-Match` names it gets
`304 Not Modified` without the body. The tag is weak: the same answer gzipped or not is one tag."""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

READS = ("GET",)  # a HEAD answer has no body to tag
# what a 304 keeps of the 200's headers (RFC 9110 15.4.5), besides the security headers added outside
KEPT = {b"cache-control", b"content-location", b"date", b"etag", b"expires", b"vary"}


def etag_of(body: bytes) -> str:
    return 'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (weak comparison, "*" included)."""
    opaque = tag.removeprefix("W/")
    return any(t.strip() == "*" or t.strip().removeprefix("W/") == opaque for t in if_none_match.split(","))


class ETags:
    def __init__(self, app: ASGIApp, max_body: int = 32 * 2**20, skip: tuple[str, ...] = ("/static/",)) -> None:
        self.app = app
        self.max_body = max_body
        self.skip = skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in READS or scope["path"].startswith(self.skip):
            await self.app(scope, receive, send)
            return
        asked = Headers(scope=scope).get("if-none-match")
        start: Message = {}
        chunks: list[bytes] = []
        size = 0
        passing = False  # not a whole 200 answer held here: sent on as it comes

        async def hold(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200:
                    passing = True
                    await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:  # too large to hold: what is held goes out, then the rest
                passing = True
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": message.get("more_body", False)})
                return
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            tag = etag_of(body)
            headers = [(k, v) for k, v in start.get("headers", ()) if k.lower() != b"etag"] + [(b"etag", tag.encode())]
            if asked and matches(asked, tag):
                await send({"type": "http.response.start", "status": 304,
                            "headers": [(k, v) for k, v in headers if k.lower() in KEPT]})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, hold)
