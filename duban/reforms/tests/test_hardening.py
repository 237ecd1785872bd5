"""What must not happen: bad input is refused without a crash, reading writes nothing, and only the
office's administrators can make a unit the manager of reforms."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from duban.core.workdays import on_day
from duban.ledger.choices import LedgerKind
from duban.ledger.services import LedgerPermissionError, ledger_create
from duban.reforms import access
from duban.reforms.choices import ReformLevel
from duban.reforms.models import AnnualPlan, Appraisal, Score
from duban.reforms.rounds import panel_add_member, panel_create, rating_round_create, score_submit
from duban.reforms.services import adjustment_decide, adjustment_request, reform_decompose
from duban.reforms.tests.conftest import MARCH
from duban.reforms.tolerance import tolerance_apply

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_unit_cannot_open_a_reform_ledger_and_so_become_the_reform_office(personas):
    for kind in (LedgerKind.REFORM, LedgerKind.AUDIT):
        with pytest.raises(LedgerPermissionError):
            ledger_create(
                actor=personas.unit_a_staff, name="东门改革台账", year=2024, kind=kind, owner_unit=personas.unit_a,
                number_prefix="东改",
            )  # fmt: skip
    assert not access.can_manage_reforms(personas.unit_a_staff)


def test_reading_a_years_plan_or_appraisal_writes_nothing_and_odd_years_are_not_found(client, personas):
    client.force_login(personas.unit_a_staff)
    assert client.get(reverse("reforms:plan_detail", args=[2031])).status_code == 200
    assert client.get(reverse("reforms:appraisal_detail", args=[2031])).status_code == 200
    assert not AnnualPlan.objects.exists() and not Appraisal.objects.exists()
    assert client.get(reverse("reforms:plan_detail", args=[0])).status_code == 404
    assert client.get(reverse("reforms:appraisal_detail", args=[99999])).status_code == 404
    assert client.get(reverse("reforms:reform_list"), {"year": "-5"}).status_code == 200


def test_ids_that_are_not_numbers_are_not_found(client, personas, make_reform):
    reform = make_reform()
    round_ = rating_round_create(
        actor=None, title="群众评", reforms=[reform], year=2024, opens_on=D(2024, 11, 1), closes_on=D(2024, 11, 30)
    )
    client.force_login(personas.resident)
    with time_machine.travel(on_day(D(2024, 11, 15)), tick=False):
        url = reverse("portal:rating_round", args=[round_.pk])
        assert client.post(url, {"reform": "abc", "level": "satisfied"}).status_code == 404
        assert client.post(url, {"reform": reform.pk, "level": "satisfied", "street": "x"}).status_code == 404


def test_a_score_that_is_not_a_number_is_refused(personas, make_reform):
    micro = make_reform(level=ReformLevel.MICRO)
    panel = panel_create(actor=None, year=2024, title="评估", candidates=[micro])
    panel_add_member(actor=None, panel=panel, user=personas.expert, affiliation="市委改革办")
    with pytest.raises(ValidationError):
        score_submit(
            actor=personas.expert, panel=panel, reform=micro, scores={"targeting": "NaN", "innovation": 1, "effect": 1}
        )
    assert not Score.objects.exists()


def test_an_unknown_step_is_refused_with_a_message(client, personas):
    case = tolerance_apply(actor=None, unit=personas.unit_a, title="失误", facts="经过", year=2024)
    client.force_login(personas.supervisor)
    response = client.post(reverse("reforms:tolerance_detail", args=[case.pk]), {"target": "nonsense"}, follow=True)
    assert response.status_code == 200 and "请选择操作步骤" in response.content.decode()


def test_goals_and_deadline_adjusted_together_both_reach_the_item(personas, make_reform):
    reform = make_reform()
    reform_decompose(
        actor=personas.office_admin, reform=reform, milestones=[{"title": "上线", "deadline": D(2024, 6, 30)}], at=MARCH
    )
    june = on_day(D(2024, 6, 3), hour=10)
    with pytest.raises(ValidationError):  # earlier than the current deadline: the ledger would never move it
        adjustment_request(
            actor=personas.office_admin, reform=reform, reason="压缩", changes={"deadline": D(2024, 10, 1)}, at=june
        )
    adjustment = adjustment_request(
        actor=personas.office_admin,
        reform=reform,
        reason="深化",
        changes={"goals": "半日办结", "deadline": D(2025, 3, 31)},
        at=june,
    )
    adjustment_decide(actor=personas.supervisor, adjustment=adjustment, approve=True, at=june)
    reform.refresh_from_db()
    item = reform.item
    assert (item.content, item.effective_deadline) == ("半日办结", D(2025, 3, 31))


def test_a_refused_adjustment_keeps_what_was_typed(client, personas, make_reform):
    reform = make_reform()
    client.force_login(personas.office_admin)
    response = client.post(reverse("reforms:adjustment_new", args=[reform.pk]), {"reason": "深化", "plan": ""})
    html = response.content.decode()
    assert response.status_code == 400 and "调整内容与现状相同" in html and "深化</textarea>" in html
