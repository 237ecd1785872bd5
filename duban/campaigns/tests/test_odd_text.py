"""Control characters in what residents and Open311 clients send: kept out of the reports, and
out of every download and XML answer, including for reports stored before."""

from __future__ import annotations

import io

from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from duban.campaigns.models import Report
from duban.campaigns.services import setup
from duban.campaigns.tests.conftest import DONGMEN
from duban.core.testing import assert_valid_office_file, download_bytes

KEY = "open311-odd-text-key-0123456789"


def strict_xml(response):
    """The answer parsed as XML 1.0 by a strict parser, as a client's would."""
    return etree.fromstring(response.content)


def test_an_open311_post_keeps_the_report_without_control_characters(client, world):
    setup.client_create(actor=None, name="罗湖plus", key=KEY)
    response = client.post(
        "/open311/v2/requests.xml",
        {"api_key": KEY, "service_code": "t-parking", "lat": DONGMEN[0], "long": DONGMEN[1],
         "description": "电动车\x01挡住\x0b消防通道", "address_string": "解放路\x08口", "first_name": "\x1f张"},
    )  # fmt: skip
    assert response.status_code == 201
    number = strict_xml(response).find("request/service_request_id").text
    report = Report.objects.get(pk=number)
    assert (report.description, report.address, report.contact_name) == ("电动车挡住消防通道", "解放路口", "张")
    answer = strict_xml(client.get(f"/open311/v2/requests/{number}.xml"))
    assert answer.find("request/description").text == "电动车挡住消防通道"


def test_the_xml_answers_and_the_downloads_hold_up_with_reports_stored_before(client, world, personas):
    """ElementTree wrote the characters as they were: a document no XML parser accepts."""
    setup.client_create(actor=None, name="罗湖plus", key=KEY)
    client.post(
        "/open311/v2/requests.json",
        {"api_key": KEY, "service_code": "t-parking", "lat": DONGMEN[0], "long": DONGMEN[1], "description": "占道"},
    )
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(description="电动车\x01挡住\x0b消防通道", address="解放路\x08口")

    answer = strict_xml(client.get(f"/open311/v2/requests/{report.pk}.xml"))
    assert answer.find("request/description").text == "电动车挡住消防通道"
    assert strict_xml(client.get("/open311/v2/requests.xml")).find("request/address").text == "解放路口"

    client.force_login(personas.office_admin)
    download = client.get(reverse("campaigns:report_queue", args=[world.campaign.pk]), {"format": "xlsx"})
    content = download_bytes(download)
    assert_valid_office_file(content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][2:4] == ("电动车挡住消防通道", "解放路口")
