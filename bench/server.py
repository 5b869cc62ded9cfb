"""``isgraph serve`` for the benchmarks: started on a free port of 127.0.0.1, stopped after."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(store: Path, *args: str, wait: float = 300) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    """``isgraph serve --store STORE ARGS…`` and its base URL, once it answers a query."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "isgraph.cli", "serve", "--store", str(store), "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + wait
    while True:
        try:
            urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5).read()
            return server, base
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                raise SystemExit("isgraph serve did not start") from None
            time.sleep(0.2)


def stop(server: subprocess.Popen) -> None:  # type: ignore[type-arg]
    server.terminate()
    server.wait(timeout=60)
