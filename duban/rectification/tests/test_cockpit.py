"""Audit rectification's tile on the cockpit: every figure equals what the audit year's page it links
to shows the same person (the count of findings, or the money of the findings listed); a leader in
charge never counts a finding of unit B; the SQL status agrees with `finding_status`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from duban.cockpit.access import scope_of
from duban.core.templatetags.figures import money
from duban.core.workdays import on_day
from duban.ledger.services import item_transition
from duban.rectification.choices import FindingStatus
from duban.rectification.cockpit import tiles
from duban.rectification.models import AuditFinding
from duban.rectification.services import (
    finding_add,
    finding_open_items,
    finding_record_result,
    finding_status,
    items_by_finding,
    project_create,
)

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2024, 9, 2)
MARCH = on_day(D(2024, 3, 1), hour=9)
PERSONAS = ["office_admin", "supervisor", "district_leader", "unit_a_head"]
COUNTS = 1 + len(FindingStatus)  # the findings, then each status; then the money of the findings listed:
AMOUNTS = ["amount_involved", "amount_involved", "amount_recovered"]


@pytest.fixture
def findings(personas, project, finding, audit_ledger):
    """Findings of unit A (the fixture's audit), its community and unit B at every status, with money
    involved and recovered; and a finding of a 2023 audit."""
    p = personas
    admin = p.office_admin

    def add(project, title, unit, amount, deadline=None, done=False):
        made = finding_add(actor=admin, project=project, title=title, finding_type="violation", requirement="整改",
                           amount_involved=Decimal(amount), responsible_unit=unit)  # fmt: skip
        if deadline:
            (item,) = finding_open_items(actor=admin, finding=made, ledger=audit_ledger, items=[{"deadline": deadline}],
                                         at=MARCH)  # fmt: skip
            if done:
                staff = p.unit_b_staff if unit == p.unit_b else p.unit_a_staff
                item_transition(actor=staff, item=item, action="acknowledge", at=MARCH)
                item_transition(actor=staff, item=item, action="submit", reason="已整改", at=MARCH)
                item_transition(actor=p.supervisor, item=item, action="accept", at=MARCH)
                finding_record_result(actor=admin, finding=made, amount_recovered=Decimal(amount) / 2)
        return made

    finding_open_items(actor=admin, finding=finding, ledger=audit_ledger, items=[{"deadline": D(2024, 12, 31)}],
                       at=MARCH)  # ongoing  # fmt: skip
    add(project, "社区经费超范围支出", p.unit_a_community, "30000.50", deadline=D(2024, 6, 30))  # not rectified
    add(project, "政府采购程序不规范", p.unit_a, "80000", deadline=D(2024, 6, 30), done=True)
    add(project, "固定资产账实不符", p.unit_a, "0")  # no item yet
    cancelled = add(project, "已撤销的问题", p.unit_a, "500", deadline=D(2024, 12, 31))
    (item,) = items_by_finding([cancelled])[cancelled.pk]
    item_transition(actor=admin, item=item, action="cancel", reason="重复", at=MARCH)
    audit_b = project_create(actor=admin, year=2024, name="桂园街道经济责任审计", audit_type="economic",
                             audited_unit=p.unit_b, report_number="罗审报〔2024〕9号",
                             report_date=D(2024, 2, 1))  # fmt: skip
    add(audit_b, "桂园专项资金滞留", p.unit_b, "660000", deadline=D(2024, 5, 31))  # not rectified
    add(audit_b, "桂园公务接待超标", p.unit_b, "12000", deadline=D(2024, 5, 31), done=True)
    earlier = project_create(actor=admin, year=2023, name="2022年度审计", audit_type="budget", audited_unit=p.unit_a,
                             report_number="罗审报〔2023〕1号", report_date=D(2023, 3, 1))  # fmt: skip
    add(earlier, "往年问题", p.unit_a, "1000")


def _listed(client, url: str) -> list[AuditFinding]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [row["finding"] for section in response.context["sections"] for row in section["rows"]]


@pytest.mark.parametrize("who", PERSONAS)
def test_every_figure_equals_what_its_page_shows(client, personas, findings, who):
    user = getattr(personas, who)
    client.force_login(user)
    with time_machine.travel(on_day(TODAY, hour=9), tick=False):
        (tile,) = tiles(scope_of(user), TODAY)
        assert len(tile.figures) == COUNTS + len(AMOUNTS)
        for n, figure in enumerate(tile.figures):
            assert figure.url.startswith(reverse("rectification:audit_year_of", args=[2024])), figure
            listed = _listed(client, figure.url)
            if n < COUNTS:
                assert figure.value == len(listed), (figure.label, figure.url, [f.title for f in listed])
            else:
                assert figure.value == money(sum(getattr(f, AMOUNTS[n - COUNTS]) for f in listed)), figure


def test_the_district_counts_every_finding_of_the_year(personas, findings):
    with time_machine.travel(on_day(TODAY, hour=9), tick=False):
        (tile,) = tiles(scope_of(personas.office_admin), TODAY)
    # findings; no item yet, rectified, ongoing, not rectified; money involved, not rectified, recovered
    assert [figure.value for figure in tile.figures] == [
        7, 2, 2, 1, 2, money(Decimal("2032500.50")), money(Decimal("690000.50")), money(Decimal("46000"))]  # fmt: skip
    assert [figure.tone for figure in tile.figures] == ["", "", "good", "", "bad", "", "bad", ""]
    assert tile.figures[0].url == reverse("rectification:audit_year_of", args=[2024])


def test_a_leader_in_charge_never_counts_a_finding_of_unit_b(client, personas, findings):
    leader = personas.district_leader
    client.force_login(leader)
    with time_machine.travel(on_day(TODAY, hour=9), tick=False):
        (tile,) = tiles(scope_of(leader), TODAY)
        assert [figure.value for figure in tile.figures][:5] == [5, 2, 1, 1, 1]
        for figure in tile.figures:
            assert f"portfolio={leader.person.pk}" in figure.url
            assert personas.unit_b not in {f.responsible_unit for f in _listed(client, figure.url)}, figure
        text = client.get(tile.figures[4].url).content.decode()
    assert "社区经费超范围支出" in text and "桂园专项资金滞留" not in text and "测试区领导" in text


def test_the_sql_status_agrees_with_finding_status(personas, findings):
    with time_machine.travel(on_day(TODAY, hour=9), tick=False):
        found = list(AuditFinding.objects.with_status(TODAY))
        items = items_by_finding(found)
        for f in found:
            assert f.status == finding_status(items.get(f.pk, []), TODAY), f.title
    assert {f.status for f in found} == set(FindingStatus.values)
