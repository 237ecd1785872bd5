"""Construction contracts in Chromium, in Chinese: the agency registers a contract on the issued
template, records its first key node late, and the penalty shows at once on the node and on the
settlement statement; the contract page holds on a phone."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.conftest import build_personas, sign_in
from duban.contracts.models import Contract
from duban.contracts.tests.conftest import build_works
from duban.core.testing import phone_layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_from_the_template_to_a_late_nodes_penalty(page, live_server):
    personas = build_personas()
    works = build_works(personas)
    today = timezone.localdate()
    start = today + dt.timedelta(days=1)  # a contract starting tomorrow: every node ahead
    sign_in(page, live_server, works.staff)
    page.goto(live_server.url + reverse("contracts:home"))
    page.click("text=按范本登记合同")
    page.fill("input[name=number]", "罗工合〔2026〕99号")
    page.fill("input[name=project]", "罗湖区某小学改扩建工程")
    page.fill("input[name=contractor]", "深圳市某建设集团有限公司")
    page.fill("input[name=amount]", "20,000,000")
    page.fill("input[name=starts_on]", start.isoformat())
    page.fill("input[name=ends_on]", (start + dt.timedelta(days=300)).isoformat())
    for n, days in enumerate((0, 90, 200, 300, 380)):
        page.fill(f"input[name=node_{n}]", (start + dt.timedelta(days=days)).isoformat())
    page.fill("input[name=node_2]", start.isoformat())  # out of order: refused, nothing saved
    page.click("main button[type=submit]")
    page.wait_for_selector("text=关键节点应自开工日期起依次排列")
    assert not Contract.objects.exists()
    page.fill("input[name=node_2]", (start + dt.timedelta(days=200)).isoformat())
    page.click("main button[type=submit]")
    page.wait_for_selector("text=合同已登记")
    contract = Contract.objects.get()
    # the contract really started five days ago and its first node came two days late
    Contract.objects.filter(pk=contract.pk).update(starts_on=today - dt.timedelta(days=5))
    contract.nodes.filter(order=1).update(planned_on=today - dt.timedelta(days=5))
    page.goto(live_server.url + reverse("contracts:contract_detail", args=[contract.pk]))
    page.fill("form[action*='/nodes/'] input[name=actual_on]", (today - dt.timedelta(days=3)).isoformat())
    page.click("button:has-text('登记实际完成日期')")
    page.wait_for_selector("text=-16,000.00")  # 2 days × 8,000
    assert page.inner_text("#penalty") == "16,000.00"
    page.set_viewport_size(PHONE)
    assert not phone_layout_problems(page)
