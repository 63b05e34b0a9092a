"""Errors a user can act on (issue 13, item 9): the dashboard's 404, 422 and 500 are pages in the site's
layout while the API keeps JSON; `serve` on a busy port is one line and exit 2; a database password is
never printed, however the URL gives it."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from conftest import ROOT
from kurultai.api import SECURITY_HEADERS, create_app
from kurultai.redact import redact
from kurultai.store import Store

SECRET = "Sekr3tPw"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('err') / 'k.db'}")
    yield s
    s.close()


@pytest.fixture()
def client(store):
    return TestClient(create_app(store=store, token=""), raise_server_exceptions=False)


def in_layout(r, status: int, words: str) -> None:
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert '<a class="brand" href="/">Kurultai</a>' in r.text and 'href="/timeline"' in r.text  # the site's header
    assert f"<h1>{status} " in r.text and words in r.text
    assert r.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/events/999", 404, "no event 999"), ("/people/Nobody%20At%20All", 404, "no person"),
    ("/countries/XYZ", 404, "no events of XYZ"), ("/nowhere/at/all", 404, "nothing at /nowhere/at/all"),
    ("/events/abc", 422, "event_id"), ("/?topic=bogus", 422, "trade"), ("/map?country=Atlantis", 422, "KGZ"),
    ("/timeline?from=2025-05-01&to=2025-01-01", 422, "after"), ("/?from=May", 422, "YYYY-MM-DD")])
def test_dashboard_errors_are_pages_of_the_site(client, url, status, words):
    in_layout(client.get(url), status, words)


@pytest.mark.parametrize(("url", "status"), [("/api/events/999", 404), ("/api/events?topic=bogus", 422),
                                             ("/api/events/abc", 422), ("/api/nowhere", 404)])
def test_the_api_keeps_json(client, url, status):
    r = client.get(url)
    assert r.status_code == status and r.headers["content-type"].startswith("application/json")
    assert isinstance(r.json()["detail"], str)


def test_a_failure_is_a_500_page_or_json(client, store, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "page", broken)
    r = client.get("/")
    in_layout(r, 500, "Something went wrong")
    assert "disk on fire" not in r.text and "Traceback" not in r.text
    r = client.get("/api/events")
    assert r.status_code == 500 and r.json() == {"detail": "internal server error"}
    assert r.headers["x-frame-options"] == "DENY"


def kurultai(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kurultai.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=env)


def test_serve_on_a_busy_port_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = kurultai("serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'k.db'}")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [f"error: cannot serve on 127.0.0.1:{port}: the port is in use (another "
                                             "server?); pick one with --port"]
    assert not (tmp_path / "k.db").exists()  # nothing made before the port was found busy


URLS = [f"postgresql://kurultai:{SECRET}@127.0.0.1:5432/kurultai_no_such_db",
        f"postgresql://127.0.0.1:5432/kurultai_no_such_db?user=kurultai&password={SECRET}",
        f"postgresql://kurultai:p@ss@{SECRET}@127.0.0.1:5432/x",
        f"postgresql://kurultai:{SECRET}@no.such.host.invalid:5432/x"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("command", [["stats"], ["search", "--country", "KAZ"], ["ingest", "samples/ru_phone_call.txt"],
                                     ["serve", "--port", "FREE"]])
def test_a_password_is_never_printed(command, url):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = str(free.getsockname()[1])
    r = kurultai(*[port if c == "FREE" else c for c in command], "--db", url)
    assert r.returncode == 2
    assert SECRET not in r.stdout + r.stderr and "p@ss" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot open database postgresql://"), r.stderr


def test_redact():
    assert redact(f"postgresql://u:{SECRET}@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert redact(f"postgresql://h/db?user=u&password={SECRET}&sslmode=require") == \
        "postgresql://h/db?user=u&password=***&sslmode=require"
    assert redact(f"host=h password='{SECRET} x' dbname=d") == "host=h password=*** dbname=d"
    assert SECRET not in redact(f"could not connect: ss@{SECRET}@h", f"postgresql://u:p@ss@{SECRET}@h/db")
    assert redact("postgresql://u:p%40ss@h/db") == "postgresql://u:***@h/db"
    assert redact("sqlite:///k.db") == "sqlite:///k.db" and redact("postgresql://u@h/db") == "postgresql://u@h/db"
