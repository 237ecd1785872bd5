import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.core.errors import TransitionError
from duban.core.workdays import on_day
from duban.ledger.choices import ItemState
from duban.ledger.models import ExtensionRequest, Item, ItemEvent
from duban.ledger.services import item_report_progress, item_transition
from duban.orgs import services as org_services
from duban.orgs.choices import LeaderRank
from duban.reforms.choices import AdjustmentState, ReformLevel
from duban.reforms.models import Reform, ReformAdjustment
from duban.reforms.services import (
    adjustment_decide,
    adjustment_request,
    plan_added_since_approval,
    plan_approve,
    plan_of,
    plan_reforms,
    reform_decompose,
    reform_update,
    responsibility_problems,
    suggest_leaders,
)
from duban.reforms.tests.conftest import MARCH

pytestmark = pytest.mark.django_db
D = dt.date
MILESTONES = [
    {"title": "梳理事项清单", "deadline": D(2024, 5, 31)},
    {"title": "上线全程网办系统", "deadline": D(2024, 10, 31), "weight": 3},
]


def test_a_key_reform_is_led_by_a_main_leader_by_default(make_reform, main_leader):
    reform = make_reform()
    assert list(reform.lead_leaders.all()) == [main_leader]
    assert responsibility_problems(reform) == []


def test_breaking_the_three_level_rule_is_flagged(personas, make_reform, domain):
    in_charge = personas.district_leader.person
    key = make_reform(lead_leaders=[in_charge])
    assert responsibility_problems(key) == ["区级重点改革应由区主要领导（区委书记或区长）牵头。"]

    domain_leader = org_services.person_create(actor=None, name="测试分管领导")
    org_services.portfolio_create(
        actor=None, leader=domain_leader, title="副区长", rank=LeaderRank.IN_CHARGE, domains=[domain]
    )
    assigned = make_reform(level=ReformLevel.PROVINCIAL, domain=domain)
    assert list(assigned.lead_leaders.all()) == [domain_leader]
    assert suggest_leaders(ReformLevel.PROVINCIAL, None, personas.unit_a) == [in_charge]

    micro_with_head = make_reform(level=ReformLevel.MICRO)
    micro_without_head = make_reform(level=ReformLevel.MICRO, lead_unit=personas.unit_b)
    assert list(micro_with_head.lead_leaders.all()) == []
    assert responsibility_problems(micro_with_head) == []
    assert responsibility_problems(micro_without_head) == ["微改革由牵头单位主要负责人负责，桂园街道尚无主要负责人。"]


def test_only_the_reform_office_registers_reforms(personas, make_reform):
    with pytest.raises(PermissionDenied):
        reform_update(actor=personas.unit_a_staff, reform=make_reform(), data={"title": "改名"})
    assert Reform.objects.get().title == "商事登记“秒批”改革"


def test_decomposition_opens_the_reform_item_and_its_milestones_and_progress_rolls_up(personas, make_reform):
    reform = make_reform()

    milestones = reform_decompose(actor=personas.office_admin, reform=reform, milestones=MILESTONES, at=MARCH)

    reform.refresh_from_db()
    assert reform.item.title == reform.title and reform.item.state == ItemState.ASSIGNED
    assert reform.item.leader == reform.lead_leaders.get()
    assert [(m.title, m.parent_id, m.state, m.subject) for m in milestones] == [
        ("梳理事项清单", reform.item.pk, ItemState.ASSIGNED, reform),
        ("上线全程网办系统", reform.item.pk, ItemState.ASSIGNED, reform),
    ]
    first = milestones[0]
    item_transition(actor=personas.unit_a_staff, item=first, action="acknowledge", at=MARCH)
    item_report_progress(actor=personas.unit_a_staff, item=first, percent=100, text="清单已印发", at=MARCH)
    reform.refresh_from_db()
    assert reform.progress == 25  # weights 1 and 3


def test_a_milestone_after_the_reform_deadline_is_refused_and_nothing_is_opened(personas, make_reform):
    reform = make_reform()
    with pytest.raises(ValidationError):
        reform_decompose(
            actor=personas.office_admin,
            reform=reform,
            milestones=[*MILESTONES, {"title": "延后事项", "deadline": D(2025, 3, 1)}],
            at=MARCH,
        )
    assert Item.objects.count() == 0
    assert Reform.objects.get().item is None


def test_goals_and_deadline_change_only_by_an_approved_adjustment(personas, make_reform):
    reform = make_reform()
    reform_decompose(actor=personas.office_admin, reform=reform, milestones=MILESTONES, at=MARCH)
    with pytest.raises(ValidationError):
        reform_update(actor=personas.office_admin, reform=reform, data={"goals": "改目标"})

    june = on_day(D(2024, 6, 3), hour=10)
    adjustment = adjustment_request(
        actor=personas.office_admin,
        reform=reform,
        reason="纳入全市“一网通办”统一部署",
        changes={"goals": "企业开办全程网办，半日办结", "deadline": D(2025, 6, 30)},
        at=june,
    )
    reform.refresh_from_db()
    assert reform.goals == "企业开办全程网办，一日办结"  # nothing changes before approval
    assert adjustment.changes["deadline"] == ["2024-12-31", "2025-06-30"]
    with pytest.raises(ValidationError):
        adjustment_request(actor=personas.office_admin, reform=reform, reason="再调", changes={"plan": "新方案"})
    with pytest.raises(ValidationError):
        adjustment_decide(actor=personas.office_admin, adjustment=adjustment, approve=True, at=june)

    adjustment_decide(actor=personas.supervisor, adjustment=adjustment, approve=True, at=june)

    reform.refresh_from_db()
    assert (reform.goals, reform.deadline) == ("企业开办全程网办，半日办结", D(2025, 6, 30))
    assert reform.item.effective_deadline == D(2025, 6, 30)
    assert ExtensionRequest.objects.get(item=reform.item).state == "approved"
    assert ItemEvent.objects.filter(item=reform.item, code="ledger.extension.approved").exists()
    assert ReformAdjustment.objects.get().state == AdjustmentState.APPROVED


def test_a_rejection_needs_a_reason_and_changes_nothing(personas, make_reform):
    reform = make_reform()
    adjustment = adjustment_request(
        actor=personas.office_admin, reform=reform, reason="调整", changes={"plan": "新方案"}
    )
    with pytest.raises(ValidationError):
        adjustment_decide(actor=personas.supervisor, adjustment=adjustment, approve=False)
    adjustment_decide(actor=personas.supervisor, adjustment=adjustment, approve=False, note="方案未经论证")
    reform.refresh_from_db()
    assert reform.plan == ""
    assert ReformAdjustment.objects.get().state == AdjustmentState.REJECTED
    with pytest.raises(TransitionError):
        adjustment_decide(actor=personas.supervisor, adjustment=adjustment, approve=True)
    reasons = list(ReformAdjustment.history.order_by("history_id").values_list("history_change_reason", "state"))
    assert reasons == [("reforms.adjustment.requested", "pending"), ("reforms.adjustment.rejected", "rejected")]


def test_the_annual_plan_lists_the_years_reforms_and_is_fixed_by_approval(personas, make_reform):
    key = make_reform()
    make_reform(level=ReformLevel.MICRO, title="社区“微更新”")
    plan = plan_of(2024)
    assert [reform.title for reform in plan_reforms(plan)] == [key.title]  # micro-reforms are run by units

    with pytest.raises(ValidationError):
        plan_approve(actor=personas.office_admin, plan=plan, meeting=" ", approved_on=D(2024, 2, 20))
    plan_approve(
        actor=personas.office_admin, plan=plan, meeting="区委深改委2024年第一次会议", approved_on=D(2024, 2, 20)
    )
    late = make_reform(title="后增改革")

    plan = plan_of(2024)
    assert [reform.title for reform in plan_reforms(plan)] == [key.title]
    assert plan_added_since_approval(plan) == [late]
    with pytest.raises(ValidationError):
        plan_approve(actor=personas.office_admin, plan=plan, meeting="再次审议", approved_on=D(2024, 3, 1))
