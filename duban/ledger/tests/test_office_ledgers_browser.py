"""The office uploads the ledger it keeps, reads the columns on the mapping screen, changes one,
imports, and finds every other column on the item's page: in Chromium, on a desk and on a phone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openpyxl import Workbook

from duban.conftest import build_personas, pick, sign_in
from duban.core.testing import DESKTOP, PHONE, desktop_layout_problems, phone_layout_problems
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import imports
from duban.ledger.tests.test_office_ledgers import audit_units, audit_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def run_imports_inline(monkeypatch):
    monkeypatch.setattr(imports, "launch", imports.job_run)


def test_upload_map_and_import_the_audit_offices_own_workbook(page, live_server, tmp_path):
    personas = build_personas()
    audit_units(personas)
    ledger = Ledger.objects.create(
        name="2024年审计整改台账", year=2024, kind=LedgerKind.AUDIT, owner_unit=personas.reform_office,
        number_prefix="罗审整",
    )  # fmt: skip
    workbook = tmp_path / "2023年度审计整改台账.xlsx"
    workbook.write_bytes(audit_xlsx())
    sign_in(page, live_server, personas.office_admin)
    page.set_viewport_size(DESKTOP)

    page.goto(live_server.url + reverse("ledger:import_new"))
    page.select_option("select[name=ledger]", str(ledger.pk))
    page.set_input_files("input[name=file]", str(workbook))
    page.click("button[type=submit].btn-primary")
    page.wait_for_selector("text=表头在第3行")
    assert desktop_layout_problems(page) == []
    page.screenshot(path=str(tmp_path / "mapping.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert phone_layout_problems(page) == []
    page.set_viewport_size(DESKTOP)

    # 整改措施 is what the office wants as the item's content; the rest stays as other columns.
    page.select_option("select[name=column_8]", "content")
    page.click("text=按此重新检查")
    page.wait_for_selector("text=已按这些列重新检查文件")
    page.click("button:has-text('导入全部5行')")
    page.wait_for_selector("text=打开台账")

    page.reload()
    page.wait_for_selector("text=本次导入的事项")
    page.set_viewport_size(PHONE)
    assert phone_layout_problems(page) == []
    page.screenshot(path=str(tmp_path / "imported.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    item = Item.objects.get(ledger=ledger, title="专项资金拨付滞后")
    assert item.content == "建立拨付台账"
    page.goto(live_server.url + reverse("ledger:item_detail", args=[item.pk]))
    extra = page.locator(".item-extra").inner_text()
    assert "责任领导" in extra and "王局长" in extra and "整改措施" not in extra


def test_a_unit_name_not_found_is_named_with_the_unit_picker(page, live_server, tmp_path):
    personas = build_personas()
    ledger = Ledger.objects.create(
        name="2024年专项整治台账", year=2024, kind=LedgerKind.CAMPAIGN, owner_unit=personas.reform_office,
        number_prefix="罗整",
    )  # fmt: skip
    workbook = Workbook()
    workbook.active.append(["序号", "整改事项", "责任单位", "完成时限"])
    workbook.active.append([1, "占道经营整治", "东门街道办", "2024-06-30"])
    path = tmp_path / "清单.xlsx"
    workbook.save(path)
    sign_in(page, live_server, personas.office_admin)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("ledger:import_new"))
    page.select_option("select[name=ledger]", str(ledger.pk))
    page.set_input_files("input[name=file]", str(path))
    page.click("button[type=submit].btn-primary")
    page.wait_for_selector("text=找不到的单位名称")
    assert phone_layout_problems(page) == []

    pick(page, "alias-0-unit", "东门街道", within="#unit-names")
    page.click("text=按此读取并记住")
    page.wait_for_selector("text=今后“东门街道办”读作东门街道")
    page.click("button:has-text('导入全部1行')")
    page.wait_for_selector("text=打开台账")
    assert Item.objects.get(ledger=ledger).lead_unit == personas.unit_a
