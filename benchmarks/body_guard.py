"""What a large POST costs the server before it is refused: `kurultai serve` runs in a subprocess on an empty
SQLite store with a token, and a raw socket sends 100 MB to POST /api/documents (without the token; with
it and a declared length over the limit; with it and a chunked body), stopping as soon as an answer comes.
Reported per case: the status, how much of the body had been sent by then, and the server's RSS growth.

    .venv/bin/python benchmarks/body_guard.py [--mb 100]
"""

from __future__ import annotations

import argparse
import os
import platform
import select
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

TOKEN = "bench-token-0123456789"
CHUNK = 256 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port: int, total: int, headers: dict[str, str], chunked: bool) -> tuple[str, int]:
    """Send the request until the server answers: (status line, body bytes sent by then)."""
    head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": "127.0.0.1", "Content-Type": "application/json", **headers,
                                               **({"Transfer-Encoding": "chunked"} if chunked
                                                  else {"Content-Length": str(total)})}.items())
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"POST /api/documents HTTP/1.1\r\n{head}\r\n".encode())
        piece = b"x" * CHUNK
        while sent < total:
            if select.select([sock], [], [], 0)[0]:
                break
            data = piece[: total - sent]
            try:
                sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n" if chunked else data)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(data)
        if chunked and sent == total:
            sock.sendall(b"0\r\n\r\n")
        sock.settimeout(60)
        answer = sock.recv(4096).decode("latin-1")
    return answer.split("\r\n", 1)[0] or "(connection closed)", sent


def serve(folder: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kurultai.cli", "serve", "--db", f"sqlite:///{folder / 'k.db'}",
                               "--port", str(port)], env={**os.environ, "KURULTAI_API_TOKEN": TOKEN},
                              stdout=subprocess.DEVNULL)
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=1).status_code == 200:
                return server, port
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=100)
    args = ap.parse_args()
    total = args.mb * 1000 * 1000
    folder = Path(tempfile.mkdtemp(prefix="kurultai-body-"))
    print(f"## body_guard.py, {time.strftime('%Y-%m-%d')} ({platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()})\n")
    print(f"A {args.mb} MB POST /api/documents to a fresh `kurultai serve` per case; RSS of the server process.\n")
    print("| case | answer | body sent before the answer | server RSS growth |\n|---|---|---|---|")
    cases = [("no token, Content-Length", {}, False),
             ("token, Content-Length over the limit", {"Authorization": f"Bearer {TOKEN}"}, False),
             ("token, chunked", {"Authorization": f"Bearer {TOKEN}"}, True)]
    for name, headers, chunked in cases:
        server, port = serve(folder)
        try:
            proc = psutil.Process(server.pid)
            before = proc.memory_info().rss
            status, sent = post(port, total, headers, chunked)
            time.sleep(0.5)
            grown = (proc.memory_info().rss - before) / 1e6
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"| {name} | {status} | {sent / 1e6:.1f} MB | {grown:+.0f} MB |")


if __name__ == "__main__":
    main()
