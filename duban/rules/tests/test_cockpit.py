"""The registry's tile on the cockpit: rules made, revised and repealed this year, being drafted,
being revised and under periodic review, for each persona's scope; every figure equals the count of
the registry page it links to, and a leader in charge never counts another street's rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.cockpit.access import scope_of
from duban.ledger.services import item_transition
from duban.rules import services
from duban.rules.choices import ActionKind, PlanScheme, RuleKind, RuleScope
from duban.rules.cockpit import tiles
from duban.rules.reviews import reviews_open
from duban.rules.tests.conftest import due

pytestmark = pytest.mark.django_db


def _register(staff, unit, title: str, *, years_ago: int = 0, days_ago: int = 0):
    day = timezone.localdate().replace(year=timezone.localdate().year - years_ago) - dt.timedelta(days=days_ago)
    return services.rule_register(
        actor=staff, issuing_unit=unit, title=title, kind=RuleKind.SYSTEM, scope=RuleScope.INTERNAL, category=None,
        document_number=f"{title}1号", adopted_on=day, effective_on=day, text="第一条",
    )  # fmt: skip


def _applied(personas, staff, action):
    """The action through every step to verification: the rule changes."""
    item = item_transition(actor=personas.office_admin, item=action.item, action="assign")
    item_transition(actor=staff, item=item, action="acknowledge")
    services.action_step(actor=staff, action=action, code="to_deliberation")
    today = timezone.localdate()
    services.action_step(actor=staff, action=action, code="issue", reason="党工委会议",
                         document_number=f"{action.title}{action.pk}号", adopted_on=today, effective_on=today,
                         text="第一条")  # fmt: skip
    action = services.action_step(actor=staff, action=action, code="publish")
    item_transition(actor=personas.supervisor, item=action.item, action="accept", reason="核验通过")


@pytest.fixture
def registry(personas, rules_ledger, plan):
    """东门街道 (and 城东社区 below it) and 桂园街道: rules made, revised and repealed this year, one
    being drafted, some being revised, and some due for their periodic review."""
    a, b = personas.unit_a_staff, personas.unit_b_staff
    plan_b = services.plan_create(
        actor=b, unit=personas.unit_b, ledger=rules_ledger, year=rules_ledger.year, title="桂园街道制度建设计划",
        scheme=PlanScheme.ADD_SUPPLEMENT_ADJUST,
    )  # fmt: skip

    def action(staff, plan, kind, rule=None, title=""):
        return services.action_add(actor=staff, plan=plan, kind=kind, rule=rule, title=title, deadline=due(),
                                   rule_kind=RuleKind.SYSTEM if kind == ActionKind.MAKE else "",
                                   summary="建章立制")  # fmt: skip

    # 东门街道: made twice (by its plan, and 城东社区's registered this year), revised, repealed,
    # one being drafted, one being revised, one due for review; and a rule of years ago left alone.
    _applied(personas, a, action(a, plan, ActionKind.MAKE, title="东门街道公务接待管理制度"))
    _register(a, personas.unit_a_community, "城东社区议事规则")
    _applied(personas, a, action(a, plan, ActionKind.AMEND, rule=_register(a, personas.unit_a, "东门街道会议制度",
                                                                            years_ago=3)))  # fmt: skip
    _applied(personas, a, action(a, plan, ActionKind.REPEAL, rule=_register(a, personas.unit_a, "东门街道旧制度",
                                                                             years_ago=3)))  # fmt: skip
    action(a, plan, ActionKind.MAKE, title="东门街道档案管理制度")
    action(a, plan, ActionKind.AMEND, rule=_register(a, personas.unit_a, "东门街道考勤制度", years_ago=3))
    _register(a, personas.unit_a, "东门街道财务制度", years_ago=5, days_ago=30)
    _register(a, personas.unit_a, "东门街道保密制度", years_ago=3)
    # 桂园街道: made, being revised, due for review.
    _applied(personas, b, action(b, plan_b, ActionKind.MAKE, title="桂园街道信访工作制度"))
    action(b, plan_b, ActionKind.AMEND, rule=_register(b, personas.unit_b, "桂园街道值班制度", years_ago=3))
    _register(b, personas.unit_b, "桂园街道车辆管理制度", years_ago=5, days_ago=30)
    assert reviews_open() == (2, 0)


def _values(tile) -> list:
    return [figure.value for figure in tile.figures]


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


# made, revised, repealed this year; being drafted, being revised, under periodic review
EXPECTED = {"office_admin": [3, 1, 1, 1, 2, 2], "district_leader": [2, 1, 1, 1, 1, 1],
            "unit_a_head": [2, 1, 1, 1, 1, 1]}  # fmt: skip


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_figure_equals_the_count_of_the_registry_page_it_links_to(client, personas, registry, who):
    user = getattr(personas, who)
    [tile] = tiles(scope_of(user), timezone.localdate())
    assert _values(tile) == EXPECTED[who]  # a leader in charge of 东门街道 never counts 桂园街道's rules
    client.force_login(user)
    for figure in tile.figures:
        assert figure.url.startswith(reverse("rules:rule_list"))
        assert _listed(client, figure.url) == figure.value, figure.label


def test_the_registry_names_the_filters_a_figure_set_and_drops_them_on_request(client, personas, registry):
    [tile] = tiles(scope_of(personas.district_leader), timezone.localdate())
    made = tile.figures[0]
    client.force_login(personas.unit_b_staff)  # any official reads the registry
    page = client.get(made.url)
    text = page.content.decode()
    assert "东门街道公务接待管理制度" in text and "城东社区议事规则" in text and "桂园街道信访工作制度" not in text
    assert "另按以下条件筛选" in text or "Also filtered by" in text
    assert _listed(client, reverse("rules:rule_list") + "?" + page.context["unlinked"]) == 11
    assert _listed(client, reverse("rules:rule_list") + "?made=1999") == 0  # a filter it cannot read shows nothing


def test_a_head_of_several_units_sees_figures_without_one_list_behind_them(personas, registry):
    from duban.orgs import services as org_services
    from duban.orgs.choices import PositionRole

    org_services.position_assign(actor=None, person=personas.unit_a_head.person, unit=personas.unit_b,
                                 role=PositionRole.HEAD, title="主任")  # fmt: skip
    [tile] = tiles(scope_of(personas.unit_a_head), timezone.localdate())
    assert _values(tile) == EXPECTED["office_admin"] and all(figure.url == "" for figure in tile.figures)
