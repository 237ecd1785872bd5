"""Urban renewal's JSON API: the same services and access rules as the pages; phone numbers only for
case officers."""

from __future__ import annotations

import pytest
from django.utils import timezone

from duban.renewal import services
from duban.renewal.tests.conftest import applied, opened, pdf

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_cases_through_the_api(client, personas, bureau):
    case = applied(bureau)
    url = f"/api/renewal/cases/{case.pk}"
    client.force_login(personas.supervisor)
    assert all(p["phone"] is None for p in client.get(url).json()["parties"])
    assert client.post(f"{url}/steps", {"code": "accept"}, content_type=JSON).status_code == 403
    client.force_login(personas.unit_b_staff)
    assert client.get(url).status_code == 404
    client.force_login(bureau.officer)
    assert any(p["phone"] for p in client.get(url).json()["parties"])
    refused = client.post(f"{url}/steps", {"code": "accept", "mediator_ids": [bureau.officer.person.pk]},
                          content_type=JSON)  # fmt: skip
    assert refused.status_code == 400
    ids = [p.pk for p in bureau.mediators]
    done = client.post(f"{url}/steps", {"code": "accept", "mediator_ids": ids}, content_type=JSON)
    assert done.status_code == 200 and done.json()["state"] == "mediating"
    assert client.get(f"{url}/events").json()[-1]["code"] == "renewal.case.accepted"


def test_releases_through_the_api(client, personas, bureau):
    account = opened(bureau)
    services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                             reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
    rule = account.rules.get(milestone="topped_out")
    client.force_login(bureau.officer)
    url = f"/api/renewal/accounts/{account.pk}/releases"
    assert client.post(url, {"rule_id": rule.pk, "amount": "30000000.01"}, content_type=JSON).status_code == 400
    made = client.post(url, {"rule_id": rule.pk, "amount": "30000000.00"}, content_type=JSON)
    assert made.status_code == 201
    step = f"/api/renewal/releases/{made.json()['id']}/steps"
    assert client.post(step, {"code": "approve"}, content_type=JSON).status_code == 403
    client.force_login(bureau.head)
    assert client.post(step, {"code": "approve"}, content_type=JSON).json()["state"] == "approved"
    assert client.get(f"/api/renewal/accounts/{account.pk}").json()["released"] == "0.00"
    applied(bureau)
    stats = client.get("/api/renewal/statistics", {"year": timezone.localdate().year}).json()
    assert stats[-1]["quarter"] == 0 and stats[-1]["received"]["compensation"] == 1
