"""容错纠错: the steps, who takes them, what exemption needs, the appeal window, and the result applied."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from duban.core.errors import TransitionError
from duban.core.official import chinese_date
from duban.core.testing import official_document
from duban.core.workdays import on_day
from duban.ledger.models import ItemEvent
from duban.reforms.appraisal import appraisal_of, rows
from duban.reforms.choices import ReformLevel, ToleranceState
from duban.reforms.models import ToleranceCase
from duban.reforms.services import reform_decompose
from duban.reforms.tests.conftest import MARCH
from duban.reforms.tolerance import exempted_item_ids, tolerance_apply, tolerance_transition

pytestmark = pytest.mark.django_db
D = dt.date
ALL_HOLD = {
    "distinctions": {"pilot": True, "unbanned": True, "public_interest": True},
    "conditions": {"no_private_gain": True, "procedure_followed": True, "losses_remedied": True},
}
DECISION = {"findings": "经集体决策，无私利", "meeting": "区纪委常委会2024年第5次会议", "reasons": "符合容错情形"}
DECIDED_ON = on_day(D(2024, 9, 2), hour=10)


@pytest.fixture
def case(personas, make_reform):
    reform = make_reform(level=ReformLevel.MICRO, title="社区“微更新”试点")
    reform_decompose(actor=personas.office_admin, reform=reform, milestones=[], at=MARCH)
    reform.refresh_from_db()
    return tolerance_apply(
        actor=personas.unit_a_staff, unit=personas.unit_a, title="试点项目未达预期", facts="因政策调整，项目延期",
        year=2024, reform=reform, at=on_day(D(2024, 8, 1)),
    )  # fmt: skip


def test_units_apply_only_for_themselves_and_deciders_accept(personas, case):
    with pytest.raises(PermissionDenied):
        tolerance_apply(actor=personas.unit_b_staff, unit=personas.unit_a, title="x", facts="y", year=2024)
    with pytest.raises(PermissionDenied):
        tolerance_transition(actor=personas.unit_a_head, case=case, target="accepted")
    tolerance_transition(actor=personas.supervisor, case=case, target="accepted")
    assert ToleranceCase.objects.get().state == ToleranceState.ACCEPTED


def test_exemption_needs_every_condition_and_other_decisions_a_correction(personas, case):
    tolerance_transition(actor=personas.supervisor, case=case, target="accepted")
    gained = {**ALL_HOLD, "conditions": {**ALL_HOLD["conditions"], "no_private_gain": False}}
    with pytest.raises(ValidationError, match="每一项条件"):
        tolerance_transition(
            actor=personas.supervisor, case=case, target="decided", decision="exempted", **DECISION, **gained
        )
    with pytest.raises(ValidationError) as refused:
        tolerance_transition(
            actor=personas.supervisor, case=case, target="decided", decision="lighter", **DECISION, **gained
        )
    assert "correction_plan" in refused.value.message_dict
    assert ToleranceCase.objects.get().state == ToleranceState.ACCEPTED  # nothing half-written


def test_an_appeal_only_within_the_window_then_the_review_is_final(personas, case):
    tolerance_transition(actor=personas.supervisor, case=case, target="accepted")
    tolerance_transition(
        actor=personas.supervisor, case=case, target="decided", decision="not_tolerated", correction_plan="限期整改",
        at=DECIDED_ON, **DECISION, **ALL_HOLD,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        tolerance_transition(actor=personas.supervisor, case=case, target="final", at=DECIDED_ON)
    with pytest.raises(ValidationError, match="申诉期限"):
        tolerance_transition(
            actor=personas.unit_a_staff, case=case, target="appealed", appeal="理由", at=on_day(D(2024, 9, 20))
        )
    tolerance_transition(
        actor=personas.unit_a_staff, case=case, target="appealed", appeal="已主动挽回损失", at=DECIDED_ON
    )
    tolerance_transition(
        actor=personas.supervisor, case=case, target="final", decision="exempted", reasons="复核改为免责"
    )
    case.refresh_from_db()
    assert (case.state, case.decision) == (ToleranceState.FINAL, "exempted")
    with pytest.raises(TransitionError):
        tolerance_transition(actor=personas.supervisor, case=case, target="accepted")


def test_an_exempted_setback_carries_no_deduction_in_the_appraisal(personas, case):
    milestone = reform_decompose(
        actor=personas.office_admin,
        reform=case.reform,
        milestones=[{"title": "节点", "deadline": D(2024, 9, 30)}],
        at=MARCH,
    )[0]
    ItemEvent.objects.filter(item__in=[case.reform.item, milestone]).update(points=-1, year=2024, unit=personas.unit_a)
    ItemEvent.objects.filter(item=case.reform.item, code="ledger.item.created").update(points=-1)
    east = next(r for r in rows(appraisal_of(2024)) if r.unit == personas.unit_a)
    scored = ItemEvent.objects.filter(item__in=[case.reform.item, milestone], points__lt=0).count()
    assert east.deductions == Decimal(scored) and scored >= 3  # the reform's item and its milestone
    tolerance_transition(actor=personas.supervisor, case=case, target="accepted")
    tolerance_transition(
        actor=personas.supervisor,
        case=case,
        target="decided",
        decision="exempted",
        at=DECIDED_ON,
        **DECISION,
        **ALL_HOLD,
    )
    tolerance_transition(actor=personas.supervisor, case=case, target="final", at=on_day(D(2024, 9, 20)))
    assert exempted_item_ids(2024) == {case.reform.item.pk, milestone.pk}
    east = next(r for r in rows(appraisal_of(2024)) if r.unit == personas.unit_a)
    assert east.deductions == Decimal(0)


def test_the_pages_take_a_case_from_application_to_the_written_notice(client, personas):
    client.force_login(personas.unit_a_staff)
    response = client.post(reverse("reforms:tolerance_new"), {"title": "试点失败", "facts": "事实经过", "year": "2024"})
    case = ToleranceCase.objects.get()
    assert response.url == reverse("reforms:tolerance_detail", args=[case.pk])
    assert case.unit == personas.unit_a
    assert client.post(reverse("reforms:tolerance_detail", args=[case.pk]), {"target": "accepted"}).status_code == 403
    client.force_login(personas.supervisor)
    client.post(reverse("reforms:tolerance_detail", args=[case.pk]), {"target": "accepted"})
    decided = {
        "target": "decided", "decision": "exempted", **DECISION,
        **{f"distinction_{k}": "on" for k in ALL_HOLD["distinctions"]},
        **{f"condition_{k}": "on" for k in ALL_HOLD["conditions"]},
    }  # fmt: skip
    client.post(reverse("reforms:tolerance_detail", args=[case.pk]), decided)
    case.refresh_from_db()
    assert (case.state, case.decision) == (ToleranceState.DECIDED, "exempted")
    notice = client.get(reverse("reforms:tolerance_notice", args=[case.pk]))
    assert notice["Content-Type"].startswith("application/vnd.openxmlformats")
    text = [p.text for p in official_document(notice.content).paragraphs]
    assert text[-1] == chinese_date(timezone.localdate()) and "容错纠错认定结果告知书" in text
    client.force_login(personas.unit_b_staff)
    assert client.get(reverse("reforms:tolerance_detail", args=[case.pk])).status_code == 404


def test_the_review_of_an_appeal_starts_from_the_decision_under_appeal(client, personas, case):
    tolerance_transition(actor=personas.supervisor, case=case, target="accepted")
    tolerance_transition(
        actor=personas.supervisor, case=case, target="decided", decision="lighter", correction_plan="限期整改",
        at=DECIDED_ON, **DECISION, **ALL_HOLD,
    )  # fmt: skip
    tolerance_transition(actor=personas.unit_a_staff, case=case, target="appealed", appeal="理由", at=DECIDED_ON)
    client.force_login(personas.supervisor)
    html = client.get(reverse("reforms:tolerance_detail", args=[case.pk])).content.decode()
    assert "区纪委常委会2024年第5次会议" in html and "限期整改" in html
