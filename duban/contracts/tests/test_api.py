"""Construction contracts' JSON API: the same services and access rules as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from duban.contracts.tests.conftest import signed

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_contracts_through_the_api(client, personas, works):
    contract = signed(works, start=timezone.localdate() - dt.timedelta(days=40))
    first = contract.nodes.get(order=1)
    client.force_login(personas.unit_a_staff)
    assert client.get(f"/api/contracts/contracts/{contract.pk}").status_code == 404
    assert client.get("/api/contracts/analysis").status_code == 403
    client.force_login(works.staff)
    assert client.get("/api/contracts/contracts").json()["items"][0]["number"] == contract.number
    early = (first.planned_on - dt.timedelta(days=1)).isoformat()
    assert client.post(f"/api/contracts/nodes/{first.pk}", {"actual_on": early}, content_type=JSON).status_code == 400
    done = client.post(f"/api/contracts/nodes/{first.pk}", {"actual_on": first.planned_on.isoformat()},
                       content_type=JSON)  # fmt: skip
    assert done.status_code == 200 and done.json()["outcome"] == "0.00"
    assert client.get(f"/api/contracts/contracts/{contract.pk}/settlement").json()["net"] == "0.00"
    versions = client.get(f"/api/contracts/templates/{works.template.pk}/versions").json()
    assert versions[0]["state"] == "issued"
