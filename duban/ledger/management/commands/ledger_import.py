"""`duban ledger_import JOB`: run a checked ledger import (started by the import page)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from duban.ledger.models import ImportJob, ImportState
from duban.ledger.services.imports import job_run


class Command(BaseCommand):
    help = "Import a checked .xlsx ledger upload, all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("job", type=int)

    def handle(self, *args, job: int, **options):
        record = ImportJob.objects.filter(pk=job).select_related("ledger", "created_by").first()
        if record is None:
            raise CommandError(f"No import job {job}.")
        if record.state != ImportState.RUNNING:
            raise CommandError(f"Import job {job} is {record.state}; only a started job runs.")
        self.stdout.write(f"import {job}: {job_run(record)}")
