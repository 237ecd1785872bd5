import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duban.core.workdays import on_day
from duban.ledger.models import Item, Notice
from duban.rectification.models import AuditFinding, CoverageEntry, CoveragePlan
from duban.rectification.services import finding_open_items

JAN = on_day(dt.date(2024, 1, 15))


def _open_overdue_item(finding, ledger):
    finding_open_items(actor=None, finding=finding, ledger=ledger, items=[{"deadline": dt.date(2024, 3, 1)}], at=JAN)


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("persona", "status"), [("office_admin", 200), ("unit_b_staff", 200), ("resident", 403)])
def test_who_reads_the_audit_pages(client, personas, project, persona, status):
    client.force_login(getattr(personas, persona))
    for url in [
        reverse("rectification:audit_year_of", args=[2024]),
        reverse("rectification:project_detail", args=[project.pk]),
        reverse("rectification:midyear", args=[2024]),
        reverse("rectification:yearend", args=[2024]),
        reverse("rectification:coverage"),
    ]:
        assert client.get(url).status_code == status, url


def test_the_office_adds_a_finding_and_opens_its_item_from_the_page(client, personas, project, audit_ledger):
    client.force_login(personas.office_admin)
    client.post(
        reverse("rectification:finding_add", args=[project.pk]),
        {
            "title": "往来款长期挂账未清理",
            "finding_type": "management",
            "amount_involved": "52000",
            "requirement": "年底前清理",
        },
    )
    finding = AuditFinding.objects.get()
    client.post(
        reverse("rectification:finding_open", args=[finding.pk]),
        {"ledger": audit_ledger.pk, "deadline": "2031-09-30", "rectification_type": "phased"},
    )

    item = Item.objects.get()
    assert item.subject == finding
    assert item.lead_unit == personas.unit_a
    html = client.get(reverse("rectification:project_detail", args=[project.pk])).content.decode()
    assert item.number in html
    assert "整改中" in html


def test_a_unit_cannot_add_findings(client, personas, project):
    client.force_login(personas.unit_a_head)
    response = client.post(
        reverse("rectification:finding_add", args=[project.pk]),
        {"title": "x", "finding_type": "management", "amount_involved": "0", "requirement": "x"},
    )
    assert response.status_code == 403
    assert AuditFinding.objects.count() == 0


def test_prompt_letters_in_one_action(client, personas, finding, audit_ledger):
    finding_open_items(
        actor=None, finding=finding, ledger=audit_ledger, items=[{"deadline": dt.date(2024, 3, 1)}], at=JAN
    )
    Item.objects.update(light="red")
    client.force_login(personas.office_admin)

    client.post(reverse("rectification:midyear", args=[2024]), {"lights": ["red", "yellow"]})

    assert Notice.objects.filter(auto_rule="midyear").count() == 1


def test_the_yearend_report_exports_to_excel(client, personas, finding, audit_ledger):
    finding_open_items(
        actor=None, finding=finding, ledger=audit_ledger, items=[{"deadline": dt.date(2024, 3, 1)}], at=JAN
    )
    client.force_login(personas.supervisor)

    response = client.get(reverse("rectification:yearend", args=[2024]), {"format": "xlsx"})

    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "责任单位"
    assert rows[1][0] == "东门街道"
    assert rows[1][4] == 1  # not rectified: the item is overdue
    assert rows[1][5] == 1250000


def test_the_yearend_page_leads_to_the_ledgers_carry_over_and_carries_nothing_itself(
    client, personas, finding, audit_ledger
):
    finding_open_items(
        actor=None, finding=finding, ledger=audit_ledger, items=[{"deadline": dt.date(2024, 3, 1)}], at=JAN
    )
    client.force_login(personas.office_admin)

    page = client.get(reverse("rectification:yearend", args=[2024])).content.decode()
    client.post(reverse("rectification:yearend", args=[2024]), {"deadline": "2031-03-31"})

    assert reverse("ledger:carry_over", args=[audit_ledger.pk]) in page
    assert not Item.objects.filter(state="carried_over").exists()


def test_planning_the_coverage(client, personas):
    client.force_login(personas.office_admin)
    client.post(
        reverse("rectification:coverage_new"), {"name": "内审全覆盖计划", "first_year": 2023, "last_year": 2027}
    )
    plan = CoveragePlan.objects.get()
    client.post(
        reverse("rectification:coverage_plan", args=[plan.pk]), {"unit": personas.unit_b.pk, "years": [2024, 2025]}
    )

    assert sorted(CoverageEntry.objects.values_list("year", flat=True)) == [2024, 2025]
    html = client.get(reverse("rectification:coverage_plan", args=[plan.pk])).content.decode()
    assert "桂园街道" in html


def test_the_year_end_carry_over_is_offered_only_to_the_office_keeping_that_years_ledger(
    client, personas, audit_ledger
):
    """Staff of an office keeping another year's audit ledger manage audits, but not this carry-over."""
    from duban.ledger.models import Ledger

    Ledger.objects.create(
        name="2023年审计整改台账", year=2023, kind="audit", owner_unit=personas.unit_b, number_prefix="桂审整"
    )
    carry_over = reverse("ledger:carry_over", args=[audit_ledger.pk])
    for persona, offered in [("office_admin", True), ("unit_b_staff", False)]:
        client.force_login(getattr(personas, persona))

        html = client.get(reverse("rectification:yearend", args=[2024])).content.decode()

        assert (carry_over in html) is offered, persona
        assert (client.get(carry_over).status_code == 200) is offered, persona
