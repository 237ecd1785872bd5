"""`duban export_run JOB`: write an export (started by the page that asked for it, without a broker)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from duban.downloads.models import ExportJob
from duban.downloads.services import export_run


class Command(BaseCommand):
    help = "Write a waiting export's workbook into the file store."

    def add_arguments(self, parser):
        parser.add_argument("job", type=int)

    def handle(self, *args, job: int, **options):
        record = ExportJob.objects.filter(pk=job).select_related("requested_by").first()
        if record is None:
            raise CommandError(f"No export {job}.")
        self.stdout.write(f"export {job}: {export_run(record)}")
