"""A long list is exported in the background: the asker is taken to the export's page and told
when the file is ready; the file holds exactly what the asker's rights and filter select; only the
asker reaches it; a task delivered twice writes one file; a stopped runner's export is started
again or failed, saying why, and a runner that lost its job leaves no file behind."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from duban.downloads import kinds as kinds_module
from duban.downloads import services
from duban.downloads.choices import ExportState
from duban.downloads.kinds import Export, ExportKind
from duban.downloads.models import ExportEvent, ExportJob
from duban.ledger.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_at_once(monkeypatch):
    """Exports written as soon as they are asked for, in this process; `launched` lists each launch."""
    launched: list[int] = []

    def launch(job):
        launched.append(job.pk)
        services.export_run(ExportJob.objects.get(pk=job.pk))

    monkeypatch.setattr(services, "launch", launch)
    return launched


@pytest.fixture
def long_lists(settings):
    settings.DUBAN_EXPORT_INLINE_ROWS = 2


def _rows_of(job: ExportJob) -> list[tuple]:
    with default_storage.open(job.file.name, "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).active
        return list(sheet.iter_rows(values_only=True))


def _numbers(job: ExportJob) -> list[str]:
    rows = _rows_of(job)
    return sorted(row[0] for row in rows[1:] if row[0] and row[0] != "合计")


def test_a_short_list_downloads_at_once(client, personas, make_item, settings):
    settings.DUBAN_EXPORT_INLINE_ROWS = 10
    make_item()
    client.force_login(personas.office_admin)

    response = client.get(reverse("ledger:item_export"))

    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_a_long_list_is_written_in_the_background_and_the_asker_told(
    client, personas, make_item, long_lists, run_at_once, django_capture_on_commit_callbacks
):
    items = [make_item(title=f"事项{n}") for n in range(3)]
    client.force_login(personas.office_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("ledger:item_export"))

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("downloads:detail", args=[job.pk])
    assert job.state == ExportState.DONE and job.total == 3 and job.done == 3 and job.size > 0
    assert _numbers(job) == sorted(item.number for item in items)
    notice = Notification.objects.get(user=personas.office_admin)
    assert "3" in notice.text and notice.link == reverse("downloads:detail", args=[job.pk])
    assert list(job.events.values_list("code", flat=True)) == [
        "downloads.export.asked", "downloads.export.started", "downloads.export.finished",
    ]  # fmt: skip

    page = client.get(reverse("downloads:detail", args=[job.pk]))
    assert reverse("downloads:file", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("downloads:file", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert job.title in client.get(reverse("downloads:list")).content.decode()


def test_the_file_holds_what_the_askers_rights_and_filter_select(
    client, personas, make_item, long_lists, run_at_once, django_capture_on_commit_callbacks
):
    mine = [make_item(title=f"东门步行街整治第{n}段") for n in range(3)]
    make_item(title="东门步行街整治第九段", lead_unit=personas.unit_b)  # not unit A's
    make_item(title="桂园路人行道修缮")  # not in the filter
    client.force_login(personas.unit_a_staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("ledger:item_export"), {"q": "步行街整治"})
    job = ExportJob.objects.get()

    assert _numbers(job) == sorted(item.number for item in mine)
    assert job.params == {"q": ["步行街整治"]} and job.requested_by == personas.unit_a_staff
    assert "步行街整治" in job.title and "步行街整治" in job.filename  # exports of one list told apart by their filter
    assert job.list_url == reverse("ledger:item_list") + "?q=%E6%AD%A5%E8%A1%8C%E8%A1%97%E6%95%B4%E6%B2%BB"


@pytest.mark.parametrize("persona", ["unit_b_staff", "supervisor", "resident"])
def test_only_the_asker_reaches_an_export(client, personas, make_item, long_lists, run_at_once, persona,
                                          django_capture_on_commit_callbacks):  # fmt: skip
    for n in range(3):
        make_item(title=f"事项{n}")
    client.force_login(personas.office_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("ledger:item_export"))
    job = ExportJob.objects.get()

    client.force_login(getattr(personas, persona))
    assert client.get(reverse("downloads:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("downloads:file", args=[job.pk])).status_code == 404
    assert job.title not in client.get(reverse("downloads:list")).content.decode()
    client.logout()
    assert client.get(reverse("downloads:file", args=[job.pk])).status_code == 302


@pytest.fixture
def kind(monkeypatch):
    """A test kind of five rows, whose `during` hook runs after the first row is written."""
    hooks = {"during": lambda: None, "fail": False}

    def build(user, query):
        def rows():
            for n in range(5):
                if hooks["fail"]:
                    raise RuntimeError("数据库连接中断")
                yield [n]
                if n == 0:
                    hooks["during"]()

        return Export("测试.xlsx", "测试导出", [("表", ["序号"], rows())], lambda limit: 5)

    monkeypatch.setattr(kinds_module, "kinds", lambda: {"test": ExportKind("test", build)})
    monkeypatch.setattr(services, "kinds", lambda: {"test": ExportKind("test", build)})
    monkeypatch.setattr(services, "BEAT_EVERY", 1)
    return hooks


def _asked(personas) -> ExportJob:
    return ExportJob.objects.create(kind="test", title="测试导出", filename="测试.xlsx",
                                    requested_by=personas.office_admin)  # fmt: skip


def _stored(folder: str = "exports") -> list[str]:
    """Every file under the store's exports/ folder."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files] + [path for sub in folders for path in _stored(f"{folder}/{sub}")]


def test_a_task_delivered_twice_writes_one_file(personas, kind, monkeypatch):
    monkeypatch.setattr(services, "launch", lambda job: None)
    job = _asked(personas)

    assert services.export_run(job) == "done"
    assert services.export_run(ExportJob.objects.get(pk=job.pk)) == "skipped"
    assert ExportJob.objects.get(pk=job.pk).attempts == 1 and len(_stored()) == 1


def test_a_runner_that_lost_its_job_leaves_no_file(personas, kind, monkeypatch):
    monkeypatch.setattr(services, "launch", lambda job: None)
    job = _asked(personas)
    # Mid-write the job is taken for stopped and started again by another runner.
    kind["during"] = lambda: services._move(ExportJob.objects.get(pk=job.pk), "again")

    assert services.export_run(job) == "skipped"
    assert ExportJob.objects.get(pk=job.pk).state == ExportState.QUEUED and _stored() == []


def test_a_failed_export_says_why_and_the_asker_is_told(
    personas, kind, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "launch", lambda job: None)
    kind["fail"] = True
    job = _asked(personas)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.export_run(job) == "failed"

    job.refresh_from_db()
    assert job.state == ExportState.FAILED and not job.file and _stored() == []
    assert "RuntimeError" not in job.failure and "管理员" in job.failure  # said for the asker, in their language
    assert "数据库连接中断" in job.events.get(code="downloads.export.failed").reason  # for the administrator
    assert Notification.objects.filter(user=personas.office_admin, link__endswith=f"/exports/{job.pk}/").exists()


def test_a_stopped_export_is_started_again_then_failed(personas, kind, monkeypatch, settings,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    settings.DUBAN_STALLED_AFTER_SECONDS = 300
    launched: list[int] = []
    monkeypatch.setattr(services, "launch", lambda job: launched.append(job.pk))
    job = _asked(personas)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING, attempts=1, done=1, updated_at=long_ago)

    assert services.exports_recover() == [f"export {job.pk}: started again"]
    assert ExportJob.objects.get(pk=job.pk).state == ExportState.QUEUED and launched == [job.pk]
    again = job.events.get(code="downloads.export.again")
    assert (again.from_state, again.to_state) == ("running", "queued")  # the row's state, not the stale copy's
    assert services.exports_recover() == []  # just sent: not stopped

    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING, attempts=3, updated_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exports_recover() == [f"export {job.pk}: failed after 3 tries"]
    job.refresh_from_db()
    assert job.state == ExportState.FAILED and "3" in job.failure and launched == [job.pk]
    assert Notification.objects.filter(user=personas.office_admin).count() == 1


def test_an_export_left_waiting_is_sent_again(personas, kind, monkeypatch, settings):
    launched: list[int] = []
    monkeypatch.setattr(services, "launch", lambda job: launched.append(job.pk))
    job = _asked(personas)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))

    assert services.exports_recover() == [f"export {job.pk}: sent again"] and launched == [job.pk]
    assert ExportJob.objects.get(pk=job.pk).state == ExportState.QUEUED


def test_files_past_their_keeping_are_removed(client, personas, kind, monkeypatch, settings):
    settings.DUBAN_EXPORT_KEEP_DAYS = 7
    monkeypatch.setattr(services, "launch", lambda job: None)
    old, recent = _asked(personas), _asked(personas)
    services.export_run(old), services.export_run(recent)
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))

    assert services.exports_expire() == 1
    old.refresh_from_db()
    assert old.state == ExportState.EXPIRED and not old.file and len(_stored()) == 1
    assert ExportEvent.objects.filter(job=old, code="downloads.export.expired").exists()
    client.force_login(personas.office_admin)
    assert client.get(reverse("downloads:file", args=[old.pk])).status_code == 404
    page = client.get(reverse("downloads:detail", args=[old.pk])).content.decode()
    assert reverse("downloads:file", args=[old.pk]) not in page and str(ExportState.EXPIRED.label) in page
