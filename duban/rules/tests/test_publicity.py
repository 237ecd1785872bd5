"""Policies that reach people: publicity actions count each enterprise once however often it was
reached; enterprises confirm receipt from their link; the portal shows public rules in force only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duban.rules import publicity, services
from duban.rules.choices import RuleKind, RuleScope
from duban.rules.models import Enterprise, OutreachEnterprise
from duban.rules.publicity import credit_code_check_character

pytestmark = pytest.mark.django_db


def code(n: int) -> str:
    """A valid unified social credit code (GB 32100-2015) for the n-th test enterprise."""
    first = f"91440303MA5F{n:05d}"
    return first + credit_code_check_character(first)


@pytest.fixture
def handbook(personas, category):
    return services.rule_register(
        actor=personas.unit_a_staff, issuing_unit=personas.unit_a, title="黄金珠宝行业合规风险提示手册",
        kind=RuleKind.HANDBOOK, scope=RuleScope.PUBLIC, category=category, document_number="罗东〔2024〕8号",
        adopted_on=dt.date(2024, 3, 1), effective_on=dt.date(2024, 3, 1), text="一、收购黄金须查验身份证件……",
    )  # fmt: skip


def test_the_reach_counts_an_enterprise_reached_twice_once(personas, handbook):
    services_kwargs = {"actor": personas.unit_a_staff, "rule": handbook}
    publicity.outreach_record(
        **services_kwargs, kind="event", held_on=dt.date(2024, 4, 2), title="水贝珠宝企业宣讲会",
        enterprises=[("深圳市甲珠宝有限公司", code(1)), ("深圳市乙黄金有限公司", code(2))], practitioners=120,
    )  # fmt: skip
    publicity.outreach_record(
        **services_kwargs, kind="mailing", held_on=dt.date(2024, 4, 9), title="寄送风险提示手册",
        enterprises=[("深圳市乙黄金有限公司", code(2).lower()), ("深圳市丙首饰有限公司", code(3))],
        practitioner_names="张三\n李四\n张三",
    )  # fmt: skip
    reach = publicity.reach_of([handbook])
    assert (reach.enterprises, reach.practitioners, reach.actions, reach.confirmed) == (3, 122, 2, 0)
    assert Enterprise.objects.count() == 3


def test_a_wrong_credit_code_is_refused_with_nothing_written(personas, handbook):
    wrong = code(1)[:17] + ("0" if code(1)[17] != "0" else "1")
    with pytest.raises(ValidationError, match="校验"):
        publicity.outreach_record(actor=personas.unit_a_staff, rule=handbook, kind="visit", held_on=dt.date(2024, 4, 2),
                                  title="上门宣传", enterprises=[("某公司", code(4)), ("错码公司", wrong)])  # fmt: skip
    assert not Enterprise.objects.exists() and not handbook.outreach.exists()
    with pytest.raises(PermissionDenied):
        publicity.outreach_record(actor=personas.unit_b_staff, rule=handbook, kind="visit",
                                  held_on=dt.date(2024, 4, 2), title="越权")  # fmt: skip


def test_an_enterprise_confirms_receipt_with_its_own_code(client, personas, handbook):
    publicity.outreach_record(actor=personas.unit_a_staff, rule=handbook, kind="mailing", held_on=dt.date(2024, 4, 9),
                              title="寄送", enterprises=[("深圳市甲珠宝有限公司", code(1))])  # fmt: skip
    reached = OutreachEnterprise.objects.get()
    url = reverse("portal:policy_receipt", args=[reached.token])
    assert "深圳市甲珠宝有限公司" in client.get(url).content.decode()
    response = client.post(url, {"credit_code": code(2), "confirmed_by": "王经理"})
    reached.refresh_from_db()
    assert response.status_code == 400 and reached.confirmed_at is None
    client.post(url, {"credit_code": code(1), "confirmed_by": "王经理"})
    reached.refresh_from_db()
    assert reached.confirmed_by == "王经理" and publicity.reach_of([handbook]).confirmed == 1
    first = reached.confirmed_at
    client.post(url, {"credit_code": code(1), "confirmed_by": "别人"})
    reached.refresh_from_db()
    assert (reached.confirmed_at, reached.confirmed_by) == (first, "王经理")
    assert client.get(reverse("portal:policy_receipt", args=["not-a-token"])).status_code == 404


def test_the_portal_shows_public_rules_in_force_only(client, personas, handbook, meeting_rule):
    page = client.get(reverse("portal:policies") + "?q=黄金").content.decode()
    assert handbook.title in page and meeting_rule.title not in page
    assert client.get(reverse("portal:policy_detail", args=[handbook.pk])).status_code == 200
    assert client.get(reverse("portal:policy_detail", args=[meeting_rule.pk])).status_code == 404  # internal
    client.force_login(personas.resident)
    assert meeting_rule.title not in client.get(reverse("portal:policies")).content.decode()
