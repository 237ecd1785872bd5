"""A notice reason with \\x01 or \\x0b, an item title with \\x08: the text is kept without them,
whichever way it comes in, and every download holding it keeps working (the issue's examples)."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from duban.core.testing import assert_valid_office_file, download_bytes, official_document
from duban.ledger.choices import NoticeLevel
from duban.ledger.imports import COLUMNS
from duban.ledger.models import Item, Notice
from duban.ledger.services import imports
from duban.ledger.services.notices import notice_issue

pytestmark = pytest.mark.django_db


def _export_titles(client) -> list[str]:
    content = download_bytes(client.get(reverse("ledger:item_export")))
    assert_valid_office_file(content)
    return [row[1] for row in list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))[1:]]


def _notice_text(client, notice) -> str:
    response = client.get(reverse("ledger:notice_download", args=[notice.pk]))
    assert response.status_code == 200
    assert_valid_office_file(response.content)
    return "\n".join(p.text for p in official_document(response.content).paragraphs)


def test_a_notice_reason_typed_with_control_characters_is_kept_without_them(client, personas, make_item):
    item = make_item()
    client.force_login(personas.supervisor)
    form = {"level": NoticeLevel.RED, "reason": "进度\x01严重\x0b滞后", "required_response": "限期\x1f整改"}
    client.post(reverse("ledger:notice_issue", args=[item.pk]), form)

    notice = Notice.objects.get()
    assert (notice.reason, notice.required_response) == ("进度严重滞后", "限期整改")
    assert "督办事由：进度严重滞后" in _notice_text(client, notice)


def test_a_reason_of_control_characters_alone_is_refused_as_empty(client, personas, make_item):
    item = make_item()
    client.force_login(personas.supervisor)
    response = client.post(
        reverse("ledger:notice_issue", args=[item.pk]), {"level": NoticeLevel.RED, "reason": "\x01\x0b"}
    )
    assert not Notice.objects.exists()
    assert "此项为必填项" in client.get(response.url).content.decode()


def test_an_item_title_typed_with_a_backspace_is_kept_without_it(client, personas, ledger):
    client.force_login(personas.office_admin)
    form = {"ledger": ledger.pk, "title": "东门\x08步行街整治", "lead_unit": personas.unit_a.pk,
            "basis_kind": "decision", "urgency": "normal", "report_cadence": "monthly", "weight": "1",
            "deadline": "2030-12-31"}  # fmt: skip
    assert client.post(reverse("ledger:item_new"), form).status_code == 302
    assert Item.objects.get().title == "东门步行街整治"
    assert _export_titles(client) == ["东门步行街整治"]

    response = client.post(reverse("ledger:item_new"), {**form, "title": "\x08"})
    assert response.status_code == 400 and Item.objects.count() == 1
    assert "此项为必填项" in response.content.decode()


def test_the_api_drops_control_characters_and_lone_surrogates(personas, ledger):
    office = Client()
    office.force_login(personas.office_admin)
    body = (
        '{"ledger_id": %d, "title": "接口\\b登记\\ud800的事项", "lead_unit_id": %d, "deadline": "2031-06-30", '
        '"content": "内容\\u000b"}'
    )
    created = office.post("/api/ledger/items", body % (ledger.pk, personas.unit_a.pk), content_type="application/json")
    assert created.status_code == 201, created.content
    item = Item.objects.get()
    assert (item.title, item.content) == ("接口登记的事项", "内容")
    assert created.json()["title"] == "接口登记的事项"
    assert _export_titles(office) == ["接口登记的事项"]


def test_an_imported_title_with_control_characters_is_kept_without_them(client, personas, ledger, monkeypatch):
    monkeypatch.setattr(imports, "launch", imports.job_run)
    workbook = Workbook()
    workbook.active.append([title for _name, title, _required in COLUMNS])
    workbook.active.append(["T-1", "清理VT往来款", "东门街道", "", "2031-06-30"])
    buffer = io.BytesIO()
    # openpyxl refuses to write \x0b itself: put it in the sheet's XML as another program would.
    workbook.save(buffer)
    data = _with_raw_text(buffer.getvalue(), "VT", "&#11;")
    job = imports.job_check(actor=personas.office_admin, ledger=ledger, name="台账.xlsx", data=data)
    assert job.errors == []
    imports.job_run(imports.job_start(actor=personas.office_admin, job=job))
    assert Item.objects.get().title == "清理往来款"
    client.force_login(personas.office_admin)
    assert _export_titles(client) == ["清理往来款"]


def _with_raw_text(data: bytes, text: str, raw: str) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, content.replace(text.encode(), raw.encode()))
    assert out.getvalue() != data
    return out.getvalue()


def test_downloads_hold_up_with_text_stored_before(client, personas, make_item):
    """Rows written before the fix (here straight in SQL, as no code path writes them any more)."""
    item = make_item(title="东门步行街整治")
    notice = notice_issue(actor=personas.supervisor, item=item, level=NoticeLevel.RED, reason="进度滞后")
    Item.objects.filter(pk=item.pk).update(title="东门\x08步行街\ud7ff整治", content="内容\x0c")
    Notice.objects.filter(pk=notice.pk).update(reason="进度\x01严重\x0b滞后")
    client.force_login(personas.supervisor)

    assert _export_titles(client) == ["东门步行街\ud7ff整治"]
    assert "督办事由：进度严重滞后" in _notice_text(client, notice)
    assignment = client.get(reverse("ledger:assignment_download", args=[item.pk]))
    assert_valid_office_file(assignment.content)
    assert "《东门步行街\ud7ff整治》" in "".join(p.text for p in official_document(assignment.content).paragraphs)
