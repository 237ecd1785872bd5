"""`duban beat`: the schedule of the periodic tasks (CELERY_BEAT_SCHEDULE), for the workers. Run one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Send the periodic tasks (the sweep, recovery, digests) to the workers on schedule; run exactly one."

    def handle(self, *args, **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("duban beat needs CELERY_BROKER_URL; without it `duban serve` runs the sweep itself.")
        schedule = Path(settings.VAR_DIR) / "celerybeat-schedule"
        argv = [sys.executable, "-m", "celery", "-A", "duban.celery", "beat", "--loglevel", "INFO",
                "--schedule", str(schedule), "--pidfile="]  # fmt: skip
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
