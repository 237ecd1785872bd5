"""`duban bench_opendata`: the open-data catalogue, API and downloads at a million problem reports
on PostgreSQL (docs/performance.md).

Reuses (or generates) the problem reports' benchmark data (`duban bench_campaigns`), times the
catalogue's pages and the API's pages (the first and one a million rows in), then downloads every
format of the problem reports in a process of its own, reporting the time, the size and the memory
the download took beyond the process's own (flat memory: the same at any number of rows).
"""

from __future__ import annotations

import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from duban.campaigns.management.commands.bench_campaigns import Command as CampaignsBench
from duban.campaigns.models import Report
from duban.core.bench import ms, statics_from_finders

PROBE = """
import resource, sys, time
import django
import django.conf
django.setup()
from django.test import Client
from django.test.utils import override_settings
finders = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
client = Client(SERVER_NAME="localhost")
with override_settings(STORAGES={**django.conf.settings.STORAGES, "staticfiles": finders}):
    client.get("/open-data/")  # the imports and the first queries, before the baseline
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
started = time.perf_counter()
answer = client.get(sys.argv[1])
size = sum(len(chunk) for chunk in answer.streaming_content)
seconds = time.perf_counter() - started
print(answer.status_code, size, seconds, before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


class Command(BaseCommand):
    help = "Benchmark open data on PostgreSQL (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, reports: int, runs: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        CampaignsBench(stdout=self.stdout, stderr=self.stderr)._data(reports, keep=True)
        public = Report.objects.public().count()
        with statics_from_finders():
            pages = self._pages(runs, public)
        self.stdout.write(f"\n{public:,} public problem reports\n")
        self.stdout.write("| page | p50 ms | p95 ms |\n|---|---:|---:|")
        for label, seconds in pages:
            self.stdout.write(f"| {label} | {ms(seconds, 0.5):.1f} | {ms(seconds, 0.95):.1f} |")
        self.stdout.write("\n| download | rows | size MB | seconds | memory before MB | peak MB |\n"
                          "|---|---:|---:|---:|---:|---:|")  # fmt: skip
        for slug, fmt, rows in (("problem-reports", "csv", public), ("problem-reports", "json", public),
                                ("problem-reports", "xlsx", public), ("reports-by-month-and-street", "csv", None)):  # fmt: skip
            status, size, seconds, before, peak = self._download(slug, fmt)
            self.stdout.write(
                f"| {slug}.{fmt} | {f'{rows:,}' if rows else '–'} | {size / 2**20:.0f} | {seconds:.1f} | {before} | {peak} |"
            )

    def _pages(self, runs: int, public: int) -> list[tuple[str, list[float]]]:
        client = Client(SERVER_NAME="localhost")
        rows_path = "/api/opendata/datasets/problem-reports/rows"
        deep = max(1, (public - 100) // 100)
        pages = [
            ("catalogue", reverse("opendata:catalogue"), {}),
            ("problem reports' page", reverse("opendata:dataset_detail", args=["problem-reports"]), {}),
            (
                "by month and street's page",
                reverse("opendata:dataset_detail", args=["reports-by-month-and-street"]),
                {},
            ),
            ("API: the catalogue", "/api/opendata/datasets", {}),
            ("API: rows, first page of 100", rows_path, {"page": 1}),
            (f"API: rows, page {deep:,} of 100", rows_path, {"page": deep}),
            ("API: rows, first page of 1,000", rows_path, {"page": 1, "page_size": 1000}),
        ]
        found = []
        for label, path, params in pages:
            answer = client.get(path, params)
            if answer.status_code != 200:
                raise CommandError(f"{path} answered {answer.status_code}")
            seconds = []
            for _ in range(runs):
                start = time.perf_counter()
                client.get(path, params)
                seconds.append(time.perf_counter() - start)
            found.append((label, seconds))
        return found

    def _download(self, slug: str, fmt: str) -> tuple[int, int, float, int, int]:
        path = reverse("opendata:dataset_download", args=[slug, fmt])
        output = subprocess.run([sys.executable, "-c", PROBE, path], capture_output=True, text=True, check=False)
        if output.returncode:
            raise CommandError(f"downloading {path} failed: {output.stderr[-2000:]}")
        status, size, seconds, before, peak = output.stdout.split()
        if status != "200":
            raise CommandError(f"{path} answered {status}")
        return int(status), int(size), float(seconds), int(before), int(peak)
