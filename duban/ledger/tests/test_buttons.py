"""A person sees only the buttons they can use: each one shown leads somewhere that does not refuse
them, and what the service would refuse is not offered."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from duban.core.workdays import on_day
from duban.ledger.services.transitions import item_transition
from duban.ledger.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"?#]+)', html))


@pytest.mark.parametrize(
    ("persona", "registers"),
    [("office_admin", True), ("supervisor", True), ("unit_a_staff", False), ("district_leader", False)],
)
def test_register_and_import_are_offered_only_to_the_office(client, personas, ledger, persona, registers):
    user = getattr(personas, persona)
    client.force_login(user)

    links = _links(client.get(reverse("ledger:item_list")).content.decode())

    for name in ["ledger:item_new", "ledger:import_new"]:
        assert (reverse(name) in links) is registers, name
        assert client.get(reverse(name)).status_code == (200 if registers else 403)


@pytest.mark.parametrize(
    ("persona", "manages", "opens"),
    [
        ("office_admin", True, True),
        ("supervisor", True, True),  # for the discipline commission, their own office
        ("unit_a_staff", False, True),  # a ledger of their own street
        ("district_leader", False, False),  # no office of their own
    ],
)
def test_ledger_settings_and_carry_over_only_for_its_office(
    client, personas, ledger, make_item, persona, manages, opens
):
    make_item()  # unit A's item: its staff see the reform office's ledger
    client.force_login(getattr(personas, persona))

    html = client.get(reverse("ledger:ledger_list")).content.decode()

    for name in ["ledger:ledger_edit", "ledger:carry_over"]:
        url = reverse(name, args=[ledger.pk])
        assert (url in _links(html)) is manages, name
        assert client.get(url).status_code == (200 if manages else 403)
    assert (reverse("ledger:ledger_new") in _links(html)) is opens
    assert client.get(reverse("ledger:ledger_new")).status_code == (200 if opens else 403)


def test_a_supervisor_opens_ledgers_only_for_their_own_office(client, personas):
    client.force_login(personas.supervisor)

    html = client.get(reverse("ledger:ledger_new")).content.decode()

    owners = re.search(r'<select name="owner_unit".*?</select>', html, re.S).group(0)
    assert "区纪委监委" in owners
    assert "东门街道" not in owners and "区委改革办" not in owners


def test_a_supervisor_still_edits_the_settings_of_a_ledger_of_another_office(client, personas, ledger):
    client.force_login(personas.supervisor)
    url = reverse("ledger:ledger_edit", args=[ledger.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["name"] = "2024年区级重点改革任务台账（修订）"

    response = client.post(url, {k: v for k, v in data.items() if v is not False})

    assert response.status_code == 302, response.context["form"].errors
    ledger.refresh_from_db()
    assert ledger.name.endswith("（修订）") and ledger.owner_unit == personas.reform_office


def test_no_extension_is_offered_after_the_deadline(client, personas, make_item):
    item = make_item()
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    client.force_login(personas.unit_a_staff)
    url = reverse("ledger:item_detail", args=[item.pk])

    with time_machine.travel(on_day(dt.date(2024, 6, 20)), tick=False):
        assert reverse("ledger:item_extension", args=[item.pk]) in client.get(url).content.decode()
    with time_machine.travel(on_day(dt.date(2024, 7, 2)), tick=False):
        assert reverse("ledger:item_extension", args=[item.pk]) not in client.get(url).content.decode()


def test_no_progress_form_on_an_item_that_rolls_up_its_sub_items(client, personas, make_item):
    parent = make_item()
    item_transition(actor=personas.unit_a_staff, item=parent, action="acknowledge", at=on_day(MONDAY))
    client.force_login(personas.unit_a_staff)
    url = reverse("ledger:item_detail", args=[parent.pk])
    assert reverse("ledger:item_progress", args=[parent.pk]) in client.get(url).content.decode()

    make_item(title="子任务", parent=parent)

    assert reverse("ledger:item_progress", args=[parent.pk]) not in client.get(url).content.decode()


def test_a_co_unit_is_not_asked_to_acknowledge_a_closed_item(client, personas, make_item):
    item = make_item(co_units=[(personas.unit_b, "配合宣传")])
    client.force_login(personas.unit_b_staff)
    url = reverse("ledger:item_detail", args=[item.pk])
    acknowledge = reverse("ledger:co_unit_acknowledge", args=[item.pk, personas.unit_b.pk])
    assert acknowledge in client.get(url).content.decode()

    item_transition(actor=personas.office_admin, item=item, action="cancel", reason="任务取消")

    assert acknowledge not in client.get(url).content.decode()


def test_each_step_shown_on_an_item_is_one_the_viewer_may_take(client, personas, make_item):
    item = make_item()
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="已完成。", at=on_day(MONDAY))
    for persona, expected in [
        ("unit_a_staff", set()),
        ("office_admin", {"return", "accept"}),
        ("supervisor", {"return", "accept"}),
        ("district_leader", set()),
    ]:
        client.force_login(getattr(personas, persona))
        html = client.get(reverse("ledger:item_detail", args=[item.pk])).content.decode()
        shown = set(re.findall(rf"/ledger/items/{item.pk}/act/(\w+)/", html))
        assert shown == expected, persona
