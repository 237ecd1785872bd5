"""The campaigns' tile on the cockpit: every figure, and every bar of its weekly chart, equals what
the campaign's report queue it links to shows the same person (and the queue's download holds
those rows); a leader in charge never counts a problem routed to unit B."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from duban.campaigns.choices import ReportState
from duban.campaigns.cockpit import WEEKS, tiles
from duban.campaigns.models import Report
from duban.campaigns.services.reports import report_transition
from duban.campaigns.services.rerouting import report_reroute
from duban.campaigns.tests.conftest import DONGMEN, GUIYUAN, make_photo, submit_report
from duban.cockpit.access import scope_of

pytestmark = pytest.mark.django_db
PERSONAS = ["office_admin", "supervisor", "district_leader", "unit_a_head"]


@pytest.fixture
def problems(world, personas):
    """Problems of unit A, its community, unit B and the city department: new, open, overdue, solved
    this week and weeks ago; and one no unit has been given yet."""
    p = personas
    now = timezone.now()
    made = {}

    def accepted(name, at=DONGMEN, **fields):
        made[name] = report_transition(actor=p.office_admin, report=submit_report(world, p, at=at, **fields),
                                       action="accept")  # fmt: skip
        return made[name]

    def solve(report, staff):
        report_transition(actor=staff, report=report, action="fix", note="已整改", photos=[make_photo()])
        return report_transition(actor=p.office_admin, report=Report.objects.get(pk=report.pk), action="verify")

    made["new_a"] = submit_report(world, p)
    accepted("late_a")
    made["solved_a"] = solve(accepted("solved_a"), p.unit_a_staff)
    made["earlier_a"] = solve(accepted("earlier_a"), p.unit_a_staff)
    made["community"] = report_reroute(actor=p.office_admin, report=accepted("community"), unit=p.unit_a_community,
                                       note="在社区")  # fmt: skip
    accepted("late_b", at=GUIYUAN)
    made["solved_b"] = solve(accepted("solved_b", at=GUIYUAN), p.unit_b_staff)
    report_reroute(actor=p.office_admin, report=accepted("dogs", category=world.dogs), unit=world.city_management,
                   note="城管执法")  # fmt: skip
    made["unrouted"] = submit_report(world, p, at=GUIYUAN)
    Report.objects.filter(pk=made["unrouted"].pk).update(routed_unit=None)
    last_week = timezone.localdate() - dt.timedelta(days=10)
    Report.objects.filter(pk__in=[made["late_a"].pk, made["late_b"].pk]).update(expected_on=last_week)
    Report.objects.filter(pk=made["earlier_a"].pk).update(created_at=now - dt.timedelta(weeks=3),
                                                          closed_at=now - dt.timedelta(weeks=2))  # fmt: skip
    Report.objects.filter(pk=made["late_b"].pk).update(created_at=now - dt.timedelta(weeks=9))  # before the chart
    return made


def _listed(client, url: str) -> list[Report]:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page"]
    assert page.paginator.count == len(page.object_list), url
    return list(page.object_list)


def _links(tile):
    for figure in tile.figures:
        yield figure.label, figure.value, figure.url
    for series in tile.chart["series"]:
        for week, value, url in zip(tile.chart["labels"], series["values"], series["links"], strict=True):
            yield f"{series['name']} {week}", value, url


@pytest.mark.parametrize("who", PERSONAS)
def test_every_figure_and_bar_equals_what_its_queue_shows(client, personas, world, problems, who):
    user = getattr(personas, who)
    client.force_login(user)
    (tile,) = tiles(scope_of(user), timezone.localdate())
    assert tile.title == world.campaign.name and len(tile.chart["labels"]) == WEEKS
    checked = 0
    for label, value, url in _links(tile):
        assert url.startswith(reverse("campaigns:report_queue", args=[world.campaign.pk]) + "?"), label
        assert len(_listed(client, url)) == value, (label, url)
        checked += 1
    assert checked == 4 + 2 * WEEKS


def test_the_queue_download_holds_the_rows_of_a_figure(client, personas, world, problems):
    client.force_login(personas.district_leader)
    (tile,) = tiles(scope_of(personas.district_leader), timezone.localdate())
    opened = tile.figures[2]
    download = client.get(opened.url + "&format=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)[1:]
    assert sorted(row[0] for row in rows) == sorted(r.pk for r in _listed(client, opened.url))
    assert len(rows) == opened.value == 3  # new, late and the community's, all in unit A


def test_the_district_counts_every_problem(personas, world, problems):
    (tile,) = tiles(scope_of(personas.office_admin), timezone.localdate())
    assert [figure.value for figure in tile.figures] == [7, 2, 6, 2]
    reported, solved = (series["values"] for series in tile.chart["series"])
    assert sum(reported) == 8 and solved[-1] == 2 and solved[-3] == 1 and reported[-4] == 1


def test_a_leader_in_charge_never_counts_a_problem_of_unit_b(client, personas, world, problems):
    leader = personas.district_leader
    client.force_login(leader)
    (tile,) = tiles(scope_of(leader), timezone.localdate())
    assert [figure.value for figure in tile.figures] == [4, 1, 3, 1]
    for label, _value, url in _links(tile):
        assert parse_qs(urlsplit(url).query)["portfolio"] == [str(leader.person.pk)], label
        units = {report.routed_unit for report in _listed(client, url)}
        assert units <= {personas.unit_a, personas.unit_a_community}, label
    page = client.get(tile.figures[2].url).content.decode()
    assert "另按以下条件筛选" in page and "测试区领导" in page


def test_a_unit_head_counts_their_unit_and_the_units_under_it(personas, world, problems):
    (tile,) = tiles(scope_of(personas.unit_a_head), timezone.localdate())
    assert [figure.value for figure in tile.figures] == [4, 1, 3, 1]
    assert parse_qs(urlsplit(tile.figures[0].url).query)["unit"] == [str(personas.unit_a.pk)]


def test_a_campaign_over_before_the_chart_begins_has_no_tile(personas, world, problems):
    today = timezone.localdate()
    type(world.campaign).objects.filter(pk=world.campaign.pk).update(
        starts_on=today - dt.timedelta(days=200), ends_on=today - dt.timedelta(weeks=WEEKS + 1)
    )
    assert tiles(scope_of(personas.office_admin), today) == []
    assert Report.objects.filter(state=ReportState.CLOSED).count() == 3
