"""The rules' JSON API: the same services and access rules as the pages."""

from __future__ import annotations

import pytest

from duban.rules.models import RuleAction
from duban.rules.tests.conftest import assigned_and_signed, due

pytestmark = pytest.mark.django_db


def test_a_unit_plans_moves_and_reads_its_rule_actions_through_the_api(client, personas, plan, meeting_rule):
    client.force_login(personas.unit_a_staff)
    added = client.post(f"/api/rules/plans/{plan.pk}/actions",
                        {"kind": "amend", "rule_id": meeting_rule.pk, "deadline": due().isoformat(),
                         "summary": "增加议题公示"}, content_type="application/json")  # fmt: skip
    assert added.status_code == 201 and added.json()["stage"] == "drafting"
    action = RuleAction.objects.get()
    assigned_and_signed(personas, action)
    step = client.post(f"/api/rules/actions/{action.pk}/steps", {"code": "to_deliberation"},
                       content_type="application/json")  # fmt: skip
    assert step.status_code == 200 and step.json()["stage"] == "deliberation"
    refused = client.post(f"/api/rules/actions/{action.pk}/steps", {"code": "publish"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 409
    action.refresh_from_db()
    assert action.stage == "deliberation"
    rule = client.get(f"/api/rules/rules/{meeting_rule.pk}").json()
    assert rule["status"] == "revising" and [v["number"] for v in rule["versions"]] == [1]
    assert client.get("/api/rules/rules", {"q": "议事"}).json()["count"] == 1


def test_another_unit_and_residents_are_refused(client, personas, plan, meeting_rule):
    client.force_login(personas.unit_b_staff)
    response = client.post(f"/api/rules/plans/{plan.pk}/actions",
                           {"kind": "repeal", "rule_id": meeting_rule.pk, "deadline": due().isoformat(),
                            "summary": "越权"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 403 and not RuleAction.objects.exists()
    client.force_login(personas.resident)
    assert client.get("/api/rules/rules").status_code == 403
    client.logout()
    assert client.get("/api/rules/rules").status_code == 401
