"""After signing in each persona lands on their work, not on the public home page; ?next= wins."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.conftest import PASSWORD
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.ledger.services import item_create, item_transition

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str]] = []


class RecordingSender:
    def send(self, destination: str, code: str) -> None:
        SENT.append((destination, code))


LANDINGS = {
    "office_admin": "ledger:item_list",
    "supervisor": "ledger:queue",
    "district_leader": "ledger:item_list",
    "unit_a_head": "ledger:inbox",
    "unit_a_staff": "ledger:inbox",
    "unit_b_staff": "ledger:inbox",
    "expert": "reforms:my_panels",
}


def _sign_in(client, user, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, **extra}, follow=True)


@pytest.mark.parametrize(("persona", "url_name"), sorted(LANDINGS.items()))
def test_each_official_lands_on_their_work(client, personas, persona, url_name):
    response = _sign_in(client, getattr(personas, persona))

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(url_name)


def test_unit_staff_land_on_their_inbox_with_counts(client, personas):
    ledger = Ledger.objects.create(
        name="台账", year=2024, kind=LedgerKind.REFORM, owner_unit=personas.reform_office, number_prefix="罗改"
    )
    item = item_create(
        actor=personas.office_admin,
        ledger=ledger,
        title="推进东门步行街综合整治",
        lead_unit=personas.unit_a,
        deadline=timezone.localdate() + dt.timedelta(days=60),
    )
    item_transition(actor=personas.office_admin, item=item, action="assign")  # to acknowledge

    response = _sign_in(client, personas.unit_a_staff)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("ledger:inbox")
    assert "待签收" in html and '<span class="muted">(1)</span>' in html


def test_an_explicit_next_wins(client, personas):
    response = _sign_in(client, personas.unit_a_staff, next=reverse("orgs:unit_tree"))

    assert response.redirect_chain[-1][0] == reverse("orgs:unit_tree")


def test_a_signed_in_official_opening_the_sign_in_page_goes_to_their_work(client, personas):
    client.force_login(personas.supervisor)

    response = client.get(reverse("login"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("ledger:queue")


def test_a_resident_lands_on_my_reports(client, personas, settings, django_capture_on_commit_callbacks):
    settings.DUBAN_CODE_SENDER = "duban.portal.tests.test_landing.RecordingSender"
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("resident_login"), {"step": "destination", "destination": "13800138000"})

    response = client.post(
        reverse("resident_login"), {"step": "code", "destination": "13800138000", "code": SENT[-1][1]}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("portal:my_problems")
    assert int(client.session["_auth_user_id"]) == personas.resident.pk


def test_someone_without_a_role_lands_on_the_home_page(client, personas):
    from duban.orgs.models import User

    User.objects.create_user(username="nobody", password=PASSWORD)

    response = client.post(reverse("login"), {"username": "nobody", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("portal:home")
