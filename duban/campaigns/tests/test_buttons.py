"""A problem's ledger item offers no step the report keeps to its own page, and a report's page
links its ledger item only for those who may open it."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from duban.campaigns.services.reports import report_transition
from duban.campaigns.tests.conftest import make_photo, submit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(world, personas):
    report = submit_report(world, personas)
    return report_transition(actor=personas.office_admin, report=report, action="accept")


def test_a_problems_item_offers_no_cancel(client, personas, accepted):
    item = accepted.item
    client.force_login(personas.office_admin)

    html = client.get(reverse("ledger:item_detail", args=[item.pk])).content.decode()

    steps = set(re.findall(rf"/ledger/items/{item.pk}/act/(\w+)/", html))
    assert "cancel" not in steps
    assert reverse("campaigns:report_detail", args=[accepted.pk]) in html  # where a report is ended
    client.force_login(personas.unit_a_staff)
    html = client.get(reverse("ledger:item_detail", args=[item.pk])).content.decode()
    assert set(re.findall(rf"/ledger/items/{item.pk}/act/(\w+)/", html)) == {"acknowledge"}


@pytest.mark.parametrize(("persona", "linked"), [("unit_a_staff", True), ("unit_b_staff", False)])
def test_the_report_page_links_its_item_only_for_those_who_may_open_it(client, personas, accepted, persona, linked):
    client.force_login(getattr(personas, persona))
    item_url = reverse("ledger:item_detail", args=[accepted.item.pk])

    html = client.get(reverse("campaigns:report_detail", args=[accepted.pk])).content.decode()

    assert (item_url in html) is linked
    assert client.get(item_url).status_code == (200 if linked else 404)


def test_the_reporter_is_offered_to_reopen_only_while_the_campaign_allows(client, personas, accepted):
    report = report_transition(
        actor=personas.unit_a_staff, report=accepted, action="fix", note="已清理", photos=[make_photo()]
    )
    report = report_transition(actor=personas.resident, report=report, action="verify", note="确认已整改")
    client.force_login(personas.resident)
    url = reverse("portal:problem_detail", args=[report.pk])
    assert 'value="not_fixed"' in client.get(url).content.decode()

    late = timezone.now() + dt.timedelta(days=report.campaign.reopen_days + 1)
    with time_machine.travel(late, tick=False):
        client.force_login(personas.resident)  # a fresh session, weeks later
        html = client.get(url).content.decode()
        assert "我的报告" in html
        refused = client.post(
            reverse("portal:problem_act", args=[report.pk]), {"action": "not_fixed", "note": "又堆上了"}
        )

    assert 'value="not_fixed"' not in html
    report.refresh_from_db()
    assert report.state == "closed" and refused.status_code in (302, 400)
