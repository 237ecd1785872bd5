import pytest
from django.urls import reverse

from duban.ledger.models import Ledger

pytestmark = pytest.mark.django_db

ESCALATION = '[{"key": "blue", "level": "blue", "when": "overdue"}]'
SCORING = '{"ledger.item.finished_late": -1}'


def _form(personas, **overrides):
    data = {
        "name": "2025年审计整改台账", "year": 2025, "kind": "audit", "owner_unit": personas.reform_office.pk,
        "number_prefix": "罗审整", "acknowledge_working_days": 2, "escalation_policy": ESCALATION,
        "scoring_scheme": SCORING, "light_mode": "pro_rata", "yellow_working_days": 5, "k": 0.6, "period": "week",
    }  # fmt: skip
    return {**data, **overrides}


def test_the_office_opens_a_ledger_with_its_policies(client, personas):
    client.force_login(personas.office_admin)

    response = client.post(reverse("ledger:ledger_new"), _form(personas))

    assert response.status_code == 302
    ledger = Ledger.objects.get()
    assert ledger.light_policy == {"mode": "pro_rata", "yellow_working_days": 5, "k": 0.6, "period": "week"}
    assert ledger.escalation_policy == [{"key": "blue", "level": "blue", "when": "overdue"}]
    assert ledger.history.get().history_user == personas.office_admin


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("escalation_policy", '[{"key": "x", "level": "purple", "when": "overdue"}]', "未知的督办级别"),
        ("escalation_policy", "not json", "JSON"),
        ("scoring_scheme", '{"ledger.item.flew_away": 3}', "未知的事件代码"),
        ("k", "2", "小于或等于"),
    ],
)
def test_bad_policies_are_refused_with_a_clear_error(client, personas, field, value, message):
    client.force_login(personas.office_admin)

    response = client.post(reverse("ledger:ledger_new"), _form(personas, **{field: value}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Ledger.objects.count() == 0


def test_a_street_cannot_open_a_ledger_for_another_office(client, personas):
    client.force_login(personas.unit_a_staff)
    response = client.post(reverse("ledger:ledger_new"), _form(personas))
    assert response.status_code == 400
    assert Ledger.objects.count() == 0
