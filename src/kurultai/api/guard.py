"""What the API checks before it reads a request body, as pure ASGI middleware: no body is buffered here.

- A write (any method but GET, HEAD and OPTIONS under /api/) needs the bearer token, and it is checked from
  the headers alone: a wrong or missing token is answered 401 (403 while writes are off) before a single
  byte of the body is read.
- A body may be at most `max_body` bytes (`KURULTAI_MAX_BODY`, default 16 MiB: room for the longest text
  a document may have, 2,000,000 characters, even written as six-byte JSON escapes). A larger
  Content-Length is answered 413 at once; a body without one (chunked) is counted as it arrives and
  answered 413 as soon as it passes the limit: the application then sees the client gone, and its own
  answer is dropped.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_ENV = "KURULTAI_MAX_BODY"
DEFAULT_MAX_BODY = 16 * 1024 * 1024
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def tokens(config: str | None) -> dict[str, str]:
    """The configured tokens and their names: one entry per line (or separated by ";"), each `SECRET` or
    `NAME SECRET` (a token never holds a space); a nameless token is named "api". The name is who the
    review log says made a change."""
    out: dict[str, str] = {}
    for entry in (config or "").replace(";", "\n").splitlines():
        words = entry.split()
        if len(words) == 1:
            out[words[0]] = "api"
        elif len(words) >= 2:
            out[words[-1]] = " ".join(words[:-1])
    return out


def token_name(config: str | None, authorization: str | None) -> str | None:
    """The name of the configured token the Authorization header carries, or None."""
    scheme, _, credentials = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not credentials:
        return None
    name = None
    for secret, who in tokens(config).items():  # every token compared, in constant time each
        if hmac.compare_digest(credentials.strip().encode(), secret.encode()):
            name = who
    return name


def token_refusal(expected: str | None, authorization: str | None) -> tuple[int, str] | None:
    """None when the Authorization header's value carries a configured bearer token, else (status, detail)."""
    if not tokens(expected):
        return 403, "write endpoints are off: no API token is configured on this server"
    scheme, _, credentials = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not credentials:
        return 401, "a bearer token is required"
    if token_name(expected, authorization) is None:
        return 401, "wrong token"
    return None


def max_body_from_env() -> int:
    value = os.environ.get(MAX_BODY_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_BODY
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{MAX_BODY_ENV}={value[:50]!r}: give the largest request body in bytes, e.g. 16777216")
    return int(value)


def challenge(status: int) -> dict[str, str] | None:
    """The headers an answer of `status` needs: a 401 names the scheme it wants."""
    return {"WWW-Authenticate": "Bearer"} if status == 401 else None


def refusal(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=challenge(status))


class RequestGuard:
    """The token check before the body, and the body-size limit; `token()` gives the configured token."""

    def __init__(self, app: ASGIApp, *, token: Callable[[], str | None], max_body: int) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        problem = None
        if scope["method"] not in READ_METHODS and scope["path"].startswith("/api/"):
            problem = token_refusal(self.token(), headers.get("authorization"))
        length = headers.get("content-length")
        if problem is None and length is not None:
            if not length.strip().isdigit():
                problem = 400, "Content-Length is not a number of bytes"
            elif int(length) > self.max_body:
                problem = 413, f"the request body is over {self.max_body} bytes"
        if problem is not None:
            await refusal(*problem)(scope, receive, send)
            return
        await self.app(scope, *self._limited(scope, receive, send))

    def _limited(self, scope: Scope, receive: Receive, send: Send) -> tuple[Receive, Send]:
        """`receive` that counts the body and answers 413 once it passes the limit, and the `send` that then
        drops the application's own answer."""
        received = 0
        over = started = False

        async def counting_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    over = True
                    if not started:
                        await refusal(413, f"the request body is over {self.max_body} bytes")(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        return counting_receive, guarded_send
