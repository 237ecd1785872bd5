"""以审促建: a rule action cites the audit finding (or reform, case, look-back, problem category) that
made it necessary; the finding's page shows the rules built from it and the year-end report counts
them, from the links, never from a typed number."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.rectification.services import finding_add, project_create, yearend_report
from duban.rules import services
from duban.rules.models import ActionCause, RuleAction
from duban.rules.tests.conftest import rule_built_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(personas):
    Ledger.objects.create(name="2024年审计整改台账", year=2024, kind=LedgerKind.AUDIT,
                          owner_unit=personas.reform_office, number_prefix="罗审整")  # fmt: skip
    project = project_create(
        actor=personas.office_admin, year=2024, name="2023年度桂园街道预算执行审计", audit_type="budget",
        audited_unit=personas.unit_b, report_number="罗审报〔2024〕4号", report_date=dt.date(2024, 1, 12),
    )  # fmt: skip
    return finding_add(
        actor=personas.office_admin, project=project, title="公务接待无审批", finding_type="management",
        amount_involved=12000, requirement="建立接待审批制度", responsible_unit=personas.unit_b,
    )  # fmt: skip


def test_a_finding_shows_the_rules_built_from_it_and_the_year_end_counts_them(client, personas, finding):
    url = reverse("rectification:project_detail", args=[finding.project_id])
    client.force_login(personas.office_admin)
    assert "据此建立的制度" not in client.get(url).content.decode()

    rule = rule_built_from(personas, finding, title="桂园街道公务接待审批制度")
    page = client.get(url).content.decode()
    assert "据此建立的制度" in page and "桂园街道公务接待审批制度" in page and "已生效" in page
    [row] = yearend_report(2024, dt.date(2024, 12, 31))
    assert (row.unit, row.rules_built) == (personas.unit_b, 1)
    assert rule.status == "in_force"


def test_unit_staff_build_a_rule_from_the_finding_into_their_plan(client, personas, finding, rules_ledger):
    client.force_login(personas.unit_b_staff)
    page = client.get(reverse("rectification:project_detail", args=[finding.project_id])).content.decode()
    assert "据此建立制度" not in page  # no plan yet: nothing to build into
    plan = services.plan_create(actor=personas.unit_b_staff, unit=personas.unit_b, ledger=rules_ledger,
                                year=rules_ledger.year, title="桂园街道制度建设计划", scheme="zbt")  # fmt: skip
    page = client.get(reverse("rectification:project_detail", args=[finding.project_id])).content.decode()
    build_url = re.search(r'href="(/rules/build/\?cause=[0-9-]+)"', page).group(1)
    response = client.get(build_url)
    assert response.status_code == 302 and f"/rules/plans/{plan.pk}/actions/new/" in response.url
    form = client.get(response.url).content.decode()
    assert "公务接待无审批" in form
    cause = response.url.split("cause=")[1]
    fields = {"kind": "make", "title": "桂园街道接待审批制度", "rule_kind": "system", "scope": "internal",
              "deadline": "2099-12-31", "summary": "以审促建", "cause": cause}  # fmt: skip
    client.post(response.url, fields)
    action = RuleAction.objects.get()
    assert ActionCause.objects.get(action=action).cause == finding


def test_a_cause_of_another_kind_or_none_at_all_is_a_404(client, personas, plan):
    client.force_login(personas.unit_a_staff)
    assert client.get(reverse("rules:build_from") + "?cause=abc").status_code == 404
    users = ContentType.objects.get(app_label="orgs", model="user")
    assert client.get(reverse("rules:build_from") + f"?cause={users.pk}-1").status_code == 404
