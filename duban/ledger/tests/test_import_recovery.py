"""An import runs once, whoever runs it and however often it is delivered; one stopped half-way
(its process or worker killed) has written nothing and is started again, then failed, saying why."""

from __future__ import annotations

import datetime as dt
import threading
import unittest.mock

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone

from duban.core import background, progress
from duban.ledger.models import ImportJob, ImportState, Item, Notification
from duban.ledger.services import import_recovery, imports
from duban.ledger.tests.test_imports import _row, _xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(personas, ledger, monkeypatch, django_capture_on_commit_callbacks):
    """A checked import of three rows, started; `launched` records each launch instead of running it."""
    launched: list[int] = []
    monkeypatch.setattr(imports, "launch", lambda job: launched.append(job.pk))
    data = _xlsx([_row("R-1"), _row("R-2"), _row("R-3", unit="桂园街道")])
    job = imports.job_check(actor=personas.office_admin, ledger=ledger, name="台账.xlsx", data=data)
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.job_start(actor=personas.office_admin, job=job)
    assert launched == [job.pk] and job.attempts == 1
    job.launched = launched
    return job


def test_an_import_delivered_twice_imports_once(started):
    assert imports.job_run(started) == "done"
    assert imports.job_run(started) == "skipped"

    started.refresh_from_db()
    assert started.state == ImportState.DONE and Item.objects.count() == 3
    assert imports.progress_of(started) == {"done": 3, "total": 3}
    assert not imports.checked_kept(started)


def test_the_importer_is_told_when_it_is_done(started, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        imports.job_run(started)

    notice = Notification.objects.get(user=personas.office_admin)
    assert "台账.xlsx" in notice.text and "3" in notice.text and notice.link.endswith(f"/imports/{started.pk}/")


def test_an_import_that_keeps_reporting_is_left_alone(started, settings):
    settings.DUBAN_STALLED_AFTER_SECONDS = 300
    progress.report(imports.progress_key(started), 1, 3)

    assert import_recovery.imports_recover() == []
    started.refresh_from_db()
    assert started.state == ImportState.RUNNING and started.attempts == 1 and started.launched == [started.pk]


def test_a_stopped_import_is_started_again_then_failed_saying_why(
    started, personas, settings, django_capture_on_commit_callbacks
):
    settings.DUBAN_STALLED_AFTER_SECONDS = 300
    for attempt in (2, 3):
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=6 * attempt), tick=False):
            assert import_recovery.imports_recover() == [f"import {started.pk}: started again"]
        started.refresh_from_db()
        assert started.attempts == attempt and started.state == ImportState.RUNNING
    assert started.launched == [started.pk] * 3

    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert import_recovery.imports_recover() == [f"import {started.pk}: failed after 3 tries"]

    started.refresh_from_db()
    assert started.state == ImportState.FAILED and "3" in started.failure
    assert Item.objects.count() == 0
    assert Notification.objects.filter(user=personas.office_admin, kind="ledger.import.failed").count() == 1
    assert imports.job_run(started) == "skipped" and Item.objects.count() == 0


def test_the_checked_rows_are_kept_in_the_file_store_every_host_reads(started):
    assert default_storage.exists(imports.checked_name(started))
    assert imports.job_run(started) == "done"
    assert not default_storage.exists(imports.checked_name(started))


def test_without_a_broker_the_embedded_way_runs_and_with_one_down_nothing_is_lost(settings, caplog, monkeypatch):
    from duban.celery import app

    ran, sent = [], []
    settings.CELERY_BROKER_URL = ""
    monkeypatch.setattr(app, "send_task", lambda name, args: sent.append((name, args)))
    assert background.run("duban.ledger.tasks.import_run", 1, embedded=lambda: ran.append(1)) is True
    assert (ran, sent) == ([1], [])

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert background.run("duban.ledger.tasks.import_run", 2, embedded=lambda: ran.append(2)) is True
    assert (ran, sent) == ([1], [("duban.ledger.tasks.import_run", [2])])

    def refused(name, args):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(app, "send_task", refused)
    assert background.run("duban.ledger.tasks.import_run", 3, embedded=lambda: ran.append(3)) is False
    assert ran == [1] and "Could not queue duban.ledger.tasks.import_run" in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_by_others_while_the_import_is_uncommitted_and_a_second_runner_leaves_it(started):
    seen = []
    real = progress.Reporter.__call__

    def second_runner():
        result = []

        def run():
            try:
                result.append(imports.job_run(ImportJob.objects.get(pk=started.pk)))
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return result[0]

    def reporting(self, done, total):
        real(self, done, total)
        other = connections.create_connection("default")  # another host's request
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM ledger_item")
                items = cursor.fetchone()[0]
            found = progress.read(imports.progress_key(started))
            seen.append((items, found.done, found.total, second_runner()))
        finally:
            other.close()

    with unittest.mock.patch.object(progress.Reporter, "__call__", reporting):
        assert imports.job_run(started) == "done"

    assert seen == [(0, 3, 3, "skipped")]
    assert Item.objects.count() == 3


def test_the_progress_poll_reloads_the_whole_page_once_the_import_has_ended(started, client, personas):
    client.force_login(personas.office_admin)
    url = f"/ledger/imports/{started.pk}/"
    assert "HX-Refresh" not in client.get(url, HTTP_HX_REQUEST="true").headers  # still importing

    imports.job_run(started)

    assert client.get(url, HTTP_HX_REQUEST="true").headers["HX-Refresh"] == "true"
    assert "交办" in client.get(url).content.decode()  # the next steps, on the whole page
