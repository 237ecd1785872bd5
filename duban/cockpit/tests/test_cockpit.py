"""The cockpit as each persona sees it: only their scope, and every figure equal to the count of the
list it links to (both counted here)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.cockpit.access import scope_of
from duban.cockpit.figures import ledger_figures
from duban.cockpit.tests.conftest import build_work
from duban.orgs import services as org_services
from duban.orgs.choices import LeaderRank


@pytest.fixture
def work(personas, make_item):
    return build_work(personas, make_item)


def _cells(figures):
    yield from figures.light_totals.values()
    yield figures.open_all
    yield figures.overdue_total
    yield from figures.ladder_totals.values()
    for row in figures.rows:
        yield from figures.lights[row.key].values()
        yield figures.open[row.key]
        yield figures.overdue[row.key]
        yield from figures.ladder[row.key].values()


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.mark.parametrize("who", ["office_admin", "district_leader", "unit_a_head", "supervisor"])
def test_every_figure_equals_the_count_of_its_list(client, personas, work, who):
    user = getattr(personas, who)
    client.force_login(user)
    figures = ledger_figures(scope_of(user), timezone.localdate())
    checked = 0
    for cell in _cells(figures):
        assert _listed(client, cell.url) == cell.n, (cell.query, cell.n)
        checked += 1
    for cell in [cell for row in figures.rows for cell in figures.rates[row.key]] + figures.rate_totals:
        assert _listed(client, cell.url) == cell.finished, cell.query
        assert _listed(client, cell.timely_url) == cell.timely, cell.query
    assert checked > 10 and figures.open_total > 0


def test_the_district_sees_every_unit_and_the_figures_add_up(personas, work):
    figures = ledger_figures(scope_of(personas.office_admin), timezone.localdate())
    names = [row.unit.name + ("（本级）" if row.direct else "") for row in figures.rows]
    assert names[:3] == ["罗湖区（本级）", "东门街道", "桂园街道"] and "鹏城公共政策评估中心" not in names
    keyed = {row.unit.name + ("*" if row.direct else ""): row.key for row in figures.rows}
    assert {k: c.n for k, c in figures.lights[keyed["东门街道"]].items()} == {
        "red": 3, "yellow": 1, "green": 1, "none": 0}  # fmt: skip
    assert figures.open_total == 8 and figures.light_totals["red"].n == 4
    assert figures.overdue_total.n == 4  # the items with a deadline in 2024
    assert {level: c.n for level, c in figures.ladder_totals.items()} == {"red": 2, "interview": 1,
                                                                          "public_notice": 0}  # fmt: skip
    assert figures.ladder[keyed["东门街道"]]["red"].n == figures.ladder[keyed["东门街道"]]["interview"].n == 1
    this_month, last = figures.rate_totals[-1], figures.rate_totals[-2]
    assert (this_month.timely, this_month.finished, this_month.percent) == (1, 2, 50.0)
    assert (last.timely, last.finished) == (1, 2)


def test_a_leader_sees_only_the_units_in_their_charge(client, personas, work):
    client.force_login(personas.district_leader)
    page = client.get(reverse("cockpit:home"))
    assert [row.unit for row in page.context["scope"].rows] == [personas.unit_a]
    assert "桂园街道" not in page.content.decode()
    assert client.get(reverse("cockpit:home"), {"unit": personas.unit_b.pk}).status_code == 403
    narrowed = client.get(reverse("cockpit:home"), {"unit": personas.unit_a.pk})
    assert narrowed.status_code == 200 and [r.unit for r in narrowed.context["scope"].rows] == [
        personas.unit_a, personas.unit_a_community]  # fmt: skip
    # A main district leader sees the whole district, on the cockpit and on the lists behind it.
    head = org_services.person_create(actor=None, name="测试区长")
    org_services.portfolio_create(actor=None, leader=head, title="区长", rank=LeaderRank.MAIN, units=[])
    client.force_login(org_services.official_account_create(actor=None, person=head, username="mayor",
                                                            password="x-Luohu-2024-long"))  # fmt: skip
    whole = client.get(reverse("cockpit:home"))
    assert whole.context["scope"].district
    red = whole.context["figures"].light_totals["red"]
    assert _listed(client, red.url) == red.n == 4


@pytest.mark.parametrize("who", ["unit_a_staff", "unit_b_staff", "expert", "resident"])
def test_the_cockpit_is_not_for_staff_experts_or_residents(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("cockpit:home")).status_code == 403
    assert client.get(reverse("cockpit:screen")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("cockpit:home"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_unit_head_sees_their_unit_and_what_is_under_it(client, personas, work):
    client.force_login(personas.unit_a_head)
    page = client.get(reverse("cockpit:home"))
    rows = page.context["scope"].rows
    assert [(r.unit, r.direct) for r in rows] == [(personas.unit_a, True), (personas.unit_a_community, False)]
    assert client.get(reverse("cockpit:home"), {"unit": personas.unit_b.pk}).status_code == 403


def test_the_wall_screen_shows_figures_and_unit_names_but_no_people(client, personas, work):
    client.force_login(personas.office_admin)
    screen = client.get(reverse("cockpit:screen"))
    text = screen.content.decode()
    assert screen.status_code == 200 and 'http-equiv="refresh"' in text and "东门街道" in text
    for private in ("测试office_admin", "测试区领导", "office_admin", "1390000"):
        assert private not in text
    links = [part for part in text.split('href="')[1:] if part.startswith("/ledger/")]
    assert links == []  # figures only: nothing to click through on a wall


def test_the_drill_down_list_names_its_extra_filters(client, personas, work):
    client.force_login(personas.office_admin)
    figures = ledger_figures(scope_of(personas.office_admin), timezone.localdate())
    cell = figures.ladder_totals["red"]
    page = client.get(cell.url)
    assert page.context["linked"] and "督查令" in page.content.decode()
    query = parse_qs(urlsplit(cell.url).query)
    assert query["ladder"] == ["red"] and query["overdue"] == ["on"]
