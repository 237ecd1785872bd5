"""The year-end report reads like money, on the page and in its workbook, with a 合计 line in both."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from duban.core.exports import AMOUNT_FORMAT
from duban.core.testing import link_href, xlsx_data_rows, xlsx_workbook
from duban.rectification.services import finding_add, finding_record_result, project_create
from duban.rules.tests.conftest import rule_built_from

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def findings(personas, project, finding):
    """东门街道: 1,250,000 and 8,190,000.00 involved (9,440,000.00), 600,000.50 recovered;
    桂园街道: 30,000 involved in another project."""
    second = finding_add(
        actor=personas.office_admin,
        project=project,
        title="工程款超付",
        finding_type="violation",
        amount_involved=Decimal("8190000.00"),
        requirement="追回超付款",
    )
    finding_record_result(actor=personas.office_admin, finding=second, amount_recovered=Decimal("600000.50"))
    rule_built_from(personas, second, unit=personas.unit_a, staff=personas.unit_a_staff, title="工程结算审核制度")
    rule_built_from(personas, second, unit=personas.unit_a, staff=personas.unit_a_staff, title="工程款支付制度")
    other = project_create(
        actor=personas.office_admin,
        year=2024,
        name="2023年度桂园街道预算执行审计",
        audit_type="budget",
        audited_unit=personas.unit_b,
        report_number="罗审报〔2024〕4号",
        report_date=dt.date(2024, 1, 12),
    )
    finding_add(
        actor=personas.office_admin,
        project=other,
        title="台账不全",
        finding_type="management",
        amount_involved=30000,
        requirement="补齐台账",
        responsible_unit=personas.unit_b,
    )


def _money(amount: str, cells: list[str]) -> bool:
    """A cell reads `amount` followed by its unit on the same line (元, or yuan in English)."""
    return any(re.fullmatch(re.escape(amount) + NBSP + "(元|yuan)", cell) for cell in cells)


def _cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows
    ]


def test_the_page_shows_amounts_as_money_with_a_total_line(client, personas, findings):
    client.force_login(personas.supervisor)
    html = client.get(reverse("rectification:yearend", args=[2024])).content.decode()

    rows = {row[0]: row for row in _cells(html) if row}
    assert _money("9,440,000.00", rows["东门街道"])
    assert _money("600,000.50", rows["东门街道"])
    assert _money("30,000.00", rows["桂园街道"])
    total = next(row for label, row in rows.items() if label in ("Total", "合计"))
    assert _money("9,470,000.00", total) and _money("600,000.50", total)
    assert total[-1] == "2"  # rules built
    assert "9440000" not in html


def test_the_workbook_has_the_pages_rows_amounts_with_their_unit_and_the_total(client, personas, findings):
    client.force_login(personas.supervisor)
    url = reverse("rectification:yearend", args=[2024])
    page = client.get(url)
    sheet = xlsx_workbook(client.get(link_href(page.content.decode(), "format=xlsx", url))).active

    header = [cell.value for cell in sheet[1]]
    involved, recovered = header.index("涉及金额（元）"), header.index("整改金额（元）")
    rows = xlsx_data_rows(sheet)
    assert [row[0] for row in rows] == [row.unit.name for row in page.context["rows"]]
    east = next(row for row in rows if row[0] == "东门街道")
    assert (east[involved], east[recovered]) == (9440000, 600000.5)
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert (last[0], last[involved], last[recovered], last[-1]) == ("合计", 9470000, 600000.5, 2)
    assert sheet.cell(row=2, column=involved + 1).number_format == AMOUNT_FORMAT


def test_a_projects_findings_show_money_and_their_total(client, personas, project, findings):
    client.force_login(personas.supervisor)
    html = client.get(reverse("rectification:project_detail", args=[project.pk])).content.decode()

    assert _money("8,190,000.00", [cell for row in _cells(html) for cell in row])
    total = next(row for row in _cells(html) if row and row[0] in ("Total", "合计"))
    assert _money("9,440,000.00", total)
