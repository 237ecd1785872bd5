"""A rehearsal of the production layout on one machine (`make cluster`): PostgreSQL (the local
server, a database of the cluster's own), a Redis of its own as the broker and the shared cache, two
app hosts (`duban serve`) on two ports, one worker and beat, all on loopback, the hosts and the worker
sharing one file folder (as they would a shared mount) and each keeping its own var/ folder.

`python -m duban.core.cluster` runs it until Ctrl-C; `duban/core/tests/test_cluster.py` drives it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_database(server_url: str, name: str) -> str:
    """A new, empty database `name` on the PostgreSQL server of `server_url`; its URL."""
    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def worker_ready(worker: subprocess.Popen, log: Path, before: int = 0, seconds: float = 60) -> None:
    """Wait until the Celery worker writing `log` (from byte `before` on) says it is ready."""
    deadline = time.monotonic() + seconds
    while b" ready." not in log.read_bytes()[before:]:
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the worker did not start: " + log.read_text()[-2000:])
        time.sleep(0.2)


class Mailbox:
    """An aiosmtpd handler keeping every message it is given (a local SMTP server's inbox)."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope.content)
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(message_from_bytes(m)["Subject"]))) for m in self.messages]

    def first_lines(self) -> list[str]:
        """Each message's first line of text (a notice's own text)."""
        return [message_from_bytes(m).get_payload(decode=True).decode("utf-8").split("\n")[0] for m in self.messages]


@dataclass
class Cluster:
    folder: Path
    database_url: str
    extra_env: dict[str, str] = field(default_factory=dict)
    redis_port: int = field(default_factory=free_port)
    ports: tuple[int, int] = field(default_factory=lambda: (free_port(), free_port()))
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def broker_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def hosts(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def env(self, name: str) -> dict[str, str]:
        """The environment of one process: its own var/ folder, everything else shared."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "duban.settings",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "DUBAN_MEDIA_ROOT": str(self.folder / "shared-files"),
            "DUBAN_VAR_DIR": str(self.folder / name / "var"),
            "DUBAN_DEMO": "1",
            **self.extra_env,
        }

    def _start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and commands
            argv, env=self.env(name), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def _duban(self, name: str, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "duban.cli", *args], env=self.env(name), cwd=ROOT, check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL)  # fmt: skip

    def start(self) -> Cluster:
        redis = shutil.which("redis-server")
        if redis is None:
            raise RuntimeError("make cluster needs redis-server (Debian's redis-server package).")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._start("redis", [redis, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"])  # fmt: skip
        self._wait_for_port(self.redis_port)
        self._duban("host-a", "migrate", "--verbosity", "0")
        self._duban("host-a", "collectstatic", "--noinput", "--verbosity", "0")
        shutil.copytree(self.folder / "host-a" / "var" / "static", self.folder / "host-b" / "var" / "static")
        for name, port in zip(("host-a", "host-b"), self.ports, strict=True):
            self._start(name, [sys.executable, "-m", "duban.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--workers", "1", "--threads", "4"])  # fmt: skip
        self.start_worker()
        self._start("beat", [sys.executable, "-m", "duban.cli", "beat"])
        for port in self.ports:
            self._wait_for_port(port)
        for host in self.hosts:
            self._wait_for_page(host + "/open311/v2/discovery.json")
        return self

    def start_worker(self) -> subprocess.Popen:
        log = self.folder / "worker.log"
        before = log.stat().st_size if log.exists() else 0
        worker = self._start("worker", [sys.executable, "-m", "duban.cli", "worker", "--concurrency", "2"])
        worker_ready(worker, log, before)
        return worker

    def kill(self, name: str) -> None:
        """Stop a process and everything it started at once, as a power cut would (SIGKILL)."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    @staticmethod
    def _wait_for_port(port: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    @staticmethod
    def _wait_for_page(url: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - our own server
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)


def main() -> None:
    server = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not server.startswith("postgres"):
        sys.exit("make cluster needs PostgreSQL: set DATABASE_URL=postgres://USER@127.0.0.1:5432/NAME")
    folder = ROOT / "var" / "cluster"
    shutil.rmtree(folder, ignore_errors=True)
    cluster = Cluster(folder, fresh_database(server, "duban_cluster"))
    print("Starting PostgreSQL database duban_cluster, Redis, two app hosts, a worker and beat …", flush=True)
    cluster.start()
    print(f"Host A: {cluster.hosts[0]}/  Host B: {cluster.hosts[1]}/  Broker: {cluster.broker_url}", flush=True)
    print(f"Logs in {folder}; Ctrl-C stops everything.", flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        # Ctrl-C reaches this process more than once (from the terminal and through `uv run`):
        # the ones after the first must not cut the stopping short and leave processes behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("Stopping …", flush=True)
        cluster.stop()


if __name__ == "__main__":
    main()
