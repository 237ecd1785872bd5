"""A green-channel payment in Chromium, in Chinese: a unit prepares a request without its invoice and
acceptance report, the clerk accepts it with both to follow, the unit's head signs the commitment
letter, the centre reviews, approves and pays it the same day, and the unit then supplies the
documents, which another clerk confirms. The request page holds on a phone."""

from pathlib import Path

import pytest
from django.urls import reverse

from duban.conftest import build_personas, sign_in
from duban.core.testing import phone_layout_problems
from duban.payments.models import Gap, PaymentRequest
from duban.payments.tests.conftest import PDF, build_centre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _step(page, code: str, label: str) -> None:
    page.click(f"form[action$='/{code}/'] button:has-text('{label}')")


def test_a_green_payment_with_documents_to_follow(page, live_server, tmp_path):
    personas = build_personas()
    centre = build_centre(personas)
    scan = Path(tmp_path) / "扫描件.pdf"
    scan.write_bytes(PDF)

    sign_in(page, live_server, personas.unit_a_staff)
    page.goto(live_server.url + reverse("payments:home"))
    page.click("text=填报支付申请")
    page.select_option("select[name=request_type]", str(centre.works.pk))
    page.fill("input[name=project]", "东门街道老旧小区雨污分流改造")
    page.select_option("select[name=fund]", str(centre.green_fund.pk))
    page.fill("input[name=amount]", "128500.5")
    page.fill("input[name=payee_name]", "深圳市罗湖建筑工程有限公司")
    page.fill("input[name=payee_account]", "12ab")
    page.fill("input[name=payee_bank]", "中国建设银行深圳罗湖支行")
    page.check("input[name=channel][value=green]")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=账号应为8至30位数字")  # nothing saved
    assert not PaymentRequest.objects.exists()
    page.fill("input[name=payee_account]", "4420 1501 1000 5251 2345")
    page.click("main button[type=submit]")
    page.wait_for_selector(".badge:has-text('填报中')")
    request = PaymentRequest.objects.get()
    for code in ("indicator", "approval", "account", "contract"):
        page.set_input_files(f"input[name=doc_{centre.doc(code).pk}]", str(scan))
    page.click("button:has-text('上传材料')")
    page.wait_for_selector("text=已添加4份材料")
    _step(page, "submit", "提交")
    page.wait_for_selector(".badge:has-text('待预审')")

    sign_in(page, live_server, centre.clerk)
    page.goto(live_server.url + reverse("payments:request_detail", args=[request.pk]))
    page.select_option(f"select[name=defer-form_{centre.doc('acceptance').pk}]", "on_site")
    _step(page, "defer", "容缺受理")
    page.wait_for_selector(".badge:has-text('待签承诺书')")

    sign_in(page, live_server, personas.unit_a_head)
    page.goto(live_server.url + reverse("payments:home"))
    page.click(f"text={request.number}")
    _step(page, "commit", "签署承诺书")
    page.wait_for_selector("text=承诺书须加盖单位公章")
    page.check("input[name=commit-sealed]")
    _step(page, "commit", "签署承诺书")
    page.wait_for_selector(".badge:has-text('已受理·待审核')")
    request.refresh_from_db()
    assert request.notice_number and page.is_visible(f"text={request.notice_number}")

    for user, code, label in [(centre.reviewer, "review", "审核通过"), (centre.approver, "approve", "审批同意支付")]:
        sign_in(page, live_server, user)
        page.goto(live_server.url + reverse("payments:request_detail", args=[request.pk]))
        _step(page, code, label)
        page.wait_for_selector(".msg-success")
    sign_in(page, live_server, centre.cashier)
    page.goto(live_server.url + reverse("payments:request_detail", args=[request.pk]))
    page.fill("input[name=pay-voucher]", "GK2026-000001")
    page.on("dialog", lambda dialog: dialog.accept())
    _step(page, "pay", "登记支付")
    page.wait_for_selector(".badge:has-text('已支付')")

    sign_in(page, live_server, personas.unit_a_staff)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("payments:request_detail", args=[request.pk]))
    assert not phone_layout_problems(page)
    for gap in Gap.objects.order_by("pk"):
        page.set_input_files(f"input[name=gap{gap.pk}-file]", str(scan))
        page.click(f"form[action$='/missing/{gap.pk}/supply/'] button")
        page.wait_for_selector(".msg-success")
    assert set(Gap.objects.values_list("state", flat=True)) == {"supplied"}

    sign_in(page, live_server, centre.other_clerk)
    page.goto(live_server.url + reverse("payments:request_detail", args=[request.pk]))
    for gap in Gap.objects.order_by("pk"):
        page.click(f"form[action$='/missing/{gap.pk}/confirm/'] button")
        page.wait_for_selector(".msg-success")
    assert Gap.objects.filter(confirmed_by=centre.other_clerk).count() == 2
