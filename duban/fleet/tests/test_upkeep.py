"""A car's inspection and insurance falling due open a ledger item for the unit that holds it; the
item is submitted only once the car shows the renewed date; the sweep opens each once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from duban.fleet import services
from duban.fleet.upkeep import upkeep_open
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.owners import OwnedItemRefused
from duban.ledger.services import item_transition
from duban.ledger.tests.contract import INDEX, MACHINE_SETTINGS, ContractMachine

pytestmark = pytest.mark.django_db


@pytest.fixture
def upkeep_ledger(personas):
    return Ledger.objects.create(name="公务用车运维台账", year=timezone.localdate().year, kind=LedgerKind.FLEET,
                                 owner_unit=personas.reform_office, number_prefix="罗车")  # fmt: skip


def _due_soon(fleet, personas, days=20):
    fleet.van.holder = personas.unit_a
    fleet.van.inspection_due = timezone.localdate() + dt.timedelta(days=days)
    fleet.van.save()
    return fleet.van


def test_an_inspection_falling_due_is_an_item_of_the_unit_holding_the_car_until_it_is_renewed(
    personas, fleet, upkeep_ledger
):
    assert upkeep_open() == (0, 0)
    van = _due_soon(fleet, personas)
    assert upkeep_open() == (1, 0)
    assert upkeep_open() == (0, 0)  # once
    item = Item.objects.for_subject(van).get()
    assert (item.lead_unit, item.state, item.deadline) == (personas.unit_a, "assigned", van.inspection_due)
    assert "粤B·A2001" in item.title

    item = item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge")
    with pytest.raises(OwnedItemRefused):
        item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="已年检")
    item.refresh_from_db()
    assert item.state == "acknowledged"

    services.setting_save(actor=personas.office_admin, instance=van, reason="fleet.vehicle.saved",
                          inspection_due=van.inspection_due.replace(year=van.inspection_due.year + 1))  # fmt: skip
    item = item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="已年检，合格")
    assert item.state == "submitted"
    assert upkeep_open() == (0, 0)


def test_without_this_years_ledger_the_sweep_says_what_waits(personas, fleet):
    _due_soon(fleet, personas)
    assert upkeep_open() == (0, 1) and not Item.objects.exists()


def test_upkeep_items_agree_with_their_cars_whatever_acts_on_them(client, personas, fleet, upkeep_ledger):
    class Upkeep(ContractMachine):
        @initialize(days=st.integers(-10, 30))
        def cars_fall_due(self, days):
            _due_soon(fleet, personas, days)
            upkeep_open()
            self.subjects.append(fleet.van)

        @rule(index=INDEX)
        def the_car_is_inspected(self, index):
            van = type(fleet.van).objects.get(pk=self.subject(index).pk)
            self.attempt(van, lambda: services.setting_save(
                actor=personas.office_admin, instance=van, reason="fleet.vehicle.saved",
                inspection_due=van.inspection_due + dt.timedelta(days=365),
            ))  # fmt: skip

    Upkeep.personas, Upkeep.client = personas, client
    run_state_machine_as_test(Upkeep, settings=MACHINE_SETTINGS)
