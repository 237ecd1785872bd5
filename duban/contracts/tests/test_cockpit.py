"""Construction contracts' tile on the cockpit: contracts in performance, with a key node overdue or
reached late, and the penalties and rewards of their key nodes so far, for each persona's scope (by
the contract's owner); every figure equals what the contract list it links to shows, and a leader in
charge never counts another street's contracts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from duban.cockpit.access import scope_of
from duban.contracts import services
from duban.contracts.choices import STANDARD_NODES
from duban.contracts.cockpit import money, tiles
from duban.contracts.tests.conftest import signed
from duban.core.workdays import on_day

pytestmark = pytest.mark.django_db


def _contract(works, staff, owner, number: str, *, started_days_ago: int):
    start = timezone.localdate() - dt.timedelta(days=started_days_ago)
    planned = [start + dt.timedelta(days=100 * n) for n in range(len(STANDARD_NODES))]
    return services.contract_sign(actor=staff, version=works.version, number=number, project=f"{owner.name}工程",
                                  owner=owner, contractor="深圳市某建设集团有限公司", amount="20000000",
                                  starts_on=start, ends_on=planned[-2], planned=planned,
                                  at=on_day(start - dt.timedelta(days=10)))  # fmt: skip


def _reach(staff, contract, *days_off: int):
    """The first nodes reached, each `days` after (+) or before (−) its planned date."""
    for node, days in zip(contract.nodes.order_by("order"), days_off, strict=False):
        services.node_record(actor=staff, node=node, actual_on=node.planned_on + dt.timedelta(days=days))


@pytest.fixture
def contracts(personas, works):
    """The agency's contract not yet begun; 东门街道's with its first node 5 days late (a penalty of
    40,000), its second 10 days early (a reward of 50,000) and its third overdue; 城东社区's with its
    first node overdue; 桂园街道's with its first node 3 days late (24,000), its second 20 days early
    (100,000, held to the node's share of the cap: 80,000) and its third overdue."""
    signed(works, start=timezone.localdate() + dt.timedelta(days=10), number="罗工合〔2026〕1号")
    a, b = personas.unit_a_staff, personas.unit_b_staff
    _reach(a, _contract(works, a, personas.unit_a, "罗工合〔2026〕2号", started_days_ago=250), 5, -10)
    _contract(works, a, personas.unit_a_community, "罗工合〔2026〕3号", started_days_ago=50)
    _reach(b, _contract(works, b, personas.unit_b, "罗工合〔2026〕4号", started_days_ago=250), 3, -20)


# in performance; with a key node overdue; reached late; penalties and rewards so far
EXPECTED = {
    "office_admin": [4, 3, 2, "64,000.00", "130,000.00"],
    "district_leader": [2, 2, 1, "40,000.00", "50,000.00"],
    "unit_a_head": [2, 2, 1, "40,000.00", "50,000.00"],
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_figure_equals_what_the_contract_list_it_links_to_shows(client, personas, contracts, who):
    user = getattr(personas, who)
    [tile] = tiles(scope_of(user), timezone.localdate())
    assert [figure.value for figure in tile.figures] == EXPECTED[who]  # never 桂园街道's for 东门街道's leader
    client.force_login(user)
    for figure in tile.figures:
        response = client.get(figure.url)
        assert response.status_code == 200 and figure.url.startswith(reverse("contracts:home"))
        if isinstance(figure.value, int):
            assert response.context["page"].paginator.count == figure.value, figure.label
        else:  # a sum: the list adds up the same nodes of the contracts it shows
            which = "penalties" if "outcome=penalty" in figure.url else "rewards"
            assert money(response.context["totals"][which]) == figure.value, figure.label
            assert response.context["page"].paginator.count == (2 if who == "office_admin" else 1)


def test_the_list_names_its_linked_filters_and_a_unit_head_sees_only_its_own(client, personas, contracts):
    [tile] = tiles(scope_of(personas.unit_a_head), timezone.localdate())
    client.force_login(personas.unit_a_head)
    overdue = client.get(tile.figures[1].url)
    numbers = [contract.number for contract in overdue.context["page"]]
    assert sorted(numbers) == ["罗工合〔2026〕2号", "罗工合〔2026〕3号"]
    assert [value for _label, value in overdue.context["linked"]] == ["", "东门街道"]
    everything = client.get(reverse("contracts:home") + "?" + overdue.context["unlinked"])
    assert everything.context["page"].paginator.count == 2  # a unit head's list holds its own contracts only
    client.force_login(personas.office_admin)
    assert client.get(reverse("contracts:home")).context["page"].paginator.count == 4
    assert client.get(reverse("contracts:home") + "?nodes=sideways").context["page"].paginator.count == 0


def test_a_head_of_several_units_sees_figures_without_one_list_behind_them(personas, contracts):
    from duban.orgs import services as org_services
    from duban.orgs.choices import PositionRole

    org_services.position_assign(actor=None, person=personas.unit_a_head.person, unit=personas.unit_b,
                                 role=PositionRole.HEAD, title="主任")  # fmt: skip
    with translation.override("en"):
        [tile] = tiles(scope_of(personas.unit_a_head), timezone.localdate())
    assert [figure.value for figure in tile.figures] == [3, 3, 2, "64,000.00", "130,000.00"]
    assert all(figure.url == "" for figure in tile.figures)
    assert tile.note == "Key nodes: 3 overdue, 2 reached late."
