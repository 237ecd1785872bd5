"""The demo's expert is a researcher posted at the third-party evaluator, an external body: the
posting gives no official's powers, and their scoring page is in their menu."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.campaigns.models import Campaign, Report
from duban.campaigns.services import setup
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger, Notification
from duban.ledger.services import item_create, item_transition
from duban.orgs import access
from duban.orgs.choices import Role
from duban.orgs.models import Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(personas) -> Campaign:
    today = timezone.localdate()
    return setup.campaign_create(
        actor=personas.office_admin,
        owner_unit=personas.reform_office,
        name="文明城市十大专项整治",
        code="test",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=120),
    )


def test_the_expert_is_posted_at_the_external_evaluator_and_is_only_an_expert(personas):
    assert Position.objects.current().filter(person__user=personas.expert, unit=personas.evaluator).exists()

    assert access.roles_of(personas.expert) == {Role.EXPERT}
    assert access.is_official(personas.expert) is False
    assert access.scope_roots(personas.expert) == []
    assert list(access.scoped_units(personas.expert)) == []


def test_the_expert_cannot_read_the_people_directory_or_anyones_phone(client, personas):
    client.force_login(personas.expert)
    staff = personas.unit_a_staff.person

    for url in [reverse("orgs:person_list"), reverse("orgs:person_detail", args=[staff.pk])]:
        response = client.get(url)
        assert response.status_code == 403
        assert staff.mobile not in response.content.decode()


def test_the_expert_cannot_export_a_campaigns_reports(client, personas, campaign):
    client.force_login(personas.expert)

    response = client.get(reverse("campaigns:report_queue", args=[campaign.pk]), {"format": "xlsx"})

    assert response.status_code == 403
    assert "spreadsheet" not in response.get("Content-Type", "")


def test_the_expert_cannot_read_the_audits(client, personas):
    client.force_login(personas.expert)

    assert client.get(reverse("rectification:audit_year")).status_code == 403
    assert client.get(reverse("rectification:coverage")).status_code == 403


def test_the_expert_cannot_file_an_inspectors_report(client, personas, campaign):
    category = setup.category_save(
        actor=None, campaign=campaign, service_code="t-dogs", name="不文明养犬", deadline_working_days=3
    )
    client.force_login(personas.expert)

    assert client.get(reverse("campaigns:inspect")).status_code == 403
    response = client.post(
        reverse("campaigns:inspect"),
        {"category": category.pk, "description": "楼下有狗乱吠", "address": "东门步行街", "coordinate_system": "wgs84"},
    )

    assert response.status_code == 403
    assert Report.objects.count() == 0


def test_the_experts_scoring_page_opens_and_is_in_their_menu(client, personas):
    client.force_login(personas.expert)

    response = client.get(reverse("reforms:my_panels"))

    assert response.status_code == 200
    menu = [item["url"] for item in response.context["nav_items"]]
    assert reverse("reforms:my_panels") in menu
    assert f'href="{reverse("reforms:my_panels")}"' in response.content.decode()


def test_the_expert_is_not_notified_of_ledger_items_they_cannot_open(personas, django_capture_on_commit_callbacks):
    ledger = Ledger.objects.create(
        name="台账", year=2024, kind=LedgerKind.REFORM, owner_unit=personas.reform_office, number_prefix="罗改"
    )
    with django_capture_on_commit_callbacks(execute=True):
        item = item_create(
            actor=personas.office_admin,
            ledger=ledger,
            title="委托第三方评估",
            lead_unit=personas.evaluator,
            deadline=timezone.localdate() + dt.timedelta(days=30),
        )
        item_transition(actor=personas.office_admin, item=item, action="assign")

    assert not Notification.objects.filter(user=personas.expert).exists()
