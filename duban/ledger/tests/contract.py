"""The ledger's contract with the contexts that own items, as a hypothesis state machine.

A context's test subclasses `ContractMachine`: its `@initialize` rule makes a few subjects with
items, and its own rules act on them through its own pages and services. The rules here act on
the same items through every entry point the ledger has — the item page, the JSON API, the
services (as an import or another context would), edits, extensions, sub-items, the sweep and
year-end carry-over — by whoever. After every step each subject must agree with its items
(`SubjectOwner.disagreements`), and a step a service refused must have changed nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from duban.ledger import owners
from duban.ledger.choices import ACTIONS, OPEN_STATES, ItemState
from duban.ledger.models import Item, ItemEvent
from duban.ledger.services.extensions import extension_decide, extension_request
from duban.ledger.services.items import item_create, item_update
from duban.ledger.services.sweep import sweep_run
from duban.ledger.services.transitions import item_transition
from duban.ledger.services.yearend import ledger_carry_over

PEOPLE = ["office_admin", "unit_a_head", "unit_a_staff", "unit_b_staff", "supervisor", "resident"]
ENTRIES = ["page", "api", "service"]
# Most steps are ones the table allows, by whom it expects (anything at all would mostly be
# refused at once and leave the interesting states unexplored); the rest are anybody's anything.
PICK = st.integers(0, 11)
INDEX = st.integers(0, 5)  # which subject
WHICH = st.sampled_from([0, 0, 1, 2, 3])  # which of its items: mostly the newest
ANYONE = st.sampled_from([None, None, None, *PEOPLE])
REFUSED = (ValidationError, PermissionDenied, Http404)
# Derandomized, so the suite is the same on every run; `DUBAN_CONTRACT_EXAMPLES=200` explores further.
MACHINE_SETTINGS = settings(
    max_examples=int(os.environ.get("DUBAN_CONTRACT_EXAMPLES", "12")),
    derandomize="DUBAN_CONTRACT_EXAMPLES" not in os.environ,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class ContractMachine(RuleBasedStateMachine):
    """Set `personas` and `client` on the subclass before running it."""

    personas = None
    client = None

    def __init__(self):
        super().__init__()
        self.subjects: list = []

    # what the rules act on

    def person(self, who: str):
        return getattr(self.personas, who)

    def expected(self, role: str, unit):
        """The person a move's `actor` names: the office, someone of `unit`, or a reviewer."""
        if role in {"office", "year_end"}:
            return self.personas.office_admin
        if role in {"unit"}:
            return self.personas.unit_b_staff if unit == self.personas.unit_b else self.personas.unit_a_staff
        return self.personas.supervisor

    def pick(self, moves: list, pick: int, anyone: str | None, all_codes, unit):
        """(code, person): an allowed move by the expected person, or (anyone set) anything by anyone."""
        if anyone is not None or not moves:
            codes = sorted(all_codes)
            return codes[pick % len(codes)], self.person(anyone or "supervisor")
        move = moves[pick % len(moves)]
        return move.code, self.expected(move.actor, unit)

    def subject(self, index: int):
        return self.subjects[index % len(self.subjects)] if self.subjects else None

    def item_of(self, index: int, which: int = 0, *, open_only: bool = False) -> Item | None:
        """One of the subject's items: the newest when `which` is 0, else any of them."""
        subject = self.subject(index)
        if subject is None:
            return None
        items = Item.objects.for_subject(subject).order_by("-pk")
        items = list(items.filter(state__in=OPEN_STATES) if open_only else items)
        return items[which % len(items)] if items else None

    def snapshot(self, subject) -> tuple:
        row = type(subject)._default_manager.filter(pk=subject.pk).values().first()
        items = list(Item.objects.for_subject(subject).order_by("pk").values())
        return row, items, ItemEvent.objects.filter(item__in=[i["id"] for i in items]).count()

    def attempt(self, subject, call) -> bool:
        """Run a service call; a refusal must leave the subject and its items as they were."""
        before = self.snapshot(subject)
        try:
            call()
        except REFUSED:
            assert self.snapshot(subject) == before, "a refused step changed something"
            return False
        return True

    # the ledger's entry points

    @rule(index=INDEX, which=WHICH, pick=PICK, anyone=ANYONE, entry=st.sampled_from(ENTRIES))
    def item_action(self, index, which, pick, anyone, entry):
        item = self.item_of(index, which)
        if item is None:
            return
        moves = ACTIONS.available(item.state)
        action, user = self.pick(moves, pick, anyone, ACTIONS.by_code, item.lead_unit)
        reason = "核验意见：经查属实"
        if entry == "service":
            self.attempt(
                self.subject(index), lambda: item_transition(actor=user, item=item, action=action, reason=reason)
            )
            return
        self.client.force_login(user)
        if entry == "page":
            self.client.post(reverse("ledger:item_act", args=[item.pk, action]), {"reason": reason})
        else:
            self.client.post(
                f"/api/ledger/items/{item.pk}/transitions",
                json.dumps({"action": action, "reason": reason}),
                content_type="application/json",
            )

    @rule(index=INDEX, which=WHICH, anyone=ANYONE, field=st.sampled_from(["title", "content"]))
    def edit(self, index, which, anyone, field):
        item = self.item_of(index, which)
        if item is not None:
            data = {field: f"{getattr(item, field)}（改）"[:200]}
            user = self.person(anyone or "office_admin")
            self.attempt(self.subject(index), lambda: item_update(actor=user, item=item, data=data))

    @rule(index=INDEX, which=WHICH, days=st.integers(1, 400), approve=st.booleans())
    def extension(self, index, which, days, approve):
        item = self.item_of(index, which, open_only=True)
        if item is None or item.effective_deadline is None:
            return
        new_deadline = item.effective_deadline + dt.timedelta(days=days)

        def ask_and_decide():
            request = extension_request(
                actor=self.personas.unit_a_staff if item.lead_unit == self.personas.unit_a else None,
                item=item,
                new_deadline=new_deadline,
                reason="工作量超出预期",
            )
            extension_decide(actor=self.personas.supervisor, request=request, approve=approve, note="同意")

        self.attempt(self.subject(index), ask_and_decide)

    @rule(index=INDEX, which=WHICH)
    def sub_item(self, index, which):
        item = self.item_of(index, which, open_only=True)
        if item is not None:
            self.attempt(
                self.subject(index),
                lambda: item_create(
                    actor=self.personas.office_admin,
                    ledger=item.ledger,
                    title="补充子事项",
                    lead_unit=item.lead_unit,
                    deadline=item.effective_deadline,
                    parent=item,
                ),
            )

    @rule(days=st.integers(0, 90))
    def sweep(self, days):
        sweep_run(today=timezone.localdate() + dt.timedelta(days=days), force=True)

    @rule(index=INDEX)
    def carry_over(self, index):
        item = self.item_of(index, open_only=True)
        if item is not None:
            ledger = item.ledger
            deadline = timezone.localdate() + dt.timedelta(days=60)
            ledger_carry_over(actor=self.personas.office_admin, ledger=ledger, year=ledger.year + 1, deadline=deadline)

    @invariant()
    def a_carried_item_continues_about_the_same_subject(self):
        for subject in self.subjects:
            items = Item.objects.for_subject(subject)
            carried = set(items.filter(state=ItemState.CARRIED_OVER).values_list("pk", flat=True))
            assert carried <= set(items.values_list("carried_from_id", flat=True))

    @invariant()
    def subjects_agree_with_their_items(self):
        for subject in self.subjects:
            problems = owners.owner_of_model(type(subject)).disagreements(subject)
            assert problems == [], problems
