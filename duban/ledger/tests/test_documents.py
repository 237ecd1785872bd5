import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duban.core.testing import link_href, official_document, xlsx_data_rows, xlsx_workbook
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


def test_the_list_carries_its_filter_into_the_export_link_and_the_page_links(client, personas, make_item):
    for n in range(52):
        make_item(title=f"东门路灯修复{n}")
    make_item(title="桂园绿化补植", lead_unit=personas.unit_b)
    client.force_login(personas.office_admin)
    url = reverse("ledger:item_list")

    second = client.get(url, {"q": "路灯", "sort": "-deadline", "page": "2"})
    html = second.content.decode()
    export = link_href(html, 'id="item-export"', url)
    previous = parse_qs(urlsplit(link_href(html, "page=1", url)).query)

    assert parse_qs(urlsplit(export).query) == {"q": ["路灯"], "sort": ["-deadline"]}
    assert previous == {"q": ["路灯"], "sort": ["-deadline"], "page": ["1"]}
    rows = xlsx_data_rows(xlsx_workbook(client.get(export)).active)
    assert len(rows) == 52 and all("路灯" in row[1] for row in rows)


def test_an_htmx_filter_swaps_the_export_link_in_with_the_table(client, personas, make_item):
    make_item(title="东门路灯修复")
    client.force_login(personas.office_admin)

    swapped = client.get(reverse("ledger:item_list"), {"q": "路灯"}, headers={"HX-Request": "true"}).content.decode()

    link = next(tag for tag in swapped.split("<a ") if 'id="item-export"' in tag)
    assert 'hx-swap-oob="true"' in link and "q=%E8%B7%AF%E7%81%AF" in link
    full = client.get(reverse("ledger:item_list"), {"q": "路灯"}).content.decode()
    assert full.count('id="item-export"') == 1 and "hx-swap-oob" not in full
