"""`duban sweep`: lights and automatic escalation for every open ledger item, each context's upkeep,
and the recovery of imports a stopped process left (duban.ledger.upkeep)."""

from __future__ import annotations

import datetime as dt
import os
import time

from django.core.management.base import BaseCommand, CommandError

from duban.ledger import upkeep


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
            for line in upkeep.sweep(today=today, force=force):
                self.stdout.write(line)
            if not every:
                return
            for _ in range(every):
                if os.getppid() != parent:  # the server that started us has gone
                    return
                time.sleep(1)
