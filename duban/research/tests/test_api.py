"""Commissioned research's JSON API: the same services and access rules as the pages."""

from __future__ import annotations

import pytest

from duban.research.models import Score, Topic
from duban.research.tests.conftest import call_with_topic, signed

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_unit_proposes_a_topic_and_an_expert_scores_through_the_api(client, personas, world):
    call, _topic = call_with_topic(personas, world)
    client.force_login(personas.unit_b_staff)
    payload = {"unit_id": personas.unit_a.pk, "title": "街道议事", "why": "x", "questions": "y", "expected_use": "z",
               "budget": "1000"}  # fmt: skip
    assert client.post(f"/api/research/calls/{call.pk}/topics", payload, content_type=JSON).status_code == 403
    client.force_login(personas.unit_a_staff)
    made = client.post(f"/api/research/calls/{call.pk}/topics", payload, content_type=JSON)
    assert made.status_code == 201 and made.json()["state"] == "proposed" and Topic.objects.count() == 2
    assert {t["title"] for t in client.get("/api/research/topics").json()["items"]} == {"街道议事", _topic.title}


def test_experts_score_their_panels_and_nobody_else_reads_them(client, personas, world):
    from duban.research import services

    project = signed(personas, world)
    milestone = project.contract.milestones.get(stage="opening")
    services.milestone_deliver(actor=world.staff, milestone=milestone)
    panel = services.panel_open(actor=world.staff, project=project, stage="opening", experts=world.experts[1:])
    client.force_login(world.experts[0])
    assert client.post(f"/api/research/panels/{panel.pk}/scores", {"entry": project.pk, "scores": {}},
                       content_type=JSON).status_code == 404  # fmt: skip
    client.force_login(personas.expert)
    sheet = {"entry": project.pk, "scores": {"quality": 80, "use": 85, "form": 90}}
    assert client.post(f"/api/research/panels/{panel.pk}/scores", sheet, content_type=JSON).status_code == 200
    assert Score.objects.filter(member__panel=panel).count() == 3
    assert panel.pk in [p["id"] for p in client.get("/api/research/panels").json()]
    client.logout()
    assert client.get("/api/research/results").json()["items"] == []
