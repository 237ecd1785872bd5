"""Whatever the sequence of actions, by whoever: the loop's rules hold."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from duban.ledger import access
from duban.ledger.choices import ACTIONS, ItemState
from duban.ledger.models import Item, ItemEvent
from duban.ledger.services.extensions import extension_request
from duban.ledger.services.items import item_create
from duban.ledger.services.progress import item_report_progress
from duban.ledger.services.transitions import item_transition

pytestmark = pytest.mark.django_db

ACTORS = ["office_admin", "unit_a_head", "unit_a_staff", "unit_b_staff", "supervisor", "district_leader", "resident"]
STATE_EVENTS = {move.event for move in ACTIONS.values()}
REASONS = ["", "理由"]


def _snapshot(item):
    return Item.objects.values().get(pk=item.pk), ItemEvent.objects.filter(item=item).count()


def test_the_loop_rules_hold_for_any_sequence_of_actions(personas, ledger):
    class Loop(RuleBasedStateMachine):
        @initialize(lead=st.sampled_from(["unit_a", "unit_a_community", "unit_b"]))
        def register(self, lead):
            self.item = item_create(
                actor=personas.office_admin,
                ledger=ledger,
                title="性质测试任务",
                lead_unit=getattr(personas, lead),
                deadline_working_days=10,
            )
            self.transitions = 0

        def _attempt(self, call):
            before = _snapshot(self.item)
            try:
                call()
            except (ValidationError, PermissionDenied):
                assert _snapshot(self.item) == before, "a refused action changed something"
                return False
            self.item.refresh_from_db()
            return True

        @rule(
            action=st.sampled_from(sorted(ACTIONS.by_code)),
            who=st.sampled_from(ACTORS),
            reason=st.sampled_from(REASONS),
        )
        def act(self, action, who, reason):
            done = self._attempt(
                lambda: item_transition(actor=getattr(personas, who), item=self.item, action=action, reason=reason)
            )
            self.transitions += int(done)

        @rule(who=st.sampled_from(ACTORS), percent=st.integers(min_value=-5, max_value=105))
        def report(self, who, percent):
            state = self.item.state
            done = self._attempt(
                lambda: item_report_progress(actor=getattr(personas, who), item=self.item, percent=percent, text="进展")
            )
            self.transitions += int(done and state != ItemState.IN_PROGRESS)  # the first report starts the work

        @rule(who=st.sampled_from(ACTORS), days=st.integers(min_value=-3, max_value=30))
        def ask_extension(self, who, days):
            deadline = self.item.effective_deadline
            if deadline is not None:
                self._attempt(
                    lambda: extension_request(
                        actor=getattr(personas, who),
                        item=self.item,
                        new_deadline=deadline + dt.timedelta(days=days),
                        reason="需要延期",
                    )
                )

        @invariant()
        def every_transition_has_its_event(self):
            events = ItemEvent.objects.filter(item=self.item, code__in=STATE_EVENTS).count()
            assert events == self.transitions

        @invariant()
        def progress_stays_a_percentage(self):
            assert 0 <= self.item.progress <= 100

        @invariant()
        def the_closer_is_outside_the_responsible_unit(self):
            if self.item.state == ItemState.CLOSED:
                assert self.item.closed_by is not None
                assert access.is_outside(self.item.closed_by, self.item.lead_unit)

    run_state_machine_as_test(
        Loop,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
