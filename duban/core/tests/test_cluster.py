"""The production layout rehearsed on this machine (duban.core.cluster): a workbook imported through
host A is watched to the end through host B; the sweep runs on the worker; the importer's notice
arrives by mail at a local SMTP server; a worker killed in the middle of an import leaves nothing
half-written, the import started again by the recovery and done exactly once; and the restore drill
of docs/deploy.md, on a copy: backed up while the site runs, restored, every row and file the same."""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import psycopg
import pytest
from aiosmtpd.controller import Controller
from celery import Celery
from openpyxl import Workbook, load_workbook

from duban.core.cluster import ROOT, Cluster, Mailbox, free_port, fresh_database
from duban.ledger.imports import COLUMNS

pytestmark = [pytest.mark.postgres, pytest.mark.cluster]
PASSWORD = "cluster-rehearsal-2026"  # noqa: S105 - a throwaway database's login

SEED = """
import random, django
django.setup()
from duban.demo.seed import seed_organisation
from duban.ledger.choices import LedgerKind
from duban.ledger.services import ledger_create
from duban.orgs import services
from duban.orgs.models import Unit
units = seed_organisation(random.Random(1))
office = units["区委改革办"]
person = office.positions.current().first().person
user = services.official_account_create(actor=None, person=person, username="office", password=PASSWORD,
                                        is_office_admin=True)
user.email = "office@luohu.example.org"
user.save(update_fields=["email"])
ledger = ledger_create(actor=None, name="集群演练台账", year=2026, kind=LedgerKind.GENERAL, owner_unit=office,
                       number_prefix="罗演")
print(ledger.pk)
""".replace("PASSWORD", repr(PASSWORD))


class Browser:
    """A signed-in person's requests to one host after another (the session lives in the database)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def token(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def get(self, url: str, **headers) -> str:
        return self.fetch(url, **headers)[1].decode()

    def fetch(self, url: str, **headers) -> tuple[str, bytes]:
        """Where the request ended (after redirects) and what it answered."""
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the rehearsal's own hosts
        with self.opener.open(request, timeout=60) as response:
            return response.geturl(), response.read()

    def post(self, url: str, fields: dict, files: dict | None = None) -> str:
        fields = {**fields, "csrfmiddlewaretoken": self.token()}
        if files:
            boundary = uuid.uuid4().hex
            body = io.BytesIO()
            for name, value in fields.items():
                body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
            for name, (filename, data) in files.items():
                body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                           f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")  # fmt: skip
            body.write(f"--{boundary}--\r\n".encode())
            data, kind = body.getvalue(), f"multipart/form-data; boundary={boundary}"
        else:
            data, kind = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        origin = "/".join(url.split("/")[:3])
        headers = {"Content-Type": kind, "Referer": origin + "/"}
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - the rehearsal's own hosts
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.geturl()
        except urllib.error.HTTPError as refusal:  # say what the page said
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', refusal.read().decode(), re.S)
            raise AssertionError(f"{url} answered {refusal.code}: {errors}") from refusal


def _workbook(rows: int, prefix: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.append([title for _name, title, _required in COLUMNS])
    names = [name for name, _title, _required in COLUMNS]
    for n in range(rows):
        values = {"external_id": f"{prefix}-{n:05d}", "title": f"演练事项{n}", "lead_unit": "东门街道",
                  "deadline": "2031-06-30"}  # fmt: skip
        sheet.append([values.get(name, "") for name in names])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _wait(what, seconds: float = 120, every: float = 0.5):
    deadline = time.monotonic() + seconds
    while True:
        found = what()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {seconds} s")
        time.sleep(every)


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture
def cluster(tmp_path, mailbox):
    server = os.environ.get("DATABASE_URL", "")
    database = fresh_database(server, f"duban_cluster_{os.getpid()}")
    rehearsal = Cluster(tmp_path / "cluster", database, extra_env={
        "EMAIL_URL": f"smtp://127.0.0.1:{mailbox[1]}", "DUBAN_STALLED_AFTER_SECONDS": "5",
        "DUBAN_EXPORT_INLINE_ROWS": "100"})  # fmt: skip
    try:
        rehearsal.start()
        seeded = subprocess.run([sys.executable, "-c", SEED], env=rehearsal.env("host-a"), cwd=ROOT,  # noqa: S603
                                capture_output=True, text=True, check=True)  # fmt: skip
        rehearsal.ledger = int(seeded.stdout.split()[-1])
        yield rehearsal
    finally:
        rehearsal.stop()
        with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database.rsplit("/", 1)[1]}" WITH (FORCE)')


def _sql(cluster: Cluster, statement: str, params=()):
    with psycopg.connect(cluster.database_url) as connection:
        return connection.execute(statement, params).fetchone()


def _import(browser: Browser, host: str, ledger: int, data: bytes) -> int:
    checked = browser.post(host + "/ledger/imports/new/", {"ledger": ledger, "done_as": "record_done"},
                           files={"file": ("演练台账.xlsx", data)})  # fmt: skip
    job = int(re.search(r"/imports/(\d+)/", checked).group(1))
    browser.post(f"{host}/ledger/imports/{job}/", {})
    return job


def _progress(browser: Browser, host: str, job: int) -> tuple[str, int, int]:
    """The import's state and progress as host B's page shows them to the person watching."""
    fragment = browser.get(f"{host}/ledger/imports/{job}/", **{"HX-Request": "true"})
    bar = re.search(r'<progress max="(\d+)" value="(\d+)">', fragment)
    state = "running" if bar else ("done" if "导入完成" in fragment or "已导入" in fragment else fragment)
    return state, int(bar.group(2)) if bar else 0, int(bar.group(1)) if bar else 0


def test_the_rehearsal(cluster, mailbox):
    host_a, host_b = cluster.hosts
    browser = Browser()
    browser.get(host_a + "/accounts/login/")
    browser.post(host_a + "/accounts/login/", {"username": "office", "password": PASSWORD})

    # A workbook imported through host A, watched to the end through host B.
    job = _import(browser, host_a, cluster.ledger, _workbook(300, "A"))
    seen = []
    _wait(lambda: seen.append(_progress(browser, host_b, job)) or seen[-1][0] == "done")
    assert _sql(cluster, "SELECT state, attempts FROM ledger_importjob WHERE id = %s", [job]) == ("done", 1)
    assert _sql(cluster, "SELECT count(*) FROM ledger_item WHERE import_job_id = %s", [job]) == (300,)

    # The importer's notice leaves by mail, from the worker, and arrives.
    box = mailbox[0]
    _wait(lambda: any("演练台账.xlsx" in subject for subject in box.subjects()), seconds=60)
    _wait(lambda: _sql(cluster, "SELECT count(*) FROM notifications_delivery WHERE state = 'sent'") == (1,), seconds=30)

    # A long list asked for through host B is written by the worker into the shared store; host A serves it.
    asked, _page = browser.fetch(f"{host_b}/ledger/export.xlsx?ledger={cluster.ledger}")
    export = int(re.search(r"/exports/(\d+)/$", asked).group(1))
    _wait(lambda: _sql(cluster, "SELECT state FROM downloads_exportjob WHERE id = %s", [export])[0] == "done")
    _where, data = browser.fetch(f"{host_a}/exports/{export}/file")
    rows = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len([row for row in rows[1:] if row[0]]) == 300

    # The sweep, sent to the workers as beat would, runs there.
    broker = Celery(broker=cluster.broker_url)
    broker.send_task("duban.ledger.tasks.sweep")
    _wait(lambda: _sql(cluster, "SELECT count(*) FROM ledger_sweeprun WHERE finished_at IS NOT NULL")[0] == 1)

    # A worker killed half-way through an import: nothing written, the import started again and done once.
    big = _import(browser, host_a, cluster.ledger, _workbook(6000, "B"))
    _wait(lambda: _progress(browser, host_b, big)[1] > 0, every=0.1)
    cluster.kill("worker")
    assert _sql(cluster, "SELECT count(*) FROM ledger_item WHERE import_job_id = %s", [big]) == (0,)
    assert _sql(cluster, "SELECT state FROM ledger_importjob WHERE id = %s", [big]) == ("running",)
    time.sleep(6)  # DUBAN_STALLED_AFTER_SECONDS: the import's progress has stopped
    cluster.start_worker()
    broker.send_task("duban.ledger.tasks.recover")
    _wait(lambda: _sql(cluster, "SELECT state FROM ledger_importjob WHERE id = %s", [big])[0] == "done", seconds=240)
    assert _sql(cluster, "SELECT attempts FROM ledger_importjob WHERE id = %s", [big]) == (2,)
    assert _sql(cluster, "SELECT count(*), count(DISTINCT external_id) FROM ledger_item WHERE import_job_id = %s",
                [big]) == (6000, 6000)  # fmt: skip
    _wait(lambda: sum("演练台账.xlsx" in subject for subject in box.subjects()) == 2, seconds=60)  # its notice too

    # The restore drill (docs/deploy.md) on a copy, backed up while the site keeps running.
    backup, restored_files = cluster.folder / "backup", cluster.folder / "restored-files"
    env = {**cluster.env("host-a"), "PYTHON": sys.executable}
    subprocess.run([ROOT / "scripts" / "backup", backup], env=env, check=True)  # noqa: S603
    copy = fresh_database(cluster.database_url, cluster.database_url.rsplit("/", 1)[1] + "_restored")
    try:
        drill = subprocess.run([ROOT / "scripts" / "restore", backup, copy, restored_files, "--verify"], env=env,  # noqa: S603
                               capture_output=True, text=True)  # fmt: skip
        assert drill.returncode == 0, drill.stdout + drill.stderr
        assert "restore verified" in drill.stdout
        assert any(path.suffix == ".xlsx" for path in restored_files.rglob("*"))  # the uploads came back
        subprocess.run([sys.executable, "-m", "duban.cli", "migrate", "--check"], env={**env, "DATABASE_URL": copy},  # noqa: S603
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        with psycopg.connect(copy) as restored:
            assert restored.execute("SELECT count(*) FROM ledger_item").fetchone() == (6300,)
    finally:
        with psycopg.connect(copy.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{copy.rsplit("/", 1)[1]}" WITH (FORCE)')
