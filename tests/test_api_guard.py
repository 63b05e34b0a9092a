"""The API's guards before a request body is read: the write token is checked from the headers alone (a
401 or 403 reads none of the body), a declared or counted body over the limit is a 413 (a chunked one
stops being read at the limit), and normal writes still work. Requests are driven straight through ASGI
so that each body chunk the application asks for is counted."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kurultai.api import create_app
from kurultai.store import Store

TOKEN = "guard-token-0123456789"
AUTH = {"authorization": f"Bearer {TOKEN}"}
CHUNK = 64 * 1024
TEXT = ("Бишкек, 5 мая 2025 года. Министр иностранных дел Кыргызстана Жээнбек Кулубаев встретился с министром "
        "иностранных дел Казахстана Муратом Нуртлеу. Стороны обсудили торговлю и транспорт.")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('guard') / 'k.db'}")
    yield s
    s.close()


class Sent:
    """What one request through the ASGI app gave: status, headers, body, and how many body chunks the
    application asked for."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes, asked: int) -> None:
        self.status, self.headers, self.body, self.asked = status, headers, body, asked

    def json(self):
        return json.loads(self.body)


def call(app, method: str, path: str, headers: dict[str, str], chunks: Iterator[bytes]) -> Sent:
    """One request whose body comes in `chunks`; after the last one the client is gone."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    asked = 0
    pending = next(chunks, None)
    messages: list[dict] = []

    async def receive() -> dict:
        nonlocal asked, pending
        if pending is None:
            return {"type": "http.disconnect"}
        asked += 1
        chunk, pending = pending, next(chunks, None)
        return {"type": "http.request", "body": chunk, "more_body": pending is not None}

    async def send(message: dict) -> None:
        messages.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return Sent(start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body, asked)


def junk(total: int) -> Iterator[bytes]:
    """`total` bytes of a body that is not even JSON, in 64 KiB chunks."""
    for start in range(0, total, CHUNK):
        yield b"x" * min(CHUNK, total - start)


BIG = 20 * 1024 * 1024  # over the default limit of 16 MiB


@pytest.mark.parametrize(("token", "headers", "status"), [
    (TOKEN, {}, 401), (TOKEN, {"authorization": "Bearer wrong"}, 401), (TOKEN, {"authorization": "Basic eDp5"}, 401),
    ("", AUTH, 403),
])
def test_a_write_without_the_token_is_refused_before_its_body_is_read(store, token, headers, status):
    app = create_app(store=store, token=token)
    sent = call(app, "POST", "/api/documents", {"content-type": "application/json", **headers}, junk(BIG))
    assert sent.status == status and sent.asked == 0
    assert isinstance(sent.json()["detail"], str)
    assert (sent.headers.get("www-authenticate") == "Bearer") == (status == 401)


def test_a_declared_length_over_the_limit_is_413_before_reading(store):
    app = create_app(store=store, token=TOKEN)
    sent = call(app, "POST", "/api/documents", {**AUTH, "content-type": "application/json",
                                                "content-length": str(BIG)}, junk(BIG))
    assert sent.status == 413 and sent.asked == 0 and "over 16777216 bytes" in sent.json()["detail"]
    assert sent.headers["x-content-type-options"] == "nosniff"  # the guard's answers get the security headers


def test_a_chunked_body_over_the_limit_is_413_and_no_longer_read(store):
    app = create_app(store=store, token=TOKEN)
    sent = call(app, "POST", "/api/documents", {**AUTH, "content-type": "application/json"}, junk(BIG))
    assert sent.status == 413 and "over 16777216 bytes" in sent.json()["detail"]
    assert sent.asked == 16 * 1024 * 1024 // CHUNK + 1  # read up to the chunk that passed the limit, no further
    assert store.stats()["documents"] == 0


def test_a_read_request_needs_no_token_and_its_declared_body_counts_too(store):
    app = create_app(store=store, token=TOKEN, max_body=1000)
    assert call(app, "GET", "/api/stats", {"content-length": "5000"}, junk(5000)).status == 413
    sent = call(app, "GET", "/api/stats", {}, junk(5000))  # a body no one reads is no cost: it stays unread
    assert sent.status == 200 and sent.asked == 0


def test_a_content_length_that_is_not_a_number_is_400(store):
    app = create_app(store=store, token=TOKEN)
    sent = call(app, "POST", "/api/documents", {**AUTH, "content-length": "lots"}, junk(10))
    assert sent.status == 400 and sent.asked == 0


def test_the_limit_comes_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("KURULTAI_MAX_BODY", "2048")
    app = create_app(store=store, token=TOKEN)
    assert call(app, "POST", "/api/documents", {**AUTH, "content-length": "4096"}, junk(4096)).status == 413
    monkeypatch.setenv("KURULTAI_MAX_BODY", "16M")
    with pytest.raises(ValueError, match=r"^KURULTAI_MAX_BODY='16M': give the largest request body in bytes"):
        create_app(store=store, token=TOKEN)


def test_writes_under_the_limit_still_work_chunked_or_not(store):
    body = json.dumps({"text": TEXT, "published": "2025-05-05"}, ensure_ascii=False).encode("utf-8")
    app = create_app(store=store, token=TOKEN, max_body=len(body) + 10)
    pieces = iter([body[i:i + 100] for i in range(0, len(body), 100)])
    sent = call(app, "POST", "/api/documents", {**AUTH, "content-type": "application/json"}, pieces)
    assert sent.status == 201, sent.body
    assert sent.json()["status"] == "stored"
    again = TestClient(app).post("/api/documents", content=body,
                                 headers={**AUTH, "content-type": "application/json"})
    assert again.status_code == 201 and again.json()["status"] == "exists"
