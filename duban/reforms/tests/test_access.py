"""Every staff reform page, for every persona: officials read, managers act, others are refused."""

import pytest
from django.urls import reverse

from duban.reforms.appraisal import appraisal_of
from duban.reforms.services import call_create, plan_of

pytestmark = pytest.mark.django_db

READERS = {
    "office_admin": 200,
    "supervisor": 200,
    "unit_a_staff": 200,
    "district_leader": 200,
    "expert": 403,
    "resident": 403,
}


@pytest.fixture
def pages(make_reform):
    reform = make_reform()
    call = call_create(
        actor=None, year=2025, title="征集", description="说明", opens_on="2024-11-01", closes_on="2024-11-30"
    )
    plan_of(2024)
    appraisal_of(2024)
    return [
        reverse("reforms:reform_list"),
        reverse("reforms:reform_detail", args=[reform.pk]),
        reverse("reforms:plan_detail", args=[2024]),
        reverse("reforms:summary"),
        reverse("reforms:evaluation"),
        reverse("reforms:call_list"),
        reverse("reforms:call_detail", args=[call.pk]),
        reverse("reforms:appraisal_detail", args=[2024]),
        reverse("reforms:case_list"),
    ]


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_who_reads_the_reform_pages(client, personas, pages, persona, status):
    client.force_login(getattr(personas, persona))
    assert {url: client.get(url).status_code for url in pages} == dict.fromkeys(pages, status)


def test_anonymous_visitors_are_sent_to_sign_in(client, pages):
    assert {client.get(url).status_code for url in pages} == {302}


@pytest.mark.parametrize("persona", ["unit_a_staff", "unit_a_head", "district_leader"])
def test_officials_outside_the_office_cannot_manage(client, personas, persona):
    client.force_login(getattr(personas, persona))
    for url in (
        reverse("reforms:reform_new"),
        reverse("reforms:call_new"),
        reverse("reforms:case_new"),
        reverse("reforms:evaluation_new", args=["panel"]),
    ):
        assert client.get(url).status_code == 403, url
