"""The reforms' tile on the cockpit: every figure equals what the reform list it links to shows the
same person, a leader in charge counts only the reforms of their units, and the SQL the figures
count with agrees with `Reform.item` and `responsibility_problems`."""

from __future__ import annotations

import datetime as dt
from statistics import mean

import pytest
import time_machine
from django.db.models import F
from django.urls import reverse

from duban.cockpit.access import scope_of
from duban.core.workdays import on_day
from duban.ledger.choices import FINISHED_STATES, OPEN_STATES
from duban.ledger.services import item_transition, ledger_carry_over
from duban.orgs import services as org_services
from duban.orgs.choices import LeaderRank, PositionRole
from duban.reforms.choices import ReformLevel, ReformStage
from duban.reforms.cockpit import tiles
from duban.reforms.models import Reform
from duban.reforms.services import reform_decompose, responsibility_problems
from duban.reforms.tests.conftest import MARCH

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2024, 9, 2)
PERSONAS = ["office_admin", "supervisor", "district_leader", "unit_a_head"]


@pytest.fixture
def reforms(personas, make_reform):
    """Reforms of 2024 in unit A, its community and unit B, at every stage, some breaking the
    three-level rule; and one of 2023."""
    p = personas
    admin = p.office_admin

    def decompose(reform, *milestones):
        reform_decompose(actor=admin, reform=reform, milestones=list(milestones), at=MARCH)
        return reform

    under_way = decompose(make_reform(title="商事登记改革"), {"title": "梳理清单", "deadline": D(2024, 10, 31)})
    overdue = decompose(make_reform(title="东门微改革", level=ReformLevel.MICRO, deadline=D(2024, 6, 30)))
    new = make_reform(title="老旧小区改造", lead_unit=p.unit_a_community,
                      lead_leaders=[p.district_leader.person])  # a key reform with no main leader  # fmt: skip
    assigned = make_reform(title="工程审批改革", level=ReformLevel.MUNICIPAL)  # the leader in charge of unit A
    finished = decompose(make_reform(title="桂园营商改革", lead_unit=p.unit_b))
    root = finished.item
    for actor, action, reason in ((p.unit_b_staff, "acknowledge", ""), (p.unit_b_staff, "submit", "已完成"),
                                  (p.supervisor, "accept", "")):  # fmt: skip
        item_transition(actor=actor, item=root, action=action, reason=reason, at=MARCH)
    micro_b = make_reform(title="桂园微改革", level=ReformLevel.MICRO, lead_unit=p.unit_b)  # unit B has no head
    assigned_b = make_reform(title="桂园审批改革", level=ReformLevel.MUNICIPAL, lead_unit=p.unit_b,
                             lead_leaders=[p.district_leader.person])  # not in charge of unit B  # fmt: skip
    make_reform(title="2023年改革", year=2023, deadline=D(2023, 12, 31))
    return {"under_way": under_way, "overdue": overdue, "new": new, "assigned": assigned, "finished": finished,
            "micro_b": micro_b, "assigned_b": assigned_b}  # fmt: skip


def _expected_stage(reform: Reform, today: dt.date) -> str | None:
    """Where the reform stands, read from `Reform.item` the way the reform's page reads it."""
    item = reform.item
    if item is None:
        return ReformStage.NEW
    if item.state in FINISHED_STATES:
        return ReformStage.FINISHED
    if item.state in OPEN_STATES:
        late = item.effective_deadline and item.effective_deadline < today
        return ReformStage.OVERDUE if late else ReformStage.UNDER_WAY
    return None


def _listed(client, url: str) -> list[Reform]:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page"]
    assert page.paginator.count == len(page.object_list), url  # one page holds them all here
    return list(page.object_list)


@pytest.mark.parametrize("who", PERSONAS)
def test_every_figure_equals_what_its_list_shows(client, personas, reforms, who):
    user = getattr(personas, who)
    client.force_login(user)
    with time_machine.travel(on_day(TODAY, hour=9), tick=False):
        (tile,) = tiles(scope_of(user), TODAY)
        assert len(tile.figures) == 7
        for figure in tile.figures:
            assert figure.url.startswith(reverse("reforms:reform_list") + "?"), figure
            listed = _listed(client, figure.url)
            if isinstance(figure.value, str):  # the average progress of the reforms listed
                assert figure.value == f"{mean(reform.progress for reform in listed):.0f}%", figure
            else:
                assert len(listed) == figure.value, (figure.label, figure.url, [r.title for r in listed])


def test_the_figures_count_each_stage_and_the_rule(personas, reforms):
    with time_machine.travel(on_day(TODAY, hour=9), tick=False):
        (tile,) = tiles(scope_of(personas.office_admin), TODAY)
    values = [figure.value for figure in tile.figures]
    # total, not decomposed, under way, overdue, finished, average progress, breaking the rule
    assert values == [7, 4, 1, 1, 1, "14%", 3]
    assert [figure.tone for figure in tile.figures] == ["", "", "", "bad", "good", "", "bad"]
    assert tile.figures[2].url.endswith("stage=under_way") and tile.figures[6].url.endswith("rule=on")


def test_a_leader_in_charge_never_counts_a_reform_of_unit_b(client, personas, reforms):
    client.force_login(personas.district_leader)
    with time_machine.travel(on_day(TODAY, hour=9), tick=False):
        (tile,) = tiles(scope_of(personas.district_leader), TODAY)
        assert tile.figures[0].value == 4 and tile.figures[4].value == 0  # unit B's finished reform is not theirs
        assert tile.figures[6].value == 1  # the key reform they lead without a main leader; not unit B's two
        for figure in tile.figures:
            assert f"portfolio={personas.district_leader.person.pk}" in figure.url
            listed = _listed(client, figure.url)
            assert personas.unit_b not in {reform.lead_unit for reform in listed}
        page = client.get(tile.figures[0].url)
    text = page.content.decode()
    assert not [title for title in ("桂园营商改革", "桂园微改革", "桂园审批改革") if title in text]
    assert "另按以下条件筛选" in text and "测试区领导" in text


def test_a_head_of_several_units_sees_figures_without_links(personas, reforms):
    org_services.position_assign(actor=None, person=personas.unit_a_head.person, unit=personas.unit_b,
                                 role=PositionRole.HEAD, title="主任")  # fmt: skip
    with time_machine.travel(on_day(TODAY, hour=9), tick=False):
        (tile,) = tiles(scope_of(personas.unit_a_head), TODAY)
    assert tile.figures[0].value == 7 and all(figure.url == "" for figure in tile.figures)


def test_the_sql_agrees_with_the_reform_page(personas, reforms, make_reform, main_leader, domain):
    # The domain's own leader in charge, not the leader in charge of the lead unit, leads its tasks.
    by_domain = org_services.person_create(actor=None, name="测试分管营商副区长")
    org_services.portfolio_create(actor=None, leader=by_domain, title="副区长", rank=LeaderRank.IN_CHARGE,
                                  domains=[domain])  # fmt: skip
    make_reform(title="营商任务", level=ReformLevel.PROVINCIAL, domain=domain, lead_leaders=[by_domain])
    make_reform(title="营商任务错配", level=ReformLevel.PROVINCIAL, domain=domain,
                lead_leaders=[personas.district_leader.person])  # fmt: skip
    make_reform(title="三位领导牵头", lead_leaders=[main_leader, by_domain, personas.district_leader.person])
    with time_machine.travel(on_day(TODAY, hour=9), tick=False):
        for reform in Reform.objects.all():
            stages = [stage for stage in ReformStage if Reform.objects.at_stage(stage, TODAY).filter(pk=reform.pk)]
            expected = _expected_stage(reform, TODAY)
            assert stages == ([expected] if expected else []), reform.title
            breaking = Reform.objects.breaking_the_rule().filter(pk=reform.pk).exists()
            assert breaking == bool(responsibility_problems(reform)), reform.title
    assert {r.title for r in Reform.objects.breaking_the_rule()} == {
        "老旧小区改造", "桂园微改革", "桂园审批改革", "营商任务错配", "三位领导牵头"}  # fmt: skip


def test_a_reform_carried_into_the_next_year_stands_where_its_new_item_stands(personas, make_reform, reform_ledger):
    admin = personas.office_admin
    carried = make_reform(title="结转的改革")
    reform_decompose(actor=admin, reform=carried, milestones=[{"title": "节点", "deadline": D(2024, 11, 30)}],
                     at=MARCH)  # fmt: skip
    cancelled = make_reform(title="撤销的改革")
    (milestone,) = reform_decompose(actor=admin, reform=cancelled, at=MARCH,
                                    milestones=[{"title": "留下的节点", "deadline": D(2024, 11, 30)}])  # fmt: skip
    item_transition(actor=admin, item=cancelled.item, action="cancel", reason="不再推进", at=MARCH)
    december = on_day(D(2024, 12, 20), hour=9)
    ledger_carry_over(actor=admin, ledger=reform_ledger, year=2025, deadline=D(2025, 6, 30), at=december)

    own = {reform.pk: reform for reform in Reform.objects.with_own_item().annotate(state_of_own_item=F("own_state"))}
    for reform in (carried, cancelled):
        reform.refresh_from_db()
        assert own[reform.pk].state_of_own_item == reform.item.state, reform.title
    assert carried.item.ledger.year == 2025 and cancelled.item.ledger.year == 2024
    assert milestone.pk != cancelled.item.pk
