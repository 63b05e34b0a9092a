"""The SSRF guard of URL ingest: loopback, private, link-local and other non-public addresses are refused
in every spelling, redirects to them too, every address a name resolves to is checked, the connection
goes to the checked address, and KURULTAI_URL_ALLOW lets a team reach its own hosts. An error of a URL is
stored under that URL. Only local servers on 127.0.0.1 are used; names other than localhost are answered
by the tests' own resolvers."""

from __future__ import annotations

import ipaddress
import json
import re
import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kurultai.clean import InputError
from kurultai.sources import open_source
from kurultai.sources.url import Fetcher, clear_robots_cache

ALLOW = "KURULTAI_URL_ALLOW"
ARTICLE = ("<html><head><title>Переговоры</title></head><body><p>Астана, 3 марта 2025 года. Министр иностранных "
           "дел Казахстана провёл переговоры с министром иностранных дел Кыргызстана. Стороны обсудили торговлю "
           "и транспорт.</p></body></html>")


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: list[str] = []
        self.hosts: list[str] = []

    @property
    def port(self) -> int:
        return self.server_address[1]


class Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        self.server.hosts.append(self.headers.get("Host", ""))
        if self.path == "/page.html":
            status, body, extra = 200, ARTICLE.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}
        elif self.path == "/stats":  # what a server tells only its own network
            status, body, extra = 200, json.dumps({"documents": 7, "secret": "internal"}).encode(), {
                "Content-Type": "text/plain"}
        elif self.path == "/to-stats":
            status, body, extra = 302, b"", {"Location": f"http://127.0.0.1:{self.server.port}/stats"}
        else:
            status, body, extra = 404, b"not found", {"Content-Type": "text/plain"}
        self.send_response(status)
        for name, value in {**extra, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def site(monkeypatch):
    monkeypatch.delenv(ALLOW, raising=False)
    clear_robots_cache()
    server = Site()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=2)
    clear_robots_cache()


def only(items: list) -> object:
    assert len(items) == 1, items
    return items[0]


@pytest.mark.parametrize(("host", "reason"), [
    ("127.0.0.1", "refused: 127.0.0.1 is a loopback address"), ("localhost", "refused: localhost (at "),
    ("0x7f000001", "refused: 0x7f000001 (at 127.0.0.1) is a loopback address"),
    ("2130706433", "refused: 2130706433 (at 127.0.0.1) is a loopback address"),
    ("127.1", "refused: 127.1 (at 127.0.0.1) is a loopback address"),
    ("[::ffff:127.0.0.1]", "refused: ::ffff:127.0.0.1 is a loopback address"),
    ("[::1]", "refused: ::1 is a loopback address"),
    ("0177.0.0.1", "not a valid URL: Invalid IPv4 address"),  # the URL parser takes no octal
])
def test_loopback_is_refused_in_every_spelling(site, host, reason):
    url = f"http://{host}:{site.port}/stats"
    err = only(list(open_source(url)))
    assert isinstance(err, InputError) and str(err).startswith(f"{url}: {reason}") and "\n" not in str(err)
    assert site.hits == []


@pytest.mark.parametrize("host", ["169.254.169.254", "10.0.0.1", "172.16.5.4", "192.168.0.1", "100.64.0.1", "0.0.0.0",
                                  "224.0.0.1", "240.0.0.1", "[fd00::1]", "[fe80::1]", "[::ffff:10.0.0.1]"])
def test_private_link_local_and_reserved_addresses_are_refused_before_connecting(monkeypatch, host):
    monkeypatch.delenv(ALLOW, raising=False)
    err = only(list(open_source(f"http://{host}/latest/meta-data/")))
    assert isinstance(err, InputError) and ": refused: " in str(err)


def test_a_redirect_to_a_refused_address_is_not_followed(site, monkeypatch):
    monkeypatch.setenv(ALLOW, "localhost")  # the first hop is a host the team allowed; its redirect is not
    err = only(list(open_source(f"http://localhost:{site.port}/to-stats")))
    assert isinstance(err, InputError) and "refused: 127.0.0.1 is a loopback address" in str(err)
    assert "/to-stats" in site.hits and "/stats" not in site.hits


@pytest.mark.parametrize(("allow", "host"), [("127.0.0.1", "127.0.0.1"), ("127.0.0.0/8", "0x7f000001"),
                                             ("localhost", "localhost"), ("example.org, LOCALHOST.", "localhost"),
                                             ("::1 127.0.0.1/32", "localhost")])
def test_the_allow_list_admits_hosts_and_networks(site, monkeypatch, allow, host):
    monkeypatch.setenv(ALLOW, allow)
    doc = only(list(open_source(f"http://{host}:{site.port}/page.html")))
    assert not isinstance(doc, InputError) and "переговоры" in doc.text


def test_a_host_name_on_the_allow_list_does_not_admit_its_address(site, monkeypatch):
    monkeypatch.setenv(ALLOW, "localhost")
    err = only(list(open_source(f"http://127.0.0.1:{site.port}/page.html")))
    assert isinstance(err, InputError) and "refused" in str(err)


def test_a_bad_allow_list_entry_is_one_clear_error(monkeypatch, tmp_path):
    from kurultai.api import create_app
    from kurultai.store import Store

    monkeypatch.setenv(ALLOW, "wiki.corp,10.0.0.0/33")
    message = f"{ALLOW}: '10.0.0.0/33' is neither a host name nor a network"
    with pytest.raises(InputError) as caught:
        Fetcher()
    assert str(caught.value) == message
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    r = TestClient(create_app(store=store, token="t0ken")).post(
        "/api/documents", json={"url": "http://127.0.0.1:9/x"}, headers={"Authorization": "Bearer t0ken"})
    assert r.status_code == 422 and r.json()["detail"] == message
    store.close()


def resolver(answers: dict[str, list[list[str]]]):
    """A resolver that answers each name with its next list of addresses (the last one again at the end)."""
    calls: dict[str, int] = {}

    def resolve(host: str, port: int) -> list[str]:
        n = calls[host] = calls.get(host, 0) + 1
        return answers[host][min(n, len(answers[host])) - 1]

    return resolve


def test_every_address_of_a_name_is_checked(site):
    from kurultai.sources.ssrf import Refused, UrlGuard

    guard = UrlGuard(resolver=resolver({"mixed.test": [["93.184.216.34", "127.0.0.1"]]}))
    with pytest.raises(Refused, match=r"mixed\.test \(at 127\.0\.0\.1\) is a loopback address"):
        guard.addresses("mixed.test", 80)
    with Fetcher(retries=0, guard=guard) as fetcher, pytest.raises(Refused):
        fetcher.fetch(f"http://mixed.test:{site.port}/page.html")
    assert site.hits == []


def test_the_connection_goes_to_the_checked_address(site):
    from kurultai.sources.ssrf import UrlGuard

    # the OS cannot resolve pinned.test: the page is only reached through the address the guard checked
    guard = UrlGuard(["127.0.0.1"], resolver=resolver({"pinned.test": [["127.0.0.1"]]}))
    with Fetcher(retries=0, guard=guard) as fetcher:
        body, _, final = fetcher.fetch(f"http://pinned.test:{site.port}/page.html")
    assert "переговоры".encode() in body and final == f"http://pinned.test:{site.port}/page.html"
    assert set(site.hosts) == {f"pinned.test:{site.port}"}  # the name still goes in the Host header


def test_a_name_rebound_to_a_private_address_is_refused_on_the_next_request(site):
    from kurultai.sources.ssrf import UrlGuard

    guard = UrlGuard(["127.0.0.1"], resolver=resolver({"rebind.test": [["127.0.0.1"], ["10.0.0.1"]]}))
    with Fetcher(retries=0, guard=guard) as fetcher, pytest.raises(InputError, match="rebind.test .at 10.0.0.1. is a private"):
        fetcher.fetch(f"http://rebind.test:{site.port}/page.html")
    assert site.hits == ["/robots.txt"]  # robots.txt from the checked address; the page not at all


@pytest.fixture()
def tls_site(tmp_path):
    """A local HTTPS server whose certificate (self-signed, made with openssl) names only pinned.test."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=pinned.test",
                    "-addext", "subjectAltName=DNS:pinned.test", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server = Site()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server, ssl.create_default_context(cafile=str(cert))
    server.shutdown()
    server.server_close()
    thread.join(timeout=2)


def test_https_to_the_checked_address_still_verifies_the_name(tls_site):
    import httpx

    from kurultai.sources.ssrf import GuardedTransport, UrlGuard

    server, trust = tls_site
    names = {"pinned.test": [["127.0.0.1"]], "other.test": [["127.0.0.1"]]}
    guard = UrlGuard(["127.0.0.1"], resolver=resolver(names))
    client = httpx.Client(transport=GuardedTransport(guard, verify=trust), trust_env=False)
    with Fetcher(retries=0, client=client) as fetcher:
        body, _, _ = fetcher.fetch(f"https://pinned.test:{server.port}/page.html")
        assert "переговоры".encode() in body  # SNI and the certificate check used the name, not 127.0.0.1
        with pytest.raises(InputError, match="CERTIFICATE_VERIFY_FAILED|certificate"):
            fetcher.fetch(f"https://other.test:{server.port}/page.html")
    client.close()


PUBLIC_V4 = st.ip_addresses(v=4).filter(lambda a: a.is_global and not a.is_multicast)


@given(st.one_of(*(st.ip_addresses(network=n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10",
    "0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8"))))
def test_non_public_addresses_are_forbidden_in_every_form(address):
    from kurultai.sources.ssrf import forbidden

    assert forbidden(address)
    if address.version == 4:
        for carrier in (f"::ffff:{address}", f"64:ff9b::{address}"):
            assert forbidden(ipaddress.IPv6Address(carrier)) == forbidden(address)
        assert forbidden(ipaddress.IPv6Address((0x2002 << 112) | (int(address) << 80)))  # 6to4


@given(PUBLIC_V4)
def test_public_addresses_are_allowed_in_every_form(address):
    from kurultai.sources.ssrf import forbidden

    assert forbidden(address) is None
    assert forbidden(ipaddress.IPv6Address(f"::ffff:{address}")) is None
    assert forbidden(ipaddress.IPv6Address(f"64:ff9b::{address}")) is None


def test_the_api_answers_a_refused_url_with_a_4xx(site, tmp_path):
    from kurultai.api import create_app
    from kurultai.store import Store

    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    client = TestClient(create_app(store=store, token="t0ken"))
    r = client.post("/api/documents", json={"url": f"http://127.0.0.1:{site.port}/to-stats"},
                    headers={"Authorization": "Bearer t0ken"})
    assert r.status_code == 422 and "refused: 127.0.0.1 is a loopback address" in r.json()["detail"]
    assert site.hits == [] and store.stats()["documents"] == 0
    store.close()


def test_cli_ingest_of_a_refused_url_is_one_line_and_stored_under_its_url(tmp_path, monkeypatch):
    import sqlalchemy as sa

    from kurultai.cli import app
    from kurultai.store import Store
    from kurultai.store.models import IngestErrorRow

    monkeypatch.delenv(ALLOW, raising=False)
    db = f"sqlite:///{tmp_path / 'k.db'}"
    url = "HTTP://LocalHost:9/News/Item?id=7#top"
    result = CliRunner().invoke(app, ["ingest", url, "--db", db])
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert re.fullmatch(rf"error: {re.escape(url)}: refused: localhost \(at [\d.:]+\) is a loopback address; {ALLOW} "
                        "lists the hosts and networks a team may reach", line), line
    store = Store(db)
    with store.Session() as s:
        assert [r.source for r in s.scalars(sa.select(IngestErrorRow))] == ["http://localhost:9/News/Item?id=7"]
    store.close()


@pytest.mark.parametrize(("message", "source"), [
    ("https://User:Secret@News.Example.KZ:443/a/b?id=1#c: HTTP 404", "https://news.example.kz/a/b?id=1"),
    ("http://пример.рф/статья: HTTP 500", "http://xn--e1afmkfd.xn--p1ai/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F"),
    ("corpus/a.txt: empty file", "corpus/a.txt"),
    ("KURULTAI_URL_ALLOW: 'x/y' is neither a host name nor a network", "KURULTAI_URL_ALLOW"),
])
def test_an_error_is_stored_under_its_source(message, source):
    from kurultai.sources.url import error_source

    assert error_source(message) == source
