"""The report queue's download and the public statistics' download hold what their page shows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.campaigns.models import Report
from duban.campaigns.services.reports import report_transition
from duban.campaigns.tests.conftest import GUIYUAN
from duban.campaigns.tests.test_views import report
from duban.core.exports import DATETIME_FORMAT
from duban.core.testing import link_href, xlsx_data_rows, xlsx_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world, personas):
    made = [
        report(world, personas, description="单车堆在盲道上"),
        report(world, personas, description="单车挡住消防通道"),
        report(world, personas, category=world.dogs, lat=GUIYUAN[0], lng=GUIYUAN[1], description="遛狗不牵绳"),
        report(world, personas, lat=GUIYUAN[0], lng=GUIYUAN[1], description="桂园路口单车"),
    ]
    report_transition(actor=personas.office_admin, report=made[1], action="accept")
    return made


@pytest.mark.parametrize(
    "filters",
    [{}, {"state": "accepted"}, {"category": "dogs"}, {"street": "unit_b"}, {"q": "单车"}],
)
def test_the_queue_download_is_the_filtered_list_on_the_screen(client, world, personas, reports, filters):
    chosen = {"dogs": world.dogs.pk, "unit_b": personas.unit_b.pk}
    query = {key: chosen.get(value, value) for key, value in filters.items()}
    client.force_login(personas.office_admin)
    url = reverse("campaigns:report_queue", args=[world.campaign.pk])

    page = client.get(url, query)
    shown = [r.pk for r in page.context["page"]]
    download = client.get(link_href(page.content.decode(), "format=xlsx", url))

    assert [row[0] for row in xlsx_data_rows(xlsx_workbook(download).active)] == shown
    assert 0 < len(shown) < len(reports) or not filters


def test_the_queue_download_has_real_dates_in_beijing_time(client, world, personas, reports):
    client.force_login(personas.office_admin)
    url = reverse("campaigns:report_queue", args=[world.campaign.pk])
    sheet = xlsx_workbook(client.get(url, {"state": "accepted", "format": "xlsx"})).active

    reported = sheet.cell(row=2, column=12)
    accepted = Report.objects.get(pk=reports[1].pk)
    assert reported.is_date and reported.number_format == DATETIME_FORMAT
    assert reported.value == timezone.localtime(accepted.created_at).replace(tzinfo=None, microsecond=0)
    expected = sheet.cell(row=2, column=13)
    assert expected.is_date and expected.value.date() == accepted.expected_on


def test_the_statistics_download_follows_the_chosen_campaign(client, world, personas, reports):
    page = client.get(reverse("portal:problem_stats"), {"campaign": world.campaign.pk})
    figures = page.context["figures"]
    download = client.get(link_href(page.content.decode(), "statistics.xlsx"))

    book = xlsx_workbook(download)
    assert [row[0] for row in xlsx_data_rows(book.worksheets[0])] == [r["name"] for r in figures.by_category]
    assert [row[0] for row in xlsx_data_rows(book.worksheets[4])] == [r["unit"] for r in figures.exposure]
    assert f"campaign={world.campaign.pk}" in link_href(page.content.decode(), "statistics.xlsx")


def test_my_reports_and_followed_ones_page_apart(client, world, personas):
    base = report(world, personas)
    for n in range(33):  # copies of one report: many of them, quickly
        base.pk = base.id = None
        base.token = f"copy{n}"
        base._state.adding = True
        base.save()
    client.force_login(personas.resident)
    url = reverse("portal:my_problems")

    first = client.get(url)
    following = link_href(first.content.decode(), 'rel="next"', url)
    second = client.get(following + "&followed=1")

    assert first.context["mine"].paginator.count == 34 and len(first.context["mine"]) == 30
    assert following.endswith("?page=2")
    assert len(second.context["mine"]) == 4 and second.context["followed"].number == 1
