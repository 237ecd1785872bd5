import datetime as dt
import json

import pytest
import time_machine

from duban.core.workdays import on_day
from duban.reforms.models import Proposal, Reform
from duban.reforms.services import call_create

pytestmark = pytest.mark.django_db
D = dt.date


def _post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_the_office_registers_and_decomposes_a_reform_and_units_may_not(client, personas, reform_ledger, main_leader):
    payload = {
        "year": 2024, "level": "key", "group": "industry", "title": "商事登记改革", "goals": "一日办结",
        "deadline": "2024-12-31", "lead_unit_id": personas.unit_a.pk,
    }  # fmt: skip
    client.force_login(personas.unit_a_staff)
    assert _post(client, "/api/reforms/reforms", payload).status_code == 403
    client.force_login(personas.office_admin)
    with time_machine.travel(on_day(D(2024, 3, 1)), tick=False):
        created = _post(client, "/api/reforms/reforms", payload)
        assert created.status_code == 201 and created.json()["lead_leader_ids"] == [main_leader.pk]
        reform_id = created.json()["id"]
        late = _post(
            client, f"/api/reforms/reforms/{reform_id}/milestones", [{"title": "晚", "deadline": "2025-02-01"}]
        )
        assert late.status_code == 400
        done = _post(
            client, f"/api/reforms/reforms/{reform_id}/milestones", [{"title": "上线", "deadline": "2024-06-30"}]
        )
    assert done.status_code == 201 and done.json()["item_id"] is not None
    assert client.get("/api/reforms/reforms?year=2024").json()[0]["title"] == "商事登记改革"
    assert Reform.objects.count() == 1


def test_proposals_through_the_api_never_show_who_sent_them(client, personas):
    call = call_create(
        actor=None, year=2025, title="征集", description="说明", opens_on=D(2024, 11, 1), closes_on=D(2024, 11, 30)
    )
    client.force_login(personas.resident)
    with time_machine.travel(on_day(D(2024, 11, 10)), tick=False):
        assert _post(client, f"/api/reforms/calls/{call.pk}/proposals", {"title": "", "text": "x"}).status_code == 400
        assert (
            _post(client, f"/api/reforms/calls/{call.pk}/proposals", {"title": "电梯", "text": "加装"}).status_code
            == 201
        )
    client.logout()
    listed = client.get(f"/api/reforms/calls/{call.pk}/proposals").json()
    assert (
        listed[0]["title"] == "电梯" and "author" not in listed[0] and personas.resident.phone not in json.dumps(listed)
    )
    assert Proposal.objects.count() == 1
