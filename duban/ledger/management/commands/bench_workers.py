"""`duban bench_workers`: background work on Celery workers at the ledger benchmark's million items on
PostgreSQL (docs/performance.md): the sweep on one worker and on two, an import of 100,000 rows
through a worker, and 10,000 notices delivered by mail to a local SMTP server, none lost or doubled.

Starts a Redis of its own and the workers (`duban worker --concurrency 1` each) on loopback; reuses
(or generates) the data of `duban bench_ledger`.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook

from duban.celery import app
from duban.core.cluster import Mailbox, free_port, worker_ready
from duban.ledger.choices import OPEN_STATES
from duban.ledger.imports import COLUMNS
from duban.ledger.management.commands.bench_ledger import Command as LedgerBench
from duban.ledger.management.commands.bench_ledger import _drop
from duban.ledger.models import ImportJob, ImportState, Ledger, Notification, SweepRun
from duban.ledger.services.imports import job_check, job_start
from duban.ledger.services.sweep import sweep_begin, sweep_run
from duban.notifications import services as notices
from duban.notifications.models import Delivery
from duban.orgs.models import Unit, User

ROOT = Path(__file__).resolve().parents[4]  # the checkout


class Command(BaseCommand):
    help = "Benchmark background work on Celery workers on PostgreSQL (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=1_000_000)
        parser.add_argument("--import-rows", type=int, default=100_000)
        parser.add_argument("--notices", type=int, default=10_000)
        parser.add_argument("--only", default="sweep,import,notices", help="Comma-separated measures.")

    def handle(self, *args, items: int, import_rows: int, notices: int, only: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        if shutil.which("redis-server") is None:
            raise CommandError("The benchmark starts a Redis of its own: install redis-server.")
        bench = LedgerBench(stdout=self.stdout, stderr=self.stderr)
        bench.today = timezone.localdate()
        self.ledger = bench._data(items, keep=True)
        self.folder = Path(settings.VAR_DIR) / "bench-workers"
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.mailbox = Mailbox()
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per command
        smtp = Controller(self.mailbox, hostname="127.0.0.1", port=free_port())
        smtp.start()
        self.redis_port = free_port()
        self.processes: list[subprocess.Popen] = []
        broker = f"redis://127.0.0.1:{self.redis_port}/0"
        self.env = {**os.environ, "CELERY_BROKER_URL": broker, "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
                    "DUBAN_VAR_DIR": str(self.folder / "worker-var"), "DUBAN_MEDIA_ROOT": str(settings.MEDIA_ROOT)}  # fmt: skip
        settings.CELERY_BROKER_URL, settings.EMAIL_URL = broker, self.env["EMAIL_URL"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        app.conf.broker_url = broker
        rows = []
        try:
            self._start([shutil.which("redis-server"), "--port", str(self.redis_port), "--bind", "127.0.0.1",
                         "--save", "", "--appendonly", "no"], "redis")  # fmt: skip
            time.sleep(0.5)
            measures = {"sweep": self._sweep, "import": lambda: self._import(import_rows),
                        "notices": lambda: self._notices(notices)}  # fmt: skip
            for name in only.split(","):
                rows += measures[name]()
        finally:
            for process in self.processes:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait()
            smtp.stop()
        self.stdout.write("\n| measure | target | measured |\n|---|---|---|")
        for row in rows:
            self.stdout.write("| " + " | ".join(row) + " |")

    # --- processes ------------------------------------------------------------------------------

    def _start(self, argv: list[str], name: str) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(argv, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                                   start_new_session=True)  # fmt: skip
        self.processes.append(process)
        return process

    def _workers(self, count: int) -> None:
        """Exactly `count` workers running, each one task at a time."""
        for process in self.processes[1:]:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
        del self.processes[1:]
        for n in range(count):
            log = self.folder / f"worker{n}.log"
            before = log.stat().st_size if log.exists() else 0
            worker = self._start([sys.executable, "-m", "duban.cli", "worker", "--concurrency", "1", "--name",
                                  f"bench{n}@%h"], f"worker{n}")  # fmt: skip
            worker_ready(worker, log, before)

    @staticmethod
    def _wait(done, seconds: float = 1800) -> float:
        started = time.perf_counter()
        while not done():
            if time.perf_counter() - started > seconds:
                raise CommandError(f"gave up after {seconds} s")
            time.sleep(0.2)
        return time.perf_counter() - started

    # --- measures -------------------------------------------------------------------------------

    def _sweep(self) -> list[list[str]]:
        """The same work twice: a fixed 97th of the open items with a wrong light, put right in two
        shares, by one worker and then by two."""
        sweep_run(force=True)  # settle the day: the notices due, the period's records
        timings = {}
        for workers in (1, 2):
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE ledger_item SET light = 'none' WHERE ledger_id = %s AND id %% 97 = 0 AND state = ANY(%s)",
                    [self.ledger.pk, sorted(OPEN_STATES)],
                )
                wrong = cursor.rowcount
            self._workers(workers)
            run = sweep_begin(force=True, parts=2)
            for part in range(2):
                app.send_task("duban.ledger.tasks.sweep_part", args=[run.pk, part, 2])
            finished = SweepRun.objects.filter(pk=run.pk, finished_at__isnull=False)
            timings[workers] = self._wait(finished.exists)
            changed = SweepRun.objects.get(pk=run.pk).lights_changed
            if changed != wrong:
                raise CommandError(f"the sweep put {changed} lights right of {wrong}")
        share = timings[2] / timings[1]
        return [["sweep of " + f"{wrong:,} wrong lights among {self.ledger.items.count():,} items, one worker", "–",
                 f"{timings[1]:.1f} s"],
                ["the same on two workers", "≤ 60% of one worker's time", f"{timings[2]:.1f} s ({share:.0%})"]]  # fmt: skip

    def _import(self, rows: int) -> list[list[str]]:
        self._workers(1)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("台账")
        sheet.append([title for _n, title, _r in COLUMNS])
        unit = Unit.objects.get(name="东门街道")
        names = [name for name, _title, _required in COLUMNS]
        for n in range(rows):
            values = {"external_id": f"W-{n:06d}", "title": f"导入事项{n}", "lead_unit": unit.name,
                      "deadline": timezone.localdate() + dt.timedelta(days=60)}  # fmt: skip
            sheet.append([values.get(name, "") for name in names])
        buffer = io.BytesIO()
        workbook.save(buffer)
        target = Ledger.objects.create(name=f"导入基准{time.time_ns()}", year=timezone.localdate().year,
                                       kind=self.ledger.kind, owner_unit=self.ledger.owner_unit,
                                       number_prefix=f"罗工{time.time_ns() % 10000}")  # fmt: skip
        started = time.perf_counter()
        job = job_check(actor=None, ledger=target, name="bench.xlsx", data=buffer.getvalue())
        checked = time.perf_counter() - started
        with transaction.atomic():
            job_start(actor=None, job=job)  # the task is sent when this commits
        ended = ImportJob.objects.filter(pk=job.pk, state__in=[ImportState.DONE, ImportState.FAILED])
        self._wait(ended.exists)
        seconds = time.perf_counter() - started
        job.refresh_from_db()
        imported = target.items.count()
        _drop(target)
        if job.state != ImportState.DONE or imported != rows:
            raise CommandError(f"the import ended {job.state} with {imported} items: {job.failure}")
        return [[f"import of {rows:,} rows through a worker (check here, import on the worker)", "≤ 60 s",
                 f"{seconds:.1f} s (check {checked:.1f} s)"]]  # fmt: skip

    def _notices(self, count: int) -> list[list[str]]:
        self._workers(2)
        people = []
        for n in range(100):
            user, _made = User.objects.get_or_create(username=f"bench_notice_{n}",
                                                     defaults={"email": f"bench{n}@luohu.example.org"})  # fmt: skip
            people.append(user)
        Delivery.objects.filter(user__in=people).delete()
        Notification.objects.filter(user__in=people).delete()
        self.mailbox.messages.clear()
        made = Notification.objects.bulk_create(
            Notification(user=people[n % len(people)], kind="bench", text=f"基准通知{n}") for n in range(count)
        )
        started = time.perf_counter()
        due = notices.plan(made)
        for start in range(0, len(due), notices.DUE_BATCH):
            app.send_task("duban.notifications.tasks.deliver", args=[due[start : start + notices.DUE_BATCH]])
        self._wait(lambda: len(self.mailbox.messages) >= count and not Delivery.objects.filter(
            user__in=people, state__in=["queued", "sending"]).exists(), seconds=600)  # fmt: skip
        seconds = time.perf_counter() - started
        time.sleep(2)  # anything sent twice would arrive by now
        received = self.mailbox.first_lines()
        lost, doubled = count - len(set(received)), len(received) - len(set(received))
        failed = Delivery.objects.filter(user__in=people, state="failed").count()
        return [[f"{count:,} notices by mail to a local SMTP server, two workers", "≤ 60 s, none lost or doubled",
                 f"{seconds:.1f} s; {len(received):,} received, {lost} lost, {doubled} doubled, {failed} failed"]]  # fmt: skip
