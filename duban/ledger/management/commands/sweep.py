"""`duban sweep`: lights and automatic escalation for every open ledger item."""

from __future__ import annotations

import datetime as dt
import os
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from duban.ledger.services.sweep import sweep_run


class Command(BaseCommand):
    help = "Apply lights and the escalation policy to every open item (idempotent; safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Sweep as of this date (YYYY-MM-DD); default today in Asia/Shanghai.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Sweep even when that day's sweep has finished and nothing has changed since.",
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="Keep running, sweeping every N seconds (used by `duban serve`).",
        )

    def handle(self, *args, date: str | None, force: bool, every: int, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date must look like 2024-06-30; got {date!r}.") from None
        parent = os.getppid()
        while True:
            result = sweep_run(today=today, force=force)
            self.stdout.write(
                f"swept {result.items} items: {result.lights_changed} lights changed, {result.notices} notices issued"
            )
            # Each context's periodic upkeep: an AppConfig with `sweep()` (returns a line to print).
            for config in apps.get_app_configs():
                if hasattr(config, "sweep"):
                    self.stdout.write(config.sweep())
            if not every:
                return
            for _ in range(every):
                if os.getppid() != parent:  # the server that started us has gone
                    return
                time.sleep(1)
