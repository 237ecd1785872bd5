"""A reform (and its tolerance cases) and its ledger items never disagree, through any entry point."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule, run_state_machine_as_test

from duban.ledger.choices import LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.tests.contract import ANYONE, MACHINE_SETTINGS, PICK, ContractMachine
from duban.reforms.choices import TOLERANCE_MOVES, ReformLevel, SpecialGroup, ToleranceDecision, ToleranceState
from duban.reforms.models import ToleranceCase
from duban.reforms.services import (
    adjustment_decide,
    adjustment_request,
    lookback_record,
    reform_decompose,
    reform_register,
    reform_update,
)
from duban.reforms.tests.test_tolerance import ALL_HOLD, DECISION
from duban.reforms.tolerance import exempted_item_ids, tolerance_apply, tolerance_transition

pytestmark = pytest.mark.django_db


def test_reforms_and_tolerance_cases_agree_with_their_items_whatever_acts_on_them(client, personas, main_leader):
    today = timezone.localdate()
    Ledger.objects.create(
        name=f"{today.year}年改革任务台账",
        year=today.year,
        kind=LedgerKind.REFORM,
        owner_unit=personas.reform_office,
        number_prefix="罗改",
    )

    class Reforms(ContractMachine):
        @initialize(milestones=st.integers(0, 2))
        def register_and_decompose(self, milestones):
            self.cases = []
            for n in range(2):
                reform = reform_register(
                    actor=personas.office_admin,
                    year=today.year,
                    level=ReformLevel.KEY,
                    group=SpecialGroup.INDUSTRY,
                    title=f"商事登记改革（{n}）",
                    goals="企业开办一日办结",
                    deadline=today + dt.timedelta(days=120),
                    lead_unit=personas.unit_a,
                )
                steps = [
                    {"title": f"节点{k}", "deadline": today + dt.timedelta(days=30 * (k + 1))}
                    for k in range(milestones)
                ]
                reform_decompose(actor=personas.office_admin, reform=reform, milestones=steps)
                self.subjects.append(reform)
                self.cases.append(
                    tolerance_apply(
                        actor=personas.unit_a_staff,
                        unit=personas.unit_a,
                        title="试点未达预期",
                        facts="政策调整",
                        year=today.year,
                        reform=reform,
                    )  # fmt: skip
                )

        @rule(index=st.integers(0, 5), days=st.integers(-10, 200), goals=st.booleans(), same_person=st.booleans())
        def adjust(self, index, days, goals, same_person):
            reform = self.subject(index)
            changes = (
                {"goals": "企业开办半日办结"} if goals else {"deadline": reform.deadline + dt.timedelta(days=days)}
            )

            def ask_and_decide():
                adjustment = adjustment_request(
                    actor=personas.office_admin, reform=reform, reason="深化", changes=changes
                )
                decider = personas.office_admin if same_person else personas.supervisor
                adjustment_decide(actor=decider, adjustment=adjustment, approve=True)

            self.attempt(reform, ask_and_decide)
            reform.refresh_from_db()

        @rule(index=st.integers(0, 5))
        def rename(self, index):
            reform = self.subject(index)
            self.attempt(
                reform,
                lambda: reform_update(actor=personas.office_admin, reform=reform, data={"title": reform.title + "·"}),
            )
            reform.refresh_from_db()

        @rule(index=st.integers(0, 5))
        def look_back(self, index):
            reform = self.subject(index)
            self.attempt(
                reform,
                lambda: lookback_record(
                    actor=personas.office_admin,
                    reform=reform,
                    year=reform.year + 1,
                    outcome="relapsed",
                    findings="反弹",
                ),
            )

        @rule(index=st.integers(0, 5), pick=PICK, anyone=ANYONE, exempt=st.booleans())
        def tolerance_step(self, index, pick, anyone, exempt):
            case = ToleranceCase.objects.get(pk=self.cases[index % len(self.cases)].pk)
            moves = TOLERANCE_MOVES.available(case.state)
            code, user = self.pick(moves, pick, anyone, TOLERANCE_MOVES.by_code, case.unit)
            move = TOLERANCE_MOVES[code]
            decision = ToleranceDecision.EXEMPTED if exempt else ToleranceDecision.LIGHTER
            data = {**DECISION, **ALL_HOLD, "decision": decision, "correction_plan": "限期纠正", "reasons": "理由",
                    "appeal": "申诉理由"}  # fmt: skip
            later = timezone.now() + dt.timedelta(days=30 if move.target == ToleranceState.FINAL else 0)
            self.attempt(
                case.reform,
                lambda: tolerance_transition(
                    actor=user, case=case, target=move.target_from(case.state), at=later, **data
                ),
            )

        @invariant()
        def an_exempted_setback_covers_every_item_of_its_reform(self):
            for case in ToleranceCase.objects.filter(
                state=ToleranceState.FINAL, decision=ToleranceDecision.EXEMPTED, pk__in=[c.pk for c in self.cases]
            ):
                items = set(Item.objects.for_subject(case.reform).values_list("pk", flat=True))
                assert items <= exempted_item_ids(case.year)

    Reforms.personas, Reforms.client = personas, client
    run_state_machine_as_test(Reforms, settings=MACHINE_SETTINGS)
