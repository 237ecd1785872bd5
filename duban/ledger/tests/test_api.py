import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client

from duban.api import api
from duban.core.workdays import on_day
from duban.ledger.choices import ItemState
from duban.ledger.models import Item, ItemEvent, Notice
from duban.ledger.services.transitions import item_transition
from duban.ledger.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_committed_openapi_snapshot_is_current():
    current = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/"), sort_keys=True))
    assert current == json.loads(SNAPSHOT.read_text(encoding="utf-8")), (
        "run `make openapi` and commit docs/openapi.json"
    )


def test_anonymous_calls_are_unauthorised(personas, make_item):
    item = make_item()
    assert _client(None).get("/api/ledger/items").status_code == 401
    assert _client(None).get(f"/api/ledger/items/{item.pk}").status_code == 401


@pytest.mark.parametrize(
    ("persona", "status"),
    [("office_admin", 200), ("supervisor", 200), ("unit_a_staff", 200), ("unit_b_staff", 404), ("resident", 403)],
)
def test_item_visibility_matches_the_pages(personas, make_item, persona, status):
    item = make_item()
    assert _client(getattr(personas, persona)).get(f"/api/ledger/items/{item.pk}").status_code == status


def test_the_list_is_paginated_filtered_and_scoped(personas, make_item):
    make_item(title="东门一")
    make_item(title="东门二")
    make_item(title="桂园一", lead_unit=personas.unit_b)

    body = _client(personas.unit_a_staff).get("/api/ledger/items", {"q": "东门"}).json()

    assert body["count"] == 2
    assert sorted(i["title"] for i in body["items"]) == ["东门一", "东门二"]
    assert _client(personas.unit_b_staff).get("/api/ledger/items", {"q": "东门"}).json()["count"] == 0


def test_a_refused_transition_answers_409_and_changes_nothing(personas, make_item):
    item = make_item()
    events = ItemEvent.objects.count()
    client = _client(personas.supervisor)

    response = client.post(
        f"/api/ledger/items/{item.pk}/transitions", {"action": "close"}, content_type="application/json"
    )

    assert response.status_code == 409
    assert "已交办" in response.json()["detail"]
    item.refresh_from_db()
    assert item.state == ItemState.ASSIGNED
    assert ItemEvent.objects.count() == events


def test_the_unit_cannot_accept_its_own_item_through_the_api(personas, make_item):
    item = make_item()
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="报告", at=on_day(MONDAY))

    response = _client(personas.unit_a_head).post(
        f"/api/ledger/items/{item.pk}/transitions", {"action": "accept"}, content_type="application/json"
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED


def test_the_loop_through_the_api(personas, ledger):
    office = _client(personas.office_admin)
    created = office.post(
        "/api/ledger/items",
        {
            "ledger_id": ledger.pk,
            "title": "接口登记的事项",
            "lead_unit_id": personas.unit_a.pk,
            "deadline": "2031-06-30",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    item_id = created.json()["id"]
    assert created.json()["number"] == "罗改〔2024〕001号"

    def step(client, action, reason=""):
        return client.post(
            f"/api/ledger/items/{item_id}/transitions",
            {"action": action, "reason": reason},
            content_type="application/json",
        )

    assert step(office, "assign").json()["state"] == "assigned"
    unit = _client(personas.unit_a_staff)
    assert step(unit, "acknowledge").status_code == 200
    progress = unit.post(
        f"/api/ledger/items/{item_id}/progress", {"percent": 120, "text": "超额"}, content_type="application/json"
    )
    assert progress.status_code == 400
    assert "percent" in progress.json()["errors"]
    assert step(unit, "submit", "办结").status_code == 200
    supervisor = _client(personas.supervisor)
    assert step(supervisor, "accept").status_code == 200
    assert step(supervisor, "close").json()["state"] == "closed"
    events = supervisor.get(f"/api/ledger/items/{item_id}/events").json()
    assert [e["code"] for e in events][-1] == "ledger.item.closed"


def test_notices_and_extensions_through_the_api(personas, make_item):
    item = make_item(deadline=dt.date(2031, 6, 30))
    supervisor = _client(personas.supervisor)
    notice = supervisor.post(
        f"/api/ledger/items/{item.pk}/notices", {"level": "blue", "reason": "进度滞后"}, content_type="application/json"
    )
    assert notice.status_code == 201
    unit = _client(personas.unit_a_staff)
    answered = unit.post(
        f"/api/ledger/notices/{notice.json()['id']}/answer", {"text": "已整改"}, content_type="application/json"
    )
    assert answered.json()["response_text"] == "已整改"
    assert Notice.objects.get().responded_by == personas.unit_a_staff

    extension = unit.post(
        f"/api/ledger/items/{item.pk}/extensions",
        {"new_deadline": "2031-09-30", "reason": "雨季"},
        content_type="application/json",
    )
    assert extension.status_code == 201
    decided = supervisor.post(
        f"/api/ledger/extensions/{extension.json()['id']}/decision", {"approve": True}, content_type="application/json"
    )
    assert decided.json()["state"] == "approved"
    assert Item.objects.get(pk=item.pk).effective_deadline == dt.date(2031, 9, 30)


def test_unsafe_calls_need_the_csrf_token(personas, make_item):
    item = make_item()
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.office_admin)
    response = client.post(
        f"/api/ledger/items/{item.pk}/transitions", {"action": "cancel", "reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == ItemState.ASSIGNED
