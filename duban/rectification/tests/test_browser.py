"""The same form on a page once per finding: each row's unit picker is its own."""

import datetime as dt

import pytest
from django.urls import reverse

from duban.conftest import build_personas, sign_in
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Item, Ledger
from duban.rectification.services import finding_add, project_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_findings_lead_unit_is_picked_in_its_own_row(page, live_server):
    personas = build_personas()
    ledger = Ledger.objects.create(
        name="2030年审计整改台账", year=2030, kind=LedgerKind.AUDIT, owner_unit=personas.reform_office,
        number_prefix="罗审整",
    )  # fmt: skip
    project = project_create(
        actor=personas.office_admin, year=2030, name="2030年度东门街道预算执行审计", audit_type="budget",
        audited_unit=personas.unit_a, report_number="罗审报〔2030〕3号", report_date=dt.date(2030, 3, 15),
    )  # fmt: skip
    for title in ["专项资金闲置", "公务接待超标"]:
        finding_add(actor=personas.office_admin, project=project, title=title, finding_type="management",
                    amount_involved=1000, requirement="限期整改")  # fmt: skip
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("rectification:project_detail", args=[project.pk]))

    second = page.locator("form[action$='/open/']").nth(1)
    page.locator("summary:has-text('年初建账')").nth(1).click()
    second.locator("select[name=ledger]").select_option(str(ledger.pk))
    box = second.locator(".picker-input")
    box.click()
    page.keyboard.type("城东")
    page.keyboard.press("Enter")
    assert box.input_value() == "城东社区"
    ids = page.eval_on_selector_all("[id*=lead_unit]", "els => els.map(el => el.id)")
    assert len(ids) == len(set(ids))  # one picker per row, each with its own ids
    assert page.locator(f"label[for='{box.get_attribute('id')}']").count() == 1
    second.locator("input[name=deadline]").fill("2030-12-31")
    second.locator("button[type=submit]").click()
    page.wait_for_selector("text=已交办")

    item = Item.objects.get()
    assert item.title == "公务接待超标" and item.lead_unit == personas.unit_a_community
