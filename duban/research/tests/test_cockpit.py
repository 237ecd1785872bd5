"""Commissioned research's tile on the cockpit: this year's projects by state and the results adopted
this year, for each persona's scope (by the commissioning unit); every figure equals the count of the
list it links to, and a leader in charge never counts another street's projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from duban.cockpit.access import scope_of
from duban.research import services
from duban.research.cockpit import tiles
from duban.research.tests.conftest import report_docx, reviewed, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def research(personas, world):
    """This year's call: 东门街道 commissions a project now concluded with its result adopted and one
    still being awarded, 城东社区 one under way; 桂园街道 one concluded and adopted, one awaiting its
    contract."""
    call = services.call_open(actor=world.staff, year=today().year, title="年度选题征集",
                              closes_on=today() + dt.timedelta(days=10))  # fmt: skip
    topics = {}
    for key, staff, unit in [
        ("a_done", personas.unit_a_staff, personas.unit_a), ("a_new", personas.unit_a_staff, personas.unit_a),
        ("c_running", personas.unit_a_staff, personas.unit_a_community),
        ("b_done", personas.unit_b_staff, personas.unit_b), ("b_chosen", personas.unit_b_staff, personas.unit_b),
    ]:  # fmt: skip
        topics[key] = services.topic_propose(actor=staff, call=call, unit=unit, title=f"课题{key}", why="为什么",
                                             questions="问题", expected_use="用途",
                                             budget=Decimal("300000"))  # fmt: skip
    services.call_step(actor=world.staff, call=call, code="close")
    approved = {topic: ("key", Decimal("250000")) for topic in topics.values()}
    services.decision_record(actor=world.staff, call=call, held_on=today(), present=world.members[:2],
                             approved=approved, declined={})  # fmt: skip
    projects = {key: topic.project for key, topic in topics.items()}
    for n, key in enumerate(["a_done", "c_running", "b_done", "b_chosen"], start=1):
        project = services.project_setup(actor=world.staff, project=projects[key], selection="direct",
                                          invited=[world.body])  # fmt: skip
        project = services.project_choose(actor=world.staff, project=project)
        if key == "b_chosen":
            continue
        services.contract_sign(
            actor=world.staff, project=project, number=f"罗研合〔{today().year}〕{n}号", amount=Decimal("240000"),
            signed_on=today(), deliverables="研究报告", due={"opening": today() + dt.timedelta(days=20),
            "midterm": today() + dt.timedelta(days=80), "final": today() + dt.timedelta(days=160)},
            instalments={"opening": 96000, "midterm": 72000, "final": 72000},
        )  # fmt: skip
        if key == "c_running":
            continue
        project.refresh_from_db()
        for stage in ("opening", "midterm", "final"):
            reviewed(world, project, stage, 85)
        project.refresh_from_db()
        result = services.result_share(actor=world.staff, project=project, title=f"成果{key}", abstract="摘要",
                                       upload=report_docx())  # fmt: skip
        services.adoption_add(actor=world.staff, result=result, kind="decision", adopted_on=today(),
                              title="区委常委会决定", document_number=f"罗发〔{today().year}〕{n}号")  # fmt: skip
    return projects


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


# this year's projects; by state (only the states some project is in); results adopted this year
EXPECTED = {
    "office_admin": {"total": 5, "selecting": 1, "contracting": 1, "researching": 1, "accepted": 2, "adopted": 2},
    "district_leader": {"total": 3, "selecting": 1, "researching": 1, "accepted": 1, "adopted": 1},
    "unit_a_head": {"total": 3, "selecting": 1, "researching": 1, "accepted": 1, "adopted": 1},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_figure_equals_the_count_of_the_list_it_links_to(client, personas, research, who):
    user = getattr(personas, who)
    [tile] = tiles(scope_of(user), today())
    assert [figure.value for figure in tile.figures] == list(EXPECTED[who].values())  # never 桂园街道's for A
    client.force_login(user)
    lists = {reverse("research:project_list"): 0, reverse("research:results"): 0}
    for figure in tile.figures:
        path = figure.url.split("?")[0]
        lists[path] += 1
        assert _listed(client, figure.url) == figure.value, figure.label
    assert list(lists.values()) == [len(tile.figures) - 1, 1]


def test_a_unit_heads_list_holds_its_own_projects_and_names_the_linked_filters(client, personas, research):
    [tile] = tiles(scope_of(personas.unit_a_head), today())
    client.force_login(personas.unit_a_head)
    page = client.get(tile.figures[0].url)
    titles = {project.title for project in page.context["page"]}
    assert titles == {"课题a_done", "课题a_new", "课题c_running"}
    assert [value for _label, value in page.context["linked"]] == ["东门街道"]
    assert _listed(client, reverse("research:project_list") + "?" + page.context["unlinked"]) == 3  # still its own
    client.force_login(personas.office_admin)
    assert _listed(client, reverse("research:project_list")) == 5
    assert _listed(client, reverse("research:project_list") + "?state=nonsense") == 0
