import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from duban.core.workdays import on_day
from duban.ledger.choices import ItemState, Light, NoticeLevel
from duban.ledger.models import Item, Notice
from duban.ledger.services import interview_record, item_transition, ledger_carry_over, notice_issue, sweep_run
from duban.rectification.choices import FindingStatus
from duban.rectification.models import CoveragePlan
from duban.rectification.services import (
    coverage_matrix,
    coverage_plan_set,
    finding_add,
    finding_items,
    finding_open_items,
    finding_record_result,
    midyear_prompt_letters,
    midyear_report,
    project_create,
    yearend_report,
)
from duban.rules.tests.conftest import rule_built_from

pytestmark = pytest.mark.django_db
D = dt.date
JAN = on_day(D(2024, 1, 15))


def test_findings_are_numbered_within_their_project(personas, project, finding):
    second = finding_add(
        actor=personas.office_admin,
        project=project,
        title="往来款长期挂账",
        finding_type="management",
        requirement="清理",
    )
    assert (finding.seq, second.seq) == (1, 2)
    assert second.responsible_unit == personas.unit_a


def test_units_cannot_register_audits(personas):
    with pytest.raises(PermissionDenied):
        project_create(
            actor=personas.unit_a_staff,
            year=2024,
            name="x",
            audit_type="budget",
            audited_unit=personas.unit_a,
            report_number="x",
            report_date=D(2024, 1, 1),
        )


def test_a_finding_opens_assigned_items_linked_to_it(personas, finding, audit_ledger):
    items = finding_open_items(
        actor=personas.office_admin,
        finding=finding,
        ledger=audit_ledger,
        items=[{"deadline": D(2024, 6, 30)}, {"title": "建立资金拨付台账", "deadline": D(2024, 9, 30)}],
        at=JAN,
    )

    assert [i.state for i in items] == [ItemState.ASSIGNED, ItemState.ASSIGNED]
    assert items[0].title == "专项资金闲置未及时拨付"
    assert items[0].basis_document == "罗审报〔2024〕3号"
    assert items[0].external_id == "罗审报〔2024〕3号-1-1"
    assert items[1].external_id == "罗审报〔2024〕3号-1-2"
    assert list(finding_items(finding).order_by("seq")) == items
    assert items[0].subject == finding


def test_midyear_report_and_prompt_letters_once_per_year(personas, finding, audit_ledger, project):
    other = finding_add(
        actor=None,
        project=project,
        title="固定资产账实不符",
        finding_type="control",
        requirement="盘点",
        responsible_unit=personas.unit_b,
    )
    finding_open_items(actor=None, finding=finding, ledger=audit_ledger, items=[{"deadline": D(2024, 6, 28)}], at=JAN)
    finding_open_items(actor=None, finding=other, ledger=audit_ledger, items=[{"deadline": D(2024, 12, 20)}], at=JAN)
    sweep_run(today=D(2024, 6, 24))

    report = midyear_report(audit_ledger)
    assert [(row.unit.name, row.lights[Light.YELLOW], row.lights[Light.GREEN]) for row in report] == [
        ("东门街道", 1, 0),
        ("桂园街道", 0, 1),
    ]

    at = on_day(D(2024, 6, 25))
    assert (
        midyear_prompt_letters(
            actor=personas.office_admin, ledger=audit_ledger, lights={Light.YELLOW, Light.RED}, at=at
        )
        == 1
    )
    assert (
        midyear_prompt_letters(
            actor=personas.office_admin, ledger=audit_ledger, lights={Light.YELLOW, Light.RED}, at=at
        )
        == 0
    )
    letter = Notice.objects.get(auto_rule="midyear")
    assert letter.recipient_unit == personas.unit_a
    assert "年中督办" in letter.reason
    with pytest.raises(PermissionDenied):
        midyear_prompt_letters(actor=personas.unit_a_staff, ledger=audit_ledger, lights={Light.RED})


def test_yearend_reconciliation_and_carry_over(personas, finding, audit_ledger, project):
    done = finding_add(
        actor=None,
        project=project,
        title="公务用车管理不规范",
        finding_type="management",
        requirement="规范派车",
        responsible_unit=personas.unit_b,
        amount_involved=30000,
    )
    [open_item] = finding_open_items(
        actor=None, finding=finding, ledger=audit_ledger, items=[{"deadline": D(2024, 6, 28)}], at=JAN
    )
    [done_item] = finding_open_items(
        actor=None, finding=done, ledger=audit_ledger, items=[{"deadline": D(2024, 6, 28)}], at=JAN
    )
    for actor, action, reason in [
        (personas.unit_b_staff, "acknowledge", ""),
        (personas.unit_b_staff, "submit", "已整改"),
        (personas.supervisor, "accept", ""),
        (personas.supervisor, "close", ""),
    ]:
        item_transition(actor=actor, item=done_item, action=action, reason=reason, at=on_day(D(2024, 5, 6)))
    finding_record_result(actor=personas.office_admin, finding=done, amount_recovered=Decimal("30000"))
    rule_built_from(personas, done, title="桂园街道公务接待制度")
    rule_built_from(personas, done, title="桂园街道财务审批制度")

    rows = {row.unit.name: row for row in yearend_report(2024, D(2024, 12, 31))}
    assert rows["东门街道"].counts[FindingStatus.NOT_RECTIFIED] == 1
    assert rows["桂园街道"].counts[FindingStatus.RECTIFIED] == 1
    assert rows["桂园街道"].amount_recovered == Decimal("30000")
    assert rows["桂园街道"].rules_built == 2

    carried = ledger_carry_over(
        actor=personas.office_admin, ledger=audit_ledger, year=2025, deadline=D(2025, 3, 31), at=on_day(D(2024, 12, 31))
    )

    [new] = carried
    open_item.refresh_from_db()
    assert open_item.state == ItemState.CARRIED_OVER
    assert open_item.late_days == 186
    assert new.ledger.name == "2025年审计整改台账"
    assert new.ledger.carried_from == audit_ledger
    assert new.carried_from == open_item
    assert new.subject == finding
    assert new.state == ItemState.ASSIGNED
    assert new.number == "罗审整〔2025〕001号"
    rows = {row.unit.name: row for row in yearend_report(2024, D(2025, 1, 5))}
    assert rows["东门街道"].counts[FindingStatus.ONGOING] == 1  # it continues in 2025, not yet late


def test_an_interview_is_recorded_on_its_notice(personas, finding, audit_ledger):
    [item] = finding_open_items(
        actor=None, finding=finding, ledger=audit_ledger, items=[{"deadline": D(2024, 6, 28)}], at=JAN
    )
    notice = notice_issue(
        actor=personas.supervisor, item=item, level=NoticeLevel.INTERVIEW, reason="整改严重滞后", at=JAN
    )

    with pytest.raises(PermissionDenied):
        interview_record(
            actor=personas.unit_a_head, notice=notice, held_on=D(2024, 7, 3), place="x", attendees="x", minutes="x"
        )
    record = interview_record(
        actor=personas.supervisor,
        notice=notice,
        held_on=D(2024, 7, 3),
        place="区审计局会议室",
        attendees="东门街道主要负责人、区审计局",
        minutes="约谈整改滞后问题",
        commitments="9月底前整改到位",
    )

    notice.refresh_from_db()
    assert record.notice == notice
    assert notice.response_text == "9月底前整改到位"
    assert item.events.filter(code="ledger.notice.interview_held").count() == 1


def test_the_five_year_coverage_plan(personas):
    plan = CoveragePlan.objects.create(name="2023—2027年内部审计全覆盖计划", first_year=2023, last_year=2027)
    coverage_plan_set(actor=personas.office_admin, plan=plan, unit=personas.unit_a, years=[2023, 2026])
    coverage_plan_set(actor=personas.office_admin, plan=plan, unit=personas.unit_b, years=[2024])
    project_create(
        actor=None,
        year=2023,
        name="东门街道内审",
        audit_type="internal",
        audited_unit=personas.unit_a,
        report_number="内审1",
        report_date=D(2023, 5, 1),
    )

    rows, totals = coverage_matrix(plan)

    assert [(row.unit.name, row.cells[0]) for row in rows] == [
        ("东门街道", (2023, True, True)),
        ("桂园街道", (2023, False, False)),
    ]
    assert [(t["year"], t["planned"], t["audited"], t["coverage"]) for t in totals] == [
        (2023, 1, 1, 50.0),
        (2024, 1, 0, 50.0),
        (2025, 0, 0, 50.0),
        (2026, 1, 0, 50.0),
        (2027, 0, 0, 50.0),
    ]
    assert Item.objects.count() == 0
