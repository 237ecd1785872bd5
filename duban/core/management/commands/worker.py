"""`duban worker`: a Celery worker for the background tasks (needs CELERY_BROKER_URL)."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a Celery worker for imports, the sweep and notification delivery (needs CELERY_BROKER_URL)."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=2, help="Tasks run at once (processes).")
        parser.add_argument("--name", default="", help="The worker's node name (default: worker@host).")

    def handle(self, *args, concurrency: int, name: str, **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("duban worker needs CELERY_BROKER_URL (redis://… or amqp://…); without it the "
                               "background work runs inside `duban serve`.")  # fmt: skip
        argv = [sys.executable, "-m", "celery", "-A", "duban.celery", "worker", "--loglevel", "INFO",
                "--concurrency", str(concurrency), *(["--hostname", name] if name else [])]  # fmt: skip
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
