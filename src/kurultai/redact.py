"""Database passwords out of everything printed: a URL's userinfo password (even one holding "@"), a
`password=` parameter of its query string or of a libpq keyword string, and the same password wherever
a driver's message quotes it."""

from __future__ import annotations

import re
from urllib.parse import unquote

MASK = "***"
# scheme://user:PASSWORD@host...: the password runs to the last "@" before the host's path
_USERINFO = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^\s/]*)@(?P<host>[^@\s/]*)", re.I)
_PARAM = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<password>'[^']*'|[^&\s;]+)", re.I)


def secrets(text: str) -> set[str]:
    """The passwords `text` (a URL, a connection string) holds, as written and unquoted, and the parts
    of one holding "@" (a driver reads the first part as the password, the rest as the host)."""
    found = {m.group("password") for m in _USERINFO.finditer(text)} | {
        m.group("password").strip("'") for m in _PARAM.finditer(text)}
    return {s for p in found if p for s in (p, unquote(p), *p.split("@")) if s}


def unquoted_at(url: str) -> bool:
    """Whether the password of `url` holds an "@" not written as %40 (drivers read the URL otherwise)."""
    return any("@" in m.group("password") for m in _USERINFO.finditer(url))


def redact(text: str, *urls: str) -> str:
    """`text` with every password it or `urls` hold masked."""
    out = _PARAM.sub(lambda m: m.group("head") + MASK, _USERINFO.sub(lambda m: f"{m.group('head')}{MASK}@{m.group('host')}", text))
    for secret in sorted(set().union(*(secrets(u) for u in (text, *urls))), key=len, reverse=True):
        if len(secret) >= 3:  # a one- or two-letter password would mask every such letter pair
            out = out.replace(secret, MASK)
    return out
