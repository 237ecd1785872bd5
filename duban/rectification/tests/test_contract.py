"""An audit finding and its rectification items never disagree, through any entry point."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from duban.ledger.tests.contract import INDEX, MACHINE_SETTINGS, ContractMachine
from duban.rectification.services import finding_add, finding_open_items

pytestmark = pytest.mark.django_db


def test_findings_agree_with_their_items_whatever_acts_on_them(client, personas, project, audit_ledger):
    today = timezone.localdate()

    class Findings(ContractMachine):
        @initialize(measures=st.integers(1, 2))
        def find_and_open(self, measures):
            for n in range(2):
                finding = finding_add(
                    actor=personas.office_admin, project=project, title=f"专项资金闲置（{n}）",
                    finding_type="management", amount_involved=1000, requirement="限期拨付",
                )  # fmt: skip
                specs = [{"deadline": today + dt.timedelta(days=30 * (k + 1))} for k in range(measures)]
                finding_open_items(actor=personas.office_admin, finding=finding, ledger=audit_ledger, items=specs)
                self.subjects.append(finding)

        @rule(index=INDEX, days=st.integers(-5, 90))
        def another_measure(self, index, days):
            finding = self.subject(index)
            spec = {"deadline": today + dt.timedelta(days=days), "lead_unit": personas.unit_b}
            self.attempt(
                finding,
                lambda: finding_open_items(
                    actor=personas.office_admin, finding=finding, ledger=audit_ledger, items=[spec]
                ),
            )

    Findings.personas, Findings.client = personas, client
    run_state_machine_as_test(Findings, settings=MACHINE_SETTINGS)
