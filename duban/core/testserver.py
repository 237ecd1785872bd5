"""For tests of contention: the test database copied to a SQLite file and served by gunicorn in
processes of its own (workers × threads, as `duban serve` runs), and requests fired at it together.

The in-process `live_server` shares one in-memory connection between its threads, so it never
meets SQLite's write lock; this does, as the demo and a single-machine install do."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served_copy(
    folder: Path, *, settings_module: str, workers: int = 2, threads: int = 4, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Copy the (committed) test database into `folder` and serve it; yields the base URL."""
    if connection.vendor != "sqlite":
        raise RuntimeError("served_copy copies a SQLite test database")
    path = folder / "served.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    port = _free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": f"sqlite:///{path}",
        "DUBAN_DEMO": "1",
        "DUBAN_VAR_DIR": str(folder / "var"),
        **(env or {}),
    }
    log = (folder / "server.log").open("wb")
    argv = [sys.executable, "-m", "gunicorn", "duban.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--threads", str(threads), "--timeout", "120"]  # fmt: skip
    server = subprocess.Popen(argv, env=environment, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped: {(folder / 'server.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/open311/v2/discovery.json", timeout=5).close()  # noqa: S310 - our own server
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def fetch(url: str, data: dict | None = None, headers: dict[str, str] | None = None) -> Answer:
    """One GET (or POST of `data`, form-encoded); any status comes back as an Answer."""
    body = urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310 - our own server
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            status, found, text = response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as refusal:
        status, found, text = refusal.code, dict(refusal.headers), refusal.read().decode()
    return Answer(status, found, text, time.monotonic() - started)


def all_at_once(calls: list[Callable[[], Answer]]) -> list[Answer]:
    """Start every call at the same moment in its own thread; the answers in the calls' order."""
    barrier = threading.Barrier(len(calls))
    answers: list[Answer | None] = [None] * len(calls)

    def run(n: int) -> None:
        barrier.wait()
        answers[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers  # type: ignore[return-value]
