"""A resident reports a problem with a photo → it is routed to the street → the office dispatches it
→ the street fixes it with an after photo → an inspector outside the street verifies → the
resident sees it closed. In Chromium, on the real map page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from duban.campaigns.choices import ReportState
from duban.campaigns.models import Report
from duban.campaigns.services.reports import report_transition
from duban.campaigns.tests.conftest import submit_report
from duban.conftest import sign_in
from duban.ledger.choices import ItemState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _jpeg(colour) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(out, format="JPEG")
    return {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _act(page, code: str, note: str = "", photo=None):
    block = page.locator(f"#action-{code}")
    block.locator("summary").click()
    if photo is not None:
        block.locator("input[type=file]").set_input_files(photo)
    if note:
        block.locator("textarea[name=note]").fill(note)
    block.locator("button[type=submit]").click()
    page.wait_for_selector("text=问题已更新")


def test_from_a_residents_photo_to_a_verified_close(page, live_server, world, personas):
    # The resident reports on the portal: category, a click on the map, a photo.
    sign_in(page, live_server, personas.resident)
    page.goto(live_server.url + reverse("portal:problem_new"))
    page.select_option("select[name=category]", label=f"{world.campaign.name} · 非机动车乱停放")
    page.wait_for_selector(".leaflet-container")
    page.click(".map[data-map=pick]")
    assert page.input_value("input[name=lat]")
    page.fill("textarea[name=description]", "共享单车堆在盲道上，轮椅过不去")
    page.set_input_files("input[name=photos]", _jpeg((200, 60, 40)))
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=感谢您的报告")
    report = Report.objects.get()
    assert report.routed_unit == personas.unit_a and report.photos.count() == 1
    assert "已提交" in page.inner_text(".item-head")

    # The office (the dispatch centre) accepts and dispatches it to the street.
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("campaigns:report_detail", args=[report.pk]))
    _act(page, "accept")
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.item.lead_unit == personas.unit_a

    # The street fixes it; without a photo after the work it is refused, with one it goes through.
    sign_in(page, live_server, personas.unit_a_staff)
    page.goto(live_server.url + reverse("campaigns:report_detail", args=[report.pk]))
    assert "13800138000" in page.content()  # the responsible unit may call the reporter back
    page.locator("#action-fix summary").click()
    page.fill("#action-fix textarea[name=note]", "已清理并划定停放区")
    page.click("#action-fix button[type=submit]")
    page.wait_for_selector("text=请上传处置后的照片")
    assert page.input_value("#action-fix textarea[name=note]") == "已清理并划定停放区"
    page.set_input_files("#action-fix input[type=file]", _jpeg((60, 160, 80)))
    page.click("#action-fix button[type=submit]")
    page.wait_for_selector("text=问题已更新")
    report.refresh_from_db()
    assert report.state == ReportState.FIXED

    # An inspector from outside the street verifies on site and closes it.
    sign_in(page, live_server, personas.supervisor)
    page.goto(live_server.url + reverse("campaigns:report_detail", args=[report.pk]))
    _act(page, "verify", note="现场核查：已无单车堆放")
    report.refresh_from_db()
    assert report.state == ReportState.CLOSED and report.item.state == ItemState.CLOSED

    # The resident sees it closed, with both photos, and the change in their reports.
    sign_in(page, live_server, personas.resident)
    page.goto(live_server.url + reverse("portal:problem_detail", args=[report.pk]))
    assert "已结案" in page.inner_text(".item-head")
    assert page.locator(".photos img").count() == 2
    assert "13800138000" not in page.content()
    page.goto(live_server.url + reverse("portal:my_problems"))
    assert "已结案" in page.inner_text("main")


def test_acting_on_a_problems_item_from_the_ledger_moves_the_report_or_leads_to_it(page, live_server, world, personas):
    report = submit_report(world, personas, photos=[])
    report = report_transition(actor=personas.office_admin, report=report, action="accept")
    item = report.item

    # 东门街道 signs for it in the ordinary ledger; 报送办结 needs the after-photo, so the ledger
    # offers no such step: the item leads to the report's page.
    sign_in(page, live_server, personas.unit_a_staff)
    page.goto(live_server.url + reverse("ledger:item_detail", args=[item.pk]))
    assert page.locator("#subject a").inner_text() == f"问题#{report.pk}"
    page.click("button[value=acknowledge]")
    page.wait_for_selector(".item-head >> text=已签收")
    page.click("button[value=start]")
    page.wait_for_selector(".item-head >> text=办理中")
    report.refresh_from_db()
    assert report.state == ReportState.IN_PROGRESS  # the report followed its item
    assert page.locator("#action-submit").count() == 0
    page.click("#subject a")
    page.wait_for_url(live_server.url + reverse("campaigns:report_detail", args=[report.pk]))
    report.refresh_from_db()
    assert (report.state, report.item.state) == (ReportState.IN_PROGRESS, ItemState.IN_PROGRESS)
    page.locator("#action-fix summary").click()
    page.fill("#action-fix textarea[name=note]", "已清理并划定停放区")
    page.set_input_files("#action-fix input[type=file]", _jpeg((60, 160, 80)))
    page.click("#action-fix button[type=submit]")
    page.wait_for_selector("text=问题已更新")

    # A supervisor passes the review from the ledger page: the report is verified and closed with it.
    sign_in(page, live_server, personas.supervisor)
    page.goto(live_server.url + reverse("ledger:item_detail", args=[item.pk]))
    page.click("#action-accept summary")
    page.fill("#reason-accept", "现场核查已无单车堆放")
    page.click("#action-accept button[type=submit]")
    page.wait_for_selector(".item-head >> text=已销号")
    report.refresh_from_db()
    assert (report.state, report.item.state) == (ReportState.CLOSED, ItemState.CLOSED)
    sign_in(page, live_server, personas.resident)
    page.goto(live_server.url + reverse("portal:problem_detail", args=[report.pk]))
    assert "已结案" in page.inner_text(".item-head")
