"""A contract's key nodes and their items never disagree, whatever acts on them: the owner recording
actual dates, and every entry point the ledger has."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from duban.contracts import services
from duban.contracts.models import Contract, KeyNode
from duban.contracts.tests.conftest import build_works, signed
from duban.ledger.tests.contract import INDEX, MACHINE_SETTINGS, ContractMachine

pytestmark = pytest.mark.django_db


def test_key_nodes_and_their_items_agree_whatever_acts_on_them(client, personas):
    holder = {}

    class Nodes(ContractMachine):
        @initialize()
        def sign_a_contract(self):
            if "works" not in holder:  # the examples share the database: one contract serves them all
                holder["works"] = build_works(personas)
                signed(holder["works"], start=timezone.localdate() - dt.timedelta(days=450))
            self.works = holder["works"]
            self.subjects += list(KeyNode.objects.filter(contract=Contract.objects.get()).order_by("order"))

        @rule(index=INDEX)
        def reach(self, index):
            node = KeyNode.objects.get(pk=self.subject(index).pk)
            day = min(node.planned_on, timezone.localdate())
            self.attempt(node, lambda: services.node_record(actor=self.works.staff, node=node, actual_on=day))

    Nodes.personas, Nodes.client = personas, client
    run_state_machine_as_test(Nodes, settings=MACHINE_SETTINGS)
