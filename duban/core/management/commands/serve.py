"""Run Duban under gunicorn, the production-grade server; static files are served by WhiteNoise."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError

from duban.core import background
from duban.core.env import env_int


class Command(BaseCommand):
    help = "Serve Duban with gunicorn on HOST:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=env_int("DUBAN_WORKERS", 2, minimum=1))
        parser.add_argument("--threads", type=int, default=env_int("DUBAN_THREADS", 4, minimum=1))
        parser.add_argument(
            "--sweep-every",
            type=int,
            default=env_int("DUBAN_SWEEP_EVERY", 3600, minimum=0),
            help="Run `duban sweep` every N seconds beside the server (0: never; production schedules it itself).",
        )

    def handle(self, *args, host: str, port: str, workers: int, threads: int, sweep_every: int, **options):
        if not str(port).isdigit() or not 0 < int(port) < 65536:
            raise CommandError(f"PORT must be a number between 1 and 65535; got {port!r}.")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "duban.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        if sweep_every > 0 and not background.uses_workers():  # with workers, `duban beat` schedules it
            # The sweeper outlives nothing: it stops when this process (gunicorn after exec) ends.
            subprocess.Popen([sys.executable, "-m", "duban.cli", "sweep", "--every", str(sweep_every)])  # noqa: S603
        self.stdout.write(f"Duban is serving on http://{host}:{port}/ (Ctrl-C stops it)")
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
