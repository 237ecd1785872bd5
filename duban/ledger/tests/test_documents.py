import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duban.core.testing import official_document
from duban.ledger.choices import NoticeLevel
from duban.ledger.services.notices import notice_issue

pytestmark = pytest.mark.django_db


def _xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def test_the_export_is_the_filtered_visible_list(client, personas, make_item):
    make_item(title="东门任务一")
    make_item(title="东门任务二")
    make_item(title="桂园任务", lead_unit=personas.unit_b)
    client.force_login(personas.unit_a_staff)

    response = client.get(reverse("ledger:item_export"), {"q": "一"})

    rows = _xlsx_rows(response)
    assert rows[0][:4] == ("编号", "事项名称", "台账", "牵头单位")
    assert [row[1] for row in rows[1:]] == ["东门任务一"]
    assert rows[1][3] == "东门街道"
    assert rows[1][10] == "已交办"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_resident_cannot_export(client, personas, make_item):
    make_item()
    client.force_login(personas.resident)
    assert client.get(reverse("ledger:item_export")).status_code == 403


def test_a_notice_downloads_as_a_word_document_with_its_number(client, personas, make_item):
    item = make_item()
    notice = notice_issue(actor=personas.supervisor, item=item, level=NoticeLevel.RED, reason="进度严重滞后")
    client.force_login(personas.unit_a_head)

    response = client.get(reverse("ledger:notice_download", args=[notice.pk]))

    paragraphs = [p.text for p in official_document(response.content).paragraphs if p.text]
    text = "\n".join(paragraphs)
    assert paragraphs[:3] == [notice.issuing_unit.name, notice.number, "改革督查令"]  # red on a reform ledger
    assert notice.number in text
    assert "东门街道：" in text
    assert "进度严重滞后" in text
    client.force_login(personas.unit_b_staff)
    assert client.get(reverse("ledger:notice_download", args=[notice.pk])).status_code == 404


def test_the_assignment_notice_names_the_units_and_deadline(client, personas, make_item):
    item = make_item(co_units=[(personas.unit_b, "")])
    client.force_login(personas.unit_a_staff)

    response = client.get(reverse("ledger:assignment_download", args=[item.pk]))

    text = "\n".join(p.text for p in official_document(response.content).paragraphs)
    assert item.number in text
    assert "桂园街道协办" in text
    assert "办理期限：2024年6月28日" in text
