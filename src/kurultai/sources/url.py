"""Fetching articles over HTTP(S), politely.

A clear User-Agent, timeouts, a size limit, robots.txt respected (fetched with the same client, cached per
host), and retries with exponential backoff on connection errors, timeouts, 5xx and 429 (a short
Retry-After is honoured, a long one gives up). Other 4xx answers are not retried. Redirects are followed
by hand so that robots.txt is checked for every hop, and the SSRF guard (`kurultai.sources.ssrf`) too:
loopback, private, link-local and other non-public addresses are refused unless KURULTAI_URL_ALLOW
lists them.
"""

from __future__ import annotations

import email.utils
import threading
import time
import urllib.robotparser
from urllib.parse import urljoin, urlsplit

import httpx

from kurultai.clean import MAX_BYTES, InputError
from kurultai.sources.ssrf import GuardedTransport, Refused, UrlGuard

USER_AGENT = "Kurultai/0.1 (+diplomatic events research; contact in project README)"
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for a longer pause is not waited for
ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is trusted
ROBOTS_FAILURE_TTL = 300.0  # seconds an unreachable robots.txt keeps its host closed
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: at least the first 500 KiB are parsed
_RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

# origin -> (expiry, parser, or the reason robots.txt could not be read)
_robots_cache: dict[str, tuple[float, urllib.robotparser.RobotFileParser | str]] = {}
_robots_lock = threading.Lock()


def clear_robots_cache() -> None:
    with _robots_lock:
        _robots_cache.clear()


def _one_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:200]


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """One HTTP client, its retry policy and its robots.txt checks; reuse it for many URLs of a source.

    The client made here connects through the SSRF guard (`guard`, by default the one KURULTAI_URL_ALLOW
    configures); a `client` given instead brings its own transport."""

    def __init__(self, *, timeout: float = 20, retries: int = 3, user_agent: str = USER_AGENT,
                 backoff: float = 0.5, max_retry_after: float = MAX_RETRY_AFTER, max_bytes: int = MAX_BYTES,
                 respect_robots: bool = True, client: httpx.Client | None = None,
                 guard: UrlGuard | None = None) -> None:
        self.timeout = timeout
        self.retries = max(0, retries)
        self.user_agent = user_agent
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_bytes = max_bytes
        self.respect_robots = respect_robots
        self._own_client = client is None
        self.client = client or httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                                             headers={"User-Agent": user_agent}, trust_env=False,
                                             transport=GuardedTransport(guard or UrlGuard.from_env()))

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- one request with retries -------------------------------------------------------------------------
    def _request(self, url: str, limit: int, truncate: bool = False) -> tuple[int, httpx.Headers, bytes]:
        """GET without following redirects: (status, headers, body). Retries transient failures.

        A body over `limit` bytes is an InputError, or with `truncate` is cut there."""
        last = ""
        for attempt in range(self.retries + 1):
            delay = self.backoff * (2 ** attempt)
            try:
                with self.client.stream("GET", url, headers={"User-Agent": self.user_agent},
                                        timeout=self.timeout) as resp:
                    status = resp.status_code
                    if status == 429 or 500 <= status < 600:
                        last = f"HTTP {status}"
                        wait = _retry_after(resp)
                        if wait is not None:
                            if wait > self.max_retry_after:
                                raise InputError(f"HTTP {status}, Retry-After {wait:.0f}s is too long")
                            delay = max(delay, wait)
                    else:
                        return status, resp.headers, self._read(resp, limit, truncate)
            except _RETRYABLE as exc:
                last = f"{type(exc).__name__}: {_one_line(exc)}"
            except httpx.HTTPError as exc:  # bad URL, unsupported protocol, decoding error...
                raise InputError(f"fetch failed: {type(exc).__name__}: {_one_line(exc)}") from None
            if attempt < self.retries:
                time.sleep(delay)
        raise InputError(f"fetch failed after {self.retries + 1} attempts: {last}")

    def _read(self, resp: httpx.Response, limit: int, truncate: bool) -> bytes:
        deadline = time.monotonic() + 3 * self.timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > limit:
                if truncate:
                    chunks.append(chunk[: len(chunk) - (size - limit)])
                    break
                raise InputError(f"response too large (over {limit} bytes)")
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("body took too long")
            chunks.append(chunk)
        return b"".join(chunks)

    # -- robots.txt ---------------------------------------------------------------------------------------
    def _robots(self, origin: str) -> urllib.robotparser.RobotFileParser | str:
        now = time.monotonic()
        with _robots_lock:
            hit = _robots_cache.get(origin)
        if hit and hit[0] > now:
            return hit[1]
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        result: urllib.robotparser.RobotFileParser | str = parser
        try:
            status, body = self._follow(origin + "/robots.txt", ROBOTS_MAX_BYTES, check_robots=False,
                                        truncate=True)
        except Refused:
            raise
        except InputError as exc:
            result = f"robots.txt unreachable ({exc})"
        else:
            if 200 <= status < 300:
                parser.parse(body.decode("utf-8", errors="replace").splitlines())
            elif 400 <= status < 500:  # RFC 9309: no robots.txt (any 4xx) allows everything
                parser.allow_all = True
            else:
                result = f"robots.txt unreachable (HTTP {status})"
        ttl = ROBOTS_FAILURE_TTL if isinstance(result, str) else ROBOTS_TTL
        with _robots_lock:
            _robots_cache[origin] = (now + ttl, result)
        return result

    def check_robots(self, url: str) -> None:
        if not self.respect_robots:
            return
        parts = urlsplit(url)
        robots = self._robots(f"{parts.scheme}://{parts.netloc}")
        if isinstance(robots, str):  # RFC 9309: an unreachable robots.txt disallows the whole site
            raise InputError(robots)
        if not robots.can_fetch(self.user_agent, url):
            raise InputError("disallowed by robots.txt")

    # -- redirects ----------------------------------------------------------------------------------------
    def _follow(self, url: str, limit: int, check_robots: bool = True, final: list[str] | None = None,
                ctype: list[str] | None = None, truncate: bool = False) -> tuple[int, bytes]:
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise InputError(f"not an http(s) URL: {url[:200]}")
            try:
                httpx.URL(url)
            except httpx.InvalidURL as exc:  # e.g. the octal host 0177.0.0.1
                raise InputError(f"not a valid URL: {_one_line(exc)}") from None
            if check_robots:
                self.check_robots(url)
            status, headers, body = self._request(url, limit, truncate)
            if status in (301, 302, 303, 307, 308) and headers.get("location"):
                url = urljoin(url, headers["location"])
                continue
            if final is not None:
                final.append(url)
            if ctype is not None:
                ctype.append(headers.get("content-type", ""))
            return status, body
        raise InputError(f"more than {MAX_REDIRECTS} redirects")

    def fetch(self, url: str) -> tuple[bytes, str, str]:
        """(body, content type, final URL) of a successful GET; InputError for anything else."""
        final: list[str] = []
        ctype: list[str] = []
        status, body = self._follow(url, self.max_bytes, final=final, ctype=ctype)
        if not 200 <= status < 300:
            raise InputError(f"HTTP {status}")
        if not body.strip():
            raise InputError("empty response")
        return body, ctype[0], final[0]


def error_source(message: str) -> str:
    """The source an ingest error's message starts with: its URL, normalised (scheme and host in lower
    case, no user info, default port or fragment), or the path before the first colon."""
    if not message[:8].lower().startswith(("http://", "https://")):
        return message.split(":", 1)[0]
    url = message.split(": ", 1)[0]  # a URL has no space
    try:
        return str(httpx.URL(url).copy_with(userinfo=b"", fragment=None))
    except httpx.InvalidURL:
        return url


def fetch(url: str, *, timeout: float = 20, retries: int = 3, user_agent: str = USER_AGENT,
          backoff: float = 0.5, client: httpx.Client | None = None) -> tuple[bytes, str, str]:
    """Fetch one URL: (bytes, content type, final URL). See `Fetcher` for the policy."""
    with Fetcher(timeout=timeout, retries=retries, user_agent=user_agent, backoff=backoff, client=client) as f:
        return f.fetch(url)
