"""A mediation case and its period's item never disagree, whatever acts on them: sessions,
extensions, agreements and terminations on the case's page, and every entry point the ledger has."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from duban.ledger.tests.contract import INDEX, MACHINE_SETTINGS, ContractMachine
from duban.renewal import services
from duban.renewal.models import MediationCase
from duban.renewal.tests.conftest import build_bureau, mediating

pytestmark = pytest.mark.django_db


def test_cases_and_their_items_agree_whatever_acts_on_them(client, personas):
    holder = {}

    class Cases(ContractMachine):
        @initialize()
        def accept_cases(self):
            if "bureau" not in holder:  # the examples share the database: one bureau serves them all
                holder["bureau"] = build_bureau(personas)
                for _n in range(3):
                    mediating(holder["bureau"])
            self.bureau = holder["bureau"]
            self.subjects += list(MediationCase.objects.order_by("pk"))

        def case(self, index):
            return MediationCase.objects.get(pk=self.subject(index).pk)

        @rule(index=INDEX)
        def hold_a_session(self, index):
            case = self.case(index)
            self.attempt(case, lambda: services.session_record(
                actor=self.bureau.officer, case=case, held_on=timezone.localdate(), place="调解室",
                mediators=self.bureau.mediators, attendees="双方", minutes="听取双方意见。"))  # fmt: skip

        @rule(index=INDEX)
        def extend(self, index):
            case = self.case(index)
            self.attempt(case, lambda: services.case_step(actor=self.bureau.head, case=case, code="extend",
                                                          reason="案情复杂"))  # fmt: skip

        @rule(index=INDEX, agree=st.booleans())
        def end(self, index, agree):
            case = self.case(index)

            @transaction.atomic
            def settle():
                services.agreement_draft(actor=self.bureau.officer, case=case, facts="争议事实", terms="协议条款")
                services.case_step(actor=self.bureau.officer, case=case, code="settle",
                                   signed={p.pk: timezone.localdate() for p in case.parties.all()})  # fmt: skip

            def terminate():
                services.case_step(actor=self.bureau.officer, case=case, code="terminate", reason="未达成一致",
                                   end_reason="no_agreement", referral="litigation")  # fmt: skip

            self.attempt(case, settle if agree else terminate)

    Cases.personas, Cases.client = personas, client
    run_state_machine_as_test(Cases, settings=MACHINE_SETTINGS)
