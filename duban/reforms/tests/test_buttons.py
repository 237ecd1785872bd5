"""On a reform's items and pages a person sees only the steps they can take: what the reform keeps
to its own page (reopening, its own deadline) is not offered on the ledger item."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from duban.core.workdays import on_day
from duban.ledger.models import Item
from duban.ledger.services import item_transition
from duban.reforms.services import reform_decompose
from duban.reforms.tests.conftest import MARCH

pytestmark = pytest.mark.django_db
D = dt.date


def _steps(html: str, item: Item) -> set[str]:
    return set(re.findall(rf"/ledger/items/{item.pk}/act/(\w+)/", html))


def test_a_closed_reform_item_offers_no_reopening(client, personas, make_reform):
    reform = make_reform()
    milestone = reform_decompose(
        actor=personas.office_admin, reform=reform, milestones=[{"title": "上线", "deadline": D(2024, 6, 30)}], at=MARCH
    )[0]
    december = on_day(D(2024, 12, 2), hour=10)
    item = Item.objects.get(pk=milestone.pk)
    item = item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=december)
    item = item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="已完成", at=december)
    item = item_transition(actor=personas.supervisor, item=item, action="accept", at=december)
    item = item_transition(actor=personas.supervisor, item=item, action="close", at=december)
    client.force_login(personas.supervisor)

    html = client.get(reverse("ledger:item_detail", args=[item.pk])).content.decode()

    assert "reopen" not in _steps(html, item)
    assert reverse("reforms:reform_detail", args=[reform.pk]) in html  # where a look-back is recorded


def test_the_reforms_own_item_offers_no_extension_its_milestone_does(client, personas, make_reform):
    reform = make_reform()
    milestone = reform_decompose(
        actor=personas.office_admin, reform=reform, milestones=[{"title": "上线", "deadline": D(2024, 6, 30)}], at=MARCH
    )[0]
    root = Item.objects.get(pk=milestone.parent_id)
    for item in (root, milestone):
        item_transition(actor=personas.unit_a_staff, item=Item.objects.get(pk=item.pk), action="acknowledge", at=MARCH)
    client.force_login(personas.unit_a_staff)

    with time_machine.travel(on_day(D(2024, 4, 1)), tick=False):  # before both deadlines
        root_html = client.get(reverse("ledger:item_detail", args=[root.pk])).content.decode()
        milestone_html = client.get(reverse("ledger:item_detail", args=[milestone.pk])).content.decode()

    assert reverse("ledger:item_extension", args=[root.pk]) not in root_html
    assert reverse("ledger:item_extension", args=[milestone.pk]) in milestone_html


@pytest.mark.parametrize(("persona", "applies"), [("unit_a_staff", True), ("district_leader", False)])
def test_only_someone_of_a_unit_is_offered_to_apply_for_error_tolerance(client, personas, persona, applies):
    client.force_login(getattr(personas, persona))

    html = client.get(reverse("reforms:tolerance_list")).content.decode()

    assert (reverse("reforms:tolerance_new") in html) is applies
    assert client.get(reverse("reforms:tolerance_new")).status_code == (200 if applies else 403)
