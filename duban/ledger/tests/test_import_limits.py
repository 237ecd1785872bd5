"""A ledger import never reads more than the template's rows and columns, and uploads nobody
imports do not stay on the server."""

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from duban.core.testing import inline_cell, xlsx_parts, zip_parts
from duban.ledger.imports import COLUMNS
from duban.ledger.models import ImportJob, ImportState, Item
from duban.ledger.services import imports

pytestmark = pytest.mark.django_db
HEADER = "".join(inline_cell(f"{chr(ord('A') + i)}1", title) for i, (_n, title, _r) in enumerate(COLUMNS))


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(imports, "launch", imports.job_run)


def _upload(client, ledger, data: bytes, name="台账.xlsx"):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("ledger:import_new"), {"ledger": ledger.pk, "file": upload})


def _good_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append([title for _n, title, _r in COLUMNS])
    workbook.active.append(["G-1", "推进资金拨付", "东门街道", "", "2031-06-30"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("far", ["L1000000", "XFD1000000"])
def test_a_tiny_workbook_claiming_a_million_rows_is_refused_naming_the_cell(client, personas, ledger, far):
    """The issue's file: 5 KB, a dimension of A1:XFD1000000 and one cell there. (The reader used to
    build the whole rectangle: 384 MB for L1000000, 500 GB for XFD1000000, and the worker died.)"""
    client.force_login(personas.office_admin)
    sheet = f'<row r="1">{HEADER}</row><row r="2">{inline_cell("A2", "G-1")}</row>'
    sheet += f'<row r="1000000">{inline_cell(far, "远处")}</row>'
    data = zip_parts(xlsx_parts(sheet, dimension=f"A1:{far}"))
    assert len(data) < 5 * 1024

    response = _upload(client, ledger, data)

    job = ImportJob.objects.get()
    assert response.url == reverse("ledger:import_detail", args=[job.pk])
    assert [(error["row"], error["column"]) for error in job.errors] == [(0, "")]
    assert f"{far}" in job.errors[0]["message"] and "200,001" in job.errors[0]["message"]
    page = client.get(response.url).content.decode()
    assert far in page
    assert (job.total_rows, job.to_create) == (0, 0)
    client.post(response.url)  # starting it is refused; nothing was kept to import
    job.refresh_from_db()
    assert job.state == ImportState.CHECKED and Item.objects.count() == 0
    assert not imports.checked_kept(job)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, personas, ledger, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 1000)
    monkeypatch.setattr(imports, "job_check", lambda **kwargs: pytest.fail("the file was read"))
    client.force_login(personas.office_admin)
    response = _upload(client, ledger, _good_xlsx())
    assert response.status_code == 400
    assert "文件超过50MB。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_uploads_never_imported_are_removed_a_day_later_by_the_sweep(
    client, personas, ledger, django_capture_on_commit_callbacks, settings
):
    client.force_login(personas.office_admin)
    unreadable = imports.job_check(actor=None, ledger=ledger, name="坏.xlsx", data=b"not a workbook")
    never_started = imports.job_check(actor=None, ledger=ledger, name="未导入.xlsx", data=_good_xlsx())
    imported = imports.job_check(actor=None, ledger=ledger, name="已导入.xlsx", data=_good_xlsx())
    with django_capture_on_commit_callbacks(execute=True):
        imports.job_start(actor=None, job=imported)
    orphan = Path(settings.MEDIA_ROOT) / "imports" / "2024" / "01" / "断开的上传.xlsx"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"an upload whose job was never saved")
    assert unreadable.errors and not never_started.errors
    files = {job.pk: Path(job.file.path) for job in (unreadable, never_started, imported)}
    assert all(path.exists() for path in files.values())
    assert imports.checked_kept(never_started)

    call_command("sweep", stdout=io.StringIO())  # within the day: everything stays
    assert ImportJob.objects.count() == 3 and orphan.exists()

    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        recent = imports.job_check(actor=None, ledger=ledger, name="刚上传.xlsx", data=b"not a workbook either")
        out = io.StringIO()
        call_command("sweep", stdout=out)

    assert "removed 3 uploads never imported" in out.getvalue()
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {imported.pk, recent.pk}
    assert not files[unreadable.pk].exists() and not files[never_started.pk].exists()
    assert not imports.checked_kept(never_started) and not orphan.exists()
    assert files[imported.pk].exists() and Path(recent.file.path).exists()
    response = client.post(reverse("ledger:import_detail", args=[never_started.pk]))
    assert response.status_code == 404
    with pytest.raises(imports.ValidationError, match="请重新上传"):
        imports.job_start(actor=None, job=never_started)
