"""Urban renewal in Chromium, in Chinese: a case officer registers a mediation application both
sides agreed to, accepts it with two mediators, records a session, drafts the agreement, records
both signatures and the case is settled; then a milestone of the project's supervision account is
recorded with its evidence, a release is applied for, the bureau head approves it and the officer
records the transfer. The case page holds on a phone."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.conftest import build_personas, sign_in
from duban.core.testing import phone_layout_problems
from duban.renewal.models import MediationCase, Release
from duban.renewal.tests.conftest import PDF, build_bureau, opened

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _step(page, code: str, label: str) -> None:
    page.click(f"form[action$='/{code}/'] button:has-text('{label}')")


def test_from_application_to_agreement_and_from_milestone_to_release(page, live_server, tmp_path):
    personas = build_personas()
    bureau = build_bureau(personas)
    account = opened(bureau)
    scan = Path(tmp_path) / "封顶验收记录.pdf"
    scan.write_bytes(PDF)
    today = timezone.localdate().isoformat()
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, live_server, bureau.officer)
    page.goto(live_server.url + reverse("renewal:project_detail", args=[bureau.project.pk]))
    page.click("text=登记行政调解申请")
    page.check("input[name=origin][value=application]")
    page.select_option("select[name=claim_type]", "compensation")
    page.fill("textarea[name=claim]", "要求按市场评估价提高货币补偿标准。")
    page.fill("input[name=p0_consented_on]", today)
    page.select_option("select[name=p1_household]", label="4栋101 业主4")
    page.fill("input[name=p1_consented_on]", today)
    page.click("main button[type=submit]")
    page.wait_for_selector(".badge:has-text('待受理')")
    case = MediationCase.objects.get()
    for person in bureau.mediators:
        page.check(f"input[name=accept-mediators][value='{person.pk}']")
    _step(page, "accept", "受理")
    page.wait_for_selector(".badge:has-text('调解中')")
    assert page.is_visible("text=受理通知书")

    page.click("summary:has-text('登记调解会')")
    page.fill("input[name=held_on]", today)
    page.fill("input[name=place]", "东门街道调解室")
    for person in bureau.mediators:
        page.check(f"form[action$='/sessions/'] input[name=mediators][value='{person.pk}']")
    page.fill("input[name=attendees]", "搬迁人代表、业主4")
    page.fill("textarea[name=minutes]", "双方就补偿标准协商一致。")
    page.click("button:has-text('登记调解会')")
    page.wait_for_selector("text=调解会已登记")
    page.fill("textarea[name=facts]", "被搬迁人对补偿标准有异议。")
    page.fill("textarea[name=terms]", "搬迁人按每平方米62000元给予货币补偿。")
    page.click("button:has-text('保存调解协议')")
    page.wait_for_selector("text=调解协议已保存")
    _step(page, "settle", "登记协议签署")
    page.wait_for_selector(".badge:has-text('调解成功')")
    case.refresh_from_db()
    assert case.agreement_number and page.is_visible(f"text={case.agreement_number}")
    page.set_viewport_size(PHONE)
    assert not phone_layout_problems(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(live_server.url + reverse("renewal:account_detail", args=[account.pk]))
    page.click("summary:has-text('登记达到节点')")
    page.select_option("select[name=milestone]", "topped_out")
    page.fill("input[name=reached_on]", today)
    page.set_input_files("input[name=evidence]", str(scan))
    page.click("form[action$='/milestones/'] button")
    page.wait_for_selector("text=节点已登记")
    page.click("summary:has-text('登记资金释放申请')")
    page.select_option("select[name=rule]", label="主体封顶 30.00%")
    page.fill("form[action$='/releases/'] input[name=amount]", "40,000,000")
    page.click("form[action$='/releases/'] button")
    page.wait_for_selector("text=目前最多可释放30,000,000.00元")  # nothing written
    assert not Release.objects.exists()
    page.fill("form[action$='/releases/'] input[name=amount]", "30,000,000")
    page.click("form[action$='/releases/'] button")
    page.wait_for_selector(".badge:has-text('待局领导审批')")

    sign_in(page, live_server, bureau.head)
    page.goto(live_server.url + reverse("renewal:account_detail", args=[account.pk]))
    _step(page, "approve", "批准")
    page.wait_for_selector(".badge:has-text('已批准·待划拨')")
    sign_in(page, live_server, bureau.officer2)
    page.goto(live_server.url + reverse("renewal:account_detail", args=[account.pk]))
    page.fill("input[name=transfer-voucher]", "ZJ-2026-001")
    _step(page, "transfer", "登记划拨")
    page.wait_for_selector(".badge:has-text('已释放')")
    assert page.inner_text("#released") == "30,000,000.00"
